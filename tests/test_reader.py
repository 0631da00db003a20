"""Tests for kg.reader: decoding, cleaning, HTML/Markdown, headline and dateline, file handling."""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
import textwrap
import unicodedata
from pathlib import Path

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from kg.errors import EmptyInputError, InputError
from kg.reader import (
    DEFAULT_MAX_BYTES,
    clean_text,
    iter_article_paths,
    parse_date,
    read_bytes,
    read_document,
    read_text,
)

REPO = Path(__file__).resolve().parents[1]
TODAY = dt.date.today()


def body(doc):
    return doc.text[doc.body_start :]


# ----------------------------------------------------------------- empty / binary


@pytest.mark.parametrize("content", [b"", b"   \n\t\r\n  ", "\u2028\u00a0\n".encode(), b"\xef\xbb\xbf"])
def test_empty_or_whitespace_file_is_empty_input(tmp_path, content):
    path = tmp_path / "a.txt"
    path.write_bytes(content)
    with pytest.raises(EmptyInputError, match="no text"):
        read_document(path)


def test_empty_input_error_is_input_error():
    assert issubclass(EmptyInputError, InputError)
    with pytest.raises(InputError):
        read_text("\x00\x01 \u202e")


@pytest.mark.parametrize(
    "content, kind",
    [
        (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n", "PDF"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "PNG"),
        (b"GIF89a\x01\x00", "GIF"),
        (b"\xff\xd8\xff\xe0\x00\x10JFIF", "JPEG"),
        (b"PK\x03\x04\x14\x00", "ZIP"),
        (b"\x1f\x8b\x08\x00", "gzip"),
        (b"\x7fELF\x02\x01\x01", "ELF"),
        (b"Hello\x00world\x00\x01\x02 this is not text", "NUL"),
        (bytes(range(1, 9)) * 50 + b"some text", "control"),
    ],
)
def test_binary_named_txt_is_refused(tmp_path, content, kind):
    path = tmp_path / "article.txt"
    path.write_bytes(content)
    with pytest.raises(InputError, match="binary") as info:
        read_document(path)
    assert kind in str(info.value)
    assert "convert" in str(info.value)  # says what to do


# -------------------------------------------------------------------- decoding


def test_cp1252_smart_quotes_decoded_with_warning():
    doc = read_bytes(b"He said \x93caf\xe9\x94 \x96 twice.")
    assert doc.text == "He said \u201ccaf\u00e9\u201d \u2013 twice."
    assert doc.warnings == ("decoded as cp1252: not valid UTF-8",)


def test_latin1_fallback_when_not_cp1252():
    # 0x81 is undefined in cp1252; latin-1 maps it to a C1 control, which cleaning drops
    doc = read_bytes(b"Caf\xe9 \x81ol\xe9")
    assert doc.text == "Café olé"
    assert any("latin-1" in w for w in doc.warnings)


@pytest.mark.parametrize("encoding", ["utf-16-le", "utf-16-be", "utf-32-le", "utf-32-be"])
def test_utf16_and_utf32_with_bom(encoding):
    text = "Ünïcödé “quotes” — ok"
    bom = {
        "utf-16-le": b"\xff\xfe",
        "utf-16-be": b"\xfe\xff",
        "utf-32-le": b"\xff\xfe\x00\x00",
        "utf-32-be": b"\x00\x00\xfe\xff",
    }[encoding]
    doc = read_bytes(bom + text.encode(encoding))
    assert doc.text == text
    assert doc.warnings == ()


@pytest.mark.parametrize("encoding", ["utf-16-le", "utf-16-be"])
def test_utf16_without_bom_is_sniffed(encoding):
    text = "Leaders met in Vienna on Monday.\nThey agreed."
    assert read_bytes(text.encode(encoding)).text == text


def test_utf8_with_bom(tmp_path):
    path = tmp_path / "bom.txt"
    path.write_bytes(b"\xef\xbb\xbfHello \xe2\x80\x9cworld\xe2\x80\x9d")
    doc = read_document(path)
    assert doc.text == "Hello “world”"
    assert doc.warnings == ()


def test_html_declared_charset_used_when_not_utf8():
    data = '<html><head><meta charset="iso-8859-7"></head><body><p>Αθήνα</p></body></html>'.encode(
        "iso-8859-7"
    )
    doc = read_bytes(data, source="a.html")
    assert doc.text == "Αθήνα"


# -------------------------------------------------------------------- cleaning


def test_control_bidi_separators_and_surrogates_removed():
    raw = "A\x00b\x07c\x1b\x7f\x85d\u0090\tE\u2028F\u2029G\u202eH\u2066I\u2069\ud800J\r\nK\rL\ufeffM"
    doc = read_text(raw)
    assert doc.text == "Abc\nd\tE\nF\nG" + "HIJ\nK\nLM"


def test_nfc_and_typography_kept():
    doc = read_text("Cafe\u0301 \u201cquoted\u201d \u2014 dash \u2013 en, \u2019apos")
    assert doc.text == "Café “quoted” — dash – en, ’apos"
    assert unicodedata.is_normalized("NFC", doc.text)


def test_clean_text_idempotent_example():
    once = clean_text("\r\n x\u0301\u202a\r")
    assert clean_text(once) == once == "x\u0301".replace("x\u0301", unicodedata.normalize("NFC", "x\u0301"))


# ------------------------------------------------------------------------ HTML


HTML_ARTICLE = """<!DOCTYPE html>
<html><head><title>Leaders Meet in Rome | Example News</title>
<meta property="og:title" content="OG title">
<meta property="article:published_time" content="2025-03-04T10:00:00Z">
<script>alert("SCRIPT")</script><style>p { color: red }</style></head>
<body onload="evil()"><header><nav><a href="/">HOME NAV</a></nav></header>
<article>
  <header><h1>Leaders <svg onload="alert('SVG')"><text>SVGTEXT</text></svg>Meet in Rome</h1>
  <time datetime="2025-03-03T09:00">March 3</time></header>
  <p>ROME, March 3 — Leaders met <a href="javascript:alert('JS')">here</a> &amp;
     <img src="x" onerror="alert('ONERROR')">talked.</p>
  <p>Second<br>line.</p>
  <noscript>NOSCRIPT</noscript><template>TEMPLATE</template>
  <form action="/x"><input value="FORMVALUE"><button>BUTTON</button></form>
  <iframe src="javascript:alert(1)">IFRAME</iframe><math><mi>MATH</mi></math>
  <aside>ASIDE related</aside><footer>ARTICLE FOOTER</footer>
</article>
<footer>SITE FOOTER</footer></body></html>"""


def test_html_text_only():
    doc = read_text(HTML_ARTICLE)
    assert doc.media_type == "text/html"
    assert doc.text == "ROME, March 3 — Leaders met here & talked.\n\nSecond\nline."
    for bad in (
        "SCRIPT",
        "SVG",
        "JS",
        "ONERROR",
        "evil",
        "javascript",
        "onerror",
        "<",
        ">",
        "NAV",
        "NOSCRIPT",
        "TEMPLATE",
        "FORMVALUE",
        "BUTTON",
        "IFRAME",
        "MATH",
        "ASIDE",
        "FOOTER",
        "color",
    ):
        assert bad not in doc.text
    assert doc.title == "Leaders Meet in Rome"
    assert doc.date == dt.date(2025, 3, 3)  # <time datetime> before meta
    assert doc.dateline_place == "ROME"
    assert body(doc).startswith("Leaders met here")


def test_html_by_extension_without_doctype_and_title_fallbacks():
    doc = read_bytes(
        b"<title>Page Title</title><p>Hello <b>bold</b> world.</p><p>Next para.</p>", source="x.htm"
    )
    assert doc.text == "Hello bold world.\n\nNext para."
    assert doc.title == "Page Title"
    og = read_bytes(b'<meta property="og:title" content="From OG"><p>Text here.</p>', source="x.html")
    assert og.title == "From OG"


def test_html_headline_in_text_is_skipped_by_body_start():
    doc = read_text("<html><body><h1>Big News Today</h1><p>PARIS (AFP) - It happened.</p></body></html>")
    assert doc.text == "Big News Today\n\nPARIS (AFP) - It happened."
    assert doc.title == "Big News Today"
    assert doc.dateline_place == "PARIS"
    assert body(doc) == "It happened."


def test_html_markup_only_is_empty():
    with pytest.raises(EmptyInputError):
        read_text("<html><head><script>x()</script></head><body> <img src=x> </body></html>")


PATHOLOGICAL = {
    "closing": 'b"<html><body>" + b"</" * 10**6',
    "nested": 'b"<html><body>" + b"<div>" * 100_000 + b"deep" + b"</div>" * 100_000',
    "big_attribute": (
        "b'<html><body><p a=\"' + b'x' * (10 * 1024 * 1024) + b'\" onclick=\"evil()\">hi</p>'"
        "+ b'<script>bad()</script><p>there</p>'"
    ),
    "many_attributes": "b'<html><body><p ' + b'onclick=evil ' * (1024 * 1024) + b'>hi</p>'",
    "unclosed_quotes": "b'<html><body>' + b'<a \"' * 10**6 + b'<p>tail</p>'",
    "unclosed_comments": "b'<html><body>' + b'<!--' * 10**6",
}


@pytest.mark.parametrize("name", sorted(PATHOLOGICAL))
def test_pathological_html_is_bounded(name):
    code = textwrap.dedent(f"""
        from kg.reader import read_bytes
        from kg.errors import EmptyInputError
        try:
            doc = read_bytes({PATHOLOGICAL[name]}, source="p.html")
        except EmptyInputError:
            print("EMPTY")
        else:
            assert "evil" not in doc.text and "bad()" not in doc.text and "<p" not in doc.text
            print(repr(doc.text[:40]))
    """)
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=REPO, capture_output=True, text=True, timeout=20
    )
    assert result.returncode == 0, result.stderr
    if name == "nested":
        assert "deep" in result.stdout
    if name == "big_attribute":
        assert "hi" in result.stdout and "there" in result.stdout


