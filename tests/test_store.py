"""The embedded store: transactions, listing, stats, opening rules, locks, read-only."""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap

import pytest
import rdflib
from conftest import ARTICLE_A, ARTICLE_B, GKG, ID, SHA_A, SHA_B
from rdflib import Literal, URIRef
from rdflib.compare import isomorphic

from kg.errors import StoreError
from kg.store import MARKER_FILE, ArticleInfo, Store, open_store


def graph_of(ds: rdflib.Dataset, iri: URIRef) -> rdflib.Graph:
    g = rdflib.Graph()
    for t in ds.graph(iri):
        g.add(t)
    return g


def stored_graph(store: Store, iri: URIRef) -> rdflib.Graph:
    g = rdflib.Graph()
    for t in store.to_dataset().graph(iri):
        g.add(t)
    return g


def count(store: Store, sparql: str) -> int:
    return int(store.query(sparql).rows[0][0])


# -- writing -------------------------------------------------------------------


def test_replace_article_stores_the_graph_exactly(tmp_store, sample_graph):
    a = graph_of(sample_graph, ARTICLE_A)
    tmp_store.replace_article(str(ARTICLE_A), a)
    assert isomorphic(stored_graph(tmp_store, ARTICLE_A), a)
    assert [i.iri for i in tmp_store.articles()] == [str(ARTICLE_A)]


def test_reingest_replaces_without_duplicates(filled_store, sample_graph):
    a = graph_of(sample_graph, ARTICLE_A)
    before = len(filled_store.oxigraph)
    for _ in range(3):
        filled_store.replace_article(str(ARTICLE_A), a)
    assert len(filled_store.oxigraph) == before
    # a changed article: one label gone, one new triple
    changed = graph_of(sample_graph, ARTICLE_A)
    changed.remove((ID["person/donald-trump"], rdflib.SKOS.altLabel, Literal("Trump")))
    changed.add((ID["person/donald-trump"], GKG.meetsWith, ID["person/sanae-takaichi"]))
    filled_store.replace_article(str(ARTICLE_A), changed)
    assert isomorphic(stored_graph(filled_store, ARTICLE_A), changed)
    assert isomorphic(stored_graph(filled_store, ARTICLE_B), graph_of(sample_graph, ARTICLE_B))


def test_replace_with_blank_nodes_rewrites_whole_graph(tmp_store):
    g = rdflib.Graph()
    b = rdflib.BNode()
    g.add((URIRef(ARTICLE_A), GKG.note, b))
    g.add((b, rdflib.RDFS.label, Literal("note")))
    tmp_store.replace_article(str(ARTICLE_A), g)
    tmp_store.replace_article(str(ARTICLE_A), g)
    assert len(tmp_store.oxigraph) == 2
    g2 = rdflib.Graph()
    g2.add((URIRef(ARTICLE_A), GKG.note, Literal("plain")))
    tmp_store.replace_article(str(ARTICLE_A), g2)
    assert isomorphic(stored_graph(tmp_store, ARTICLE_A), g2)


def test_replace_with_an_empty_graph_drops_it(filled_store):
    filled_store.replace_article(str(ARTICLE_A), rdflib.Graph())
    assert [i.iri for i in filled_store.articles()] == [str(ARTICLE_B)]


@pytest.mark.parametrize("bad", [
    (URIRef("http://example.org/bad iri"), GKG.p, Literal("x")),  # space in an IRI
    (Literal("a literal subject"), GKG.p, Literal("x")),          # rdflib allows it, RDF does not
])
def test_failing_insert_leaves_old_content_intact(filled_store, sample_graph, bad):
    before = filled_store.to_dataset()
    broken = graph_of(sample_graph, ARTICLE_A)
    # many good triples first, the bad one somewhere in the middle
    for i in range(500):
        broken.add((ID[f"person/p{i}"], rdflib.RDFS.label, Literal(f"P {i}")))
    broken.add(bad)
    for i in range(500, 1000):
        broken.add((ID[f"person/p{i}"], rdflib.RDFS.label, Literal(f"P {i}")))
    with pytest.raises(StoreError, match="cannot store"):
        filled_store.replace_article(str(ARTICLE_A), broken)
    with pytest.raises(StoreError):  # a new article fails the same way, and is not created
        filled_store.replace_article(str(ID["article/new-1"]), broken)
    after = filled_store.to_dataset()
    assert len(list(after.quads())) == len(list(before.quads()))
    for iri in (ARTICLE_A, ARTICLE_B):
        assert isomorphic(graph_of(after, iri), graph_of(before, iri))
    assert str(ID["article/new-1"]) not in {a.iri for a in filled_store.articles()}


