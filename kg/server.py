"""``kg serve``: a read-only SPARQL 1.1 Protocol endpoint and HTML view over a store.

Routes (standard library :class:`http.server.ThreadingHTTPServer`, one thread per
request):

``GET|POST /sparql``
    SPARQL 1.1 Protocol query operation: ``GET ?query=…``, ``POST`` with
    ``application/x-www-form-urlencoded`` (``query=…``) or with
    ``application/sparql-query`` (the query as the body). The query runs over
    the union of the article graphs (as ``kg query`` does), guarded by
    :func:`kg.sparql.check_query`.

    * SELECT/ASK answer as SPARQL JSON (default), XML, CSV or TSV; CONSTRUCT/
      DESCRIBE as Turtle (default), N-Triples, RDF/XML or JSON-LD. Chosen by the ``Accept`` header
      or by ``?format=`` (``json``, ``xml``, ``csv``, ``tsv``; ``turtle``,
      ``ntriples``, ``rdfxml``, ``jsonld``; or a media type), which wins. For
      CONSTRUCT, ``format=xml``/``json`` mean RDF/XML/JSON-LD (SPARQLWrapper's usage).
    * Updates (``application/sparql-update`` bodies, an ``update=`` field, or an
      update in ``query=``) get **403**; ``SERVICE``/``LOAD``, syntax errors
      (message with line and column), unknown formats and dataset parameters
      (``default-graph-uri``/``named-graph-uri``) get **400**.
    * Each query has a time limit (``--timeout``) and a row cap (``--max-rows``).
      An answer cut short by either is flagged, never passed off as complete:
      header ``X-GeoKG-Truncated: true`` plus ``X-GeoKG-Truncated-Reason``
      (``timeout`` or ``max_rows``) on every format; in SPARQL JSON also a
      top-level member ``"geokg": {"truncated": true, "reason": …, "limit": …}``;
      in SPARQL XML a ``<link href="urn:geokg:truncated:REASON"/>`` in ``<head>``.
      An ASK that timed out has no answer and gets **503**.

``GET /``
    The interactive HTML view (:func:`kg.view.build_html` of
    :func:`kg.analysis.project`), built on request; ``?article=``, ``?focus=``,
    ``?depth=`` and ``?top=`` select a part as ``kg view`` does.

``GET /ontology``
    The geokg ontology (``ontology/geokg.ttl``) as Turtle, or N-Triples / JSON-LD /
    RDF/XML by ``Accept``.

Examples:
    >>> from kg.store import EmbeddedStore
    >>> with serve_in_thread(EmbeddedStore.in_memory(), port=0, quiet=True) as server:
    ...     server.url.startswith("http://127.0.0.1:")
    True
"""

from __future__ import annotations

import contextlib
import json
import signal
import sys
import threading
import time
import urllib.parse
from collections.abc import Iterator
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import TYPE_CHECKING, Any

from .errors import KGError, NotFoundError, QueryError, StoreError

if TYPE_CHECKING:
    from .sparql import QueryResult
    from .store import Store

__all__ = [
    "DEFAULT_HOST", "DEFAULT_PORT", "SparqlServer", "make_server", "serve", "serve_in_thread",
    "TRUNCATED_HEADER",
]

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 8000
TRUNCATED_HEADER = "X-GeoKG-Truncated"
MAX_BODY = 1 << 20  # a query larger than 1 MiB is refused (413)

# format name -> media type; SELECT/ASK formats first, then graph formats
RESULT_MEDIA = {
    "json": "application/sparql-results+json",
    "xml": "application/sparql-results+xml",
    "csv": "text/csv",
    "tsv": "text/tab-separated-values",
}
GRAPH_MEDIA = {
    "turtle": "text/turtle",
    "ntriples": "application/n-triples",
    "rdfxml": "application/rdf+xml",
    "jsonld": "application/ld+json",
}
# other names and media types clients send (SPARQLWrapper sends format=json|xml|csv|tsv|turtle|n3…)
_RESULT_ALIASES = {
    "json": "json", "application/sparql-results+json": "json", "application/json": "json",
    "text/javascript": "json", "application/javascript": "json",
    "xml": "xml", "application/sparql-results+xml": "xml", "application/xml": "xml", "text/xml": "xml",
    "csv": "csv", "text/csv": "csv",
    "tsv": "tsv", "text/tab-separated-values": "tsv",
}
_GRAPH_ALIASES = {
    "turtle": "turtle", "ttl": "turtle", "n3": "turtle", "text/turtle": "turtle", "text/n3": "turtle",
    "application/x-turtle": "turtle",
    "ntriples": "ntriples", "nt": "ntriples", "n-triples": "ntriples", "application/n-triples": "ntriples",
    "text/plain": "ntriples",
    # SPARQLWrapper sends format=xml (its default) or json for CONSTRUCT too
    "xml": "rdfxml", "rdf": "rdfxml", "rdf+xml": "rdfxml", "rdfxml": "rdfxml",
    "application/rdf+xml": "rdfxml",
    "json": "jsonld", "json-ld": "jsonld", "jsonld": "jsonld", "application/ld+json": "jsonld",
    "application/json": "jsonld",
}
# the ontology: media type -> rdflib serializer name
_ONTOLOGY_MEDIA = {
    "text/turtle": "turtle",
    "application/n-triples": "nt",
    "application/ld+json": "json-ld",
    "application/rdf+xml": "xml",
}


