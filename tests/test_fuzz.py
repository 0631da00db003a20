"""Case 26 of issue #6: fuzzing the article reader and the ingester, within a time budget.

Hypothesis drives both targets (atheris is not needed: the inputs are built
from strategies, and Hypothesis shrinks a failure to a small example):

* the reader, :func:`kg.reader.read_bytes`, on mutations of a real news
  article (plain text and HTML), re-encoded, truncated, spliced with hostile
  tokens (NUL, BOMs, bidi overrides, surrogates encoded as bytes, markup,
  datelines), and on random bytes;
* the whole ingester, :func:`kg.pipeline.extract_document` then
  :func:`kg.rdf.to_graph`, then storing the graph and reading it back, on
  mutated news text, random Unicode and HTML-ish fragments.

The property is "no crash, no hang": the reader either refuses with an
``InputError`` or returns a clean Document; the ingester's graph keeps every
evidence offset inside the text, and the store takes it and gives it back.
Each example has a deadline; each target runs repeated Hypothesis runs (fresh
random seeds) until its share of ``KG_FUZZ_SECONDS`` (default 15: a third for
the reader, the rest for the ingester) is spent. A watchdog alarm fails the
test if a run hangs. CI can raise the budget, e.g. ``KG_FUZZ_SECONDS=600``.
"""

from __future__ import annotations

import os
import signal
import time
import unicodedata
from decimal import Decimal
from pathlib import Path

import pytest
import rdflib
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rdflib import namespace as ns
from rdflib.compare import isomorphic

from kg.errors import EmptyInputError, InputError
from kg.reader import clean_text, read_bytes

REPO = Path(__file__).resolve().parents[1]
BUDGET = float(os.environ.get("KG_FUZZ_SECONDS", "15"))
GKG = rdflib.Namespace("https://w3id.org/geokg/ontology#")

NEWS = (REPO / "examples" / "us-japan-summit.txt").read_text(encoding="utf-8")
NEWS_HEAD = NEWS[:1500]
HTML_NEWS = (
    "<!doctype html><html><head><title>Summit in Tokyo</title><script>var x = '<p>no</p>';</script>"
    "</head><body><nav>Home</nav><article><h1>Trump–Takaichi Summit Marks New Phase</h1>"
    "<p>TOKYO, Oct. 28, 2025 — " + NEWS_HEAD.split("\n\n")[3].replace("&", "&amp;") + "</p>"
    "<p onclick=\"evil()\">Japan and the United States signed a <a href='javascript:x'>framework</a>"
    " on critical minerals.<br>China criticized the agreement.</p></article></body></html>"
)
SEEDS = [NEWS.encode("utf-8"), NEWS_HEAD.encode("utf-8"), HTML_NEWS.encode("utf-8"),
         NEWS_HEAD.encode("utf-16"), NEWS_HEAD.encode("cp1252", errors="replace")]

TOKENS = [b"\x00", b"\xff\xfe", b"\xfe\xff", b"\xef\xbb\xbf", b"\xed\xa0\x80", b"\xc3", b"\xe9", b"\x80",
          "\u202e".encode(), "\u2028".encode(), "\u2066".encode(), "\ufeff".encode(), "😀".encode(),
          "e\u0301".encode(), b"\x1b[31m", b"\r", b"\r\n", b"\n\n", b"\t", b"\x0c", b"\x85",
          "VIENNA, Dec 6 — ".encode(), b"PARIS (Reuters) - ", b"# ", b"**", b"_", b"[x](javascript:y)",
          b"<html>", b"<!doctype html>", b"<script>", b"</script>", b"</", b"<!--", b"-->", b"<svg onload=x>",
          b"<p>", b"<br>", b"<div>" * 50, b"&#0;", b"&#x202e;", b"&amp;", b"&", b"<a href=\"", b"'", b'"',
          b"%PDF-1.7", b"\x89PNG\r\n\x1a\n", b"PK\x03\x04", b"Mr.", b"U.S.", "—".encode(), "–".encode(),
          b"President Donald Trump", b"Prime Minister Sanae Takaichi", b" praised ", b" criticized ",
          b"Japan", b"China", b" and ", b".", b",", b" "]


@st.composite
def mutated(draw: st.DrawFn, seeds: list[bytes] = SEEDS, max_ops: int = 10) -> bytes:
    """A seed, cut and then changed by a few byte-level edits."""
    data = bytearray(draw(st.sampled_from(seeds)))
    if draw(st.booleans()):
        start = draw(st.integers(0, len(data)))
        data = data[start:start + draw(st.integers(0, 4000))]
    for _ in range(draw(st.integers(0, max_ops))):
        op = draw(st.sampled_from(["flip", "insert", "insert", "delete", "repeat", "random"]))
        pos = draw(st.integers(0, len(data)))
        if op == "flip" and data:
            data[min(pos, len(data) - 1)] ^= 1 << draw(st.integers(0, 7))
        elif op == "insert":
            data[pos:pos] = draw(st.sampled_from(TOKENS))
        elif op == "delete":
            del data[pos:pos + draw(st.integers(1, 64))]
        elif op == "repeat":
            chunk = data[pos:pos + draw(st.integers(1, 128))]
            data[pos:pos] = chunk * draw(st.integers(1, 30))
        else:
            data[pos:pos] = draw(st.binary(max_size=16))
    return bytes(data)


