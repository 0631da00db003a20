"""Extraction → rdflib graph of one article (a pure function: no NLP, no store).

The vocabulary is documented in ``docs/rdf-model.md``.

Examples:
    >>> from kg.model import Document, Entity, Extraction
    >>> doc = Document("Japan spoke.", source="<string>")
    >>> g = to_graph(Extraction(doc, (Entity("country/JPN", "Country", "Japan"),)))
    >>> (entity_iri("country/JPN"), RDFS.label, Literal("Japan")) in g
    True
"""

from __future__ import annotations

import datetime as _dt
import hashlib
from decimal import Decimal

from rdflib import Graph, Literal, URIRef

from .model import Extraction
from .vocab import DCTERMS, GKG, ID, PROV, RDF, RDFS, SKOS, XSD, article_iri, entity_iri

__all__ = ["to_graph", "statement_iri", "bind_prefixes"]


def bind_prefixes(g: Graph) -> Graph:
    g.bind("gkg", GKG)
    g.bind("id", ID)
    g.bind("skos", SKOS)
    g.bind("prov", PROV)
    g.bind("dcterms", DCTERMS)
    return g


def statement_iri(article: URIRef, subj: str, pred: str, obj: str, start: int) -> URIRef:
    digest = hashlib.sha256(f"{subj}|{pred}|{obj}|{start}".encode()).hexdigest()[:12]
    return URIRef(f"{article}/stmt/{digest}")


def to_graph(extraction: Extraction, *, ingested_at: _dt.datetime | None = None,
             graph: Graph | None = None) -> Graph:
    """The RDF graph of one article: its metadata, entities, relations and their evidence."""
    doc = extraction.document
    art = article_iri(doc.key)
    g = bind_prefixes(graph if graph is not None else Graph(identifier=art))
    g.add((art, RDF.type, GKG.Article))
    g.add((art, GKG.sha256, Literal(doc.sha256)))
    g.add((art, DCTERMS.source, Literal(doc.source)))
    g.add((art, DCTERMS.format, Literal(doc.media_type)))
    if doc.title:
        g.add((art, DCTERMS.title, Literal(doc.title)))
    if doc.date:
        g.add((art, DCTERMS.date, Literal(doc.date.isoformat(), datatype=XSD.date)))
    if doc.dateline_place:
        g.add((art, GKG.datelinePlace, Literal(doc.dateline_place)))
    if ingested_at is not None:
        g.add((art, PROV.generatedAtTime, Literal(ingested_at.isoformat(), datatype=XSD.dateTime)))

    for ent in extraction.entities:
        node = entity_iri(ent.key)
        g.add((node, RDF.type, GKG[ent.cls]))
        g.add((node, RDFS.label, Literal(ent.label)))
        for alias in ent.aliases:
            if alias != ent.label:
                g.add((node, SKOS.altLabel, Literal(alias)))
        g.add((node, GKG.mentionedIn, art))
        for name, value in ent.attributes:
            g.add((node, GKG[name], Literal(value)))

    for rel in extraction.relations:
        s, o = entity_iri(rel.subject), entity_iri(rel.object)
        p = GKG[rel.predicate]
        g.add((s, p, o))
        if rel.fine:
            g.add((s, GKG[rel.fine], o))
        ev = rel.evidence
        st = statement_iri(art, rel.subject, rel.predicate, rel.object, ev.start)
        g.add((st, RDF.type, RDF.Statement))
        g.add((st, RDF.subject, s))
        g.add((st, RDF.predicate, p))
        g.add((st, RDF.object, o))
        if rel.fine:
            g.add((st, GKG.finePredicate, GKG[rel.fine]))
        g.add((st, GKG.sentence, Literal(ev.sentence)))
        g.add((st, GKG.charStart, Literal(ev.start)))
        g.add((st, GKG.charEnd, Literal(ev.end)))
        g.add((st, GKG.rule, Literal(ev.rule)))
        g.add((st, GKG.confidence, Literal(Decimal(str(ev.confidence)), datatype=XSD.decimal)))
        g.add((st, PROV.wasDerivedFrom, art))
    return g
