"""``kg ingest`` end to end: parallel workers, resuming, interruptions (Ctrl-C, SIGKILL, a dead
worker), no store created for nothing, server stores, progress output, and the article
metadata queried by date.

The articles are generated: varied news paragraphs about countries and their leaders, each
with a dateline (``TOKYO, March 3, 2025 — …``), so that extraction finds entities and
relations. Runs that must be interrupted start ``python -m kg.cli`` as a subprocess in its
own process group.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import random
import signal
import subprocess
import sys
import textwrap
import time
from collections.abc import Callable
from pathlib import Path

import pytest
import rdflib
from click.testing import CliRunner, Result
from rdflib.compare import isomorphic

from kg.cli import main
from kg.errors import StoreError
from kg.pipeline import IngestReport, ingest
from kg.store import EmbeddedStore, Store, needs_creation, open_store

GKG = rdflib.Namespace("https://w3id.org/geokg/ontology#")
DCT = rdflib.Namespace("http://purl.org/dc/terms/")
PROV_TIME = rdflib.URIRef("http://www.w3.org/ns/prov#generatedAtTime")
POSIX_PROC = pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="needs Linux /proc")

# ----------------------------------------------------------------------------- generated news

LEADERS = [  # country, capital, title, leader
    ("Japan", "Tokyo", "Prime Minister", "Shigeru Ishiba"),
    ("France", "Paris", "President", "Emmanuel Macron"),
    ("Germany", "Berlin", "Chancellor", "Friedrich Merz"),
    ("India", "New Delhi", "Prime Minister", "Narendra Modi"),
    ("Brazil", "Brasilia", "President", "Luiz Inacio Lula da Silva"),
    ("Australia", "Canberra", "Prime Minister", "Anthony Albanese"),
    ("Canada", "Ottawa", "Prime Minister", "Mark Carney"),
    ("Indonesia", "Jakarta", "President", "Prabowo Subianto"),
    ("South Korea", "Seoul", "President", "Lee Jae-myung"),
    ("Italy", "Rome", "Prime Minister", "Giorgia Meloni"),
    ("Mexico", "Mexico City", "President", "Claudia Sheinbaum"),
    ("Kenya", "Nairobi", "President", "William Ruto"),
    ("Poland", "Warsaw", "Prime Minister", "Donald Tusk"),
    ("Vietnam", "Hanoi", "Prime Minister", "Pham Minh Chinh"),
]
ISSUES = ["critical minerals", "climate change", "nuclear energy", "trade", "defense spending",
          "semiconductors", "fisheries", "migration", "cybersecurity", "food security"]
OBSERVERS = ["China", "Russia", "the European Union", "the United Nations", "NATO", "Iran", "Turkey"]
FIRST_DAY = dt.date(2025, 1, 6)


def article_date(i: int) -> dt.date:
    return FIRST_DAY + dt.timedelta(days=7 * i)


def news_article(i: int) -> str:
    """Article number ``i``: a headline, a dateline dated ``article_date(i)``, 3 to 6 paragraphs."""
    rng = random.Random(i)
    (a, cap_a, title_a, lead_a), (b, cap_b, title_b, lead_b) = rng.sample(LEADERS, 2)
    issue, issue2 = rng.sample(ISSUES, 2)
    critic, friend = rng.sample(OBSERVERS, 2)
    day = article_date(i)
    pool = [
        f"{title_a} {lead_a} of {a} praised {b} for its support on {issue}.",
        f"{b} backed {a}'s plan for {issue2}.",
        f"{critic[0].upper() + critic[1:]} criticized the agreement.",
        f"{friend[0].upper() + friend[1:]} welcomed the talks between {a} and {b}.",
        f"{lead_b} said {b} would invest in {issue} projects in {a}.",
        f"Officials from {a} and {b} will meet again in {cap_b} next month.",
        f"{a} and {b} agreed to expand cooperation on {issue2}.",
        f"{critic[0].upper() + critic[1:]} warned that the deal could harm regional stability.",
        f"{lead_a} thanked {lead_b} for the visit.",
        f"The {issue} agreement covers investment, research and joint projects.",
    ]
    rng.shuffle(pool)
    body = pool[: 4 + i % 7]
    paragraphs = [f"{cap_a.upper()}, {day:%B} {day.day}, {day.year} — {title_a} {lead_a} of {a} met "
                  f"{title_b} {lead_b} of {b} in {cap_a} on Monday. The two leaders signed an agreement "
                  f"on {issue}."]
    paragraphs += [" ".join(body[j:j + 2]) for j in range(0, len(body), 2)]
    return f"{a} and {b} Sign {issue.title()} Agreement\n\n" + "\n\n".join(paragraphs) + "\n"


def write_news(folder: Path, count: int, start: int = 0) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for i in range(start, start + count):
        path = folder / f"news-{i:03d}.txt"
        path.write_text(news_article(i), encoding="utf-8")
        paths.append(path)
    return paths


# ----------------------------------------------------------------------------- helpers


def kg(*args: str, env: dict[str, str] | None = None) -> Result:
    """``kg ARGS`` in-process (stderr apart from stdout)."""
    return CliRunner().invoke(main, list(args), env=env, catch_exceptions=True, prog_name="kg")


def assert_ok(result: Result) -> None:
    assert result.exit_code == 0, f"exit {result.exit_code}\nstdout: {result.stdout}\nstderr: {result.stderr}"
    assert "Traceback" not in result.output


def error_lines(result: Result) -> list[str]:
    return [line for line in result.stderr.splitlines() if line.startswith("Error:")]


def article_graphs(store: Store | Path | str) -> dict[str, rdflib.Graph]:
    """Each article graph of a store, without its ingest-time triple (which differs per run)."""
    if isinstance(store, Store):
        ds = store.to_dataset()
    else:
        with open_store(store, read_only=True) as st:
            ds = st.to_dataset()
    out = {}
    for g in ds.graphs():
        if g.identifier == rdflib.graph.DATASET_DEFAULT_GRAPH_ID or not len(g):
            continue
        clean = rdflib.Graph()
        for t in g:
            if t[1] != PROV_TIME:
                clean.add(t)
        out[str(g.identifier)] = clean
    return out


def assert_same_graphs(left: dict[str, rdflib.Graph], right: dict[str, rdflib.Graph]) -> None:
    assert sorted(left) == sorted(right)
    for iri in left:
        assert isomorphic(left[iri], right[iri]), f"{iri}: graphs differ"


def graph_sizes(location: Path) -> dict[str, int]:
    """Triples per article graph of a store folder (read-only: works while another process writes)."""
    import pyoxigraph as ox

    with open_store(location, read_only=True) as st:
        assert isinstance(st, EmbeddedStore)
        return {g.value: sum(1 for _ in st.oxigraph.quads_for_pattern(None, None, None, g))
                for g in st.oxigraph.named_graphs() if isinstance(g, ox.NamedNode)}


def stored_count(location: Path) -> int:
    """Articles in a store another process is writing (0 while it does not exist yet)."""
    try:
        with open_store(location, read_only=True) as st:
            assert isinstance(st, EmbeddedStore)
            return sum(1 for _ in st.oxigraph.named_graphs())
    except StoreError:
        return 0


def start_kg(*args: str, stderr: Path, env: dict[str, str] | None = None) -> subprocess.Popen[bytes]:
    """``python -m kg.cli ARGS`` in a new process group (so workers can be signalled with it)."""
    with open(stderr, "wb") as err:
        return subprocess.Popen([sys.executable, "-m", "kg.cli", *args], stdin=subprocess.DEVNULL,
                                stdout=subprocess.DEVNULL, stderr=err, start_new_session=True,
                                env={**os.environ, **(env or {})})


def wait_for(condition: Callable[[], bool], proc: subprocess.Popen[bytes], what: str,
             timeout: float = 90.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if proc.poll() is not None:
            pytest.fail(f"kg exited ({proc.returncode}) before {what}")
        if time.monotonic() > deadline:
            os.killpg(proc.pid, signal.SIGKILL)
            pytest.fail(f"timed out waiting for {what}")
        time.sleep(0.02)


def _proc_stat(pid: str) -> tuple[str, int, int] | None:
    """(state, ppid, pgrp) of a process from /proc."""
    try:
        text = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    fields = text.rsplit(")", 1)[1].split()
    return fields[0], int(fields[1]), int(fields[2])


def live_processes(*, group: int | None = None, parent: int | None = None) -> list[int]:
    """Live (not zombie) processes of a process group, or children of a process."""
    out = []
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        stat = _proc_stat(entry)
        if stat is None or stat[0] in "ZX":
            continue
        if (group is not None and stat[2] == group) or (parent is not None and stat[1] == parent):
            out.append(int(entry))
    return out


def wait_gone(group: int, timeout: float = 15.0) -> None:
    deadline = time.monotonic() + timeout
    while live_processes(group=group):
        if time.monotonic() > deadline:
            os.killpg(group, signal.SIGKILL)
            pytest.fail(f"processes of group {group} still alive: {live_processes(group=group)}")
        time.sleep(0.05)


def sha256_of(path: Path) -> str:
    from kg.reader import read_document

    return read_document(str(path)).sha256


# ----------------------------------------------------------------------------- fixtures


@pytest.fixture
def news(tmp_path: Path) -> Path:
    """Eight generated articles in a folder."""
    folder = tmp_path / "news"
    write_news(folder, 8)
    return folder


@pytest.fixture(scope="module")
def news30(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Thirty generated articles (read-only: shared by the interruption tests)."""
    folder = tmp_path_factory.mktemp("news30") / "news"
    write_news(folder, 30)
    return folder


