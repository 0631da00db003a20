"""The ``kg`` command line, run for real: in-process with click's CliRunner (spaCy loads
once per test process) and, for a few checks of the installed entry point, as a subprocess.

Every failure must be one ``Error: …`` line on stderr with a non-zero exit status, no
traceback, and must leave the store and existing files as they were.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
import rdflib
from click.testing import CliRunner, Result
from rdflib.compare import isomorphic

from kg.cli import main

REPO = Path(__file__).resolve().parents[1]
KG_BIN = REPO / ".venv" / "bin" / "kg"
PYTHON = sys.executable
SEED = REPO / "examples" / "us-japan-summit.txt"

GKG = rdflib.Namespace("https://w3id.org/geokg/ontology#")

MINERALS = (
    "Japan Signs Minerals Pact With Australia\n\n"
    "TOKYO, March 3, 2025 — Japan and Australia signed a critical minerals agreement on Monday. "
    "Prime Minister Shigeru Ishiba of Japan praised Australia for its support. "
    "China criticized the agreement.\n"
)
BERLIN = (
    "Macron Visits Berlin\n\n"
    "BERLIN, May 5, 2025 — President Emmanuel Macron of France met Chancellor Friedrich Merz "
    "of Germany in Berlin. France backed Germany's plan for European defense spending. "
    "Russia condemned the plan.\n"
)
VIENNA = (
    "Talks in Vienna\n\n"
    "VIENNA, June 1, 2025 — Iran and the United States held nuclear talks in Vienna. "
    "The European Union welcomed the talks.\n"
)
BERLIN_CHANGED = (
    "Macron Visits Berlin\n\n"
    "BERLIN, May 5, 2025 — President Emmanuel Macron of France met Chancellor Friedrich Merz "
    "of Germany in Berlin. France backed Germany's plan for European defense spending. "
    "Poland welcomed the plan.\n"
)

BUILD_EXTENSIONS = (".ttl", ".nt", ".nq", ".trig", ".jsonld")
RDFLIB_FORMATS = {".ttl": "turtle", ".nt": "nt", ".nq": "nquads", ".trig": "trig", ".jsonld": "json-ld"}
QUAD_EXTENSIONS = (".nq", ".trig")

# commands that only read a store: none may create one
READ_COMMANDS = {
    "query": ["query", "SELECT * WHERE { ?s ?p ?o }"],
    "export": ["export", "-o", "{tmp}/out.ttl"],
    "stats": ["stats"],
    "articles": ["articles"],
    "validate": ["validate"],
    "remove": ["remove", "anything"],
    "analyze": ["analyze"],
    "neighbors": ["neighbors", "Japan"],
    "path": ["path", "Japan", "China"],
    "view": ["view", "-o", "{tmp}/out.html"],
    "serve": ["serve", "--port", "0"],  # fails before listening
    "push": ["push", "--to", "http://127.0.0.1:9"],  # fails before any request
}


# ----------------------------------------------------------------------------- helpers


def kg(*args: str, input: str | bytes | None = None, env: dict[str, str] | None = None) -> Result:
    """Run ``kg ARGS`` in-process; stderr is kept apart from stdout (click 8.2+)."""
    return CliRunner().invoke(main, list(args), input=input, env=env, catch_exceptions=True, prog_name="kg")


def assert_ok(result: Result) -> None:
    assert result.exit_code == 0, f"exit {result.exit_code}\nstdout: {result.stdout}\nstderr: {result.stderr}"
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    assert "Traceback" not in result.output


def assert_error(result: Result, *needles: str, code: int = 1) -> str:
    """A clean failure: exit ``code``, exactly one ``Error:`` line on stderr, no traceback.

    Returns the ``Error:`` line.
    """
    assert result.exit_code == code, (
        f"exit {result.exit_code}\nstdout: {result.stdout}\nstderr: {result.stderr}")
    # an uncaught exception would be kept here by CliRunner instead of a SystemExit
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
    assert "Traceback" not in result.output
    errors = [line for line in result.stderr.splitlines() if line.startswith("Error:")]
    assert len(errors) == 1, f"expected one Error: line on stderr, got:\n{result.stderr}"
    assert "Error:" not in result.stdout, "errors go to stderr, not stdout"
    for needle in needles:
        assert needle.lower() in errors[0].lower(), f"{needle!r} not in {errors[0]!r}"
    return errors[0]


def write(path: Path, text: str | bytes) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8")
    return path


def fingerprint(path: Path) -> tuple[bytes, int]:
    """Content hash and mtime: a file left untouched keeps both."""
    st = path.stat()
    return hashlib.sha256(path.read_bytes()).digest(), st.st_mtime_ns


def store_state(store: Path) -> list[str]:
    """What a store holds, as sorted N-Quads lines (read-only open: changes nothing)."""
    from kg.store import open_store

    buf = io.BytesIO()
    with open_store(str(store), read_only=True) as st:
        st.dump(buf, "nquads")
    return sorted(buf.getvalue().decode("utf-8").splitlines())


def parse_union(path: Path) -> rdflib.Graph:
    """Parse an RDF file by its extension; for quad formats, the union of its graphs."""
    fmt = RDFLIB_FORMATS[path.suffix]
    if path.suffix in QUAD_EXTENSIONS or path.suffix == ".jsonld":
        ds = rdflib.Dataset()
        ds.parse(path, format=fmt)
        union = rdflib.Graph()
        for s, p, o, _ in ds.quads((None, None, None, None)):
            union.add((s, p, o))
        return union
    return rdflib.Graph().parse(path, format=fmt)


def named_graphs(path: Path) -> set[str]:
    ds = rdflib.Dataset()
    ds.parse(path, format=RDFLIB_FORMATS[path.suffix])
    return {str(g.identifier) for g in ds.graphs()
            if g.identifier != rdflib.graph.DATASET_DEFAULT_GRAPH_ID and len(g)}


def article_count(store: Path) -> int:
    result = kg("articles", "--json", "--store", str(store))
    assert_ok(result)
    return len(json.loads(result.stdout))


def triple_count(store: Path) -> int:
    result = kg("stats", "--json", "--store", str(store))
    assert_ok(result)
    return json.loads(result.stdout)["triples"]


# ----------------------------------------------------------------------------- fixtures


@pytest.fixture
def articles(tmp_path: Path) -> Path:
    """A folder of articles: two at the top, one in a subfolder, plus files to ignore."""
    folder = tmp_path / "articles"
    write(folder / "minerals.txt", MINERALS)
    write(folder / "berlin.md", BERLIN)
    write(folder / "sub" / "vienna.txt", VIENNA)
    write(folder / "notes.csv", "a,b\n1,2\n")  # not an article suffix: ignored inside folders
    write(folder / ".hidden.txt", "Hidden files are skipped.")
    return folder


@pytest.fixture(scope="module")
def filled(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A store holding the three small articles (built once for the query tests)."""
    tmp = tmp_path_factory.mktemp("filled")
    for name, text in (("minerals.txt", MINERALS), ("berlin.txt", BERLIN), ("vienna.txt", VIENNA)):
        write(tmp / "in" / name, text)
    store = tmp / "store"
    assert_ok(kg("ingest", "--store", str(store), str(tmp / "in")))
    return store


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """The same article built to every output extension."""
    tmp = tmp_path_factory.mktemp("built")
    article = write(tmp / "minerals.txt", MINERALS)
    out = {}
    for ext in BUILD_EXTENSIONS:
        target = tmp / f"minerals{ext}"
        assert_ok(kg("build", str(article), "-o", str(target)))
        out[ext] = target
    return out


