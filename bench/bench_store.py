"""Benchmark the embedded store: geokg's API against raw pyoxigraph on the same data.

Generates article graphs shaped like geokg's (docs/rdf-model.md: articles,
entities with labels and aliases, relations with rdf:Statement evidence,
agreements concerning issues), then

1. loads them into an empty store through ``Store.add_articles`` (bulk path),
   through a ``Store.replace_article`` loop (one transaction per article), and
   with raw ``pyoxigraph.Store.bulk_load`` of the same data as N-Quads;
   each load runs in its own process so the peak RSS is its own;
2. runs five analyst queries through ``Store.query`` (guard, rdflib terms;
   with and without a deadline, which runs them on an evaluator thread) and
   through raw ``pyoxigraph.Store.query``.

Usage::

    .venv/bin/python bench/bench_store.py                     # 1,000,000 triples
    .venv/bin/python bench/bench_store.py --triples 100000    # smoke run, ~20 s

Times exclude building the rdflib graphs (the input of the API) and writing
the N-Quads file (the input of ``bulk_load``).
"""

from __future__ import annotations

import argparse
import json
import os
import random
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

G = "https://w3id.org/geokg/ontology#"
I = "https://w3id.org/geokg/id/"  # noqa: E741
RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
RDFS = "http://www.w3.org/2000/01/rdf-schema#"
SKOS = "http://www.w3.org/2004/02/skos/core#"
PROV = "http://www.w3.org/ns/prov#"
DC = "http://purl.org/dc/terms/"
XSD = "http://www.w3.org/2001/XMLSchema#"

N_COUNTRIES, N_PERSONS, N_ORGS, N_ISSUES = 200, 20_000, 500, 60
PREDICATES = ["supports", "opposes", "meetsWith", "leaderOf", "memberOf", "participantIn"]
FINE = {"supports": "praises", "opposes": "criticizes"}


def generate(n_triples: int, per_article: int = 1000, seed: int = 7) -> Iterator[tuple[str, object]]:
    """Yield (article IRI, rdflib.Graph) until about ``n_triples`` triples."""
    import rdflib
    from rdflib import Literal, URIRef

    rnd = random.Random(seed)
    u = URIRef
    a_type, label = u(RDF + "type"), u(RDFS + "label")
    alt, mentioned = u(SKOS + "altLabel"), u(G + "mentionedIn")
    total, a = 0, 0
    while total < n_triples:
        key = f"article-{a:06d}-{a * 2654435761 % 2**32:08x}"
        art = u(I + "article/" + key)
        g = rdflib.Graph()
        add = g.add
        add((art, a_type, u(G + "Article")))
        add((art, u(DC + "title"), Literal(f"Summit number {a} reshapes the region")))
        add((art, u(DC + "source"), Literal(f"/news/{a % 37}/{key}.txt")))
        add((art, u(G + "sha256"), Literal(f"{a:064x}")))
        date = f"2025-{1 + a % 12:02d}-{1 + a % 28:02d}"
        add((art, u(DC + "date"), Literal(date, datatype=u(XSD + "date"))))
        add((art, u(DC + "format"), Literal("text/plain")))
        entities: list[URIRef] = []
        while len(g) < per_article - 20:
            r = rnd.random()
            if r < 0.35:
                code = f"C{rnd.randrange(N_COUNTRIES):03d}"
                e, cls, name = u(I + "country/" + code), "Country", f"Country {code}"
                add((e, u(G + "isoCode"), Literal(code)))
            elif r < 0.8:
                n = rnd.randrange(N_PERSONS)
                e, cls, name = u(I + f"person/p-{n}"), "Person", f"Person P-{n} Smith"
            elif r < 0.9:
                n = rnd.randrange(N_ORGS)
                e, cls, name = u(I + f"org/org-{n}"), "Organization", f"Organisation {n}"
            else:
                n = rnd.randrange(N_ISSUES)
                e, cls, name = u(I + f"issue/issue-{n}"), "Issue", f"issue {n}"
            add((e, a_type, u(G + cls)))
            add((e, label, Literal(name)))
            add((e, alt, Literal(name.split()[-1])))
            add((e, mentioned, art))
            entities.append(e)
            if rnd.random() < 0.1:  # an agreement scoped to the article
                ag = u(f"{art}/agreement/deal-{len(g)}")
                add((ag, a_type, u(G + "Agreement")))
                add((ag, label, Literal(f"deal {len(g)} of article {a}")))
                add((ag, u(G + "concerns"), u(I + f"issue/issue-{rnd.randrange(N_ISSUES)}")))
                add((e, u(G + "partyTo"), ag))
            if len(entities) > 1:
                s, o = rnd.sample(entities, 2)
                pname = rnd.choice(PREDICATES)
                p = u(G + pname)
                add((s, p, o))
                start = len(g) * 40
                st = u(f"{art}/stmt/{start:012x}")
                for pp, oo in (
                    (a_type, u(RDF + "Statement")), (u(RDF + "subject"), s), (u(RDF + "predicate"), p),
                    (u(RDF + "object"), o),
                    (u(G + "sentence"), Literal(
                        f"In article {a}, {s.rsplit('/', 1)[-1]} {pname} "
                        f"{o.rsplit('/', 1)[-1]} at the summit (sentence {len(g)}).")),
                    (u(G + "charStart"), Literal(start)), (u(G + "charEnd"), Literal(start + 120)),
                    (u(G + "rule"), Literal(f"verb:{pname}")),
                    (u(G + "confidence"), Literal(f"0.{rnd.randrange(50, 99)}", datatype=u(XSD + "decimal"))),
                    (u(PROV + "wasDerivedFrom"), art),
                ):
                    add((st, pp, oo))
                if pname in FINE:
                    add((s, u(G + FINE[pname]), o))
                    add((st, u(G + "finePredicate"), u(G + FINE[pname])))
        total += len(g)
        a += 1
        yield str(art), g


