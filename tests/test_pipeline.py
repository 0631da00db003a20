"""The Python API of the whole pipeline: ``kg.build_graph``, ``kg.pipeline.ingest`` and the
provenance model of docs/rdf-model.md (one ``rdf:Statement`` per relation and sentence).
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest
import rdflib
from rdflib import URIRef
from rdflib import namespace as ns
from rdflib.compare import isomorphic

import kg
from kg.validate import validate
from kg.vocab import CORE_PREDICATES

REPO = Path(__file__).resolve().parents[1]
SEED = REPO / "examples" / "us-japan-summit.txt"

GKG = rdflib.Namespace("https://w3id.org/geokg/ontology#")
CORE = {GKG[p] for p in CORE_PREDICATES}

# Headline, dateline, curly quotes, dashes and several paragraphs: offsets are not trivial.
TEXTS = {
    "minerals": (
        "Japan Signs Minerals Pact With Australia\n\n"
        "TOKYO, March 3, 2025 — Japan and Australia signed a critical minerals agreement on Monday. "
        "Prime Minister Shigeru Ishiba of Japan praised Australia for its \u201csteadfast\u201d support.\n\n"
        "China criticized the agreement.\n"
    ),
    "berlin": (
        "Macron Visits Berlin\n\n"
        "BERLIN, May 5, 2025 — President Emmanuel Macron of France met Chancellor Friedrich Merz "
        "of Germany in Berlin. France backed Germany\u2019s plan for European defense spending.\n\n"
        "Russia condemned the plan, and Poland welcomed it.\n"
    ),
    "vienna": (
        "Talks in Vienna\n\n"
        "VIENNA, June 1, 2025 — Iran and the United States held nuclear talks in Vienna. "
        "The European Union welcomed the talks.\n"
    ),
}


@pytest.fixture(scope="module")
def graphs() -> dict[str, tuple[kg.Document, rdflib.Graph]]:
    out = {}
    for name, text in TEXTS.items():
        doc = kg.read_text(text)
        out[name] = (doc, kg.build_graph(doc))
    return out


@pytest.fixture(scope="module")
def seed() -> tuple[kg.Document, rdflib.Graph]:
    doc = kg.read_document(str(SEED))
    return doc, kg.build_graph(doc)


def statements(g: rdflib.Graph) -> list[URIRef]:
    return sorted(g.subjects(ns.RDF.type, ns.RDF.Statement))


# ----------------------------------------------------------------------------- shapes


@pytest.mark.parametrize("name", sorted(TEXTS))
def test_build_graph_conforms_to_shapes(graphs, name: str) -> None:
    _, g = graphs[name]
    report = validate(g)
    assert report.conforms, report.text
    assert report.nodes_checked > 0


def test_build_graph_accepts_plain_text() -> None:
    g = kg.build_graph(TEXTS["vienna"])
    assert isinstance(g, rdflib.Graph)
    assert (None, ns.RDF.type, GKG.Article) in g
    assert validate(g).conforms


def test_seed_example_conforms(seed) -> None:
    _, g = seed
    report = validate(g)
    assert report.conforms, report.text


def test_build_graph_is_deterministic() -> None:
    # stable IRIs: the same text gives the same graph (no ingest time without ingested_at)
    assert isomorphic(kg.build_graph(TEXTS["berlin"]), kg.build_graph(TEXTS["berlin"]))


# ----------------------------------------------------------------------------- provenance


def _check_provenance(doc: kg.Document, g: rdflib.Graph) -> int:
    """Every relation has an evidence record, and every record is complete and exact."""
    article = next(g.subjects(ns.RDF.type, GKG.Article))
    assert str(g.value(article, GKG.sha256)) == doc.sha256

    described = set()
    for st in statements(g):
        s, p, o = (g.value(st, link) for link in (ns.RDF.subject, ns.RDF.predicate, ns.RDF.object))
        assert None not in (s, p, o), st
        assert p in CORE, f"{st}: rdf:predicate {p} is not a core predicate"
        assert (s, p, o) in g, f"{st}: the relation is not asserted directly"
        fine = g.value(st, GKG.finePredicate)
        if fine is not None:
            assert (s, fine, o) in g
        described.add((s, p, o))

        sentence = g.value(st, GKG.sentence)
        start, end = g.value(st, GKG.charStart), g.value(st, GKG.charEnd)
        rule, confidence = g.value(st, GKG.rule), g.value(st, GKG.confidence)
        assert None not in (sentence, start, end, rule, confidence), st
        assert start.datatype == ns.XSD.integer and end.datatype == ns.XSD.integer
        assert 0 <= start.toPython() < end.toPython() <= len(doc.text)
        assert str(sentence) == doc.text[start.toPython():end.toPython()]
        assert str(rule).strip()
        assert confidence.datatype == ns.XSD.decimal
        assert Decimal(0) <= confidence.toPython() <= Decimal(1)
        assert g.value(st, ns.PROV.wasDerivedFrom) == article
        assert str(st).startswith(f"{article}/stmt/")

    relations = {(s, p, o) for s, p, o in g if p in CORE}
    assert relations == described, f"relations without evidence: {relations - described}"
    return len(described)


@pytest.mark.parametrize("name", sorted(TEXTS))
def test_every_relation_has_complete_evidence(graphs, name: str) -> None:
    doc, g = graphs[name]
    assert _check_provenance(doc, g) > 0


def test_seed_evidence_matches_the_text(seed) -> None:
    doc, g = seed
    assert _check_provenance(doc, g) >= 5


def test_extraction_and_graph_agree() -> None:
    from kg.pipeline import extract_document
    from kg.rdf import to_graph

    doc = kg.read_text(TEXTS["minerals"])
    extraction = extract_document(doc)
    g = to_graph(extraction)
    assert len(statements(g)) == len({(r.subject, r.predicate, r.object, r.evidence.start)
                                      for r in extraction.relations})
    for rel in extraction.relations:
        ev = rel.evidence
        assert doc.text[ev.start:ev.end] == ev.sentence
        assert 0 <= ev.confidence <= 1


def test_expected_relations_of_a_small_article(graphs) -> None:
    _, g = graphs["minerals"]
    jpn, aus, chn = (URIRef(f"https://w3id.org/geokg/id/country/{c}") for c in ("JPN", "AUS", "CHN"))
    deals = set(g.objects(jpn, GKG.partyTo))
    assert deals and deals == set(g.objects(aus, GKG.partyTo))
    assert all((d, ns.RDF.type, GKG.Agreement) in g for d in deals)
    assert any((chn, GKG.opposes, d) in g for d in deals)


def test_ingested_at_is_recorded_only_when_given() -> None:
    import datetime as dt

    when = dt.datetime(2026, 1, 2, 3, 4, 5, tzinfo=dt.UTC)
    g = kg.build_graph(TEXTS["vienna"], ingested_at=when)
    assert len(list(g.objects(None, ns.PROV.generatedAtTime))) == 1
    assert not list(kg.build_graph(TEXTS["vienna"]).objects(None, ns.PROV.generatedAtTime))


# ----------------------------------------------------------------------------- store


@pytest.fixture
def loaded(tmp_store, graphs):
    """The three small articles in a fresh store, through the public store API."""
    from kg.vocab import article_iri

    for doc, g in graphs.values():
        tmp_store.replace_article(str(article_iri(doc.key)), g)
    return tmp_store


def test_sparql_can_filter_by_confidence(loaded, graphs) -> None:
    expected: dict[Decimal, set] = {}
    for _, g in graphs.values():
        for st in statements(g):
            expected.setdefault(g.value(st, GKG.confidence).toPython(), set()).add(str(st))
    levels = sorted(expected)
    assert len(levels) >= 2, "need statements of different confidence to test a filter"
    threshold = levels[-1]

    result = loaded.query(
        "SELECT ?st ?c ?sentence WHERE { ?st a rdf:Statement ; gkg:confidence ?c ; gkg:sentence ?sentence "
        f"FILTER(?c >= {threshold}) }}"
    )
    got = {str(row[0]) for row in result.rows}
    assert got == expected[threshold]
    assert all(row[1].datatype == ns.XSD.decimal and row[1].toPython() >= threshold for row in result.rows)

    below = loaded.query(f"SELECT ?st WHERE {{ ?st gkg:confidence ?c FILTER(?c < {threshold}) }}")
    assert {str(r[0]) for r in below.rows} == set().union(*(expected[c] for c in levels[:-1]))


def test_evidence_query_joins_relation_and_sentence(loaded) -> None:
    result = loaded.query(
        "SELECT ?who ?whom ?sentence ?rule WHERE { ?st rdf:subject ?s ; rdf:predicate gkg:opposes ; "
        "rdf:object ?o ; gkg:sentence ?sentence ; gkg:rule ?rule . ?s rdfs:label ?who . ?o rdfs:label ?whom }"
    )
    by_actor = {str(r[0]): str(r[2]) for r in result.rows}
    assert by_actor["China"] == "China criticized the agreement."
    assert "Russia condemned the plan" in by_actor["Russia"]


def test_store_round_trip_keeps_the_article_graph(loaded, graphs) -> None:
    from kg.vocab import article_iri

    ds = loaded.to_dataset()
    for doc, g in graphs.values():
        stored = ds.graph(article_iri(doc.key))
        assert isomorphic(stored, g)


def test_ingest_api_is_idempotent_and_reports(tmp_path: Path, tmp_store) -> None:
    from kg.pipeline import ingest

    folder = tmp_path / "news"
    folder.mkdir()
    for name, text in TEXTS.items():
        (folder / f"{name}.txt").write_text(text, encoding="utf-8")
    (folder / "empty.txt").write_text("", encoding="utf-8")
    warnings: list[str] = []
    seen: list[str] = []

    first = ingest([str(folder)], tmp_store, warn=warnings.append, progress=seen.append)
    assert len(first.done) == 3 and first.ok and first.relations > 0
    assert [Path(n).name for n, _ in first.skipped] == ["empty.txt"]
    assert len(seen) == 4 and any("empty.txt" in w for w in warnings)
    triples = tmp_store.stats().triples

    second = ingest([str(folder)], tmp_store)
    assert second.done == [] and len(second.unchanged) == 3
    assert tmp_store.stats().triples == triples
    assert len(tmp_store.articles()) == 3


# ----------------------------------------------------------------------------- public names


@pytest.mark.parametrize("name", kg.__all__)
def test_every_public_name_resolves(name: str) -> None:
    # `from kg import *` needs every name in __all__ to exist
    assert getattr(kg, name) is not None


def test_public_functions_stay_functions_after_the_pipeline_ran() -> None:
    # Importing a submodule binds it on the package (kg.extract, kg.validate), which must
    # not replace the function of the same name that `kg` exports.
    import kg.extract  # noqa: F401
    import kg.validate  # noqa: F401

    kg.build_graph(TEXTS["vienna"])
    assert callable(kg.extract_document) and callable(kg.validate_graph)


# ----------------------------------------------------------------------------- across articles


@pytest.mark.parametrize("runs", ["one run", "two runs"])
def test_articles_merge_by_iri_and_accumulate_aliases(tmp_path: Path, tmp_store, runs: str) -> None:
    """Two articles name the same person, country and organisation differently: one node
    each in the store, with the aliases of both, and each relation keeps its own article.
    The second article calls him only "Chancellor Merz": the store knows who that is."""
    from kg.pipeline import ingest
    from kg.vocab import article_iri

    a = tmp_path / "a-vienna.txt"
    a.write_text(
        "VIENNA, May 2, 2025 — Iran let inspectors of the International Atomic Energy Agency (IAEA) "
        "return on Friday. German Chancellor Friedrich Merz welcomed the IAEA's report.\n", encoding="utf-8")
    b = tmp_path / "b-berlin.txt"
    b.write_text(
        "BERLIN, May 9, 2025 — Chancellor Merz criticised Tehran on Friday. The IAEA said "
        "inspections were incomplete.\n", encoding="utf-8")
    if runs == "one run":
        assert len(ingest([str(a), str(b)], tmp_store).done) == 2
    else:
        ingest([str(a)], tmp_store)
        ingest([str(b)], tmp_store)
    first, second = kg.read_document(str(a)), kg.read_document(str(b))

    def labels(iri: str) -> set[str]:
        rows = tmp_store.query(f"SELECT DISTINCT ?l WHERE {{ <{iri}> rdfs:label|skos:altLabel ?l }}").rows
        return {str(r[0]) for r in rows}

    people = tmp_store.query("SELECT DISTINCT ?p WHERE { ?p a gkg:Person }").rows
    assert [str(r[0]) for r in people] == ["https://w3id.org/geokg/id/person/friedrich-merz"]
    assert {"Friedrich Merz", "Merz", "Chancellor Merz"} <= labels(str(people[0][0]))
    iran = "https://w3id.org/geokg/id/country/IRN"
    assert {"Iran", "Tehran"} <= labels(iran)
    orgs = tmp_store.query("SELECT DISTINCT ?o WHERE { ?o a gkg:Organization }").rows
    assert len(orgs) == 1 and "IAEA" in labels(str(orgs[0][0]))

    # the same person acts in both articles; each statement names its own article
    rows = tmp_store.query(
        "SELECT DISTINCT ?article WHERE { ?st rdf:subject <https://w3id.org/geokg/id/person/friedrich-merz> ;"
        " prov:wasDerivedFrom ?article }").rows
    assert {str(r[0]) for r in rows} == {str(article_iri(first.key)), str(article_iri(second.key))}
