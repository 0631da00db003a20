"""The gazetteers in kg/data/ are complete, consistent and reproducible.

Fast checks on the JSON files only (no spaCy): every UN member state is there,
names do not point at two things, kinds are valid, and rebuilding the files
with scripts/build_gazetteers.py gives the same bytes.
"""

from __future__ import annotations

import importlib.util
import json
import re
import unicodedata
from collections import defaultdict
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "kg" / "data"

# The 193 member states of the United Nations, kept here independently of the data.
UN_MEMBERS = set("""
AFG ALB DZA AND AGO ATG ARG ARM AUS AUT AZE BHS BHR BGD BRB BLR BEL BLZ BEN BTN BOL BIH
BWA BRA BRN BGR BFA BDI CPV KHM CMR CAN CAF TCD CHL CHN COL COM COG CRI CIV HRV CUB CYP
CZE PRK COD DNK DJI DMA DOM ECU EGY SLV GNQ ERI EST SWZ ETH FJI FIN FRA GAB GMB GEO DEU
GHA GRC GRD GTM GIN GNB GUY HTI HND HUN ISL IND IDN IRN IRQ IRL ISR ITA JAM JPN JOR KAZ
KEN KIR KWT KGZ LAO LVA LBN LSO LBR LBY LIE LTU LUX MDG MWI MYS MDV MLI MLT MHL MRT MUS
MEX FSM MCO MNG MNE MAR MOZ MMR NAM NRU NPL NLD NZL NIC NER NGA MKD NOR OMN PAK PLW PAN
PNG PRY PER PHL POL PRT QAT KOR MDA ROU RUS RWA KNA LCA VCT WSM SMR STP SAU SEN SRB SYC
SLE SGP SVK SVN SLB SOM ZAF SSD ESP LKA SDN SUR SWE CHE SYR TJK THA TLS TGO TON TTO TUN
TUR TKM TUV UGA UKR ARE GBR TZA USA URY UZB VUT VEN VNM YEM ZMB ZWE
""".split())
UN_OBSERVERS = {"VAT", "PSE"}

# Demonyms that really are shared; everything else names one country.
SHARED_DEMONYMS = {"congolese": {"COD", "COG"}, "dominican": {"DOM", "DMA"}}
# Names that really do stand for two organisations; the data lists them under
# "ambiguous" so the extractor can resolve them from context.
AMBIGUOUS_ORG_NAMES = {
    "RSF": ["rsf", "rsf-reporters"],
    "SDF": ["japan-self-defense-forces", "sdf-syria"],
}

ORG_KINDS = {
    "intergovernmental", "un-body", "alliance", "bloc", "court", "financial",
    "company", "ngo", "party", "government-body", "armed-force", "other",
}
TITLE_KINDS = {
    "head_of_state", "head_of_government", "monarch", "org_head", "minister",
    "deputy_head", "legislator", "military", "diplomat", "official",
    "spokesperson", "judge", "royal", "party_leader",
}
REGION_KINDS = {"region", "sea", "strait", "ocean", "territory", "canal", "continent"}
STATUSES = {"un-member", "un-observer", "territory", "partially-recognised"}


def norm(text: str) -> str:
    text = unicodedata.normalize("NFKD", text.replace("\u2019", "'")).encode("ascii", "ignore")
    return text.decode().casefold().strip()


def load(name: str) -> dict:
    with open(DATA / name, encoding="utf-8") as fh:
        return json.load(fh)


@pytest.fixture(scope="module")
def countries() -> list[dict]:
    return load("countries.json")["countries"]


@pytest.fixture(scope="module")
def organizations() -> dict:
    return load("organizations.json")


@pytest.fixture(scope="module")
def titles() -> dict:
    return load("titles.json")


@pytest.fixture(scope="module")
def places() -> dict:
    return load("places.json")


@pytest.mark.parametrize("name", ["countries.json", "organizations.json", "titles.json", "places.json"])
def test_every_file_says_where_its_data_came_from(name):
    assert load(name)["_source"].strip()