_fragments = st.lists(st.one_of(
    st.sampled_from([t.decode("utf-8", "replace") for t in TOKENS]),
    st.text(max_size=12),
    st.sampled_from(["<p>", "</p>", "<h1>", "</h1>", "<title>", "<time datetime='2025-02-30'>", "<article>",
                     "<b>", "<li>", "<table><tr><td>", "<!--x-->", "<![CDATA[", "]]>", "<?xml ?>", "&nbsp;",
                     "&#x110000;", "&#55296;"]),
), max_size=40).map("".join)
_texts = st.one_of(
    mutated(seeds=[NEWS_HEAD.encode("utf-8"), HTML_NEWS.encode("utf-8")], max_ops=6).map(
        lambda b: b.decode("utf-8", "replace")),
    st.text(max_size=300),
    _fragments,
)
_SOURCES = st.sampled_from(["article.txt", "article.html", "article.md", "page.htm", "<string>"])
_FORBIDDEN = frozenset("\x00\r\u2028\u2029\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\ufeff")


def _check_document(doc) -> None:
    text = doc.text
    assert text and text == clean_text(text)
    assert 0 <= doc.body_start <= len(text)
    assert unicodedata.is_normalized("NFC", text)
    for ch in text:
        assert ch not in _FORBIDDEN and not ("\ud800" <= ch <= "\udfff"), repr(ch)
        assert ch in "\n\t" or unicodedata.category(ch) != "Cc", repr(ch)
    if doc.title is not None:
        assert doc.title.strip() and "\n" not in doc.title  # one line (a tab may stay, as in the text)
        assert not any(unicodedata.category(c) == "Cc" for c in doc.title.replace("\t", " "))


@settings(max_examples=40, deadline=5000, derandomize=False, database=None,
          suppress_health_check=list(HealthCheck))
@given(data=st.one_of(mutated(), st.binary(max_size=2000)), source=_SOURCES)
def fuzz_reader(data: bytes, source: str) -> None:
    try:
        doc = read_bytes(data, source=source)
    except InputError:
        return
    _check_document(doc)


def _check_graph(doc, g: rdflib.Graph) -> None:
    from kg.store import EmbeddedStore

    article = next(g.subjects(ns.RDF.type, GKG.Article))
    for st_ in g.subjects(ns.RDF.type, ns.RDF.Statement):
        start, end = g.value(st_, GKG.charStart).toPython(), g.value(st_, GKG.charEnd).toPython()
        assert 0 <= start < end <= len(doc.text)
        assert str(g.value(st_, GKG.sentence)) == doc.text[start:end]
        assert Decimal(0) <= g.value(st_, GKG.confidence).toPython() <= Decimal(1)
    store = EmbeddedStore.in_memory()
    store.replace_article(str(article), g)
    back = rdflib.Graph()
    for t in store.to_dataset().graph(article):
        back.add(t)
    assert len(back) == len(g)
    assert isomorphic(back, g)


@settings(max_examples=15, deadline=10_000, derandomize=False, database=None,
          suppress_health_check=list(HealthCheck))
@given(text=_texts, source=_SOURCES)
def fuzz_ingester(text: str, source: str) -> None:
    from kg.nlp import load_nlp
    from kg.pipeline import extract_document
    from kg.rdf import to_graph
    from kg.reader import read_text

    try:
        doc = read_text(text, source=source)
    except EmptyInputError:
        return
    _check_document(doc)
    extraction = extract_document(doc, nlp=load_nlp())
    for rel in extraction.relations:
        assert doc.text[rel.evidence.start:rel.evidence.end] == rel.evidence.sentence
    _check_graph(doc, to_graph(extraction))


class _Hang(Exception):
    pass


def _run_for(seconds: float, target) -> int:
    """Repeat Hypothesis runs of ``target`` (fresh seeds) until ``seconds`` are spent."""
    def hung(_signum, _frame):
        raise _Hang(f"a fuzz run of {target.__name__} did not finish {seconds + 120:.0f} s after starting")

    previous = signal.signal(signal.SIGALRM, hung)
    signal.alarm(int(seconds + 120))
    runs = 0
    try:
        deadline = time.monotonic() + seconds
        while True:
            target()
            runs += 1
            if time.monotonic() >= deadline:
                return runs
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


def test_case26_fuzz_reader():
    assert _run_for(BUDGET / 3, fuzz_reader) >= 1


def test_case26_fuzz_ingester():
    pytest.importorskip("spacy")
    assert _run_for(BUDGET * 2 / 3, fuzz_ingester) >= 1
