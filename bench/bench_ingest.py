"""Ingest throughput: bare spaCy ``nlp.pipe`` versus geokg on the same texts, in one run.

Run on demand, not in CI:

    .venv/bin/python bench/bench_ingest.py [--rounds 3] [--repeat 5] [--workers 1,2] [ARTICLE_DIR]

Defaults to the .txt files of ../shared/eval/dev (or examples/ when that is
absent). ``--repeat K`` ingests K copies of each article, each with one line
appended so that every copy has its own content (and content hash): the dev
set is small, and parallel runs need enough articles to amortise the start of
the worker processes.

Rows, all on the same texts:

* ``spaCy nlp.pipe``: the model alone, one process, whole texts (the floor);
* ``geokg extract+RDF``: extraction and the rdflib graph, in this process, no store;
* ``kg ingest --workers N``: :func:`kg.pipeline.ingest` into a new embedded store
  in a temporary folder, store writes included. ``--workers 1`` runs in this
  process (model already loaded); ``--workers N > 1`` starts its N spawned
  processes in every round, so their start-up (about 2 s: Python, spaCy and
  the model in each) is in the time.

Prints seconds (best of ``--rounds``), articles/s, and the time relative to
bare spaCy (``overhead`` = ratio − 1; the target for ``--workers 1`` is < 50%).
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def corpus(folder: Path, repeat: int, into: Path) -> list[Path]:
    """Copies of the articles of ``folder`` in ``into``, each copy with a distinct last line."""
    from kg.reader import iter_article_paths

    sources = [p for p in iter_article_paths([str(folder)]) if p.suffix == ".txt"]
    if not sources:
        raise SystemExit(f"no .txt articles in {folder}")
    out = []
    for k in range(repeat):
        for src in sources:
            text = src.read_text(encoding="utf-8").rstrip("\n")
            target = into / f"{src.stem}-{k:03d}.txt"
            line = f"(Copy {k + 1} of this article for the benchmark.)"
            target.write_text(f"{text}\n\n{line}\n", encoding="utf-8")
            out.append(target)
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("folder", nargs="?", default=None)
    ap.add_argument("--rounds", type=int, default=3, help="best of this many rounds (default 3)")
    ap.add_argument("--repeat", type=int, default=1, help="copies of each article, each distinct (default 1)")
    ap.add_argument("--workers", default="1,2",
                    help="comma-separated worker counts for `kg ingest` (default 1,2)")
    ap.add_argument("--batch-size", type=int, default=None,
                    help="articles per worker task (default: ingest's)")
    args = ap.parse_args()
    folder = Path(args.folder) if args.folder else ROOT.parent / "shared" / "eval" / "dev"
    if not folder.exists():
        folder = ROOT / "examples"
    worker_counts = [int(w) for w in args.workers.split(",") if w.strip()]

    from kg.extract import extract
    from kg.lexicon import load_lexicon
    from kg.nlp import load_nlp
    from kg.pipeline import DEFAULT_BATCH, ingest
    from kg.rdf import to_graph
    from kg.reader import read_document

    batch = args.batch_size or DEFAULT_BATCH
    tmp = Path(tempfile.mkdtemp(prefix="geokg-bench-"))
    try:
        texts_dir = tmp / "articles"
        texts_dir.mkdir()
        paths = corpus(folder, args.repeat, texts_dir)
        docs = [read_document(str(p)) for p in paths]
        n = len(docs)
        nlp = load_nlp()
        lex = load_lexicon()
        extract(docs[0], nlp=nlp, lexicon=lex)  # warm up: lexicon tables, model

        def bare() -> None:
            for _ in nlp.pipe([d.text for d in docs]):
                pass

        def geokg() -> None:
            for d in docs:
                to_graph(extract(d, nlp=nlp, lexicon=lex))

        runs = {"w": 0}

        def ingest_with(workers: int):
            def run() -> None:
                runs["w"] += 1
                store = tmp / f"store-{runs['w']}"
                report = ingest([str(texts_dir)], store, workers=workers, batch_size=batch)
                if len(report.done) != n or report.failed:
                    raise SystemExit(f"ingest --workers {workers}: {len(report.done)} of {n} written, "
                                     f"failed: {report.failed[:3]}")
                shutil.rmtree(store)
            return run

        rows = [("spaCy nlp.pipe", bare), ("geokg extract+RDF", geokg)]
        rows += [(f"kg ingest --workers {w}", ingest_with(w)) for w in worker_counts]
        results: dict[str, float] = {}
        for name, fn in rows:
            best = float("inf")
            for _ in range(args.rounds):
                t0 = time.perf_counter()
                fn()
                best = min(best, time.perf_counter() - t0)
            results[name] = best
    finally:
        shutil.rmtree(tmp, ignore_errors=True)

    try:
        cpus = len(os.sched_getaffinity(0))
    except AttributeError:  # pragma: no cover - not Linux
        cpus = os.cpu_count() or 1
    words = sum(len(d.text.split()) for d in docs)
    print(f"{n} articles ({n // args.repeat} from {folder} x {args.repeat}, {words} words), "
          f"best of {args.rounds} rounds, {cpus} CPUs, batch size {batch}")
    print(f"{'pipeline':24} {'seconds':>8} {'articles/s':>11} {'vs spaCy':>9} {'overhead':>9}")
    base = results["spaCy nlp.pipe"]
    for name, secs in results.items():
        ratio = secs / base
        print(f"{name:24} {secs:8.3f} {n / secs:11.1f} {ratio:9.2f} {100 * (ratio - 1):8.0f}%")


if __name__ == "__main__":
    main()
