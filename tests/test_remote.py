"""RemoteStore against a real Oxigraph server (fixture ``oxigraph_url``), and its endpoint config.

The server tests compare the remote store with the embedded one on the same
data: both must list, count, query and dump alike.
"""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest
import rdflib
from conftest import ARTICLE_A, ARTICLE_B, GKG, ID, SHA_A, SHA_B
from rdflib.compare import isomorphic

from kg.cli import main
from kg.errors import QueryError, StoreError
from kg.remote import Endpoints, RemoteStore, article_graph, is_remote, push
from kg.store import DUMP_FORMATS, EmbeddedStore, open_store

ROOT = Path(__file__).resolve().parent.parent


def graph_of(ds: rdflib.Dataset, iri: rdflib.URIRef) -> rdflib.Graph:
    out = rdflib.Graph()
    for t in ds.graph(iri):
        out.add(t)
    return out


def articles_of(ds: rdflib.Dataset) -> list[tuple[str, rdflib.Graph]]:
    return [(str(g.identifier), g) for g in ds.graphs()
            if g.identifier != rdflib.graph.DATASET_DEFAULT_GRAPH_ID and len(g)]


def server_triples(store: RemoteStore) -> int:
    return int(store.query("SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }").rows[0][0])


@pytest.fixture
def remote(oxigraph_url: str) -> RemoteStore:
    return RemoteStore.from_url(oxigraph_url)


@pytest.fixture
def filled_remote(remote: RemoteStore, sample_graph: rdflib.Dataset) -> RemoteStore:
    for iri, g in articles_of(sample_graph):
        remote.replace_article(iri, g)
    return remote


@pytest.fixture
def memory_twin(sample_graph: rdflib.Dataset) -> EmbeddedStore:
    """The sample articles in an in-memory embedded store, for comparisons."""
    store = EmbeddedStore.in_memory()
    for iri, g in articles_of(sample_graph):
        store.replace_article(iri, g)
    return store


# -- endpoints (no server) -------------------------------------------------------


@pytest.mark.parametrize(("url", "kind", "query", "update", "gsp"), [
    ("http://127.0.0.1:7878", "oxigraph", "http://127.0.0.1:7878/query", "http://127.0.0.1:7878/update",
     "http://127.0.0.1:7878/store"),
    ("http://127.0.0.1:7878/", "oxigraph", "http://127.0.0.1:7878/query", "http://127.0.0.1:7878/update",
     "http://127.0.0.1:7878/store"),
    ("http://h:3030/ds#fuseki", "fuseki", "http://h:3030/ds/query", "http://h:3030/ds/update",
     "http://h:3030/ds/data"),
    ("fuseki+http://h:3030/ds", "fuseki", "http://h:3030/ds/query", "http://h:3030/ds/update",
     "http://h:3030/ds/data"),
    ("http://h:7200/repositories/news", "graphdb", "http://h:7200/repositories/news",
     "http://h:7200/repositories/news/statements", "http://h:7200/repositories/news/rdf-graphs/service"),
    ("http://h:8890#virtuoso", "virtuoso", "http://h:8890/sparql", "http://h:8890/sparql", None),
    ("http://h:8000/sparql", "generic", "http://h:8000/sparql", "http://h:8000/sparql", None),
])
def test_endpoints_for_each_kind(url, kind, query, update, gsp):
    ep = Endpoints.for_url(url, env={})
    assert (ep.kind, ep.query, ep.update, ep.gsp) == (kind, query, update, gsp)


def test_union_default_graph_parameters():
    assert Endpoints.for_url("http://h:7878", env={}).union_params == (("union-default-graph", ""),)
    assert Endpoints.for_url("http://h/ds#fuseki", env={}).union_params == (
        ("default-graph-uri", "urn:x-arq:UnionGraph"),)
    assert Endpoints.for_url("http://h/repositories/x", env={}).union_params == ()


def test_environment_overrides_endpoints():
    env = {"KG_REMOTE_KIND": "fuseki", "KG_REMOTE_GSP": "", "KG_REMOTE_QUERY": "http://q/sparql",
           "KG_REMOTE_TIMEOUT": "5", "KG_REMOTE_USER": "u", "KG_REMOTE_PASSWORD": "s3cret-pw"}
    ep = Endpoints.for_url("http://h:3030/ds", env=env)
    assert ep.kind == "fuseki" and ep.query == "http://q/sparql" and ep.gsp is None
    assert ep.update == "http://h:3030/ds/update" and ep.timeout == 5.0 and ep.user == "u"
    assert "s3cret-pw" not in repr(ep)  # credentials stay out of logs