def test_invalid_article_iri_is_refused(tmp_store):
    with pytest.raises(StoreError, match="not a valid article IRI"):
        tmp_store.replace_article("not an iri", rdflib.Graph())


def test_large_new_graph_uses_bulk_path(tmp_store, monkeypatch):
    import kg.store

    monkeypatch.setattr(kg.store, "BULK_THRESHOLD", 100)
    g = rdflib.Graph()
    for i in range(300):
        g.add((ID[f"person/p{i}"], rdflib.RDFS.label, Literal(f"P {i}")))
    tmp_store.replace_article(str(ARTICLE_A), g)
    assert len(tmp_store.oxigraph) == 300
    tmp_store.replace_article(str(ARTICLE_A), g)  # existing: transactional diff path
    assert len(tmp_store.oxigraph) == 300


def test_add_articles_bulk(tmp_store, sample_graph):
    items = [(str(g.identifier), g) for g in sample_graph.graphs() if len(g)]
    assert tmp_store.add_articles(items, batch_triples=10) == 2
    n = len(tmp_store.oxigraph)
    assert tmp_store.add_articles(items) == 2  # again: replaced, not duplicated
    assert len(tmp_store.oxigraph) == n
    ds = tmp_store.to_dataset()
    for iri in (ARTICLE_A, ARTICLE_B):
        assert isomorphic(graph_of(ds, iri), graph_of(sample_graph, iri))


TRICKY = ['quote " backslash \\ newline \n return \r tab \t', "\\u0041 not an escape", "emoji 😀",
          "ctl \x01\x7f", "x\u2028y", ""]


def tricky_graph(iri: URIRef) -> rdflib.Graph:
    g = rdflib.Graph()
    for i, text in enumerate(TRICKY):
        g.add((iri, GKG[f"t{i}"], Literal(text)))
    g.add((iri, GKG.lang, Literal("Tōkyō", lang="ja-latn")))  # (Oxigraph lower-cases tags)
    g.add((iri, GKG.dt, Literal("x", datatype=URIRef("http://example.org/dt#x"))))
    g.add((iri, GKG.when, Literal("2025-12-06", datatype=rdflib.XSD.date)))
    b = rdflib.BNode()
    g.add((iri, GKG.note, b))
    g.add((b, rdflib.RDFS.label, Literal("blank")))
    return g


@pytest.mark.parametrize("path", ["transaction", "bulk", "add_articles"])
def test_every_write_path_stores_literals_exactly(tmp_store, monkeypatch, path):
    import kg.store

    g = tricky_graph(URIRef(ARTICLE_A))
    if path == "bulk":
        monkeypatch.setattr(kg.store, "BULK_THRESHOLD", 1)
    if path == "add_articles":
        tmp_store.add_articles([(str(ARTICLE_A), g)])
    else:
        tmp_store.replace_article(str(ARTICLE_A), g)
    assert isomorphic(stored_graph(tmp_store, ARTICLE_A), g)


def test_add_articles_stops_at_a_bad_article(tmp_store, sample_graph):
    bad = rdflib.Graph()
    bad.add((URIRef("http://example.org/bad iri"), GKG.p, Literal("x")))
    items = [(str(ARTICLE_A), graph_of(sample_graph, ARTICLE_A)), (str(ID["article/bad"]), bad),
             (str(ARTICLE_B), graph_of(sample_graph, ARTICLE_B))]
    with pytest.raises(StoreError, match="invalid IRI"):
        tmp_store.add_articles(items)
    assert [a.iri for a in tmp_store.articles()] == [str(ARTICLE_A)]


def test_bulk_replace_with_a_bad_term_writes_nothing(tmp_store, monkeypatch):
    import kg.store

    monkeypatch.setattr(kg.store, "BULK_THRESHOLD", 10)
    g = rdflib.Graph()
    for i in range(50):
        g.add((ID[f"person/p{i}"], rdflib.RDFS.label, Literal(f"P {i}")))
    g.add((Literal("literal subject"), GKG.p, Literal("x")))
    with pytest.raises(StoreError, match="cannot store"):
        tmp_store.replace_article(str(ARTICLE_A), g)
    assert len(tmp_store.oxigraph) == 0 and tmp_store.articles() == []


