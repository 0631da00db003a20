"""`kg serve`: the SPARQL 1.1 Protocol endpoint, the view and the ontology, over HTTP for real.

Servers run in-process on a free port of 127.0.0.1 (``serve_in_thread``), except
one test that runs ``kg serve`` as a subprocess and stops it with Ctrl-C.
"""

from __future__ import annotations

import csv
import io
import json
import os
import signal
import subprocess
import sys
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
import rdflib
from conftest import ARTICLE_A, GKG, ID
from SPARQLWrapper import CSV, JSON, TSV, TURTLE, XML, SPARQLWrapper

from kg.cli import main
from kg.server import TRUNCATED_HEADER, SparqlServer, serve_in_thread

SELECT_COUNTRIES = "SELECT DISTINCT ?c ?label WHERE { ?c a gkg:Country ; rdfs:label ?label } ORDER BY ?c"
JPN, USA = str(ID["country/JPN"]), str(ID["country/USA"])


@pytest.fixture
def server(filled_store) -> Iterator[SparqlServer]:
    with serve_in_thread(filled_store, timeout=10, max_rows=1000) as srv:
        yield srv


@pytest.fixture
def capped(filled_store) -> Iterator[SparqlServer]:
    with serve_in_thread(filled_store, timeout=10, max_rows=3) as srv:
        yield srv


def http(url: str, *, data: bytes | None = None, headers: dict[str, str] | None = None,
         method: str | None = None) -> tuple[int, dict[str, str], bytes]:
    request = urllib.request.Request(url, data=data, headers=headers or {}, method=method)
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as err:
        return err.code, dict(err.headers), err.read()


def get(server: SparqlServer, query: str, **params: str) -> tuple[int, dict[str, str], bytes]:
    headers = {"Accept": params.pop("accept")} if "accept" in params else {}
    qs = urllib.parse.urlencode({"query": query, **params})
    return http(f"{server.url}/sparql?{qs}", headers=headers)


def wrapper(server: SparqlServer, query: str, fmt: str) -> SPARQLWrapper:
    sw = SPARQLWrapper(f"{server.url}/sparql")
    sw.setQuery(query)
    sw.setReturnFormat(fmt)
    return sw


# -- SPARQLWrapper, every result format -------------------------------------


def test_sparqlwrapper_json(server):
    data = wrapper(server, SELECT_COUNTRIES, JSON).queryAndConvert()
    assert data["head"]["vars"] == ["c", "label"]
    assert [b["c"]["value"] for b in data["results"]["bindings"]] == [JPN, USA]
    assert "geokg" not in data  # complete answers carry no truncation note


def test_sparqlwrapper_xml(server):
    doc = wrapper(server, SELECT_COUNTRIES, XML).queryAndConvert()
    uris = [n.firstChild.data for n in doc.getElementsByTagName("uri")]
    assert uris == [JPN, USA]
    assert not doc.getElementsByTagName("link")


def test_sparqlwrapper_csv(server):
    raw = wrapper(server, SELECT_COUNTRIES, CSV).queryAndConvert()
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8"))))
    assert rows == [["c", "label"], [JPN, "Japan"], [USA, "United States"]]


def test_sparqlwrapper_tsv(server):
    raw = wrapper(server, SELECT_COUNTRIES, TSV).queryAndConvert()
    assert raw.decode("utf-8").splitlines() == [
        "?c\t?label", f'<{JPN}>\t"Japan"', f'<{USA}>\t"United States"']


def test_sparqlwrapper_post_and_ask(server):
    sw = wrapper(server, "ASK { ?s gkg:supports ?o }", JSON)
    sw.setMethod("POST")
    assert sw.queryAndConvert()["boolean"] is True


def test_sparqlwrapper_construct(server):
    q = "CONSTRUCT { ?s gkg:leaderOf ?o } WHERE { ?s gkg:leaderOf ?o }"
    raw = wrapper(server, q, TURTLE).queryAndConvert()
    graph = rdflib.Graph().parse(data=raw, format="turtle")
    assert (ID["person/sanae-takaichi"], GKG.leaderOf, ID["country/JPN"]) in graph and len(graph) == 2
    graph = wrapper(server, q, XML).queryAndConvert()  # SPARQLWrapper's default: RDF/XML, parsed
    assert len(graph) == 2


# -- the protocol with plain urllib ----------------------------------------


def test_get_post_form_and_post_query_agree(server):
    status, headers, body = get(server, SELECT_COUNTRIES)
    assert status == 200 and headers["Content-Type"].startswith("application/sparql-results+json")
    form = urllib.parse.urlencode({"query": SELECT_COUNTRIES}).encode()
    status2, _, body2 = http(f"{server.url}/sparql", data=form,
                             headers={"Content-Type": "application/x-www-form-urlencoded"})
    status3, _, body3 = http(f"{server.url}/sparql", data=SELECT_COUNTRIES.encode(),
                             headers={"Content-Type": "application/sparql-query; charset=utf-8"})
    assert status2 == status3 == 200 and json.loads(body) == json.loads(body2) == json.loads(body3)


