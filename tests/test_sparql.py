"""The SPARQL guard, query evaluation limits, result formats and `kg query`."""

from __future__ import annotations

import csv
import io
import json
import time

import pyoxigraph as ox
import pytest
import rdflib
from conftest import ARTICLE_A, GKG, ID
from rdflib import Literal
from rdflib.compare import isomorphic

from kg.cli import main
from kg.errors import QueryError
from kg.sparql import DEFAULT_PREFIXES, QueryResult, check_query, compact_iri, format_result

# -- the guard -----------------------------------------------------------------


@pytest.mark.parametrize("update", [
    "INSERT DATA { <urn:a> <urn:b> <urn:c> }",
    "PREFIX ex: <http://example.org/>\nDELETE WHERE { ?s ex:p ?o }",
    "DROP ALL",
    "drop silent graph <urn:g>",
    "CLEAR DEFAULT",
    "CREATE GRAPH <urn:g>",
    "ADD <urn:a> TO <urn:b>",
    "MOVE <urn:a> TO <urn:b>",
    "COPY DEFAULT TO <urn:b>",
    "WITH <urn:g> DELETE { ?s ?p ?o } WHERE { ?s ?p ?o }",
    "# a comment first\nBASE <http://example.org/>\nINSERT { ?s a gkg:X } WHERE { ?s ?p ?o }",
])
def test_updates_are_refused(update):
    with pytest.raises(QueryError, match=r"updates are refused.*kg ingest.*kg remove"):
        check_query(update)


@pytest.mark.parametrize("query", [
    "LOAD <http://example.org/data.ttl>",
    "LOAD SILENT <http://example.org/data.ttl> INTO GRAPH <urn:g>",
])
def test_load_is_refused(query):
    with pytest.raises(QueryError, match="refused"):
        check_query(query)


@pytest.mark.parametrize("query", [
    "SELECT * WHERE { SERVICE <http://example.org/sparql> { ?s ?p ?o } }",
    "select * where { ?s ?p ?o OPTIONAL { service silent <http://example.org/sparql> { ?s ?q ?r } } }",
    "SELECT * WHERE { ?s ?p ?o . SERVICE ?endpoint { ?s ?q ?r } }",
])
def test_service_is_refused_before_evaluation(query):
    with pytest.raises(QueryError, match="SERVICE .* refused"):
        check_query(query)


@pytest.mark.parametrize("query", [
    'SELECT * WHERE { ?s rdfs:label "SERVICE" }',
    "SELECT * WHERE { ?s rdfs:label 'use SERVICE <http://x> { } and LOAD' }",
    'SELECT * WHERE { ?s rdfs:label """multi\nline SERVICE""" }',
    "SELECT * WHERE { ?s ?p <http://example.org/SERVICE/LOAD> }",
    "# SERVICE in a comment\nSELECT * WHERE { ?s ?p ?o }",
    "PREFIX ex: <http://example.org/>\nSELECT ?service ?load WHERE { ?service ex:load ?load }",
    "SELECT * WHERE { ?s ?p ?o FILTER(?o < 3) FILTER(CONTAINS(STR(?s), \"DROP\")) }",
])
def test_keywords_inside_strings_iris_comments_and_names_are_fine(query):
    assert check_query(query).endswith(query)


def test_syntax_error_reports_line_and_column():
    query = "SELECT ?s\nWHERE {\n  ?s ?p ?o .\n  FILTER(?o = ) }"
    with pytest.raises(QueryError) as info:
        check_query(query)
    message = str(info.value)
    assert message.startswith("SPARQL syntax error at line 4, column ")
    assert "FILTER(?o = ) }" in message and "^" in message


def test_slash_in_prefixed_name_gets_a_hint():
    with pytest.raises(QueryError, match=r"(?s)hint: .*id:country\\/JPN"):
        check_query("SELECT * WHERE { id:country/JPN ?p ?o }")
    assert check_query("SELECT * WHERE { id:country\\/JPN ?p ?o }")
    assert check_query("SELECT * WHERE { ?s gkg:partyTo/gkg:concerns ?o }")


def test_undeclared_prefix_is_named():
    with pytest.raises(QueryError, match=r"line 2, column 23: undeclared prefix foo:"):
        check_query("PREFIX ex: <http://example.org/>\nSELECT * WHERE { ?s a foo:Thing }")


def test_empty_query():
    with pytest.raises(QueryError, match="empty"):
        check_query("   \n ")


