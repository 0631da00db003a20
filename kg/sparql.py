"""SPARQL for geokg: the read-only guard, query results and their formats.

:func:`check_query` is the guard every store runs before evaluating a query:
it refuses updates (use ``kg ingest`` / ``kg remove``), ``SERVICE`` (no
federated calls from a local tool) and ``LOAD``, reports syntax errors with the
line and column, and adds the default prefixes the query does not declare.
:class:`QueryResult` is what :meth:`kg.store.Store.query` returns, and
:func:`format_result` writes it as an aligned table, CSV, TSV, W3C SPARQL
JSON/XML results, or Turtle/N-Triples for ``CONSTRUCT``/``DESCRIBE``.

A result cut short by a timeout or ``max_rows`` has ``truncated=True`` and a
``reason``; the CLI then warns on stderr and exits with status 3.

Examples:
    >>> text = check_query("SELECT ?c WHERE { ?c a gkg:Country }")
    >>> text.splitlines()[0]
    'PREFIX gkg: <https://w3id.org/geokg/ontology#>'
    >>> try:
    ...     check_query("DROP ALL")
    ... except QueryError as err:
    ...     print(str(err)[:60])
    SPARQL updates are refused: `kg query` is read-only — add ar
"""

from __future__ import annotations

import csv
import functools
import io
import json
import queue
import re
import threading
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any
from xml.sax.saxutils import escape as _xml_escape
from xml.sax.saxutils import quoteattr as _xml_attr

from .errors import QueryError

__all__ = [
    "DEFAULT_PREFIXES", "QueryResult", "check_query", "format_result", "evaluate_oxigraph",
    "RESULT_FORMATS", "GRAPH_FORMATS", "from_ox", "sparql_iri", "sparql_literal", "stats_queries",
]

DEFAULT_PREFIXES: dict[str, str] = {
    "gkg": "https://w3id.org/geokg/ontology#",
    "id": "https://w3id.org/geokg/id/",
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
    "skos": "http://www.w3.org/2004/02/skos/core#",
    "prov": "http://www.w3.org/ns/prov#",
    "dcterms": "http://purl.org/dc/terms/",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
    "owl": "http://www.w3.org/2002/07/owl#",
}

RESULT_FORMATS = ("table", "csv", "tsv", "json", "xml")
GRAPH_FORMATS = ("turtle", "ntriples")

_XSD = "http://www.w3.org/2001/XMLSchema#"
_XSD_STRING = _XSD + "string"
_RDF_LANGSTRING = "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString"

_UPDATE_WORDS = ("INSERT", "DELETE", "DROP", "CLEAR", "LOAD", "CREATE", "ADD", "MOVE", "COPY", "WITH")
_QUERY_WORDS = ("SELECT", "ASK", "CONSTRUCT", "DESCRIBE")


# ----------------------------------------------------------------------------
# the guard


_IRIREF = re.compile(r"<[^<>\"{}|^`\\\x00-\x20]*>")


def _skeleton(text: str) -> str:
    """The query with comments, string literals and IRIs blanked out.

    Lengths and line breaks are kept, so positions still match the original;
    keywords left in the skeleton are real keywords, not words inside a
    string (``"SERVICE"``) or an IRI.
    """
    out = list(text)
    i, n = 0, len(text)

    def blank(a: int, b: int) -> None:
        for k in range(a, min(b, n)):
            if out[k] != "\n":
                out[k] = " "

    while i < n:
        c = text[i]
        if c == "#":
            j = text.find("\n", i)
            j = n if j < 0 else j
            blank(i, j)
            i = j
        elif c in "\"'":
            quote = c * 3 if text.startswith(c * 3, i) else c
            j = i + len(quote)
            while j < n:
                if text[j] == "\\":
                    j += 2
                    continue
                if text.startswith(quote, j):
                    j += len(quote)
                    break
                if len(quote) == 1 and text[j] == "\n":
                    break  # unterminated short string: let the parser report it
                j += 1
            blank(i, j)
            i = j
        elif c == "<":
            m = _IRIREF.match(text, i)
            if m:
                blank(i, m.end())
                i = m.end()
            else:
                i += 1
        elif c == "\\":
            i += 2  # an escape in a prefixed name (ex:a\#, ex:a\'): neither a comment nor a string
        else:
            i += 1
    return "".join(out)