@pytest.mark.parametrize("suffix", [".toml", ".json"])
def test_config_file(tmp_path, suffix):
    settings = {"kind": "graphdb", "update": "http://h/custom-update", "union": False}
    path = tmp_path / f"remote{suffix}"
    if suffix == ".json":
        path.write_text(json.dumps(settings))
    else:
        path.write_text('[remote]\nkind = "graphdb"\nupdate = "http://h/custom-update"\nunion = false\n')
    ep = Endpoints.for_url("http://h/repositories/r", env={"KG_REMOTE_CONFIG": str(path)})
    assert ep.kind == "graphdb" and ep.update == "http://h/custom-update" and ep.union_params == ()


def test_bad_config_is_a_store_error(tmp_path):
    bad = tmp_path / "remote.toml"
    bad.write_text("kind = = oops")
    with pytest.raises(StoreError, match="not valid"):
        Endpoints.for_url("http://h", env={"KG_REMOTE_CONFIG": str(bad)})
    with pytest.raises(StoreError, match="unknown SPARQL server kind"):
        Endpoints.for_url("http://h#blazegraph", env={})


def test_is_remote():
    assert is_remote("http://127.0.0.1:7878") and is_remote("https://h/x") and is_remote("fuseki+http://h/ds")
    assert not is_remote(".geokg") and not is_remote("/tmp/http-store")


def test_open_store_with_a_url_gives_a_remote_store():
    store = open_store("http://127.0.0.1:7878")
    assert isinstance(store, RemoteStore) and store.endpoints.kind == "oxigraph"


def test_no_server_is_a_clear_error():
    from oxigraph_server import free_port

    store = RemoteStore.from_url(f"http://127.0.0.1:{free_port()}")
    with pytest.raises(StoreError, match="no SPARQL server answers at http://127.0.0.1:.* start it or check"):
        store.articles()
    with pytest.raises(StoreError, match="no SPARQL server answers"):
        store.replace_article(str(ARTICLE_A), rdflib.Graph())


def test_bad_iri_is_refused_before_any_request():
    store = RemoteStore.from_url("http://127.0.0.1:1")
    with pytest.raises(StoreError, match="not an absolute IRI"):
        store.replace_article("http://x/a> } ; DROP ALL ; #", rdflib.Graph())


# -- against a real Oxigraph server ------------------------------------------


@pytest.mark.server
def test_replace_and_read_back(filled_remote, sample_graph):
    ds = filled_remote.to_dataset()
    for iri in (ARTICLE_A, ARTICLE_B):
        assert isomorphic(graph_of(ds, iri), graph_of(sample_graph, iri))


@pytest.mark.server
def test_reingest_replaces_without_duplicates(filled_remote, sample_graph):
    before = server_triples(filled_remote)
    for iri, g in articles_of(sample_graph):
        filled_remote.replace_article(iri, g)
    assert server_triples(filled_remote) == before
    smaller = graph_of(sample_graph, ARTICLE_A)
    smaller.remove((ID["country/JPN"], None, None))
    filled_remote.replace_article(str(ARTICLE_A), smaller)
    assert isomorphic(graph_of(filled_remote.to_dataset(), ARTICLE_A), smaller)


@pytest.mark.server
def test_blank_nodes_and_odd_literals_survive(remote):
    g = rdflib.Graph()
    b = rdflib.BNode()
    g.add((b, GKG.sentence, rdflib.Literal('quote " backslash \\ newline \n tab \t unicode — 日本')))
    g.add((b, GKG.score, rdflib.Literal("0.5", datatype=rdflib.XSD.decimal)))
    g.add((ID["country/JPN"], GKG.note, rdflib.Literal("Japon", lang="fr")))
    remote.replace_article(str(ARTICLE_A), g)
    remote.replace_article(str(ARTICLE_A), g)
    assert isomorphic(graph_of(remote.to_dataset(), ARTICLE_A), g)


@pytest.mark.server
def test_empty_graph_removes_the_article(filled_remote):
    filled_remote.replace_article(str(ARTICLE_A), rdflib.Graph())
    assert [a.iri for a in filled_remote.articles()] == [str(ARTICLE_B)]


@pytest.mark.server
def test_remove_article(filled_remote):
    assert filled_remote.remove_article(str(ARTICLE_A)) is True
    assert filled_remote.remove_article(str(ARTICLE_A)) is False
    assert [a.iri for a in filled_remote.articles()] == [str(ARTICLE_B)]


