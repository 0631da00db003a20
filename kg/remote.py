"""A geokg store on a SPARQL server: query + update endpoints and the Graph Store Protocol.

:class:`RemoteStore` implements the same :class:`kg.store.Store` interface as the
embedded store, over HTTP (standard library only):

- ``replace_article`` PUTs the article graph as N-Triples to the Graph Store
  Protocol endpoint (``…/store?graph=<article IRI>``), which the server applies as
  one request; servers without one get a single SPARQL update
  ``DROP SILENT GRAPH <g> ; INSERT DATA { GRAPH <g> { … } }``.
- ``query`` runs through :func:`kg.sparql.check_query` (no updates, SERVICE or
  LOAD) and asks the server for *union default graph* semantics, so a query
  without ``GRAPH`` sees every article graph, as with the embedded store.

Where the endpoints are (see ``docs/remote-stores.md``):

=========  ===================================  =====================================
kind       ``--store`` URL                      query / update / graph store
=========  ===================================  =====================================
oxigraph   ``http://127.0.0.1:7878``            ``/query`` ``/update`` ``/store``
fuseki     ``http://host:3030/ds#fuseki``       ``/ds/query`` ``/ds/update`` ``/ds/data``
graphdb    ``http://host:7200/repositories/X``  ``…/X`` ``…/X/statements`` ``…/X/rdf-graphs/service``
virtuoso   ``http://host:8890/sparql#virtuoso``  ``/sparql`` for query and update, no graph store
=========  ===================================  =====================================

The kind comes from the URL fragment (``#fuseki``), a ``fuseki+http://…`` scheme,
``$KG_REMOTE_KIND`` or a config file, else from the URL's shape
(``/repositories/X`` is GraphDB, anything else an Oxigraph server root).
``$KG_REMOTE_QUERY``, ``$KG_REMOTE_UPDATE`` and ``$KG_REMOTE_GSP`` override single
endpoints; ``$KG_REMOTE_CONFIG`` names a TOML or JSON file with the same keys
(``kind``, ``query``, ``update``, ``gsp``, ``union``, ``timeout``, ``user``,
``password``); ``$KG_REMOTE_USER`` / ``$KG_REMOTE_PASSWORD`` add HTTP basic auth.

Examples:
    >>> ep = Endpoints.for_url("http://127.0.0.1:7878")
    >>> ep.kind, ep.query, ep.update, ep.gsp
    ('oxigraph', 'http://127.0.0.1:7878/query', 'http://127.0.0.1:7878/update', 'http://127.0.0.1:7878/store')
    >>> ep = Endpoints.for_url("http://localhost:3030/ds#fuseki")
    >>> ep.query, ep.gsp
    ('http://localhost:3030/ds/query', 'http://localhost:3030/ds/data')
    >>> Endpoints.for_url("http://localhost:7200/repositories/news").update
    'http://localhost:7200/repositories/news/statements'
"""

from __future__ import annotations

import base64
import json
import os
import re
import socket
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any, BinaryIO

from .errors import QueryError, StoreError
from .store import Store

if TYPE_CHECKING:
    import rdflib

    from .sparql import QueryResult

__all__ = ["KINDS", "Endpoints", "RemoteStore", "PushReport", "article_graph", "is_remote", "push"]

KINDS = ("oxigraph", "fuseki", "graphdb", "virtuoso", "generic")
DEFAULT_TIMEOUT = 60.0
_GKG = "https://w3id.org/geokg/ontology#"
_DCT = "http://purl.org/dc/terms/"
# characters that may not appear inside <…> in SPARQL (and would let an IRI break out of it)
_BAD_IRI = re.compile(r'[\x00-\x20<>"{}|\\^`]')
# Fuseki (TDB/TDB2): this default-graph-uri names the union of all named graphs
FUSEKI_UNION_GRAPH = "urn:x-arq:UnionGraph"


def is_remote(location: str | os.PathLike[str]) -> bool:
    """True when a ``--store`` value is the URL of a SPARQL server rather than a folder.

    Examples:
        >>> is_remote("http://127.0.0.1:7878"), is_remote("fuseki+https://h/ds"), is_remote(".geokg")
        (True, True, False)
    """
    text = str(location)
    scheme = text.split("://", 1)[0].lower() if "://" in text else ""
    return scheme.rsplit("+", 1)[-1] in ("http", "https")