# What comes before a word when it is the tail of a longer token: a variable
# (``?myservice``), a language tag (``@en-service``), a prefixed name
# (``ex:service``, ``ex:a.service``) or a blank node label (``_:b.service``).
_VAR_TAIL = re.compile(r"[?$]\w*\Z")
_LANG_TAIL = re.compile(r"@[A-Za-z][A-Za-z0-9-]*\Z")
_PNAME_TAIL = re.compile(r"(?:[^\W\d_][\w.\-\u00b7]*)?:(?:[\w:%\\\u00b7][\w.\-:%\\\u00b7]*)?\Z")
_BNODE_TAIL = re.compile(r"_:\w[\w.\-\u00b7]*\Z")
_PREFIX_NAME = re.compile(r"PREFIX\s+\Z", re.IGNORECASE)


def _own_token(skeleton: str, start: int) -> bool:
    """Whether Oxigraph may read the word at ``start`` as a keyword.

    Oxigraph's parser matches a keyword as a prefix of what follows
    (``SERVICESILENT`` is ``SERVICE SILENT``, ``SERVICE:x`` calls ``:x``) and
    after any token that cannot go on with a letter (``1SERVICE``,
    ``?o.SERVICE``). So the word counts as a keyword unless it is surely the
    tail of a variable, language tag, prefixed name or blank node label; the
    guards built on this refuse a query rather than let a keyword through.
    """
    i = start
    while i > 0 and (skeleton[i - 1].isalnum() or skeleton[i - 1] in "_.-%\\:\u00b7?$@"):
        i -= 1
        if skeleton[i] in "?$@":
            break  # a variable or language tag starts here
    run = skeleton[i:start]
    if not run:
        return True
    return not (_VAR_TAIL.fullmatch(run) or _LANG_TAIL.fullmatch(run)
                or _PNAME_TAIL.search(run) or _BNODE_TAIL.search(run))


class _Keyword:
    """A SPARQL keyword that Oxigraph may read as one, in a query skeleton (see :func:`_skeleton`).

    Not inside a variable (``?service``), a prefixed name (``ex:load``,
    ``ex:a.service``) or a blank node label; but ``?o.SERVICE``,
    ``SERVICESILENT`` and ``} SERVICE`` are the keyword (see :func:`_own_token`).
    With ``bounded``, a word that goes on (``SELECTED``, ``load:x``) is not
    the keyword (for telling query forms apart, not for refusing).
    ``search`` returns a :class:`re.Match`.
    """

    def __init__(self, alternatives: str, *, bounded: bool = False) -> None:
        before, after = (r"(?<![\w?$:])", r"(?![\w:\-])") if bounded else ("", "(?!:)")
        self._re = re.compile(rf"{before}({alternatives}){after}", re.IGNORECASE)
        self._after_colon = None if bounded else re.compile(rf"({alternatives}):", re.IGNORECASE)

    def search(self, skeleton: str) -> re.Match[str] | None:
        for m in self._re.finditer(skeleton):
            if _own_token(skeleton, m.start()):
                return m
        if self._after_colon is not None:
            # ``SERVICE:x`` is SERVICE applied to ``:x`` -- but ``PREFIX service: <…>`` declares a prefix
            for m in self._after_colon.finditer(skeleton):
                if _own_token(skeleton, m.start()) and not _PREFIX_NAME.search(skeleton, 0, m.start()):
                    return m
        return None


_FIRST_WORD = _Keyword("|".join(_QUERY_WORDS + _UPDATE_WORDS), bounded=True)
_SERVICE = _Keyword("SERVICE")
_LOAD = _Keyword("LOAD", bounded=True)  # LOAD is an update: a query cannot hold it
_PREFIX_DECL = re.compile(r"(?<![\w?$:\-.])PREFIX\s+([A-Za-z][\w\-.]*)?\s*:", re.IGNORECASE)


def _position(text: str, offset: int) -> tuple[int, int]:
    line = text.count("\n", 0, offset) + 1
    col = offset - (text.rfind("\n", 0, offset) + 1) + 1
    return line, col


