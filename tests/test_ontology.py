"""The ontology, the SHACL shapes, the issue scheme, kg.validate and `kg validate`."""

from __future__ import annotations

import re
from collections import Counter

import pytest
from click.testing import CliRunner
from rdflib import BNode, Dataset, Graph, Literal, URIRef
from rdflib.collection import Collection
from rdflib.namespace import DCTERMS, OWL, PROV, RDF, RDFS, SH, SKOS

from kg.errors import NotFoundError
from kg.resources import load_issue_scheme, load_ontology, load_shapes, ontology_path
from kg.validate import ValidationReport, Violation, read_rdf_files, validate
from kg.vocab import CORE_CLASSES, CORE_PREDICATES, GKG, ID, ISSUE, slug

ARTICLE = ID["article/us-japan-summit-1a2b3c4d"]
# a plain URIRef: pytest probes module globals, and rdflib's closed XSD namespace warns on that
DECIMAL = URIRef("http://www.w3.org/2001/XMLSchema#decimal")

FINE = {
    "supports": ["praises", "welcomes", "endorses", "backs", "pledgesSupport", "aids", "investsIn",
                 "mediatesFor", "nominates", "reaffirmsSupport"],
    "opposes": ["criticizes", "condemns", "sanctions", "threatens", "accuses", "rejects", "disputes",
                "pressures", "warns", "counters"],
    "partyTo": ["signs", "negotiates", "ratifies", "joins", "reaffirms"],
    "participantIn": ["hosts", "attends", "visits", "chairs"],
    "meetsWith": ["holdsTalksWith", "speaksWith", "receives"],
    "leaderOf": ["headOfState", "headOfGovernment", "chairOf"],
    "memberOf": ["ministerOf"],
}

# Domains and ranges of GUIDELINES.md, "Core relations"; Actor = Person | Country | Organization.
ACTOR = {"Person", "Country", "Organization"}
SIGNATURE = {
    "leaderOf": ({"Person"}, {"Country", "Organization"}),
    "memberOf": (ACTOR, {"Organization"}),
    "partyTo": (ACTOR, {"Agreement"}),
    "participantIn": (ACTOR, {"Event"}),
    "concerns": ({"Agreement", "Event"}, {"Issue"}),
    "locatedIn": ({"Event", "Location"}, {"Location", "Country"}),
    "meetsWith": (ACTOR, ACTOR),
    "supports": (ACTOR, ACTOR | {"Agreement", "Issue"}),
    "opposes": (ACTOR, ACTOR | {"Agreement", "Issue"}),
}