@pytest.fixture(scope="module")
def reference30(news30: Path) -> dict[str, int]:
    """Triples per article graph when each article alone is ingested into a fresh store."""
    sizes = {}
    for path in sorted(news30.iterdir()):
        store = EmbeddedStore.in_memory()
        report = ingest([str(path)], store)
        assert len(report.done) == 1
        [iri] = [g.value for g in store.oxigraph.named_graphs()]
        sizes[iri] = len(store.oxigraph)
    assert all(n > 40 for n in sizes.values()), sizes  # extraction did find things
    return sizes


# ----------------------------------------------------------------------------- parallel == serial


def test_workers_1_and_2_store_the_same_graphs(tmp_path: Path, news: Path) -> None:
    (news / "empty.txt").write_text("", encoding="utf-8")
    (news / "photo.txt").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x10")
    one = ingest([str(news)], tmp_path / "one", workers=1)
    two = ingest([str(news)], tmp_path / "two", workers=2, batch_size=2)
    for report in (one, two):
        assert len(report.done) == 8 and report.relations > 0
        assert [Path(n).name for n, _ in report.skipped] == ["empty.txt"]
        assert [Path(n).name for n, _ in report.failed] == ["photo.txt"]
    assert sorted(one.done) == sorted(two.done)
    assert (one.entities, one.relations) == (two.entities, two.relations)
    graphs = article_graphs(tmp_path / "one")
    assert len(graphs) == 8
    assert_same_graphs(graphs, article_graphs(tmp_path / "two"))