QUERIES = {
    "counts by class": """
        SELECT ?class (COUNT(DISTINCT ?e) AS ?n) WHERE { ?e a ?class } GROUP BY ?class ORDER BY DESC(?n)""",
    "2-hop neighbourhood of a country": """
        SELECT DISTINCT ?n1 ?n2 WHERE {
          VALUES ?p1 { gkg:supports gkg:opposes gkg:meetsWith gkg:leaderOf gkg:memberOf }
          VALUES ?p2 { gkg:supports gkg:opposes gkg:meetsWith gkg:leaderOf gkg:memberOf }
          { id:country\\/C007 ?p1 ?n1 } UNION { ?n1 ?p1 id:country\\/C007 }
          { ?n1 ?p2 ?n2 } UNION { ?n2 ?p2 ?n1 }
        }""",
    "everything about an actor, with evidence": """
        SELECT ?role ?p ?other ?sentence ?confidence ?article WHERE {
          { ?st rdf:subject id:person\\/p-42 ; rdf:object ?other . BIND("subject" AS ?role) }
          UNION
          { ?st rdf:object id:person\\/p-42 ; rdf:subject ?other . BIND("object" AS ?role) }
          ?st rdf:predicate ?p ; gkg:sentence ?sentence ; gkg:confidence ?confidence ;
              prov:wasDerivedFrom ?article .
        } ORDER BY DESC(?confidence)""",
    "agreements by issue": """
        SELECT ?issue ?label (COUNT(DISTINCT ?ag) AS ?agreements) (COUNT(DISTINCT ?party) AS ?parties) WHERE {
          ?ag a gkg:Agreement ; gkg:concerns ?issue . ?issue rdfs:label ?label .
          OPTIONAL { ?party gkg:partyTo ?ag }
        } GROUP BY ?issue ?label ORDER BY DESC(?agreements)""",
    "label search (CONTAINS + REGEX)": """
        SELECT DISTINCT ?e ?label WHERE {
          ?e rdfs:label ?label .
          FILTER(CONTAINS(LCASE(?label), "p-12") || REGEX(?label, "^Organisation 4[0-9]$"))
        } ORDER BY ?label""",
}


# ----------------------------------------------------------------------------
# children: one load each, so that peak RSS belongs to that load


def _rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def child_write_nquads(n: int, per_article: int, out: str) -> dict:
    import pyoxigraph as ox

    from kg.store import _ToOx

    conv = _ToOx()
    with open(out, "wb") as fh:
        for iri, g in generate(n, per_article):
            ox.serialize(conv.quads(g, conv.iri(iri)), fh, ox.RdfFormat.N_QUADS)
    return {"bytes": os.path.getsize(out)}


def child_load_geokg(n: int, per_article: int, path: str, mode: str, repeat: int) -> dict:
    from kg.store import open_store

    t0 = time.perf_counter()
    items = list(generate(n, per_article))
    build = time.perf_counter() - t0
    base = _rss_mb()
    best = float("inf")
    for _ in range(repeat):  # best of `repeat` fresh loads: the machine may be shared
        shutil.rmtree(path, ignore_errors=True)
        store = open_store(path, create=True)
        t0 = time.perf_counter()
        if mode == "bulk":
            store.add_articles(items)
        else:
            for iri, g in items:
                store.replace_article(iri, g)
        store.close()
        best = min(best, time.perf_counter() - t0)
        del store
    return {"seconds": best, "build_seconds": build, "rss_peak_mb": _rss_mb(), "rss_base_mb": base,
            "articles": len(items), "triples": sum(len(g) for _, g in items)}


def child_load_raw(nq: str, path: str, repeat: int) -> dict:
    import pyoxigraph as ox

    base = _rss_mb()
    best = float("inf")
    for _ in range(repeat):
        shutil.rmtree(path, ignore_errors=True)
        t0 = time.perf_counter()
        store = ox.Store(path)
        store.bulk_load(path=nq, format=ox.RdfFormat.N_QUADS)
        store.flush()
        best = min(best, time.perf_counter() - t0)
        quads = len(store)
        del store
    return {"seconds": best, "rss_peak_mb": _rss_mb(), "rss_base_mb": base, "quads": quads}