# ----------------------------------------------------------------------------- the group


def test_version() -> None:
    from kg import __version__

    result = kg("--version")
    assert_ok(result)
    assert result.stdout.strip() == f"kg, version {__version__}"


@pytest.mark.parametrize("name", sorted(main.commands))
def test_every_command_help_has_an_example(name: str) -> None:
    result = kg(name, "--help")
    assert_ok(result)
    assert "Example" in result.stdout
    assert result.stdout.startswith(f"Usage: kg {name}")


def test_group_help_has_an_example_and_lists_every_command() -> None:
    result = kg("--help")
    assert_ok(result)
    assert "Example" in result.stdout
    for name in main.commands:
        assert name in result.stdout


def test_help_does_not_import_spacy() -> None:
    # as click's own test_imports.py: a fresh interpreter, then look at sys.modules
    code = (
        "import sys\n"
        "from click.testing import CliRunner\n"
        "from kg.cli import main\n"
        "names = ['--help'] + [[c, '--help'] for c in main.commands]\n"
        "for args in names:\n"
        "    r = CliRunner().invoke(main, args if isinstance(args, list) else [args])\n"
        "    assert r.exit_code == 0, (args, r.output)\n"
        "heavy = sorted(m for m in ('spacy', 'thinc', 'networkx', 'pyvis', 'pyshacl') if m in sys.modules)\n"
        "assert not heavy, heavy\n"
    )
    proc = subprocess.run([PYTHON, "-c", code], capture_output=True, text=True, cwd=REPO, timeout=60)
    assert proc.returncode == 0, proc.stderr