def test_rerun_skips_unchanged_replaces_changed_and_adds_new(tmp_path: Path, news: Path) -> None:
    store = tmp_path / "store"
    first = ingest([str(news), str(news / "news-000.txt")], store, workers=2, batch_size=2)
    assert len(first.done) == 8 and first.ok
    assert first.unchanged == [str(news / "news-000.txt")]  # the same file twice in one run: once
    assert first.seconds > 0 and first.rate > 0

    second = ingest([str(news)], store, workers=2, batch_size=2)
    assert second.done == [] and len(second.unchanged) == 8

    changed = news / "news-003.txt"
    changed.write_text(changed.read_text(encoding="utf-8") + "\nRussia condemned the agreement.\n",
                       encoding="utf-8")
    added = write_news(news, 1, start=40)[0]
    third = ingest([str(news)], store, workers=2, batch_size=1)
    assert sorted(third.done) == sorted([str(changed), str(added)])
    assert len(third.unchanged) == 7 and third.ok

    graphs = article_graphs(store)
    assert len(graphs) == 9
    fresh = EmbeddedStore.in_memory()
    ingest([str(changed), str(added)], fresh)
    for iri, graph in article_graphs(fresh).items():
        assert isomorphic(graphs[iri], graph)  # the changed article's old graph is gone
    with open_store(store, read_only=True) as st:
        hashes = {a.source: a.sha256 for a in st.articles()}
    assert hashes[str(changed.resolve())] == sha256_of(changed)


