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


@main.command("ingest")
@click.argument("paths", nargs=-1, required=True)
@store_option
@click.option("--force", is_flag=True, help="Re-extract articles even when their content is unchanged.")
@fail_cleanly
def ingest_command(paths: tuple[str, ...], store: str, force: bool) -> None:
    """Extract ARTICLES into the store, one named graph per article.

    PATHS are files, folders (recursively: .txt, .md, .html) or - for stdin.
    An article already stored with the same content is skipped; a changed one
    replaces its old graph. Each article is written in one transaction.

    \b
    Example:
      kg ingest examples/us-japan-summit.txt
      kg ingest --store newsroom.kg articles/
    """
    from .pipeline import ingest, read_inputs
    from .store import open_store

    with open_store(store, create=True) as st:
        names = [p for p in paths]
        total = None
        if len(names) > 1 or any(os.path.isdir(p) for p in names):
            from .reader import iter_article_paths

            total = sum(1 for p in names if p == "-") + len(list(iter_article_paths([p for p in names if p != "-"])))
        if total and total > 1:
            with click.progressbar(length=total, label="Ingesting", file=sys.stderr,
                                   show_pos=True, item_show_func=lambda x: x) as bar:
                report = ingest(names, st, force=force, warn=warn,
                                progress=lambda name: bar.update(1, os.path.basename(name)))
        else:
            report = ingest(names, st, force=force, warn=warn)
    del read_inputs
    for name, why in report.failed:
        click.echo(f"Error: {name}: {why}", err=True)
    info(f"{len(report.done)} article(s) ingested into {store}, {report.entities} entities, "
         f"{report.relations} relations"
         + (f", {len(report.unchanged)} unchanged" if report.unchanged else "")
         + (f", {len(report.skipped)} skipped" if report.skipped else "")
         + (f", {len(report.failed)} failed" if report.failed else ""))
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


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