class SparqlServer(ThreadingHTTPServer):
    """The HTTP server: a store, limits, and a lock-free request handler per thread.

    Attributes:
        store: the store queries run on (shared by all request threads).
        timeout: seconds a query may run; max_rows: rows (or triples) per answer.
        url: ``http://host:port`` the server listens on.
    """

    daemon_threads = True
    allow_reuse_address = True
    # Allow a backlog of concurrent clients (socketserver's default is 5).
    request_queue_size = 64

    def __init__(self, address: tuple[str, int], store: Store, *, timeout: float = 30.0,
                 max_rows: int = 10_000, quiet: bool = False, view_ttl: float = 30.0) -> None:
        super().__init__(address, _Handler)
        self.store = store
        self.query_timeout = timeout
        self.max_rows = max_rows
        self.quiet = quiet
        self.view_ttl = view_ttl
        self._projection: tuple[float, Any] | None = None
        self._projection_lock = threading.Lock()

    @property
    def url(self) -> str:
        host, port = self.server_address[:2]
        shown = f"[{host}]" if ":" in str(host) else host
        return f"http://{shown}:{port}"

    def projection(self) -> Any:
        """The store projected for the HTML view, rebuilt at most every ``view_ttl`` seconds."""
        with self._projection_lock:
            now = time.monotonic()
            if self._projection is None or now - self._projection[0] > self.view_ttl:
                from .analysis import project

                self._projection = (now, project(self.store.to_dataset()))
            return self._projection[1]


def make_server(store: Store, host: str = DEFAULT_HOST, port: int = DEFAULT_PORT, *,
                timeout: float = 30.0, max_rows: int = 10_000, quiet: bool = False) -> SparqlServer:
    """A ready, not yet serving, :class:`SparqlServer` (``port=0`` picks a free port).

    Raises:
        StoreError: the address cannot be bound (in use, or not an address of this host).
    """
    if timeout <= 0:
        raise QueryError("--timeout must be a positive number of seconds")
    if max_rows < 0:
        raise QueryError("--max-rows must be zero or more")
    try:
        return SparqlServer((host, port), store, timeout=timeout, max_rows=max_rows, quiet=quiet)
    except OSError as err:
        raise StoreError(f"cannot listen on {host}:{port}: {err.strerror or err} — "
                         "pick another --port, or stop what uses it") from err


def serve(store: Store, host: str = DEFAULT_HOST, port: int = DEFAULT_PORT, *, timeout: float = 30.0,
          max_rows: int = 10_000, quiet: bool = False) -> None:
    """Serve until Ctrl-C (or SIGTERM turned into KeyboardInterrupt), then shut down cleanly."""
    server = make_server(store, host, port, timeout=timeout, max_rows=max_rows, quiet=quiet)
    previous = None
    if threading.current_thread() is threading.main_thread():
        # `kill PID` stops the server as cleanly as Ctrl-C does
        previous = signal.signal(signal.SIGTERM, _interrupt)
    _log(f"geokg SPARQL endpoint: {server.url}/sparql  (view: {server.url}/ , ontology: "
         f"{server.url}/ontology) — Ctrl-C to stop")
    try:
        server.serve_forever(poll_interval=0.25)
    except KeyboardInterrupt:
        _log("stopping")
    finally:
        server.server_close()
        if previous is not None:
            signal.signal(signal.SIGTERM, previous)


