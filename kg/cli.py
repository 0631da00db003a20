"""The ``kg`` command line: option parsing and output formatting over the Python API.

Every command catches :class:`kg.errors.KGError` at this edge and turns it into
``Error: …`` on stderr with a non-zero exit; data goes to stdout, messages to
stderr. Heavy libraries (spaCy, networkx, pyvis) are imported inside commands so
that ``kg --help`` stays fast.
"""

from __future__ import annotations

import functools
import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import click

from .errors import KGError

DEFAULT_STORE = ".geokg"


def _version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("geokg")
    except PackageNotFoundError:  # running from a source tree without install
        return "0+unknown"


def fail_cleanly(func: Callable[..., Any]) -> Callable[..., Any]:
    """Turn geokg's own errors (and a few OS ones) into ``Error: …`` and exit 1."""

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return func(*args, **kwargs)
        except KGError as err:
            raise click.ClickException(str(err)) from err
        except (OSError, UnicodeError) as err:
            raise click.ClickException(_os_message(err)) from err

    return wrapper


def _os_message(err: BaseException) -> str:
    if isinstance(err, OSError) and err.filename:
        return f"{err.strerror or err}: {err.filename}"
    return str(err)


def warn(message: str) -> None:
    """A warning line on stderr."""
    click.echo(f"Warning: {message}", err=True)


def info(message: str) -> None:
    """An informational line on stderr (never mixed with data on stdout)."""
    click.echo(message, err=True)


store_option = click.option(
    "--store",
    "store",
    default=lambda: os.environ.get("KG_STORE", DEFAULT_STORE),
    show_default=f"$KG_STORE or {DEFAULT_STORE}",
    help="Store folder (embedded Oxigraph) or the URL of a SPARQL server.",
)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(_version(), "--version", prog_name="kg")
def main() -> None:
    """geokg: knowledge graphs of geopolitical news.

    Read news articles, extract who did what to whom about which issue, and
    keep the result as RDF you can query with SPARQL.

    \b
    Example:
      kg ingest articles/
      kg query 'SELECT ?s ?o WHERE { ?s gkg:supports ?o }'
    """


# Commands are defined below, one block each; keep them thin: parse, call kg.*, format.


@main.command("build")
@click.argument("articles", nargs=-1, required=True)
@click.option("-o", "--output", "output", required=True,
              help="Output file (.ttl .nt .nq .trig .jsonld) or, for several articles, a folder.")
@click.option("--force", is_flag=True, help="Overwrite an existing output file.")
@fail_cleanly
def build_command(articles: tuple[str, ...], output: str, force: bool) -> None:
    """Extract the graph of ARTICLES into files, without a store.

    ARTICLES are files, folders (searched for .txt, .md and .html) or - for stdin.
    With one article, OUTPUT is a file whose extension picks the format; with
    several, OUTPUT is a folder that receives <stem>.ttl per article.

    \b
    Example:
      kg build examples/us-japan-summit.txt -o us-japan-summit.ttl
      kg build articles/ -o graphs/
    """
    from .pipeline import build_files

    show = len(articles) > 1 or any(not a.endswith((".txt", ".md", ".html", ".htm")) for a in articles)
    report = build_files(list(articles), output, force=force, warn=warn,
                         progress=(lambda name: info(f"built {name}")) if show else None)
    for name, why in report.failed:
        click.echo(f"Error: {name}: {why}", err=True)
    info(f"{len(report.done)} article(s) built, {report.entities} entities, {report.relations} relations"
         + (f", {len(report.skipped)} skipped" if report.skipped else "")
         + (f", {len(report.failed)} failed" if report.failed else ""))
    if report.failed:
        raise SystemExit(1)


def _workers_option(_ctx: click.Context, _param: click.Parameter, value: str) -> int:
    text = value.strip().lower()
    if text != "auto" and not text.isdigit():
        raise click.BadParameter(f"{value!r} is not a number of processes or 'auto'")
    return 0 if text == "auto" else int(text)