# One article graph written exactly as docs/rdf-model.md shows, using every core
# class and predicate once, with one evidence record per relation. (`id:country/JPN`
# is not a legal Turtle prefixed name, so IRIs are written relative to @base.)
VALID_TRIG = """
@prefix gkg:  <https://w3id.org/geokg/ontology#> .
@base <https://w3id.org/geokg/id/> .
@prefix rdf:  <http://www.w3.org/1999/02/22-rdf-syntax-ns#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix prov: <http://www.w3.org/ns/prov#> .
@prefix dcterms: <http://purl.org/dc/terms/> .
@prefix xsd:  <http://www.w3.org/2001/XMLSchema#> .

<article/us-japan-summit-1a2b3c4d> {
  <article/us-japan-summit-1a2b3c4d> a gkg:Article ;
      dcterms:title "Trump–Takaichi Summit Marks New Phase in U.S.–Japan Alliance" ;
      dcterms:source "/abs/path/us-japan-summit.txt" ;
      gkg:sha256 "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08" ;
      dcterms:date "2025-12-06"^^xsd:date ;
      gkg:datelinePlace "TOKYO" ;
      dcterms:format "text/plain" ;
      prov:generatedAtTime "2026-11-25T12:00:00+00:00"^^xsd:dateTime .

  <country/JPN> a gkg:Country ; rdfs:label "Japan" ; skos:altLabel "Tokyo" ;
      gkg:isoCode "JPN" ; gkg:mentionedIn <article/us-japan-summit-1a2b3c4d> .
  <country/USA> a gkg:Country ; rdfs:label "United States" ; skos:altLabel "U.S.", "Washington" ;
      gkg:isoCode "USA" ; gkg:mentionedIn <article/us-japan-summit-1a2b3c4d> .
  <person/sanae-takaichi> a gkg:Person ; rdfs:label "Sanae Takaichi" ; skos:altLabel "Takaichi" ;
      gkg:mentionedIn <article/us-japan-summit-1a2b3c4d> .
  <person/donald-trump> a gkg:Person ; rdfs:label "Donald Trump" ; skos:altLabel "Trump" ;
      gkg:mentionedIn <article/us-japan-summit-1a2b3c4d> .
  <org/g7> a gkg:Organization ; rdfs:label "G7" ; skos:altLabel "Group of Seven" .
  <issue/critical-minerals> a gkg:Issue ; rdfs:label "critical minerals" .
  <agreement/us-japan-security-treaty> a gkg:Agreement ; rdfs:label "U.S.–Japan Security Treaty" .
  <article/us-japan-summit-1a2b3c4d/event/trump-takaichi-summit> a gkg:Event ;
      rdfs:label "Trump–Takaichi summit" .
  <location/tokyo> a gkg:Location ; rdfs:label "Tokyo" .

  <person/donald-trump> gkg:leaderOf <country/USA> ;
      gkg:supports <person/sanae-takaichi> ;
      gkg:praises <person/sanae-takaichi> ;
      gkg:meetsWith <person/sanae-takaichi> ;
      gkg:participantIn <article/us-japan-summit-1a2b3c4d/event/trump-takaichi-summit> .
  <country/JPN> gkg:memberOf <org/g7> ;
      gkg:partyTo <agreement/us-japan-security-treaty> ;
      gkg:opposes <country/USA> .
  <article/us-japan-summit-1a2b3c4d/event/trump-takaichi-summit>
      gkg:concerns <issue/critical-minerals> ;
      gkg:locatedIn <location/tokyo> .
  <location/tokyo> gkg:locatedIn <country/JPN> .

  <article/us-japan-summit-1a2b3c4d/stmt/5f1e0c2a9b7d> a rdf:Statement ;
      rdf:subject <person/donald-trump> ;
      rdf:predicate gkg:supports ;
      rdf:object <person/sanae-takaichi> ;
      gkg:finePredicate gkg:praises ;
      gkg:sentence "In Tokyo, U.S. President Donald Trump lavished praise on Takaichi." ;
      gkg:charStart 123 ; gkg:charEnd 210 ;
      gkg:rule "verb-prep:praise-on" ;
      gkg:confidence 0.8 ;
      prov:wasDerivedFrom <article/us-japan-summit-1a2b3c4d> .
  <article/us-japan-summit-1a2b3c4d/stmt/0a1b2c3d4e5f> a rdf:Statement ;
      rdf:subject <person/donald-trump> ;
      rdf:predicate gkg:leaderOf ;
      rdf:object <country/USA> ;
      gkg:sentence "In Tokyo, U.S. President Donald Trump lavished praise on Takaichi." ;
      gkg:charStart 123 ; gkg:charEnd 210 ;
      gkg:rule "title:president" ;
      gkg:confidence 1.0 ;
      prov:wasDerivedFrom <article/us-japan-summit-1a2b3c4d> .
  <article/us-japan-summit-1a2b3c4d/stmt/ffffffffffff> a rdf:Statement ;
      rdf:subject <location/tokyo> ;
      rdf:predicate gkg:locatedIn ;
      rdf:object <country/JPN> ;
      gkg:sentence "x" ;
      gkg:charStart 0 ; gkg:charEnd 0 ;
      gkg:rule "gazetteer" ;
      gkg:confidence 0.0 ;
      prov:wasDerivedFrom <article/us-japan-summit-1a2b3c4d> .
}
"""

S1 = ID["article/us-japan-summit-1a2b3c4d/stmt/5f1e0c2a9b7d"]
TRUMP = ID["person/donald-trump"]
JAPAN = ID["country/JPN"]
SUMMIT = ID["article/us-japan-summit-1a2b3c4d/event/trump-takaichi-summit"]


def _valid() -> Dataset:
    return Dataset().parse(data=VALID_TRIG, format="trig")


def _union(ds: Dataset) -> Graph:
    graph = Graph()
    for s, p, o, _ in ds.quads((None, None, None, None)):
        graph.add((s, p, o))
    return graph


def _classes(graph: Graph, node) -> set[str]:
    """Local names of the classes a domain/range denotes (a class or an owl:unionOf)."""
    members = graph.value(node, OWL.unionOf)
    nodes = list(Collection(graph, members)) if members is not None else [node]
    names: set[str] = set()
    for name in (str(n).rsplit("#", 1)[-1] for n in nodes):
        names |= ACTOR if name == "Actor" else {name}
    return names


