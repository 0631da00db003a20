"""One exception hierarchy for geokg; the CLI turns each into a one-line ``Error: …``."""

from __future__ import annotations


class KGError(Exception):
    """Base class of every error geokg raises on purpose."""


class InputError(KGError):
    """An article or file cannot be read (missing, binary, too large, unreadable)."""


class EmptyInputError(InputError):
    """An article holds no text; callers usually skip it with a warning."""


class StoreError(KGError):
    """The store is missing, locked, of the wrong kind, or a write failed."""


class QueryError(KGError):
    """A SPARQL query is malformed, refused (updates, SERVICE, LOAD) or timed out."""


class ExportError(KGError):
    """An export or output file cannot be written."""


class NotFoundError(KGError):
    """A named entity or article does not exist."""


class AmbiguousNameError(KGError):
    """A name matches several entities."""