def _excerpt(text: str, line: int, col: int) -> str:
    lines = text.splitlines() or [""]
    if not 1 <= line <= len(lines):
        return ""
    src = lines[line - 1].expandtabs(1)
    if len(src) > 100:  # keep the caret visible on long lines
        start = max(0, col - 60)
        src = ("…" if start else "") + src[start:start + 100]
        col = col - start + (1 if start else 0)
    return f"\n  {src}\n  {' ' * (max(col, 1) - 1)}^"


def _refuse(sparql: str, skeleton: str, match: re.Match[str], message: str, hint: str = "") -> QueryError:
    line, col = _position(sparql, match.start())
    return QueryError(f"{message} (line {line}, column {col}){hint}")


def check_query(sparql: str, *, parse: bool = True) -> str:
    """Check that ``sparql`` is a read-only query and return the text to run.

    The returned text has ``PREFIX`` lines prepended for the default prefixes
    (:data:`DEFAULT_PREFIXES`) the query uses without declaring them.
    ``parse=False`` skips the syntax check, for callers whose evaluator parses
    the query anyway and reports errors itself (the embedded store, which
    passes the default prefixes to Oxigraph so positions stay the user's).

    Raises:
        QueryError: empty query, update request, ``SERVICE`` or ``LOAD``, or a
            syntax error ("SPARQL syntax error at line L, column C: …").

    Examples:
        >>> check_query('SELECT * WHERE { ?s rdfs:label "SERVICE" }').count("PREFIX")
        9
        >>> try:
        ...     check_query("SELECT * WHERE { SERVICE <http://example.org/sparql> { ?s ?p ?o } }")
        ... except QueryError as err:
        ...     print(err)
        SERVICE (federated query) is refused: geokg queries only its own store (line 1, column 18)
    """
    if not isinstance(sparql, str) or not sparql.strip():
        raise QueryError("empty SPARQL query — pass a query, or -f FILE.rq")
    # the guard is a pure function of the text, and analysts and servers repeat queries
    return _check_query(sparql, parse)


@functools.lru_cache(maxsize=256)
def _check_query(sparql: str, parse: bool) -> str:
    skeleton = _skeleton(sparql)
    first = _FIRST_WORD.search(skeleton)
    if first is not None and first.group(1).upper() in _UPDATE_WORDS:
        raise QueryError("SPARQL updates are refused: `kg query` is read-only — "
                         "add articles with `kg ingest`, drop them with `kg remove`")
    service = _SERVICE.search(skeleton)
    if service is not None:
        hint = ""
        if skeleton.startswith(":", service.end(1)):
            hint = f" — a prefix named {service.group(1)}: reads as the keyword; give it another name"
        raise _refuse(sparql, skeleton, service,
                      "SERVICE (federated query) is refused: geokg queries only its own store", hint)
    load = _LOAD.search(skeleton)
    if load is not None:
        raise _refuse(sparql, skeleton, load, "LOAD is refused: add articles with `kg ingest`")
    if parse:
        _parse(sparql, skeleton)
    declared = {(m.group(1) or "") for m in _PREFIX_DECL.finditer(skeleton)}
    missing = [f"PREFIX {p}: <{iri}>" for p, iri in DEFAULT_PREFIXES.items() if p not in declared]
    return "\n".join([*missing, sparql]) if missing else sparql


_EMPTY_STORE: Any = None
_SYNTAX = re.compile(r"^error at (\d+):(\d+): (.*)$", re.DOTALL)


def _parse(sparql: str, skeleton: str) -> None:
    """Parse with Oxigraph's parser (the one that will run the query).

    Evaluation happens against an empty in-memory store, which is harmless
    once SERVICE has been refused.
    """
    global _EMPTY_STORE
    import pyoxigraph as ox

    if _EMPTY_STORE is None:
        _EMPTY_STORE = ox.Store()
    try:
        _EMPTY_STORE.query(sparql, prefixes=DEFAULT_PREFIXES)
    except SyntaxError as err:
        raise QueryError(_syntax_message(sparql, skeleton, str(err))) from err
    except (OSError, ValueError, TypeError) as err:  # pragma: no cover - defensive
        raise QueryError(f"cannot evaluate the query: {err}") from err


