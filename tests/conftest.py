"""Shared fixtures: a CLI runner, a fresh embedded store, and a small hand-built graph.

``sample_graph`` follows docs/rdf-model.md by hand (no NLP): two articles in
their own named graphs, sharing Japan and the United States, with persons, a
``supports``/``praises`` relation and its ``rdf:Statement`` evidence.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
import rdflib
from click.testing import CliRunner
from rdflib import Literal, URIRef
from rdflib import namespace as ns

pytest_plugins = ["tests.oxigraph_server"]

GKG = rdflib.Namespace("https://w3id.org/geokg/ontology#")
ID = rdflib.Namespace("https://w3id.org/geokg/id/")
# (rdflib namespaces are reached through `ns.` so pytest does not probe them for fixtures)

ARTICLE_A = ID["article/us-japan-summit-1a2b3c4d"]
ARTICLE_B = ID["article/tokyo-minerals-5e6f7a8b"]
SHA_A = "a" * 64
SHA_B = "b" * 64


def _article(ds: rdflib.Dataset, iri: URIRef, sha: str, title: str, source: str, date: str) -> rdflib.Graph:
    g = ds.graph(iri)
    g.add((iri, ns.RDF.type, GKG.Article))
    g.add((iri, ns.DCTERMS.title, Literal(title)))
    g.add((iri, ns.DCTERMS.source, Literal(source)))
    g.add((iri, GKG.sha256, Literal(sha)))
    g.add((iri, ns.DCTERMS.date, Literal(date, datatype=ns.XSD.date)))
    g.add((iri, ns.DCTERMS["format"], Literal("text/plain")))
    return g


def _entity(g: rdflib.Graph, key: str, cls: str, label: str, article: URIRef, *aliases: str) -> URIRef:
    e = ID[key]
    g.add((e, ns.RDF.type, GKG[cls]))
    g.add((e, ns.RDFS.label, Literal(label)))
    for alias in aliases:
        g.add((e, ns.SKOS.altLabel, Literal(alias)))
    g.add((e, GKG.mentionedIn, article))
    return e


def build_sample_dataset() -> rdflib.Dataset:
    """Two article graphs as rdflib would hold them after `kg ingest`."""
    ds = rdflib.Dataset()
    a = _article(ds, ARTICLE_A, SHA_A, "Trump–Takaichi Summit Marks New Phase in U.S.–Japan Alliance",
                 "/abs/path/us-japan-summit.txt", "2025-12-06")
    a.add((ARTICLE_A, GKG.datelinePlace, Literal("VIENNA")))
    a.add((ARTICLE_A, ns.PROV.generatedAtTime,
           Literal("2026-11-25T12:00:00+00:00", datatype=ns.XSD.dateTime)))
    jpn = _entity(a, "country/JPN", "Country", "Japan", ARTICLE_A, "Tokyo")
    a.add((jpn, GKG.isoCode, Literal("JPN")))
    usa = _entity(a, "country/USA", "Country", "United States", ARTICLE_A, "U.S.", "Washington")
    trump = _entity(a, "person/donald-trump", "Person", "Donald Trump", ARTICLE_A, "Trump")
    takaichi = _entity(a, "person/sanae-takaichi", "Person", "Sanae Takaichi", ARTICLE_A, "Takaichi")
    a.add((trump, GKG.leaderOf, usa))
    a.add((takaichi, GKG.leaderOf, jpn))
    a.add((trump, GKG.supports, takaichi))
    a.add((trump, GKG.praises, takaichi))
    stmt = URIRef(f"{ARTICLE_A}/stmt/5f1e0c2a9b7d")
    for p, o in [
        (ns.RDF.type, ns.RDF.Statement), (ns.RDF.subject, trump), (ns.RDF.predicate, GKG.supports),
        (ns.RDF.object, takaichi), (GKG.finePredicate, GKG.praises),
        (GKG.sentence, Literal('In a high-stakes visit to Tokyo, U.S. President Donald Trump lavished '
                               'praise on "Japan\'s" new leader —\tSanae Takaichi.')),
        (GKG.charStart, Literal(123)), (GKG.charEnd, Literal(290)),
        (GKG.rule, Literal("verb-prep:praise-on")),
        (GKG.confidence, Literal("0.8", datatype=ns.XSD.decimal)),
        (ns.PROV.wasDerivedFrom, ARTICLE_A),
    ]:
        a.add((stmt, p, o))

    b = _article(ds, ARTICLE_B, SHA_B, "Tokyo and Washington sign a critical-minerals framework",
                 "/abs/path/tokyo-minerals.txt", "2025-12-08")
    jpn_b = _entity(b, "country/JPN", "Country", "Japan", ARTICLE_B)
    b.add((jpn_b, GKG.isoCode, Literal("JPN")))
    usa_b = _entity(b, "country/USA", "Country", "United States", ARTICLE_B, "U.S.")
    minerals = _entity(b, "issue/critical-minerals", "Issue", "critical minerals", ARTICLE_B)
    deal = _entity(b, f"article/{ARTICLE_B.rsplit('/', 1)[-1]}/agreement/framework", "Agreement",
                   "critical minerals framework", ARTICLE_B)
    b.add((jpn_b, GKG.partyTo, deal))
    b.add((usa_b, GKG.partyTo, deal))
    b.add((deal, GKG.concerns, minerals))
    b.add((jpn_b, GKG.supports, usa_b))
    stmt_b = URIRef(f"{ARTICLE_B}/stmt/0a1b2c3d4e5f")
    for p, o in [
        (ns.RDF.type, ns.RDF.Statement), (ns.RDF.subject, jpn_b), (ns.RDF.predicate, GKG.supports),
        (ns.RDF.object, usa_b), (GKG.sentence, Literal("Japan backed the United States.")),
        (GKG.charStart, Literal(10)), (GKG.charEnd, Literal(41)), (GKG.rule, Literal("verb:back")),
        (GKG.confidence, Literal("0.65", datatype=ns.XSD.decimal)), (ns.PROV.wasDerivedFrom, ARTICLE_B),
        (GKG.score, Literal(1.5)),  # an xsd:double, to watch lexical forms on round trips
        (ns.RDFS.comment, Literal("Japon", lang="fr")),
    ]:
        b.add((stmt_b, p, o))
    return ds


@pytest.fixture
def runner() -> CliRunner:
    """A click CliRunner (stderr kept apart from stdout)."""
    return CliRunner()


@pytest.fixture
def sample_graph() -> rdflib.Dataset:
    """Two article graphs (see :func:`build_sample_dataset`)."""
    return build_sample_dataset()


@pytest.fixture
def store_path(tmp_path: Path) -> Path:
    return tmp_path / "kgstore"


@pytest.fixture
def tmp_store(store_path: Path) -> Iterator:
    """A new, empty embedded store in a temporary folder (read-write)."""
    from kg.store import open_store

    store = open_store(store_path, create=True)
    try:
        yield store
    finally:
        store.close()


@pytest.fixture
def filled_store(tmp_store, sample_graph):
    """``tmp_store`` holding the two sample articles."""
    for g in sample_graph.graphs():
        if g.identifier != rdflib.graph.DATASET_DEFAULT_GRAPH_ID and len(g):
            tmp_store.replace_article(str(g.identifier), g)
    return tmp_store
