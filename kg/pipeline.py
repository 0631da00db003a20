"""The whole ingester as functions: text or files → extraction → RDF → file or store.

Examples:
    >>> g = build_graph("Japan and France signed the Paris Agreement.")  # doctest: +SKIP
    >>> len(g) > 0  # doctest: +SKIP
    True
"""

from __future__ import annotations

import datetime as _dt
import os
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from itertools import chain, islice
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple

from .errors import EmptyInputError, ExportError, InputError, KGError
from .model import Document, Extraction

if TYPE_CHECKING:  # pragma: no cover
    from multiprocessing.connection import Connection

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
    #: wall-clock seconds the run took (set by :func:`ingest`)
    seconds: float = 0.0

    @property
    def ok(self) -> bool:
        return not self.failed

    @property
    def rate(self) -> float:
        """Articles written per second of the whole run (0 when nothing was written)."""
        return len(self.done) / self.seconds if self.seconds > 0 else 0.0


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


# ----------------------------------------------------------------------------- kg ingest

#: articles per task sent to a worker process by :func:`ingest` (``workers > 1``)
DEFAULT_BATCH = 4


class IngestInterrupted(KeyboardInterrupt):
    """Ctrl-C stopped :func:`ingest`: the workers are stopped, the store is closed.

    ``report`` lists what was written before; every article in the store is whole
    (one transaction each), and the next run picks up where this one stopped.
    """

    def __init__(self, report: IngestReport) -> None:
        super().__init__("ingest interrupted")
        self.report = report


def resolve_workers(value: int | str | None) -> int:
    """The number of worker processes for ``--workers``: a count, or 0 / ``"auto"`` for one per CPU.

    Examples:
        >>> resolve_workers(3), resolve_workers("2")
        (3, 2)
        >>> resolve_workers("auto") == resolve_workers(0) >= 1
        True
    """
    if value is None:
        return 1
    if isinstance(value, str):
        text = value.strip().lower()
        if text == "auto":
            value = 0
        else:
            try:
                value = int(text)
            except ValueError:
                raise ValueError(f"workers must be a number or 'auto', not {value!r}") from None
    if value < 0:
        raise ValueError(f"workers must be 0 (auto) or more, not {value}")
    if value == 0:
        try:
            return max(1, len(os.sched_getaffinity(0)))  # the CPUs this process may use
        except (AttributeError, OSError):  # pragma: no cover - not Linux
            return max(1, os.cpu_count() or 1)
    return value


class _Outcome(NamedTuple):
    """What extracting one article gave: its graph (rdflib in-process, N-Triples text from a
    worker) and counts, or why it failed."""

    graph: Any
    error: str | None = None
    entities: int = 0
    relations: int = 0
    people: tuple[tuple[str, str], ...] = ()  # (key, full name) of the persons found


def _extract_one(doc: Document, nlp: Any, lexicon: Any, now: _dt.datetime, *, as_text: bool,
                 known: dict[str, tuple[str, str]] | None = None) -> _Outcome:
    """Extract one article; any error becomes the article's failure, not the run's."""
    from .extract import extract
    from .rdf import to_graph

    try:
        extraction = extract(doc, nlp=nlp, lexicon=lexicon, known_people=known)
        graph: Any = to_graph(extraction, ingested_at=now)
        if as_text:
            from .store import graph_ntriples

            graph = graph_ntriples(graph)
    except Exception as err:  # one article's failure must not stop the others
        detail = str(err).strip().splitlines()[0] if str(err).strip() else ""
        detail = detail if len(detail) <= 200 else detail[:199] + "…"
        return _Outcome(None, f"extraction failed: {type(err).__name__}" + (f": {detail}" if detail else ""))
    people = tuple((e.key, e.label) for e in extraction.entities if e.cls == "Person")
    return _Outcome(graph, None, len(extraction.entities), len(extraction.relations), people)


def _extract_serial(items: Iterable[tuple[str, Document]], now: _dt.datetime,
                    known: dict[str, tuple[str, str]] | None = None,
                    ) -> Iterator[tuple[str, Document, _Outcome]]:
    """Extraction in this process; spaCy loads at the first article that needs it."""
    nlp = lexicon = None
    for name, doc in items:
        if nlp is None:
            from .lexicon import load_lexicon
            from .nlp import load_nlp

            nlp, lexicon = load_nlp(), load_lexicon()
        yield name, doc, _extract_one(doc, nlp, lexicon, now, as_text=False, known=known)


