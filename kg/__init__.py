"""geokg: knowledge graphs of geopolitical news.

Heavy modules (spaCy, pyoxigraph, networkx) load only when the function that
needs them is first used.

Examples:
    >>> import kg
    >>> kg.__version__ != ""
    True
"""

from __future__ import annotations

from importlib import import_module
from importlib.metadata import PackageNotFoundError, version
from typing import Any

from .errors import KGError as KGError
from .model import Document as Document
from .model import Entity as Entity
from .model import Evidence as Evidence
from .model import Extraction as Extraction
from .model import Relation as Relation

try:
    __version__ = version("geokg")
except PackageNotFoundError:  # pragma: no cover - source tree without install
    __version__ = "0+unknown"

# public name -> module that defines it; imported on first access (PEP 562)
_LAZY = {
    "read_document": "kg.reader",
    "read_text": "kg.reader",
    "extract": "kg.extract",
    "to_graph": "kg.rdf",
    "build_graph": "kg.pipeline",
    "build_file": "kg.pipeline",
    "Store": "kg.store",
    "open_store": "kg.store",
    "validate": "kg.validate",
    "export_graph": "kg.export",
}

__all__ = [
    "__version__", "KGError", "Document", "Entity", "Evidence", "Extraction", "Relation", *_LAZY,
]


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'kg' has no attribute {name!r}")
    value = getattr(import_module(module), name)
    globals()[name] = value
    return value