def _syntax_message(sparql: str, skeleton: str, raw: str) -> str:
    m = _SYNTAX.match(raw.strip())
    if not m:
        return f"SPARQL syntax error: {raw}"
    line, col, detail = int(m.group(1)), int(m.group(2)), m.group(3)
    if "Prefix not found" in detail:
        # Oxigraph points just after the prefixed name; find the name itself
        lines = skeleton.splitlines()
        before = lines[line - 1][: col - 1] if line <= len(lines) else ""
        pm = re.search(r"([A-Za-z][\w\-.]*)?:[\w\-.%]*$", before)
        if pm:
            name = pm.group(1) or ""
            col = pm.start() + 1
            known = ", ".join(f"{p}:" for p in DEFAULT_PREFIXES)
            detail = (f"undeclared prefix {name}: — declare it with PREFIX {name}: <…> "
                      f"(built in: {known})")
        else:
            detail = "undeclared prefix"
    elif "IRI parsing failed" in detail:
        detail = "invalid IRI"
    elif detail.startswith("expected"):
        detail = _shorten_expected(detail)
    hint = ""
    if _SLASHED_NAME.search(skeleton):
        hint = ("\nhint: a prefixed name cannot contain '/': write id:country\\/JPN or "
                "<https://w3id.org/geokg/id/country/JPN>")
    return f"SPARQL syntax error at line {line}, column {col}: {detail}{_excerpt(sparql, line, col)}{hint}"


_SLASHED_NAME = re.compile(r"(?<![\w?$:\-.])[A-Za-z][\w\-.]*:[\w\-.]+/[\w\-]+(?![:\w])")


def _shorten_expected(detail: str) -> str:
    head, _, rest = detail.partition("expected one of ")
    if not rest:
        return detail
    items = [x.strip() for x in rest.split(", ") if x.strip() and not x.strip().startswith("[")]
    if not items:
        return "unexpected input"
    shown = ", ".join(items[:8]) + (", …" if len(items) > 8 else "")
    return f"{head}expected one of {shown}"


@functools.lru_cache(maxsize=256)
def query_form(sparql: str) -> str:
    r"""``select``, ``ask`` or ``graph`` (CONSTRUCT/DESCRIBE) from the query's keyword.

    Examples:
        >>> query_form("PREFIX ex: <http://e/ask>  # SELECT\nASK { ?s ?p ?o }")
        'ask'
    """
    m = _FIRST_WORD.search(_skeleton(sparql))
    word = m.group(1).upper() if m else "SELECT"
    return {"ASK": "ask", "CONSTRUCT": "graph", "DESCRIBE": "graph"}.get(word, "select")


def sparql_iri(iri: str) -> str:
    """``<iri>`` for a SPARQL text, refusing characters an IRI cannot hold."""
    if not iri or _IRIREF.fullmatch(f"<{iri}>") is None:
        raise QueryError(f"not a valid IRI: {iri!r}")
    return f"<{iri}>"


