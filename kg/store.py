"""Where article graphs live: one named graph per article, behind one small interface.

The interface (:class:`Store`) is what everything above the store uses, and
what both back ends implement — the embedded Oxigraph store on disk
(:class:`EmbeddedStore`, here) and a remote SPARQL server (``kg.remote.RemoteStore``):

``replace_article(article_iri, graph) -> None``
    One transaction: drops the named graph ``article_iri`` and inserts the
    triples of ``graph`` into it. If anything fails the store is left as it was.
``replace_article_ntriples(article_iri, ntriples) -> None``
    The same from N-Triples text (what parallel ``kg ingest`` workers send
    back); the default parses it with rdflib, the embedded store with Oxigraph.
``remove_article(article_iri) -> bool``
    Drops the article's graph; False when there was none.
``articles() -> list[ArticleInfo]``
    One :class:`ArticleInfo` per article graph (source, title, sha256, date, triples).
``find_article_by_hash(sha256) -> str | None`` / ``article_hash(article_iri) -> str | None``
    Look an article up by the ``gkg:sha256`` of its text, and the other way round.
``query(sparql, *, timeout=None, max_rows=None) -> QueryResult``
    Read-only SPARQL over the union of the article graphs, guarded by
    :func:`kg.sparql.check_query` (no updates, no ``SERVICE``, no ``LOAD``).
    When the timeout or ``max_rows`` cuts the answer short, the result says so
    (``truncated=True``); it is never presented as complete.
``dump(out, format) -> None``
    Writes every article graph to a binary stream; ``format`` is one of
    ``turtle``, ``ntriples`` (the union graph: triples only), ``nquads``,
    ``trig`` (named graphs kept) or ``jsonld`` (named graphs kept).
``to_dataset() -> rdflib.Dataset``
    The whole store in memory, one rdflib graph per article (small stores only).
``stats() -> StoreStats``
    Entities per core class, relations per core predicate, articles, triples.
``close()``
    Releases the store (also on leaving a ``with`` block).

:func:`open_store` picks the back end from the location: ``http://``/``https://``
URLs, also with a server kind (``fuseki+http://…``; see :func:`kg.remote.is_remote`),
go to ``kg.remote.RemoteStore``, anything else is a folder on disk.

Notes on the embedded store (pyoxigraph 0.5):

* A geokg store folder holds Oxigraph's RocksDB files plus a marker file,
  ``geokg-store.json``, written at creation. Folders that are neither empty,
  nor geokg stores, nor Oxigraph stores are refused rather than written into.
* Only one process may open a store for writing (RocksDB's lock). Read
  commands open it with ``read_only=True`` (``pyoxigraph.Store.read_only``),
  which needs no lock, so they work on a read-only filesystem and while
  another process writes; they see the data as it was when they opened it.
* Oxigraph stores typed literals by value: ``"1.0"^^xsd:double`` comes back as
  ``"1"^^xsd:double``, ``"01"^^xsd:integer`` as ``"1"``, language tags in lower
  case. Values, datatypes and languages are preserved; lexical forms of
  numbers, booleans and dates may be canonicalised.
* Oxigraph 0.5's union default graph is a bag, not a set (oxigraph#1919, fixed
  upstream after 0.5): a triple asserted by two articles matches twice in a
  query without ``GRAPH``. Use ``DISTINCT`` / ``COUNT(DISTINCT …)`` when counting;
  :meth:`Store.stats` does.
"""

from __future__ import annotations

import json
import os
import re
import threading
import uuid
from abc import ABC, abstractmethod
from collections.abc import Iterable
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, BinaryIO

from .errors import QueryError, StoreError
from .vocab import CORE_CLASSES, CORE_PREDICATES, DCTERMS, GKG

if TYPE_CHECKING:  # pragma: no cover
    import pyoxigraph
    import rdflib

    from .sparql import QueryResult

__all__ = [
    "ArticleInfo", "StoreStats", "Store", "EmbeddedStore", "open_store",
    "MARKER_FILE", "STORE_FORMAT_VERSION", "DUMP_FORMATS", "QUAD_FORMATS", "resolve_article",
    "graph_ntriples", "needs_creation",
]

MARKER_FILE = "geokg-store.json"
STORE_FORMAT_VERSION = 1

#: format name -> (pyoxigraph RdfFormat attribute, keeps named graphs)
DUMP_FORMATS: dict[str, tuple[str, bool]] = {
    "turtle": ("TURTLE", False),
    "ntriples": ("N_TRIPLES", False),
    "nquads": ("N_QUADS", True),
    "trig": ("TRIG", True),
    "jsonld": ("JSON_LD", True),
}
QUAD_FORMATS = frozenset(name for name, (_, quads) in DUMP_FORMATS.items() if quads)

#: prefixes written by turtle/trig dumps
DUMP_PREFIXES = {
    "gkg": str(GKG),
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
    "skos": "http://www.w3.org/2004/02/skos/core#",
    "prov": "http://www.w3.org/ns/prov#",
    "dcterms": str(DCTERMS),
    "xsd": "http://www.w3.org/2001/XMLSchema#",
}
# (no ``id:`` prefix in dumps: entity IRIs hold slashes, which Turtle would
# have to escape as ``id:country\/JPN``)

