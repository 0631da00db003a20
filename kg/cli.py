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

if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
