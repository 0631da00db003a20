"""Frozen dataclasses passed between the stages: read → extract → rdf → store.

Nothing here imports spaCy or a store, so every stage can be tested alone.
"""

from __future__ import annotations

import datetime as _dt
import hashlib
from dataclasses import dataclass, field

from .vocab import slug


@dataclass(frozen=True)
class Document:
    """One article as read from a file, stdin or a string.

    ``text`` is the whole cleaned text; ``body_start`` is the offset where the
    body begins (after headline and dateline). Character offsets anywhere in
    geokg are offsets into ``text``.
    """

    text: str
    source: str = "<string>"
    title: str | None = None
    dateline_place: str | None = None
    date: _dt.date | None = None
    body_start: int = 0
    sha256: str = ""
    media_type: str = "text/plain"
    warnings: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        if not self.sha256:
            digest = hashlib.sha256(self.text.encode("utf-8")).hexdigest()
            object.__setattr__(self, "sha256", digest)

    @property
    def key(self) -> str:
        """Stable article key: the source's file stem plus a hash of where it came from.

        Re-reading the same path gives the same key (so a changed article replaces
        its old graph); text without a path is keyed by its content.
        """
        if self.source in ("<string>", "<stdin>", "-", ""):
            return f"text-{self.sha256[:12]}"
        stem = self.source.replace("\\", "/").rsplit("/", 1)[-1].rsplit(".", 1)[0]
        where = hashlib.sha256(self.source.encode("utf-8")).hexdigest()[:8]
        return f"{slug(stem)}-{where}"


@dataclass(frozen=True)
class Evidence:
    """Where a relation was read: the sentence, its offsets in the text, and how."""

    sentence: str
    start: int
    end: int
    rule: str
    confidence: float


@dataclass(frozen=True)
class Entity:
    """One real-world thing found in an article.

    ``key`` is the IRI path below ``https://w3id.org/geokg/id/``: global for
    countries (``country/JPN``), organisations, persons, issues, named agreements
    and locations; article-scoped keys (events, unnamed agreements) start with
    ``article/<article key>/``.
    """

    key: str
    cls: str
    label: str
    aliases: tuple[str, ...] = ()
    attributes: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True)
class Relation:
    """A directed relation between two entity keys with its evidence.

    ``predicate`` is a core predicate (``supports``); ``fine`` an optional finer
    sub-property (``praises``) asserted alongside it.
    """

    subject: str
    predicate: str
    object: str
    evidence: Evidence
    fine: str | None = None


@dataclass(frozen=True)
class Extraction:
    """Everything extracted from one document."""

    document: Document
    entities: tuple[Entity, ...] = ()
    relations: tuple[Relation, ...] = ()
    stats: dict = field(default_factory=dict, compare=False)
