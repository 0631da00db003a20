"""Issue #6, "trustworthy under bad input and faults": one test (at least) per case.

Each case of the issue is listed with the tests that feed it in and assert the
behaviour: ``file::test`` names a test in ``tests/file.py``, a bare name a test
in this file (grouped by case, the case number in its name).

====  ==============================  ========================================================================
case  what                            tests
====  ==============================  ========================================================================
1     empty file: skipped, warning    test_reader::test_empty_or_whitespace_file_is_empty_input,
                                      test_cli::test_build_empty_file_is_skipped_with_a_warning,
                                      test_cli::test_ingest_empty_file_is_skipped_with_a_warning
2     binary .txt (PDF, PNG, NUL):    test_reader::test_binary_named_txt_is_refused,
      refused                         test_cli::test_build_binary_file_is_refused,
                                      test_cli::test_ingest_binary_file_is_refused,
                                      test_cli::test_installed_entry_point_refuses_binary
3     Latin-1/CP1252: decoded,        test_reader::test_cp1252_smart_quotes_decoded_with_warning,
      warning                         test_reader::test_latin1_fallback_when_not_cp1252,
                                      test_cli::test_build_non_utf8_text_is_decoded_with_a_warning,
                                      test_cli::test_ingest_non_utf8_text_is_decoded_with_a_warning
4     UTF-16, UTF-8 with BOM:         test_reader::test_utf16_and_utf32_with_bom,
      decoded                         test_reader::test_utf16_without_bom_is_sniffed,
                                      test_reader::test_utf8_with_bom,
                                      test_case4_utf16_file_through_the_cli
5     NUL, C0, U+2028, U+202E, lone   test_reader::test_control_bidi_separators_and_surrogates_removed,
      surrogates: removed or          test_reader::test_read_text_property,
      escaped; every export reads     test_case5_hostile_characters_every_format_reads_back
      back
6     HTML script, on*=,              test_reader::test_html_text_only,
      javascript:, svg: text only,    test_reader::test_markup_property,
      no markup in labels             test_view::test_hostile_text_is_escaped_everywhere,
                                      test_case6_no_markup_in_any_label
7     over the size cap: refused      test_reader::test_size_cap_checked_before_reading,
      before reading                  test_reader::test_env_max_bytes_units_and_bad_value,
                                      test_case7_cli_refuses_a_file_over_the_cap
8     pathological HTML: bounded      test_reader::test_pathological_html_is_bounded,
      time                            test_reader::test_markdown_pathological_emphasis_is_bounded,
                                      test_fuzz.py (mutations repeat markup)
9     names with quotes, <>, \\,      test_reader::test_odd_file_names_preserved,
      newlines, emoji: literals       test_case9_odd_names_literals_exact_iris_safe,
      exact, IRIs safe                test_case9_odd_labels_survive_store_and_every_format
10    same article twice: idempotent  test_cli::test_reingest_is_idempotent,
                                      test_pipeline::test_ingest_api_is_idempotent_and_reports,
                                      test_store::test_reingest_replaces_without_duplicates,
                                      test_case10_same_article_twice_in_one_run
11    symlink loops, FIFOs, devices:  test_reader::test_walk_regular_files_inside_root_only,
      regular files inside the root   test_reader::test_fifo_refused_without_blocking,
      only                            test_case11_devices_sockets_and_outside_links_skipped
12    mistyped store path, read       test_cli::test_read_command_on_missing_store_creates_nothing,
      command: error, no new store    test_store::test_missing_store_is_an_error_and_nothing_is_created,
                                      test_sparql::test_cli_query_missing_store_creates_nothing,
                                      test_cli::test_installed_entry_point_version_and_errors
13    store path a file or a foreign  test_store::test_path_that_is_a_file_is_refused,
      folder: refused                 test_store::test_unrelated_folder_is_refused,
                                      test_cli::test_ingest_refuses_a_folder_that_is_not_a_store,
                                      test_case13_file_or_foreign_folder_refused_by_every_command
14    output = input, store,          test_cli::test_build_output_equal_to_input_is_refused,
      existing export: refused        test_cli::test_export_into_the_store_folder_is_refused,
      unless --force; temp file +     test_cli::test_export_keeps_an_existing_file_without_force,
      rename                          test_export::test_refuses_the_store_folder_and_inside_it,
                                      test_export::test_refuses_to_overwrite_without_force,
                                      test_export::test_failed_export_keeps_existing_file_and_leaves_no_temp,
                                      test_export::test_atomic_write_text_and_failure,
                                      test_view::test_write_html_is_atomic_and_refuses_to_overwrite,
                                      test_case14_export_through_a_symlink_into_the_store,
                                      test_case14_view_into_the_store_folder,
                                      test_case14_view_over_its_own_input
15    store locked by another         test_store::test_locked_store_gives_a_clear_message,
      writer: clear message naming    test_store::test_read_only_open_works_while_another_process_writes,
      the cause                       test_case15_second_kg_process_is_told_the_store_is_locked
16    read-only filesystem: reads     test_store::test_read_only_open_leaves_the_folder_untouched,
      work, writes fail cleanly       test_case16_read_only_fs_reads_work_writes_fail
17    disk full in ingest/export:     test_export::test_disk_full_keeps_existing_file,
      whole articles, previous        test_case17_disk_full_whole_articles_and_export_intact
      export intact
18    SIGKILL mid-ingest              tests/test_ingest.py (written by another engineer)
19    SPARQL syntax error: line and   test_sparql::test_syntax_error_reports_line_and_column,
      column                          test_cli::test_malformed_query_reports_line_and_column,
                                      test_server::test_syntax_error_is_400_with_line_and_column
20    updates via kg query / kg       test_sparql::test_updates_are_refused,
      serve: refused                  test_cli::test_update_sent_to_query_is_refused,
                                      test_server::test_updates_are_refused_with_403,
                                      test_server::test_update_in_get_is_refused
21    SERVICE, LOAD <file:…>:         test_sparql::test_service_is_refused_before_evaluation,
      refused before evaluation       test_sparql::test_load_is_refused,
                                      test_cli::test_service_is_refused,
                                      test_server::test_service_and_load_are_refused_with_400,
                                      test_case21_service_never_reaches_the_network,
                                      test_case21_service_fuzz_never_reaches_the_network,
                                      test_case21_load_file_is_refused
22    cartesian product: timeout,     test_sparql::test_timeout_on_a_cartesian_product_reports_truncated,
      row cap, flagged incomplete     test_sparql::test_max_rows_truncates,
                                      test_sparql::test_cli_query_timeout_exits_3,
                                      test_sparql::test_cli_query_max_rows_exits_3,
                                      test_server::test_truncation_is_flagged_in_headers_and_json,
                                      test_server::test_timeout_is_flagged
23    values in geokg's queries       test_case23_injection_in_path_and_neighbors,
      bound as terms                  test_case23_injection_in_store_lookups,
                                      test_case23_sparql_literal_is_one_exact_term
24    imported RDF: billion laughs,   test_case24_billion_laughs_refused_in_bounded_memory,
      remote @context, truncated      test_case24_xxe_refused,
      Turtle                          test_case24_remote_jsonld_context_not_fetched,
                                      test_case24_truncated_turtle_imports_nothing,
                                      test_case24_analyze_input_is_as_safe
25    hypothesis round trip of        test_roundtrip.py (every test),
      awkward literals, every format  test_export::test_literals_survive_round_trips
26    fuzzing the reader and the      test_fuzz.py (KG_FUZZ_SECONDS),
      ingester, time budget           test_reader::test_read_bytes_only_raises_input_errors,
                                      test_reader::test_markup_property
====  ==============================  ========================================================================

Cases 16 and 17 need a filesystem that is really read-only or really full,
also for root: they mount a small tmpfs in a private mount namespace
(``unshare -m``, or ``unshare -rm`` without root); where neither works, case 16
falls back to ``chattr +i`` and case 17 to ``RLIMIT_FSIZE``, and a test is
skipped (saying why) only when no method works. ``KG_TEST_NO_MOUNT=1`` makes
them use the fallbacks, to test those too.
"""