def test_installed_entry_point_version_and_errors(tmp_path: Path) -> None:
    """The console script itself: --version on stdout; a failure is one line on stderr."""
    proc = subprocess.run([str(KG_BIN), "--version"], capture_output=True, text=True, timeout=60)
    assert proc.returncode == 0 and proc.stdout.startswith("kg, version ")
    assert proc.stderr == ""

    missing = tmp_path / "nostore"
    proc = subprocess.run([str(KG_BIN), "query", "--store", str(missing), "SELECT * { ?s ?p ?o }"],
                          capture_output=True, text=True, timeout=60)
    assert proc.returncode == 1
    assert proc.stdout == ""
    assert proc.stderr.count("\n") == 1 and proc.stderr.startswith("Error: no store at")
    assert "Traceback" not in proc.stderr
    assert not missing.exists()


def test_installed_entry_point_refuses_binary(tmp_path: Path) -> None:
    pdf = write(tmp_path / "report.txt", b"%PDF-1.7\n\x00\x01\x02 binary stream")
    out = tmp_path / "report.ttl"
    proc = subprocess.run([str(KG_BIN), "build", str(pdf), "-o", str(out)],
                          capture_output=True, text=True, timeout=120)
    assert proc.returncode == 1
    assert "Traceback" not in proc.stderr
    errors = [line for line in proc.stderr.splitlines() if line.startswith("Error:")]
    assert len(errors) == 1 and "binary" in errors[0]
    assert not out.exists()


# ----------------------------------------------------------------------------- kg build


@pytest.mark.parametrize("ext", BUILD_EXTENSIONS)
def test_build_each_extension_parses_back(built: dict[str, Path], ext: str) -> None:
    graph = parse_union(built[ext])
    assert (None, rdflib.RDF.type, GKG.Article) in graph
    assert any(graph.subjects(rdflib.RDF.type, rdflib.RDF.Statement))
    assert len(graph) > 20


@pytest.mark.parametrize("ext", [e for e in BUILD_EXTENSIONS if e != ".ttl"])
def test_build_formats_are_isomorphic(built: dict[str, Path], ext: str) -> None:
    reference = parse_union(built[".ttl"])
    assert isomorphic(parse_union(built[ext]), reference)


@pytest.mark.parametrize("ext", QUAD_EXTENSIONS)
def test_build_quad_formats_keep_the_article_graph(built: dict[str, Path], ext: str) -> None:
    ttl = parse_union(built[".ttl"])
    article = str(next(ttl.subjects(rdflib.RDF.type, GKG.Article)))
    assert named_graphs(built[ext]) == {article}


def test_build_writes_data_to_file_and_messages_to_stderr(tmp_path: Path) -> None:
    article = write(tmp_path / "minerals.txt", MINERALS)
    result = kg("build", str(article), "-o", str(tmp_path / "m.ttl"))
    assert_ok(result)
    assert result.stdout == ""
    assert "1 article(s) built" in result.stderr