@pytest.mark.server
def test_articles_and_hashes_match_the_embedded_store(filled_remote, memory_twin):
    assert filled_remote.articles() == memory_twin.articles()
    info = {a.iri: a for a in filled_remote.articles()}[str(ARTICLE_A)]
    assert info.sha256 == SHA_A and info.date == "2025-12-06" and info.source.endswith("us-japan-summit.txt")
    assert filled_remote.find_article_by_hash(SHA_B) == str(ARTICLE_B)
    assert filled_remote.find_article_by_hash("0" * 64) is None
    assert filled_remote.article_hash(str(ARTICLE_A)) == SHA_A
    assert filled_remote.article_hash(str(ID["article/none"])) is None


@pytest.mark.server
def test_stats_match_the_embedded_store(filled_remote, memory_twin):
    assert filled_remote.stats() == memory_twin.stats()


@pytest.mark.server
@pytest.mark.parametrize("sparql", [
    "SELECT DISTINCT ?c ?label WHERE { ?c a gkg:Country ; rdfs:label ?label } ORDER BY ?c",
    "SELECT ?s ?o WHERE { ?s gkg:supports ?o } ORDER BY ?s ?o",
    "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g ORDER BY ?g",
    "SELECT ?x ?c WHERE { ?x gkg:confidence ?c } ORDER BY ?c",
])
def test_query_over_the_union_matches_the_embedded_store(filled_remote, memory_twin, sparql):
    remote, local = filled_remote.query(sparql), memory_twin.query(sparql)
    assert remote.kind == local.kind == "select"
    assert remote.variables == local.variables
    assert remote.rows == local.rows and remote.rows


@pytest.mark.server
def test_union_spans_articles(filled_remote):
    # Japan supports the US in article B; Trump supports Takaichi in A: one query sees both
    rows = filled_remote.query("SELECT DISTINCT ?s WHERE { ?s gkg:supports ?o }").rows
    assert {str(r[0]) for r in rows} == {str(ID["person/donald-trump"]), str(ID["country/JPN"])}


@pytest.mark.server
def test_ask_and_construct(filled_remote, memory_twin):
    assert filled_remote.query(f"ASK {{ ?s gkg:leaderOf <{ID['country/JPN']}> }}").boolean is True
    assert filled_remote.query(f"ASK {{ ?s gkg:leaderOf <{ID['country/FRA']}> }}").boolean is False
    q = "CONSTRUCT { ?s gkg:leaderOf ?o } WHERE { ?s gkg:leaderOf ?o }"
    assert set(filled_remote.query(q).triples) == set(memory_twin.query(q).triples)


@pytest.mark.server
def test_max_rows_truncates_and_says_so(filled_remote):
    result = filled_remote.query("SELECT ?s ?p ?o WHERE { ?s ?p ?o }", max_rows=3)
    assert len(result.rows) == 3 and result.truncated and result.reason == "max_rows"
    assert "INCOMPLETE" in (result.warning or "")
    whole = filled_remote.query("SELECT ?s WHERE { ?s a gkg:Article }", max_rows=10)
    assert len(whole.rows) == 2 and not whole.truncated


@pytest.mark.server
def test_timeout_gives_a_flagged_result(filled_remote):
    result = filled_remote.query("SELECT * WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }", timeout=1e-6)
    assert result.truncated and result.reason == "timeout"


@pytest.mark.server
@pytest.mark.parametrize(("sparql", "match"), [
    ("SELECT * WHERE { ?s ?p }", r"line 1, column \d+"),
    ("INSERT DATA { <http://x/s> <http://x/p> 1 }", "updates are refused"),
    ("SELECT * WHERE { SERVICE <http://127.0.0.1:1/sparql> { ?s ?p ?o } }", "SERVICE"),
])
def test_bad_queries_are_refused(filled_remote, sparql, match):
    with pytest.raises(QueryError, match=match):
        filled_remote.query(sparql)
    assert len(filled_remote.articles()) == 2