# A new article graph with at least this many triples is written as N-Quads
# through Oxigraph's bulk loader (about 2.5x faster than a transaction, but not
# transactional: on failure the partly written graph is removed again).
BULK_THRESHOLD = 50_000


@dataclass(frozen=True)
class ArticleInfo:
    """One article graph in a store."""

    iri: str
    source: str | None
    title: str | None
    sha256: str | None
    date: str | None
    triples: int


@dataclass(frozen=True)
class StoreStats:
    """What a store holds.

    ``triples`` counts the triples of every article graph (a triple asserted by
    two articles counts twice); ``distinct_triples`` counts the union graph.
    ``entities`` maps each core class to the number of distinct entities typed
    with it; ``relations`` each core predicate to its distinct (subject, object)
    pairs; ``statements`` counts evidence records (``rdf:Statement``).
    """

    articles: int
    triples: int
    distinct_triples: int
    entities: dict[str, int] = field(default_factory=dict)
    relations: dict[str, int] = field(default_factory=dict)
    statements: int = 0

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dict."""
        return asdict(self)


class Store(ABC):
    """A set of article graphs with SPARQL on top; see the module docstring."""

    location: str = ""

    # -- writing ---------------------------------------------------------------
    @abstractmethod
    def replace_article(self, article_iri: str, graph: rdflib.Graph) -> None:
        """Replace the article's named graph by ``graph``'s triples, in one transaction.

        Args:
            article_iri: the article IRI, which is also the graph name.
            graph: the article's triples (its own graph name is ignored).

        Raises:
            StoreError: the store is read-only, a term cannot be stored, or the
                write failed; the store is then unchanged.
        """

    def replace_article_ntriples(self, article_iri: str, ntriples: str) -> None:
        """:meth:`replace_article` from the article's triples as N-Triples text.

        Parallel ``kg ingest`` workers send graphs back as N-Triples (cheap to
        pickle, see :func:`graph_ntriples`); this writes them in one transaction
        like :meth:`replace_article`. The default parses the text with rdflib;
        back ends that take N-Triples natively override it.

        Raises:
            StoreError: the text does not parse, or as :meth:`replace_article`.
        """
        import rdflib

        graph = rdflib.Graph()
        try:
            graph.parse(data=ntriples, format="nt")
        except Exception as err:  # rdflib raises several kinds of parser errors
            raise StoreError(f"cannot store the graph of {article_iri}: {err}") from err
        self.replace_article(article_iri, graph)

    @abstractmethod
    def remove_article(self, article_iri: str) -> bool:
        """Drop the article's graph. Returns False when the store had no such graph."""

    def add_articles(self, items: Iterable[tuple[str, rdflib.Graph]]) -> int:
        """Replace many articles; returns how many were written.

        The default calls :meth:`replace_article` for each; the embedded store
        batches new articles through the bulk loader.
        """
        count = 0
        for iri, graph in items:
            self.replace_article(iri, graph)
            count += 1
        return count

    # -- reading ---------------------------------------------------------------
    @abstractmethod
    def query(self, sparql: str, *, timeout: float | None = None,
              max_rows: int | None = None) -> QueryResult:
        """Run a read-only SPARQL query over the union of the article graphs.

        Args:
            sparql: the query; default prefixes (``gkg:``, ``id:``, ``rdfs:`` …)
                are added when it does not declare them.
            timeout: seconds after which evaluation is abandoned; the result is
                then ``truncated`` (``reason == "timeout"``).
            max_rows: stop after this many rows (or triples); the result is then
                ``truncated`` (``reason == "max_rows"``) when more were available.

        Raises:
            QueryError: syntax error, refused query (update, SERVICE, LOAD) or
                an evaluation error.
        """

    @abstractmethod
    def dump(self, out: BinaryIO, format: str) -> None:
        """Write the store to ``out`` in ``format`` (see :data:`DUMP_FORMATS`)."""

    def articles(self) -> list[ArticleInfo]:
        """Every article graph with its metadata, sorted by IRI."""
        from .sparql import GRAPH_ARTICLES_QUERY

        result = self.query(GRAPH_ARTICLES_QUERY)
        infos = []
        for g, src, title, sha, date, n in result.rows:
            infos.append(ArticleInfo(
                iri=str(g), source=_opt(src), title=_opt(title), sha256=_opt(sha),
                date=_opt(date), triples=int(n) if n is not None else 0,
            ))
        return sorted(infos, key=lambda a: a.iri)

    def find_article_by_hash(self, sha256: str) -> str | None:
        """IRI of the article whose text has this SHA-256, or None."""
        from .sparql import sparql_literal

        result = self.query(
            "SELECT ?g WHERE { GRAPH ?g { ?g gkg:sha256 " + sparql_literal(sha256) + " } } LIMIT 1"
        )
        return str(result.rows[0][0]) if result.rows else None

    def article_hash(self, article_iri: str) -> str | None:
        """The ``gkg:sha256`` recorded for an article, or None when it is not stored."""
        from .sparql import sparql_iri

        g = sparql_iri(article_iri)
        result = self.query(f"SELECT ?h WHERE {{ GRAPH {g} {{ {g} gkg:sha256 ?h }} }} LIMIT 1")
        return str(result.rows[0][0]) if result.rows else None

    def stats(self) -> StoreStats:
        """Counts of articles, triples, entities per class and relations per predicate."""
        from .sparql import stats_queries

        q = stats_queries()
        articles, triples = (int(x) for x in self.query(q["graphs"]).rows[0])
        distinct = int(self.query(q["distinct"]).rows[0][0])
        entities = {c: 0 for c in CORE_CLASSES}
        for cls, n in self.query(q["entities"]).rows:
            entities[str(cls).rsplit("#", 1)[-1]] = int(n)
        relations = {p: 0 for p in CORE_PREDICATES}
        for pred, n in self.query(q["relations"]).rows:
            relations[str(pred).rsplit("#", 1)[-1]] = int(n)
        statements = int(self.query(q["statements"]).rows[0][0])
        return StoreStats(articles, triples, distinct, entities, relations, statements)

    def to_dataset(self) -> rdflib.Dataset:
        """The store as an rdflib Dataset with one graph per article (small stores only)."""
        import io

        import rdflib

        buf = io.BytesIO()
        self.dump(buf, "nquads")
        ds = rdflib.Dataset()
        ds.parse(data=buf.getvalue().decode("utf-8"), format="nquads")
        return ds

    # -- lifecycle -------------------------------------------------------------
    def close(self) -> None:  # noqa: B027 - optional for back ends holding nothing
        """Release the store; further calls fail."""

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def _opt(term: Any) -> str | None:
    return None if term is None else str(term)


