"""The gazetteers in kg/data/ are complete, consistent and reproducible.

Fast checks on the JSON files only (no spaCy): every UN member state is there,
names do not point at two things, kinds are valid, agreement names never shadow
a country or an organisation, and rebuilding the files with
scripts/build_gazetteers.py gives the same bytes.
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
AGREEMENT_KINDS = {"trade", "arms_control", "climate", "law", "peace", "european", "security",
                   "initiative", "energy", "other"}
# Capitalised words that still do not make a name proper: an agreement alias made
# only of these ("Nuclear Deal", "Peace Agreement") would swallow ordinary phrases.
GENERIC_WORDS = set("""
a an the of and or for on in to with between against agreement agreements accord accords
treaty treaties deal deals pact convention protocol framework initiative partnership
declaration memorandum arrangement charter plan compact consensus trade free nuclear peace
climate security arms economic comprehensive cooperation defence defense mutual investment
ceasefire withdrawal final interim global international new joint strategic military
bilateral grain gas energy transit border maritime migration
""".split())
GAZETTEERS = ["countries.json", "organizations.json", "titles.json", "places.json", "agreements.json"]


def norm(text: str) -> str:
    text = re.sub("[\u2013\u2014]", "-", text.replace("\u2019", "'"))  # "U.S.–Japan" = "U.S.-Japan"
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore")
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


@pytest.fixture(scope="module")
def agreements() -> list[dict]:
    return load("agreements.json")["agreements"]


def build_module():
    spec = importlib.util.spec_from_file_location("build_gazetteers",
                                                  ROOT / "scripts" / "build_gazetteers.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.mark.parametrize("name", GAZETTEERS)
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


# --------------------------------------------------------------------------- agreements

def agreement_surfaces(a: dict) -> list[str]:
    return [a["name"], *a["acronyms"], *a["aliases"]]


def test_agreement_records(agreements):
    assert 150 <= len(agreements) <= 300
    keys = [a["key"] for a in agreements]
    assert len(keys) == len(set(keys))
    for a in agreements:
        assert re.fullmatch(r"[a-z0-9]+(?:-[a-z0-9]+)*", a["key"]), a["key"]
        assert a["kind"] in AGREEMENT_KINDS, a
        assert a["name"].strip(), a
        assert a["year"] is None or (isinstance(a["year"], int) and 1600 <= a["year"] <= 2100), a
        for acr in a["acronyms"]:
            assert " " not in acr and sum(ch.isupper() for ch in acr) >= 2, (a["key"], acr)
        assert a["name"] not in a["aliases"]
    assert set(a["kind"] for a in agreements) == AGREEMENT_KINDS


def test_agreement_surfaces_point_at_one_agreement(agreements):
    owner: dict[str, str] = {}
    for a in agreements:
        for n in agreement_surfaces(a):
            assert owner.setdefault(norm(n), a["key"]) == a["key"], (n, owner[norm(n)], a["key"])


def test_agreement_surfaces_are_not_countries_organisations_or_places(agreements, countries,
                                                                      organizations, places):
    taken = {norm(n) for c in countries
             for n in [c["name"], *c["aliases"], c["capital"], *c["capital_aliases"], *c["demonyms"]]}
    taken |= {norm(n) for o in organizations["organizations"]
              for n in [o["name"], *o["acronyms"], *o["aliases"]]}
    taken |= {norm(n) for r in places["regions"] for n in [r["name"], *r["aliases"]]}
    taken |= {norm(n) for c in places["cities"] for n in [c["name"], *c["aliases"]]}
    for a in agreements:
        for n in agreement_surfaces(a):
            assert norm(n) not in taken, (a["key"], n)
    # AUKUS, OPEC+ and NATO are organisations, not agreements
    surfaces = {n for a in agreements for n in agreement_surfaces(a)}
    assert not {"AUKUS", "OPEC+", "NATO", "UNFCCC", "ECHR"} & surfaces


def test_agreement_aliases_are_proper_names(agreements):
    def proper(alias: str) -> bool:
        if " " not in alias and sum(ch.isupper() for ch in alias) >= 2:
            return True  # an acronym: T-MEC, TPP-11
        words = re.split(r"[\s/\u2013\u2014-]+", alias)
        return any(w[:1].isupper() and w.strip(",.'").casefold() not in GENERIC_WORDS for w in words)

    for a in agreements:
        for alias in a["aliases"]:
            assert proper(alias), (a["key"], alias)
            assert alias.casefold() not in {"nuclear deal", "trade deal", "the agreement",
                                             "peace agreement", "grain deal", "climate accord"}


def test_dashed_names_have_hyphen_spellings(agreements):
    for a in agreements:
        surfaces = set(agreement_surfaces(a))
        for n in surfaces:
            if "\u2013" in n:
                assert n.replace("\u2013", "-") in surfaces, (a["key"], n)
    by_key = {a["key"]: a for a in agreements}
    assert "Elysee Treaty" in by_key["elysee-treaty"]["aliases"]


@pytest.fixture(scope="module")
def agreement_key() -> dict[str, str]:
    from kg.lexicon import load_lexicon

    return load_lexicon().agreement_by_surface


@pytest.mark.parametrize("surface,key", [
    ("USMCA", "usmca"), ("CUSMA", "usmca"), ("T-MEC", "usmca"),
    ("United States–Mexico–Canada Agreement", "usmca"), ("United States-Mexico-Canada Agreement", "usmca"),
    ("JCPOA", "jcpoa"), ("Iran nuclear deal", "jcpoa"), ("Joint Comprehensive Plan of Action", "jcpoa"),
    ("Paris Agreement", "paris-agreement"), ("Paris climate accord", "paris-agreement"),
    ("NPT", "npt"), ("Nuclear Non-Proliferation Treaty", "npt"), ("New START", "new-start"),
    ("INF Treaty", "inf-treaty"), ("CPTPP", "cptpp"), ("RCEP", "rcep"), ("AfCFTA", "afcfta"),
    ("UNCLOS", "unclos"), ("Rome Statute", "rome-statute"),
    ("Good Friday Agreement", "good-friday-agreement"),
    ("Belfast Agreement", "good-friday-agreement"), ("Minsk agreements", "minsk-agreements"),
    ("Oslo Accords", "oslo-accords"), ("Abraham Accords", "abraham-accords"),
    ("High Seas Treaty", "bbnj"), ("Belt and Road Initiative", "belt-and-road-initiative"),
    ("Black Sea Grain Initiative", "black-sea-grain-initiative"), ("Treaty of Lisbon", "treaty-of-lisbon"),
    ("Élysée Treaty", "elysee-treaty"), ("U.S.–Japan Security Treaty", "us-japan-security-treaty"),
    ("U.S.-Japan Security Treaty", "us-japan-security-treaty"), ("Simla Agreement", "shimla-agreement"),
    ("Shimla Agreement", "shimla-agreement"), ("Indus Waters Treaty", "indus-waters-treaty"),
    ("OPEC+ Declaration of Cooperation", "opec-plus-declaration-of-cooperation"),
])
def test_well_known_agreements_resolve(agreement_key, surface, key):
    assert agreement_key[surface] == key


def test_lexicon_agreement_entries():
    from kg.lexicon import AgreementEntry, load_lexicon

    lex = load_lexicon()
    usmca = lex.agreements[lex.agreement_by_surface["USMCA"]]
    assert isinstance(usmca, AgreementEntry)
    assert usmca.name == "United States–Mexico–Canada Agreement"
    assert (usmca.kind, usmca.year) == ("trade", 2018)
    assert lex.agreement_by_surface["JCPOA"] == lex.agreement_by_surface["Iran nuclear deal"]
    assert lex.agreements["paris-agreement"].name == "Paris Agreement"
    assert "nuclear deal" not in lex.agreement_by_surface
    assert not set(lex.agreement_by_surface) & set(lex.org_by_surface)
    assert not set(lex.agreement_by_surface) & set(lex.country_by_surface)


def _mini_gazetteers():
    countries = {"countries": [{"iso3": "USA", "name": "United States",
                                "official": "United States of America", "aliases": ["U.S."],
                                "capital": "Washington", "capital_aliases": [], "demonyms": ["American"]}]}
    organizations = {"organizations": [{"key": "aukus", "name": "AUKUS", "acronyms": [],
                                        "aliases": ["AUKUS pact"], "kind": "alliance"}]}
    places = {"regions": [], "cities": []}
    return countries, organizations, places


@pytest.mark.parametrize("bad,message", [
    ({"key": "x", "name": "AUKUS pact", "acronyms": [], "aliases": [], "kind": "security"}, "taken"),
    ({"key": "x", "name": "X Treaty", "acronyms": ["United States"], "aliases": [], "kind": "security"},
     "acronym"),
    ({"key": "x", "name": "X Treaty", "acronyms": [], "aliases": ["U.S."], "kind": "security"}, "taken"),
    ({"key": "x", "name": "X Treaty", "acronyms": [], "aliases": ["nuclear deal"], "kind": "security"},
     "proper-name"),
    ({"key": "x", "name": "X Treaty", "acronyms": [], "aliases": ["Nuclear Deal"], "kind": "security"},
     "proper-name"),
    ({"key": "x", "name": "X Treaty", "acronyms": ["Npt"], "aliases": [], "kind": "security"}, "acronym"),
    ({"key": "x", "name": " ", "acronyms": [], "aliases": [], "kind": "security"}, "empty name"),
    ({"key": "x", "name": "X Treaty", "acronyms": [], "aliases": [], "kind": "treaty"}, "bad kind"),
    ({"key": "paris-agreement", "name": "X Treaty", "acronyms": [], "aliases": [], "kind": "law"},
     "duplicate"),
    ({"key": "x", "name": "Paris Agreement", "acronyms": [], "aliases": [], "kind": "climate"}, "used by"),
])
def test_build_rejects_bad_agreements(monkeypatch, bad, message):
    module = build_module()
    good = {"key": "paris-agreement", "name": "Paris Agreement", "acronyms": [],
            "aliases": ["Paris climate accord"], "kind": "climate", "year": 2015}
    monkeypatch.setattr(module, "load", lambda name: {"agreements": [good, bad]})
    with pytest.raises(module.GazetteerError, match=message):
        module.build_agreements(*_mini_gazetteers())


# --------------------------------------------------------------------------- reproducible

def test_rebuilding_gives_identical_files(tmp_path):
    module = build_module()
    assert module.main(["--out", str(tmp_path)]) == 0
    for name in GAZETTEERS:
        assert (tmp_path / name).read_bytes() == (DATA / name).read_bytes(), name
    # --check notices a stale agreements file
    assert module.main(["--out", str(tmp_path), "--check"]) == 0
    (tmp_path / "agreements.json").write_text("{}\n", encoding="utf-8")
    assert module.main(["--out", str(tmp_path), "--check"]) == 1
