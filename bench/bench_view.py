"""Benchmark `kg view`: HTML build time, file size, and time until headless Chromium has drawn it.

Graphs come from :func:`kg.analysis.synthetic_graph` (communities of 20–80
entities, two relations per entity, one evidence sentence each). "Drawn" is
the page's first vis-network ``afterDrawing`` event (``body[data-ready="1"]``),
timed from navigation start; with physics on that includes stabilisation.

Usage:
    .venv/bin/python bench/bench_view.py                 # 500 5000 20000
    .venv/bin/python bench/bench_view.py 1000 --json --keep /tmp/views
    .venv/bin/python bench/bench_view.py --no-browser    # build times only
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))

from kg.analysis import synthetic_graph  # noqa: E402
from kg.view import LAYOUT_THRESHOLD, build_html  # noqa: E402


def run(sizes: list[int], *, browser: bool, keep: Path | None, seed: int) -> list[dict]:
    results = []
    chromium = None
    if browser:
        from browser import Chromium, find_chromium

        if find_chromium() is None:
            print("chromium not found (scripts/install-chromium.sh); draw times skipped", file=sys.stderr)
        else:
            chromium = Chromium(timeout=300).__enter__()
    try:
        with tempfile.TemporaryDirectory(prefix="geokg-bench-") as tmp:
            folder = keep or Path(tmp)
            folder.mkdir(parents=True, exist_ok=True)
            for n in sizes:
                G = synthetic_graph(n, seed=seed)
                start = time.perf_counter()
                html = build_html(G)
                built = time.perf_counter() - start
                path = folder / f"view-{n}.html"
                path.write_text(html, encoding="utf-8")
                row = {"nodes": n, "edges": G.number_of_edges(), "physics": n <= LAYOUT_THRESHOLD,
                       "build_s": round(built, 3), "size_mb": round(path.stat().st_size / 1e6, 2),
                       "draw_s": None, "errors": None}
                if chromium is not None:
                    page = chromium.new_page()
                    started = page.goto(path.as_uri())
                    page.wait_for("document.body && document.body.dataset.ready === '1'", timeout=300)
                    row["draw_s"] = round(time.monotonic() - started, 3)
                    row["drawn_nodes"] = int(page.evaluate("document.body.dataset.nodes"))
                    row["errors"] = len(page.errors())
                    page.close()
                results.append(row)
                print(format_row(row), file=sys.stderr, flush=True)
    finally:
        if chromium is not None:
            chromium.close()
    return results


def format_row(r: dict) -> str:
    draw = f"{r['draw_s']:8.2f} s" if r["draw_s"] is not None else "       - "
    return (f"{r['nodes']:>7,} nodes {r['edges']:>7,} edges  physics {'on ' if r['physics'] else 'off'}  "
            f"build {r['build_s']:6.2f} s  html {r['size_mb']:6.2f} MB  drawn {draw}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("sizes", nargs="*", type=int, default=[500, 5000, 20000])
    parser.add_argument("--no-browser", action="store_true", help="only build the pages")
    parser.add_argument("--keep", type=Path, help="keep the pages in this folder")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--json", action="store_true", help="print the results as JSON on stdout")
    args = parser.parse_args()
    results = run(args.sizes, browser=not args.no_browser, keep=args.keep, seed=args.seed)
    if args.json:
        print(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