# ----------------------------------------------------------------------------
# rdflib -> pyoxigraph terms


class _ToOx:
    """Converts rdflib terms to pyoxigraph terms, caching every term it has seen.

    Literals are rebuilt from their lexical form (``str(lit)``) with the same
    datatype or language, so nothing is re-normalised on the way. The cache is
    keyed by the rdflib term itself (IRIs, labels and datatypes repeat a lot in
    article graphs) and is dropped when it grows past ``_MAX`` entries.
    """

    _MAX = 1_000_000

    def __init__(self) -> None:
        import pyoxigraph as ox
        from rdflib import BNode, Literal, URIRef

        self.ox = ox
        self._uri, self._lit, self._bnode = URIRef, Literal, BNode
        self._cache: dict[Any, Any] = {}

    def iri(self, value: str) -> pyoxigraph.NamedNode:
        return self.term(self._uri(value))

    def term(self, term: Any) -> Any:
        cached = self._cache.get(term)
        if cached is not None:
            return cached
        return self._new(term)

    def _new(self, term: Any) -> Any:
        ox = self.ox
        if isinstance(term, self._uri):
            node = ox.NamedNode(term)
        elif isinstance(term, self._lit):
            lang = term.language
            if lang:
                node = ox.Literal(str(term), language=lang)
            else:
                dt = term.datatype
                lex = str(term)
                node = ox.Literal(lex, datatype=self.term(dt)) if dt is not None else ox.Literal(lex)
        elif isinstance(term, self._bnode):
            node = ox.BlankNode(_bnode_id(str(term)))
        else:
            raise TypeError(f"cannot store a {type(term).__name__} term: {term!r}")
        if len(self._cache) >= self._MAX:
            self._cache.clear()
        self._cache[term] = node
        return node

    def quads(self, graph: Iterable[tuple[Any, Any, Any]], graph_name: Any) -> list[pyoxigraph.Quad]:
        """Every triple of ``graph`` as a Quad in ``graph_name``.

        Raises:
            ValueError, TypeError: a term pyoxigraph refuses (an IRI with a
                space, a literal as subject …).
        """
        import gc

        Quad, get, new = self.ox.Quad, self._cache.get, self._new
        out: list[Any] = []
        append = out.append
        # Millions of short-lived objects would trigger many full GC passes
        # over the (large) rdflib graph; nothing here creates cycles.
        enabled = gc.isenabled()
        gc.disable()
        try:
            for s, p, o in graph:
                append(Quad(get(s) or new(s), get(p) or new(p), get(o) or new(o), graph_name))
        finally:
            if enabled:
                gc.enable()
        return out


_ESCAPE = str.maketrans({"\\": "\\\\", '"': '\\"', "\n": "\\n", "\r": "\\r"})
_IRI_OK = re.compile(r'[^<>"{}|^`\\\x00-\x20]+\Z')
_LANG_OK = re.compile(r"[A-Za-z]{1,8}(-[A-Za-z0-9]{1,8})*\Z")