def test_remove_article(filled_store):
    assert filled_store.remove_article(str(ARTICLE_A)) is True
    assert filled_store.remove_article(str(ARTICLE_A)) is False
    assert [a.iri for a in filled_store.articles()] == [str(ARTICLE_B)]
    assert filled_store.find_article_by_hash(SHA_A) is None


# -- reading -------------------------------------------------------------------


def test_articles_listing(filled_store, sample_graph):
    infos = filled_store.articles()
    assert [i.iri for i in infos] == sorted([str(ARTICLE_A), str(ARTICLE_B)])
    a = next(i for i in infos if i.iri == str(ARTICLE_A))
    assert a == ArticleInfo(
        iri=str(ARTICLE_A), source="/abs/path/us-japan-summit.txt",
        title="Trump–Takaichi Summit Marks New Phase in U.S.–Japan Alliance",
        sha256=SHA_A, date="2025-12-06", triples=len(sample_graph.graph(ARTICLE_A)),
    )


def test_generic_listing_matches_embedded(filled_store):
    # the SPARQL-only implementations in Store (used by other back ends) agree
    assert Store.articles(filled_store) == filled_store.articles()
    assert Store.stats(filled_store) == filled_store.stats()
    assert Store.find_article_by_hash(filled_store, SHA_B) == str(ARTICLE_B)
    assert Store.article_hash(filled_store, str(ARTICLE_A)) == SHA_A


def test_hash_lookups(filled_store):
    assert filled_store.find_article_by_hash(SHA_A) == str(ARTICLE_A)
    assert filled_store.find_article_by_hash("0" * 64) is None
    assert filled_store.article_hash(str(ARTICLE_B)) == SHA_B
    assert filled_store.article_hash(str(ID["article/missing"])) is None


def test_stats(filled_store, sample_graph):
    stats = filled_store.stats()
    assert stats.articles == 2
    assert stats.triples == sum(len(g) for g in sample_graph.graphs())
    assert stats.distinct_triples < stats.triples  # Japan's label is in both articles
    assert stats.entities["Country"] == 2
    assert stats.entities["Person"] == 2
    assert stats.entities["Issue"] == 1
    assert stats.entities["Event"] == 0
    assert stats.relations["supports"] == 2
    assert stats.relations["partyTo"] == 2
    assert stats.relations["leaderOf"] == 2
    assert stats.statements == 2
    assert json.loads(json.dumps(stats.to_dict()))["entities"]["Country"] == 2


def test_query_runs_over_the_union_of_article_graphs(filled_store):
    res = filled_store.query("SELECT DISTINCT ?c WHERE { ?c a gkg:Country } ORDER BY ?c")
    assert [str(r[0]) for r in res.rows] == [str(ID["country/JPN"]), str(ID["country/USA"])]
    # a join across two articles: Trump (article A) supports someone; Japan (article B) is party to a deal
    res = filled_store.query("""
        SELECT DISTINCT ?leader ?deal WHERE {
          ?leader gkg:leaderOf ?country . ?country gkg:partyTo ?deal }""")
    assert len(res.rows) == 2
    assert not res.truncated


def test_to_dataset_round_trip(filled_store, sample_graph):
    ds = filled_store.to_dataset()
    for iri in (ARTICLE_A, ARTICLE_B):
        assert isomorphic(graph_of(ds, iri), graph_of(sample_graph, iri))


# -- opening -------------------------------------------------------------------


def test_missing_store_is_an_error_and_nothing_is_created(tmp_path):
    path = tmp_path / "typo" / "kgstroe"
    with pytest.raises(StoreError, match=r"no store at .*kg ingest FILE"):
        open_store(path)
    with pytest.raises(StoreError, match="no store"):
        open_store(path, read_only=True)
    assert not path.exists() and not path.parent.exists()


def test_empty_folder_without_create_is_not_a_store(tmp_path):
    with pytest.raises(StoreError, match="no store"):
        open_store(tmp_path)
    assert list(tmp_path.iterdir()) == []


