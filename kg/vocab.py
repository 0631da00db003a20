"""Namespaces and IRI minting shared by every stage.

Examples:
    >>> str(entity_iri("country/JPN"))
    'https://w3id.org/geokg/id/country/JPN'
    >>> slug("U.S.–Japan Security Treaty")
    'us-japan-security-treaty'
"""

from __future__ import annotations

import re
import unicodedata

from rdflib import Namespace, URIRef
from rdflib.namespace import DCTERMS, OWL, PROV, RDF, RDFS, SKOS, XSD

GKG = Namespace("https://w3id.org/geokg/ontology#")
ID = Namespace("https://w3id.org/geokg/id/")
ISSUE = Namespace("https://w3id.org/geokg/id/issue/")

CORE_CLASSES = ("Person", "Country", "Organization", "Agreement", "Event", "Issue", "Location")
CORE_PREDICATES = (
    "leaderOf", "memberOf", "partyTo", "participantIn", "concerns",
    "locatedIn", "meetsWith", "supports", "opposes",
)

__all__ = [
    "GKG", "ID", "ISSUE", "RDF", "RDFS", "SKOS", "OWL", "PROV", "DCTERMS", "XSD",
    "CORE_CLASSES", "CORE_PREDICATES", "slug", "entity_iri", "article_iri",
]


_SPELLED = str.maketrans({"ø": "o", "Ø": "O", "æ": "ae", "Æ": "Ae", "œ": "oe", "Œ": "Oe", "ł": "l", "Ł": "L",
                          "đ": "d", "Đ": "D", "ð": "d", "Ð": "D", "þ": "th", "Þ": "Th", "ı": "i"})


def slug(text: str) -> str:
    """Lower-case ASCII slug of a name, stable across runs and articles."""
    # letters NFKD does not decompose ("Tromsø", "Łódź", "Straße") are spelt out first
    text = text.translate(_SPELLED).replace("ß", "ss")
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    text = text.lower().replace("&", " and ").replace("+", " plus ")
    text = re.sub(r"'s\b", "s", text)
    text = re.sub(r"[^a-z0-9]+", "-", text).strip("-")
    return text[:80].strip("-") or "x"


def entity_iri(key: str) -> URIRef:
    """IRI of an entity from its key (``country/JPN``, ``person/sanae-takaichi``)."""
    return ID[key]


def article_iri(article_key: str) -> URIRef:
    """IRI of an article, which is also the name of its graph in a store."""
    return ID[f"article/{article_key}"]