class _ToNQuads:
    """Writes rdflib triples as N-Quads text for Oxigraph's bulk loader.

    Faster than building pyoxigraph objects (the loader parses in Rust), and
    checked here term by term so that what reaches the loader parses: IRIs
    without forbidden characters, valid language tags, no literal subjects.
    """

    _MAX = 1_000_000

    def __init__(self) -> None:
        from rdflib import BNode, Literal, URIRef

        self._uri, self._lit, self._bnode = URIRef, Literal, BNode
        self._cache: dict[Any, str] = {}

    def _new(self, term: Any) -> str:
        if isinstance(term, self._uri):
            if not _IRI_OK.match(term):
                raise ValueError(f"invalid IRI {str(term)!r}")
            text = f"<{term}>"
        elif isinstance(term, self._lit):
            lex = str(term).translate(_ESCAPE)
            lang = term.language
            if lang:
                if not _LANG_OK.match(lang):
                    raise ValueError(f"invalid language tag {lang!r}")
                text = f'"{lex}"@{lang}'
            elif term.datatype is not None:
                text = f'"{lex}"^^{self.term(term.datatype)}'
            else:
                text = f'"{lex}"'
        elif isinstance(term, self._bnode):
            text = f"_:{_bnode_id(str(term))}"
        else:
            raise TypeError(f"cannot store a {type(term).__name__} term: {term!r}")
        if len(self._cache) >= self._MAX:
            self._cache.clear()
        self._cache[term] = text
        return text

    def term(self, term: Any) -> str:
        return self._cache.get(term) or self._new(term)

    def nquads(self, graph: Iterable[tuple[Any, Any, Any]], graph_iri: str) -> str:
        """N-Quads of ``graph``'s triples in the named graph ``graph_iri``.

        Raises:
            ValueError, TypeError: a term that RDF (or Oxigraph) refuses.
        """
        import gc

        get, new = self._cache.get, self._new
        tail = f" {self.term(self._uri(graph_iri))} .\n"
        lines: list[str] = []
        append = lines.append
        enabled = gc.isenabled()
        gc.disable()  # see _ToOx.quads
        try:
            for s, p, o in graph:
                subject, predicate = get(s) or new(s), get(p) or new(p)
                if subject[0] == '"' or predicate[0] != "<":
                    raise TypeError(f"not an RDF triple: {s!r} {p!r} {o!r}")
                append(f"{subject} {predicate} {get(o) or new(o)}{tail}")
        finally:
            if enabled:
                gc.enable()
        return "".join(lines)


def graph_ntriples(graph: Iterable[tuple[Any, Any, Any]]) -> str:
    """N-Triples text of an rdflib graph's triples, written as the store writes N-Quads.

    Raises:
        StoreError: a term that RDF (or Oxigraph) refuses.
    """
    writer = _ToNQuads()
    get, new = writer._cache.get, writer._new
    lines: list[str] = []
    try:
        for s, p, o in graph:
            subject, predicate = get(s) or new(s), get(p) or new(p)
            if subject[0] == '"' or predicate[0] != "<":
                raise TypeError(f"not an RDF triple: {s!r} {p!r} {o!r}")
            lines.append(f"{subject} {predicate} {get(o) or new(o)} .\n")
    except (ValueError, TypeError) as err:
        raise StoreError(f"cannot store the graph: {err}") from err
    return "".join(lines)


def _bnode_id(value: str) -> str:
    if value and (value[0].isalnum() or value[0] == "_") and all(c.isalnum() or c in "_-" for c in value):
        return value
    import hashlib

    return "b" + hashlib.sha1(value.encode("utf-8")).hexdigest()


def _nt_triples(ox: Any, quads: Iterable[Any]) -> str:
    """N-Triples text for quads (valid inside a SPARQL ``INSERT DATA`` block)."""
    return ox.serialize([q.triple for q in quads], format=ox.RdfFormat.N_TRIPLES).decode("utf-8")


# ----------------------------------------------------------------------------
# embedded store


def _lock_message(path: Path, err: BaseException) -> str:
    return (f"the store {path} is in use by another process (its lock is held: {err}) — "
            "close the other kg process, or open the store read-only for queries")


def _looks_like_oxigraph(path: Path) -> bool:
    return (path / "CURRENT").is_file() and (path / "IDENTITY").is_file()