def run_child(*args: str) -> dict:
    proc = subprocess.run([sys.executable, __file__, "--child", *args], capture_output=True, text=True)
    if proc.returncode != 0:
        raise SystemExit(f"child {args[0]} failed:\n{proc.stderr}")
    return json.loads(proc.stdout.strip().splitlines()[-1])


# ----------------------------------------------------------------------------


def best_of(fn, repeat: int) -> tuple[float, object]:
    best, value = float("inf"), None
    for _ in range(repeat):
        t0 = time.perf_counter()
        value = fn()
        best = min(best, time.perf_counter() - t0)
    return best, value


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--triples", type=int, default=1_000_000)
    ap.add_argument("--per-article", type=int, default=1000, help="triples per article graph")
    ap.add_argument("--repeat", type=int, default=3, help="runs per query and per load (best is kept)")
    ap.add_argument("--no-replace-loop", action="store_true", help="skip the replace_article loop")
    ap.add_argument("--workdir", default=None, help="where the stores go (default: a temp folder)")
    ap.add_argument("--child", nargs="+", help=argparse.SUPPRESS)
    args = ap.parse_args()

    if args.child:
        kind, *rest = args.child
        if kind == "nq":
            out = child_write_nquads(int(rest[0]), int(rest[1]), rest[2])
        elif kind == "geokg":
            out = child_load_geokg(int(rest[0]), int(rest[1]), rest[2], rest[3], int(rest[4]))
        else:
            out = child_load_raw(rest[0], rest[1], int(rest[2]))
        print(json.dumps(out))
        return

    import pyoxigraph as ox

    from kg.store import open_store

    work = Path(args.workdir or tempfile.mkdtemp(prefix="geokg-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    for name in ("geokg-bulk", "geokg-replace", "raw"):
        shutil.rmtree(work / name, ignore_errors=True)
    nq = work / "data.nq"
    n, per = str(args.triples), str(args.per_article)
    print(f"pyoxigraph {ox.__version__}, {args.triples:,} triples requested, {args.per_article} per article, "
          f"in {work}")
    run_child("nq", n, per, str(nq))
    rep = str(args.repeat)
    bulk = run_child("geokg", n, per, str(work / "geokg-bulk"), "bulk", rep)
    raw = run_child("raw", str(nq), str(work / "raw"), rep)
    rows = [("geokg Store.add_articles", bulk), ("raw pyoxigraph bulk_load(N-Quads)", raw)]
    if not args.no_replace_loop:
        rows.insert(1, ("geokg replace_article loop", run_child("geokg", n, per, str(work / "geokg-replace"),
                                                                  "replace", rep)))
    assert bulk["triples"] == raw["quads"], (bulk, raw)
    print(f"\nLoad (best of {args.repeat}): {bulk['triples']:,} triples in {bulk['articles']:,} articles "
          f"(building the rdflib graphs, not timed: {bulk['build_seconds']:.1f} s)")
    print(f"{'path':<36}{'seconds':>9}{'ratio':>8}{'peak RSS MB':>13}{'(before)':>10}")
    for name, r in rows:
        print(f"{name:<36}{r['seconds']:>9.2f}{r['seconds'] / raw['seconds']:>8.2f}"
              f"{r['rss_peak_mb']:>13.0f}{r['rss_base_mb']:>10.0f}")

    store = open_store(work / "geokg-bulk", read_only=True)
    raw_store = ox.Store.read_only(str(work / "raw"))
    from kg.sparql import DEFAULT_PREFIXES, check_query

    print(f"\nQueries (best of {args.repeat}; API = Store.query: guard and rdflib terms; "
          "timed = the same with a 30 s deadline, as `kg query` runs it)")
    print(f"{'query':<44}{'rows':>7}{'API s':>10}{'timed s':>10}{'raw s':>10}{'API/raw':>9}{'timed/raw':>10}")
    for name, q in QUERIES.items():
        text = check_query(q)
        t_api, res = best_of(lambda q=q: store.query(q), args.repeat)
        t_timed, _ = best_of(lambda q=q: store.query(q, timeout=30), args.repeat)
        t_raw, raw_rows = best_of(
            lambda text=text: [tuple(sol) for sol in raw_store.query(
                text, use_default_graph_as_union=True, prefixes=DEFAULT_PREFIXES)], args.repeat)
        assert len(res.rows) == len(raw_rows), (name, len(res.rows), len(raw_rows))
        print(f"{name:<44}{len(res.rows):>7}{t_api:>10.4f}{t_timed:>10.4f}{t_raw:>10.4f}"
              f"{t_api / t_raw:>9.2f}{t_timed / t_raw:>10.2f}")
    store.close()
    if not args.workdir:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
