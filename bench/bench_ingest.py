"""Ingest throughput: geokg's extractor versus bare spaCy ``nlp.pipe`` on the same texts.

Run on demand, not in CI:

    .venv/bin/python bench/bench_ingest.py [--rounds 3] [ARTICLE_DIR]

Defaults to ../shared/eval/dev (or examples/ when that is absent). Prints a
table with articles/s for each and the overhead ratio measured in the same run.
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("folder", nargs="?", default=None)
    ap.add_argument("--rounds", type=int, default=3)
    args = ap.parse_args()
    root = Path(__file__).resolve().parents[1]
    folder = Path(args.folder) if args.folder else root.parent / "shared" / "eval" / "dev"
    if not folder.exists():
        folder = root / "examples"

    from kg.extract import extract
    from kg.lexicon import load_lexicon
    from kg.nlp import load_nlp
    from kg.rdf import to_graph
    from kg.reader import iter_article_paths, read_document

    docs = [read_document(str(p)) for p in iter_article_paths([str(folder)]) if p.suffix == ".txt"]
    nlp = load_nlp()
    lex = load_lexicon()
    extract(docs[0], nlp=nlp, lexicon=lex)  # warm up: lexicon tables, model

    def bare() -> None:
        texts = [d.text[d.body_start:] for d in docs]
        for _ in nlp.pipe(texts):
            pass

    def geokg() -> None:
        for d in docs:
            to_graph(extract(d, nlp=nlp, lexicon=lex))

    results = {}
    for name, fn in (("spaCy nlp.pipe", bare), ("geokg extract+RDF", geokg)):
        best = float("inf")
        for _ in range(args.rounds):
            t0 = time.perf_counter()
            fn()
            best = min(best, time.perf_counter() - t0)
        results[name] = best
    n = len(docs)
    print(f"{len(docs)} articles from {folder}, best of {args.rounds} rounds, single process")
    print(f"{'pipeline':22} {'seconds':>8} {'articles/s':>11}")
    for name, secs in results.items():
        print(f"{name:22} {secs:8.3f} {n / secs:11.1f}")
    ratio = results["geokg extract+RDF"] / results["spaCy nlp.pipe"]
    print(f"overhead over bare spaCy: {100 * (ratio - 1):.0f}% (ratio {ratio:.2f})")


if __name__ == "__main__":
    main()