from __future__ import annotations

import functools
import hashlib
import http.server
import json
import os
import re
import resource
import shlex
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import textwrap
import threading
import time
from pathlib import Path

import pytest
import rdflib
from click.testing import CliRunner, Result
from conftest import ARTICLE_A, ARTICLE_B, GKG, SHA_A, build_sample_dataset
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rdflib import Literal, URIRef
from rdflib import namespace as ns
from rdflib.compare import isomorphic

from kg.cli import main
from kg.errors import InputError, NotFoundError, QueryError, StoreError

REPO = Path(__file__).resolve().parents[1]
KG_CMD = [sys.executable, "-m", "kg.cli"]
EXTENSIONS = (".ttl", ".nt", ".nq", ".trig", ".jsonld")
RDFLIB_FORMAT = {".ttl": "turtle", ".nt": "nt", ".nq": "nquads", ".trig": "trig", ".jsonld": "json-ld"}

PACT = (
    "Japan Signs Minerals Pact With Australia\n\n"
    "TOKYO, March 3, 2025 — Japan and Australia signed a critical minerals agreement on Monday. "
    "Prime Minister Shigeru Ishiba of Japan praised Australia for its support. "
    "China criticized the agreement.\n"
)


# ----------------------------------------------------------------------------- helpers


def kg(*args: str, input: str | bytes | None = None, env: dict[str, str] | None = None) -> Result:
    """``kg ARGS`` in this process (spaCy loads once per test process)."""
    return CliRunner().invoke(main, list(args), input=input, env=env, catch_exceptions=True, prog_name="kg")


def run_kg(*args: str, timeout: float = 180, **kwargs) -> subprocess.CompletedProcess:
    """``kg ARGS`` as a process of its own."""
    return subprocess.run([*KG_CMD, *args], capture_output=True, text=True, timeout=timeout, **kwargs)


def assert_ok(result: Result) -> None:
    assert result.exit_code == 0, f"exit {result.exit_code}\n{result.stdout}\n{result.stderr}"
    assert "Traceback" not in result.output


def error_line(code: int, stdout: str, stderr: str, *needles: str, exit_code: int = 1) -> str:
    """The one ``Error:`` line of a clean failure (no traceback), holding every needle."""
    assert code == exit_code, f"exit {code}\nstdout: {stdout}\nstderr: {stderr}"
    assert "Traceback" not in stderr and "Traceback" not in stdout, stderr
    errors = [line for line in stderr.splitlines() if line.startswith("Error:")]
    assert len(errors) == 1, f"expected one Error: line on stderr, got:\n{stderr}"
    for needle in needles:
        assert needle.lower() in errors[0].lower(), f"{needle!r} not in {errors[0]!r}"
    return errors[0]


def assert_clean_error(result: Result | subprocess.CompletedProcess, *needles: str) -> str:
    if isinstance(result, subprocess.CompletedProcess):
        return error_line(result.returncode, result.stdout, result.stderr, *needles)
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
    return error_line(result.exit_code, result.stdout, result.stderr, *needles)


def fingerprint(path: Path) -> dict[str, tuple[str, int]]:
    """Every file under ``path`` (or the file itself): content hash and mtime."""
    files = [path] if path.is_file() else sorted(p for p in path.rglob("*") if p.is_file())
    return {str(p.relative_to(path.parent)): (hashlib.sha256(p.read_bytes()).hexdigest(),
                                               p.stat().st_mtime_ns) for p in files}


def make_sample_store(path: Path) -> Path:
    """A store holding conftest's two hand-built articles (no spaCy needed)."""
    from kg.store import open_store

    with open_store(path, create=True) as store:
        for g in build_sample_dataset().graphs():
            if g.identifier != rdflib.graph.DATASET_DEFAULT_GRAPH_ID and len(g):
                store.replace_article(str(g.identifier), g)
    return path


def store_graphs(path: Path) -> dict[str, rdflib.Graph]:
    """Each article graph of a store (opened read-only), with its triples."""
    from kg.store import open_store

    with open_store(path, read_only=True) as store:
        ds = store.to_dataset()
    out = {}
    for g in ds.graphs():
        if g.identifier != rdflib.graph.DATASET_DEFAULT_GRAPH_ID and len(g):
            out[str(g.identifier)] = rdflib.Graph()
            for t in g:
                out[str(g.identifier)].add(t)
    return out


def build_every_format(article: Path, stem: Path) -> dict[str, rdflib.Graph]:
    """`kg build ARTICLE -o STEM.<ext>` for every build format, each parsed back."""
    graphs = {}
    for ext in EXTENSIONS:
        out = stem.with_name(stem.name + ext)
        assert_ok(kg("build", str(article), "-o", str(out)))
        graphs[ext] = parse_union(out)
    return graphs


def parse_union(path: Path, suffix: str | None = None) -> rdflib.Graph:
    fmt = RDFLIB_FORMAT[suffix or path.suffix]
    ds = rdflib.Dataset()
    ds.parse(path, format=fmt)
    union = rdflib.Graph()
    for s, p, o, _ in ds.quads((None, None, None, None)):
        union.add((s, p, o))
    return union


def literals(g: rdflib.Graph) -> list[tuple[URIRef, Literal]]:
    return [(p, o) for _, p, o in g if isinstance(o, Literal)]


class Recorder(http.server.ThreadingHTTPServer):
    """A local HTTP server that records every request (and answers 404)."""

    daemon_threads = True

    def __init__(self) -> None:
        self.requests: list[str] = []
        recorder = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_GET(self) -> None:  # noqa: N802 - stdlib name
                recorder.requests.append(f"{self.command} {self.path}")
                self.send_response(404)
                self.send_header("Content-Length", "0")
                self.end_headers()

            do_POST = do_HEAD = do_GET  # noqa: N815

            def log_message(self, *args) -> None:
                pass

        super().__init__(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server_address[1]}"


@pytest.fixture
def recorder():
    server = Recorder()
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield server
    finally:
        server.shutdown()
        server.server_close()


# ----------------------------------------------------------------------------- read-only and full filesystems


@functools.lru_cache(maxsize=1)
def private_mount_prefix() -> tuple[str, ...] | None:
    """A command prefix that runs a program in a mount namespace of its own, where it may
    mount a tmpfs: ``unshare -m`` (root) or ``unshare -rm`` (user namespace). None when
    neither works here. The mounts vanish with the program; the host never sees them."""
    unshare, mount = shutil.which("unshare"), shutil.which("mount")
    if not unshare or not mount or os.environ.get("KG_TEST_NO_MOUNT"):  # the env var tries the fallbacks
        return None
    with tempfile.TemporaryDirectory() as folder:
        where = shlex.quote(folder)
        probe = (f"mount -t tmpfs -o size=1m tmpfs {where} && mount -o remount,ro {where} "
                 f"&& ! touch {where}/probe 2>/dev/null")
        for prefix in ((unshare, "-m"), (unshare, "-rm")):
            try:
                done = subprocess.run([*prefix, "sh", "-c", probe], capture_output=True, timeout=30)
            except (OSError, subprocess.SubprocessError):
                continue
            if done.returncode == 0:
                return prefix
    return None