def test_markdown_pathological_emphasis_is_bounded():
    code = "from kg.reader import read_text; read_text('*a _b [c ' * 200_000, source='x.md')"
    subprocess.run([sys.executable, "-c", code], cwd=REPO, check=True, timeout=20)


# -------------------------------------------------------------------- markdown


def test_markdown_cleaned_and_offsets_refer_to_cleaned_text():
    md = textwrap.dedent("""\
        # Ministers *Back* New [Minerals](https://example.org/x) Pact

        **BRUSSELS, Oct. 2, 2025** — Ministers **agreed** on a _new_ pact with [Japan](http://jp.example) \
and `code` and snake_case_name.

        - a list item
        > quoted text
        """)
    doc = read_text(md, source="story.md")
    assert doc.media_type == "text/markdown"
    assert doc.title == "Ministers Back New Minerals Pact"
    assert doc.text.startswith(
        "Ministers Back New Minerals Pact\n\nBRUSSELS, Oct. 2, 2025 — Ministers agreed"
    )
    assert "*" not in doc.text and "](" not in doc.text and "#" not in doc.text
    assert "snake_case_name" in doc.text
    assert "\na list item\nquoted text" in doc.text
    assert doc.dateline_place == "BRUSSELS"
    assert doc.date == dt.date(2025, 10, 2)
    assert body(doc).startswith("Ministers agreed on a new pact with Japan and code and")