# --------------------------------------------------------------------------- countries

def test_every_un_member_and_observer_is_present(countries):
    by_iso3 = {c["iso3"]: c for c in countries}
    assert len(UN_MEMBERS) == 193
    assert UN_MEMBERS | UN_OBSERVERS <= set(by_iso3)
    assert {i for i, c in by_iso3.items() if c["status"] == "un-member"} == UN_MEMBERS
    assert {i for i, c in by_iso3.items() if c["status"] == "un-observer"} == UN_OBSERVERS


def test_territories_acting_as_countries_are_present(countries):
    iso3 = {c["iso3"] for c in countries}
    assert {"TWN", "XKX", "HKG", "MAC", "GRL", "PRI", "ESH"} <= iso3


def test_country_records_are_well_formed(countries):
    iso3 = [c["iso3"] for c in countries]
    assert len(iso3) == len(set(iso3))
    assert len({c["iso2"] for c in countries}) == len(countries)
    for c in countries:
        assert re.fullmatch(r"[A-Z]{3}", c["iso3"]) and re.fullmatch(r"[A-Z]{2}", c["iso2"])
        assert c["status"] in STATUSES
        assert c["name"] and c["official"]
        assert c["capital"], c["iso3"]
        assert c["demonyms"], c["iso3"]
        for key in ("aliases", "capital_aliases", "demonyms", "combining"):
            assert isinstance(c[key], list) and all(isinstance(x, str) and x for x in c[key])
        assert c["name"] not in c["aliases"]
        assert c["capital"] not in c["capital_aliases"]


def test_no_name_or_capital_points_at_two_countries(countries):
    owner: dict[str, str] = {}
    for c in countries:
        for n in [c["name"], *c["aliases"], c["capital"], *c["capital_aliases"]]:
            assert owner.setdefault(norm(n), c["iso3"]) == c["iso3"], (n, owner[norm(n)], c["iso3"])


def test_demonyms_point_at_one_country_unless_allowed(countries):
    users = defaultdict(set)
    for c in countries:
        for d in c["demonyms"]:
            users[norm(d)].add(c["iso3"])
    shared = {d: s for d, s in users.items() if len(s) > 1}
    assert shared == SHARED_DEMONYMS


@pytest.mark.parametrize("iso3,name,alias,capital,demonym", [
    ("USA", "United States", "U.S.", "Washington", "American"),
    ("GBR", "United Kingdom", "Britain", "London", "British"),
    ("KOR", "South Korea", "Republic of Korea", "Seoul", "South Korean"),
    ("PRK", "North Korea", "DPRK", "Pyongyang", "North Korean"),
    ("RUS", "Russia", "Russian Federation", "Moscow", "Russian"),
    ("CZE", "Czech Republic", "Czechia", "Prague", "Czech"),
    ("TUR", "Turkey", "Türkiye", "Ankara", "Turkish"),
    ("CIV", "Ivory Coast", "Côte d'Ivoire", "Yamoussoukro", "Ivorian"),
    ("COD", "Democratic Republic of the Congo", "DRC", "Kinshasa", "Congolese"),
    ("COG", "Republic of the Congo", "Congo-Brazzaville", "Brazzaville", "Congolese"),
    ("ARE", "United Arab Emirates", "UAE", "Abu Dhabi", "Emirati"),
    ("SAU", "Saudi Arabia", "KSA", "Riyadh", "Saudi"),
    ("MMR", "Myanmar", "Burma", "Naypyidaw", "Burmese"),
    ("SWZ", "Eswatini", "Swaziland", "Mbabane", "Swazi"),
    ("PSE", "Palestine", "State of Palestine", "Ramallah", "Palestinian"),
    ("VAT", "Vatican", "Holy See", "Vatican City", "Vatican"),
    ("TLS", "Timor-Leste", "East Timor", "Dili", "Timorese"),
    ("TWN", "Taiwan", "Republic of China", "Taipei", "Taiwanese"),
    ("XKX", "Kosovo", "Republic of Kosovo", "Pristina", "Kosovar"),
    ("ISR", "Israel", "State of Israel", "Jerusalem", "Israeli"),
    ("KAZ", "Kazakhstan", "Republic of Kazakhstan", "Astana", "Kazakh"),
])
def test_news_names(countries, iso3, name, alias, capital, demonym):
    c = {c["iso3"]: c for c in countries}[iso3]
    assert c["name"] == name
    assert alias in c["aliases"]
    assert c["capital"] == capital
    assert demonym in c["demonyms"]