def chattr_works(folder: Path) -> bool:
    """``chattr +i`` makes a file unwritable even for root (ext2/3/4, xfs, btrfs...)."""
    chattr = shutil.which("chattr")
    if not chattr:
        return False
    probe = folder / "chattr-probe"
    probe.write_text("x")
    try:
        if subprocess.run([chattr, "+i", str(probe)], capture_output=True).returncode != 0:
            return False
        try:
            probe.write_text("y")
        except PermissionError:
            return True
        return False
    finally:
        subprocess.run([chattr, "-i", str(probe)], capture_output=True)
        probe.unlink(missing_ok=True)


# Runs inside the private mount namespace (or directly, for chattr): sets up the
# filesystem, runs `kg` commands, and prints what happened as JSON.
FS_DRIVER = textwrap.dedent(r"""
    import hashlib, json, os, shutil, subprocess, sys
    spec = json.loads(sys.argv[1])
    mnt = spec["mnt"]

    def sh(*cmd):
        subprocess.run(cmd, check=True, capture_output=True)

    def listing():
        out = {}
        for folder, _, files in os.walk(mnt):
            for name in files:
                path = os.path.join(folder, name)
                with open(path, "rb") as fh:
                    out[os.path.relpath(path, mnt)] = hashlib.sha256(fh.read()).hexdigest()
        return out

    if spec["mode"] == "mount":
        sh("mount", "-t", "tmpfs", "-o", "size=" + spec["size"], "tmpfs", mnt)
    for src, name in spec.get("copy", []):
        shutil.copytree(src, os.path.join(mnt, name))
    for name, text in spec.get("files", {}).items():
        with open(os.path.join(mnt, name), "w", encoding="utf-8") as fh:
            fh.write(text)
    if spec.get("read_only"):
        if spec["mode"] == "mount":
            sh("mount", "-o", "remount,ro", mnt)
        else:
            sh("chattr", "-R", "+i", mnt)
    result = {"before": listing(), "runs": []}
    try:
        for args in spec["runs"]:
            args = [a.replace("{mnt}", mnt) for a in args]
            done = subprocess.run(spec["kg"] + args, capture_output=True, text=True, timeout=300,
                                  cwd=spec["cwd"])
            result["runs"].append({"args": args, "code": done.returncode, "stdout": done.stdout,
                                   "stderr": done.stderr})
        result["after"] = listing()
        for name, dest in spec.get("save", []):
            if os.path.exists(os.path.join(mnt, name)):
                shutil.copytree(os.path.join(mnt, name), dest)
    finally:
        if spec["mode"] == "chattr" and spec.get("read_only"):
            sh("chattr", "-R", "-i", mnt)
    print(json.dumps(result))
""")


def run_on_fs(mode: str, spec: dict) -> dict:
    """Run FS_DRIVER with ``spec`` in a private mount namespace (mode "mount") or directly."""
    spec = {"kg": KG_CMD, "mode": mode, **spec}
    prefix = list(private_mount_prefix() or ()) if mode == "mount" else []
    done = subprocess.run([*prefix, sys.executable, "-c", FS_DRIVER, json.dumps(spec)],
                          capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


# ============================================================================= case 4


def test_case4_utf16_file_through_the_cli(tmp_path):
    """A UTF-16 file (with BOM) and a UTF-8 file with BOM give the same graph as plain UTF-8."""
    plain = tmp_path / "plain.txt"
    plain.write_text(PACT, encoding="utf-8")
    utf16 = tmp_path / "utf16.txt"
    utf16.write_bytes(PACT.encode("utf-16"))  # with a BOM
    bom8 = tmp_path / "bom8.txt"
    bom8.write_bytes(b"\xef\xbb\xbf" + PACT.encode("utf-8"))
    graphs = {}
    for path in (plain, utf16, bom8):
        out = tmp_path / f"{path.stem}.nt"
        result = kg("build", str(path), "-o", str(out))
        assert_ok(result)
        assert "Warning" not in result.stderr
        g = rdflib.Graph().parse(out, format="nt")
        article = str(next(g.subjects(ns.RDF.type, GKG.Article)))

        def same(term, article=article):
            # the article IRI comes from the file name, and statement IRIs hash keys that hold it
            if term.startswith(article + "/stmt/"):
                return rdflib.BNode(hashlib.sha1(term.encode()).hexdigest())
            return URIRef("urn:x:article" + term[len(article):]) if term.startswith(article) else term

        graphs[path] = rdflib.Graph()
        for s, p, o in g:
            if p != ns.DCTERMS.source:
                graphs[path].add((same(s), p, same(o)))
        assert (URIRef("urn:x:article"), ns.DCTERMS.title,
                Literal("Japan Signs Minerals Pact With Australia")) in graphs[path]
    assert isomorphic(graphs[plain], graphs[utf16]) and isomorphic(graphs[plain], graphs[bom8])


# ============================================================================= case 5

HOSTILE_HTML = (
    "<!doctype html><html><head><title>Japan Signs&#x202e; Pact</title></head><body><article>"
    "<h1>Japan Signs Minerals&#0; Pact With Australia&#x2028;</h1>"
    "<p>TOKYO, March 3, 2025 — Japan&#0; and Australia&#x202e; signed a critical minerals agreement"
    " on Monday.&#x2028;Prime Minister Shigeru Ishiba of Japan&#7; praised Australia&#x1b;[31m for its"
    " support.&#xD800; China&#x2066; criticized&#x7f; the&#x85; agreement&#xFEFF;.</p></article>"
    "</body></html>"
)
FORBIDDEN_IN_TEXT = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069\ufeff"
                               "\ud800-\udfff]")


def test_case5_hostile_characters_every_format_reads_back(tmp_path):
    """NUL, C0/C1 controls, U+2028, U+202E and a lone surrogate (as HTML character
    references, since raw NUL bytes make a file binary: case 2) are removed from the text;
    a file name holding a newline, an escape sequence and a byte that is not UTF-8 is kept
    exactly (the undecodable byte as ``\\udcff``). Every build and export format parses back
    to the same graph."""
    name = "odd\nname\x1b[31m\udcff.html"  # what Python makes of the bytes b"odd\nname\x1b[31m\xff.html"
    article = tmp_path / name
    article.write_text(HOSTILE_HTML, encoding="utf-8")
    built = build_every_format(article, tmp_path / "built")
    reference = built[".nt"]
    assert len(reference) > 20
    for ext, g in built.items():
        assert isomorphic(g, reference), ext
    for pred, lit in literals(reference):
        if pred == ns.DCTERMS.source:
            assert str(lit) == str(article.resolve()).replace("\udcff", "\\udcff")
        else:
            assert not FORBIDDEN_IN_TEXT.search(str(lit)), (pred, str(lit))
    title = reference.value(next(reference.subjects(ns.RDF.type, GKG.Article)), ns.DCTERMS.title)
    # (HTML itself turns the reference &#0; into U+FFFD)
    assert str(title).replace("\ufffd", "") == "Japan Signs Minerals Pact With Australia"

    # the same through a store and `kg export`
    store = tmp_path / "store"
    assert_ok(kg("ingest", "--store", str(store), str(article)))
    for ext in EXTENSIONS:
        out = tmp_path / f"exported{ext}"
        assert_ok(kg("export", "--store", str(store), "-o", str(out)))
        exported = parse_union(out)
        exported.remove((None, ns.PROV.generatedAtTime, None))
        assert isomorphic(exported, reference), ext