# --- the OWL ontology ---------------------------------------------------------


def test_ontology_parses_with_header() -> None:
    onto = load_ontology()
    header = URIRef("https://w3id.org/geokg/ontology")
    assert (header, RDF.type, OWL.Ontology) in onto
    assert onto.value(header, OWL.versionInfo) is not None
    assert onto.value(header, RDFS.label) is not None
    assert "rdf:Statement" in str(onto.value(header, RDFS.comment))
    assert "named graph" in str(onto.value(header, RDFS.comment))


@pytest.mark.parametrize("name", [*CORE_CLASSES, "Actor", "Article"])
def test_core_class_declared(name: str) -> None:
    onto = load_ontology()
    assert (GKG[name], RDF.type, OWL.Class) in onto
    assert onto.value(GKG[name], RDFS.label) is not None
    assert onto.value(GKG[name], RDFS.comment) is not None


def test_actor_is_superclass_of_person_country_organization() -> None:
    onto = load_ontology()
    for name in ("Person", "Country", "Organization"):
        assert (GKG[name], RDFS.subClassOf, GKG.Actor) in onto
    assert (GKG.Article, RDFS.subClassOf, PROV.Entity) in onto


def test_core_classes_disjoint() -> None:
    onto = load_ontology()
    groups = [set(Collection(onto, onto.value(d, OWL.members)))
              for d in onto.subjects(RDF.type, OWL.AllDisjointClasses)]
    assert {GKG.Person, GKG.Country, GKG.Organization} in groups
    assert any({GKG.Actor, GKG.Agreement, GKG.Event, GKG.Issue, GKG.Location} <= g for g in groups)


@pytest.mark.parametrize("name", CORE_PREDICATES)
def test_core_predicate_declared_with_signature(name: str) -> None:
    onto = load_ontology()
    prop = GKG[name]
    assert (prop, RDF.type, OWL.ObjectProperty) in onto
    assert onto.value(prop, RDFS.label) is not None
    assert onto.value(prop, RDFS.comment) is not None
    domain, range_ = SIGNATURE[name]
    assert _classes(onto, onto.value(prop, RDFS.domain)) == domain
    assert _classes(onto, onto.value(prop, RDFS.range)) == range_


def test_meets_with_is_symmetric() -> None:
    assert (GKG.meetsWith, RDF.type, OWL.SymmetricProperty) in load_ontology()


@pytest.mark.parametrize("core,fine", [(c, f) for c, fs in FINE.items() for f in fs])
def test_finer_property_refines_core(core: str, fine: str) -> None:
    onto = load_ontology()
    assert (GKG[fine], RDFS.subPropertyOf, GKG[core]) in onto
    assert onto.value(GKG[fine], RDFS.label) is not None


def test_every_subproperty_refines_a_core_predicate() -> None:
    onto = load_ontology()
    core = {GKG[p] for p in CORE_PREDICATES}
    for prop, parent in onto.subject_objects(RDFS.subPropertyOf):
        if str(prop).startswith(str(GKG)):
            assert parent in core, prop


@pytest.mark.parametrize("name", ["mentionedIn", "isoCode", "sentence", "charStart", "charEnd", "rule",
                                  "confidence", "finePredicate", "sha256", "datelinePlace"])
def test_metadata_property_documented(name: str) -> None:
    onto = load_ontology()
    assert set(onto.objects(GKG[name], RDF.type)) & {
        OWL.ObjectProperty, OWL.DatatypeProperty, OWL.AnnotationProperty}
    assert onto.value(GKG[name], RDFS.comment) is not None


# --- the SKOS issue scheme ------------------------------------------------------


def _concepts(scheme: Graph) -> list[URIRef]:
    return sorted(scheme.subjects(RDF.type, SKOS.Concept))


def test_issue_scheme_is_a_concept_scheme() -> None:
    scheme = load_issue_scheme()
    assert (ISSUE[""], RDF.type, SKOS.ConceptScheme) in scheme
    assert len(_concepts(scheme)) >= 120


def test_issue_concepts_well_formed() -> None:
    scheme = load_issue_scheme()
    for concept in _concepts(scheme):
        assert (concept, SKOS.inScheme, ISSUE[""]) in scheme, concept
        labels = list(scheme.objects(concept, SKOS.prefLabel))
        assert len(labels) == 1, concept
        assert labels[0].language == "en"
        assert concept == ISSUE[slug(str(labels[0]))], concept
        for broader in scheme.objects(concept, SKOS.broader):
            assert (broader, RDF.type, SKOS.Concept) in scheme, (concept, broader)


