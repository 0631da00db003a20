"""Check graphs against geokg's SHACL shapes (``ontology/shapes.ttl``).

Validation runs without inference: the shapes expect what docs/rdf-model.md
describes, each entity's core class asserted directly. A dataset (one named
graph per article) is validated as the union of its graphs, which is what
queries over a store see.

Examples:
    >>> from rdflib import Graph, Literal
    >>> from kg.vocab import GKG, ID, RDF, RDFS
    >>> g = Graph()
    >>> _ = g.add((ID["country/JPN"], RDF.type, GKG.Country))
    >>> validate(g).conforms
    False
    >>> _ = g.add((ID["country/JPN"], RDFS.label, Literal("Japan")))
    >>> report = validate(g)
    >>> report.conforms, report.nodes_checked
    (True, 1)
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple

from .errors import KGError

if TYPE_CHECKING:
    from rdflib import Graph
    from rdflib.term import Node

__all__ = ["Violation", "ValidationReport", "validate", "validate_files", "validate_store", "read_rdf_files"]

# file extension -> rdflib parser name
_SUFFIX_FORMATS = {
    ".ttl": "turtle", ".turtle": "turtle", ".nt": "nt", ".nq": "nquads", ".trig": "trig",
    ".jsonld": "json-ld", ".json": "json-ld", ".rdf": "xml", ".owl": "xml", ".xml": "xml",
}


class Violation(NamedTuple):
    """One SHACL result: the node that fails, along which path, why, how badly."""

    focus: Node
    path: Node | None
    message: str
    severity: str  # "Violation", "Warning" or "Info"


@dataclass(frozen=True)
class ValidationReport:
    """The outcome of :func:`validate`.

    Attributes:
        conforms: True when the graph satisfies every shape.
        violations: every result, sorted by focus node then path.
        text: a readable report, one line per result.
        nodes_checked: how many distinct nodes the shapes targeted.
    """

    conforms: bool
    violations: tuple[Violation, ...]
    text: str
    nodes_checked: int = 0


def validate(graph_or_dataset: Graph, shapes: Graph | str | Path | None = None) -> ValidationReport:
    """Validate a graph, or the union of a dataset's graphs, against SHACL shapes.

    Args:
        graph_or_dataset: an rdflib ``Graph`` (one article) or ``Dataset`` /
            ``ConjunctiveGraph`` (many articles; their union is validated).
        shapes: a shapes graph or a Turtle file. By default geokg's own shapes, plus
            the check that each rdf:Statement's relation is also a direct triple.

    Returns:
        A :class:`ValidationReport`.

    Raises:
        KGError: when the shapes themselves are malformed.
    """
    from pyshacl import validate as shacl_validate
    from pyshacl.errors import ReportableRuntimeError
    from rdflib import Graph
    from rdflib.graph import ConjunctiveGraph

    from .resources import load_shapes

    if shapes is None:
        shapes_graph = load_shapes()
    elif isinstance(shapes, Graph):
        shapes_graph = shapes
    else:
        shapes_graph = Graph().parse(str(shapes), format="turtle")

    data = graph_or_dataset
    if isinstance(data, ConjunctiveGraph):
        # pyshacl would check each named graph alone; the store's view is the union
        union = Graph()
        for s, p, o, _ in data.quads((None, None, None, None)):
            union.add((s, p, o))
        data = union

    try:
        conforms, results, _text = shacl_validate(
            data, shacl_graph=shapes_graph, inference="none", advanced=False,
            allow_warnings=False, allow_infos=False,
        )
    except ReportableRuntimeError as err:
        raise KGError(f"SHACL validation failed: {err.message}") from err

    found = _violations(results)
    if shapes is None:  # the one rule of geokg's model that shapes.ttl leaves to Python
        found += _missing_direct_triples(data)
    found.sort(key=lambda pair: (str(pair[0].focus), str(pair[0].path), pair[0].message, str(pair[1])))
    ok = bool(conforms) and not found
    return ValidationReport(
        conforms=ok,
        violations=tuple(violation for violation, _ in found),
        text=_render(ok, found, data),
        nodes_checked=_count_targets(data, shapes_graph),
    )


def _violations(results: Graph) -> list[tuple[Violation, Node | None]]:
    """Each result with its value node (shown in the text, not part of :class:`Violation`)."""
    from rdflib.namespace import RDF, SH

    found = []
    for result in results.subjects(RDF.type, SH.ValidationResult):
        focus = results.value(result, SH.focusNode)
        path = results.value(result, SH.resultPath)
        messages = sorted(str(m) for m in results.objects(result, SH.resultMessage))
        severity = results.value(result, SH.resultSeverity)
        label = str(severity).rsplit("#", 1)[-1] if severity is not None else "Violation"
        if not messages:
            component = results.value(result, SH.sourceConstraintComponent)
            messages = [f"fails {component}"]
        value = results.value(result, SH.value)
        found.append((Violation(focus, path, messages[0], label), value))
    return found


def _missing_direct_triples(data: Graph) -> list[tuple[Violation, Node | None]]:
    """Statements whose relation is not also asserted as a plain triple (docs/rdf-model.md).

    Kept out of shapes.ttl: as a SPARQL constraint it costs one rdflib query per statement.
    """
    from rdflib.namespace import RDF

    from .vocab import GKG

    found = []
    for stmt in set(data.subjects(RDF.type, RDF.Statement)):
        subject = data.value(stmt, RDF.subject)
        obj = data.value(stmt, RDF.object)
        if subject is None or obj is None:
            continue  # reported by the shapes
        for link in (RDF.predicate, GKG.finePredicate):
            for pred in data.objects(stmt, link):
                if (subject, pred, obj) not in data:
                    name = f"gkg:{pred[len(GKG):]}" if pred.startswith(GKG) else pred.n3()
                    message = ("The relation a statement describes is also asserted as a direct "
                               f"triple with {name}")
                    found.append((Violation(stmt, None, message, "Violation"), pred))
    return found


def _count_targets(data: Graph, shapes: Graph) -> int:
    """Distinct nodes the shapes target by class or as subjects of a predicate."""
    from rdflib.namespace import RDF, SH

    nodes = set()
    for cls in set(shapes.objects(None, SH.targetClass)):
        nodes.update(data.subjects(RDF.type, cls))
    for pred in set(shapes.objects(None, SH.targetSubjectsOf)):
        nodes.update(data.subjects(pred, None))
    for node in set(shapes.objects(None, SH.targetNode)):
        nodes.add(node)
    return len(nodes)


def _render(conforms: bool, found: list[tuple[Violation, Node | None]], data: Graph) -> str:
    from rdflib import Graph

    from .vocab import GKG, ID

    names = Graph().namespace_manager
    names.bind("gkg", GKG)
    names.bind("id", ID)
    for prefix, ns in data.namespace_manager.namespaces():
        names.bind(prefix, ns, override=False)

    def short(node: Node | None) -> str:
        if node is None:
            return "-"
        try:
            return node.n3(names)
        except Exception:  # a blank-node path or an odd literal
            return str(node)

    lines = [f"Conforms: {conforms}"]
    if found:
        lines.append(f"Results ({len(found)}):")
        for v, value in found:
            shown = "" if value is None or value == v.focus else f" = {short(value)}"
            lines.append(f"  {v.severity}: {short(v.focus)} {short(v.path)}{shown}: {v.message}")
    return "\n".join(lines)


#: rdflib parser name (used in messages) -> pyoxigraph RdfFormat attribute
_OX_FORMATS = {"turtle": "TURTLE", "nt": "N_TRIPLES", "nquads": "N_QUADS", "trig": "TRIG",
               "json-ld": "JSON_LD", "xml": "RDF_XML"}
_DTD_MARKERS = (b"<!doctype", b"<!entity")
_CHUNK = 1 << 20


def _refuse_dtd(path: Path) -> None:
    """Refuse RDF/XML with a DOCTYPE or ENTITY declaration, before any XML parser sees it.

    Entity expansion ("billion laughs") makes a kilobyte file expand to
    gigabytes, and external entities read other files; geokg's exports never
    declare entities. The file is scanned in 1 MB pieces: bounded memory.
    """
    from .errors import InputError

    keep = max(len(m) for m in _DTD_MARKERS) - 1
    tail = b""
    first = True
    with open(path, "rb") as fh:
        while True:
            chunk = fh.read(_CHUNK)
            if not chunk:
                return
            if first:
                first = False
                if chunk.startswith((b"\xff\xfe", b"\xfe\xff")) or b"\x00" in chunk[:4]:
                    raise InputError(f"{path} is not UTF-8; geokg reads RDF/XML in UTF-8 only")
            window = (tail + chunk).lower()
            for marker in _DTD_MARKERS:
                if marker in window:
                    what = marker[2:].decode().upper()
                    raise InputError(
                        f"{path}: RDF/XML with a {what} declaration is refused (entity expansion can "
                        "exhaust memory, external entities read other files) — remove the DOCTYPE")
            tail = window[-keep:]


def _syntax_message(err: SyntaxError) -> str:
    """``line L, column C: what`` from a pyoxigraph parse error."""
    message = err.msg or str(err)
    # "Parser error between line 3 column 11 and line 4 column 1: Unexpected end of file"
    detail = message.split(": ", 1)[1] if message.startswith("Parser error") and ": " in message else message
    if "LoadDocumentCallback" in message or "remote context" in message:
        return ("a remote JSON-LD @context is not fetched (geokg reads no URL while importing) — "
                "inline the context in the file")
    if err.lineno:
        where = f"line {err.lineno}" + (f", column {err.offset}" if err.offset else "")
        return f"{where}: {detail}"
    return detail


def read_rdf_files(paths: list[str | Path], *, default_union: bool = False) -> Graph:
    """Parse RDF files into one dataset, the format chosen by each file's extension.

    The files are read with Oxigraph's strict parsers, each file completely
    before anything is added, so a truncated or malformed file adds nothing and
    the error names its line and column. Nothing is fetched from the network: a
    JSON-LD file whose ``@context`` is a URL is refused, and so is RDF/XML with
    a ``DOCTYPE``/``ENTITY`` declaration (checked before parsing, in bounded memory).

    Args:
        paths: ``.ttl``, ``.nt``, ``.nq``, ``.trig``, ``.jsonld``/``.json`` or
            ``.rdf``/``.owl``/``.xml`` files.
        default_union: the returned dataset's default graph is the union of its graphs.

    Returns:
        An rdflib ``Dataset``; triple formats land in its default graph.

    Raises:
        InputError: when a file is missing, of an unknown kind, refused, or not valid RDF.
    """
    import pyoxigraph as ox
    from rdflib import BNode, Dataset, URIRef

    from .errors import InputError
    from .sparql import _Converter

    dataset = Dataset(default_union=default_union)
    for raw in paths:
        path = Path(raw)
        fmt = _SUFFIX_FORMATS.get(path.suffix.lower())
        if fmt is None:
            known = ", ".join(sorted(_SUFFIX_FORMATS))
            raise InputError(f"cannot tell the RDF format of {path} from its extension (one of {known})")
        if not path.is_file():
            raise InputError(f"no such file: {path}")
        attr, name = _OX_FORMATS[fmt], fmt
        try:
            if fmt == "xml":
                _refuse_dtd(path)
            quads = list(ox.parse(path=str(path), format=getattr(ox.RdfFormat, attr),
                                  base_iri=path.resolve().as_uri(), rename_blank_nodes=True))
        except SyntaxError as err:
            raise InputError(f"{path} is not valid {name}: {_syntax_message(err)}; "
                             "nothing was read from it") from err
        except OSError as err:
            raise InputError(f"cannot read {path}: {err.strerror or err}") from err
        except (ValueError, UnicodeError) as err:
            raise InputError(f"{path} is not valid {name}: {err}; nothing was read from it") from err
        term = _Converter()
        graphs: dict[object, Graph] = {}
        for q in quads:
            g = q.graph_name
            key = None if isinstance(g, ox.DefaultGraph) else (g.value, isinstance(g, ox.BlankNode))
            target = graphs.get(key)
            if target is None:
                if key is None:
                    target = dataset.default_graph
                else:
                    target = dataset.graph(BNode(key[0]) if key[1] else URIRef(key[0]))
                graphs[key] = target
            target.add((term(q.subject), term(q.predicate), term(q.object)))
    return dataset


def validate_files(paths: list[str | Path], shapes: Graph | str | Path | None = None) -> ValidationReport:
    """Validate the union of RDF files (see :func:`read_rdf_files` and :func:`validate`)."""
    return validate(read_rdf_files(paths), shapes)


def validate_store(location: str, shapes: Graph | str | Path | None = None) -> ValidationReport:
    """Validate the union of every article graph in a store.

    Args:
        location: a store folder or SPARQL server URL, as for :func:`kg.store.open_store`.
        shapes: as for :func:`validate`.

    Raises:
        StoreError: when there is no store at ``location`` (nothing is created).
    """
    import io

    from rdflib import Graph

    from .store import open_store

    buffer = io.BytesIO()
    with open_store(location, create=False, read_only=True) as store:
        # a triple format: the store gives the union with each triple once
        store.dump(buffer, "ntriples")
    union = Graph()
    union.parse(data=buffer.getvalue().decode("utf-8"), format="nt")
    return validate(union, shapes)