@dataclass(frozen=True)
class Endpoints:
    """Where a SPARQL server takes queries, updates and Graph Store Protocol requests.

    ``union_params`` are added to every query request to make the default graph
    the union of all named graphs (Oxigraph: ``union-default-graph``; Fuseki with
    TDB: ``default-graph-uri=urn:x-arq:UnionGraph``); GraphDB and Virtuoso query all
    graphs by default when a query names no dataset, so they need none.
    """

    query: str
    update: str | None = None
    gsp: str | None = None
    kind: str = "generic"
    union_params: tuple[tuple[str, str], ...] = ()
    user: str | None = field(default=None, repr=False)
    password: str | None = field(default=None, repr=False)
    timeout: float = DEFAULT_TIMEOUT

    @classmethod
    def for_kind(cls, kind: str, base: str) -> Endpoints:
        """Endpoints of a server of ``kind`` whose root / dataset / repository URL is ``base``."""
        base = base.rstrip("/")
        if kind == "oxigraph":
            return cls(f"{base}/query", f"{base}/update", f"{base}/store", kind,
                       (("union-default-graph", ""),))
        if kind == "fuseki":
            return cls(f"{base}/query", f"{base}/update", f"{base}/data", kind,
                       (("default-graph-uri", FUSEKI_UNION_GRAPH),))
        if kind == "graphdb":
            return cls(base, f"{base}/statements", f"{base}/rdf-graphs/service", kind)
        if kind == "virtuoso":
            sparql = base if base.endswith("/sparql") else f"{base}/sparql"
            return cls(sparql, sparql, None, kind)
        if kind == "generic":
            update = base[: -len("/query")] + "/update" if base.endswith("/query") else base
            return cls(base, update, None, kind)
        raise StoreError(f"unknown SPARQL server kind {kind!r}: use one of {', '.join(KINDS)}")

    @classmethod
    def for_url(cls, url: str, *, kind: str | None = None,
                env: Mapping[str, str] | None = None) -> Endpoints:
        """Endpoints for a ``--store`` URL, with the overrides described in the module docs."""
        env = os.environ if env is None else env
        config = _read_config(env.get("KG_REMOTE_CONFIG"))
        scheme, rest = url.split("://", 1) if "://" in url else ("http", url)
        if "+" in scheme:
            url_kind, scheme = scheme.split("+", 1)
        else:
            url_kind = None
        base, _, fragment = f"{scheme}://{rest}".partition("#")
        if fragment.startswith("kind="):
            fragment = fragment[5:]
        kind = (kind or url_kind or fragment or env.get("KG_REMOTE_KIND") or config.get("kind")
                or _guess_kind(base))
        kind = str(kind).lower()
        endpoints = cls.for_kind(kind, base)
        changes: dict[str, Any] = {}
        for key in ("query", "update", "gsp"):
            name = f"KG_REMOTE_{key.upper()}"
            value = env[name] if name in env else config.get(key)
            if value is not None:
                changes[key] = str(value) or None  # an empty value switches an endpoint off
        union = config.get("union")
        if union is False:
            changes["union_params"] = ()
        elif isinstance(union, Mapping):
            changes["union_params"] = tuple((str(k), str(v)) for k, v in union.items())
        user = env.get("KG_REMOTE_USER") or config.get("user")
        password = env.get("KG_REMOTE_PASSWORD") or config.get("password")
        if user:
            changes["user"], changes["password"] = str(user), str(password or "")
        timeout = env.get("KG_REMOTE_TIMEOUT") or config.get("timeout")
        if timeout:
            try:
                changes["timeout"] = float(timeout)
            except ValueError as err:
                raise StoreError("KG_REMOTE_TIMEOUT / timeout must be a number of seconds, "
                                 f"not {timeout!r}") from err
        return replace(endpoints, **changes) if changes else endpoints


def _guess_kind(base: str) -> str:
    path = urllib.parse.urlsplit(base).path.rstrip("/")
    if re.search(r"/repositories/[^/]+$", path):
        return "graphdb"
    if path.endswith(("/sparql", "/query")):
        return "generic"  # one endpoint for queries (and updates, if it takes them)
    return "oxigraph"