def _ingest_summary(report: Any, store: str) -> str:
    return (f"{len(report.done)} article(s) ingested into {store}, {report.entities} entities, "
            f"{report.relations} relations"
            + (f", {len(report.unchanged)} unchanged" if report.unchanged else "")
            + (f", {len(report.skipped)} skipped" if report.skipped else "")
            + (f", {len(report.failed)} failed" if report.failed else "")
            + f" in {report.seconds:.1f} s ({report.rate:.1f} articles/s)")


@main.command("ingest")
@click.argument("paths", nargs=-1, required=True)
@store_option
@click.option("--force", is_flag=True, help="Re-extract articles even when their content is unchanged.")
@click.option("-j", "--workers", default="1", show_default=True, metavar="N|auto", callback=_workers_option,
              help="Extract in N parallel processes (0 or auto: one per CPU); 1 runs in this process.")
@click.option("--batch-size", type=click.IntRange(min=1), default=4, show_default=True,
              help="Articles per task sent to a worker process (with --workers > 1).")
@fail_cleanly
def ingest_command(paths: tuple[str, ...], store: str, force: bool, workers: int, batch_size: int) -> None:
    """Extract the articles in PATHS into the store, one named graph per article.

    PATHS are files, folders (recursively: .txt, .md, .html) or - for stdin.
    An article already stored with the same content is skipped; a changed one
    replaces its old graph. Each article is written in one transaction, so an
    interrupted run (Ctrl-C, or even a kill) leaves whole articles only, and
    running it again finishes the job. A new store is created only once there
    is an article to write.

    With --workers N, N processes run spaCy while this one reads the files and
    writes the graphs as they come back (1: everything in this process; 0 or
    auto: one worker per CPU). Progress goes to stderr with articles/s.

    \b
    Example:
      kg ingest examples/us-japan-summit.txt
      kg ingest --store newsroom.kg articles/
      kg ingest --workers auto --store newsroom.kg articles/
    """
    import signal
    import threading
    import time

    from .pipeline import IngestInterrupted, ingest
    from .reader import iter_article_paths

    names = list(paths)
    # expanded before the store is opened: a missing path fails without creating or touching the store
    total = sum(1 for p in names if p == "-") + len(list(iter_article_paths([p for p in names if p != "-"])))

    def interrupt(_signum: int, frame: Any) -> None:
        # SIGTERM stops as cleanly as Ctrl-C, through the same handler (ingest holds a
        # Ctrl-C back while it writes an article)
        handler = signal.getsignal(signal.SIGINT)
        if not callable(handler):
            raise KeyboardInterrupt
        handler(signal.SIGINT, frame)

    main_thread = threading.current_thread() is threading.main_thread()
    previous = signal.signal(signal.SIGTERM, interrupt) if main_thread else None
    started = time.monotonic()
    handled = 0
    try:
        if total > 1:
            with click.progressbar(length=total, label="Ingesting", file=sys.stderr,
                                   show_pos=True, item_show_func=lambda x: x) as bar:
                def tick(name: str) -> None:
                    nonlocal handled
                    handled += 1
                    rate = handled / max(time.monotonic() - started, 1e-9)
                    bar.update(1, f"{rate:.1f} articles/s  {os.path.basename(name)}")

                report = ingest(names, store, force=force, warn=warn, progress=tick,
                                workers=workers, batch_size=batch_size)
        else:
            report = ingest(names, store, force=force, warn=warn, workers=workers, batch_size=batch_size)
    except IngestInterrupted as stop:
        for name, why in stop.report.failed:
            click.echo(f"Error: {name}: {why}", err=True)
        info(f"Interrupted: {_ingest_summary(stop.report, store)}; run the command again to go on")
        raise SystemExit(130) from None
    finally:
        if main_thread and previous is not None:
            signal.signal(signal.SIGTERM, previous)
    for name, why in report.failed:
        click.echo(f"Error: {name}: {why}", err=True)
    info(_ingest_summary(report, store))
    if report.failed:
        raise SystemExit(1)