def test_build_seed_example_conforms_to_shapes(tmp_path: Path) -> None:
    out = tmp_path / "x.ttl"
    assert_ok(kg("build", str(SEED), "-o", str(out)))
    result = kg("validate", str(out))
    assert_ok(result)
    assert result.stdout.startswith("Conforms:")


def test_build_several_articles_into_a_folder(tmp_path: Path, articles: Path) -> None:
    out = tmp_path / "graphs"
    result = kg("build", str(articles / "minerals.txt"), str(articles / "berlin.md"),
                str(articles / "sub"), "-o", f"{out}/")
    assert_ok(result)
    assert sorted(p.name for p in out.iterdir()) == ["berlin.ttl", "minerals.ttl", "vienna.ttl"]
    iris = set()
    for path in out.iterdir():
        graph = rdflib.Graph().parse(path, format="turtle")
        found = set(graph.subjects(rdflib.RDF.type, GKG.Article))
        assert len(found) == 1
        iris |= found
    assert len(iris) == 3
    assert "3 article(s) built" in result.stderr


def test_build_a_folder_into_a_folder(tmp_path: Path, articles: Path) -> None:
    out = tmp_path / "graphs"
    assert_ok(kg("build", str(articles), "-o", str(out) + os.sep))
    # .csv and hidden files are not articles; the subfolder is walked
    assert sorted(p.name for p in out.iterdir()) == ["berlin.ttl", "minerals.ttl", "vienna.ttl"]


def test_build_from_stdin(tmp_path: Path) -> None:
    out = tmp_path / "stdin.nt"
    assert_ok(kg("build", "-", "-o", str(out), input=MINERALS.encode("utf-8")))
    graph = rdflib.Graph().parse(out, format="nt")
    article = next(graph.subjects(rdflib.RDF.type, GKG.Article))
    assert str(graph.value(article, rdflib.DCTERMS.title)) == "Japan Signs Minerals Pact With Australia"
    assert (None, GKG.partyTo, None) in graph


def test_build_output_equal_to_input_is_refused(tmp_path: Path) -> None:
    # an article file may have any suffix when named explicitly, so .ttl is a valid input too
    article = write(tmp_path / "minerals.ttl", MINERALS)
    before = fingerprint(article)
    for extra in ([], ["--force"]):
        result = kg("build", str(article), "-o", str(article), *extra)
        assert_error(result, "one of the inputs")
        assert fingerprint(article) == before


def test_build_refuses_to_overwrite_without_force(tmp_path: Path) -> None:
    article = write(tmp_path / "minerals.txt", MINERALS)
    out = write(tmp_path / "existing.ttl", "# keep me\n")
    before = fingerprint(out)
    assert_error(kg("build", str(article), "-o", str(out)), "exists", "--force")
    assert fingerprint(out) == before
    assert_ok(kg("build", str(article), "-o", str(out), "--force"))
    assert len(rdflib.Graph().parse(out, format="turtle")) > 20


@pytest.mark.parametrize("output", ["graph.xyz", "graph", "graph.txt"])
def test_build_unknown_format(tmp_path: Path, output: str) -> None:
    article = write(tmp_path / "minerals.txt", MINERALS)
    result = kg("build", str(article), "-o", str(tmp_path / output))
    assert_error(result, "unknown output format")
    assert not (tmp_path / output).exists()


def test_build_empty_file_is_skipped_with_a_warning(tmp_path: Path) -> None:
    empty = write(tmp_path / "empty.txt", "  \n\n")
    out = tmp_path / "empty.ttl"
    result = kg("build", str(empty), "-o", str(out))
    assert_ok(result)
    assert "Warning:" in result.stderr and "empty.txt" in result.stderr
    assert "1 skipped" in result.stderr
    assert not out.exists()