def _interrupt(signum: int, frame: Any) -> None:
    raise KeyboardInterrupt


@contextlib.contextmanager
def serve_in_thread(store: Store, host: str = DEFAULT_HOST, port: int = 0, *, timeout: float = 30.0,
                    max_rows: int = 10_000, quiet: bool = True) -> Iterator[SparqlServer]:
    """Run a server in a background thread for the ``with`` block (tests, notebooks, benchmarks)."""
    server = make_server(store, host, port, timeout=timeout, max_rows=max_rows, quiet=quiet)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05},
                              name="kg-serve", daemon=True)
    thread.start()
    try:
        yield server
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


def _log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


class _Reply(Exception):
    """Raised inside a handler to answer with an error status and a plain-text message."""

    def __init__(self, status: int, message: str, headers: dict[str, str] | None = None) -> None:
        super().__init__(message)
        self.status = status
        self.message = message
        self.headers = headers or {}


def _accepted(header: str | None) -> list[tuple[str, float]]:
    """Media types of an Accept header, highest q first (order kept among equals)."""
    if not header:
        return []
    items = []
    for index, part in enumerate(header.split(",")):
        fields = [f.strip() for f in part.split(";")]
        media = fields[0].lower()
        if not media:
            continue
        q = 1.0
        for f in fields[1:]:
            if f.lower().startswith("q="):
                try:
                    q = float(f[2:])
                except ValueError:
                    q = 0.0
        if q > 0:
            items.append((media, q, index))
    items.sort(key=lambda t: (-t[1], t[2]))
    return [(m, q) for m, q, _ in items]


def _negotiate(accept: str | None, choices: dict[str, str], aliases: dict[str, str], default: str) -> str:
    """The format name to answer in, from an Accept header (``default`` for */* or nothing usable)."""
    for media, _q in _accepted(accept):
        if media in aliases and aliases[media] in choices:
            return aliases[media]
        if media in ("*/*", "application/*", "text/*"):
            return default
    return default


def _is_update(text: str) -> bool:
    """True when ``text`` is a SPARQL update rather than a query (for the 403 answer)."""
    from .sparql import _FIRST_WORD, _QUERY_WORDS, _skeleton

    match = _FIRST_WORD.search(_skeleton(text))
    return match is not None and match.group(1).upper() not in _QUERY_WORDS