def _read_config(path: str | None) -> dict[str, Any]:
    if not path:
        return {}
    file = Path(path)
    try:
        text = file.read_text(encoding="utf-8")
    except OSError as err:
        raise StoreError(f"cannot read KG_REMOTE_CONFIG file {path}: {err.strerror or err}") from err
    try:
        if file.suffix.lower() == ".json":
            data = json.loads(text)
        else:
            import tomllib

            data = tomllib.loads(text)
    except ValueError as err:  # JSONDecodeError and TOMLDecodeError both are ValueErrors
        raise StoreError(f"KG_REMOTE_CONFIG file {path} is not valid {file.suffix or 'TOML'}: {err}") from err
    if not isinstance(data, dict):
        raise StoreError(f"KG_REMOTE_CONFIG file {path} must hold a table of settings")
    # a [remote] table is accepted as well as top-level keys
    remote = data.get("remote")
    return dict(remote) if isinstance(remote, dict) else data


def _check_iri(iri: str) -> str:
    if not iri or _BAD_IRI.search(iri) or ":" not in iri:
        raise StoreError(f"not an absolute IRI usable as a graph name: {iri!r}")
    return iri


class _Http:
    """The few HTTP calls a remote store makes, with errors turned into StoreError / QueryError."""

    def __init__(self, endpoints: Endpoints, display: str) -> None:
        self.endpoints = endpoints
        self.display = display
        headers = {"User-Agent": "geokg"}
        if endpoints.user:
            token = base64.b64encode(f"{endpoints.user}:{endpoints.password or ''}".encode()).decode()
            headers["Authorization"] = f"Basic {token}"
        self.headers = headers

    def request(self, method: str, url: str, *, body: bytes | None = None,
                headers: Mapping[str, str] | None = None, timeout: float | None = None,
                error: type[Exception] = StoreError, what: str = "request",
                ok_missing: bool = False) -> tuple[int, bytes, str]:
        """Send one request; returns (status, body, content type). 404 is returned when ``ok_missing``."""
        all_headers = dict(self.headers)
        all_headers.update(headers or {})
        req = urllib.request.Request(url, data=body, method=method, headers=all_headers)
        limit = timeout if timeout is not None else self.endpoints.timeout
        deadline = time.monotonic() + limit
        try:
            with urllib.request.urlopen(req, timeout=limit) as response:
                # the socket timeout bounds each read; the deadline bounds the whole answer
                chunks = []
                while chunk := response.read(1 << 16):
                    chunks.append(chunk)
                    if time.monotonic() > deadline:
                        raise TimeoutError
                return response.status, b"".join(chunks), response.headers.get("Content-Type", "")
        except urllib.error.HTTPError as err:
            payload = err.read()
            if ok_missing and err.code == 404:
                return 404, payload, err.headers.get("Content-Type", "")
            message = self._http_message(err.code, err.reason, payload, what)
            if err.code == 404:
                error = StoreError
                message += (f" — is {url.split('?', 1)[0]} the right endpoint? Check --store and the "
                            f"server kind ({self.endpoints.kind}; see docs/remote-stores.md)")
            elif err.code in (401, 403):
                error = StoreError
                message += " — set KG_REMOTE_USER and KG_REMOTE_PASSWORD if the server needs a login"
            exc = error(message)
            exc.status = err.code  # type: ignore[attr-defined]  # lets callers fall back on 404/405/415
            raise exc from err
        except urllib.error.URLError as err:
            reason = err.reason
            if isinstance(reason, TimeoutError | socket.timeout):
                raise error(f"{what} timed out after {limit:g}s at {self.display}") from err
            if isinstance(reason, ConnectionRefusedError | socket.gaierror | ConnectionResetError):
                raise StoreError(
                    f"no SPARQL server answers at {self.display} — start it or check --store ({reason})"
                ) from err
            raise StoreError(f"cannot reach the SPARQL server at {self.display}: {reason}") from err
        except TimeoutError as err:
            raise error(f"{what} timed out after {limit:g}s at {self.display}") from err
        except (ConnectionError, OSError) as err:
            raise StoreError(f"connection to the SPARQL server at {self.display} failed: {err}") from err

    def _http_message(self, code: int, reason: str, payload: bytes, what: str) -> str:
        text = payload.decode("utf-8", "replace").strip()
        if "<html" in text[:200].lower():  # keep the message readable: drop markup from HTML error pages
            text = re.sub(r"<[^>]+>", " ", text)
        text = re.sub(r"\s+", " ", text)[:600]
        return f"{what} refused by the SPARQL server at {self.display} (HTTP {code} {reason})" + (
            f": {text}" if text else ""
        )