# ============================================================================= case 6

SCRIPTED_HTML = """<!doctype html><html><head><title>Japan <script>alert('TITLE')</script>Pact</title>
<script>var Japan = "France criticized Germany"; document.write('<p>Germany opposed Spain</p>')</script>
<style>p::after { content: "Brazil backed Chile" }</style></head>
<body onload="alert('Japan')"><article>
<h1>Japan <svg onload="alert(1)"><text>France</text></svg>Signs Pact With Australia</h1>
<p>TOKYO, March 3, 2025 — <a href="javascript:alert('Japan')" onclick="steal()">Japan</a> and
<span onmouseover="x()" style="color:red">Australia</span> signed a critical minerals agreement on Monday.
<img src="x" onerror="alert('Australia')">Prime Minister Shigeru Ishiba of Japan praised Australia for its
support. <iframe src="javascript:alert(1)">Russia opposed India</iframe>China criticized the agreement.</p>
<svg><script>alert('SVGSCRIPT')</script><a xlink:href="javascript:alert(2)"><text>Mexico backed Peru</text>
</a></svg><noscript>Canada backed Kenya</noscript>
<p><a href="JaVaScRiPt:void(0)" onfocus="y()">Egypt</a> welcomed the agreement.</p>
</article></body></html>"""
MARKUP = re.compile(r"[<>]|javascript|on(load|click|error|mouseover|focus)\b|alert\(|steal|script|svg|"
                    r"xlink|color:", re.I)


def test_case6_no_markup_in_any_label():
    """Script, style, on*= attributes, javascript: links and SVG leave no trace in any
    literal of the graph, and nothing inside them becomes an entity or a relation."""
    from kg.pipeline import build_graph
    from kg.reader import read_bytes

    doc = read_bytes(SCRIPTED_HTML.encode("utf-8"), source="article.html")
    assert doc.title == "Japan Signs Pact With Australia"
    g = build_graph(doc)
    for pred, lit in literals(g):
        if pred == ns.DCTERMS["format"]:
            continue  # "text/html"
        assert not MARKUP.search(str(lit)), (pred, str(lit))
    labels = {str(o) for o in g.objects(None, ns.RDFS.label)}
    assert {"Japan", "Australia", "China", "Egypt"} <= labels
    hidden = {"France", "Germany", "Spain", "Brazil", "Chile", "Russia", "India", "Mexico", "Peru", "Canada",
              "Kenya"}
    assert not labels & hidden, labels & hidden


# ============================================================================= case 7


def test_case7_cli_refuses_a_file_over_the_cap(tmp_path):
    small = tmp_path / "small.txt"
    small.write_text(PACT * 40)
    out = tmp_path / "small.ttl"
    line = assert_clean_error(kg("build", str(small), "-o", str(out), env={"KG_MAX_BYTES": "1KB"}),
                              "1 KB limit", "KG_MAX_BYTES")
    assert "small.txt" in line
    assert not out.exists()
    # the default cap (20 MB), on a sparse 25 MB file: refused from its size, not read
    big = tmp_path / "big.txt"
    with open(big, "wb") as fh:
        fh.truncate(25 * 1024 * 1024)
    started = time.perf_counter()
    result = kg("ingest", "--store", str(tmp_path / "store"), str(big), env={"KG_MAX_BYTES": ""})
    assert time.perf_counter() - started < 30
    assert_clean_error(result, "big.txt", "20 MB limit")


# ============================================================================= case 9

ODD_NAME = 'quo"te \'s <b>&amp; back\\slash\nnew line 😀 ünï.txt'
ODD_TEXT = ("Dublin Talks\n\nDUBLIN, March 3, 2025 — Zoë “The Hawk” O’Brien-Smith, the prime minister of "
            'Ireland, praised France. Ireland and France signed a "Green <Deal> \\ Pact" on Monday. '
            "Prime Minister Aroha Te Whiu 😀 of New Zealand backed Ireland.\n")
GEOKG_IRI = re.compile(r"https://w3id\.org/geokg/(?:ontology#[A-Za-z0-9]+|id/[a-z]+(?:/[A-Za-z0-9._-]+)+)")
STANDARD_IRI = re.compile(r"http://(?:www\.w3\.org/|purl\.org/dc/terms/)[A-Za-z0-9/#._-]+")


def test_case9_odd_names_literals_exact_iris_safe(tmp_path):
    """Quotes, <>, backslashes, newlines and emoji in a file name and in entity names:
    kept exactly in literals (dcterms:source, labels), never in an IRI."""
    article = tmp_path / ODD_NAME
    article.write_text(ODD_TEXT, encoding="utf-8")
    graphs = build_every_format(article, tmp_path / "odd")
    g = graphs[".nt"]
    for ext, other in graphs.items():
        assert isomorphic(other, g), ext
    art = next(g.subjects(ns.RDF.type, GKG.Article))
    assert str(g.value(art, ns.DCTERMS.source)) == str(article.resolve())
    for term in {t for triple in g for t in triple if isinstance(t, URIRef)}:
        assert GEOKG_IRI.fullmatch(term) or STANDARD_IRI.fullmatch(term), term
    labels = {str(o) for p in (ns.RDFS.label, ns.SKOS.altLabel) for o in g.objects(None, p)}
    assert '"Green <Deal> \\ Pact' in labels or 'Green <Deal> \\ Pact' in labels, labels
    assert any("Aroha Te Whiu" in label for label in labels)


ODD_LABELS = ['He said "hi"', "<script>x</script>", "back\\slash \\u0022", "two\nlines\r\n",
              "emoji 😀👩‍🔬 \U00010348", "tab\there", "'single' \"double\" \"\"\"triple\"\"\"",
              "a\u0301 e\u0301",
              "end with backslash \\", "# not a comment", "@en", "^^<x>"]


def test_case9_odd_labels_survive_store_and_every_format(tmp_path):
    from kg.export import EXTENSIONS as FORMATS
    from kg.export import export_graph
    from kg.model import Document, Entity, Extraction
    from kg.rdf import to_graph
    from kg.store import EmbeddedStore
    from kg.vocab import slug

    doc = Document("Some text.", source=ODD_NAME)
    entities = tuple(Entity(f"person/{slug(label)}-{i}", "Person", label, aliases=(label + " alias",))
                     for i, label in enumerate(ODD_LABELS))
    g = to_graph(Extraction(doc, entities))
    store = EmbeddedStore.in_memory()
    store.replace_article(str(next(g.subjects(ns.RDF.type, GKG.Article))), g)
    for fmt, ext in FORMATS.items():
        out = tmp_path / f"labels{ext}"
        export_graph(store, out, fmt)
        back = parse_union(out)
        assert isomorphic(back, g), fmt
        assert {str(o) for o in back.objects(None, ns.RDFS.label)} == set(ODD_LABELS)
        for term in {t for triple in back for t in triple if isinstance(t, URIRef)}:
            assert GEOKG_IRI.fullmatch(term) or STANDARD_IRI.fullmatch(term), term


# ============================================================================= case 10