def test_markdown_setext_heading():
    doc = read_text(
        "Talks Collapse in Geneva\n========================\n\nGENEVA — Talks collapsed.", source="a.md"
    )
    assert doc.title == "Talks Collapse in Geneva"
    assert body(doc) == "Talks collapsed."


def test_plain_text_hash_heading_is_title():
    doc = read_text("# Pact Signed in Seoul\n\nSEOUL, Korea, Jan 5 — A pact was signed.")
    assert doc.title == "Pact Signed in Seoul"
    assert doc.dateline_place == "SEOUL, Korea"
    assert body(doc) == "A pact was signed."


# ---------------------------------------------------------- headline / dateline


@pytest.mark.parametrize(
    "text, title, place, date, body_text",
    [
        (
            "OPEC Agrees Output Rise\n\nVIENNA, Dec 6 — Members agreed on Saturday.\n\nMore text.",
            "OPEC Agrees Output Rise",
            "VIENNA",
            (12, 6),
            "Members agreed on Saturday.\n\nMore text.",
        ),
        (
            "Markets Fall on Tariff News\n\nPARIS (Reuters) - Stocks fell on Monday.",
            "Markets Fall on Tariff News",
            "PARIS",
            None,
            "Stocks fell on Monday.",
        ),
        (
            "Senate Passes Aid Bill\n\nWASHINGTON, March 3, 2025 — The Senate voted 60-40.",
            "Senate Passes Aid Bill",
            "WASHINGTON",
            dt.date(2025, 3, 3),
            "The Senate voted 60-40.",
        ),
        (
            "Quake Shakes Capital\n\nTOKYO — A strong earthquake struck.",
            "Quake Shakes Capital",
            "TOKYO",
            None,
            "A strong earthquake struck.",
        ),
        (
            "Gangs Retreat From Port\n\nPort-au-Prince, Haiti, June 2 – Gangs withdrew from the port.",
            "Gangs Retreat From Port",
            "Port-au-Prince, Haiti",
            (6, 2),
            "Gangs withdrew from the port.",
        ),
        (
            "World News\n\nLeaders Gather for Climate Summit in Rio\n\n"
            "RIO DE JANEIRO (AP) — Leaders gathered.",
            "Leaders Gather for Climate Summit in Rio",
            "RIO DE JANEIRO",
            None,
            "Leaders gathered.",
        ),
        (
            "Talks Stall Again\n\nBy Maria Lopez\n\n"
            "BOGOTÁ, Colombia, Tuesday, 4 November 2025 -- Talks stalled.",
            "Talks Stall Again",
            "BOGOTÁ, Colombia",
            dt.date(2025, 11, 4),
            "Talks stalled.",
        ),
        (
            "Rio de Janeiro, Brazil (Reuters) — Police raided a favela.",
            None,
            "Rio de Janeiro, Brazil",
            None,
            "Police raided a favela.",
        ),
        (
            "WASHINGTON—The White House said nothing.",
            None,
            "WASHINGTON",
            None,
            "The White House said nothing.",
        ),
    ],
)
def test_headline_and_dateline(text, title, place, date, body_text):
    doc = read_text(text)
    assert doc.title == title
    assert doc.dateline_place == place
    if isinstance(date, tuple):
        assert (doc.date.month, doc.date.day) == date
        assert doc.date <= TODAY and doc.date.year in (TODAY.year, TODAY.year - 1)
    else:
        assert doc.date == date
    assert body(doc) == body_text