class RemoteStore(Store):
    """Article graphs on a SPARQL server; see the module docstring.

    Args:
        endpoints: where the server takes queries, updates and Graph Store requests.
        location: the ``--store`` URL as the user gave it (for messages).

    Examples:
        >>> store = RemoteStore.from_url("http://127.0.0.1:7878")
        >>> store
        <RemoteStore oxigraph http://127.0.0.1:7878>
    """

    def __init__(self, endpoints: Endpoints, location: str | None = None) -> None:
        self.endpoints = endpoints
        self.location = location or endpoints.query
        self.read_only = endpoints.update is None and endpoints.gsp is None
        self._http = _Http(endpoints, self.location)
        # switched off after the server refuses a Graph Store request it does not support
        self._gsp_writes = endpoints.gsp is not None
        self._gsp_reads = endpoints.gsp is not None
        self._closed = False

    @classmethod
    def from_url(cls, url: str, *, kind: str | None = None,
                 env: Mapping[str, str] | None = None) -> RemoteStore:
        """A store on the server at ``url`` (see :meth:`Endpoints.for_url` for kinds and overrides)."""
        endpoints = Endpoints.for_url(url, kind=kind, env=env)
        display = url.split("#", 1)[0]
        if "+" in display.split("://", 1)[0]:
            display = display.split("+", 1)[1]
        return cls(endpoints, display.rstrip("/") or display)

    def __repr__(self) -> str:
        return f"<RemoteStore {self.endpoints.kind} {self.location}>"

    def close(self) -> None:
        self._closed = True

    def _check_open(self) -> None:
        if self._closed:
            raise StoreError(f"the store {self.location} is closed")

    # -- low level ----------------------------------------------------------------
    def ping(self) -> None:
        """Ask the server a trivial query; raises StoreError when it does not answer."""
        self._raw_query("ASK {}", accept="application/sparql-results+json", timeout=10)

    def update(self, sparql_update: str, *, what: str = "update") -> None:
        """Send one SPARQL update request (one transaction on servers that have them).

        This bypasses :func:`kg.sparql.check_query` on purpose: it is how the store
        writes, and is not exposed to users' query strings.
        """
        self._check_open()
        if self.endpoints.update is None:
            raise StoreError(f"the SPARQL server at {self.location} has no update endpoint configured "
                             "(set KG_REMOTE_UPDATE) — it is read-only for geokg")
        body = urllib.parse.urlencode({"update": sparql_update}).encode("utf-8")
        self._http.request("POST", self.endpoints.update, body=body, what=what,
                           headers={"Content-Type": "application/x-www-form-urlencoded; charset=utf-8"})

    def _raw_query(self, sparql: str, *, accept: str, timeout: float | None = None) -> tuple[bytes, str]:
        self._check_open()
        params = [("query", sparql), *self.endpoints.union_params]
        body = urllib.parse.urlencode(params).encode("utf-8")
        _status, payload, ctype = self._http.request(
            "POST", self.endpoints.query, body=body, timeout=timeout, error=QueryError, what="query",
            headers={"Content-Type": "application/x-www-form-urlencoded; charset=utf-8", "Accept": accept},
        )
        return payload, ctype

    # -- writing ---------------------------------------------------------------
    def replace_article(self, article_iri: str, graph: rdflib.Graph) -> None:
        self._check_open()
        g = _check_iri(str(article_iri))
        self._replace_ntriples(g, _ntriples(graph, g))

    def replace_article_ntriples(self, article_iri: str, ntriples: str) -> None:
        """The server parses the text itself (``kg ingest --workers`` sends N-Triples)."""
        self._check_open()
        self._replace_ntriples(str(article_iri), ntriples)

    def _replace_ntriples(self, article_iri: str, ntriples: str, count: int = 0) -> int:
        """Replace the article's graph by these N-Triples in one request; returns ``count``."""
        self._check_open()
        g = _check_iri(article_iri)
        if not ntriples.strip():
            # an article without triples is no article (as in the embedded store)
            self.update(f"DROP SILENT GRAPH <{g}>", what=f"removing {g}")
            return count
        if self._gsp_writes:
            assert self.endpoints.gsp is not None
            url = _with_params(self.endpoints.gsp, {"graph": g})
            try:
                self._http.request("PUT", url, body=ntriples.encode("utf-8"), what=f"writing {g}",
                                   headers={"Content-Type": "application/n-triples; charset=utf-8"})
                return count
            except StoreError as err:
                if getattr(err, "status", None) not in (404, 405, 415, 501) or self.endpoints.update is None:
                    raise
                self._gsp_writes = False  # no usable Graph Store endpoint: use SPARQL update from now on
        self.update(f"DROP SILENT GRAPH <{g}> ;\nINSERT DATA {{ GRAPH <{g}> {{\n{ntriples}}} }}",
                    what=f"writing {g}")
        return count

    def remove_article(self, article_iri: str) -> bool:
        self._check_open()
        g = _check_iri(str(article_iri))
        payload, _ = self._raw_query(f"ASK {{ GRAPH <{g}> {{ ?s ?p ?o }} }}",
                                     accept="application/sparql-results+json")
        existed = bool(_json(payload, self.location).get("boolean"))
        if self.endpoints.update is not None:
            self.update(f"DROP SILENT GRAPH <{g}>", what=f"removing {g}")
        elif self.endpoints.gsp is not None:
            self._http.request("DELETE", _with_params(self.endpoints.gsp, {"graph": g}),
                               what=f"removing {g}", ok_missing=True)
        else:
            raise StoreError(f"the SPARQL server at {self.location} has no update endpoint configured")
        return existed

    # -- reading ---------------------------------------------------------------
    def query(self, sparql: str, *, timeout: float | None = None,
              max_rows: int | None = None) -> QueryResult:
        from .sparql import check_query

        text = check_query(sparql)
        return self._evaluate(text, timeout=timeout, max_rows=max_rows)

    def _evaluate(self, text: str, *, timeout: float | None, max_rows: int | None) -> QueryResult:
        from .sparql import QueryResult

        if timeout is not None and timeout <= 0:
            raise QueryError("--timeout must be a positive number of seconds")
        if max_rows is not None and max_rows < 0:
            raise QueryError("--max-rows must be zero or more")
        kind = _query_kind(text)
        accept = "application/n-triples" if kind == "graph" else "application/sparql-results+json"
        start = time.perf_counter()
        try:
            payload, ctype = self._raw_query(text, accept=accept, timeout=timeout)
        except QueryError as err:
            if timeout is not None and "timed out" in str(err):
                # nothing arrived in time: an empty answer, flagged as incomplete
                return QueryResult(kind=kind, truncated=True, reason="timeout",
                                   elapsed=time.perf_counter() - start, limit=timeout)
            raise
        elapsed = time.perf_counter() - start
        if kind == "graph":
            triples = _parse_ntriples(payload, ctype, self.location)
            more = max_rows is not None and len(triples) > max_rows
            return QueryResult(kind="graph", triples=tuple(triples[:max_rows] if more else triples),
                               truncated=more, reason="max_rows" if more else None, elapsed=elapsed,
                               limit=max_rows if more else None)
        data = _json(payload, self.location)
        if "boolean" in data:
            return QueryResult(kind="ask", boolean=bool(data["boolean"]), elapsed=elapsed)
        variables = tuple(str(v) for v in data.get("head", {}).get("vars", []))
        bindings = data.get("results", {}).get("bindings", [])
        more = max_rows is not None and len(bindings) > max_rows
        if more:
            bindings = bindings[:max_rows]
        conv = _RdflibTerms()
        rows = tuple(tuple(conv(b.get(v)) for v in variables) for b in bindings)
        return QueryResult(kind="select", variables=variables, rows=rows, truncated=more,
                           reason="max_rows" if more else None, elapsed=elapsed,
                           limit=max_rows if more else None)

    def dump(self, out: BinaryIO, format: str) -> None:
        from .store import DUMP_FORMATS, EmbeddedStore

        if format not in DUMP_FORMATS:
            raise StoreError(f"unknown format {format!r}; choose one of {', '.join(DUMP_FORMATS)}")
        # The server's named graphs are copied into a throw-away in-memory Oxigraph
        # store, whose dump writes every format exactly as the embedded store does.
        import pyoxigraph as ox

        nquads = self._fetch_nquads()
        memory = EmbeddedStore.in_memory()
        try:
            memory.oxigraph.load(nquads, format=ox.RdfFormat.N_QUADS)
            memory.oxigraph.clear_graph(ox.DefaultGraph())  # geokg keeps nothing there
        except SyntaxError as err:
            raise StoreError(f"the SPARQL server at {self.location} sent unreadable N-Quads: {err}") from err
        memory.dump(out, format)
        memory.close()

    def _fetch_nquads(self) -> bytes:
        """The server's dataset as N-Quads."""
        if self._gsp_reads and self.endpoints.kind == "oxigraph":
            assert self.endpoints.gsp is not None
            try:
                _s, payload, _c = self._http.request(
                    "GET", self.endpoints.gsp, headers={"Accept": "application/n-quads"},
                    what="reading the whole dataset")
                return payload
            except StoreError as err:
                if getattr(err, "status", None) not in (404, 405, 406, 415, 501):
                    raise
                self._gsp_reads = False
        payload, _ = self._raw_query(
            "SELECT ?s ?p ?o ?g WHERE { GRAPH ?g { ?s ?p ?o } }",
            accept="application/sparql-results+json")
        return _bindings_to_nquads(_json(payload, self.location))