def test_build_binary_file_is_refused(tmp_path: Path) -> None:
    png = write(tmp_path / "photo.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
    out = write(tmp_path / "photo.ttl", "# an older file\n")
    before = fingerprint(out)
    result = kg("build", str(png), "-o", str(out), "--force")
    assert_error(result, "binary", "PNG")
    assert fingerprint(out) == before


def test_build_non_utf8_text_is_decoded_with_a_warning(tmp_path: Path) -> None:
    text = MINERALS.replace("Monday", "Monday at the Caf\u00e9 Bleu").replace("—", "-")
    article = write(tmp_path / "latin.txt", text.encode("cp1252"))
    out = tmp_path / "latin.ttl"
    result = kg("build", str(article), "-o", str(out))
    assert_ok(result)
    assert "Warning:" in result.stderr and "cp1252" in result.stderr
    graph = rdflib.Graph().parse(out, format="turtle")
    sentences = [str(s) for s in graph.objects(None, GKG.sentence)]
    assert any("Caf\u00e9 Bleu" in s for s in sentences)


def test_build_missing_path(tmp_path: Path) -> None:
    out = tmp_path / "missing.ttl"
    result = kg("build", str(tmp_path / "missing.txt"), "-o", str(out))
    assert_error(result, "missing.txt", "no such file")
    assert not out.exists()


# ----------------------------------------------------------------------------- kg ingest


def test_ingest_folder_with_progress_and_summary(tmp_path: Path, articles: Path) -> None:
    store = tmp_path / "store"
    result = kg("ingest", "--store", str(store), str(articles))
    assert_ok(result)
    assert result.stdout == ""
    assert "Ingesting" in result.stderr  # the progress bar (its label, when stderr is not a terminal)
    assert f"3 article(s) ingested into {store}" in result.stderr
    assert article_count(store) == 3
    sources = {Path(a["source"]).name for a in json.loads(kg("articles", "--json", "--store",
                                                               str(store)).stdout)}
    assert sources == {"minerals.txt", "berlin.md", "vienna.txt"}


def test_ingest_uses_kg_store_environment_variable(tmp_path: Path, articles: Path) -> None:
    store = tmp_path / "from-env"
    assert_ok(kg("ingest", str(articles / "minerals.txt"), env={"KG_STORE": str(store)}))
    assert (store / "geokg-store.json").is_file()
    result = kg("articles", env={"KG_STORE": str(store)})
    assert_ok(result)
    assert "minerals" in result.stdout


def test_ingest_from_stdin(tmp_path: Path) -> None:
    store = tmp_path / "store"
    assert_ok(kg("ingest", "--store", str(store), "-", input=VIENNA.encode("utf-8")))
    infos = json.loads(kg("articles", "--json", "--store", str(store)).stdout)
    assert len(infos) == 1 and infos[0]["iri"].rsplit("/", 1)[-1].startswith("text-")


def test_reingest_is_idempotent(tmp_path: Path, articles: Path) -> None:
    store = tmp_path / "store"
    assert_ok(kg("ingest", "--store", str(store), str(articles)))
    triples, state = triple_count(store), store_state(store)

    again = kg("ingest", "--store", str(store), str(articles))
    assert_ok(again)
    assert "0 article(s) ingested" in again.stderr and "3 unchanged" in again.stderr
    assert triple_count(store) == triples
    assert store_state(store) == state

    forced = kg("ingest", "--store", str(store), "--force", str(articles))
    assert_ok(forced)
    assert "3 article(s) ingested" in forced.stderr
    assert triple_count(store) == triples
    assert article_count(store) == 3


def test_changed_file_replaces_its_graph(tmp_path: Path, articles: Path) -> None:
    store = tmp_path / "store"
    assert_ok(kg("ingest", "--store", str(store), str(articles)))
    query = ("SELECT ?who WHERE { ?who gkg:isoCode ?code . ?who ?p ?plan . "
             "VALUES ?p { gkg:opposes gkg:supports } FILTER(?code IN ('RUS', 'POL')) }")
    before = kg("query", "--store", str(store), "--format", "csv", query)
    assert_ok(before)
    assert "country/RUS" in before.stdout and "country/POL" not in before.stdout

    write(articles / "berlin.md", BERLIN_CHANGED)
    result = kg("ingest", "--store", str(store), str(articles))
    assert_ok(result)
    assert "1 article(s) ingested" in result.stderr and "2 unchanged" in result.stderr
    assert article_count(store) == 3
    after = kg("query", "--store", str(store), "--format", "csv", query)
    assert "country/POL" in after.stdout and "country/RUS" not in after.stdout


def test_ingest_empty_file_is_skipped_with_a_warning(tmp_path: Path, filled: Path) -> None:
    empty = write(tmp_path / "empty.md", "")
    before = store_state(filled)
    result = kg("ingest", "--store", str(filled), str(empty))
    assert_ok(result)
    warnings = [line for line in result.stderr.splitlines() if line.startswith("Warning:")]
    assert len(warnings) == 1 and "empty.md" in warnings[0]
    assert "1 skipped" in result.stderr
    assert store_state(filled) == before


def test_ingest_binary_file_is_refused(tmp_path: Path, filled: Path) -> None:
    zipped = write(tmp_path / "archive.txt", b"PK\x03\x04\x14\x00\x00\x00\x08\x00binary")
    before = store_state(filled)
    result = kg("ingest", "--store", str(filled), str(zipped))
    assert_error(result, "archive.txt", "binary")
    assert store_state(filled) == before


def test_ingest_non_utf8_text_is_decoded_with_a_warning(tmp_path: Path) -> None:
    article = write(tmp_path / "latin.txt", VIENNA.replace("—", "-").replace("Vienna.", "Vienna's Caf\u00e9.")
                    .encode("cp1252"))
    store = tmp_path / "store"
    result = kg("ingest", "--store", str(store), str(article))
    assert_ok(result)
    assert "Warning:" in result.stderr and "cp1252" in result.stderr
    assert article_count(store) == 1


def test_ingest_missing_path_creates_no_store(tmp_path: Path) -> None:
    store = tmp_path / "store"
    result = kg("ingest", "--store", str(store), str(tmp_path / "missing.txt"))
    assert_error(result, "missing.txt")
    assert not store.exists()


def test_ingest_missing_path_leaves_the_store_untouched(tmp_path: Path, filled: Path, articles: Path) -> None:
    before = store_state(filled)
    result = kg("ingest", "--store", str(filled), str(articles / "minerals.txt"), str(tmp_path / "nope"))
    assert_error(result, "nope")
    assert store_state(filled) == before


def test_ingest_refuses_a_folder_that_is_not_a_store(tmp_path: Path, articles: Path) -> None:
    other = tmp_path / "photos"
    keep = write(other / "holiday.jpg", b"\xff\xd8\xff not really")
    before = fingerprint(keep)
    result = kg("ingest", "--store", str(other), str(articles / "minerals.txt"))
    assert_error(result, "not a geokg store")
    assert sorted(p.name for p in other.iterdir()) == ["holiday.jpg"]
    assert fingerprint(keep) == before


# ----------------------------------------------------------------------------- reading a store


@pytest.mark.parametrize("command", sorted(READ_COMMANDS))
def test_read_command_on_missing_store_creates_nothing(tmp_path: Path, command: str) -> None:
    store = tmp_path / "nostore"
    args = [a.replace("{tmp}", str(tmp_path)) for a in READ_COMMANDS[command]]
    result = kg(*args, "--store", str(store))
    assert_error(result, "no store")
    assert not store.exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == []  # no output file either


def test_query_formats_table_csv_tsv(filled: Path) -> None:
    query = "SELECT ?country ?label WHERE { ?country a gkg:Country ; rdfs:label ?label } ORDER BY ?label"
    table = kg("query", "--store", str(filled), query)
    assert_ok(table)
    lines = table.stdout.splitlines()
    assert lines[0].split() == ["country", "label"]
    assert set(lines[1].replace(" ", "")) == {"-"}
    assert any(line.startswith("id:country/JPN") and line.rstrip().endswith("Japan") for line in lines)
    assert "row(s)" in table.stderr and "row(s)" not in table.stdout

    as_csv = kg("query", "--store", str(filled), "--format", "csv", query)
    assert_ok(as_csv)
    rows = list(csv.reader(io.StringIO(as_csv.stdout)))
    assert rows[0] == ["country", "label"]
    assert ["https://w3id.org/geokg/id/country/JPN", "Japan"] in rows
    assert len(rows) - 1 == len(lines) - 2

    tsv = kg("query", "--store", str(filled), "--format", "tsv", query)
    assert_ok(tsv)
    tsv_rows = [line.split("\t") for line in tsv.stdout.splitlines()]
    assert tsv_rows[0] == ["?country", "?label"]
    assert ["<https://w3id.org/geokg/id/country/JPN>", '"Japan"'] in tsv_rows


def _check_sparql_json(doc: dict) -> None:
    """The shape of W3C SPARQL 1.1 Query Results JSON (SELECT form)."""
    assert set(doc) == {"head", "results"}
    variables = doc["head"]["vars"]
    assert isinstance(variables, list) and all(isinstance(v, str) and v[0] not in "?$" for v in variables)
    assert set(doc["results"]) == {"bindings"}
    for binding in doc["results"]["bindings"]:
        assert set(binding) <= set(variables)
        for term in binding.values():
            assert term["type"] in ("uri", "literal", "bnode")
            assert isinstance(term["value"], str)
            assert set(term) <= {"type", "value", "datatype", "xml:lang"}
            assert not ("datatype" in term and "xml:lang" in term)
            if term["type"] != "literal":
                assert set(term) == {"type", "value"}


def test_query_format_json_is_sparql_results_json(filled: Path) -> None:
    query = ("SELECT ?s ?sentence ?confidence ?missing WHERE { ?st a rdf:Statement ; rdf:subject ?s ; "
             "gkg:sentence ?sentence ; gkg:confidence ?confidence OPTIONAL { ?st gkg:nothing ?missing } }")
    result = kg("query", "--store", str(filled), "--format", "json", query)
    assert_ok(result)
    doc = json.loads(result.stdout)
    _check_sparql_json(doc)
    assert doc["head"]["vars"] == ["s", "sentence", "confidence", "missing"]
    bindings = doc["results"]["bindings"]
    assert bindings and all("missing" not in b for b in bindings)  # unbound: left out
    assert all(b["confidence"]["datatype"] == "http://www.w3.org/2001/XMLSchema#decimal" for b in bindings)
    assert all(b["s"]["type"] == "uri" for b in bindings)


def test_query_ask_json(filled: Path) -> None:
    result = kg("query", "--store", str(filled), "--format", "json", "ASK { ?s gkg:partyTo ?o }")
    assert_ok(result)
    assert json.loads(result.stdout) == {"head": {}, "boolean": True}


def test_query_from_file_and_stdin(tmp_path: Path, filled: Path) -> None:
    rq = write(tmp_path / "leaders.rq", "# who leads whom\nSELECT ?p ?c WHERE { ?p gkg:leaderOf ?c }\n")
    from_file = kg("query", "--store", str(filled), "-f", str(rq), "--format", "csv")
    assert_ok(from_file)
    from_stdin = kg("query", "--store", str(filled), "-f", "-", "--format", "csv", input=rq.read_text())
    assert_ok(from_stdin)
    assert from_file.stdout == from_stdin.stdout
    assert "https://w3id.org/geokg/id/person/shigeru-ishiba" in from_file.stdout


def test_malformed_query_reports_line_and_column(filled: Path) -> None:
    before = store_state(filled)
    result = kg("query", "--store", str(filled), "SELECT ?s\nWHERE { ?s ?p }")
    line = assert_error(result, "syntax error", "line 2, column")
    assert line.startswith("Error: SPARQL syntax error at line 2, column ")
    assert result.stdout == ""
    assert store_state(filled) == before


@pytest.mark.parametrize("update", [
    "DROP ALL",
    "CLEAR DEFAULT",
    "INSERT DATA { <urn:x:a> <urn:x:b> <urn:x:c> }",
    "PREFIX ex: <urn:x:>\nDELETE WHERE { ?s ?p ?o }",
    "LOAD <http://example.org/data.ttl>",
])
def test_update_sent_to_query_is_refused(filled: Path, update: str) -> None:
    before = store_state(filled)
    result = kg("query", "--store", str(filled), update)
    assert_error(result, "refused")
    assert store_state(filled) == before


def test_service_is_refused(filled: Path) -> None:
    result = kg("query", "--store", str(filled),
                "SELECT * WHERE { SERVICE <http://example.org/sparql> { ?s ?p ?o } }")
    assert_error(result, "SERVICE", "refused")


def test_query_unknown_format_is_a_usage_error(filled: Path) -> None:
    assert_error(kg("query", "--store", str(filled), "--format", "yaml", "ASK {}"), "--format", code=2)


# ----------------------------------------------------------------------------- kg export


def test_export_every_format_is_isomorphic(tmp_path: Path, filled: Path) -> None:
    graphs = {}
    for ext in BUILD_EXTENSIONS:
        out = tmp_path / f"all{ext}"
        result = kg("export", "--store", str(filled), "-o", str(out))
        assert_ok(result)
        assert result.stdout == ""
        graphs[ext] = parse_union(out)
    reference = graphs[".ttl"]
    assert len(reference) > 50
    for ext, graph in graphs.items():
        assert isomorphic(graph, reference), ext
    for ext in (".nq", ".trig", ".jsonld"):
        assert len(named_graphs(tmp_path / f"all{ext}")) == 3, ext


def test_export_to_stdout(filled: Path) -> None:
    result = kg("export", "--store", str(filled), "-f", "ntriples", "-o", "-")
    assert_ok(result)
    graph = rdflib.Graph().parse(data=result.stdout, format="nt")
    assert (None, rdflib.RDF.type, GKG.Article) in graph


def test_export_unknown_format(tmp_path: Path, filled: Path) -> None:
    assert_error(kg("export", "--store", str(filled), "-o", str(tmp_path / "all.foo")), "format")
    assert_error(kg("export", "--store", str(filled), "-f", "rdfxml", "-o", str(tmp_path / "all.rdf")),
                 "-f", code=2)
    assert list(tmp_path.iterdir()) == []


def test_export_keeps_an_existing_file_without_force(tmp_path: Path, filled: Path) -> None:
    out = write(tmp_path / "all.ttl", "# mine\n")
    before = fingerprint(out)
    assert_error(kg("export", "--store", str(filled), "-o", str(out)), "--force")
    assert fingerprint(out) == before


def test_export_into_the_store_folder_is_refused(filled: Path) -> None:
    before = sorted(p.name for p in filled.iterdir())
    assert_error(kg("export", "--store", str(filled), "-o", str(filled / "dump.nq")), "store folder")
    assert sorted(p.name for p in filled.iterdir()) == before


# ----------------------------------------------------------------------------- other commands


def test_stats_and_articles(filled: Path) -> None:
    stats = kg("stats", "--json", "--store", str(filled))
    assert_ok(stats)
    data = json.loads(stats.stdout)
    assert data["articles"] == 3
    assert data["relations"]["partyTo"] >= 2 and data["entities"]["Country"] >= 6
    listing = kg("articles", "--store", str(filled))
    assert_ok(listing)
    assert listing.stdout.splitlines()[0].split()[:3] == ["KEY", "DATE", "TRIPLES"]
    assert "2025-03-03" in listing.stdout


def test_remove_an_article(tmp_path: Path, articles: Path) -> None:
    store = tmp_path / "store"
    assert_ok(kg("ingest", "--store", str(store), str(articles)))
    result = kg("remove", "--store", str(store), str(articles / "minerals.txt"))
    assert_ok(result)
    assert article_count(store) == 2
    assert_error(kg("remove", "--store", str(store), "no-such-article"))
    assert article_count(store) == 2


def test_validate_store(filled: Path) -> None:
    result = kg("validate", "--store", str(filled))
    assert_ok(result)
    assert result.stdout.startswith("Conforms:")