@pytest.mark.parametrize(
    "text",
    [
        "Tokyo — the capital — was quiet.\n\nMore.",  # title-case word alone before a dash
        "U.S.–Japan ties deepened on Monday.",  # en dash inside a compound
        "Meanwhile, the talks — long stalled — resumed.",
        "Ministers met, and talked - at length.",
    ],
)
def test_not_a_dateline(text):
    doc = read_text(text)
    assert doc.dateline_place is None
    assert doc.title is None
    assert doc.body_start == 0


def test_sentence_first_line_is_not_a_headline():
    doc = read_text("Leaders met in Rome on Monday.\n\nThey agreed on a pact.")
    assert doc.title is None and doc.body_start == 0
    long_line = " ".join(["word"] * 25)
    assert read_text(long_line + "\n\nBody text.").title is None
    # a headline must be followed by a blank line
    assert read_text("Leaders Meet\nin Rome for talks.").title is None
    # an abbreviation at the end of a headline is not a sentence end
    assert read_text("Japan Courts the U.S.\n\nTOKYO — Text.").title == "Japan Courts the U.S."


def test_deck_kept_in_body_when_no_dateline():
    text = (
        "Geo Politics\n\nSummit Marks New Phase in Alliance\n\n"
        "A Defining Moment\n\nIn a visit to Tokyo, he spoke."
    )
    doc = read_text(text)
    assert doc.title == "Summit Marks New Phase in Alliance"
    assert doc.dateline_place is None
    assert body(doc) == "A Defining Moment\n\nIn a visit to Tokyo, he spoke."


def test_title_and_dateline_not_merged_into_first_sentence():
    doc = read_text("Deal Reached\n\nBERLIN, Jan 9 — A deal was reached. Then more.")
    assert doc.text[: doc.body_start].rstrip().endswith("—")
    assert body(doc).split(". ")[0] == "A deal was reached"