# ----------------------------------------------------------------------------
# copying a store to a server


@dataclass(frozen=True)
class PushReport:
    """What :func:`push` copied: article IRIs, triples written, seconds taken."""

    articles: tuple[str, ...]
    triples: int
    seconds: float


def article_graph(store: Store, article_iri: str) -> rdflib.Graph:
    """The triples of one article graph as an rdflib Graph (works on any store)."""
    import rdflib

    from .sparql import sparql_iri

    g = sparql_iri(article_iri)
    result = store.query(f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ GRAPH {g} {{ ?s ?p ?o }} }}")
    graph = rdflib.Graph()
    for triple in result.triples:
        graph.add(triple)
    return graph


def push(source: Store, target: Store, *,
         progress: Callable[[str, int], None] | None = None) -> PushReport:
    """Copy every article graph of ``source`` into ``target``, one article per write.

    Each article replaces the graph of the same name on the target (so pushing
    twice gives no duplicates); target articles that the source does not have
    are left alone. Stops at the first failure, raising it: the articles copied
    until then stay copied.

    Args:
        source: usually the embedded store.
        target: usually a :class:`RemoteStore`.
        progress: called with each article IRI and its triple count once written.
    """
    started = time.perf_counter()
    if isinstance(target, RemoteStore):
        target.ping()  # a clear "no server" error before any work
    done: list[str] = []
    triples = 0
    # embedded -> server: N-Triples straight from Oxigraph, without rdflib in between
    direct = isinstance(target, RemoteStore) and hasattr(source, "oxigraph")
    for info in source.articles():
        if direct:
            count = target._replace_ntriples(info.iri, *_oxigraph_ntriples(source, info.iri))
        else:
            graph = article_graph(source, info.iri)
            target.replace_article(info.iri, graph)
            count = len(graph)
        done.append(info.iri)
        triples += count
        if progress is not None:
            progress(info.iri, count)
    return PushReport(tuple(done), triples, time.perf_counter() - started)