def sparql_literal(value: str) -> str:
    """A quoted SPARQL string literal."""
    escaped = (value.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\r", "\\r"))
    return f'"{escaped}"'


# ----------------------------------------------------------------------------
# results


@dataclass(frozen=True)
class QueryResult:
    """The answer to a SPARQL query.

    Attributes:
        kind: ``"select"``, ``"ask"`` or ``"graph"`` (CONSTRUCT/DESCRIBE).
        variables: the SELECT variables, in order, without ``?``.
        rows: one tuple per solution, rdflib terms or None when unbound.
        boolean: the ASK answer; None when the query timed out before answering.
        triples: (s, p, o) rdflib terms for CONSTRUCT/DESCRIBE.
        truncated: True when the answer is incomplete.
        reason: why it is incomplete: ``"timeout"`` or ``"max_rows"``.
        elapsed: seconds spent evaluating.
    """

    kind: str
    variables: tuple[str, ...] = ()
    rows: tuple[tuple[Any, ...], ...] = ()
    boolean: bool | None = None
    triples: tuple[tuple[Any, Any, Any], ...] = ()
    truncated: bool = False
    reason: str | None = None
    elapsed: float = 0.0
    limit: float | int | None = None

    def __len__(self) -> int:
        return len(self.rows) if self.kind == "select" else len(self.triples)

    @property
    def warning(self) -> str | None:
        """A one-line explanation when the answer is incomplete, else None."""
        if not self.truncated:
            return None
        what = "rows" if self.kind == "select" else "triples" if self.kind == "graph" else "answer"
        if self.reason == "timeout":
            got = "no answer" if self.kind == "ask" else f"the first {len(self)} {what}"
            return (f"query timed out after {self.limit:g} s; showing {got} — the answer is INCOMPLETE "
                    "(raise --timeout, or narrow the query)")
        return (f"stopped after {len(self)} {what} (--max-rows {self.limit}); the answer is INCOMPLETE "
                "(raise --max-rows, or add LIMIT to the query)")


def from_ox(term: Any) -> Any:
    """A pyoxigraph term as an rdflib term (None stays None).

    ``xsd:string`` literals become plain literals, as rdflib's parsers make
    them; typed literals go through rdflib's usual normalisation, so a value
    Oxigraph canonicalised (``"…+00:00"`` stored as ``"…Z"``) compares equal
    to the literal rdflib built before storing it.
    """
    if term is None:
        return None
    import pyoxigraph as ox
    from rdflib import BNode, Literal, URIRef

    if isinstance(term, ox.NamedNode):
        return URIRef(term.value)
    if isinstance(term, ox.Literal):
        if term.language:
            return Literal(term.value, lang=term.language)
        dt = term.datatype.value
        if dt == _XSD_STRING:
            return Literal(term.value)
        return Literal(term.value, datatype=URIRef(dt))
    if isinstance(term, ox.BlankNode):
        return BNode(term.value)
    return str(term)  # RDF 1.2 triple terms: shown in N-Triples syntax


class _Converter:
    """from_ox with a cache for IRIs (rows repeat them a lot)."""

    def __init__(self) -> None:
        import pyoxigraph as ox
        from rdflib import URIRef

        self._named = ox.NamedNode
        self._uri = URIRef
        self._cache: dict[str, Any] = {}

    def __call__(self, term: Any) -> Any:
        if type(term) is self._named:
            value = term.value
            node = self._cache.get(value)
            if node is None:
                node = self._cache[value] = self._uri(value)
            return node
        return from_ox(term)


class _Run:
    """State shared between the caller and the evaluation thread."""

    def __init__(self) -> None:
        self.kind = "select"
        self.variables: tuple[str, ...] = ()
        self.rows: list[tuple[Any, ...]] = []
        self.triples: list[tuple[Any, Any, Any]] = []
        self.boolean: bool | None = None
        self.more = False
        self.error: BaseException | None = None
        self.done = threading.Event()
        self.stop = threading.Event()


class _Evaluator:
    """A reusable daemon thread for queries with a deadline.

    Starting a thread per query costs more than a small query itself, so idle
    evaluators wait for the next one. A query that overruns its deadline keeps
    its evaluator busy until Oxigraph yields; the next query gets another one.
    """

    _idle: list[_Evaluator] = []
    _lock = threading.Lock()

    def __init__(self) -> None:
        self.tasks: queue.SimpleQueue[Callable[[], None]] = queue.SimpleQueue()
        threading.Thread(target=self._loop, name="kg-sparql", daemon=True).start()

    @classmethod
    def run(cls, fn: Callable[[], None]) -> None:
        with cls._lock:
            evaluator = cls._idle.pop() if cls._idle else None
        (evaluator or cls()).tasks.put(fn)

    def _loop(self) -> None:
        while True:
            self.tasks.get()()
            with self._lock:
                self._idle.append(self)


def evaluate_oxigraph(store: Any, text: str, *, timeout: float | None = None,
                      max_rows: int | None = None, prefixes: dict[str, str] | None = None) -> QueryResult:
    """Evaluate a checked query on a pyoxigraph Store over the union of its graphs.

    pyoxigraph has no query timeout or cancellation, so the query runs in a
    daemon thread (pyoxigraph releases the GIL while evaluating) and the
    caller waits at most ``timeout`` seconds. At the deadline the caller gets
    the rows produced so far, marked ``truncated``; the thread stops at its
    next solution, but a query that produces nothing for a long time keeps
    using a CPU in the background until Oxigraph yields (the CLI exits, which
    ends it). ``max_rows`` stops reading after that many solutions.
    """
    if timeout is not None and timeout <= 0:
        raise QueryError("--timeout must be a positive number of seconds")
    if max_rows is not None and max_rows < 0:
        raise QueryError("--max-rows must be zero or more")
    import pyoxigraph as ox

    run = _Run()
    run.kind = query_form(text)  # known before evaluation, for a result that times out
    conv = _Converter()

    def work() -> None:
        res: Any = None
        try:
            res = store.query(text, use_default_graph_as_union=True, prefixes=prefixes)
            if isinstance(res, ox.QueryBoolean):
                run.kind = "ask"
                run.boolean = bool(res)
            elif isinstance(res, ox.QuerySolutions):
                run.kind = "select"
                run.variables = tuple(v.value for v in res.variables)
                idx = range(len(run.variables))
                rows = run.rows
                for sol in res:
                    if run.stop.is_set():
                        return
                    if max_rows is not None and len(rows) >= max_rows:
                        run.more = True
                        return
                    rows.append(tuple(conv(sol[i]) for i in idx))
            else:
                run.kind = "graph"
                for t in res:
                    if run.stop.is_set():
                        return
                    if max_rows is not None and len(run.triples) >= max_rows:
                        run.more = True
                        return
                    run.triples.append((conv(t.subject), conv(t.predicate), conv(t.object)))
        except BaseException as err:  # handed over to the caller
            run.error = err
        finally:
            # pyoxigraph results may only be dropped by the thread that made them; the
            # error's traceback (handed to the caller) keeps this frame, so drop it here
            res = None  # noqa: F841
            run.done.set()

    start = time.perf_counter()
    if timeout is None:
        work()  # no deadline to watch: no thread needed
        finished = True
    else:
        _Evaluator.run(work)
        finished = run.done.wait(timeout)
    elapsed = time.perf_counter() - start
    if not finished:
        run.stop.set()
        return QueryResult(
            kind=run.kind, variables=run.variables, rows=tuple(run.rows[:]), boolean=None,
            triples=tuple(run.triples[:]), truncated=True, reason="timeout", elapsed=elapsed,
            limit=timeout,
        )
    if run.error is not None:
        err = run.error
        if isinstance(err, SyntaxError):
            raise QueryError(_syntax_message(text, _skeleton(text), str(err))) from err
        if isinstance(err, OSError | ValueError | TypeError | RuntimeError):
            raise QueryError(f"query failed: {err}") from err
        raise err
    return QueryResult(
        kind=run.kind, variables=run.variables, rows=tuple(run.rows), boolean=run.boolean,
        triples=tuple(run.triples), truncated=run.more, reason="max_rows" if run.more else None,
        elapsed=elapsed, limit=max_rows if run.more else None,
    )


# ----------------------------------------------------------------------------
# formatting


def _ntriples_term(term: Any) -> str:
    from rdflib import BNode, Literal, URIRef

    if term is None:
        return ""
    if isinstance(term, URIRef):
        return f"<{term}>"
    if isinstance(term, BNode):
        return f"_:{term}"
    if isinstance(term, Literal):
        lex = (str(term).replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")
               .replace("\r", "\\r").replace("\t", "\\t"))
        if term.language:
            return f'"{lex}"@{term.language}'
        if term.datatype is not None and str(term.datatype) != _XSD_STRING:
            return f'"{lex}"^^<{term.datatype}>'
        return f'"{lex}"'
    return str(term)


def compact_iri(iri: str, prefixes: dict[str, str] = DEFAULT_PREFIXES) -> str:
    """``gkg:supports`` for a full IRI in a known namespace, else ``<iri>``.

    Examples:
        >>> compact_iri("https://w3id.org/geokg/id/country/JPN")
        'id:country/JPN'
    """
    best = ""
    best_prefix = None
    for prefix, ns in prefixes.items():
        if iri.startswith(ns) and len(ns) > len(best):
            best, best_prefix = ns, prefix
    if best_prefix is not None and len(iri) > len(best):
        return f"{best_prefix}:{iri[len(best):]}"
    return f"<{iri}>"


def _table_cell(term: Any, width: int = 100) -> str:
    from rdflib import BNode, Literal, URIRef

    if term is None:
        text = ""
    elif isinstance(term, URIRef):
        text = compact_iri(str(term))
    elif isinstance(term, BNode):
        text = f"_:{term}"
    elif isinstance(term, Literal):
        text = str(term) + (f"@{term.language}" if term.language else "")
    else:
        text = str(term)
    text = text.replace("\r", " ").replace("\n", " ").replace("\t", " ")
    return text if len(text) <= width else text[: width - 1] + "…"


def _table(variables: Sequence[str], rows: Iterable[Sequence[Any]]) -> str:
    cells = [[_table_cell(t) for t in row] for row in rows]
    head = list(variables)
    widths = [len(h) for h in head]
    for row in cells:
        for i, c in enumerate(row):
            widths[i] = max(widths[i], len(c))
    lines = ["  ".join(h.ljust(w) for h, w in zip(head, widths, strict=True)).rstrip(),
             "  ".join("-" * w for w in widths)]
    lines += ["  ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)).rstrip() for row in cells]
    return "\n".join(lines) + "\n"


def _csv_value(term: Any) -> str:
    from rdflib import BNode

    if term is None:
        return ""
    if isinstance(term, BNode):
        return f"_:{term}"
    return str(term)


def _csv(variables: Sequence[str], rows: Iterable[Sequence[Any]]) -> str:
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\r\n")
    writer.writerow(variables)
    for row in rows:
        writer.writerow([_csv_value(t) for t in row])
    return buf.getvalue()


def _tsv(variables: Sequence[str], rows: Iterable[Sequence[Any]]) -> str:
    lines = ["\t".join(f"?{v}" for v in variables)]
    lines += ["\t".join(_ntriples_term(t) for t in row) for row in rows]
    return "\n".join(lines) + "\n"


def _json_term(term: Any) -> dict[str, str]:
    from rdflib import BNode, Literal

    if isinstance(term, BNode):
        return {"type": "bnode", "value": str(term)}
    if isinstance(term, Literal):
        out = {"type": "literal", "value": str(term)}
        if term.language:
            out["xml:lang"] = term.language
        elif term.datatype is not None and str(term.datatype) != _XSD_STRING:
            out["datatype"] = str(term.datatype)
        return out
    return {"type": "uri", "value": str(term)}


def _json(result: QueryResult, variables: Sequence[str], rows: Iterable[Sequence[Any]]) -> str:
    if result.kind == "ask":
        doc: dict[str, Any] = {"head": {}, "boolean": bool(result.boolean)}
    else:
        bindings = [{v: _json_term(t) for v, t in zip(variables, row, strict=True) if t is not None}
                    for row in rows]
        doc = {"head": {"vars": list(variables)}, "results": {"bindings": bindings}}
    return json.dumps(doc, ensure_ascii=False, indent=1) + "\n"


def _xml_term(term: Any) -> str:
    from rdflib import BNode, Literal

    if isinstance(term, BNode):
        return f"<bnode>{_xml_escape(str(term))}</bnode>"
    if isinstance(term, Literal):
        attrs = ""
        if term.language:
            attrs = f" xml:lang={_xml_attr(term.language)}"
        elif term.datatype is not None and str(term.datatype) != _XSD_STRING:
            attrs = f" datatype={_xml_attr(str(term.datatype))}"
        return f"<literal{attrs}>{_xml_escape(str(term))}</literal>"
    return f"<uri>{_xml_escape(str(term))}</uri>"


def _xml(result: QueryResult, variables: Sequence[str], rows: Iterable[Sequence[Any]]) -> str:
    out = ['<?xml version="1.0" encoding="UTF-8"?>',
           '<sparql xmlns="http://www.w3.org/2005/sparql-results#">', "  <head>"]
    out += [f"    <variable name={_xml_attr(v)}/>" for v in variables]
    out.append("  </head>")
    if result.kind == "ask":
        out.append(f"  <boolean>{'true' if result.boolean else 'false'}</boolean>")
    else:
        out.append("  <results>")
        for row in rows:
            out.append("    <result>")
            for v, t in zip(variables, row, strict=True):
                if t is not None:
                    out.append(f"      <binding name={_xml_attr(v)}>{_xml_term(t)}</binding>")
            out.append("    </result>")
        out.append("  </results>")
    out.append("</sparql>")
    return "\n".join(out) + "\n"


def _graph_text(triples: Sequence[tuple[Any, Any, Any]], fmt: str) -> str:
    import pyoxigraph as ox

    from .store import _ToOx

    conv = _ToOx()
    ox_triples = [ox.Triple(conv.term(s), conv.term(p), conv.term(o)) for s, p, o in triples]
    if fmt == "ntriples":
        return ox.serialize(ox_triples, format=ox.RdfFormat.N_TRIPLES).decode("utf-8")
    return ox.serialize(ox_triples, format=ox.RdfFormat.TURTLE, prefixes=DEFAULT_PREFIXES).decode("utf-8")


def format_result(result: QueryResult, fmt: str = "table") -> str:
    """Write a query result as text.

    Args:
        result: a :class:`QueryResult`.
        fmt: ``table`` (aligned, IRIs compacted with the default prefixes),
            ``csv``/``tsv`` (W3C SPARQL 1.1 CSV/TSV), ``json``/``xml`` (W3C
            SPARQL results), or for CONSTRUCT/DESCRIBE results ``turtle`` /
            ``ntriples`` (``table`` gives Turtle; csv/tsv/json/xml give
            subject/predicate/object rows).

    Raises:
        QueryError: unknown format, or a graph format for SELECT/ASK results.
    """
    fmt = fmt.lower()
    if fmt not in RESULT_FORMATS + GRAPH_FORMATS:
        raise QueryError(f"unknown result format {fmt!r}; choose one of "
                         f"{', '.join(RESULT_FORMATS + GRAPH_FORMATS)}")
    if result.kind == "graph":
        if fmt in GRAPH_FORMATS or fmt == "table":
            return _graph_text(result.triples, "ntriples" if fmt == "ntriples" else "turtle")
        variables: Sequence[str] = ("subject", "predicate", "object")
        rows: Sequence[Sequence[Any]] = result.triples
    elif fmt in GRAPH_FORMATS:
        raise QueryError(f"{fmt} needs a CONSTRUCT or DESCRIBE query; use table, csv, tsv, json or xml")
    else:
        variables, rows = result.variables, result.rows
    if result.kind == "ask":
        if fmt == "json":
            return _json(result, (), ())
        if fmt == "xml":
            return _xml(result, (), ())
        if result.boolean is None:
            return ""
        return ("true" if result.boolean else "false") + "\n"
    if fmt == "table":
        return _table(variables, rows)
    if fmt == "csv":
        return _csv(variables, rows)
    if fmt == "tsv":
        return _tsv(variables, rows)
    if fmt == "json":
        return _json(result, variables, rows)
    return _xml(result, variables, rows)


# ----------------------------------------------------------------------------
# queries the stores share


def _values(names: Iterable[str]) -> str:
    return " ".join(f"gkg:{n}" for n in names)


def stats_queries() -> dict[str, str]:
    """The SPARQL behind :meth:`kg.store.Store.stats` (DISTINCT where the union is a bag)."""
    from .vocab import CORE_CLASSES, CORE_PREDICATES

    return {
        "graphs": "SELECT (COUNT(DISTINCT ?g) AS ?articles) (COUNT(*) AS ?triples) "
                  "WHERE { GRAPH ?g { ?s ?p ?o } }",
        "distinct": "SELECT (COUNT(*) AS ?n) WHERE { SELECT DISTINCT ?s ?p ?o WHERE { ?s ?p ?o } }",
        "entities": f"SELECT ?c (COUNT(DISTINCT ?e) AS ?n) WHERE {{ VALUES ?c {{ {_values(CORE_CLASSES)} }} "
                    "?e a ?c } GROUP BY ?c",
        "relations": "SELECT ?p (COUNT(*) AS ?n) WHERE { SELECT DISTINCT ?s ?p ?o WHERE { "
                     f"VALUES ?p {{ {_values(CORE_PREDICATES)} }} ?s ?p ?o }} }} GROUP BY ?p",
        "statements": "SELECT (COUNT(DISTINCT ?st) AS ?n) WHERE { ?st a rdf:Statement }",
    }


GRAPH_ARTICLES_QUERY = """
SELECT ?g (SAMPLE(?src) AS ?source) (SAMPLE(?ti) AS ?title) (SAMPLE(?sha) AS ?sha256)
       (SAMPLE(?d) AS ?date) (SAMPLE(?n) AS ?triples)
WHERE {
  { SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g }
  OPTIONAL { GRAPH ?g { ?g dcterms:source ?src } }
  OPTIONAL { GRAPH ?g { ?g dcterms:title ?ti } }
  OPTIONAL { GRAPH ?g { ?g gkg:sha256 ?sha } }
  OPTIONAL { GRAPH ?g { ?g dcterms:date ?d } }
}
GROUP BY ?g
"""