@pytest.mark.parametrize("workers", ["1", "2"])
def test_one_bad_article_fails_alone(tmp_path: Path, news: Path, workers: str) -> None:
    # read by the reader, refused by spaCy (over nlp.max_length): fails inside the worker
    (news / "huge.txt").write_text("Huge Report\n\n" + " ".join(
        f"Country{i % 7} backed the plan" for i in range(45_000)) + ".\n", encoding="utf-8")
    (news / "archive.txt").write_bytes(b"PK\x03\x04\x14\x00\x00\x00\x08\x00binary")  # the reader refuses it
    store = tmp_path / "store"
    result = kg("ingest", "--store", str(store), "--workers", workers, "--batch-size", "3", str(news))
    assert result.exit_code == 1, result.output
    assert "Traceback" not in result.output
    errors = error_lines(result)
    assert len(errors) == 2, result.stderr
    assert any("huge.txt" in e and "extraction failed" in e for e in errors)
    assert any("archive.txt" in e and "binary" in e for e in errors)
    assert "8 article(s) ingested" in result.stderr and "2 failed" in result.stderr
    assert len(graph_sizes(store)) == 8


# ----------------------------------------------------------------------------- no store for nothing


@pytest.mark.parametrize(("name", "content", "code"), [
    ("image.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x01\x00", 1),
    ("archive.txt", b"PK\x03\x04\x14\x00\x00\x00\x08\x00binary", 1),
    ("empty.txt", b"", 0),
    ("blank.md", b"   \n\n\t\n", 0),
])
def test_nothing_to_write_creates_no_store(tmp_path: Path, name: str, content: bytes, code: int) -> None:
    article = tmp_path / name
    article.write_bytes(content)
    store = tmp_path / "new-store"
    result = kg("ingest", "--store", str(store), str(article))
    assert result.exit_code == code, result.output
    assert "Traceback" not in result.output
    assert not store.exists()
    empty = tmp_path / "empty-folder"
    empty.mkdir()
    result = kg("ingest", "--store", str(empty), "--workers", "2", str(article))
    assert result.exit_code == code, result.output
    assert list(empty.iterdir()) == []  # an empty folder stays empty


def test_store_is_created_for_the_first_article(tmp_path: Path, news: Path) -> None:
    (news / "image.txt").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
    store = tmp_path / "a" / "new-store"
    assert needs_creation(store)
    result = kg("ingest", "--store", str(store), str(news / "image.txt"), str(news / "news-001.txt"))
    assert result.exit_code == 1 and len(error_lines(result)) == 1
    assert (store / "geokg-store.json").is_file() and not needs_creation(store)
    assert len(graph_sizes(store)) == 1


def test_missing_model_in_workers_is_one_clean_error(tmp_path: Path, news: Path) -> None:
    store = tmp_path / "store"
    result = kg("ingest", "--store", str(store), "--workers", "2", "--batch-size", "1", str(news),
                env={"KG_SPACY_MODEL": "no_such_model_xyz"})
    assert result.exit_code == 1, result.output
    assert "Traceback" not in result.output
    [error] = error_lines(result)
    assert "no_such_model_xyz" in error
    assert not store.exists()