# -- worker processes ------------------------------------------------------------
#
# Workers are started with the "spawn" method: the parent holds the store open
# (RocksDB) and may have loaded spaCy, neither of which is safe to fork. Each
# worker loads the spaCy model and the lexicon once, extracts batches of
# articles and sends each graph back as N-Triples text, which Oxigraph's parser
# loads in the parent. An Extraction pickles 6x smaller (13 kB against 79 kB per
# dev-set article, both well under a millisecond), but turning it into an rdflib
# graph and storing that costs the parent 8 ms per article against 3 ms for the
# N-Triples, and the parent is the one serial stage (bench/bench_ingest.py).

_WORKER: dict[str, Any] = {}


def _init_worker(parent_pid: int) -> None:
    import signal
    import threading

    # Ctrl-C reaches the whole process group; the parent handles it and stops the workers.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    if hasattr(signal, "pthread_sigmask"):
        signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGINT})  # blocked by _submit

    def watch_parent() -> None:  # a parent killed with SIGKILL cannot stop us: leave by ourselves
        while True:
            time.sleep(1.0)
            if os.getppid() != parent_pid:
                os._exit(1)

    threading.Thread(target=watch_parent, name="kg-watch-parent", daemon=True).start()
    try:
        from .lexicon import load_lexicon
        from .nlp import load_nlp

        _WORKER["nlp"], _WORKER["lexicon"] = load_nlp(), load_lexicon()
    except Exception as err:  # reported by the first task, so the parent can stop with the message
        _WORKER["error"] = str(err) or type(err).__name__


def _work(docs: list[Document], now: _dt.datetime, known: dict[str, tuple[str, str]]) -> list[_Outcome]:
    error = _WORKER.get("error")
    if error is not None:
        raise KGError(error)
    return [_extract_one(d, _WORKER["nlp"], _WORKER["lexicon"], now, as_text=True, known=known)
            for d in docs]


def _worker_main(conn: Connection, parent_pid: int) -> None:
    """A worker process: batches of Documents in, a list of :class:`_Outcome` out, until
    told to stop (``None``) or the parent's end of the pipe closes."""
    _init_worker(parent_pid)
    while True:
        try:
            task = conn.recv()
        except (EOFError, OSError):
            return
        if task is None:
            return
        docs, now, known = task
        try:
            reply: tuple[str, Any] = ("ok", _work(docs, now, known))
        except Exception as err:  # the model did not load (or a bug): the parent stops with it
            reply = ("fatal", str(err) or type(err).__name__)
        try:
            conn.send(reply)
        except OSError:
            return


class _Worker:
    """One worker process and its pipe; it holds at most one batch at a time, so when
    it dies the parent knows exactly which articles it was extracting."""

    def __init__(self, ctx: Any) -> None:
        import signal

        self.conn, child = ctx.Pipe()
        self.process = ctx.Process(target=_worker_main, args=(child, os.getpid()), daemon=True,
                                   name="kg-ingest-worker")
        # Started with SIGINT blocked (held, not lost, in this process): the child inherits
        # the mask, so a Ctrl-C while it still imports spaCy cannot kill it with a traceback;
        # it ignores SIGINT from then on (the parent stops the workers).
        blocked = hasattr(signal, "pthread_sigmask")
        previous = signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT}) if blocked else None
        try:
            self.process.start()
        finally:
            if blocked:
                signal.pthread_sigmask(signal.SIG_SETMASK, previous)
            child.close()
        self.batch: list[tuple[str, Document]] | None = None
        self.alone = False

    def assign(self, batch: list[tuple[str, Document]], alone: bool, now: _dt.datetime,
               known: dict[str, tuple[str, str]]) -> None:
        """Send a batch with the people known so far (raises OSError when the worker is gone)."""
        self.conn.send(([doc for _, doc in batch], now, known))
        self.batch, self.alone = batch, alone

    def stop(self, *, kill: bool) -> None:
        """Let the worker exit (``kill``: terminate it at once, even in the middle of a batch)."""
        if not kill:
            try:
                self.conn.send(None)
            except OSError:
                pass
            self.process.join(timeout=10)
        if self.process.is_alive():
            self.process.terminate()
            self.process.join(timeout=5)
            if self.process.is_alive():  # pragma: no cover - SIGTERM ignored
                self.process.kill()
                self.process.join(timeout=5)
        self.conn.close()