@main.command("validate")
@store_option
@click.argument("files", nargs=-1, type=click.Path(dir_okay=False, path_type=str))
@fail_cleanly
def validate_command(store: str, files: tuple[str, ...]) -> None:
    """Check a store, or RDF files, against geokg's SHACL shapes.

    Validates the union of every article graph in the store, or of the FILEs
    given (.ttl .nt .nq .trig .jsonld, format from the extension), against
    ontology/shapes.ttl. Prints the report on stdout; exits 1 when anything
    violates a shape.

    \b
    Example:
      kg validate                      # the store in $KG_STORE or .geokg
      kg validate --store ~/news-kg
      kg validate export.trig article.ttl
    """
    from .validate import validate_files, validate_store

    report = validate_files(list(files)) if files else validate_store(store)
    if report.conforms:
        click.echo(f"Conforms: {report.nodes_checked} nodes checked")
        return
    click.echo(report.text)
    raise click.ClickException(f"{len(report.violations)} SHACL violations")

# -- store commands: query, export, stats, articles, remove (kg/store.py, kg/sparql.py, kg/export.py)

EXIT_INCOMPLETE = 3  # the answer was cut short by --timeout or --max-rows


@main.command("query")
@click.argument("sparql", required=False)
@click.option("-f", "--file", "query_file", type=click.Path(dir_okay=False, allow_dash=True),
              help="Read the query from a file (.rq), or - for stdin.")
@click.option("--format", "fmt", default="table", show_default=True,
              type=click.Choice(["table", "csv", "tsv", "json", "xml", "turtle", "ntriples"]),
              help="Output format; turtle/ntriples for CONSTRUCT and DESCRIBE.")
@click.option("--timeout", type=click.FloatRange(min=0), default=30.0, show_default=True,
              help="Give up after this many seconds (0: no limit).")
@click.option("--max-rows", type=click.IntRange(min=0), default=None,
              help="Stop after this many rows.")
@store_option
@fail_cleanly
def query_command(sparql: str | None, query_file: str | None, fmt: str, timeout: float,
                  max_rows: int | None, store: str) -> None:
    """Run a read-only SPARQL query over every article graph.

    The prefixes gkg: id: rdf: rdfs: skos: prov: dcterms: xsd: owl: are
    predefined. Updates, SERVICE and LOAD are refused (use `kg ingest` and
    `kg remove`). Results go to stdout, the row count to stderr.

    Exit status: 0 complete answer, 1 error, 2 usage error, 3 incomplete
    answer (--timeout or --max-rows hit: the rows shown are only a part).

    \b
    Example:
      kg query 'SELECT ?c ?label WHERE { ?c a gkg:Country ; rdfs:label ?label }'
      kg query -f questions/who-supports-whom.rq --format csv > supports.csv
      kg query --store https://kg.example.org/sparql --max-rows 100 'SELECT * { ?s ?p ?o }'
    """
    from .sparql import format_result
    from .store import open_store

    if sparql is not None and query_file is not None:
        raise click.UsageError("give the query as an argument or with -f FILE, not both")
    if query_file is not None:
        if query_file == "-":
            sparql = sys.stdin.read()
        else:
            with open(query_file, encoding="utf-8") as fh:
                sparql = fh.read()
    if sparql is None:
        raise click.UsageError("give a SPARQL query, or -f FILE.rq")
    with open_store(store, read_only=True) as st:
        result = st.query(sparql, timeout=timeout or None, max_rows=max_rows)
    click.echo(format_result(result, fmt), nl=False)
    if result.kind == "select":
        info(f"{len(result.rows)} row(s) in {result.elapsed:.2f} s")
    elif result.kind == "graph":
        info(f"{len(result.triples)} triple(s) in {result.elapsed:.2f} s")
    if result.truncated:
        warn(result.warning or "the answer is incomplete")
        click.get_current_context().exit(EXIT_INCOMPLETE)


