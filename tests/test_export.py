"""Exports: every format parses back, writes are atomic, and the CLI around them."""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
import rdflib
from conftest import ARTICLE_A, ARTICLE_B, GKG, ID
from rdflib import Literal, URIRef
from rdflib.compare import isomorphic

from kg.cli import main
from kg.errors import ExportError, StoreError
from kg.export import EXTENSIONS, atomic_write, export_graph, format_for_path
from kg.store import EmbeddedStore, open_store

RDFLIB_FORMAT = {"turtle": "turtle", "ntriples": "nt", "nquads": "nquads", "trig": "trig",
                 "jsonld": "json-ld"}
QUADS = {"nquads", "trig", "jsonld"}


def plain(triples) -> rdflib.Graph:
    g = rdflib.Graph()
    for t in triples:
        g.add(t)
    return g


def union(ds: rdflib.Dataset) -> rdflib.Graph:
    return plain((s, p, o) for s, p, o, _ in ds.quads((None, None, None, None)))


def parse_back(path: Path, fmt: str) -> rdflib.Dataset:
    ds = rdflib.Dataset()
    ds.parse(path, format=RDFLIB_FORMAT[fmt])
    return ds


@pytest.mark.parametrize("fmt", list(EXTENSIONS))
def test_store_export_parses_back_isomorphic(filled_store, sample_graph, tmp_path, fmt):
    out = tmp_path / f"export{EXTENSIONS[fmt]}"
    assert export_graph(filled_store, out) == fmt
    ds = parse_back(out, fmt)
    if fmt in QUADS:
        names = {g.identifier for g in ds.graphs() if len(g)}
        assert names == {ARTICLE_A, ARTICLE_B}
        for iri in (ARTICLE_A, ARTICLE_B):
            assert isomorphic(plain(ds.graph(iri)), plain(sample_graph.graph(iri)))
    else:
        got = plain(ds.default_graph)
        assert isomorphic(got, union(sample_graph))
        # each triple once although Japan's label is in both articles
        text = out.read_text(encoding="utf-8")
        if fmt == "ntriples":
            assert len(text.splitlines()) == len(union(sample_graph))


@pytest.mark.parametrize("fmt", list(EXTENSIONS))
def test_rdflib_graph_export_parses_back(sample_graph, tmp_path, fmt):
    out = tmp_path / f"g{EXTENSIONS[fmt]}"
    export_graph(sample_graph, out)
    ds = parse_back(out, fmt)
    if fmt in QUADS:
        for iri in (ARTICLE_A, ARTICLE_B):
            assert isomorphic(plain(ds.graph(iri)), plain(sample_graph.graph(iri)))
    else:
        assert isomorphic(plain(ds.default_graph), union(sample_graph))
    single = plain(sample_graph.graph(ARTICLE_A))
    out2 = tmp_path / f"single{EXTENSIONS[fmt]}"
    export_graph(single, out2)
    assert isomorphic(union(parse_back(out2, fmt)), single)


DOUBLES = ["1.0", "1.5E0", "1e10", "-0.0", "3.141592653589793", "INF", "NaN", "1.0E-7"]


@pytest.mark.parametrize("fmt", list(EXTENSIONS))
def test_literals_survive_round_trips(tmp_path, fmt):
    g = rdflib.Graph()
    s = ID["person/x"]
    for i, lex in enumerate(DOUBLES):
        g.add((s, GKG[f"d{i}"], Literal(lex, datatype=rdflib.XSD.double)))
    g.add((s, GKG.dec, Literal("0.80", datatype=rdflib.XSD.decimal)))
    g.add((s, GKG.when, Literal("2025-12-06", datatype=rdflib.XSD.date)))
    g.add((s, GKG.lang, Literal("Tōkyō", lang="ja-latn")))
    g.add((s, GKG.text, Literal('quote " backslash \\ newline \n tab \t emoji 😀')))
    g.add((s, GKG.custom, Literal("x y", datatype=URIRef("http://example.org/dt"))))
    store = EmbeddedStore.in_memory()
    store.replace_article(str(ARTICLE_A), g)
    out = tmp_path / f"lit{EXTENSIONS[fmt]}"
    export_graph(store, out)
    back = union(parse_back(out, fmt))
    by_pred = {p: o for _, p, o in back}
    for i, lex in enumerate(DOUBLES):
        got = by_pred[GKG[f"d{i}"]]
        assert got.datatype == rdflib.XSD.double
        want = float(lex)
        assert (got.toPython() != got.toPython()) if want != want else got.toPython() == want
    assert by_pred[GKG.dec].toPython() == Literal("0.8", datatype=rdflib.XSD.decimal).toPython()
    assert by_pred[GKG.when] == Literal("2025-12-06", datatype=rdflib.XSD.date)
    assert by_pred[GKG.lang].language.lower() == "ja-latn" and str(by_pred[GKG.lang]) == "Tōkyō"
    assert str(by_pred[GKG.text]) == 'quote " backslash \\ newline \n tab \t emoji 😀'
    assert by_pred[GKG.custom] == Literal("x y", datatype=URIRef("http://example.org/dt"))


