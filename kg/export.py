"""Writing graphs to files: atomic writes and the ``kg export`` formats.

Formats (chosen explicitly or from the file extension):

==========  =========  ===================================================
format      extension  content
==========  =========  ===================================================
turtle      .ttl       the union graph (every article's triples, each once)
ntriples    .nt        the union graph
nquads      .nq        one named graph per article
trig        .trig      one named graph per article
jsonld      .jsonld    one named graph per article (``@graph`` per article)
==========  =========  ===================================================

Triple formats lose which article said what; use N-Quads or TriG to keep
provenance. Store dumps go through Oxigraph's serialisers, which write each
literal's lexical form as stored (``"0.8"^^xsd:decimal``, ``"1.5E0"``-style
doubles as Oxigraph canonicalised them), so values survive a round trip;
rdflib's Turtle writer is avoided because it rewrites ``xsd:double`` lexical forms.

Every file is written atomically (:func:`atomic_write`): to a temporary file
in the same folder, flushed and fsynced, then renamed over the target. On any
error the temporary file is removed and an existing file is left untouched.
"""

from __future__ import annotations

import contextlib
import os
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any, BinaryIO

from .errors import ExportError, KGError

if TYPE_CHECKING:  # pragma: no cover
    import rdflib

    from .store import Store

__all__ = ["EXPORT_FORMATS", "EXTENSIONS", "atomic_write", "export_graph", "format_for_path"]

#: format name -> file extension
EXTENSIONS: dict[str, str] = {
    "turtle": ".ttl",
    "ntriples": ".nt",
    "nquads": ".nq",
    "trig": ".trig",
    "jsonld": ".jsonld",
}
EXPORT_FORMATS = tuple(EXTENSIONS)
_BY_EXTENSION = {ext: name for name, ext in EXTENSIONS.items()} | {".json": "jsonld", ".n3": "turtle"}


def format_for_path(path: str | os.PathLike[str]) -> str | None:
    """The export format implied by a file name, or None.

    Examples:
        >>> format_for_path("out/graph.ttl")
        'turtle'
        >>> format_for_path("notes.txt") is None
        True
    """
    return _BY_EXTENSION.get(Path(path).suffix.lower())


@contextlib.contextmanager
def atomic_write(path: str | os.PathLike[str], *, force: bool = False,
                 text: bool = False, encoding: str = "utf-8") -> Iterator[IO[Any]]:
    """Open a temporary file next to ``path``; on success it replaces ``path``.

    The data is flushed and fsynced before the rename, and the folder is
    fsynced after it, so a crash leaves either the old file or the new one.
    If the block raises, the temporary file is deleted and ``path`` is not
    touched.

    Args:
        path: the file to write.
        force: replace an existing file; without it an existing file is an error.
        text: yield a text stream (``encoding``) instead of a binary one.

    Raises:
        ExportError: the file exists (without ``force``), the path is a folder,
            or the folder does not exist / cannot be written.

    Examples:
        >>> import tempfile, os
        >>> target = os.path.join(tempfile.mkdtemp(), "out.txt")
        >>> with atomic_write(target, text=True) as fh:
        ...     _ = fh.write("hello")
        >>> open(target).read()
        'hello'
    """
    target = Path(path)
    if target.is_dir():
        raise ExportError(f"{target} is a folder; give a file name")
    if target.exists() and not force:
        raise ExportError(f"{target} exists; pass --force to overwrite it")
    folder = target.parent if str(target.parent) else Path(".")
    if not folder.is_dir():
        raise ExportError(f"cannot write {target}: the folder {folder} does not exist")
    try:
        fd, tmp_name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=folder)
    except OSError as err:
        raise ExportError(f"cannot write in {folder}: {err.strerror or err}") from err
    tmp = Path(tmp_name)
    try:
        with os.fdopen(fd, "w" if text else "wb", **({"encoding": encoding} if text else {})) as fh:
            yield fh
            fh.flush()
            os.fsync(fh.fileno())
        if target.exists() and not force:  # appeared while we were writing
            raise ExportError(f"{target} exists; pass --force to overwrite it")
        if target.exists():
            # keep the permissions of the file being replaced
            with contextlib.suppress(OSError):
                os.chmod(tmp, target.stat().st_mode & 0o7777)
        else:
            with contextlib.suppress(OSError):
                umask = os.umask(0)
                os.umask(umask)
                os.chmod(tmp, 0o666 & ~umask)
        os.replace(tmp, target)
        _fsync_dir(folder)
    except KGError:
        tmp.unlink(missing_ok=True)
        raise
    except OSError as err:
        tmp.unlink(missing_ok=True)
        raise ExportError(f"cannot write {target}: {err.strerror or err}") from err
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


def _fsync_dir(folder: Path) -> None:
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:  # pragma: no cover - e.g. platforms without directory fds
        return
    try:
        os.fsync(fd)
    except OSError:  # pragma: no cover
        pass
    finally:
        os.close(fd)