@pytest.mark.parametrize(("accept", "media"), [
    ("application/sparql-results+json", "application/sparql-results+json"),
    ("application/sparql-results+xml", "application/sparql-results+xml"),
    ("text/csv", "text/csv"),
    ("text/tab-separated-values", "text/tab-separated-values"),
    ("text/csv;q=0.5, application/sparql-results+xml;q=0.9", "application/sparql-results+xml"),
    ("*/*", "application/sparql-results+json"),
    ("image/png", "application/sparql-results+json"),
])
def test_content_negotiation(server, accept, media):
    status, headers, _ = get(server, SELECT_COUNTRIES, accept=accept)
    assert status == 200 and headers["Content-Type"].split(";")[0] == media


def test_format_parameter_wins_over_accept(server):
    status, headers, body = get(server, SELECT_COUNTRIES, format="csv",
                                accept="application/sparql-results+xml")
    assert status == 200 and headers["Content-Type"].startswith("text/csv") and body.startswith(b"c,label")
    status, _, body = get(server, SELECT_COUNTRIES, format="yaml")
    assert status == 400 and b"yaml" in body


def test_construct_as_turtle_and_ntriples(server):
    q = "CONSTRUCT { ?s rdfs:label ?l } WHERE { ?s a gkg:Country ; rdfs:label ?l }"
    status, headers, body = get(server, q)
    assert status == 200 and headers["Content-Type"].startswith("text/turtle")
    assert len(rdflib.Graph().parse(data=body, format="turtle")) == 2
    status, headers, body = get(server, q, accept="application/n-triples")
    assert status == 200 and headers["Content-Type"].startswith("application/n-triples")
    assert len(rdflib.Graph().parse(data=body, format="nt")) == 2


# -- refusals and errors ---------------------------------------------------


@pytest.mark.parametrize(("body", "ctype"), [
    (b"DROP ALL", "application/sparql-update"),
    (b"update=DROP+ALL", "application/x-www-form-urlencoded"),
    (b"query=" + urllib.parse.quote_plus("INSERT DATA { <http://x/s> <http://x/p> 1 }").encode(),
     "application/x-www-form-urlencoded"),
    (b"DELETE WHERE { ?s ?p ?o }", "application/sparql-query"),
])
def test_updates_are_refused_with_403(server, filled_store, body, ctype):
    status, _, message = http(f"{server.url}/sparql", data=body, headers={"Content-Type": ctype})
    assert status == 403 and b"read-only" in message
    assert len(filled_store.articles()) == 2


def test_update_in_get_is_refused(server):
    status, _, _ = http(f"{server.url}/sparql?update=" + urllib.parse.quote("DROP ALL"))
    assert status == 403
    status, _, _ = http(f"{server.url}/sparql", data=b"x", method="PUT",
                        headers={"Content-Type": "text/turtle"})
    assert status == 403


def test_service_and_load_are_refused_with_400(server):
    status, _, body = get(server, "SELECT * WHERE { SERVICE <http://127.0.0.1:1/sparql> { ?s ?p ?o } }")
    assert status == 400 and b"SERVICE" in body


def test_syntax_error_is_400_with_line_and_column(server):
    status, headers, body = get(server, "SELECT ?s\nWHERE { ?s ?p }")
    assert status == 400 and headers["Content-Type"].startswith("text/plain")
    assert b"line 2, column" in body


def test_missing_query_and_bad_requests(server):
    assert http(f"{server.url}/sparql")[0] == 400
    assert http(f"{server.url}/sparql", data=b"{}", headers={"Content-Type": "application/json"})[0] == 415
    status, _, body = get(server, SELECT_COUNTRIES, **{"default-graph-uri": str(ARTICLE_A)})
    assert status == 400 and b"default-graph-uri" in body
    assert http(f"{server.url}/nowhere")[0] == 404
    status, headers, body = http(f"{server.url}/sparql", headers={"Accept": "text/html"})
    assert status == 200 and b"<form" in body


# -- limits ------------------------------------------------------------------


def test_truncation_is_flagged_in_headers_and_json(capped):
    status, headers, body = get(capped, "SELECT ?s ?p ?o WHERE { ?s ?p ?o }")
    assert status == 200 and headers[TRUNCATED_HEADER] == "true"
    assert headers[f"{TRUNCATED_HEADER}-Reason"] == "max_rows"
    data = json.loads(body)
    assert len(data["results"]["bindings"]) == 3
    assert data["geokg"]["truncated"] is True and data["geokg"]["reason"] == "max_rows"


def test_truncation_is_flagged_in_xml_and_csv(capped):
    status, headers, body = get(capped, "SELECT ?s WHERE { ?s ?p ?o }", format="xml")
    assert headers[TRUNCATED_HEADER] == "true" and b'<link href="urn:geokg:truncated:max_rows"/>' in body
    status, headers, body = get(capped, "SELECT ?s WHERE { ?s ?p ?o }", format="csv")
    assert headers[TRUNCATED_HEADER] == "true" and len(body.decode().splitlines()) == 4
    # a small enough answer is not flagged
    status, headers, body = get(capped, "SELECT ?s WHERE { ?s a gkg:Article }")
    assert TRUNCATED_HEADER not in headers and "geokg" not in json.loads(body)