@main.command("export")
@click.option("-f", "--format", "fmt", default=None,
              type=click.Choice(["turtle", "ntriples", "nquads", "trig", "jsonld"]),
              help="Output format (default: from the -o extension).")
@click.option("-o", "--output", "output", required=True,
              help="Output file (.ttl .nt .nq .trig .jsonld), or - for stdout.")
@click.option("--force", is_flag=True, help="Overwrite an existing output file.")
@store_option
@fail_cleanly
def export_command(fmt: str | None, output: str, force: bool, store: str) -> None:
    """Write every article graph in the store to one RDF file.

    N-Quads, TriG and JSON-LD keep one named graph per article (provenance);
    Turtle and N-Triples hold the union graph, each triple once. The file is
    written atomically: an existing file is only replaced (with --force) once
    the new one is complete.

    \b
    Example:
      kg export -o newsroom.trig
      kg export -f ntriples -o - | wc -l
      kg export --store ~/news-kg -o all.ttl --force
    """
    from .export import export_graph
    from .store import open_store

    with open_store(store, read_only=True) as st:
        written = export_graph(st, output, fmt, force=force)
    if output != "-":
        info(f"exported {store} to {output} ({written})")


@main.command("stats")
@click.option("--json", "as_json", is_flag=True, help="Print JSON instead of a table.")
@store_option
@fail_cleanly
def stats_command(as_json: bool, store: str) -> None:
    """Count articles, triples, entities per class and relations per predicate.

    Entities and relations are counted once however many articles mention them.

    \b
    Example:
      kg stats
      kg stats --json --store ~/news-kg | jq .entities
    """
    import json as _json

    from .store import open_store

    with open_store(store, read_only=True) as st:
        stats = st.stats()
    if as_json:
        click.echo(_json.dumps(stats.to_dict(), indent=2))
        return
    lines = [f"articles          {stats.articles}",
             f"triples           {stats.triples} ({stats.distinct_triples} distinct)",
             f"evidence records  {stats.statements}", "", "entities"]
    lines += [f"  {name:<16}{n}" for name, n in stats.entities.items()]
    lines += ["", "relations"]
    lines += [f"  {name:<16}{n}" for name, n in stats.relations.items()]
    click.echo("\n".join(lines))


@main.command("articles")
@click.option("--json", "as_json", is_flag=True, help="Print JSON instead of a table.")
@store_option
@fail_cleanly
def articles_command(as_json: bool, store: str) -> None:
    """List the articles in the store: key, date, triples, title, source.

    \b
    Example:
      kg articles
      kg articles --json | jq -r '.[].source'
    """
    import dataclasses
    import json as _json

    from .store import open_store

    with open_store(store, read_only=True) as st:
        infos = st.articles()
    if as_json:
        click.echo(_json.dumps([dataclasses.asdict(a) for a in infos], indent=2, ensure_ascii=False))
        return
    if not infos:
        info(f"no articles in {store}")
        return
    rows = [(a.iri.rsplit("/article/", 1)[-1], a.date or "", str(a.triples), a.title or "",
             a.source or "") for a in infos]
    head = ("KEY", "DATE", "TRIPLES", "TITLE", "SOURCE")
    widths = [max(len(r[i]) for r in [head, *rows]) for i in range(4)]
    for r in [head, *rows]:
        click.echo("  ".join(c.ljust(w) for c, w in zip(r[:4], widths, strict=True)) + "  " + r[4])
    info(f"{len(infos)} article(s)")