def test_workers_option(tmp_path: Path, news: Path) -> None:
    bad = kg("ingest", "--store", str(tmp_path / "s"), "--workers", "many", str(news))
    assert bad.exit_code == 2 and "many" in bad.stderr
    result = kg("ingest", "--store", str(tmp_path / "s"), "--workers", "auto", str(news / "news-000.txt"))
    assert_ok(result)


# ----------------------------------------------------------------------------- progress


def test_summary_has_elapsed_time_and_rate(tmp_path: Path, news: Path) -> None:
    result = kg("ingest", "--store", str(tmp_path / "store"), str(news))
    assert_ok(result)
    assert "Ingesting" in result.stderr  # the progress bar's label (stderr is not a terminal here)
    [summary] = [line for line in result.stderr.splitlines() if "ingested into" in line]
    assert summary.startswith("8 article(s) ingested into")
    seconds, rate = summary.rsplit(" in ", 1)[1].split(" s (")
    assert float(seconds) > 0 and float(rate.split()[0]) > 0 and rate.endswith("articles/s)")


@pytest.mark.skipif(sys.platform == "win32", reason="needs a pseudo-terminal")
def test_progress_bar_on_a_terminal_shows_articles_per_second(tmp_path: Path) -> None:
    import pty
    import select

    folder = tmp_path / "news"
    write_news(folder, 3)
    leader, follower = pty.openpty()
    proc = subprocess.Popen([sys.executable, "-m", "kg.cli", "ingest", "--store", str(tmp_path / "store"),
                             str(folder)], stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                            stderr=follower, env={**os.environ, "COLUMNS": "160"})
    os.close(follower)
    out = b""
    try:
        while True:
            ready, _, _ = select.select([leader], [], [], 0.5)
            if ready:
                try:
                    chunk = os.read(leader, 4096)
                except OSError:  # the terminal closed with the process
                    break
                if not chunk:
                    break
                out += chunk
            elif proc.poll() is not None:
                break
    finally:
        os.close(leader)
        proc.wait(timeout=60)
    text = out.decode("utf-8", "replace")
    assert proc.returncode == 0, text
    assert "3/3" in text and "articles/s  news-" in text
    assert "3 article(s) ingested" in text and "articles/s)" in text


# ----------------------------------------------------------------------------- server stores


@pytest.mark.parametrize(("url", "query", "update", "gsp"), [
    ("fuseki+http://127.0.0.1:9/ds", "http://127.0.0.1:9/ds/query", "http://127.0.0.1:9/ds/update",
     "http://127.0.0.1:9/ds/data"),
    ("fuseki+https://h.example/ds/", "https://h.example/ds/query", "https://h.example/ds/update",
     "https://h.example/ds/data"),
    ("http://127.0.0.1:9/ds#fuseki", "http://127.0.0.1:9/ds/query", "http://127.0.0.1:9/ds/update",
     "http://127.0.0.1:9/ds/data"),
    ("oxigraph+http://127.0.0.1:9", "http://127.0.0.1:9/query", "http://127.0.0.1:9/update",
     "http://127.0.0.1:9/store"),
])
def test_open_store_takes_every_remote_url(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, url: str,
                                           query: str, update: str, gsp: str) -> None:
    from kg.remote import RemoteStore

    for var in ("KG_REMOTE_KIND", "KG_REMOTE_CONFIG", "KG_REMOTE_QUERY", "KG_REMOTE_UPDATE", "KG_REMOTE_GSP"):
        monkeypatch.delenv(var, raising=False)
    monkeypatch.chdir(tmp_path)
    store = open_store(url, create=True)  # no request is made; nothing is created on disk
    assert isinstance(store, RemoteStore)
    assert (store.endpoints.query, store.endpoints.update, store.endpoints.gsp) == (query, update, gsp)
    assert not needs_creation(url)
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("location", [
    "http://h", "HTTPS://h/x", "fuseki+http://h/ds", "graphdb+https://h/repositories/x", "ftp://h/x",
    ".geokg", "http:/h", "store+http", "file:///tmp/kg", "news+kg/http://x",
])
def test_open_store_agrees_with_is_remote(location: str) -> None:
    from kg.remote import is_remote
    from kg.store import _is_url

    assert _is_url(location) == is_remote(location)