def test_timeout_is_flagged(filled_store):
    heavy = "SELECT * WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"
    with serve_in_thread(filled_store, timeout=0.05, max_rows=10**9) as srv:
        status, headers, body = get(srv, heavy)
        assert status == 200 and headers[TRUNCATED_HEADER] == "true"
        assert headers[f"{TRUNCATED_HEADER}-Reason"] == "timeout"
        assert json.loads(body)["geokg"]["reason"] == "timeout"


def test_concurrent_requests(server):
    def one(i: int) -> int:
        status, _, body = get(server, SELECT_COUNTRIES, format="json" if i % 2 else "csv")
        return status if JPN.encode() in body else -1

    with ThreadPoolExecutor(max_workers=16) as pool:
        assert set(pool.map(one, range(64))) == {200}


# -- view and ontology -----------------------------------------------------


def test_root_serves_the_html_view(server):
    status, headers, body = http(f"{server.url}/")
    assert status == 200 and headers["Content-Type"].startswith("text/html")
    assert b"<html" in body.lower() and b"Sanae Takaichi" in body


def test_ontology_is_served_as_turtle_and_json_ld(server):
    from kg.resources import ONTOLOGY_FILE, ontology_path

    status, headers, body = http(f"{server.url}/ontology")
    assert status == 200 and headers["Content-Type"].startswith("text/turtle")
    assert body == ontology_path(ONTOLOGY_FILE).read_bytes()
    graph = rdflib.Graph().parse(data=body, format="turtle")
    assert (GKG.Country, rdflib.RDF.type, rdflib.OWL.Class) in graph
    status, headers, body = http(f"{server.url}/ontology", headers={"Accept": "application/ld+json"})
    assert status == 200 and headers["Content-Type"].startswith("application/ld+json")
    assert len(rdflib.Graph().parse(data=body, format="json-ld")) == len(graph)


# -- over a remote store, and the CLI -----------------------------------------


@pytest.mark.server
def test_serve_over_a_remote_store(filled_store, oxigraph_url):
    from kg.remote import RemoteStore, push

    remote = RemoteStore.from_url(oxigraph_url)
    push(filled_store, remote)
    with serve_in_thread(remote, max_rows=3) as srv:
        data = wrapper(srv, SELECT_COUNTRIES, JSON).queryAndConvert()
        assert [b["c"]["value"] for b in data["results"]["bindings"]] == [JPN, USA]
        status, headers, _ = get(srv, "SELECT * WHERE { ?s ?p ?o }")
        assert status == 200 and headers[TRUNCATED_HEADER] == "true"


def test_cli_serve_warns_when_not_on_loopback(runner, filled_store, store_path, monkeypatch):
    import kg.server

    calls = []
    monkeypatch.setattr(kg.server, "serve", lambda store, host, port, **kw: calls.append((host, port, kw)))
    filled_store.close()
    result = runner.invoke(main, ["serve", "--store", str(store_path), "--host", "0.0.0.0", "--port", "8123"])
    assert result.exit_code == 0, result.output
    assert "not on loopback" in result.stderr and calls[0][:2] == ("0.0.0.0", 8123)
    result = runner.invoke(main, ["serve", "--store", str(store_path), "--max-rows", "5", "--timeout", "2"])
    assert "loopback" not in result.stderr and calls[1][2] == {"timeout": 2.0, "max_rows": 5, "quiet": False}


def test_cli_serve_missing_store_fails_cleanly(runner, tmp_path):
    result = runner.invoke(main, ["serve", "--store", str(tmp_path / "nothing")])
    assert result.exit_code == 1 and "no store" in result.stderr


@pytest.mark.skipif(sys.platform == "win32", reason="SIGINT to a child process")
def test_kg_serve_process_answers_and_stops_on_ctrl_c(filled_store, store_path):
    filled_store.close()
    env = dict(os.environ, PYTHONUNBUFFERED="1")
    proc = subprocess.Popen(
        [sys.executable, "-m", "kg.cli", "serve", "--store", str(store_path), "--port", "0"],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env, cwd=Path(__file__).resolve().parent.parent,
    )
    try:
        line = proc.stderr.readline().decode()
        assert "geokg SPARQL endpoint: http://127.0.0.1:" in line, line + proc.stderr.read().decode()
        url = line.split("endpoint: ", 1)[1].split()[0]
        status, _, body = http(f"{url}?" + urllib.parse.urlencode({"query": SELECT_COUNTRIES}))
        assert status == 200 and JPN.encode() in body
        proc.send_signal(signal.SIGINT)
        assert proc.wait(timeout=15) == 0
        log = proc.stderr.read().decode()
        assert "GET /sparql" in log and "Traceback" not in log
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