def test_case10_same_article_twice_in_one_run(tmp_path):
    """The same file named twice, and again through its folder and a symlink: one article."""
    folder = tmp_path / "news"
    folder.mkdir()
    article = folder / "pact.txt"
    article.write_text(PACT)
    os.symlink(article, folder / "alias.txt")
    once = tmp_path / "once"
    assert_ok(kg("ingest", "--store", str(once), str(article)))
    twice = tmp_path / "twice"
    result = kg("ingest", "--store", str(twice), str(article), str(article), str(folder))
    assert_ok(result)
    a, b = store_graphs(once), store_graphs(twice)
    assert list(a) == list(b) and len(b) == 1
    for graph in (*a.values(), *b.values()):
        graph.remove((None, ns.PROV.generatedAtTime, None))
    assert isomorphic(next(iter(a.values())), next(iter(b.values())))
    again = kg("ingest", "--store", str(twice), str(folder))
    assert_ok(again)
    assert "unchanged" in again.stderr
    assert list(store_graphs(twice)) == list(b)


# ============================================================================= case 11


def test_case11_devices_sockets_and_outside_links_skipped(tmp_path):
    """Only regular files inside the root: a device node, a socket, links to /dev/zero and
    to a file outside are skipped when walking, refused when named, and never block."""
    from kg.reader import iter_article_paths, read_document

    outside = tmp_path / "outside.txt"
    outside.write_text("China criticized the agreement.")
    root = tmp_path / "root"
    root.mkdir()
    (root / "pact.txt").write_text(PACT)
    os.symlink("/dev/zero", root / "zero.txt")
    os.symlink("/dev/null", root / "null.txt")
    os.symlink(outside, root / "outside.txt")
    sock = socket.socket(socket.AF_UNIX)
    sock.bind(str(root / "sock.txt"))
    made_device = True
    try:
        os.mknod(root / "device.txt", 0o600 | 0o020000, os.makedev(1, 5))  # a char device (/dev/zero)
    except (PermissionError, OSError):
        made_device = False  # no CAP_MKNOD here: the /dev symlinks still cover devices
    try:
        assert list(iter_article_paths([root])) == [root / "pact.txt"]
        for name in ("zero.txt", "sock.txt", *(["device.txt"] if made_device else [])):
            with pytest.raises(InputError, match="not a regular file"):
                read_document(root / name)
        store = tmp_path / "store"
        started = time.perf_counter()
        result = kg("ingest", "--store", str(store), str(root))
        assert time.perf_counter() - started < 60
        assert_ok(result)
        sources = [Path(a["source"]).name for a in json.loads(kg("articles", "--json", "--store",
                                                                  str(store)).stdout)]
        assert sources == ["pact.txt"]
        assert_clean_error(kg("build", str(root / "zero.txt"), "-o", str(tmp_path / "z.ttl")),
                           "not a regular file")
    finally:
        sock.close()


# ============================================================================= case 13


@pytest.mark.parametrize("command", [
    ["query", "ASK {}"], ["stats"], ["articles"], ["export", "-o", "{tmp}/out.nq"], ["remove", "x"],
    ["validate"], ["ingest", "{article}"],
])
def test_case13_file_or_foreign_folder_refused_by_every_command(tmp_path, command):
    article = tmp_path / "pact.txt"
    article.write_text(PACT)
    args = [a.replace("{tmp}", str(tmp_path)).replace("{article}", str(article)) for a in command]
    a_file = tmp_path / "notes.txt"
    a_file.write_text("my notes\n")
    foreign = tmp_path / "photos"
    foreign.mkdir()
    (foreign / "holiday.jpg").write_bytes(b"\xff\xd8\xff not really")
    before = {**fingerprint(a_file), **fingerprint(foreign)}
    assert_clean_error(kg(*args, "--store", str(a_file)), "is a file")
    assert_clean_error(kg(*args, "--store", str(foreign)), "not a geokg store")
    assert {**fingerprint(a_file), **fingerprint(foreign)} == before
    assert not (tmp_path / "out.nq").exists()


# ============================================================================= case 14


def test_case14_export_through_a_symlink_into_the_store(tmp_path):
    store = make_sample_store(tmp_path / "store")
    link = tmp_path / "link"
    os.symlink(store, link)
    before = fingerprint(store)
    assert_clean_error(kg("export", "--store", str(store), "-o", str(link / "dump.nq"), "--force"),
                       "store folder")
    assert fingerprint(store) == before


def test_case14_view_into_the_store_folder(tmp_path):
    store = make_sample_store(tmp_path / "store")
    result = kg("view", "--store", str(store), "-o", str(store / "view.html"))
    assert not (store / "view.html").exists()
    assert_clean_error(result, "store folder")


def test_case14_view_over_its_own_input(tmp_path):
    trig = tmp_path / "kg.trig"
    build_sample_dataset().serialize(trig, format="trig")
    before = fingerprint(trig)
    result = kg("view", "--input", str(trig), "-o", str(trig), "--force")
    assert fingerprint(trig) == before
    assert_clean_error(result, "input")


# ============================================================================= case 15

HOLDER = textwrap.dedent("""
    import sys
    from kg.store import open_store
    store = open_store(sys.argv[1])          # read-write: takes the store's lock
    print("ready", flush=True)
    sys.stdin.readline()
    store.close()
""")


def test_case15_second_kg_process_is_told_the_store_is_locked(tmp_path):
    """One kg process writes a store; a second `kg ingest` / `kg remove` is told why it cannot,
    in one line, and changes nothing; read commands still work."""
    store = make_sample_store(tmp_path / "store")
    article = tmp_path / "pact.txt"
    article.write_text(PACT)
    holder = subprocess.Popen([sys.executable, "-c", HOLDER, str(store)], stdin=subprocess.PIPE,
                              stdout=subprocess.PIPE, text=True, cwd=tmp_path)
    try:
        assert holder.stdout.readline().strip() == "ready"
        for args in (["ingest", "--store", str(store), str(article)], ["remove", "--store", str(store),
                                                                        "us-japan-summit"]):
            line = assert_clean_error(run_kg(*args, cwd=tmp_path), "in use by another process")
            assert "lock" in line and "close the other kg process" in line
        query = run_kg("query", "--store", str(store), "--format", "csv",
                       "SELECT (COUNT(DISTINCT ?g) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }", cwd=tmp_path)
        assert query.returncode == 0, query.stderr
        assert query.stdout.splitlines()[1] == "2"
    finally:
        holder.stdin.close()
        holder.wait(timeout=60)
    assert set(store_graphs(store)) == {str(ARTICLE_A), str(ARTICLE_B)}


# ============================================================================= case 16


def _ro_mode(tmp_path: Path) -> str:
    if private_mount_prefix() is not None:
        return "mount"
    if os.geteuid() == 0 and chattr_works(tmp_path):
        return "chattr"
    pytest.skip("no read-only filesystem can be made here: mount/unshare are not permitted "
                "(no CAP_SYS_ADMIN, no user namespaces) and chattr +i is not supported")


