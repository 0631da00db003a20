"""A real Oxigraph SPARQL server for tests, as a pytest plugin.

Register it once from ``tests/conftest.py``::

    pytest_plugins = ["tests.oxigraph_server"]

Fixtures:
    ``oxigraph_server``: session-scoped; starts ``oxigraph serve`` on a free port
    of 127.0.0.1 with its data in a temporary folder, yields the server's root
    URL and stops the server at the end of the session.
    ``oxigraph_url``: the same URL, with the server emptied (``DROP ALL``) before
    each test, so tests do not see each other's graphs.

The binary comes from ``$KG_OXIGRAPH_BIN``, else the ``oxigraph`` PyPI package
installed beside the running Python (``.venv/bin/oxigraph``), else ``$PATH``.
Without it the tests that need it are skipped with the reason — except when
``$CI`` is set, where they fail: CI must never pass by skipping them.

The helpers :func:`start_oxigraph` / :func:`stop_oxigraph` are plain functions
so the benchmark and scripts can reuse them outside pytest.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

__all__ = [
    "OxigraphProcess", "find_oxigraph", "free_port", "start_oxigraph", "stop_oxigraph",
    "oxigraph_server", "oxigraph_url",
]


def find_oxigraph() -> str | None:
    """Path of the ``oxigraph`` server binary, or None when it is not installed."""
    explicit = os.environ.get("KG_OXIGRAPH_BIN")
    if explicit:
        return explicit if Path(explicit).is_file() else None
    beside = Path(sys.executable).parent / "oxigraph"
    if beside.is_file():
        return str(beside)
    return shutil.which("oxigraph")


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@dataclass
class OxigraphProcess:
    """A running ``oxigraph serve``: its URL, process and log file."""

    url: str
    process: subprocess.Popen[bytes]
    log_path: Path
    data_dir: Path

    def log(self) -> str:
        try:
            return self.log_path.read_text(errors="replace")[-4000:]
        except OSError:
            return ""


def _answers(url: str) -> bool:
    probe = f"{url}/query?" + urllib.parse.urlencode({"query": "ASK {}"})
    request = urllib.request.Request(probe, headers={"Accept": "application/sparql-results+json"})
    try:
        with urllib.request.urlopen(request, timeout=1) as response:
            return bool(response.status == 200)
    except (urllib.error.URLError, OSError):
        return False


def start_oxigraph(data_dir: Path, *, binary: str | None = None, wait: float = 30.0) -> OxigraphProcess:
    """Start ``oxigraph serve --location DATA_DIR --bind 127.0.0.1:PORT`` and wait until it answers.

    Raises:
        RuntimeError: the binary is missing, or the server exits or stays silent.
    """
    binary = binary or find_oxigraph()
    if binary is None:
        raise RuntimeError(
            "no oxigraph server binary: install it with `pip install oxigraph==0.5.13` "
            "(or set KG_OXIGRAPH_BIN to its path)"
        )
    data_dir.mkdir(parents=True, exist_ok=True)
    log_path = data_dir.parent / f"{data_dir.name}.log"
    last_error = "did not start"
    for _attempt in range(3):  # a free port can be taken between free_port() and bind
        port = free_port()
        url = f"http://127.0.0.1:{port}"
        log = open(log_path, "wb")  # noqa: SIM115 - handed to the child, closed below
        try:
            process = subprocess.Popen(
                [binary, "serve", "--location", str(data_dir), "--bind", f"127.0.0.1:{port}"],
                stdin=subprocess.DEVNULL, stdout=log, stderr=subprocess.STDOUT,
            )
        finally:
            log.close()
        server = OxigraphProcess(url, process, log_path, data_dir)
        deadline = time.monotonic() + wait
        while time.monotonic() < deadline:
            if process.poll() is not None:
                last_error = f"exited with code {process.returncode}: {server.log()}"
                break
            if _answers(url):
                return server
            time.sleep(0.05)
        else:
            stop_oxigraph(server)
            raise RuntimeError(f"oxigraph server at {url} did not answer within {wait:.0f}s: {server.log()}")
    raise RuntimeError(f"oxigraph server {last_error}")


def stop_oxigraph(server: OxigraphProcess) -> None:
    """Stop the server: SIGTERM, then SIGKILL if it lingers."""
    if server.process.poll() is None:
        server.process.terminate()
        try:
            server.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            server.process.kill()
            server.process.wait(timeout=10)


def _missing(reason: str) -> None:
    if os.environ.get("CI"):
        pytest.fail(f"{reason} (CI is set, so this is a failure, not a skip)", pytrace=False)
    pytest.skip(reason)


@pytest.fixture(scope="session")
def oxigraph_server() -> Iterator[str]:
    """Root URL of a real Oxigraph server on 127.0.0.1, for the whole session."""
    binary = find_oxigraph()
    if binary is None:
        explicit = os.environ.get("KG_OXIGRAPH_BIN")
        _missing(f"KG_OXIGRAPH_BIN={explicit} is not a file" if explicit else
                 "the oxigraph server binary is not installed: `pip install oxigraph==0.5.13`")
    tmp = Path(tempfile.mkdtemp(prefix="geokg-oxigraph-"))
    try:
        server = start_oxigraph(tmp / "data", binary=binary)
    except RuntimeError as err:  # installed but broken: always a failure
        shutil.rmtree(tmp, ignore_errors=True)
        pytest.fail(str(err), pytrace=False)
    try:
        yield server.url
    finally:
        stop_oxigraph(server)
        shutil.rmtree(tmp, ignore_errors=True)


@pytest.fixture
def oxigraph_url(oxigraph_server: str) -> str:
    """The session's Oxigraph server URL, emptied before the test."""
    body = urllib.parse.urlencode({"update": "DROP ALL"}).encode()
    request = urllib.request.Request(
        f"{oxigraph_server}/update", data=body,
        headers={"Content-Type": "application/x-www-form-urlencoded"},
    )
    with urllib.request.urlopen(request, timeout=10):
        pass
    return oxigraph_server