def _extract_parallel(items: Iterable[tuple[str, Document]], now: _dt.datetime, *, workers: int,
                      batch_size: int, known: dict[str, tuple[str, str]] | None = None,
                      ) -> Iterator[tuple[str, Document, _Outcome]]:
    """Extraction in ``workers`` spawned processes, yielding each article as its batch comes back.

    Each worker holds one batch of ``batch_size`` articles at a time and gets its
    next one as soon as it answers (before the parent writes the answer), so at
    most ``workers * batch_size`` articles are in flight however many come. When
    a worker dies (killed, out of memory), the articles of its batch are run
    again one per task by a new worker; one that kills its worker again is
    reported failed. When there is no more than one batch of work, no process
    is started.
    """
    import multiprocessing
    from multiprocessing.connection import wait

    source = iter(items)
    head = list(islice(source, batch_size + 1))
    known = {} if known is None else known
    if len(head) <= batch_size:
        yield from _extract_serial(head, now, known)
        return
    queue = chain(head, source)
    backlog: deque[tuple[list[tuple[str, Document]], bool]] = deque()  # (batch, alone) to send first
    exhausted = False

    def next_task() -> tuple[list[tuple[str, Document]], bool] | None:
        nonlocal exhausted
        if backlog:
            return backlog.popleft()
        if not exhausted:
            batch = list(islice(queue, batch_size))
            if batch:
                return batch, False
            exhausted = True
        return None

    ctx = multiprocessing.get_context("spawn")
    pool: list[_Worker] = []
    deaths = 0  # workers lost since the last answer: a pool that cannot live gives up

    def feed(worker: _Worker | None) -> None:
        """Give ``worker`` (or a new worker) the next task, if there is one."""
        task = next_task()
        if task is None:
            return
        if worker is None:
            worker = _Worker(ctx)
            pool.append(worker)
        try:
            worker.assign(*task, now, known)
        except OSError:  # it died before taking the task: the task goes back, a new worker starts
            backlog.appendleft(task)
            retire(worker)
            feed(None)

    def retire(worker: _Worker) -> None:
        nonlocal deaths
        deaths += 1
        pool.remove(worker)
        worker.stop(kill=True)
        if deaths > 3 * workers:
            raise KGError(f"the extraction worker processes keep dying (exit code {worker.process.exitcode}; "
                          "see their errors above) — a script that calls ingest(..., workers=N) must "
                          "start its work under `if __name__ == \"__main__\":`")

    finished = False
    try:
        for _ in range(workers):
            feed(None)
        while busy := [w for w in pool if w.batch is not None]:
            ready = set(wait([w.conn for w in busy] + [w.process.sentinel for w in busy]))
            for worker in busy:
                if worker.conn not in ready and worker.process.sentinel not in ready:
                    continue
                batch, alone = worker.batch, worker.alone
                assert batch is not None
                worker.batch = None
                try:
                    kind, payload = worker.conn.recv()
                except (EOFError, OSError):  # it died with this batch
                    retire(worker)
                    if alone:
                        name, doc = batch[0]
                        yield name, doc, _Outcome(None, "extraction failed: the worker process died "
                                                        "(killed, or out of memory) while extracting it")
                    else:
                        backlog.extendleft(([item], True) for item in reversed(batch))
                    feed(None)
                    continue
                if kind == "fatal":
                    raise KGError(payload)
                deaths = 0
                feed(worker)  # keep it busy while this process writes the answer
                for (name, doc), outcome in zip(batch, payload, strict=True):
                    yield name, doc, outcome
        finished = True
    finally:
        for worker in pool:
            worker.stop(kill=not finished)


class _HoldInterrupts:
    """Holds Ctrl-C back while an article is being written and counted, then raises it.

    So the report lists exactly the articles that are in the store, and a write
    is never cut in the middle of its Python code. Installed only over Python's
    default SIGINT handler, in the main thread; elsewhere it does nothing.
    """

    def __init__(self) -> None:
        self.busy = False
        self.pending = False
        self.previous: Any = None

    def install(self) -> None:
        import signal
        import threading

        if (threading.current_thread() is threading.main_thread()
                and signal.getsignal(signal.SIGINT) is signal.default_int_handler):
            self.previous = signal.signal(signal.SIGINT, self._handle)

    def uninstall(self) -> None:
        import signal

        if self.previous is not None:
            signal.signal(signal.SIGINT, self.previous)
            self.previous = None

    def _handle(self, _signum: int, _frame: Any) -> None:
        if self.busy:
            self.pending = True
        else:
            raise KeyboardInterrupt

    def __enter__(self) -> None:
        self.busy = True

    def __exit__(self, exc_type: Any, *_: Any) -> None:
        self.busy = False
        if self.pending:
            self.pending = False
            if exc_type is None:
                raise KeyboardInterrupt


def _stored_people(store: Store | None) -> list[tuple[str, str]]:
    """(key, label) of every person already in ``store``."""
    if store is None:
        return []
    from .vocab import ID

    rows = store.query("SELECT DISTINCT ?p ?l WHERE { ?p a gkg:Person ; rdfs:label ?l }").rows
    return [(str(p)[len(str(ID)):], str(label)) for p, label in rows if str(p).startswith(str(ID))]