class EmbeddedStore(Store):
    """Article graphs in an Oxigraph (RocksDB) folder on disk, or in memory.

    Open it with :func:`open_store`; ``EmbeddedStore.in_memory()`` gives a
    throw-away store for tests and notebooks.
    """

    def __init__(self, ox_store: pyoxigraph.Store, location: str, read_only: bool) -> None:
        self._ox: pyoxigraph.Store | None = ox_store
        self.location = location
        self.read_only = read_only
        self._write_lock = threading.Lock()

    @classmethod
    def in_memory(cls) -> EmbeddedStore:
        """A temporary store kept in memory."""
        import pyoxigraph as ox

        return cls(ox.Store(), "<memory>", read_only=False)

    @property
    def oxigraph(self) -> pyoxigraph.Store:
        """The underlying ``pyoxigraph.Store`` (for benchmarks and power users)."""
        if self._ox is None:
            raise StoreError(f"the store {self.location} is closed")
        return self._ox

    def close(self) -> None:
        if self._ox is not None and not self.read_only:
            try:
                self._ox.flush()
            except OSError:  # pragma: no cover - in-memory stores have nothing to flush
                pass
        self._ox = None

    def __repr__(self) -> str:
        mode = "read-only" if self.read_only else "read-write"
        return f"<EmbeddedStore {self.location} {mode}>"

    # -- writing ---------------------------------------------------------------
    def _writable(self) -> pyoxigraph.Store:
        store = self.oxigraph
        if self.read_only:
            raise StoreError(f"the store {self.location} is open read-only; cannot write to it")
        return store

    def _graph_name(self, article_iri: str) -> pyoxigraph.NamedNode:
        import pyoxigraph as ox

        try:
            return ox.NamedNode(str(article_iri))
        except ValueError as err:
            raise StoreError(f"not a valid article IRI: {article_iri!r} ({err})") from err

    def _convert(self, graph: Iterable[tuple[Any, Any, Any]], gname: Any) -> list[Any]:
        try:
            return _ToOx().quads(graph, gname)
        except (ValueError, TypeError) as err:
            raise StoreError(f"cannot store the graph of {gname.value}: {err}") from err

    def replace_article(self, article_iri: str, graph: rdflib.Graph) -> None:
        store = self._writable()
        gname = self._graph_name(article_iri)
        with self._write_lock:
            try:
                exists = store.contains_named_graph(gname)
                if not exists and len(graph) >= BULK_THRESHOLD:
                    self._bulk_load(store, self._nquads(graph, gname.value), [gname])
                    return
                # Converting every term first means an unstorable term fails before any write.
                new = self._convert(graph, gname)
                if not exists:
                    if new:
                        store.extend(new)  # one transaction
                else:
                    self._replace_existing(store, gname, new)
            except OSError as err:
                raise StoreError(f"cannot write {article_iri} to {self.location}: {err}") from err
            except SyntaxError as err:  # pragma: no cover - our own N-Triples did not parse
                raise StoreError(f"cannot write {article_iri}: {err}") from err

    def _nquads(self, graph: Iterable[tuple[Any, Any, Any]], graph_iri: str,
                writer: _ToNQuads | None = None) -> str:
        try:
            return (writer or _ToNQuads()).nquads(graph, graph_iri)
        except (ValueError, TypeError) as err:
            raise StoreError(f"cannot store the graph of {graph_iri}: {err}") from err

    def _bulk_load(self, store: pyoxigraph.Store, text: str, new_graphs: list[Any]) -> None:
        """Oxigraph's bulk loader: not transactional, so on failure the graphs it
        was creating (which did not exist before) are removed again."""
        import pyoxigraph as ox

        try:
            store.bulk_load(input=text.encode("utf-8"), format=ox.RdfFormat.N_QUADS)
        except BaseException as err:
            for name in new_graphs:
                store.remove_graph(name)
            if isinstance(err, SyntaxError | ValueError | OSError):
                raise StoreError(f"bulk write to {self.location} failed: {err}") from err
            raise

    def _replace_existing(self, store: pyoxigraph.Store, gname: Any, quads: list[Any]) -> None:
        import pyoxigraph as ox

        g = f"<{gname.value}>"
        if not quads:
            store.update(f"DROP SILENT GRAPH {g}")
            return
        old = set(store.quads_for_pattern(None, None, None, gname))
        new = set(quads)
        removed, added = old - new, new - old
        if not removed and not added:
            return
        has_bnode = any(
            isinstance(q.subject, ox.BlankNode) or isinstance(q.object, ox.BlankNode)
            for q in (*removed, *added)
        )
        if has_bnode:
            # DELETE DATA cannot name blank nodes: rewrite the whole graph instead
            store.update(f"DROP SILENT GRAPH {g} ;\nINSERT DATA {{ GRAPH {g} {{\n"
                         f"{_nt_triples(ox, quads)}}} }}")
            return
        # One update request is one transaction: only the difference is written.
        parts = []
        if removed:
            parts.append(f"DELETE DATA {{ GRAPH {g} {{\n{_nt_triples(ox, removed)}}} }}")
        if added:
            parts.append(f"INSERT DATA {{ GRAPH {g} {{\n{_nt_triples(ox, added)}}} }}")
        store.update(" ;\n".join(parts))

    def replace_article_ntriples(self, article_iri: str, ntriples: str) -> None:
        import pyoxigraph as ox

        store = self._writable()
        gname = self._graph_name(article_iri)
        data = ntriples.encode("utf-8")
        with self._write_lock:
            try:
                if not store.contains_named_graph(gname):
                    if data.strip():
                        store.load(data, format=ox.RdfFormat.N_TRIPLES, to_graph=gname)  # one transaction
                    return
                quads = [ox.Quad(q.subject, q.predicate, q.object, gname)
                         for q in ox.parse(data, format=ox.RdfFormat.N_TRIPLES)]
                self._replace_existing(store, gname, quads)
            except (SyntaxError, ValueError) as err:
                raise StoreError(f"cannot store the graph of {article_iri}: {err}") from err
            except OSError as err:
                raise StoreError(f"cannot write {article_iri} to {self.location}: {err}") from err

    def add_articles(self, items: Iterable[tuple[str, rdflib.Graph]], *,
                     batch_triples: int = 250_000) -> int:
        """Write many articles fast: new ones go through the bulk loader in batches.

        Articles already in the store are replaced one by one with
        :meth:`replace_article` (transactional). New articles are written as
        N-Quads and handed to Oxigraph's bulk loader in batches of about
        ``batch_triples`` triples. If a batch fails, its graphs are removed and
        its articles are written again one transaction each, so the error is
        raised for the article that causes it (the ones before it are stored).
        """
        store = self._writable()
        writer = _ToNQuads()
        chunks: list[str] = []
        pending: list[tuple[str, Any, Any]] = []
        size = 0
        seen: set[str] = set()
        count = 0

        def flush() -> None:
            nonlocal size
            if not pending:
                return
            text = "".join(chunks)
            try:
                with self._write_lock:
                    self._bulk_load(store, text, [g for _, _, g in pending])
            except StoreError:
                for iri, graph, _ in pending:
                    self.replace_article(iri, graph)
            chunks.clear()
            pending.clear()
            size = 0

        for iri, graph in items:
            gname = self._graph_name(iri)
            if iri in seen or store.contains_named_graph(gname):
                flush()
                self.replace_article(iri, graph)
            else:
                try:
                    chunks.append(writer.nquads(graph, gname.value))
                except (ValueError, TypeError) as err:
                    flush()
                    raise StoreError(f"cannot store the graph of {iri}: {err}") from err
                pending.append((iri, graph, gname))
                size += len(graph)
                if size >= batch_triples:
                    flush()
            seen.add(iri)
            count += 1
        flush()
        return count

    def remove_article(self, article_iri: str) -> bool:
        store = self._writable()
        gname = self._graph_name(article_iri)
        with self._write_lock:
            if not store.contains_named_graph(gname):
                return False
            try:
                store.remove_graph(gname)
            except OSError as err:
                raise StoreError(f"cannot remove {article_iri} from {self.location}: {err}") from err
        return True

    # -- reading ---------------------------------------------------------------
    def query(self, sparql: str, *, timeout: float | None = None,
              max_rows: int | None = None) -> QueryResult:
        from .sparql import DEFAULT_PREFIXES, check_query, evaluate_oxigraph

        check_query(sparql, parse=False)  # refuses updates, SERVICE, LOAD
        # Oxigraph parses the user's own text (default prefixes passed aside), so
        # syntax errors point at the user's lines and columns.
        return evaluate_oxigraph(self.oxigraph, sparql, timeout=timeout, max_rows=max_rows,
                                 prefixes=DEFAULT_PREFIXES)

    def _rows(self, sparql: str) -> list[tuple[Any, ...]]:
        """Raw pyoxigraph rows of a trusted internal query (no guard, no conversion)."""
        from .sparql import DEFAULT_PREFIXES

        try:
            res = self.oxigraph.query(sparql, prefixes=DEFAULT_PREFIXES, use_default_graph_as_union=True)
            n = len(res.variables)
            return [tuple(sol[i] for i in range(n)) for sol in res]
        except (SyntaxError, OSError) as err:  # pragma: no cover - internal queries are fixed
            raise QueryError(str(err)) from err

    def articles(self) -> list[ArticleInfo]:
        import pyoxigraph as ox

        store = self.oxigraph
        src, title, sha, date = (ox.NamedNode(str(p)) for p in
                                 (DCTERMS.source, DCTERMS.title, GKG.sha256, DCTERMS.date))

        def first(s: Any, p: Any, g: Any) -> str | None:
            for q in store.quads_for_pattern(s, p, None, g):
                return q.object.value
            return None

        infos = []
        for g in store.named_graphs():
            if not isinstance(g, ox.NamedNode):
                continue
            n = sum(1 for _ in store.quads_for_pattern(None, None, None, g))
            infos.append(ArticleInfo(iri=g.value, source=first(g, src, g), title=first(g, title, g),
                                     sha256=first(g, sha, g), date=first(g, date, g), triples=n))
        return sorted(infos, key=lambda a: a.iri)

    def find_article_by_hash(self, sha256: str) -> str | None:
        import pyoxigraph as ox

        pred = ox.NamedNode(str(GKG.sha256))
        for q in self.oxigraph.quads_for_pattern(None, pred, ox.Literal(sha256), None):
            if q.graph_name == q.subject:
                return q.subject.value
        return None

    def article_hash(self, article_iri: str) -> str | None:
        import pyoxigraph as ox

        gname = self._graph_name(article_iri)
        for q in self.oxigraph.quads_for_pattern(gname, ox.NamedNode(str(GKG.sha256)), None, gname):
            return q.object.value
        return None

    def stats(self) -> StoreStats:
        from .sparql import stats_queries

        store = self.oxigraph
        q = stats_queries()
        articles = sum(1 for _ in store.named_graphs())
        triples = len(store)
        distinct = int(self._rows(q["distinct"])[0][0].value)
        entities = {c: 0 for c in CORE_CLASSES}
        for cls, n in self._rows(q["entities"]):
            entities[cls.value.rsplit("#", 1)[-1]] = int(n.value)
        relations = {p: 0 for p in CORE_PREDICATES}
        for pred, n in self._rows(q["relations"]):
            relations[pred.value.rsplit("#", 1)[-1]] = int(n.value)
        statements = int(self._rows(q["statements"])[0][0].value)
        return StoreStats(articles, triples, distinct, entities, relations, statements)

    def dump(self, out: BinaryIO, format: str) -> None:
        import pyoxigraph as ox

        try:
            attr, keeps_graphs = DUMP_FORMATS[format]
        except KeyError:
            raise StoreError(f"unknown format {format!r}; choose one of {', '.join(DUMP_FORMATS)}") from None
        rdf_format = getattr(ox.RdfFormat, attr)
        store = self.oxigraph
        prefixes = DUMP_PREFIXES if format in ("turtle", "trig") else None
        grouped = format in ("turtle", "trig", "jsonld")
        try:
            if keeps_graphs:
                if not grouped:
                    store.dump(out, rdf_format)  # streamed by Oxigraph
                    return
                ox.serialize(_grouped(store), out, rdf_format, prefixes=prefixes)
                return
            # Triple formats get the union graph with each triple once (Oxigraph's
            # union is a bag, so DISTINCT is needed; it is computed inside Oxigraph).
            triples: Iterable[Any] = store.query(
                "CONSTRUCT { ?s ?p ?o } WHERE { SELECT DISTINCT ?s ?p ?o WHERE { ?s ?p ?o } }",
                use_default_graph_as_union=True)
            if grouped:
                triples = sorted(triples, key=_triple_key)
            ox.serialize(triples, out, rdf_format, prefixes=prefixes)
        except (SyntaxError, ValueError) as err:  # pragma: no cover - fixed query, known formats
            raise StoreError(f"cannot dump {self.location} as {format}: {err}") from err

    def to_dataset(self) -> rdflib.Dataset:
        import pyoxigraph as ox
        import rdflib

        from .sparql import from_ox

        ds = rdflib.Dataset()
        graphs: dict[str, Any] = {}
        for q in self.oxigraph:
            gname = q.graph_name
            if isinstance(gname, ox.DefaultGraph):
                target = ds.default_graph
            else:
                key = gname.value
                target = graphs.get(key)
                if target is None:
                    target = graphs[key] = ds.graph(rdflib.URIRef(key))
            target.add((from_ox(q.subject), from_ox(q.predicate), from_ox(q.object)))
        return ds


_RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"


def _triple_key(t: Any) -> tuple[Any, ...]:
    """Order for readable Turtle: by subject, ``rdf:type`` first, then predicate."""
    return (t.subject.value, t.predicate.value != _RDF_TYPE, t.predicate.value)


def _grouped(store: pyoxigraph.Store) -> list[Any]:
    """Every quad, sorted by graph then subject, so TriG/JSON-LD writers group them.

    Oxigraph iterates in the order of its internal term ids, which scatters a
    subject's triples; sorting costs memory, which N-Quads dumps avoid.
    """
    quads = list(store)
    quads.sort(key=lambda q: (getattr(q.graph_name, "value", ""), q.subject.value,
                              q.predicate.value != _RDF_TYPE, q.predicate.value))
    return quads


# ----------------------------------------------------------------------------
# opening


def _is_url(text: str) -> bool:
    """The rule of :func:`kg.remote.is_remote` (``http``/``https``, optionally ``kind+http``),
    kept here so that opening a folder does not import the HTTP client."""
    scheme = text.split("://", 1)[0].lower() if "://" in text else ""
    return scheme.rsplit("+", 1)[-1] in ("http", "https")


def needs_creation(location: str | os.PathLike[str]) -> bool:
    """True when ``open_store(location, create=True)`` would create a new store.

    That is a folder path that does not exist yet, or an empty folder; never a
    server URL. ``kg ingest`` uses it to create the store only once an article
    is about to be written.
    """
    text = os.fspath(location)
    if _is_url(text):
        return False
    path = Path(text).expanduser()
    if not path.exists():
        return True
    return path.is_dir() and not any(path.iterdir())