@pytest.mark.server
@pytest.mark.slow
def test_ingest_into_a_server_with_workers(tmp_path: Path, news: Path, oxigraph_url: str) -> None:
    from kg.remote import RemoteStore

    result = kg("ingest", "--store", oxigraph_url, "--workers", "2", "--batch-size", "2", str(news))
    assert_ok(result)
    assert "8 article(s) ingested" in result.stderr
    local = tmp_path / "local"
    ingest([str(news)], local, workers=1)
    remote = RemoteStore.from_url(oxigraph_url)
    assert_same_graphs(article_graphs(remote), article_graphs(local))
    again = kg("ingest", "--store", oxigraph_url, "--workers", "2", str(news))
    assert_ok(again)
    assert "0 article(s) ingested" in again.stderr and "8 unchanged" in again.stderr
    assert len(remote.articles()) == 8


# ----------------------------------------------------------------------------- interruptions


def assert_whole(store: Path, reference: dict[str, int], folder: Path) -> None:
    """Every article in ``store`` exactly once, whole: one article node, one hash, all its triples."""
    sizes = graph_sizes(store)
    assert set(sizes) <= set(reference)
    for iri, n in sizes.items():
        assert n == reference[iri], f"{iri}: {n} triples, a clean ingest gives {reference[iri]}"
    hashes = {sha256_of(p) for p in folder.iterdir()}
    with open_store(store, read_only=True) as st:
        for iri in sizes:
            rows = st.query(f"SELECT ?a ?h WHERE {{ GRAPH <{iri}> {{ ?a a gkg:Article ; gkg:sha256 ?h }} }}"
                            ).rows
            assert len(rows) == 1 and str(rows[0][0]) == iri and str(rows[0][1]) in hashes


@POSIX_PROC
@pytest.mark.slow
@pytest.mark.parametrize("workers", [1, 2])
def test_sigkill_leaves_whole_articles_and_a_rerun_completes(
        tmp_path: Path, news30: Path, reference30: dict[str, int], workers: int) -> None:
    store = tmp_path / "store"
    proc = start_kg("ingest", "--store", str(store), "--workers", str(workers), "--batch-size", "2",
                    str(news30), stderr=tmp_path / "stderr")
    wait_for(lambda: stored_count(store) >= 3, proc, "three articles were stored")
    os.killpg(proc.pid, signal.SIGKILL)  # the parent and its workers, mid-run
    proc.wait(timeout=30)
    wait_gone(proc.pid)
    kept = len(graph_sizes(store))
    assert 3 <= kept < 30, "the run was not interrupted"
    assert_whole(store, reference30, news30)
    open_store(store).close()  # the lock died with the writer

    result = kg("ingest", "--store", str(store), "--workers", str(workers), "--batch-size", "2", str(news30))
    assert_ok(result)
    assert f"{30 - kept} article(s) ingested" in result.stderr and f"{kept} unchanged" in result.stderr
    assert graph_sizes(store) == reference30
    assert_whole(store, reference30, news30)