def test_issue_names_are_unambiguous() -> None:
    scheme = load_issue_scheme()
    names = Counter()
    for concept in _concepts(scheme):
        for label in {*scheme.objects(concept, SKOS.prefLabel), *scheme.objects(concept, SKOS.altLabel)}:
            names[str(label).lower()] += 1
    assert [n for n, count in names.items() if count > 1] == []
    assert not [n for n in names if n.startswith("the ")]


@pytest.mark.parametrize("pref,alt", [
    ("rare earth elements", "rare earths"), ("oil production", "crude production"),
    ("defense spending", "defence spending"), ("nuclear programme", "nuclear program"),
    ("aluminium", "aluminum"), ("labour rights", "labor rights"), ("liquefied natural gas", "LNG"),
])
def test_issue_synonyms(pref: str, alt: str) -> None:
    scheme = load_issue_scheme()
    concept = ISSUE[slug(pref)]
    assert (concept, SKOS.prefLabel, Literal(pref, lang="en")) in scheme
    assert (concept, SKOS.altLabel, Literal(alt, lang="en")) in scheme


def test_ontology_path_and_caching() -> None:
    assert ontology_path("shapes.ttl").is_file()
    assert load_shapes() is load_shapes()
    with pytest.raises(NotFoundError, match="not found"):
        ontology_path("missing.ttl")


# --- SHACL: the documented model conforms ------------------------------------------


def test_documented_model_conforms() -> None:
    report = validate(_valid())
    assert isinstance(report, ValidationReport)
    assert report.conforms, report.text
    assert report.violations == ()
    # 1 article + 9 entities + 3 statements
    assert report.nodes_checked == 13


def test_single_graph_and_union_agree() -> None:
    assert validate(_union(_valid())).conforms


def test_union_of_two_articles_sharing_entities_conforms() -> None:
    ds = _valid()
    other = ID["article/other-00000000"]
    g = ds.graph(other)
    g.add((other, RDF.type, GKG.Article))
    g.add((other, DCTERMS.source, Literal("/abs/other.txt")))
    g.add((other, GKG.sha256, Literal("0" * 64)))
    g.add((JAPAN, RDF.type, GKG.Country))
    g.add((JAPAN, RDFS.label, Literal("Japan")))
    g.add((JAPAN, GKG.mentionedIn, other))
    assert validate(ds).conforms


def test_shapes_do_not_rely_on_inference() -> None:
    # gkg:Actor appears in no sh:class: data never states it
    assert (None, SH["class"], GKG.Actor) not in load_shapes()


# --- SHACL: broken graphs fail for the right reason ---------------------------------


def _break(edit) -> list[Violation]:
    graph = _union(_valid())
    edit(graph)
    report = validate(graph)
    assert not report.conforms
    assert report.text.startswith("Conforms: False")
    return list(report.violations)


def _has(violations: list[Violation], focus, path, fragment: str) -> bool:
    return any(v.focus == focus and v.path == path and fragment in v.message and v.severity == "Violation"
               for v in violations)


def test_two_labels_violate() -> None:
    found = _break(lambda g: g.add((JAPAN, RDFS.label, Literal("Nippon"))))
    assert _has(found, JAPAN, RDFS.label, "exactly one rdfs:label")
    assert len(found) == 1


def test_missing_label_violates() -> None:
    found = _break(lambda g: g.remove((JAPAN, RDFS.label, None)))
    assert _has(found, JAPAN, RDFS.label, "exactly one rdfs:label")


def test_two_core_classes_violate() -> None:
    found = _break(lambda g: g.add((JAPAN, RDF.type, GKG.Location)))
    assert _has(found, JAPAN, RDF.type, "exactly one core class")


def test_statement_without_sentence_violates() -> None:
    found = _break(lambda g: g.remove((S1, GKG.sentence, None)))
    assert _has(found, S1, GKG.sentence, "exactly one gkg:sentence")


def test_empty_sentence_violates() -> None:
    def edit(g: Graph) -> None:
        g.set((S1, GKG.sentence, Literal("  ")))
    assert _has(_break(edit), S1, GKG.sentence, "non-empty")


@pytest.mark.parametrize("value", [Literal("1.5", datatype=DECIMAL), Literal("-0.1", datatype=DECIMAL),
                                   Literal(0.5)])  # the last is an xsd:double, not a decimal