def _read_marker(path: Path) -> dict[str, Any] | None:
    marker = path / MARKER_FILE
    if not marker.is_file():
        return None
    try:
        data = json.loads(marker.read_text(encoding="utf-8"))
    except (OSError, ValueError) as err:
        raise StoreError(f"{path} has an unreadable {MARKER_FILE} ({err}); is it a geokg store?") from err
    if not isinstance(data, dict) or data.get("format") != "geokg-store":
        raise StoreError(f"{path}/{MARKER_FILE} is not a geokg store marker")
    version = data.get("version")
    if not isinstance(version, int) or version > STORE_FORMAT_VERSION:
        raise StoreError(f"the store {path} has format version {version!r}, newer than this geokg "
                         f"understands ({STORE_FORMAT_VERSION}) — upgrade geokg")
    return data


def _write_marker(path: Path) -> None:
    data = {"format": "geokg-store", "version": STORE_FORMAT_VERSION, "backend": "oxigraph"}
    tmp = path / f".{MARKER_FILE}.{uuid.uuid4().hex}.tmp"
    try:
        with open(tmp, "w", encoding="utf-8") as fh:
            json.dump(data, fh)
            fh.write("\n")
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path / MARKER_FILE)
    finally:
        tmp.unlink(missing_ok=True)