def _oxigraph_ntriples(source: Any, article_iri: str) -> tuple[str, int]:
    import pyoxigraph as ox

    quads = source.oxigraph.quads_for_pattern(None, None, None, ox.NamedNode(article_iri))
    triples = [q.triple for q in quads]
    return ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES).decode("utf-8"), len(triples)


# ----------------------------------------------------------------------------
# helpers


def _with_params(url: str, params: Mapping[str, str]) -> str:
    sep = "&" if "?" in url else "?"
    return url + sep + urllib.parse.urlencode(params)


def _json(payload: bytes, where: str) -> dict[str, Any]:
    try:
        data = json.loads(payload.decode("utf-8"))
    except (UnicodeDecodeError, ValueError) as err:
        raise StoreError(f"the SPARQL server at {where} sent an unreadable JSON answer: {err}") from err
    if not isinstance(data, dict):
        raise StoreError(f"the SPARQL server at {where} sent JSON that is not a SPARQL result")
    return data


def _ntriples(graph: Any, graph_name: str) -> str:
    """N-Triples of an article graph, written as the embedded store would store it."""
    import pyoxigraph as ox

    from .store import _nt_triples, _ToOx

    try:
        quads = _ToOx().quads(graph, ox.NamedNode(graph_name))
    except (ValueError, TypeError) as err:
        raise StoreError(f"cannot store the graph of {graph_name}: {err}") from err
    return _nt_triples(ox, quads)