def test_bad_confidence_violates(value: Literal) -> None:
    found = _break(lambda g: g.set((S1, GKG.confidence, value)))
    assert _has(found, S1, GKG.confidence, "xsd:decimal in [0, 1]")


def test_offsets_out_of_order_violate() -> None:
    found = _break(lambda g: g.set((S1, GKG.charStart, Literal(500))))
    assert _has(found, S1, GKG.charStart, "at most gkg:charEnd")


def test_negative_offset_violates() -> None:
    found = _break(lambda g: g.set((S1, GKG.charStart, Literal(-1))))
    assert _has(found, S1, GKG.charStart, ">= 0")


def test_statement_needs_article() -> None:
    found = _break(lambda g: g.set((S1, PROV.wasDerivedFrom, TRUMP)))
    assert _has(found, S1, PROV.wasDerivedFrom, "gkg:Article")


def test_statement_predicate_must_be_core() -> None:
    found = _break(lambda g: g.set((S1, RDF.predicate, GKG.praises)))
    assert _has(found, S1, RDF.predicate, "core predicate")


def test_statement_without_direct_triple_violates() -> None:
    takaichi = ID["person/sanae-takaichi"]
    found = _break(lambda g: g.remove((TRUMP, GKG.supports, takaichi)))
    assert _has(found, S1, None, "also asserted as a direct triple with gkg:supports")


def test_fine_predicate_without_direct_triple_violates() -> None:
    takaichi = ID["person/sanae-takaichi"]
    found = _break(lambda g: g.remove((TRUMP, GKG.praises, takaichi)))
    assert _has(found, S1, None, "also asserted as a direct triple with gkg:praises")


def test_supports_pointing_at_event_violates() -> None:
    found = _break(lambda g: g.add((TRUMP, GKG.supports, SUMMIT)))
    assert _has(found, TRUMP, GKG.supports, "never an Event")


def test_leader_of_from_organization_violates() -> None:
    found = _break(lambda g: g.add((ID["org/g7"], GKG.leaderOf, JAPAN)))
    assert _has(found, ID["org/g7"], None, "Subject of gkg:leaderOf must be a gkg:Person")


def test_meets_with_non_actor_violates() -> None:
    found = _break(lambda g: g.add((TRUMP, GKG.meetsWith, ID["issue/critical-minerals"])))
    assert _has(found, TRUMP, GKG.meetsWith, "Object of gkg:meetsWith must be an actor")


def test_concerns_from_actor_violates() -> None:
    found = _break(lambda g: g.add((JAPAN, GKG.concerns, ID["issue/critical-minerals"])))
    assert _has(found, JAPAN, None, "Subject of gkg:concerns")


@pytest.mark.parametrize("sha", ["abc", "9F86D081884C7D659A2FEAA0C55AD015A3BF4F1B2B0B822CD15D6C15B0F00A08"])
def test_bad_sha256_violates(sha: str) -> None:
    found = _break(lambda g: g.set((ARTICLE, GKG.sha256, Literal(sha))))
    assert _has(found, ARTICLE, GKG.sha256, "64 lower-case hex")


def test_article_date_must_be_xsd_date() -> None:
    found = _break(lambda g: g.set((ARTICLE, DCTERMS.date, Literal("6 December 2025"))))
    assert _has(found, ARTICLE, DCTERMS.date, "xsd:date")


def test_article_needs_source() -> None:
    found = _break(lambda g: g.remove((ARTICLE, DCTERMS.source, None)))
    assert _has(found, ARTICLE, DCTERMS.source, "exactly one dcterms:source")


def test_dataset_validated_as_union() -> None:
    # the label lives in one named graph, the entity's type in another: fine in the union
    ds = Dataset()
    ds.graph(ID["article/a"]).add((JAPAN, RDF.type, GKG.Country))
    ds.graph(ID["article/b"]).add((JAPAN, RDFS.label, Literal("Japan")))
    assert validate(ds).conforms


def test_custom_shapes_graph() -> None:
    shapes = Graph()
    shape = BNode()
    prop = BNode()
    shapes.add((shape, RDF.type, SH.NodeShape))
    shapes.add((shape, SH.targetClass, GKG.Country))
    shapes.add((shape, SH.property, prop))
    shapes.add((prop, SH.path, GKG.isoCode))
    shapes.add((prop, SH.minCount, Literal(1)))
    graph = Graph()
    graph.add((JAPAN, RDF.type, GKG.Country))
    assert not validate(graph, shapes).conforms