@POSIX_PROC
@pytest.mark.slow
@pytest.mark.parametrize("how", ["ctrl-c", "sigterm"])
def test_ctrl_c_stops_the_workers_and_keeps_whole_articles(tmp_path: Path, news30: Path,
                                                          reference30: dict[str, int], how: str) -> None:
    store = tmp_path / "store"
    stderr = tmp_path / "stderr"
    proc = start_kg("ingest", "--store", str(store), "--workers", "2", "--batch-size", "2", str(news30),
                    stderr=stderr)
    wait_for(lambda: stored_count(store) >= 4, proc, "four articles were stored")
    if how == "ctrl-c":
        os.killpg(proc.pid, signal.SIGINT)  # what a terminal sends to the whole group on Ctrl-C
    else:
        os.kill(proc.pid, signal.SIGTERM)  # `kill PID`, a service manager: the parent alone
    assert proc.wait(timeout=60) == 130, stderr.read_text()
    wait_gone(proc.pid, timeout=10)  # the workers were stopped, not left behind
    text = stderr.read_text()
    assert "Traceback" not in text
    assert "Interrupted:" in text and "run the command again" in text
    kept = len(graph_sizes(store))
    assert f"Interrupted: {kept} article(s) ingested" in text  # every article written was reported
    assert 4 <= kept < 30
    assert_whole(store, reference30, news30)
    open_store(store).close()


@POSIX_PROC
@pytest.mark.slow
def test_a_worker_killed_mid_run_loses_no_article(tmp_path: Path, news30: Path,
                                                  reference30: dict[str, int]) -> None:
    store = tmp_path / "store"
    stderr = tmp_path / "stderr"
    proc = start_kg("ingest", "--store", str(store), "--workers", "2", "--batch-size", "2", str(news30),
                    stderr=stderr)
    wait_for(lambda: stored_count(store) >= 2, proc, "two articles were stored")

    def worker_pids() -> list[int]:
        out = []
        for pid in live_processes(parent=proc.pid):
            try:
                cmdline = Path(f"/proc/{pid}/cmdline").read_bytes()
            except OSError:
                continue
            if b"spawn_main" in cmdline:
                out.append(pid)
        return out

    victims = worker_pids()
    assert victims, "no worker process found"
    os.kill(victims[0], signal.SIGKILL)  # e.g. the out-of-memory killer
    assert proc.wait(timeout=120) == 0, stderr.read_text()
    assert "30 article(s) ingested" in stderr.read_text()
    assert graph_sizes(store) == reference30
    wait_gone(proc.pid, timeout=10)


def test_a_worker_leaves_when_its_parent_is_gone(tmp_path: Path) -> None:
    """A worker whose parent was killed (no chance to stop it) exits by itself; a worker that
    cannot load the model keeps the message for the parent instead of dying."""
    script = textwrap.dedent("""
        import os, time
        from kg.pipeline import _init_worker, _WORKER
        _init_worker(os.getppid())
        print("error:", _WORKER.get("error"), flush=True)
        time.sleep(1.5)
        print("still here", flush=True)
        os.getppid = lambda: 1  # as if the parent died and the worker was re-parented
        time.sleep(30)
        print("not reached", flush=True)
    """)
    started = time.monotonic()
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=60,
                          env={**os.environ, "KG_SPACY_MODEL": "no_such_model_xyz"})
    assert done.returncode == 1, done.stderr
    assert "no_such_model_xyz" in done.stdout and "still here" in done.stdout
    assert "not reached" not in done.stdout
    assert time.monotonic() - started < 30


# ----------------------------------------------------------------------------- metadata by date