class _Handler(BaseHTTPRequestHandler):
    server: SparqlServer
    protocol_version = "HTTP/1.1"
    server_version = "geokg"

    def version_string(self) -> str:
        return self.server_version

    # -- plumbing --------------------------------------------------------------
    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - stdlib signature
        if not self.server.quiet:
            _log(f"{self.address_string()} {format % args}")

    def log_request(self, code: int | str = "-", size: int | str = "-") -> None:
        if self.server.quiet:
            return
        took = (time.perf_counter() - getattr(self, "_started", time.perf_counter())) * 1000
        extra = getattr(self, "_note", "")
        _log(f"{self.address_string()} {self.command} {self.path[:120]} {code} {took:.0f}ms{extra}")

    def _send(self, status: int, body: bytes, media: str, headers: dict[str, str] | None = None) -> None:
        self.send_response(status)
        self.send_header("Content-Type", media)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("X-Content-Type-Options", "nosniff")
        for key, value in (headers or {}).items():
            self.send_header(key, value)
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def _send_error_text(self, status: int, message: str, headers: dict[str, str] | None = None) -> None:
        self._send(status, (message.rstrip("\n") + "\n").encode("utf-8"), "text/plain; charset=utf-8",
                   headers)

    def _dispatch(self) -> None:
        self._started = time.perf_counter()
        self._note = ""
        self._body_read = False
        parts = urllib.parse.urlsplit(self.path)
        path = parts.path.rstrip("/") or "/"
        try:
            if path == "/sparql":
                self._sparql(parts.query)
            elif self.command not in ("GET", "HEAD"):
                raise _Reply(HTTPStatus.METHOD_NOT_ALLOWED, f"{self.command} is not allowed on {path}",
                             {"Allow": "GET, HEAD"})
            elif path == "/":
                self._view(parts.query)
            elif path in ("/ontology", "/geokg/ontology", "/ontology.ttl"):
                self._ontology()
            else:
                raise _Reply(HTTPStatus.NOT_FOUND,
                             f"nothing at {path} — try /sparql (SPARQL endpoint), / (view) or /ontology")
        except _Reply as reply:
            if not self._body_read and self.headers.get("Content-Length", "0") not in ("", "0"):
                self.close_connection = True  # an unread body would be taken for the next request
            self._send_error_text(reply.status, reply.message, reply.headers)
        except (BrokenPipeError, ConnectionResetError):  # the client went away
            self.close_connection = True
        except Exception as err:  # a server must answer every request; log the cause
            _log(f"internal error on {self.command} {self.path[:120]}: {type(err).__name__}: {err}")
            with contextlib.suppress(OSError):
                self._send_error_text(HTTPStatus.INTERNAL_SERVER_ERROR, f"internal error: {err}")

    def do_GET(self) -> None:  # noqa: N802 - stdlib naming
        self._dispatch()

    def do_HEAD(self) -> None:  # noqa: N802
        self._dispatch()

    def do_POST(self) -> None:  # noqa: N802
        self._dispatch()

    def do_PUT(self) -> None:  # noqa: N802
        self._refuse_write()

    def do_DELETE(self) -> None:  # noqa: N802
        self._refuse_write()

    def do_PATCH(self) -> None:  # noqa: N802
        self._refuse_write()

    def _refuse_write(self) -> None:
        self._started = time.perf_counter()
        self._note = ""
        self._body_read = False
        try:
            self._read_body()  # drain it, so the connection stays usable
        except _Reply:
            self.close_connection = True
        self._send_error_text(HTTPStatus.FORBIDDEN,
                              f"{self.command} refused: this geokg endpoint is read-only")

    def _read_body(self) -> bytes:
        length_text = self.headers.get("Content-Length")
        if self.headers.get("Transfer-Encoding", "").lower() == "chunked":
            self.close_connection = True
            raise _Reply(HTTPStatus.LENGTH_REQUIRED, "chunked request bodies are not supported: "
                         "send Content-Length")
        try:
            length = int(length_text) if length_text else 0
        except ValueError:
            self.close_connection = True
            raise _Reply(HTTPStatus.BAD_REQUEST, "invalid Content-Length") from None
        if length > MAX_BODY:
            self.close_connection = True
            raise _Reply(HTTPStatus.REQUEST_ENTITY_TOO_LARGE,
                         f"request body of {length} bytes is larger than {MAX_BODY} bytes")
        self._body_read = True
        return self.rfile.read(length) if length > 0 else b""

    # -- /sparql ---------------------------------------------------------------
    def _sparql_request(self, query_string: str) -> tuple[str | None, dict[str, list[str]]]:
        """The query text and all parameters of a protocol request."""
        params = urllib.parse.parse_qs(query_string, keep_blank_values=True)
        text: str | None = None
        if self.command == "POST":
            body = self._read_body()
            media = self.headers.get("Content-Type", "").split(";")[0].strip().lower()
            if media == "application/sparql-update":
                raise _Reply(HTTPStatus.FORBIDDEN,
                             "SPARQL updates are refused: this geokg endpoint is read-only")
            if media == "application/x-www-form-urlencoded":
                try:
                    form = urllib.parse.parse_qs(body.decode("utf-8"), keep_blank_values=True,
                                                 strict_parsing=False)
                except UnicodeDecodeError:
                    raise _Reply(HTTPStatus.BAD_REQUEST, "the form is not UTF-8") from None
                for key, values in form.items():
                    params.setdefault(key, []).extend(values)
            elif media == "application/sparql-query":
                try:
                    text = body.decode("utf-8")
                except UnicodeDecodeError:
                    raise _Reply(HTTPStatus.BAD_REQUEST, "the query is not UTF-8") from None
            else:
                raise _Reply(HTTPStatus.UNSUPPORTED_MEDIA_TYPE,
                             f"unsupported Content-Type {media or '(none)'!r}: send "
                             "application/x-www-form-urlencoded (query=…) or application/sparql-query")
        elif self.command not in ("GET", "HEAD"):
            raise _Reply(HTTPStatus.METHOD_NOT_ALLOWED, f"{self.command} is not allowed on /sparql",
                         {"Allow": "GET, HEAD, POST"})
        if "update" in params:
            raise _Reply(HTTPStatus.FORBIDDEN, "SPARQL updates are refused: this geokg endpoint is read-only")
        queries = params.get("query", [])
        if text is not None and queries:
            raise _Reply(HTTPStatus.BAD_REQUEST, "give the query once: as the body or as query=, not both")
        if text is None:
            if len(queries) > 1:
                raise _Reply(HTTPStatus.BAD_REQUEST, "more than one query= parameter")
            text = queries[0] if queries else None
        for name in ("default-graph-uri", "named-graph-uri", "using-graph-uri", "using-named-graph-uri"):
            if params.get(name):
                raise _Reply(HTTPStatus.BAD_REQUEST,
                             f"{name} is not supported: queries run over the union of all article "
                             "graphs; select graphs inside the query with GRAPH or FROM")
        return text, params

    def _sparql(self, query_string: str) -> None:
        text, params = self._sparql_request(query_string)
        if text is None or not text.strip():
            if self.command in ("GET", "HEAD") and "text/html" in (self.headers.get("Accept") or ""):
                self._send(HTTPStatus.OK, _form_page(self.server).encode("utf-8"), "text/html; charset=utf-8")
                return
            raise _Reply(HTTPStatus.BAD_REQUEST, "missing query: send ?query=… (GET), a query= form field "
                         "or an application/sparql-query body (POST)")
        if _is_update(text):
            raise _Reply(HTTPStatus.FORBIDDEN, "SPARQL updates are refused: this geokg endpoint is read-only")
        requested = (params.get("format") or params.get("output") or params.get("results") or [None])[0]
        server = self.server
        try:
            result = server.store.query(text, timeout=server.query_timeout, max_rows=server.max_rows)
        except QueryError as err:
            message = str(err)
            if "updates are refused" in message:
                raise _Reply(HTTPStatus.FORBIDDEN, message) from err
            raise _Reply(HTTPStatus.BAD_REQUEST, message) from err
        except StoreError as err:
            raise _Reply(HTTPStatus.BAD_GATEWAY if _is_remote(server.store) else
                         HTTPStatus.SERVICE_UNAVAILABLE, str(err)) from err
        self._answer(result, requested)

    def _answer(self, result: QueryResult, requested: str | None) -> None:
        from .sparql import format_result

        graph = result.kind == "graph"
        choices, aliases = (GRAPH_MEDIA, _GRAPH_ALIASES) if graph else (RESULT_MEDIA, _RESULT_ALIASES)
        default = "turtle" if graph else "json"
        if requested:
            fmt = _requested_format(requested, graph)
        else:
            fmt = _negotiate(self.headers.get("Accept"), choices, aliases, default)
        headers = {"Vary": "Accept"}
        if result.kind == "ask" and result.boolean is None:
            raise _Reply(HTTPStatus.SERVICE_UNAVAILABLE, result.warning or "the query timed out",
                         {TRUNCATED_HEADER: "true", f"{TRUNCATED_HEADER}-Reason": "timeout"})
        body = _graph_body(result, fmt) if fmt in ("rdfxml", "jsonld") else format_result(result, fmt)
        if result.truncated:
            headers[TRUNCATED_HEADER] = "true"
            headers[f"{TRUNCATED_HEADER}-Reason"] = str(result.reason)
            if result.limit is not None:
                headers[f"{TRUNCATED_HEADER}-Limit"] = f"{result.limit:g}"
            body = _flag_truncated(body, fmt, result)
        self._note = f" {len(result)} {'triples' if graph else 'rows'}" + (
            f" TRUNCATED ({result.reason})" if result.truncated else "")
        media = choices[fmt]
        if media.startswith("text/") or fmt in ("ntriples", "json", "jsonld"):
            media += "; charset=utf-8"
        self._send(HTTPStatus.OK, body.encode("utf-8"), media, headers)

    # -- / and /ontology ------------------------------------------------------
    def _view(self, query_string: str) -> None:
        params = {k: v[0] for k, v in urllib.parse.parse_qs(query_string).items()}
        try:
            from .view import build_html, select
        except ImportError:  # pragma: no cover - the view module is optional
            self._send(HTTPStatus.OK, _form_page(self.server).encode("utf-8"), "text/html; charset=utf-8")
            return
        try:
            depth = int(params.get("depth", "1"))
            top = int(params["top"]) if params.get("top") else None
        except ValueError:
            raise _Reply(HTTPStatus.BAD_REQUEST, "depth and top must be whole numbers") from None
        try:
            graph = self.server.projection()
            part, heading = select(graph, article=params.get("article") or None,
                                   focus=params.get("focus") or None, depth=depth, top=top)
            html = build_html(part, heading=heading)
        except NotFoundError as err:
            raise _Reply(HTTPStatus.NOT_FOUND, str(err)) from err
        except KGError as err:
            raise _Reply(HTTPStatus.BAD_REQUEST, str(err)) from err
        self._send(HTTPStatus.OK, html.encode("utf-8"), "text/html; charset=utf-8")

    def _ontology(self) -> None:
        from .resources import ONTOLOGY_FILE, ontology_path

        media = _negotiate(self.headers.get("Accept"), _ONTOLOGY_MEDIA,
                           {m: m for m in _ONTOLOGY_MEDIA} | {"text/n3": "text/turtle",
                                                              "application/json": "application/ld+json"},
                           "text/turtle")
        try:
            path = ontology_path(ONTOLOGY_FILE)
        except NotFoundError as err:
            raise _Reply(HTTPStatus.NOT_FOUND, str(err)) from err
        if media == "text/turtle":
            body = path.read_bytes()
        else:
            from .resources import load_ontology

            body = load_ontology().serialize(format=_ONTOLOGY_MEDIA[media], encoding="utf-8")
        full = media if media == "application/rdf+xml" else f"{media}; charset=utf-8"
        self._send(HTTPStatus.OK, body, full, {"Vary": "Accept"})