# --- the `kg validate` command ----------------------------------------------------------


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


@pytest.mark.parametrize("fmt,suffix", [("trig", ".trig"), ("nquads", ".nq"), ("turtle", ".ttl"),
                                        ("nt", ".nt"), ("json-ld", ".jsonld")])
def test_read_rdf_files_every_format(tmp_path, fmt: str, suffix: str) -> None:
    source = _valid() if fmt in ("trig", "nquads", "json-ld") else _union(_valid())
    path = tmp_path / f"article{suffix}"
    source.serialize(path, format=fmt)
    assert validate(read_rdf_files([path])).conforms


def test_cli_validate_conforming_file(runner: CliRunner, tmp_path) -> None:
    from kg.cli import main

    path = tmp_path / "ok.ttl"
    _union(_valid()).serialize(path, format="turtle")
    result = runner.invoke(main, ["validate", str(path)])
    assert result.exit_code == 0, result.output
    assert re.search(r"Conforms: 13 nodes checked", result.stdout)


def test_cli_validate_broken_file(runner: CliRunner, tmp_path) -> None:
    from kg.cli import main

    graph = _union(_valid())
    graph.add((JAPAN, RDFS.label, Literal("Nippon")))
    graph.remove((S1, GKG.sentence, None))
    path = tmp_path / "broken.ttl"
    graph.serialize(path, format="turtle")
    result = runner.invoke(main, ["validate", str(path)])
    assert result.exit_code == 1
    assert "Error: 2 SHACL violations" in result.stderr
    assert "exactly one rdfs:label" in result.stdout
    assert "exactly one gkg:sentence" in result.stdout


def test_cli_validate_unreadable_file(runner: CliRunner, tmp_path) -> None:
    from kg.cli import main

    bad = tmp_path / "bad.ttl"
    bad.write_text("this is not turtle")
    result = runner.invoke(main, ["validate", str(bad)])
    assert result.exit_code == 1
    assert result.stderr.startswith("Error:") and "bad.ttl" in result.stderr

    odd = tmp_path / "graph.csv"
    odd.write_text("a,b")
    result = runner.invoke(main, ["validate", str(odd)])
    assert result.exit_code == 1
    assert "RDF format" in result.stderr


def test_cli_validate_help_has_example(runner: CliRunner) -> None:
    from kg.cli import main

    result = runner.invoke(main, ["validate", "--help"])
    assert result.exit_code == 0
    assert "Example" in result.output


def test_untyped_statement_violates() -> None:
    found = _break(lambda g: g.remove((S1, RDF.type, RDF.Statement)))
    assert _has(found, S1, RDF.type, "typed rdf:Statement")


def _store_with(path, graph_by_article: dict) -> None:
    from kg.store import open_store

    with open_store(path, create=True) as store:
        for iri, graph in graph_by_article.items():
            store.replace_article(str(iri), graph)


def test_cli_validate_store(runner: CliRunner, tmp_path) -> None:
    from kg.cli import main

    location = tmp_path / "kg"
    _store_with(location, {ARTICLE: _union(_valid())})
    result = runner.invoke(main, ["validate", "--store", str(location)])
    assert result.exit_code == 0, result.output
    assert "Conforms: 13 nodes checked" in result.stdout


def test_cli_validate_broken_store(runner: CliRunner, tmp_path) -> None:
    from kg.cli import main

    location = tmp_path / "kg"
    graph = _union(_valid())
    graph.add((TRUMP, GKG.supports, SUMMIT))
    _store_with(location, {ARTICLE: graph})
    result = runner.invoke(main, ["validate"], env={"KG_STORE": str(location)})
    assert result.exit_code == 1
    assert "Error: 1 SHACL violations" in result.stderr
    assert "never an Event" in result.stdout


def test_cli_validate_missing_store(runner: CliRunner, tmp_path) -> None:
    from kg.cli import main

    result = runner.invoke(main, ["validate", "--store", str(tmp_path / "nothing")])
    assert result.exit_code == 1
    assert result.stderr.startswith("Error:")
    assert not (tmp_path / "nothing").exists()


def test_only_concepts_have_pref_labels() -> None:
    # kg.lexicon reads every subject of skos:prefLabel as an issue
    scheme = load_issue_scheme()
    assert set(scheme.subjects(SKOS.prefLabel, None)) == set(_concepts(scheme))