def test_default_prefixes_added_only_when_missing():
    text = check_query("SELECT * WHERE { ?s a gkg:Country }")
    for prefix, iri in DEFAULT_PREFIXES.items():
        assert f"PREFIX {prefix}: <{iri}>" in text
    own = "PREFIX gkg: <http://example.org/other#>\nSELECT * WHERE { ?s a gkg:Country }"
    text = check_query(own)
    assert text.count("PREFIX gkg:") == 1 and text.endswith(own)


# -- evaluation ----------------------------------------------------------------


def test_ask_construct_describe(filled_store):
    assert filled_store.query("ASK { ?p gkg:supports ?q }").boolean is True
    assert filled_store.query("ASK { ?p gkg:opposes ?q }").boolean is False
    res = filled_store.query("CONSTRUCT { ?a gkg:supports ?b } WHERE { ?a gkg:supports ?b }")
    assert res.kind == "graph"
    assert set(res.triples) == {
        (ID["person/donald-trump"], GKG.supports, ID["person/sanae-takaichi"]),
        (ID["country/JPN"], GKG.supports, ID["country/USA"]),
    }
    res = filled_store.query("DESCRIBE id:person\\/sanae-takaichi")
    assert (ID["person/sanae-takaichi"], rdflib.RDFS.label, Literal("Sanae Takaichi")) in res.triples


def test_evidence_query_returns_sentences(filled_store):
    res = filled_store.query("""
        SELECT ?sentence ?confidence WHERE {
          ?st a rdf:Statement ; rdf:subject id:person\\/donald-trump ; rdf:predicate gkg:supports ;
              gkg:sentence ?sentence ; gkg:confidence ?confidence ;
              prov:wasDerivedFrom ?article . ?article a gkg:Article }""")
    assert len(res.rows) == 1
    sentence, confidence = res.rows[0]
    assert "lavished praise" in str(sentence)
    assert confidence == Literal("0.8", datatype=rdflib.XSD.decimal)


def test_query_errors_at_evaluation_are_query_errors(filled_store):
    with pytest.raises(QueryError):
        filled_store.query("SELECT * WHERE { ?s ?p ?o } LIMIT -1")


def test_max_rows_truncates(filled_store):
    total = len(filled_store.query("SELECT * WHERE { GRAPH ?g { ?s ?p ?o } }").rows)
    res = filled_store.query("SELECT * WHERE { GRAPH ?g { ?s ?p ?o } }", max_rows=5)
    assert len(res.rows) == 5 and res.truncated and res.reason == "max_rows"
    assert "INCOMPLETE" in res.warning
    exact = filled_store.query("SELECT * WHERE { GRAPH ?g { ?s ?p ?o } }", max_rows=total)
    assert len(exact.rows) == total and not exact.truncated and exact.warning is None
    graph = filled_store.query("CONSTRUCT WHERE { ?s ?p ?o }", max_rows=3)
    assert len(graph.triples) == 3 and graph.truncated


@pytest.fixture
def big_store(tmp_store):
    """3,000 literal triples: a self-join with a FILTER is 9 million pairs, seconds of work."""
    g = rdflib.Graph()
    for i in range(3000):
        g.add((ID[f"person/p{i}"], rdflib.RDFS.label, Literal(f"Person {i}")))
    tmp_store.replace_article(str(ARTICLE_A), g)
    return tmp_store


SLOW = ("SELECT * WHERE { ?a rdfs:label ?x . ?b rdfs:label ?y . "
        "FILTER(STR(?x) = CONCAT(STR(?y), 'never')) }")


def test_timeout_on_a_cartesian_product_reports_truncated(big_store):
    start = time.perf_counter()
    res = big_store.query(SLOW, timeout=0.3)
    waited = time.perf_counter() - start
    assert res.truncated and res.reason == "timeout"
    assert res.rows == () and waited < 2.0
    assert "timed out after 0.3 s" in res.warning and "INCOMPLETE" in res.warning


def test_timeout_on_ask_gives_no_answer(big_store):
    res = big_store.query("ASK { ?a rdfs:label ?x . ?b rdfs:label ?y . "
                          "FILTER(STR(?x) = CONCAT(STR(?y), 'never')) }", timeout=0.2)
    assert res.truncated and res.boolean is None
    assert format_result(res, "table") == ""


def test_fast_query_within_timeout_is_complete(big_store):
    res = big_store.query("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }", timeout=10)
    assert not res.truncated and int(res.rows[0][0]) == 3000