def _ox_term(binding: Mapping[str, Any]) -> Any:
    """A pyoxigraph term from one SPARQL JSON result binding."""
    import pyoxigraph as ox

    kind = binding.get("type")
    value = str(binding.get("value", ""))
    if kind == "uri":
        return ox.NamedNode(value)
    if kind == "bnode":
        from .store import _bnode_id

        return ox.BlankNode(_bnode_id(value))
    if kind in ("literal", "typed-literal"):
        lang = binding.get("xml:lang")
        if lang:
            return ox.Literal(value, language=str(lang))
        datatype = binding.get("datatype")
        if datatype:
            return ox.Literal(value, datatype=ox.NamedNode(str(datatype)))
        return ox.Literal(value)
    raise StoreError(f"unsupported term in a SPARQL JSON result: {binding!r}")


def _bindings_to_nquads(data: Mapping[str, Any]) -> bytes:
    import pyoxigraph as ox

    quads = []
    for row in data.get("results", {}).get("bindings", []):
        try:
            quads.append(ox.Quad(_ox_term(row["s"]), _ox_term(row["p"]), _ox_term(row["o"]),
                                 _ox_term(row["g"])))
        except (KeyError, ValueError, TypeError) as err:
            raise StoreError(f"unexpected row in a SPARQL JSON result: {row!r} ({err})") from err
    return bytes(ox.serialize(quads, format=ox.RdfFormat.N_QUADS) or b"")


def _query_kind(text: str) -> str:
    """``select``, ``ask`` or ``graph`` from the query's first keyword (text already checked)."""
    from .sparql import _FIRST_WORD, _skeleton

    match = _FIRST_WORD.search(_skeleton(text))
    word = match.group(1).upper() if match else "SELECT"
    return {"ASK": "ask", "CONSTRUCT": "graph", "DESCRIBE": "graph"}.get(word, "select")


class _RdflibTerms:
    """rdflib terms from SPARQL JSON bindings, as :func:`kg.sparql.from_ox` builds them."""

    def __init__(self) -> None:
        self._iris: dict[str, Any] = {}

    def __call__(self, binding: Mapping[str, Any] | None) -> Any:
        if binding is None:
            return None
        from rdflib import BNode, Literal, URIRef

        kind = binding.get("type")
        value = str(binding.get("value", ""))
        if kind == "uri":
            node = self._iris.get(value)
            if node is None:
                node = self._iris[value] = URIRef(value)
            return node
        if kind == "bnode":
            return BNode(value)
        if kind in ("literal", "typed-literal"):
            lang = binding.get("xml:lang")
            if lang:
                return Literal(value, lang=str(lang))
            datatype = binding.get("datatype")
            if datatype and datatype != "http://www.w3.org/2001/XMLSchema#string":
                return Literal(value, datatype=URIRef(str(datatype)))
            return Literal(value)
        # RDF 1.2 triple terms and anything else: shown as text, as from_ox does
        return str(value)


def _parse_ntriples(payload: bytes, ctype: str, where: str) -> list[tuple[Any, Any, Any]]:
    import pyoxigraph as ox

    from .sparql import from_ox

    fmt = ox.RdfFormat.from_media_type(ctype.split(";")[0].strip()) if ctype else None
    try:
        triples = ox.parse(payload, format=fmt or ox.RdfFormat.N_TRIPLES)
        return [(from_ox(t.subject), from_ox(t.predicate), from_ox(t.object)) for t in triples]
    except (SyntaxError, ValueError) as err:
        raise StoreError(f"the SPARQL server at {where} sent an unreadable graph ({ctype}): {err}") from err