def open_store(location: str | os.PathLike[str], *, create: bool = False,
               read_only: bool = False) -> Store:
    """Open the store at a folder or a SPARQL server URL.

    Args:
        location: a folder (embedded Oxigraph) or the URL of a SPARQL server:
            ``http(s)://…``, or with the server kind in the scheme
            (``fuseki+http://…``); see ``kg.remote``.
        create: create the folder and an empty store when there is none.
            Without it a missing store is an error and nothing is created.
        read_only: open without taking the write lock (read commands): works
            while another process writes and on read-only filesystems; every
            write method then raises :class:`StoreError`.

    Raises:
        StoreError: no store there, the path is a file or a folder that is not
            a store, or the store is locked by another process.

    Examples:
        >>> import tempfile, os
        >>> path = os.path.join(tempfile.mkdtemp(), "kg")
        >>> with open_store(path, create=True) as store:
        ...     store.articles()
        []
    """
    text = os.fspath(location)
    if _is_url(text):
        from .remote import RemoteStore  # type: ignore[import-not-found]

        return RemoteStore.from_url(text)  # type: ignore[no-any-return]

    path = Path(text).expanduser()
    if path.exists() and not path.is_dir():
        raise StoreError(f"{path} is a file, not a store folder — pass --store with a folder path")
    exists = path.is_dir()
    is_empty = exists and not any(path.iterdir())
    marker = _read_marker(path) if exists else None
    if exists and not is_empty and marker is None and not _looks_like_oxigraph(path):
        raise StoreError(f"{path} is a folder that is not a geokg store (no {MARKER_FILE}); "
                         "refusing to write into it — pass --store with a new or empty folder")
    if not exists or is_empty:
        if not create:
            raise StoreError(f"no store at {path} — run `kg ingest FILE` first, or pass --store")
        if read_only:
            raise StoreError(f"no store at {path} to open read-only — run `kg ingest FILE` first")

    import pyoxigraph as ox

    if not exists:  # (create is set) RocksDB makes the last folder only
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as err:
            raise StoreError(f"cannot create the store {path}: {err.strerror or err}") from err
    try:
        if read_only:
            ox_store = ox.Store.read_only(str(path))
        else:
            ox_store = ox.Store(str(path))
    except (OSError, RuntimeError) as err:  # RuntimeError: a store being created by another process
        msg = str(err)
        if "lock" in msg.lower():
            raise StoreError(_lock_message(path, err)) from err
        raise StoreError(f"cannot open the store {path}: {msg}") from err
    if marker is None and not read_only:
        try:
            _write_marker(path)
        except OSError as err:
            raise StoreError(f"cannot write {path / MARKER_FILE}: {err}") from err
    return EmbeddedStore(ox_store, str(path), read_only=read_only)


def resolve_article(store: Store, name: str) -> str:
    """The IRI of the article ``name`` designates: its IRI, its key, or its source.

    ``name`` may be the article IRI, its key (``us-japan-summit-1a2b3c4d``,
    the last part of the IRI), the source path it was read from (absolute or
    relative to the current folder), or a file name / stem that only one
    article's source has.

    Raises:
        NotFoundError: no article matches.
        AmbiguousNameError: several articles match; the message lists them.
    """
    from .errors import AmbiguousNameError, NotFoundError

    infos = store.articles()
    by_iri = {a.iri: a for a in infos}
    if name in by_iri:
        return name
    key = name.rsplit("/article/", 1)[-1] if "/article/" in name else name
    for a in infos:
        if a.iri.rsplit("/article/", 1)[-1] == key:
            return a.iri
    absolute = os.path.abspath(os.path.expanduser(name))
    exact = [a for a in infos if a.source in (name, absolute)]
    if len(exact) == 1:
        return exact[0].iri
    candidates = exact
    if not candidates:
        base = os.path.basename(name.rstrip("/\\"))
        candidates = [a for a in infos if a.source and (
            os.path.basename(a.source) == base or Path(a.source).stem == base)]
    if len(candidates) == 1:
        return candidates[0].iri
    if not candidates:
        raise NotFoundError(f"no article matches {name!r} — list them with `kg articles`")
    listing = "\n".join(f"  {a.iri}  ({a.source})" for a in candidates)
    raise AmbiguousNameError(f"{name!r} matches {len(candidates)} articles; give the IRI or key "
                             f"of one:\n{listing}")