def test_capital_aliases_cover_seats_of_government(countries):
    by_iso3 = {c["iso3"]: c for c in countries}
    assert "The Hague" in by_iso3["NLD"]["capital_aliases"]
    assert "Cape Town" in by_iso3["ZAF"]["capital_aliases"]
    assert "Sucre" in by_iso3["BOL"]["capital_aliases"]
    assert "Abidjan" in by_iso3["CIV"]["capital_aliases"]
    assert "Brasilia" in by_iso3["BRA"]["capital_aliases"]
    assert "Bogota" in by_iso3["COL"]["capital_aliases"]


def test_combining_forms(countries):
    combining = {f: c["iso3"] for c in countries for f in c["combining"]}
    assert len(combining) == sum(len(c["combining"]) for c in countries)
    assert combining["Sino"] == "CHN"
    assert combining["Franco"] == "FRA"
    assert combining["Anglo"] == "GBR"
    assert combining["Russo"] == "RUS"
    assert combining["Indo"] == "IND"


# --------------------------------------------------------------------------- organisations

def test_organization_records(organizations):
    orgs = organizations["organizations"]
    assert len(orgs) >= 250
    keys = [o["key"] for o in orgs]
    assert len(keys) == len(set(keys))
    for o in orgs:
        assert re.fullmatch(r"[a-z0-9]+(?:-[a-z0-9]+)*", o["key"]), o["key"]
        assert o["kind"] in ORG_KINDS, o
        assert o["name"]
        assert isinstance(o["acronyms"], list) and isinstance(o["aliases"], list)


def test_organization_names_are_unambiguous_unless_allowed(organizations):
    users = defaultdict(set)
    for o in organizations["organizations"]:
        for n in {o["name"], *o["acronyms"], *o["aliases"]}:
            users[norm(n)].add(o["key"])
    shared = {n: sorted(k) for n, k in users.items() if len(k) > 1}
    assert shared == {norm(n): k for n, k in AMBIGUOUS_ORG_NAMES.items()}
    assert organizations["ambiguous"] == AMBIGUOUS_ORG_NAMES


def test_organization_names_do_not_shadow_countries(organizations, countries):
    country_names = {norm(n) for c in countries for n in [c["name"], *c["aliases"]]}
    for o in organizations["organizations"]:
        for n in [o["name"], *o["acronyms"], *o["aliases"]]:
            assert norm(n) not in country_names, (o["key"], n)


@pytest.mark.parametrize("key,acronym,kind", [
    ("nato", "NATO", "alliance"),
    ("un", "UN", "intergovernmental"),
    ("opec", "OPEC", "intergovernmental"),
    ("opec-plus", "OPEC+", "alliance"),
    ("g7", "G7", "bloc"),
    ("quad", "Quad", "alliance"),
    ("asean", "ASEAN", "bloc"),
    ("iaea", "IAEA", "un-body"),
    ("icc", "ICC", "court"),
    ("eu", "EU", "intergovernmental"),
])
def test_well_known_organizations(organizations, key, acronym, kind):
    o = {o["key"]: o for o in organizations["organizations"]}[key]
    assert acronym in o["acronyms"]
    assert o["kind"] == kind


