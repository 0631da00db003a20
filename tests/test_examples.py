"""examples/ as tests: every analyst query in examples/*.rq runs on a store built from the
seed article, and the ones the seed article can answer return rows.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from kg.cli import main

REPO = Path(__file__).resolve().parents[1]
EXAMPLES = REPO / "examples"
SEED = EXAMPLES / "us-japan-summit.txt"
QUERIES = sorted(EXAMPLES.glob("*.rq"))

# the seed article holds an answer to these (the others may legitimately be empty)
NON_EMPTY = {"japan-agreements", "who-supports-whom", "about-china", "leaders"}
PREFIXES = {
    "gkg": "https://w3id.org/geokg/ontology#",
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
    "skos": "http://www.w3.org/2004/02/skos/core#",
}


def kg(*args: str):
    return CliRunner().invoke(main, list(args), prog_name="kg")


@pytest.fixture(scope="module")
def seed_store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    store = tmp_path_factory.mktemp("examples") / "store"
    result = kg("ingest", "--store", str(store), str(SEED))
    assert result.exit_code == 0, result.stderr
    return store


def test_the_expected_queries_are_there() -> None:
    assert {q.stem for q in QUERIES} >= NON_EMPTY | {"events"}


@pytest.mark.parametrize("rq", QUERIES, ids=lambda p: p.stem)
def test_query_file_is_documented(rq: Path) -> None:
    text = rq.read_text(encoding="utf-8")
    assert text.startswith("#"), "start with a comment that says what the query answers"
    for prefix, iri in PREFIXES.items():
        assert re.search(rf"(?im)^PREFIX\s+{prefix}:\s*<{re.escape(iri)}>", text), f"declare {prefix}:"


@pytest.mark.parametrize("rq", QUERIES, ids=lambda p: p.stem)
def test_query_runs_on_the_seed_store(seed_store: Path, rq: Path) -> None:
    result = kg("query", "--store", str(seed_store), "-f", str(rq), "--format", "json")
    assert result.exit_code == 0, result.stderr
    doc = json.loads(result.stdout)
    rows = doc["results"]["bindings"]
    if rq.stem in NON_EMPTY:
        assert rows, f"{rq.name} found nothing in {SEED.name}"


@pytest.mark.parametrize("rq", QUERIES, ids=lambda p: p.stem)
def test_query_table_and_csv_agree(seed_store: Path, rq: Path) -> None:
    table = kg("query", "--store", str(seed_store), "-f", str(rq))
    as_csv = kg("query", "--store", str(seed_store), "-f", str(rq), "--format", "csv")
    assert table.exit_code == 0 and as_csv.exit_code == 0
    # header + dashes + one line per row; CSV: header + one line per row (no newlines in cells here)
    assert len(table.stdout.splitlines()) - 2 == len(as_csv.stdout.splitlines()) - 1


def test_japan_agreements_come_with_their_issues(seed_store: Path) -> None:
    result = kg("query", "--store", str(seed_store), "-f", str(EXAMPLES / "japan-agreements.rq"),
                "--format", "json")
    rows = json.loads(result.stdout)["results"]["bindings"]
    assert any(r.get("issues", {}).get("value") for r in rows)


def test_who_supports_whom_shows_evidence(seed_store: Path) -> None:
    result = kg("query", "--store", str(seed_store), "-f", str(EXAMPLES / "who-supports-whom.rq"),
                "--format", "json")
    rows = json.loads(result.stdout)["results"]["bindings"]
    assert rows
    seed_text = SEED.read_text(encoding="utf-8")
    for r in rows:
        assert r["stance"]["value"] in ("supports", "opposes")
        assert 0 <= float(r["confidence"]["value"]) <= 1
        assert r["sentence"]["value"] in seed_text
