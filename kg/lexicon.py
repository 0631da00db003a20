"""Gazetteers and trigger lexicons, loaded once from the data files.

Knowledge lives in ``kg/data/*.json`` and ``ontology/issues.ttl``; this module
only indexes it for lookup by surface form.

Examples:
    >>> lex = load_lexicon()
    >>> lex.country_by_surface["U.S."]
    'USA'
    >>> lex.agreements[lex.agreement_by_surface["Iran nuclear deal"]].name
    'Joint Comprehensive Plan of Action'
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from .vocab import slug

DATA = Path(__file__).parent / "data"


def _read(name: str) -> dict:
    path = DATA / name
    with path.open(encoding="utf-8") as fh:
        return json.load(fh)


@dataclass
class Country:
    iso3: str
    name: str
    aliases: tuple[str, ...]
    capitals: tuple[str, ...]
    demonyms: tuple[str, ...]


@dataclass
class Organization:
    key: str
    name: str
    acronyms: tuple[str, ...]
    aliases: tuple[str, ...]
    kind: str


@dataclass(frozen=True)
class AgreementEntry:
    """A named agreement from ``kg/data/agreements.json`` (treaty, accord, initiative...)."""
    key: str
    name: str
    acronyms: tuple[str, ...]
    aliases: tuple[str, ...]
    kind: str  # trade, arms_control, climate, law, peace, european, security, initiative, energy, other
    year: int | None  # year of signature (adoption or launch); None if never signed


@dataclass
class IssueConcept:
    key: str
    label: str
    alt_labels: tuple[str, ...]


@dataclass
class Lexicon:
    countries: dict[str, Country] = field(default_factory=dict)
    country_by_surface: dict[str, str] = field(default_factory=dict)
    capital_by_surface: dict[str, str] = field(default_factory=dict)
    demonym_by_surface: dict[str, str] = field(default_factory=dict)
    combining: dict[str, str] = field(default_factory=dict)
    orgs: dict[str, Organization] = field(default_factory=dict)
    org_by_surface: dict[str, str] = field(default_factory=dict)
    titles: dict[str, str] = field(default_factory=dict)  # lower-case title -> kind
    title_modifiers: dict[str, str] = field(default_factory=dict)
    honorifics: frozenset[str] = frozenset()
    regions: dict[str, str] = field(default_factory=dict)  # surface -> canonical
    cities: dict[str, tuple[str, str]] = field(default_factory=dict)  # surface -> (canonical, iso3)
    issues: dict[str, IssueConcept] = field(default_factory=dict)
    issue_by_label: dict[str, str] = field(default_factory=dict)  # lower-case label -> key
    triggers: dict = field(default_factory=dict)
    agreements: dict[str, AgreementEntry] = field(default_factory=dict)
    agreement_by_surface: dict[str, str] = field(default_factory=dict)  # exact-case surface -> key

    def title_kind(self, phrase: str) -> str | None:
        return self.titles.get(phrase.lower().replace("-", " ").strip())


def _load_countries(lex: Lexicon) -> None:
    data = _read("countries.json")
    for row in data["countries"]:
        iso3 = row["iso3"]
        capitals = tuple(c for c in [row.get("capital"), *row.get("capital_aliases", [])] if c)
        country = Country(iso3, row["name"], tuple(row.get("aliases", [])), capitals,
                          tuple(row.get("demonyms", [])))
        lex.countries[iso3] = country
        for surface in (row["name"], row.get("official"), *country.aliases):
            if surface:
                lex.country_by_surface.setdefault(surface, iso3)
                if surface.startswith("the "):
                    lex.country_by_surface.setdefault(surface[4:], iso3)
        for cap in capitals:
            lex.capital_by_surface.setdefault(cap, iso3)
        for dem in country.demonyms:
            lex.demonym_by_surface.setdefault(dem, iso3)
        for comb in row.get("combining", []):
            lex.combining.setdefault(comb, iso3)


def _load_orgs(lex: Lexicon) -> None:
    data = _read("organizations.json")
    for row in data["organizations"]:
        org = Organization(row["key"], row["name"], tuple(row.get("acronyms", [])),
                           tuple(row.get("aliases", [])), row.get("kind", "other"))
        lex.orgs[org.key] = org
        for surface in (org.name, *org.acronyms, *org.aliases):
            lex.org_by_surface.setdefault(surface, org.key)


def _load_agreements(lex: Lexicon) -> None:
    data = _read("agreements.json")
    for row in data["agreements"]:
        entry = AgreementEntry(row["key"], row["name"], tuple(row.get("acronyms", [])),
                               tuple(row.get("aliases", [])), row.get("kind", "other"),
                               row.get("year"))
        lex.agreements[entry.key] = entry
        for surface in (entry.name, *entry.acronyms, *entry.aliases):
            lex.agreement_by_surface.setdefault(surface, entry.key)


def _load_titles(lex: Lexicon) -> None:
    data = _read("titles.json")
    for row in data["titles"]:
        for t in (row["title"], *row.get("variants", [])):
            lex.titles.setdefault(t.lower().replace("-", " "), row["kind"])
    lex.title_modifiers = {k.lower(): v for k, v in data.get("modifiers", {}).items()}
    lex.honorifics = frozenset(data.get("honorifics", []))


def _load_places(lex: Lexicon) -> None:
    data = _read("places.json")
    for row in data.get("regions", []):
        for surface in (row["name"], *row.get("aliases", [])):
            lex.regions.setdefault(surface, row["name"])
    for row in data.get("cities", []):
        for surface in (row["name"], *row.get("aliases", [])):
            lex.cities.setdefault(surface, (row["name"], row.get("country", "")))


def _load_issues(lex: Lexicon) -> None:
    from rdflib import Graph
    from rdflib.namespace import SKOS

    from .resources import ontology_path

    path = ontology_path("issues.ttl")
    if not path.exists():
        return
    g = Graph()
    g.parse(path, format="turtle")
    for concept in set(g.subjects(SKOS.prefLabel, None)):
        pref = str(next(iter(g.objects(concept, SKOS.prefLabel))))
        alts = tuple(str(a) for a in g.objects(concept, SKOS.altLabel))
        key = "issue/" + slug(pref)
        lex.issues[key] = IssueConcept(key, pref, alts)
        for label in (pref, *alts):
            lex.issue_by_label.setdefault(label.lower(), key)


@lru_cache(maxsize=1)
def load_lexicon() -> Lexicon:
    """All gazetteers and lexicons, indexed by surface form (cached)."""
    lex = Lexicon()
    _load_countries(lex)
    _load_orgs(lex)
    _load_agreements(lex)
    _load_titles(lex)
    _load_places(lex)
    _load_issues(lex)
    lex.triggers = _read("triggers.json")
    return lex