def test_format_from_extension_and_explicit(filled_store, tmp_path):
    assert format_for_path("a/b.JSONLD") == "jsonld"
    out = tmp_path / "data.txt"
    with pytest.raises(ExportError, match="cannot tell the format"):
        export_graph(filled_store, out)
    assert export_graph(filled_store, out, "nquads") == "nquads"
    assert len(list(parse_back(out, "nquads").quads())) == len(filled_store.oxigraph)
    with pytest.raises(ExportError, match="unknown format"):
        export_graph(filled_store, tmp_path / "x.ttl", "rdfxml")


def test_refuses_to_overwrite_without_force(filled_store, tmp_path):
    out = tmp_path / "old.ttl"
    out.write_text("old content")
    with pytest.raises(ExportError, match="exists; pass --force"):
        export_graph(filled_store, out)
    assert out.read_text() == "old content"
    export_graph(filled_store, out, force=True)
    assert "gkg:" in out.read_text()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["kgstore", "old.ttl"]


def test_refuses_the_store_folder_and_inside_it(filled_store, store_path):
    with pytest.raises(ExportError):
        export_graph(filled_store, store_path, "nquads", force=True)
    with pytest.raises(ExportError, match="inside the store folder"):
        export_graph(filled_store, store_path / "dump.nq")
    assert not (store_path / "dump.nq").exists()


class FailingStore(EmbeddedStore):
    """Writes part of a dump, then fails: a stand-in for a store that breaks mid-export."""

    def dump(self, out, format):
        out.write(b"<urn:x:a> <urn:x:b> <urn:x:c> .\n" * 1000)
        raise StoreError("the store broke in the middle of the dump")


def test_failed_export_keeps_existing_file_and_leaves_no_temp(tmp_path):
    import pyoxigraph

    out = tmp_path / "export.nt"
    out.write_text("old content")
    broken = FailingStore(pyoxigraph.Store(), "<memory>", read_only=False)
    with pytest.raises(StoreError, match="broke"):
        export_graph(broken, out, force=True)
    assert out.read_text() == "old content"
    assert [p.name for p in tmp_path.iterdir()] == ["export.nt"]


def test_export_into_missing_folder(filled_store, tmp_path):
    with pytest.raises(ExportError, match="does not exist"):
        export_graph(filled_store, tmp_path / "nope" / "x.ttl")
    assert not (tmp_path / "nope").exists()


DISK_FULL = textwrap.dedent("""
    import resource, signal, sys
    from kg.store import open_store
    from kg.export import export_graph
    from kg.errors import KGError
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)   # get EFBIG instead of being killed
    resource.setrlimit(resource.RLIMIT_FSIZE, (2000, 2000))
    store = open_store(sys.argv[1], read_only=True)
    try:
        export_graph(store, sys.argv[2], force=True)
    except KGError as err:
        print("ERROR", err)
        sys.exit(1)
    print("OK")
""")


def test_disk_full_keeps_existing_file(filled_store, store_path, tmp_path):
    """RLIMIT_FSIZE makes writes past 2,000 bytes fail like a full disk."""
    filled_store.oxigraph.flush()
    out = tmp_path / "out" / "export.nq"
    out.parent.mkdir()
    out.write_text("old content")
    proc = subprocess.run([sys.executable, "-c", DISK_FULL, str(store_path), str(out)],
                          capture_output=True, text=True, timeout=60, cwd=Path(__file__).parent.parent)
    assert proc.returncode == 1, proc.stdout + proc.stderr
    assert proc.stdout.startswith("ERROR cannot write") or "File too large" in proc.stdout
    assert out.read_text() == "old content"
    assert [p.name for p in out.parent.iterdir()] == ["export.nq"]


def test_atomic_write_text_and_failure(tmp_path):
    target = tmp_path / "notes.md"
    with atomic_write(target, text=True) as fh:
        fh.write("first")
    assert target.read_text() == "first"
    with pytest.raises(ExportError, match="exists"):
        with atomic_write(target, text=True) as fh:
            fh.write("second")
    with pytest.raises(RuntimeError):
        with atomic_write(target, text=True, force=True) as fh:
            fh.write("half")
            raise RuntimeError("boom")
    assert target.read_text() == "first"
    assert [p.name for p in tmp_path.iterdir()] == ["notes.md"]
    with pytest.raises(ExportError, match="folder"):
        with atomic_write(tmp_path):
            pass