# -- formats -------------------------------------------------------------------


@pytest.fixture
def select_result(filled_store) -> QueryResult:
    return filled_store.query("""
        SELECT ?s ?label ?lang ?n ?missing WHERE {
          { VALUES (?s ?label ?lang ?n) {
              (id:country\\/JPN "Japan, \\"Nippon\\"\\nline two" "Japon"@fr 3) } }
          UNION
          { BIND(BNODE("b") AS ?s) BIND("tab\\there" AS ?label) BIND(2.5 AS ?n) }
        } ORDER BY DESC(?n)""")


def test_table_is_aligned_with_compact_iris(select_result):
    text = format_result(select_result, "table")
    lines = text.splitlines()
    assert lines[0].split() == ["s", "label", "lang", "n", "missing"]
    assert set(lines[1]) <= {"-", " "}
    assert "id:country/JPN" in lines[2] and "Japon@fr" in lines[2]
    assert lines[0].index("label") == lines[2].index("Japan")
    assert compact_iri(str(GKG.supports)) == "gkg:supports"
    assert compact_iri("http://example.org/x") == "<http://example.org/x>"


def test_csv_follows_w3c(select_result):
    text = format_result(select_result, "csv")
    assert text.startswith("s,label,lang,n,missing\r\n")
    rows = list(csv.reader(io.StringIO(text, newline="")))
    assert rows[1][0] == str(ID["country/JPN"])
    assert rows[1][1] == 'Japan, "Nippon"\nline two'
    assert rows[2][0].startswith("_:") and rows[2][2] == "" and rows[2][4] == ""


def test_tsv_follows_w3c(select_result):
    lines = format_result(select_result, "tsv").splitlines()
    assert lines[0] == "?s\t?label\t?lang\t?n\t?missing"
    first = lines[1].split("\t")
    assert first[0] == f"<{ID['country/JPN']}>"
    assert first[1] == '"Japan, \\"Nippon\\"\\nline two"'
    assert first[2] == '"Japon"@fr'
    assert first[3] == '"3"^^<http://www.w3.org/2001/XMLSchema#integer>'
    assert lines[2].split("\t")[1] == '"tab\\there"'


@pytest.mark.parametrize("fmt,oxfmt", [("json", ox.QueryResultsFormat.JSON),
                                       ("xml", ox.QueryResultsFormat.XML)])
def test_json_and_xml_parse_as_w3c_results(select_result, fmt, oxfmt):
    text = format_result(select_result, fmt)
    parsed = ox.parse_query_results(text.encode("utf-8"), oxfmt)
    assert [v.value for v in parsed.variables] == ["s", "label", "lang", "n", "missing"]
    solutions = list(parsed)
    assert len(solutions) == 2
    assert solutions[0]["s"] == ox.NamedNode(str(ID["country/JPN"]))
    assert solutions[0]["label"] == ox.Literal('Japan, "Nippon"\nline two')
    assert solutions[0]["lang"] == ox.Literal("Japon", language="fr")
    assert solutions[0]["n"] == ox.Literal("3", datatype=ox.NamedNode(str(rdflib.XSD.integer)))
    assert solutions[0]["missing"] is None
    assert isinstance(solutions[1]["s"], ox.BlankNode)
    if fmt == "json":
        doc = json.loads(text)
        assert doc["head"]["vars"] == ["s", "label", "lang", "n", "missing"]


@pytest.mark.parametrize("fmt,oxfmt", [("json", ox.QueryResultsFormat.JSON),
                                       ("xml", ox.QueryResultsFormat.XML)])
def test_ask_results(filled_store, fmt, oxfmt):
    res = filled_store.query("ASK { ?s gkg:supports ?o }")
    assert bool(ox.parse_query_results(format_result(res, fmt).encode(), oxfmt)) is True
    assert format_result(res, "table") == "true\n"


@pytest.mark.parametrize("fmt,rdflib_format", [("turtle", "turtle"), ("ntriples", "nt"),
                                                ("table", "turtle")])
def test_graph_results_parse_back(filled_store, fmt, rdflib_format):
    res = filled_store.query("CONSTRUCT { ?st ?p ?o } WHERE { ?st a rdf:Statement ; ?p ?o }")
    expected = rdflib.Graph()
    for t in res.triples:
        expected.add(t)
    got = rdflib.Graph().parse(data=format_result(res, fmt), format=rdflib_format)
    assert isomorphic(got, expected)
    assert any(isinstance(o, Literal) and o.datatype == rdflib.XSD.double for _, _, o in got)