def _is_remote(store: Any) -> bool:
    return type(store).__name__ == "RemoteStore"


def _requested_format(requested: str, graph: bool) -> str:
    """The format named by ``?format=`` (a short name or a media type) for this kind of result."""
    key = requested.strip().lower()
    aliases = _GRAPH_ALIASES if graph else _RESULT_ALIASES
    if key in aliases:
        return aliases[key]
    names = ", ".join(GRAPH_MEDIA if graph else RESULT_MEDIA)
    kinds = "CONSTRUCT/DESCRIBE" if graph else "SELECT/ASK"
    raise _Reply(HTTPStatus.BAD_REQUEST, f"format {requested!r} does not fit a {kinds} query: use {names}")


def _graph_body(result: QueryResult, fmt: str) -> str:
    """CONSTRUCT/DESCRIBE triples as RDF/XML or JSON-LD (rdflib's serializers)."""
    import rdflib

    from .sparql import DEFAULT_PREFIXES

    graph = rdflib.Graph()
    for prefix, ns in DEFAULT_PREFIXES.items():
        graph.bind(prefix, ns)
    for triple in result.triples:
        graph.add(triple)
    return str(graph.serialize(format="xml" if fmt == "rdfxml" else "json-ld"))


def _flag_truncated(body: str, fmt: str, result: QueryResult) -> str:
    """Mark an incomplete answer inside the formats that have room for it."""
    if fmt == "json":
        doc = json.loads(body)
        doc["geokg"] = {"truncated": True, "reason": result.reason, "limit": result.limit,
                        "message": result.warning}
        return json.dumps(doc, ensure_ascii=False, indent=1) + "\n"
    if fmt == "xml":
        link = f'    <link href="urn:geokg:truncated:{result.reason}"/>\n'
        return body.replace("  </head>", link + "  </head>", 1)
    if fmt == "turtle":
        return f"# {result.warning}\n" + body
    return body  # CSV, TSV and N-Triples have no place for it: the HTTP header says it


def _form_page(server: SparqlServer) -> str:
    from html import escape

    example = "SELECT ?country ?label WHERE {\n  ?country a gkg:Country ; rdfs:label ?label\n} LIMIT 20"
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>geokg SPARQL endpoint</title>
<meta http-equiv="Content-Security-Policy"
 content="default-src 'none'; style-src 'unsafe-inline'; form-action 'self'">
<style>body{{font-family:sans-serif;max-width:50em;margin:2em auto}}textarea{{width:100%}}</style></head>
<body><h1>geokg SPARQL endpoint</h1>
<p>Read-only SPARQL 1.1 Protocol endpoint over {escape(str(getattr(server.store, "location", "")))}.
Queries run over the union of all article graphs; at most {server.max_rows} rows,
{server.query_timeout:g} s per query.</p>
<form action="/sparql" method="post">
<textarea name="query" rows="10">{escape(example)}</textarea>
<p><label>Format <select name="format"><option>json</option><option>xml</option><option>csv</option>
<option>tsv</option></select></label> <button type="submit">Run</button></p></form>
<ul><li><a href="/">graph view</a></li><li><a href="/ontology">ontology (Turtle)</a></li></ul>
</body></html>
"""