# -- CLI -----------------------------------------------------------------------


@pytest.fixture
def cli_store(filled_store, store_path):
    filled_store.close()
    import gc

    gc.collect()
    return str(store_path)


def test_cli_export_infers_format(runner, cli_store, tmp_path, sample_graph):
    out = tmp_path / "all.trig"
    result = runner.invoke(main, ["export", "--store", cli_store, "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert result.stdout == "" and "exported" in result.stderr
    ds = parse_back(out, "trig")
    assert isomorphic(plain(ds.graph(ARTICLE_A)), plain(sample_graph.graph(ARTICLE_A)))


def test_cli_export_stdout(runner, cli_store, sample_graph):
    result = runner.invoke(main, ["export", "--store", cli_store, "-f", "ntriples", "-o", "-"])
    assert result.exit_code == 0, result.output
    g = rdflib.Graph().parse(data=result.stdout, format="nt")
    assert isomorphic(g, union(sample_graph))


def test_cli_export_errors(runner, cli_store, tmp_path):
    out = tmp_path / "x.ttl"
    out.write_text("keep")
    result = runner.invoke(main, ["export", "--store", cli_store, "-o", str(out)])
    assert result.exit_code == 1 and "Error: " in result.stderr and "--force" in result.stderr
    assert out.read_text() == "keep"
    result = runner.invoke(main, ["export", "--store", cli_store, "-o", str(out), "--force"])
    assert result.exit_code == 0 and out.read_text() != "keep"
    result = runner.invoke(main, ["export", "--store", cli_store, "-o", "-"])
    assert result.exit_code == 1 and "give the format" in result.stderr
    result = runner.invoke(main, ["export", "--store", cli_store, "-o", str(tmp_path / "y.xyz")])
    assert result.exit_code == 1 and "cannot tell the format" in result.stderr
    result = runner.invoke(main, ["export", "--store", str(tmp_path / "missing"), "-o", "z.ttl"])
    assert result.exit_code == 1 and "no store at" in result.stderr
    assert not (tmp_path / "missing").exists()


def test_cli_stats(runner, cli_store):
    result = runner.invoke(main, ["stats", "--store", cli_store])
    assert result.exit_code == 0, result.output
    assert "articles          2" in result.stdout and "Country" in result.stdout
    result = runner.invoke(main, ["stats", "--store", cli_store, "--json"])
    doc = json.loads(result.stdout)
    assert doc["articles"] == 2 and doc["entities"]["Person"] == 2 and doc["relations"]["supports"] == 2


def test_cli_articles(runner, cli_store):
    result = runner.invoke(main, ["articles", "--store", cli_store])
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[0].split()[:3] == ["KEY", "DATE", "TRIPLES"]
    assert any(line.startswith("us-japan-summit-1a2b3c4d") for line in lines)
    doc = json.loads(runner.invoke(main, ["articles", "--store", cli_store, "--json"]).stdout)
    assert {d["iri"] for d in doc} == {str(ARTICLE_A), str(ARTICLE_B)}
    assert {d["source"] for d in doc} == {"/abs/path/us-japan-summit.txt", "/abs/path/tokyo-minerals.txt"}


@pytest.mark.parametrize("name", [
    str(ARTICLE_A), "us-japan-summit-1a2b3c4d", "/abs/path/us-japan-summit.txt",
    "us-japan-summit.txt", "us-japan-summit",
])
def test_cli_remove_by_iri_key_or_source(runner, cli_store, name):
    result = runner.invoke(main, ["remove", "--store", cli_store, name])
    assert result.exit_code == 0, result.output
    assert f"removed {ARTICLE_A}" in result.stderr
    with open_store(cli_store, read_only=True) as st:
        assert [a.iri for a in st.articles()] == [str(ARTICLE_B)]


def test_cli_remove_ambiguous_and_missing(runner, tmp_store, store_path):
    for folder in ("x", "y"):
        iri = ID[f"article/report-{folder}"]
        g = rdflib.Graph()
        g.add((iri, rdflib.RDF.type, GKG.Article))
        g.add((iri, rdflib.namespace.DCTERMS.source, Literal(f"/news/{folder}/report.txt")))
        tmp_store.replace_article(str(iri), g)
    tmp_store.close()
    import gc

    gc.collect()
    result = runner.invoke(main, ["remove", "--store", str(store_path), "report.txt"])
    assert result.exit_code == 1
    assert "matches 2 articles" in result.stderr
    assert "/news/x/report.txt" in result.stderr and "/news/y/report.txt" in result.stderr
    result = runner.invoke(main, ["remove", "--store", str(store_path), "nothing-like-it"])
    assert result.exit_code == 1 and "no article matches" in result.stderr
    with open_store(store_path, read_only=True) as st:
        assert len(st.articles()) == 2