def test_graph_formats_need_construct(select_result):
    with pytest.raises(QueryError, match="CONSTRUCT or DESCRIBE"):
        format_result(select_result, "turtle")
    with pytest.raises(QueryError, match="unknown result format"):
        format_result(select_result, "yaml")


# -- CLI -----------------------------------------------------------------------


@pytest.fixture
def cli_store(filled_store, store_path):
    """The sample store, closed so the CLI can open it."""
    filled_store.close()
    import gc

    gc.collect()
    return str(store_path)


def test_cli_query_table(runner, cli_store):
    result = runner.invoke(main, ["query", "--store", cli_store,
                                  "SELECT DISTINCT ?c WHERE { ?c a gkg:Country } ORDER BY ?c"])
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines()[2:] == ["id:country/JPN", "id:country/USA"]
    assert "2 row(s)" in result.stderr


def test_cli_query_from_file_as_json(runner, cli_store, tmp_path):
    rq = tmp_path / "q.rq"
    rq.write_text("SELECT ?p WHERE {\n  ?p a gkg:Person\n} ORDER BY ?p\n", encoding="utf-8")
    result = runner.invoke(main, ["query", "--store", cli_store, "-f", str(rq), "--format", "json"])
    assert result.exit_code == 0, result.output
    doc = json.loads(result.stdout)
    assert len(doc["results"]["bindings"]) == 2


def test_cli_query_from_stdin(runner, cli_store):
    result = runner.invoke(main, ["query", "--store", cli_store, "-f", "-", "--format", "csv"],
                           input="SELECT ?n WHERE { BIND(1 AS ?n) }")
    assert result.exit_code == 0
    assert result.stdout == "n\n1\n"  # (CliRunner turns the CSV's CRLF into LF)


def test_cli_query_max_rows_exits_3(runner, cli_store):
    result = runner.invoke(main, ["query", "--store", cli_store, "--max-rows", "2",
                                  "SELECT * WHERE { ?s ?p ?o }"])
    assert result.exit_code == 3
    assert len(result.stdout.splitlines()) == 4  # header, rule, 2 rows
    assert "Warning:" in result.stderr and "INCOMPLETE" in result.stderr


def test_cli_query_timeout_exits_3(runner, big_store, store_path):
    big_store.close()
    import gc

    gc.collect()
    result = runner.invoke(main, ["query", "--store", str(store_path), "--timeout", "0.3", SLOW])
    assert result.exit_code == 3
    assert "timed out" in result.stderr


@pytest.mark.parametrize("query,message", [
    ("DROP ALL", "updates are refused"),
    ("SELECT * WHERE { SERVICE <http://example.org/sparql> { ?s ?p ?o } }", "SERVICE"),
    ("SELECT * WHERE {\n ?s ?p }", "SPARQL syntax error at line 2"),
])
def test_cli_query_refusals_and_errors(runner, cli_store, query, message):
    result = runner.invoke(main, ["query", "--store", cli_store, query])
    assert result.exit_code == 1
    assert result.stderr.startswith("Error: ") and message in result.stderr
    assert result.stdout == ""


def test_cli_query_missing_store_creates_nothing(runner, tmp_path):
    path = tmp_path / "no-such-store"
    result = runner.invoke(main, ["query", "--store", str(path), "ASK { ?s ?p ?o }"])
    assert result.exit_code == 1
    assert "no store at" in result.stderr and "kg ingest" in result.stderr
    assert not path.exists()


def test_cli_query_usage_errors(runner, cli_store, tmp_path):
    rq = tmp_path / "q.rq"
    rq.write_text("ASK {}")
    assert runner.invoke(main, ["query", "--store", cli_store]).exit_code == 2
    both = runner.invoke(main, ["query", "--store", cli_store, "-f", str(rq), "ASK {}"])
    assert both.exit_code == 2 and "not both" in both.stderr


def test_cli_query_uses_kg_store_env(runner, cli_store):
    result = runner.invoke(main, ["query", "ASK { ?s a gkg:Country }"], env={"KG_STORE": cli_store})
    assert result.exit_code == 0 and result.stdout == "true\n"


@pytest.mark.parametrize("command", ["query", "export", "stats", "articles", "remove"])
def test_each_command_has_an_example(runner, command):
    result = runner.invoke(main, [command, "--help"])
    assert result.exit_code == 0
    assert "Example" in result.stdout
