"""Data files shipped with geokg: the OWL ontology, the SHACL shapes, the issue scheme.

Files are looked up in ``kg/ontology/`` (an installed wheel) and then in the
source tree's ``ontology/`` folder, and parsed once per process.

Examples:
    >>> ontology_path("geokg.ttl").name
    'geokg.ttl'
    >>> from kg.vocab import GKG, OWL, RDF
    >>> (GKG.Actor, RDF.type, OWL.Class) in load_ontology()
    True
"""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

from .errors import NotFoundError

if TYPE_CHECKING:  # rdflib is light, but keep `kg --help` free of it
    from rdflib import Graph

__all__ = [
    "ONTOLOGY_FILE", "SHAPES_FILE", "ISSUES_FILE",
    "ontology_path", "load_ontology", "load_shapes", "load_issue_scheme",
]

ONTOLOGY_FILE = "geokg.ttl"
SHAPES_FILE = "shapes.ttl"
ISSUES_FILE = "issues.ttl"

_HERE = Path(__file__).resolve().parent
# installed package first, then the source tree (kg/../ontology)
_SEARCH = (_HERE / "ontology", _HERE.parent / "ontology")


def ontology_path(name: str) -> Path:
    """Path of a file from the ontology folder.

    Args:
        name: file name such as ``"shapes.ttl"``.

    Returns:
        The first existing ``kg/ontology/<name>`` or ``<source tree>/ontology/<name>``.

    Raises:
        NotFoundError: when neither exists (a broken install).
    """
    for folder in _SEARCH:
        path = folder / name
        if path.is_file():
            return path
    tried = ", ".join(str(folder / name) for folder in _SEARCH)
    raise NotFoundError(f"ontology file {name!r} not found (tried {tried}); reinstall geokg")


def _parse(name: str) -> Graph:
    from rdflib import Graph

    graph = Graph()
    graph.parse(ontology_path(name), format="turtle")
    return graph


@cache
def load_ontology() -> Graph:
    """The OWL ontology ``geokg.ttl`` (cached: do not modify the returned graph)."""
    return _parse(ONTOLOGY_FILE)


@cache
def load_shapes() -> Graph:
    """The SHACL shapes ``shapes.ttl`` (cached: do not modify the returned graph)."""
    return _parse(SHAPES_FILE)


@cache
def load_issue_scheme() -> Graph:
    """The SKOS issue scheme ``issues.ttl`` (cached: do not modify the returned graph)."""
    return _parse(ISSUES_FILE)