def test_case16_read_only_fs_reads_work_writes_fail(tmp_path):
    """A store on a read-only mount: query, stats, articles and export work; ingest and
    remove fail with one clean line that says read-only; exports into a read-only folder
    fail cleanly; nothing on the mount changes."""
    mode = _ro_mode(tmp_path)
    source = make_sample_store(tmp_path / "source")
    mnt = tmp_path / "ro"
    mnt.mkdir()
    out = tmp_path / "out"
    out.mkdir()
    article = tmp_path / "pact.txt"
    article.write_text(PACT)
    spec = {
        "mnt": str(mnt), "size": "16m", "cwd": str(tmp_path), "read_only": True,
        "copy": [[str(source), "store"]], "files": {"old.ttl": "# an earlier export\n"},
        "runs": [
            ["stats", "--json", "--store", "{mnt}/store"],
            ["query", "--format", "csv", "--store", "{mnt}/store",
             "SELECT (COUNT(DISTINCT ?g) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }"],
            ["articles", "--json", "--store", "{mnt}/store"],
            ["export", "--store", "{mnt}/store", "-o", str(out / "from-ro.nq")],
            ["ingest", "--store", "{mnt}/store", str(article)],
            ["remove", "--store", "{mnt}/store", "us-japan-summit"],
            ["export", "--store", str(source), "-o", "{mnt}/new.nq"],
            ["export", "--store", str(source), "-o", "{mnt}/old.ttl", "--force"],
            ["ingest", "--store", "{mnt}/new-store", str(article)],
        ],
    }
    result = run_on_fs(mode, spec)
    runs = result["runs"]
    for run in runs[:4]:
        assert run["code"] == 0, run
        assert "Traceback" not in run["stderr"]
    assert json.loads(runs[0]["stdout"])["articles"] == 2
    assert runs[1]["stdout"].splitlines()[1] == "2"
    assert {a["iri"] for a in json.loads(runs[2]["stdout"])} == {str(ARTICLE_A), str(ARTICLE_B)}
    exported = rdflib.Dataset()
    exported.parse(out / "from-ro.nq", format="nquads")
    assert len(exported) == len(build_sample_dataset())
    why = "read-only" if mode == "mount" else "(read-only|not permitted)"
    for run in runs[4:]:
        line = error_line(run["code"], run["stdout"], run["stderr"])
        assert re.search(why, line, re.I), line
    assert result["after"] == result["before"]  # nothing on the mount changed
    assert "old.ttl" in result["after"] and "new.nq" not in result["after"]


# ============================================================================= case 17

_COUNTRIES = [("Japan", "TOKYO"), ("France", "PARIS"), ("Germany", "BERLIN"), ("Brazil", "BRASILIA"),
              ("India", "NEW DELHI"), ("Kenya", "NAIROBI"), ("Canada", "OTTAWA"), ("Mexico", "MEXICO CITY"),
              ("Australia", "CANBERRA"), ("Italy", "ROME"), ("Spain", "MADRID"), ("Egypt", "CAIRO"),
              ("Poland", "WARSAW"), ("Chile", "SANTIAGO"), ("Turkey", "ANKARA")]


def news(i: int) -> str:
    """The i-th of many small, distinct articles."""
    n = len(_COUNTRIES)
    a, city = _COUNTRIES[i % n]
    b = _COUNTRIES[(i * 7 + 3) % n][0]
    c = _COUNTRIES[(i * 5 + 1) % n][0]
    b = _COUNTRIES[(i + 1) % n][0] if b == a else b
    c = _COUNTRIES[(i + 2) % n][0] if c in (a, b) else c
    return (f"{a} and {b} Sign Pact No. {i}\n\n"
            f"{city}, March {1 + i % 28}, 2025 — {a} and {b} signed a critical minerals agreement on Monday. "
            f"{a} praised {b} for its support. {c} criticized the agreement. "
            f"The European Union welcomed the talks between {a} and {b}. "
            f"{c} condemned the plan, while {b} backed {a}'s proposal for trade reform. "
            "The United Nations supported the accord. Russia opposed the deal.\n")


def _fresh_graph(source: str, ingested_at) -> rdflib.Graph:
    """What ingesting ``source`` alone gives, read back from a store like the one under test."""
    from kg.pipeline import extract_document
    from kg.rdf import to_graph
    from kg.reader import read_document
    from kg.store import EmbeddedStore

    doc = read_document(source)
    g = to_graph(extract_document(doc), ingested_at=ingested_at)
    store = EmbeddedStore.in_memory()
    iri = str(next(g.subjects(ns.RDF.type, GKG.Article)))
    store.replace_article(iri, g)
    out = rdflib.Graph()
    for t in store.to_dataset().graph(URIRef(iri)):
        out.add(t)
    return out


def _big_store(path: Path) -> Path:
    """A store whose export is far larger than what is left on the full disk."""
    from kg.store import open_store

    make_sample_store(path)
    g = rdflib.Graph()
    for i in range(20_000):  # about 2 MB of N-Quads
        person = URIRef(f"https://w3id.org/geokg/id/person/p{i}")
        g.add((person, ns.RDFS.label, Literal(f"Person number {i}")))
    with open_store(path) as store:
        store.replace_article("https://w3id.org/geokg/id/article/big-00000000", g)
    return path


def test_case17_disk_full_whole_articles_and_export_intact(tmp_path):
    """Ingesting into a store on a 2 MB filesystem fills it: `kg ingest` stops with one
    clean line; the store then holds only whole articles, each exactly what ingesting it
    alone gives. An export onto the full disk fails cleanly, the previous export stays byte
    for byte, and no temporary file is left. (Without mounts: RLIMIT_FSIZE.)"""
    n = 40
    inputs = tmp_path / "in"
    inputs.mkdir()
    for i in range(n):
        (inputs / f"a{i:03d}.txt").write_text(news(i))
    big = _big_store(tmp_path / "big")
    previous = "# the previous export\n" + "<urn:x:a> <urn:x:b> \"c\" .\n" * 200
    after = tmp_path / "after"
    if private_mount_prefix() is not None:
        mnt = tmp_path / "full"
        mnt.mkdir()
        result = run_on_fs("mount", {
            "mnt": str(mnt), "size": "2m", "cwd": str(tmp_path), "files": {"export.nq": previous},
            "runs": [["ingest", "--store", "{mnt}/store", str(inputs)],
                     ["export", "--store", str(big), "-o", "{mnt}/export.nq", "--force"]],
            "save": [["store", str(after)]],
        })
        ingest, export = result["runs"]
        listing = result["after"]
        previous_now = listing.get("export.nq")
    else:
        if not hasattr(resource, "RLIMIT_FSIZE"):
            pytest.skip("no way to fill a disk here: no mounts (unshare) and no RLIMIT_FSIZE")
        folder = tmp_path / "full"
        folder.mkdir()
        (folder / "export.nq").write_text(previous)

        def limited() -> None:
            signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # EFBIG instead of being killed
            resource.setrlimit(resource.RLIMIT_FSIZE, (1536 * 1024, 1536 * 1024))

        runs = []
        for args in (["ingest", "--store", str(folder / "store"), str(inputs)],
                     ["export", "--store", str(big), "-o", str(folder / "export.nq"), "--force"]):
            done = subprocess.run([*KG_CMD, *args], capture_output=True, text=True, timeout=300,
                                  preexec_fn=limited, cwd=tmp_path)
            runs.append({"code": done.returncode, "stdout": done.stdout, "stderr": done.stderr})
        ingest, export = runs
        shutil.copytree(folder / "store", after)
        listing = {p.name: None for p in folder.iterdir() if p.is_file()}
        previous_now = hashlib.sha256((folder / "export.nq").read_bytes()).hexdigest()

    error_line(ingest["code"], ingest["stdout"], ingest["stderr"])
    assert re.search(r"space|too large", ingest["stderr"], re.I), ingest["stderr"]
    error_line(export["code"], export["stdout"], export["stderr"])
    assert previous_now == hashlib.sha256(previous.encode()).hexdigest()
    assert "export.nq" in listing
    assert [name for name in listing if Path(name).name.startswith(".export.nq")] == []  # no temp file

    stored = store_graphs(after)
    assert 0 < len(stored) < n, f"{len(stored)} of {n} articles stored: the disk did not fill"
    for iri, graph in stored.items():
        article = URIRef(iri)
        source = str(graph.value(article, ns.DCTERMS.source))
        assert Path(source).parent == inputs.resolve()
        when = graph.value(article, ns.PROV.generatedAtTime).toPython()
        assert isomorphic(graph, _fresh_graph(source, when)), f"{iri} is not whole"