def test_parse_date_year_rules():
    assert parse_date("Dec 6", today=dt.date(2026, 1, 15)) == dt.date(2025, 12, 6)
    assert parse_date("Dec 6", today=dt.date(2026, 12, 20)) == dt.date(2026, 12, 6)
    assert parse_date("Sept. 30", today=dt.date(2026, 11, 1)) == dt.date(2026, 9, 30)
    assert parse_date("6 December 2025") == dt.date(2025, 12, 6)
    assert parse_date("Wednesday") is None
    assert parse_date("") is None


# ------------------------------------------------------------------ file access


def test_missing_path_error(tmp_path):
    with pytest.raises(InputError, match="no such file"):
        read_document(tmp_path / "nope.txt")
    with pytest.raises(InputError, match="no such file"):
        list(iter_article_paths([tmp_path / "nope"]))


def test_size_cap_checked_before_reading(tmp_path, monkeypatch):
    big = tmp_path / "big.txt"
    with open(big, "wb") as fh:
        fh.truncate(25 * 1024 * 1024)  # sparse: costs no disk, would read as 25 MB of NUL
    assert DEFAULT_MAX_BYTES == 20 * 1024 * 1024

    def no_read(*args, **kwargs):
        raise AssertionError("file was opened for reading")

    monkeypatch.setattr(os, "open", no_read)
    with pytest.raises(InputError, match="20 MB limit") as info:
        read_document(big)
    assert "KG_MAX_BYTES" in str(info.value)
    small = tmp_path / "small.txt"
    small.write_text("Just a little more than ten bytes of text.")
    with pytest.raises(InputError, match="limit"):
        read_document(small, max_bytes=10)
    monkeypatch.setenv("KG_MAX_BYTES", "10")
    with pytest.raises(InputError, match="10 bytes limit"):
        read_document(small)
    monkeypatch.undo()
    assert read_document(small, max_bytes=1000).text.startswith("Just")


def test_env_max_bytes_units_and_bad_value(tmp_path, monkeypatch):
    path = tmp_path / "a.txt"
    path.write_text("hello there")
    monkeypatch.setenv("KG_MAX_BYTES", "1KB")
    assert read_document(path).text == "hello there"
    monkeypatch.setenv("KG_MAX_BYTES", "lots")
    with pytest.raises(InputError, match="KG_MAX_BYTES"):
        read_document(path)


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs os.mkfifo")
def test_fifo_refused_without_blocking(tmp_path):
    fifo = tmp_path / "pipe.txt"
    os.mkfifo(fifo)
    with pytest.raises(InputError, match="not a regular file"):
        read_document(fifo)
    with pytest.raises(InputError, match="not a regular file"):
        list(iter_article_paths([fifo]))


def test_folder_given_to_read_document(tmp_path):
    with pytest.raises(InputError, match="folder"):
        read_document(tmp_path)


@pytest.mark.parametrize(
    "name", ["quo\"te's.txt", "a<b>c.txt", "back\\slash.txt", "emoji 🌍 ünï.txt", "-dash.txt"]
)
def test_odd_file_names_preserved(tmp_path, name):
    path = tmp_path / name
    path.write_text("Some text.", encoding="utf-8")
    doc = read_document(str(path))
    assert doc.source == str(path)
    assert list(iter_article_paths([tmp_path])) == [path]
    with pytest.raises(InputError) as info:
        read_document(str(tmp_path / ("missing " + name)))
    assert name in str(info.value)


def test_source_override_and_stdin(monkeypatch, tmp_path):
    path = tmp_path / "a.txt"
    path.write_text("Text.")
    assert read_document(path, source="custom").source == "custom"

    class FakeStdin:
        buffer = __import__("io").BytesIO(b"From stdin.")

    monkeypatch.setattr(sys, "stdin", FakeStdin)
    doc = read_document("-")
    assert (doc.text, doc.source) == ("From stdin.", "<stdin>")


