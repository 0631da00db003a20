"""The whole ingester as functions: text or files → extraction → RDF → file or store.

Examples:
    >>> g = build_graph("Japan and France signed the Paris Agreement.")  # doctest: +SKIP
    >>> len(g) > 0  # doctest: +SKIP
    True
"""

from __future__ import annotations

import datetime as _dt
import os
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from .errors import EmptyInputError, ExportError, InputError
from .model import Document, Extraction

if TYPE_CHECKING:  # pragma: no cover
    from rdflib import Graph

    from .store import Store

#: file extension → rdflib serializer name, for `kg build -o FILE`
BUILD_FORMATS = {".ttl": "turtle", ".nt": "nt", ".nq": "nquads", ".trig": "trig", ".jsonld": "json-ld"}


def _document(source: str | Document) -> Document:
    if isinstance(source, Document):
        return source
    from .reader import read_text

    return read_text(source)


def extract_document(document: str | Document, nlp=None) -> Extraction:
    """Extract entities and relations from a text or a :class:`Document`."""
    from .extract import extract

    return extract(_document(document), nlp=nlp)


def build_graph(document: str | Document, *, nlp=None, ingested_at: _dt.datetime | None = None) -> Graph:
    """The RDF graph (one article) of a text or :class:`Document`."""
    from .rdf import to_graph

    return to_graph(extract_document(document, nlp=nlp), ingested_at=ingested_at)


@dataclass
class IngestReport:
    """What happened to each input of an ingest or build run."""

    done: list[str] = field(default_factory=list)
    skipped: list[tuple[str, str]] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    failed: list[tuple[str, str]] = field(default_factory=list)
    entities: int = 0
    relations: int = 0

    @property
    def ok(self) -> bool:
        return not self.failed


def read_inputs(paths: Iterable[str]) -> Iterator[tuple[str, Document | Exception]]:
    """Each article from files, folders (recursively) or ``-`` (stdin), or the error reading it."""
    from .reader import iter_article_paths, read_document

    for raw in paths:
        if raw == "-":
            try:
                yield "-", read_document("-")
            except InputError as err:
                yield "-", err
            continue
        try:
            files = list(iter_article_paths([raw]))
        except InputError as err:
            yield raw, err
            continue
        for path in files:
            try:
                yield str(path), read_document(str(Path(path).resolve()))
            except InputError as err:
                yield str(path), err


def build_files(paths: list[str], out: str, *, force: bool = False,
                progress: Callable[[str], None] | None = None,
                warn: Callable[[str], None] | None = None) -> IngestReport:
    """`kg build`: one graph file per article (or one file for one article), no store.

    ``out`` is a file (format from its extension) or, for several articles, a folder
    (ending in ``/`` or existing) that receives ``<stem>.ttl`` per article.
    """
    from .export import atomic_write
    from .rdf import to_graph

    report = IngestReport()
    docs = list(read_inputs(paths))
    as_dir = out.endswith(("/", os.sep)) or Path(out).is_dir() or len(docs) > 1
    out_path = Path(out)
    if not as_dir and out_path.suffix not in BUILD_FORMATS:
        raise ExportError(f"unknown output format {out_path.suffix or '(no extension)'!r} — "
                          f"use one of {', '.join(BUILD_FORMATS)}")
    inputs = {Path(p).resolve() for p, _ in docs if p != "-"}
    if as_dir:
        out_path.mkdir(parents=True, exist_ok=True)
    from .nlp import load_nlp

    nlp = load_nlp()
    for name, doc in docs:
        if isinstance(doc, EmptyInputError):
            report.skipped.append((name, str(doc)))
            if warn:
                warn(f"{name}: {doc}")
            continue
        if isinstance(doc, Exception):
            report.failed.append((name, str(doc)))
            continue
        target = out_path / (Path(name).stem + ".ttl") if as_dir else out_path
        if name == "-" and as_dir:
            target = out_path / f"stdin-{doc.sha256[:12]}.ttl"
        if target.resolve() in inputs:
            raise ExportError(f"output {target} is one of the inputs — choose another -o path")
        if target.exists() and not force and not as_dir:
            raise ExportError(f"{target} exists — pass --force to overwrite it")
        for w in doc.warnings:
            if warn:
                warn(f"{name}: {w}")
        extraction = extract_document(doc, nlp=nlp)
        graph = to_graph(extraction)
        fmt = BUILD_FORMATS.get(target.suffix, "turtle")
        data = _serialize(graph, fmt)
        with atomic_write(target, force=True) as fh:
            fh.write(data)
        report.done.append(name)
        report.entities += len(extraction.entities)
        report.relations += len(extraction.relations)
        if progress:
            progress(name)
    return report


def _serialize(graph: Graph, fmt: str) -> bytes:
    from rdflib import Dataset

    if fmt in ("nquads", "trig"):
        ds = Dataset()
        named = ds.graph(graph.identifier)
        for t in graph:
            named.add(t)
        for prefix, ns in graph.namespaces():
            ds.bind(prefix, ns)
        return ds.serialize(format=fmt, encoding="utf-8")
    return graph.serialize(format=fmt, encoding="utf-8")


def ingest(paths: list[str], store: Store, *, progress: Callable[[str], None] | None = None,
           warn: Callable[[str], None] | None = None, force: bool = False) -> IngestReport:
    """`kg ingest`: each article replaces its own named graph in ``store``.

    An article whose content hash is already stored is skipped (unless ``force``);
    each article is written in one transaction, so an interruption leaves whole
    articles only.
    """
    from .nlp import load_nlp
    from .rdf import to_graph
    from .vocab import article_iri

    report = IngestReport()
    nlp = load_nlp()
    now = _dt.datetime.now(_dt.UTC).replace(microsecond=0)
    for name, doc in read_inputs(paths):
        if isinstance(doc, EmptyInputError):
            report.skipped.append((name, str(doc)))
            if warn:
                warn(f"{name}: {doc}")
        elif isinstance(doc, Exception):
            report.failed.append((name, str(doc)))  # the caller reports failures (CLI: `Error: …`)
        else:
            iri = str(article_iri(doc.key))
            if not force and store.article_hash(iri) == doc.sha256:
                report.unchanged.append(name)
            else:
                for w in doc.warnings:
                    if warn:
                        warn(f"{name}: {w}")
                extraction = extract_document(doc, nlp=nlp)
                store.replace_article(iri, to_graph(extraction, ingested_at=now))
                report.done.append(name)
                report.entities += len(extraction.entities)
                report.relations += len(extraction.relations)
        if progress:
            progress(name)
    return report
