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

# public name -> (module, attribute); imported on first access (PEP 562). Names differ from
# submodule names (kg.extract, kg.validate) because importing a submodule binds it on the package.
_LAZY = {
    "read_document": ("kg.reader", "read_document"),
    "read_text": ("kg.reader", "read_text"),
    "extract_document": ("kg.pipeline", "extract_document"),
    "to_graph": ("kg.rdf", "to_graph"),
    "build_graph": ("kg.pipeline", "build_graph"),
    "build_files": ("kg.pipeline", "build_files"),
    "ingest": ("kg.pipeline", "ingest"),
    "open_store": ("kg.store", "open_store"),
    "Store": ("kg.store", "Store"),
    "validate_graph": ("kg.validate", "validate"),
    "export_graph": ("kg.export", "export_graph"),
    "project": ("kg.analysis", "project"),
    "analyze": ("kg.analysis", "analyze"),
    "write_html": ("kg.view", "write_html"),
}

__all__ = [
    "__version__", "KGError", "Document", "Entity", "Evidence", "Extraction", "Relation", *_LAZY,
]


def __getattr__(name: str) -> Any:
    target = _LAZY.get(name)
    if target is None:
        raise AttributeError(f"module 'kg' has no attribute {name!r}")
    value = getattr(import_module(target[0]), target[1])
    globals()[name] = value
    return value