def _resolve_format(path: str | os.PathLike[str] | None, format: str | None) -> str:
    if format:
        name = format.lower()
        if name not in EXTENSIONS:
            raise ExportError(f"unknown format {format!r}; choose one of {', '.join(EXPORT_FORMATS)}")
        return name
    if path is None or str(path) == "-":
        raise ExportError("give the format (-f turtle|ntriples|nquads|trig|jsonld) when writing to stdout")
    guessed = format_for_path(path)
    if guessed is None:
        raise ExportError(f"cannot tell the format from {Path(path).name!r}; pass -f with one of "
                          f"{', '.join(EXPORT_FORMATS)} or use {', '.join(EXTENSIONS.values())}")
    return guessed


def _inside(path: Path, folder: Path) -> bool:
    try:
        path.resolve().relative_to(folder.resolve())
    except ValueError:
        return False
    return True


def refuse_inside_store(target: str | os.PathLike[str], location: str) -> None:
    """Raise :class:`ExportError` when ``target`` lies in the folder of the store at ``location``
    (a file there could corrupt the store); server URLs have no folder."""
    if not location or "://" in location:
        return
    folder = Path(location)
    if folder.is_dir() and _inside(Path(target), folder):
        raise ExportError(f"refusing to write {target} inside the store folder {folder}; "
                          "choose a path outside it")


def _write_rdflib(graph: Any, out: BinaryIO, format: str) -> None:
    """Serialise an rdflib Graph/Dataset through pyoxigraph's writers."""
    import pyoxigraph as ox
    import rdflib

    from .store import DUMP_FORMATS, DUMP_PREFIXES, _ToOx

    conv = _ToOx()
    rdf_format = getattr(ox.RdfFormat, DUMP_FORMATS[format][0])
    keeps_graphs = DUMP_FORMATS[format][1]
    prefixes = DUMP_PREFIXES if format in ("turtle", "trig") else None
    is_dataset = isinstance(graph, rdflib.Dataset | rdflib.ConjunctiveGraph)
    if keeps_graphs:
        items: list[Any] = []
        if is_dataset:
            for s, p, o, g in graph.quads((None, None, None, None)):
                gid = getattr(g, "identifier", g)
                if gid is None or gid == rdflib.graph.DATASET_DEFAULT_GRAPH_ID:
                    gname: Any = ox.DefaultGraph()
                else:
                    gname = conv.term(gid)
                items.append(ox.Quad(conv.term(s), conv.term(p), conv.term(o), gname))
        else:
            gname = ox.DefaultGraph()
            items = [ox.Quad(conv.term(s), conv.term(p), conv.term(o), gname) for s, p, o in graph]
    else:
        seen = set()
        items = []
        triples = (graph.quads((None, None, None, None)) if is_dataset else
                   ((s, p, o, None) for s, p, o in graph))
        for s, p, o, _ in triples:
            t = ox.Triple(conv.term(s), conv.term(p), conv.term(o))
            if t not in seen:
                seen.add(t)
                items.append(t)
    ox.serialize(items, out, rdf_format, prefixes=prefixes)


def export_graph(source: Store | rdflib.Graph, path: str | os.PathLike[str] | None,
                 format: str | None = None, *, force: bool = False) -> str:
    """Write a store (every article) or an rdflib graph to a file.

    Args:
        source: a :class:`kg.store.Store`, or an rdflib Graph / Dataset.
        path: the output file; ``"-"`` or None writes to stdout.
        format: one of ``turtle``, ``ntriples``, ``nquads``, ``trig``,
            ``jsonld``; guessed from the extension when None.
        force: replace an existing file.

    Returns:
        The format written.

    Raises:
        ExportError: unknown format, existing file without ``force``, the path
            is the store folder or inside it, or the file cannot be written
            (an existing file is then untouched).

    Examples:
        >>> import rdflib, tempfile, os
        >>> g = rdflib.Graph()
        >>> _ = g.add((rdflib.URIRef("urn:x:a"), rdflib.RDFS.label, rdflib.Literal("A")))
        >>> out = os.path.join(tempfile.mkdtemp(), "g.nt")
        >>> export_graph(g, out)
        'ntriples'
        >>> open(out).read()
        '<urn:x:a> <http://www.w3.org/2000/01/rdf-schema#label> "A" .\\n'
    """
    name = _resolve_format(path, format)
    from .store import Store

    def write(out: BinaryIO) -> None:
        if isinstance(source, Store):
            source.dump(out, name)
        else:
            _write_rdflib(source, out, name)

    if path is None or str(path) == "-":
        stream = sys.stdout.buffer
        write(stream)
        stream.flush()
        return name

    target = Path(path)
    if isinstance(source, Store):
        refuse_inside_store(target, getattr(source, "location", ""))
    try:
        with atomic_write(target, force=force) as fh:
            write(fh)
    except KGError:
        raise
    except (OSError, ValueError) as err:
        raise ExportError(f"cannot export to {target}: {err}") from err
    return name