# ============================================================================= case 21


def _service_queries(url: str) -> list[str]:
    p = f"PREFIX ex: <{url}/>\n"
    body = "{ ?a ?b ?c }"
    return [
        f"SELECT * WHERE {{ ?s ?p ?o SERVICE <{url}/plain> {body} }}",
        f"SELECT * WHERE {{ ?s ?p ?o .SERVICE <{url}/dot> {body} }}",
        f"SELECT * WHERE {{ ?s ?p ?o.SERVICE <{url}/glued> {body} }}",
        f"{p}SELECT * WHERE {{ ?s ?p ?o .SERVICE ex:prefixed {body} }}",
        f"BASE <{url}/>\nSELECT * WHERE {{ ?s ?p ?o .SERVICE <relative> {body} }}",
        f"{p}SELECT * WHERE {{ ?s ?p ex:a\\# . SERVICE <{url}/escaped-hash> {body} }}",
        f"{p}SELECT * WHERE {{ ?s ?p ex:a\\' . SERVICE <{url}/escaped-quote> {body} . ?s ?p ex:a\\' }}",
        f"SELECT * WHERE {{ ?s ?p ?o OPTIONAL {{ service silent <{url}/silent> {body} }} }}",
        f"SELECT * WHERE {{ BIND(<{url}/var> AS ?e) ?s ?p ?o SERVICE ?e {body} }}",
        f"SELECT * WHERE {{ ?s ?p ?o {{}} SERVICE <{url}/after-group> {body} }}",
        f"SELECT * WHERE {{ ?s ?p ?o \\u0053ERVICE <{url}/unicode-escape> {body} }}",
        f"SELECT * WHERE {{ ?s ?p ?o FILTER(?o<1)SERVICE<{url}/lt>{body} }}",
        f"SELECT * WHERE {{ ?s ?p ?o #\nSERVICE <{url}/after-comment> {body} }}",
    ]


@pytest.fixture
def one_triple_store():
    """A store with one triple in one article graph: a SERVICE after it would be called."""
    from kg.store import EmbeddedStore

    store = EmbeddedStore.in_memory()
    g = rdflib.Graph()
    g.add((URIRef("urn:x:s"), URIRef("urn:x:p"), URIRef("urn:x:o")))
    store.replace_article(str(ARTICLE_A), g)
    return store


def test_case21_service_never_reaches_the_network(recorder, one_triple_store):
    """Every spelling of SERVICE is refused before evaluation (Oxigraph would call it:
    ``?o .SERVICE``, ``ex:a\\# SERVICE`` and ``ex:a\\' SERVICE`` used to slip past the
    guard), and the local server never sees a request."""
    for query in _service_queries(recorder.url):
        with pytest.raises(QueryError):
            one_triple_store.query(query, timeout=10)
    assert recorder.requests == []
    # the word itself is fine where Oxigraph cannot read it as the keyword
    for query in ("SELECT ?service ?myservice WHERE { ?service ?p ?myservice }",
                  "PREFIX ex: <urn:x:>\nSELECT * WHERE { ?s ex:service ?o . ?s ex:a.service ?o }",
                  "SELECT * WHERE { _:service ?p ?o . ?s ?p 'x'@en-service }",
                  "PREFIX service: <urn:x:>\nSELECT * WHERE { ?s ?p ?o }",
                  "SELECT * WHERE { ?s ?p 'SERVICE <http://x/> {}' } # SERVICE",
                  "SELECT * WHERE { ?s ?p <http://example.org/SERVICE> }"):
        assert not one_triple_store.query(query).truncated


_PIECES = st.sampled_from(["?s ?p ?o", " ", ".", "\n", "\t", "ex:a", "ex:", "_:b", "\\#", "\\'", "'x'", '"y"',
                           "<urn:x:o>", "{}", "}", "#c\n", "-", "1", "?o", ";", ",", "(", ")", "@en",
                           "OPTIONAL",
                           "FILTER(?o<1)", "\\u0053", "SILENT", ":", "a", "'''", '"""', "<", ">"])


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(before=st.lists(_PIECES, max_size=8).map("".join), between=st.lists(_PIECES, max_size=3).map("".join))
def test_case21_service_fuzz_never_reaches_the_network(recorder, one_triple_store, before, between):
    query = (f"PREFIX ex: <{recorder.url}/>\nSELECT * WHERE {{ ?s ?p ?o {before}SERVICE{between} "
             f"<{recorder.url}/fuzz> {{ ?a ?b ?c }} }}")
    recorder.requests.clear()  # one server for every example
    try:
        one_triple_store.query(query, timeout=10)
    except QueryError:
        pass
    assert recorder.requests == [], query


def test_case21_load_file_is_refused(recorder, tmp_path, one_triple_store):
    secret = tmp_path / "secret.ttl"
    secret.write_text("<urn:x:secret> <urn:x:p> 'leaked' .")
    store = make_sample_store(tmp_path / "store")
    for text in (f"LOAD <{secret.as_uri()}>", f"LOAD <{secret.as_uri()}> INTO GRAPH <urn:x:g>",
                 f"LOAD SILENT <{recorder.url}/data.ttl>", f"# comment\nLOAD <{secret.as_uri()}>"):
        with pytest.raises(QueryError, match="refused"):
            one_triple_store.query(text)
        assert_clean_error(kg("query", "--store", str(store), text), "refused")
    assert recorder.requests == []
    result = kg("query", "--store", str(store), "--format", "csv", "ASK { ?s ?p 'leaked' }")
    assert_ok(result)
    assert result.stdout.strip().endswith("false")


# ============================================================================= case 23

INJECTION = 'x" || true || "'
INJECTIONS = [INJECTION, "x' || true || '", "x\" } ; DROP ALL ; SELECT * { \"", 'x\\" || true || \\"',
              "x\\u0022 || true || \\u0022", "x\n\" || true || \"", "<urn:x:a> } UNION { ?s ?p ?o"]


def test_case23_injection_in_path_and_neighbors(tmp_path):
    trig = tmp_path / "kg.trig"
    build_sample_dataset().serialize(trig, format="trig")
    for name in INJECTIONS:
        assert_clean_error(kg("neighbors", "--input", str(trig), name), "no entity")
        assert_clean_error(kg("path", "--input", str(trig), name, "Japan"), "no entity")
    store = make_sample_store(tmp_path / "store")
    assert_clean_error(kg("remove", "--store", str(store), INJECTION), "no article matches")
    assert set(store_graphs(store)) == {str(ARTICLE_A), str(ARTICLE_B)}


def test_case23_injection_in_store_lookups(filled_store):
    """The lookups geokg builds from values (hash, IRI, article name) treat them as data:
    the embedded store through term patterns, the generic SPARQL versions (used by remote
    stores) through escaped literals and checked IRIs."""
    from kg.store import Store, resolve_article

    for value in INJECTIONS:
        assert filled_store.find_article_by_hash(value) is None
        assert Store.find_article_by_hash(filled_store, value) is None
        with pytest.raises(NotFoundError):
            resolve_article(filled_store, value)
        with pytest.raises((StoreError, QueryError)):
            filled_store.article_hash(value)
        with pytest.raises(QueryError, match="not a valid IRI"):
            Store.article_hash(filled_store, value)
    assert Store.find_article_by_hash(filled_store, SHA_A) == str(ARTICLE_A)