class _Target:
    """The store :func:`ingest` writes to. Given a location, it opens the store itself and
    creates a new one only when the first article is about to be written."""

    def __init__(self, store: Store | str | os.PathLike[str]) -> None:
        from .store import Store, needs_creation, open_store

        self.owned = not isinstance(store, Store)
        self.location: str | None = None
        self.store: Store | None = None
        if isinstance(store, Store):
            self.store = store
        elif needs_creation(store):
            self.location = os.fspath(store)
        else:
            self.store = open_store(store)

    def article_hash(self, iri: str) -> str | None:
        return None if self.store is None else self.store.article_hash(iri)

    def write(self, iri: str, graph: Any) -> None:
        if self.store is None:
            from .store import open_store

            assert self.location is not None
            self.store = open_store(self.location, create=True)
        if isinstance(graph, str):
            self.store.replace_article_ntriples(iri, graph)
        else:
            self.store.replace_article(iri, graph)

    def close(self) -> None:
        if self.owned and self.store is not None:
            self.store.close()
            self.store = None


def ingest(paths: list[str], store: Store | str | os.PathLike[str], *,
           progress: Callable[[str], None] | None = None,
           warn: Callable[[str], None] | None = None, force: bool = False,
           workers: int = 1, batch_size: int = DEFAULT_BATCH) -> IngestReport:
    """`kg ingest`: each article replaces its own named graph in ``store``.

    An article whose content hash is already stored is skipped (unless ``force``);
    each article is written in one transaction, so an interruption leaves whole
    articles only.

    Args:
        paths: files, folders (recursively) or ``-`` for stdin.
        store: an open :class:`~kg.store.Store` (left open), or a store location
            (folder or server URL), opened here and closed at the end; a new
            store folder is created only when the first article is written, so
            a run that writes nothing creates nothing.
        progress: called with each input's name once it is dealt with
            (written, unchanged, skipped or failed).
        warn: called with warnings about inputs (empty files, odd encodings).
        force: extract again even articles whose text is unchanged.
        workers: extraction processes (0 or ``"auto"``: one per CPU); 1
            extracts in this process. With more, this process reads the inputs,
            checks hashes and writes the graphs that ``workers`` spawned
            processes send back, in the order they finish, ``batch_size``
            articles per task (no process is started for a single batch of
            work). Spawned processes re-import the main module, so a script
            calling this with ``workers > 1`` needs the usual
            ``if __name__ == "__main__":`` guard.
        batch_size: articles per task sent to a worker process.

    Returns:
        What happened to every input. An article whose extraction raised is in
        ``failed``; an error writing to the store stops the run (raised).

    Raises:
        IngestInterrupted: Ctrl-C; workers are stopped and the store is closed
            first; its ``report`` says what was written.
    """
    from .vocab import article_iri

    started = time.perf_counter()
    report = IngestReport()
    now = _dt.datetime.now(_dt.UTC).replace(microsecond=0)
    workers = resolve_workers(workers)
    batch_size = max(1, int(batch_size))
    target = _Target(store)
    sent: dict[str, str] = {}  # article IRI -> sha256 of the text already sent in this run
    # people named in full before ("Friedrich Merz") let a later "Chancellor Merz" join them
    from .extract import people_index

    known = people_index(_stored_people(target.store))

    def todo() -> Iterator[tuple[str, Document]]:
        for name, doc in read_inputs(paths):
            if isinstance(doc, EmptyInputError):
                report.skipped.append((name, str(doc)))
                if warn:
                    warn(f"{name}: {doc}")
            elif isinstance(doc, Exception):
                report.failed.append((name, str(doc)))  # the caller reports failures (CLI: `Error: …`)
            else:
                iri = str(article_iri(doc.key))
                if sent.get(iri) == doc.sha256 or (not force and target.article_hash(iri) == doc.sha256):
                    report.unchanged.append(name)
                else:
                    sent[iri] = doc.sha256
                    for w in doc.warnings:
                        if warn:
                            warn(f"{name}: {w}")
                    yield name, doc
                    continue
            if progress:
                progress(name)

    results = (_extract_serial(todo(), now, known) if workers <= 1 else
               _extract_parallel(todo(), now, workers=workers, batch_size=batch_size, known=known))
    hold = _HoldInterrupts()
    hold.install()
    try:
        for name, doc, outcome in results:
            if outcome.error is not None:
                report.failed.append((name, outcome.error))
            else:
                with hold:
                    target.write(str(article_iri(doc.key)), outcome.graph)
                    report.done.append(name)
                    report.entities += outcome.entities
                    report.relations += outcome.relations
                for key, full in outcome.people:
                    known.add(key, full)
            if progress:
                progress(name)
    except KeyboardInterrupt as err:
        raise IngestInterrupted(report) from err
    finally:
        hold.uninstall()
        results.close()  # stops the workers (mid-task after an error) before the store is closed
        target.close()
        report.seconds = time.perf_counter() - started
    return report