def test_create_writes_marker(store_path):
    with open_store(store_path, create=True):
        pass
    marker = json.loads((store_path / MARKER_FILE).read_text())
    assert marker["format"] == "geokg-store" and marker["version"] == 1
    with open_store(store_path) as store:  # reopen without create
        assert store.articles() == []


def test_path_that_is_a_file_is_refused(tmp_path):
    f = tmp_path / "notes.txt"
    f.write_text("keep me")
    with pytest.raises(StoreError, match="is a file"):
        open_store(f, create=True)
    assert f.read_text() == "keep me"


def test_unrelated_folder_is_refused(tmp_path):
    folder = tmp_path / "photos"
    folder.mkdir()
    (folder / "cat.jpg").write_bytes(b"\xff\xd8")
    with pytest.raises(StoreError, match="not a geokg store"):
        open_store(folder, create=True)
    assert sorted(p.name for p in folder.iterdir()) == ["cat.jpg"]


def test_newer_store_format_is_refused(store_path):
    open_store(store_path, create=True).close()
    (store_path / MARKER_FILE).write_text(json.dumps({"format": "geokg-store", "version": 99}))
    with pytest.raises(StoreError, match="upgrade geokg"):
        open_store(store_path)


HOLD_WRITER = textwrap.dedent("""
    import sys, time
    import pyoxigraph
    store = pyoxigraph.Store(sys.argv[1])
    print("ready", flush=True)
    sys.stdin.readline()
""")


@pytest.fixture
def locked_store(filled_store, store_path):
    """The filled store, closed here, then held open for writing by another process."""
    filled_store.oxigraph.flush()
    filled_store.close()
    import gc

    gc.collect()  # drop our RocksDB handle so the child can take the lock
    proc = subprocess.Popen([sys.executable, "-c", HOLD_WRITER, str(store_path)],
                            stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    try:
        assert proc.stdout.readline().strip() == "ready"
        yield store_path
    finally:
        proc.stdin.close()
        proc.wait(timeout=30)


def test_locked_store_gives_a_clear_message(locked_store):
    with pytest.raises(StoreError) as info:
        open_store(locked_store)
    message = str(info.value)
    assert "in use by another process" in message
    assert "close the other kg process" in message and "read-only" in message


def test_read_only_open_works_while_another_process_writes(locked_store):
    with open_store(locked_store, read_only=True) as store:
        assert len(store.articles()) == 2
        assert store.query("ASK { ?s a gkg:Country }").boolean is True
        with pytest.raises(StoreError, match="read-only"):
            store.replace_article(str(ARTICLE_A), rdflib.Graph())
        with pytest.raises(StoreError, match="read-only"):
            store.remove_article(str(ARTICLE_A))


def test_read_only_open_leaves_the_folder_untouched(filled_store, store_path):
    filled_store.close()
    import gc

    gc.collect()
    before = {p.name: p.stat().st_mtime_ns for p in store_path.iterdir()}
    with open_store(store_path, read_only=True) as store:
        assert store.stats().articles == 2
    after = {p.name: p.stat().st_mtime_ns for p in store_path.iterdir()}
    assert after == before


def test_closed_store_refuses_use(tmp_store):
    tmp_store.close()
    with pytest.raises(StoreError, match="closed"):
        tmp_store.articles()


def test_remote_urls_dispatch_to_remote_store(monkeypatch):
    import types

    fake = types.ModuleType("kg.remote")

    class RemoteStore:
        @classmethod
        def from_url(cls, url):
            return ("remote", url)

    fake.RemoteStore = RemoteStore
    monkeypatch.setitem(sys.modules, "kg.remote", fake)
    assert open_store("http://localhost:7878") == ("remote", "http://localhost:7878")
    assert open_store("https://example.org/sparql") == ("remote", "https://example.org/sparql")


def test_store_interface_is_abstract():
    with pytest.raises(TypeError):
        Store()  # type: ignore[abstract]
    abstract = set(Store.__abstractmethods__)
    assert abstract == {"replace_article", "remove_article", "query", "dump"}


def test_module_docstring_documents_the_interface():
    import kg.store

    for name in ("replace_article", "remove_article", "articles", "find_article_by_hash",
                 "article_hash", "query", "dump", "to_dataset", "stats", "close"):
        assert name in kg.store.__doc__
        assert callable(getattr(Store, name))