@main.command("remove")
@click.argument("article")
@store_option
@fail_cleanly
def remove_command(article: str, store: str) -> None:
    """Remove one article's graph from the store.

    ARTICLE is the article IRI, its key (as `kg articles` shows it), or the
    path or file name it was ingested from. When a name matches several
    articles, nothing is removed and the candidates are listed.

    \b
    Example:
      kg remove us-japan-summit-1a2b3c4d
      kg remove articles/us-japan-summit.txt
    """
    from .store import open_store, resolve_article

    with open_store(store) as st:
        iri = resolve_article(st, article)
        st.remove_article(iri)
    info(f"removed {iri}")


# -- analysis and view (kg/analysis.py, kg/view.py)

input_option = click.option(
    "--input", "input_path", type=click.Path(dir_okay=False), default=None,
    help="Read this RDF file (.ttl .trig .nq .nt .jsonld) instead of the store.")


def _projection(store: str, input_path: str | None, article: str | None = None) -> Any:
    from .analysis import load_rdf, project

    return project(load_rdf(store=store, path=input_path), article=article)


def _safe(text: Any) -> str:
    """Text from articles, with control characters (terminal escapes) shown as \\x.. codes."""
    text = " ".join(str(text).split())  # tabs and newlines inside sentences
    return "".join(c if c.isprintable() else f"\\x{ord(c):02x}" for c in text)


def _named(entity: dict[str, Any]) -> str:
    return f"{_safe(entity['label'])} ({_safe(entity['key'])})"


@main.command("analyze")
@click.option("--json", "as_json", is_flag=True, help="Print the whole report as JSON.")
@click.option("--csv", "as_csv", is_flag=True, help="Print one CSV row per entity with its metrics.")
@click.option("--top", type=click.IntRange(min=1), default=10, show_default=True,
              help="Entities shown per class and per list.")