@pytest.mark.skipif(not hasattr(os, "mkfifo") or not hasattr(os, "symlink"), reason="POSIX only")
def test_walk_regular_files_inside_root_only(tmp_path):
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "secret.txt").write_text("secret")
    root = tmp_path / "root"
    (root / "sub" / "deeper").mkdir(parents=True)
    (root / "b.txt").write_text("b")
    (root / "A.MD").write_text("a")
    (root / "page.html").write_text("<p>x</p>")
    (root / "image.png").write_bytes(b"\x89PNG")
    (root / "sub" / "c.htm").write_text("c")
    (root / "sub" / "deeper" / "d.txt").write_text("d")
    (root / ".git").mkdir()
    (root / ".git" / "HEAD.txt").write_text("hidden")
    (root / ".hidden.txt").write_text("hidden")
    os.mkfifo(root / "fifo.txt")
    os.symlink(root, root / "sub" / "loop")  # symlink loop
    os.symlink(root / "sub", root / "sub" / "deeper" / "up")  # another loop
    os.symlink(outside, root / "escape")  # folder outside the root
    os.symlink(outside / "secret.txt", root / "secret.txt")  # file outside the root
    os.symlink(root / "missing.txt", root / "dangling.txt")
    os.symlink(root / "b.txt", root / "z-link.txt")  # same file again: yielded once

    found = list(iter_article_paths([root]))
    assert found == [
        root / "A.MD",
        root / "b.txt",
        root / "page.html",
        root / "sub" / "c.htm",
        root / "sub" / "deeper" / "d.txt",
    ]
    assert found == list(iter_article_paths([root]))  # deterministic
    # explicit files are yielded whatever the suffix, once
    assert list(iter_article_paths([root / "b.txt", root / "image.png", root / "b.txt"])) == [
        root / "b.txt",
        root / "image.png",
    ]
    assert list(iter_article_paths(["-"])) == [Path("-")]
    assert list(iter_article_paths([root / "sub"], suffixes=(".htm",))) == [root / "sub" / "c.htm"]


# -------------------------------------------------------------------- property

_PIECES = st.one_of(
    st.characters(codec=None),
    st.characters(categories=["Cc", "Cf", "Cs", "Zl", "Zp", "Zs", "Mn"]),
    st.sampled_from(list("\n\r\t \u2028\u2029\u202e\u2066\x00\x85\ufeff\ud800—–-,.#*_[]()<>")),
    st.sampled_from(["VIENNA, Dec 6 — ", "PARIS (Reuters) - ", "Headline Here\n\n", "# ", "e\u0301", "\r\n"]),
)
_TEXTISH = st.lists(_PIECES, max_size=80).map("".join)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_TEXTISH)
def test_read_text_property(text):
    assume(not text.lstrip().lower().startswith(("<html", "<!doctype", "<?xml", "<!--")))
    try:
        doc = read_text(text)
    except EmptyInputError:
        assert clean_text(text) == ""
        return
    out = doc.text
    for ch in out:
        cat = unicodedata.category(ch)
        assert ch in "\n\t" or cat not in ("Cc", "Cs"), repr(ch)
        assert ch not in "\u2028\u2029\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\r"
    assert unicodedata.is_normalized("NFC", out)
    assert 0 <= doc.body_start <= len(out)
    again = read_text(out)
    assert again.text == out
    assert (again.title, again.dateline_place, again.body_start) == (
        doc.title,
        doc.dateline_place,
        doc.body_start,
    )


@settings(max_examples=100, deadline=None)
@given(st.binary(max_size=200))
def test_read_bytes_only_raises_input_errors(data):
    try:
        doc = read_bytes(data)
    except InputError:
        return
    assert doc.text == clean_text(doc.text)


_MARKUP = st.one_of(
    _PIECES,
    st.sampled_from(
        [
            "<p>",
            "</p>",
            "<div>",
            "<script>",
            "</script>",
            "<a href='javascript:x' onclick='y'>",
            "<!--",
            "-->",
            "&amp;",
            "&#0;",
            "&#x202e;",
            "<h1>",
            "</h1>",
            "<br>",
            "**",
            "[x](y)",
            "`",
            "```\n",
            "> ",
            "- ",
            "===\n",
            "<html>",
            "<time datetime='2025-13-99'>",
            "<time datetime='Dec 6'>",
            "<svg onload=z>",
        ]
    ),
)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(_MARKUP, max_size=60).map("".join), st.sampled_from(["x.md", "x.html", "x.txt"]))
def test_markup_property(text, source):
    try:
        doc = read_text(text, source=source)
    except EmptyInputError:
        return
    assert doc.text == clean_text(doc.text)
    assert 0 <= doc.body_start <= len(doc.text)
    if source == "x.html":
        assert "<script" not in doc.text and "onclick" not in doc.text and "onload" not in doc.text
