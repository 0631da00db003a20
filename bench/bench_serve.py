"""Benchmark ``kg serve``: the five analyst queries over HTTP against the Python API.

Fills a fresh embedded store with generated article graphs (the generator and
the five queries of ``bench/bench_store.py``), starts ``kg serve`` on a free
port of 127.0.0.1 in this process, then times each query

* through the Python API: ``Store.query`` (guard, worker thread, rdflib terms);
* through ``kg serve`` over HTTP: POST form, SPARQL JSON answer read and parsed
  with ``json.loads``; and the same with a CSV answer (``csv`` module);
* with ``--oxigraph``, also through ``RemoteStore.query`` against an Oxigraph
  server (``oxigraph serve``) holding the same data after ``push``.

Usage::

    .venv/bin/python bench/bench_serve.py                   # 200,000 triples
    .venv/bin/python bench/bench_serve.py --triples 50000   # smoke run
    .venv/bin/python bench/bench_serve.py --oxigraph        # add the Oxigraph server column

Ratios are HTTP time / API time (best of ``--repeat`` runs each).
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import shutil
import sys
import tempfile
import time
import urllib.parse
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))
sys.path.insert(0, str(ROOT / "tests"))

from bench_store import QUERIES, best_of, generate  # noqa: E402


def http_query(url: str, sparql: str, accept: str) -> bytes:
    body = urllib.parse.urlencode({"query": sparql}).encode()
    request = urllib.request.Request(url, data=body, headers={
        "Content-Type": "application/x-www-form-urlencoded", "Accept": accept})
    with urllib.request.urlopen(request, timeout=600) as response:
        if response.headers.get("X-GeoKG-Truncated") == "true":
            raise SystemExit(f"answer truncated: {response.headers.get('X-GeoKG-Truncated-Reason')}")
        return response.read()


def rows_json(url: str, sparql: str) -> int:
    data = json.loads(http_query(url, sparql, "application/sparql-results+json"))
    return len(data["results"]["bindings"])


def rows_csv(url: str, sparql: str) -> int:
    text = http_query(url, sparql, "text/csv").decode("utf-8")
    return sum(1 for _ in csv.reader(io.StringIO(text))) - 1


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--triples", type=int, default=200_000)
    ap.add_argument("--per-article", type=int, default=1000, help="triples per article graph")
    ap.add_argument("--repeat", type=int, default=3, help="runs per query and path (best is kept)")
    ap.add_argument("--oxigraph", action="store_true", help="also query an Oxigraph server via RemoteStore")
    ap.add_argument("--workdir", default=None, help="where the store goes (default: a temp folder)")
    args = ap.parse_args()

    import pyoxigraph as ox

    from kg.server import serve_in_thread
    from kg.store import open_store

    work = Path(args.workdir or tempfile.mkdtemp(prefix="geokg-bench-serve-"))
    work.mkdir(parents=True, exist_ok=True)
    shutil.rmtree(work / "store", ignore_errors=True)
    t0 = time.perf_counter()
    with open_store(work / "store", create=True) as store:
        n_articles = store.add_articles(generate(args.triples, args.per_article))
    print(f"pyoxigraph {ox.__version__}: {n_articles:,} articles, ~{args.triples:,} triples "
          f"loaded in {time.perf_counter() - t0:.1f} s ({work})")

    oxi = None
    remote = None
    if args.oxigraph:
        from oxigraph_server import start_oxigraph

        from kg.remote import RemoteStore, push

        oxi = start_oxigraph(work / "oxigraph-data")
        remote = RemoteStore.from_url(oxi.url)
        with open_store(work / "store", read_only=True) as source:
            report = push(source, remote)
        print(f"pushed to the Oxigraph server at {oxi.url} in {report.seconds:.1f} s")

    store = open_store(work / "store", read_only=True)
    try:
        with serve_in_thread(store, timeout=600, max_rows=10**9, quiet=True) as server:
            url = f"{server.url}/sparql"
            head = (f"{'query':<42}{'rows':>7}{'API s':>9}{'HTTP json s':>13}{'ratio':>7}"
                    f"{'HTTP csv s':>12}{'ratio':>7}")
            if remote is not None:
                head += f"{'oxigraph s':>12}{'ratio':>7}"
            print(f"\nBest of {args.repeat}; ratio = time / API time")
            print(head)
            for name, q in QUERIES.items():
                t_api, res = best_of(lambda q=q: store.query(q, timeout=600), args.repeat)
                n = len(res.rows)
                t_json, n_json = best_of(lambda q=q: rows_json(url, q), args.repeat)
                t_csv, n_csv = best_of(lambda q=q: rows_csv(url, q), args.repeat)
                assert n == n_json == n_csv, (name, n, n_json, n_csv)
                line = (f"{name:<42}{n:>7}{t_api:>9.4f}{t_json:>13.4f}{t_json / t_api:>7.2f}"
                        f"{t_csv:>12.4f}{t_csv / t_api:>7.2f}")
                if remote is not None:
                    t_remote, rres = best_of(lambda q=q: remote.query(q, timeout=600), args.repeat)
                    assert len(rres.rows) == n, (name, n, len(rres.rows))
                    line += f"{t_remote:>12.4f}{t_remote / t_api:>7.2f}"
                print(line)
    finally:
        store.close()
        if oxi is not None:
            from oxigraph_server import stop_oxigraph

            stop_oxigraph(oxi)
        if not args.workdir:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