@click.option("--article", default=None, help="Analyse one article only (key or unique prefix).")
@input_option
@store_option
@fail_cleanly
def analyze_command(as_json: bool, as_csv: bool, top: int, article: str | None,
                    input_path: str | None, store: str) -> None:
    """Rank entities and find communities, brokers and the most supported actors.

    Centrality per class (degree, PageRank along the direction of relations,
    betweenness), Louvain communities (fixed seed), brokers tied into other
    communities, the entities most supported and most opposed (by distinct
    actors), and a summary per article.

    \b
    Example:
      kg analyze
      kg analyze --top 5 --json | jq '.most_supported'
      kg analyze --input export.trig --csv > entities.csv
    """
    from .analysis import analyze, entity_rows

    if as_json and as_csv:
        raise click.UsageError("give --json or --csv, not both")
    G = _projection(store, input_path, article)
    if as_csv:
        import csv
        import io

        rows = entity_rows(G)
        buf = io.StringIO()
        writer = csv.DictWriter(buf, fieldnames=list(rows[0]) if rows else ["key", "label", "class"],
                                lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
        click.echo(buf.getvalue(), nl=False)
        return
    report = analyze(G, top=top)
    if as_json:
        import json as _json

        click.echo(_json.dumps(report, indent=2, ensure_ascii=False))
        return
    s = report["summary"]
    out = [f"{s['entities']} entities, {s['relations']} relations ({s['evidence']} evidence sentences) "
           f"from {s['articles']} article(s); {s['communities']} communities", ""]
    out.append(f"Centrality (top {top} per class, by PageRank)"
               + ("; betweenness sampled" if s["betweenness_sampled"] else ""))
    for cls, rows in report["centrality"].items():
        out.append(f"  {cls}")
        out.append(f"    {'PAGERANK':>8}  {'DEGREE':>6}  {'BETWEEN':>7}  ENTITY")
        out += [f"    {r['pagerank']:8.4f}  {r['degree']:6.3f}  {r['betweenness']:7.3f}  {_named(r)}"
                for r in rows]
    out += ["", "Communities"]
    out += [f"  {c['community']:>3}  {c['size']:>4}  " + ", ".join(_safe(m["label"]) for m in c["members"])
            + (" …" if c["size"] > len(c["members"]) else "") for c in report["communities"]]
    out += ["", "Brokers (ties into other communities)"]
    out += [f"  {_named(b)}: community {b['community']} → {', '.join(map(str, b['reaches']))}; "
            f"{b['cross_neighbours']} cross tie(s), betweenness {b['betweenness']:.3f}"
            for b in report["brokers"]] or ["  (none)"]
    for title, name in (("Most supported", "most_supported"), ("Most opposed", "most_opposed")):
        out += ["", title]
        out += [f"  {_named(r)}: {r['actors']} actor(s), {r['evidence']} sentence(s) — by "
                + ", ".join(_safe(k) for k in r["by"]) for r in report[name]] or ["  (none)"]
    out += ["", "Articles"]
    out += [f"  {_safe(a['article'])}  {a['date'] or '-'}  {a['entities']} entities, "
            f"{a['relations']} relations (+{a['supports']} / -{a['opposes']})  {_safe(a['title'] or '')}"
            for a in report["articles"]] or ["  (none)"]
    click.echo("\n".join(out))


@main.command("path")
@click.argument("source")
@click.argument("target")
@click.option("--max", "max_paths", type=click.IntRange(min=1), default=3, show_default=True,
              help="Show at most this many shortest chains.")
@click.option("--json", "as_json", is_flag=True, help="Print the chains as JSON.")
@input_option
@store_option
@fail_cleanly
def path_command(source: str, target: str, max_paths: int, as_json: bool,
                 input_path: str | None, store: str) -> None:
    """Show the shortest chains of relations between two entities, with evidence.

    SOURCE and TARGET are labels, aliases or keys (country/JPN); relations are
    followed in either direction. Each hop shows the sentence it was read from.

    \b
    Example:
      kg path "Donald Trump" Japan
      kg path Trump country/JPN --max 5 --json
    """
    from .analysis import resolve, shortest_paths
    from .errors import NotFoundError

    G = _projection(store, input_path)
    chains = shortest_paths(G, source, target, max_paths=max_paths)
    if as_json:
        import json as _json

        click.echo(_json.dumps(chains, indent=2, ensure_ascii=False))
        return
    if not chains:
        a, b = (G.nodes[resolve(G, n)]["label"] for n in (source, target))
        raise NotFoundError(f"no chain of relations links {a!r} and {b!r}")
    for i, chain in enumerate(chains, 1):
        click.echo(f"Chain {i} ({len(chain)} hop{'s' if len(chain) != 1 else ''}): "
                   f"{_safe(chain[0]['from']['label'])} … {_safe(chain[-1]['to']['label'])}")
        for hop in chain:
            for rel in hop["relations"]:
                left, right = (hop["from"], hop["to"]) if rel["forward"] else (hop["to"], hop["from"])
                click.echo(f"  {_safe(left['label'])} —{rel['predicate']}→ {_safe(right['label'])}")
                if rel["sentence"]:
                    click.echo(f"      \u201c{_safe(rel['sentence'])}\u201d [{_safe(rel['article'])}]")
        click.echo("")


@main.command("neighbors")
@click.argument("name")
@click.option("--depth", type=click.IntRange(min=1), default=1, show_default=True,
              help="How many relations away to go.")
@click.option("--json", "as_json", is_flag=True, help="Print entities and relations as JSON.")
@input_option
@store_option
@fail_cleanly
def neighbors_command(name: str, depth: int, as_json: bool, input_path: str | None, store: str) -> None:
    """List the entities within --depth relations of NAME (its ego network).

    \b
    Example:
      kg neighbors Japan
      kg neighbors "Sanae Takaichi" --depth 2 --json
    """
    from .analysis import ego_network

    H = ego_network(_projection(store, input_path), name, depth=depth)
    nodes = sorted(H.nodes(data=True), key=lambda nd: (nd[1]["distance"], nd[1]["key"]))
    edges = [{"subject": H.nodes[s]["key"], "predicate": k, "object": H.nodes[o]["key"],
              "stance": d.get("stance"), "evidence": len(d.get("evidence", ())),
              "sentence": d["evidence"][0]["sentence"] if d.get("evidence") else None}
             for s, o, k, d in sorted(H.edges(keys=True, data=True),
                                      key=lambda e: (H.nodes[e[0]]["key"], e[2], H.nodes[e[1]]["key"]))]
    center = H.nodes[H.graph["center"]]
    if as_json:
        import json as _json

        click.echo(_json.dumps({
            "center": {"key": center["key"], "label": center["label"], "class": center["cls"]},
            "depth": depth,
            "entities": [{"key": d["key"], "label": d["label"], "class": d["cls"],
                          "distance": d["distance"]} for _, d in nodes],
            "relations": edges}, indent=2, ensure_ascii=False))
        return
    click.echo(f"{_safe(center['label'])} ({_safe(center['key'])}), depth {depth}: "
               f"{len(nodes) - 1} related entities, {len(edges)} relations")
    for _, d in nodes[1:]:
        click.echo(f"  {d['distance']}  {_safe(d['label'])} ({d['cls'] or 'entity'}, {_safe(d['key'])})")
    labels = {d["key"]: d["label"] for _, d in nodes}
    if edges:
        click.echo("Relations")
    for e in edges:
        read = f"  ({e['evidence']} sentence{'s' if e['evidence'] != 1 else ''})" if e["evidence"] else ""
        click.echo(f"  {_safe(labels[e['subject']])} —{e['predicate']}→ {_safe(labels[e['object']])}{read}")


@main.command("view")
@click.option("-o", "--output", "output", required=True, type=click.Path(dir_okay=False),
              help="The HTML file to write (self-contained, works offline).")
@click.option("--article", default=None, help="Draw one article only (key or unique prefix).")
@click.option("--focus", default=None, help="Draw the entities around this one (label, alias or key).")
@click.option("--depth", type=click.IntRange(min=1), default=1, show_default=True,
              help="With --focus: how many relations away to go.")
@click.option("--top", type=click.IntRange(min=1), default=None,
              help="Draw only the N most central entities (PageRank).")
@click.option("--physics/--no-physics", default=None,
              help="Start with physics on or off (default: on up to 500 entities).")
@click.option("--title", default=None, help="Page heading (default: describes the selection).")
@click.option("--force", is_flag=True, help="Overwrite an existing output file.")
@input_option
@store_option
@fail_cleanly
def view_command(output: str, article: str | None, focus: str | None, depth: int, top: int | None,
                 physics: bool | None, title: str | None, force: bool, input_path: str | None,
                 store: str) -> None:
    """Write an interactive HTML view of the graph.

    Colour and shape show the class, size the number of related entities,
    edge colour the stance; hover for aliases and evidence sentences. The page
    has a search box, class and relation filters and a physics switch, and
    loads nothing from the network. Large graphs are laid out in Python and
    open with physics off.

    \b
    Example:
      kg view -o graph.html
      kg view -o summit.html --article us-japan-summit --force
      kg view -o japan.html --focus Japan --depth 2
      kg view -o top.html --top 200 --input export.trig
    """
    from .errors import ExportError
    from .export import refuse_inside_store
    from .view import select, write_html

    if depth != 1 and focus is None:
        raise click.UsageError("--depth needs --focus")
    target = Path(output)
    if input_path is not None and target.resolve() == Path(input_path).resolve():
        raise ExportError(f"output {output} is the input file — choose another -o path")
    if input_path is None:
        refuse_inside_store(target, store)
    G, heading = select(_projection(store, input_path), article=article, focus=focus, depth=depth, top=top)
    write_html(G, output, force=force, heading=title or heading, physics=physics)
    info(f"wrote {output} ({G.number_of_nodes()} entities, {G.number_of_edges()} relations)")



@main.command("serve")
@click.option("--host", default="127.0.0.1", show_default=True,
              help="Address to listen on; anything but loopback exposes the store to the network.")
@click.option("--port", type=click.IntRange(0, 65535), default=8000, show_default=True,
              help="TCP port (0: any free port).")
@click.option("--timeout", type=click.FloatRange(min=0, min_open=True), default=30.0, show_default=True,
              help="Seconds a query may run; a longer one answers with what it has, flagged as truncated.")
@click.option("--max-rows", type=click.IntRange(min=0), default=10_000, show_default=True,
              help="Rows (or triples) per answer; more are cut off and the answer flagged as truncated.")
@click.option("--quiet", is_flag=True, help="Do not log each request on stderr.")
@store_option
@fail_cleanly
def serve_command(host: str, port: int, timeout: float, max_rows: int, quiet: bool, store: str) -> None:
    """Serve the store read-only over HTTP: a SPARQL endpoint, the graph view and the ontology.

    /sparql is a SPARQL 1.1 Protocol endpoint (GET ?query=, POST form or
    application/sparql-query) answering in SPARQL JSON, XML, CSV or TSV (by
    Accept header or ?format=), CONSTRUCT as Turtle or N-Triples. Updates are
    refused (403), SERVICE and LOAD too (400). An answer cut short by --timeout
    or --max-rows carries the header X-GeoKG-Truncated: true. / is the
    interactive graph view, /ontology the ontology. Stop with Ctrl-C.

    \b
    Example:
      kg serve --store newsroom.kg
      curl 'http://127.0.0.1:8000/sparql?query=SELECT+*+WHERE+{?s+?p+?o}+LIMIT+5'
      kg serve --port 8080 --max-rows 1000 --timeout 10
    """
    import ipaddress

    from .server import serve
    from .store import open_store

    try:
        loopback = ipaddress.ip_address(host).is_loopback
    except ValueError:
        loopback = host == "localhost"
    if not loopback:
        warn(f"listening on {host}, not on loopback: anyone who can reach this machine can query the store")
    with open_store(store, read_only=True) as st:
        serve(st, host, port, timeout=timeout, max_rows=max_rows, quiet=quiet)


@main.command("push")
@click.option("--to", "target", required=True, metavar="URL",
              help="SPARQL server to copy into (Oxigraph server root, or see docs/remote-stores.md).")
@click.option("--remote-kind", type=click.Choice(["oxigraph", "fuseki", "graphdb", "virtuoso", "generic"]),
              default=None, help="Kind of server at URL (default: from the URL; see docs/remote-stores.md).")
@store_option
@fail_cleanly
def push_command(target: str, remote_kind: str | None, store: str) -> None:
    """Copy every article graph from the store into a SPARQL server.

    Each article is written in one request and replaces the graph of the same
    name on the server, so pushing again gives no duplicates. Articles on the
    server that the store lacks are left alone. Stops at the first error.

    \b
    Example:
      oxigraph serve --location server-data --bind 127.0.0.1:7878 &
      kg push --to http://127.0.0.1:7878
      kg push --store newsroom.kg --to http://localhost:3030/news --remote-kind fuseki
    """
    from .remote import RemoteStore, is_remote, push
    from .store import open_store

    if not is_remote(target):
        raise click.BadParameter(f"{target!r} is not an http(s) URL", param_hint="--to")
    remote = RemoteStore.from_url(target, kind=remote_kind)
    with open_store(store, read_only=True) as source:
        total = len(source.articles())
        with click.progressbar(length=total, label=f"Pushing to {remote.location}", file=sys.stderr,
                               show_pos=True) as bar:
            report = push(source, remote, progress=lambda _iri, _n: bar.update(1))
    info(f"{len(report.articles)} article(s), {report.triples} triple(s) pushed to {remote.location} "
         f"in {report.seconds:.1f} s")


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