@settings(max_examples=200, deadline=None)
@given(st.one_of(st.sampled_from(INJECTIONS),
                 st.text(st.characters(exclude_categories=("Cs",)), max_size=60)))
def test_case23_sparql_literal_is_one_exact_term(value):
    import pyoxigraph as ox

    from kg.sparql import sparql_literal

    rows = list(ox.Store().query(
        f"SELECT ?v (COUNT(*) AS ?n) WHERE {{ BIND({sparql_literal(value)} AS ?v) }} GROUP BY ?v"))
    assert len(rows) == 1
    assert rows[0]["v"].value == value and rows[0]["n"].value == "1"


# ============================================================================= case 24


def _billion_laughs(levels: int = 10) -> str:
    entities = ['<!ENTITY l0 "lollollollollollollollollollol">']
    entities += [f'<!ENTITY l{i} "{f"&l{i - 1};" * 10}">' for i in range(1, levels)]
    return ('<?xml version="1.0"?>\n<!DOCTYPE rdf:RDF [\n ' + "\n ".join(entities) + "\n]>\n"
            '<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" '
            'xmlns:rdfs="http://www.w3.org/2000/01/rdf-schema#">\n'
            f'  <rdf:Description rdf:about="urn:x:a"><rdfs:label>&l{levels - 1};</rdfs:label>'
            "</rdf:Description>\n"
            "</rdf:RDF>\n")


BOUNDED = textwrap.dedent("""
    import json, resource, sys, time
    resource.setrlimit(resource.RLIMIT_AS, (3 * 1024**3, 3 * 1024**3))  # a regression must not eat the host
    from kg.errors import InputError
    from kg.validate import read_rdf_files
    started = time.perf_counter()
    try:
        read_rdf_files([sys.argv[1]])
        outcome = "parsed"
    except InputError as err:
        outcome = str(err)
    print(json.dumps({"outcome": outcome, "seconds": time.perf_counter() - started,
                      "max_rss_kb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss}))
""")


def test_case24_billion_laughs_refused_in_bounded_memory(tmp_path):
    """10^10 "lol"s declared in a DTD: refused before any XML parser expands them
    (rdflib's expat parser took ~110 s, Oxigraph's ran out of memory)."""
    bomb = tmp_path / "bomb.rdf"
    bomb.write_text(_billion_laughs())
    baseline = subprocess.run([sys.executable, "-c", BOUNDED, str(tmp_path / "missing.rdf")],
                              capture_output=True, text=True, timeout=60, cwd=REPO)
    done = subprocess.run([sys.executable, "-c", BOUNDED, str(bomb)], capture_output=True, text=True,
                          timeout=60, cwd=REPO)
    assert done.returncode == 0, done.stderr
    report, base = json.loads(done.stdout), json.loads(baseline.stdout)
    assert "DOCTYPE" in report["outcome"] and "refused" in report["outcome"], report
    assert report["seconds"] < 5, report
    assert report["max_rss_kb"] - base["max_rss_kb"] < 50 * 1024, (report, base)
    assert_clean_error(kg("validate", str(bomb)), "DOCTYPE", "refused")


def test_case24_xxe_refused(tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP SECRET")
    xxe = tmp_path / "xxe.owl"
    xxe.write_text(f'<?xml version="1.0"?>\n<!DOCTYPE r [<!ENTITY s SYSTEM "{secret.as_uri()}">]>\n'
                   '<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" '
                   'xmlns:rdfs="http://www.w3.org/2000/01/rdf-schema#"><rdf:Description rdf:about="urn:x:a">'
                   "<rdfs:label>&s;</rdfs:label></rdf:Description></rdf:RDF>\n")
    from kg.validate import read_rdf_files

    with pytest.raises(InputError, match="DOCTYPE"):
        read_rdf_files([xxe])
    # without a DTD, RDF/XML is read as usual
    plain = tmp_path / "plain.rdf"
    plain.write_text(xxe.read_text().split("\n", 2)[2].replace("&s;", "A"))
    assert (URIRef("urn:x:a"), ns.RDFS.label, Literal("A")) in read_rdf_files([plain])


def test_case24_remote_jsonld_context_not_fetched(tmp_path, recorder):
    doc = tmp_path / "remote.jsonld"
    doc.write_text(json.dumps({"@context": f"{recorder.url}/ctx.jsonld", "@id": "urn:x:a", "label": "A"}))
    nested = tmp_path / "nested.json"
    nested.write_text(json.dumps({"@context": {"@import": f"{recorder.url}/import.jsonld"},
                                  "@id": "urn:x:a", "urn:x:p": "A"}))
    scoped = tmp_path / "scoped.jsonld"
    scoped.write_text(json.dumps({"@context": {"p": {"@id": "urn:x:p", "@context": f"{recorder.url}/scoped"}},
                                  "@id": "urn:x:a", "p": {"@id": "urn:x:b", "q": "B"}}))
    for path in (doc, nested, scoped):
        line = assert_clean_error(kg("validate", str(path)), path.name)
        assert "context" in line.lower() or "import" in line.lower(), line
    assert recorder.requests == []
    inline = tmp_path / "inline.jsonld"
    inline.write_text(json.dumps({"@context": {"label": "http://www.w3.org/2000/01/rdf-schema#label"},
                                  "@id": "urn:x:a", "label": "A"}))
    from kg.validate import read_rdf_files

    assert (URIRef("urn:x:a"), ns.RDFS.label, Literal("A")) in read_rdf_files([inline])


def test_case24_truncated_turtle_imports_nothing(tmp_path):
    from kg.validate import read_rdf_files

    good = tmp_path / "good.ttl"
    good.write_text("@prefix ex: <http://example.org/> .\nex:a ex:b ex:c .\n")
    full = "@prefix ex: <http://example.org/> .\n" + "".join(f"ex:s{i} ex:p \"value {i}\" .\n"
                                                          for i in range(50))
    truncated = tmp_path / "truncated.ttl"
    truncated.write_text(full[: full.index("value 40") + 3])  # cut inside a string on line 42
    with pytest.raises(InputError, match=r"truncated\.ttl .*line 42") as info:
        read_rdf_files([good, truncated])
    assert "nothing was read" in str(info.value)
    assert_clean_error(kg("validate", str(good), str(truncated)), "truncated.ttl", "line 42")
    cut = tmp_path / "cut.nq"
    cut.write_text('<urn:x:a> <urn:x:b> "c" <urn:x:g> .\n<urn:x:a> <urn:x:b> <urn:x:')
    with pytest.raises(InputError, match=r"line 2"):
        read_rdf_files([cut])


def test_case24_analyze_input_is_as_safe(tmp_path, recorder):
    doc = tmp_path / "remote.jsonld"
    doc.write_text(json.dumps({"@context": f"{recorder.url}/ctx.jsonld", "@id": "urn:x:a", "label": "A"}))
    kg("analyze", "--input", str(doc))
    assert recorder.requests == []
    dtd = tmp_path / "dtd.rdf"
    dtd.write_text(_billion_laughs(levels=2))
    assert_clean_error(kg("analyze", "--input", str(dtd)), "DOCTYPE")