@pytest.mark.server
@pytest.mark.parametrize("fmt", sorted(DUMP_FORMATS))
def test_dump_matches_the_embedded_store(filled_remote, memory_twin, fmt):
    rdflib_format = {"turtle": "turtle", "ntriples": "nt", "nquads": "nquads", "trig": "trig",
                     "jsonld": "json-ld"}[fmt]
    remote_out, local_out = io.BytesIO(), io.BytesIO()
    filled_remote.dump(remote_out, fmt)
    memory_twin.dump(local_out, fmt)
    if fmt in ("nquads", "trig", "jsonld"):
        a, b = rdflib.Dataset(), rdflib.Dataset()
        a.parse(data=remote_out.getvalue(), format=rdflib_format)
        b.parse(data=local_out.getvalue(), format=rdflib_format)
        for iri in (ARTICLE_A, ARTICLE_B):
            assert isomorphic(graph_of(a, iri), graph_of(b, iri))
    else:
        a, b = rdflib.Graph(), rdflib.Graph()
        a.parse(data=remote_out.getvalue(), format=rdflib_format)
        b.parse(data=local_out.getvalue(), format=rdflib_format)
        assert isomorphic(a, b) and len(a) > 20


@pytest.mark.server
def test_update_fallback_without_graph_store(oxigraph_url, sample_graph, memory_twin):
    """A server without a usable Graph Store endpoint gets one SPARQL update per article."""
    store = RemoteStore.from_url(oxigraph_url, env={"KG_REMOTE_GSP": f"{oxigraph_url}/no-such-endpoint"})
    for _ in range(2):
        for iri, g in articles_of(sample_graph):
            store.replace_article(iri, g)
    assert store._gsp_writes is False  # it fell back after the 404
    assert store.articles() == memory_twin.articles()
    # and a generic endpoint pair with no graph store at all
    generic = RemoteStore.from_url(oxigraph_url, kind="generic", env={
        "KG_REMOTE_QUERY": f"{oxigraph_url}/query", "KG_REMOTE_UPDATE": f"{oxigraph_url}/update"})
    generic.replace_article(str(ARTICLE_A), graph_of(sample_graph, ARTICLE_A))
    expected = sum(a.triples for a in memory_twin.articles())
    assert server_triples(RemoteStore.from_url(oxigraph_url)) == expected


@pytest.mark.server
def test_server_errors_carry_the_servers_message(oxigraph_url):
    store = RemoteStore.from_url(f"{oxigraph_url}/nothere")
    with pytest.raises(StoreError, match=r"HTTP 404.*right endpoint"):
        store.articles()


@pytest.mark.server
def test_push_from_an_embedded_store(filled_store, remote, memory_twin):
    report = push(filled_store, remote)
    assert len(report.articles) == 2 and report.triples == sum(a.triples for a in memory_twin.articles())
    first = server_triples(remote)
    push(filled_store, remote)  # again: replaces, no duplicates
    assert server_triples(remote) == first
    assert remote.articles() == filled_store.articles()
    assert isomorphic(article_graph(remote, str(ARTICLE_A)), article_graph(filled_store, str(ARTICLE_A)))


@pytest.mark.server
def test_cli_push_and_query(runner, filled_store, store_path, oxigraph_url):
    filled_store.close()
    result = runner.invoke(main, ["push", "--store", str(store_path), "--to", oxigraph_url])
    assert result.exit_code == 0, result.output
    assert "2 article(s)" in result.stderr
    result = runner.invoke(main, ["query", "--store", oxigraph_url, "--format", "csv",
                                  "SELECT ?c WHERE { ?c gkg:isoCode ?code } ORDER BY ?c"])
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines()[0] == "c" and str(ID["country/JPN"]) in result.stdout
    result = runner.invoke(main, ["articles", "--store", oxigraph_url, "--json"])
    assert result.exit_code == 0 and str(ARTICLE_B) in result.stdout


def test_cli_push_without_server_fails_cleanly(runner, filled_store, store_path):
    from oxigraph_server import free_port

    filled_store.close()
    result = runner.invoke(main, ["push", "--store", str(store_path), "--to", f"http://127.0.0.1:{free_port()}"])
    assert result.exit_code == 1
    assert "no SPARQL server answers" in result.stderr and "Traceback" not in result.output


@pytest.mark.server
@pytest.mark.slow
def test_ingest_into_a_server(runner, oxigraph_url):
    """`kg ingest --store URL`: the real pipeline writing to the server; re-ingest adds nothing."""
    article = str(ROOT / "examples" / "us-japan-summit.txt")
    result = runner.invoke(main, ["ingest", "--store", oxigraph_url, article])
    assert result.exit_code == 0, result.output
    remote = RemoteStore.from_url(oxigraph_url)
    [info] = remote.articles()
    assert info.triples > 20 and info.sha256
    result = runner.invoke(main, ["ingest", "--store", oxigraph_url, article])
    assert "unchanged" in result.stderr
    result = runner.invoke(main, ["ingest", "--force", "--store", oxigraph_url, article])
    assert result.exit_code == 0, result.output
    assert remote.articles()[0].triples == info.triples