def test_eu_and_au_bodies_are_separate_entries(organizations):
    by_name = {o["name"]: o["key"] for o in organizations["organizations"]}
    for name in ("European Union", "European Commission", "European Parliament", "European Council",
                 "Council of the European Union", "European Central Bank", "African Union",
                 "African Union Commission"):
        assert name in by_name
    assert len({by_name["European Union"], by_name["European Commission"]}) == 2


# --------------------------------------------------------------------------- titles

def test_titles(titles):
    entries = titles["titles"]
    assert len(entries) >= 100
    seen: dict[str, str] = {}
    for t in entries:
        assert t["kind"] in TITLE_KINDS, t
        assert t["title"] == t["title"].lower()
        for form in [t["title"], *t["variants"]]:
            assert seen.setdefault(form.casefold(), t["title"]) == t["title"], form
    by_title = {t["title"]: t for t in entries}
    assert by_title["prime minister"]["kind"] == "head_of_government"
    assert "premier" in by_title["prime minister"]["variants"]
    assert by_title["secretary-general"]["kind"] == "org_head"
    assert "defense minister" in by_title["defence minister"]["variants"]


def test_modifiers_and_honorifics(titles):
    assert set(titles["modifiers"].values()) <= {"deputy", "acting", "former", "current", "future"}
    assert titles["modifiers"]["former"] == "former"
    assert titles["modifiers"]["interim"] == "acting"
    assert {"Mr.", "Sheikh", "Crown Prince", "Gen.", "Ayatollah"} <= set(titles["honorifics"])


# --------------------------------------------------------------------------- places

def test_regions(places, countries):
    regions = places["regions"]
    assert len(regions) >= 120
    country_names = {norm(n) for c in countries for n in [c["name"], *c["aliases"]]}
    owner: dict[str, str] = {}
    for r in regions:
        assert r["kind"] in REGION_KINDS, r
        for n in [r["name"], *r["aliases"]]:
            assert norm(n) not in country_names, n
            assert owner.setdefault(norm(n), r["name"]) == r["name"], n
    names = {r["name"] for r in regions}
    assert {"Indo-Pacific", "South China Sea", "Taiwan Strait", "Strait of Hormuz", "Sahel",
            "Gaza Strip", "West Bank", "Crimea", "Suez Canal", "Middle East"} <= names


def test_cities(places, countries, organizations):
    cities = places["cities"]
    assert len(cities) > 2000
    iso3 = {c["iso3"] for c in countries}
    owner: dict[str, str] = {}
    for city in cities:
        assert city["country"] in iso3, city
        for n in [city["name"], *city["aliases"]]:
            assert owner.setdefault(norm(n), city["name"]) == city["name"], n
    taken = {norm(n) for c in countries for n in [c["name"], *c["aliases"], *c["demonyms"]]}
    taken |= {norm(n) for r in places["regions"] for n in [r["name"], *r["aliases"]]}
    taken |= {norm(n) for o in organizations["organizations"]
              for n in [o["name"], *o["acronyms"], *o["aliases"]]}
    assert not taken & set(owner)
    by_name = {c["name"]: c for c in cities}
    # every capital is a city, unless its name is the country's own (Singapore)
    for c in countries:
        if norm(c["capital"]) not in taken:
            assert by_name[c["capital"]]["country"] == c["iso3"], c["capital"]
    assert by_name["Vienna"]["country"] == "AUT"
    assert "Kiev" in by_name["Kyiv"]["aliases"]
    assert "Bogota" in by_name["Bogotá"]["aliases"]
    for word in ("Mobile", "Reading", "Of", "Along", "Batman", "Toyota"):
        assert word not in by_name


# --------------------------------------------------------------------------- reproducible

def test_rebuilding_gives_identical_files(tmp_path):
    spec = importlib.util.spec_from_file_location("build_gazetteers",
                                                  ROOT / "scripts" / "build_gazetteers.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    assert module.main(["--out", str(tmp_path)]) == 0
    for name in ("countries.json", "organizations.json", "titles.json", "places.json"):
        assert (tmp_path / name).read_bytes() == (DATA / name).read_bytes(), name