def test_articles_are_queryable_by_date(tmp_path: Path) -> None:
    folder = tmp_path / "news"
    paths = write_news(folder, 12)  # one a week from 6 January 2025
    store = tmp_path / "store"
    before = dt.datetime.now(dt.UTC).replace(microsecond=0)
    assert_ok(kg("ingest", "--store", str(store), str(folder)))
    query = """
        SELECT ?title ?date ?place ?source WHERE {
          ?a a gkg:Article ; dcterms:title ?title ; dcterms:date ?date ;
             gkg:datelinePlace ?place ; dcterms:source ?source .
          FILTER(?date >= "2025-03-01"^^xsd:date && ?date < "2025-04-01"^^xsd:date)
        } ORDER BY ?date"""
    result = kg("query", "--store", str(store), "--format", "json", query)
    assert_ok(result)
    rows = json.loads(result.stdout)["results"]["bindings"]
    march = [i for i in range(12) if article_date(i).month == 3]
    assert [r["date"]["value"] for r in rows] == [article_date(i).isoformat() for i in march]
    assert all(r["date"]["datatype"].endswith("#date") for r in rows)
    assert [Path(r["source"]["value"]).name for r in rows] == [paths[i].name for i in march]
    for row, i in zip(rows, march, strict=True):
        headline, dateline = news_article(i).split("\n\n")[:2]
        assert row["title"]["value"] == headline
        assert dateline.startswith(row["place"]["value"] + ",")

    # every article: one title, date, dateline place, source path, content hash and ingest time
    meta = kg("query", "--store", str(store), "--format", "json", """
        SELECT ?a (COUNT(DISTINCT ?t) AS ?titles) (COUNT(DISTINCT ?d) AS ?dates)
               (COUNT(DISTINCT ?p) AS ?places) (COUNT(DISTINCT ?s) AS ?sources)
               (COUNT(DISTINCT ?h) AS ?hashes) (SAMPLE(?when) AS ?ingested) (SAMPLE(?h) AS ?hash)
               (SAMPLE(?s) AS ?source)
        WHERE { ?a a gkg:Article ; dcterms:title ?t ; dcterms:date ?d ; gkg:datelinePlace ?p ;
                   dcterms:source ?s ; gkg:sha256 ?h ; prov:generatedAtTime ?when }
        GROUP BY ?a""")
    assert_ok(meta)
    rows = json.loads(meta.stdout)["results"]["bindings"]
    assert len(rows) == 12
    for row in rows:
        assert all(row[k]["value"] == "1" for k in ("titles", "dates", "places", "sources", "hashes"))
        when = dt.datetime.fromisoformat(row["ingested"]["value"])
        assert row["ingested"]["datatype"].endswith("#dateTime")
        assert before <= when <= dt.datetime.now(dt.UTC)
        source = Path(row["source"]["value"])
        assert source.is_absolute() and row["hash"]["value"] == sha256_of(source)


def test_ntriples_writes_replace_like_graph_writes(tmp_path: Path) -> None:
    from kg.store import graph_ntriples

    iri = "https://w3id.org/geokg/id/article/x-1"
    g = rdflib.Graph()
    g.add((rdflib.URIRef(iri), rdflib.RDF.type, GKG.Article))
    g.add((rdflib.URIRef(iri), DCT.title, rdflib.Literal('A "quoted"\ntitle', lang="en")))
    g.add((rdflib.URIRef(iri), GKG.confidence, rdflib.Literal("0.8", datatype=rdflib.XSD.decimal)))
    with open_store(tmp_path / "s", create=True) as store:
        store.replace_article_ntriples(iri, graph_ntriples(g))
        once = article_graphs(store)
        assert isomorphic(once[iri], g)
        g.remove((rdflib.URIRef(iri), GKG.confidence, None))
        store.replace_article_ntriples(iri, graph_ntriples(g))  # an existing graph: replaced
        assert isomorphic(article_graphs(store)[iri], g)
        Store.replace_article_ntriples(store, iri, graph_ntriples(g))  # the generic (rdflib) way
        assert isomorphic(article_graphs(store)[iri], g)
        with pytest.raises(StoreError, match="cannot store the graph"):
            store.replace_article_ntriples(iri, "<not n-triples")
        assert isomorphic(article_graphs(store)[iri], g)  # unchanged by the failed write
        store.replace_article_ntriples(iri, "")
        assert article_graphs(store) == {}
    bad = rdflib.Graph()
    bad.add((rdflib.URIRef("http://example.org/a b"), GKG.p, rdflib.Literal("x")))
    with pytest.raises(StoreError, match="invalid IRI"):
        graph_ntriples(bad)


def test_report_rate() -> None:
    report = IngestReport(done=["a", "b"], seconds=0.5)
    assert report.rate == 4.0
    assert IngestReport().rate == 0.0
