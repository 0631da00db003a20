"""Read an article (file, stdin, bytes or str) into a :class:`kg.model.Document`.

The reader is the only stage that sees raw input, so it carries the defences:
size cap checked before reading, refusal of binary and non-regular files,
decoding with BOM / UTF-16 sniffing and a cp1252 fallback, removal of control
and bidi-override characters, and a bounded HTML-to-text conversion.

It also finds the headline, the dateline (``VIENNA, Dec 6 —``) and the date,
and sets ``Document.body_start`` to the first character of the body proper, so
the extractor can parse ``text[body_start:]`` without the headline or dateline
being glued onto the first sentence. Every offset refers to ``Document.text``,
the *cleaned* text.

Dates without a year (``Dec 6``) are resolved by ``dateparser`` with
``PREFER_DATES_FROM='past'``: the most recent such day up to today, i.e. the
current year, or last year when that day is still ahead. News is read after it
is written, so this is the likeliest year; pass ``today=`` to
:func:`parse_date` for a reproducible result.

Examples:
    >>> doc = read_text("Talks Resume in Vienna\\n\\nVIENNA, March 3, 2025 — Talks resumed.")
    >>> doc.title, doc.dateline_place, doc.date.isoformat()
    ('Talks Resume in Vienna', 'VIENNA', '2025-03-03')
    >>> doc.text[doc.body_start:]
    'Talks resumed.'
"""

from __future__ import annotations

import codecs
import datetime as _dt
import html as _html
import os
import re
import stat
import sys
import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .errors import EmptyInputError, InputError
from .model import Document

__all__ = [
    "DEFAULT_MAX_BYTES",
    "clean_text",
    "iter_article_paths",
    "parse_date",
    "read_bytes",
    "read_document",
    "read_text",
]

DEFAULT_MAX_BYTES = 20 * 1024 * 1024
"""Largest article read by default; ``KG_MAX_BYTES`` (e.g. ``50MB``) overrides it."""

ARTICLE_SUFFIXES = (".txt", ".md", ".html", ".htm")
_MARKDOWN_SUFFIXES = (".md", ".markdown")
_HTML_SUFFIXES = (".html", ".htm", ".xhtml")

# --------------------------------------------------------------------------- files


def _show(value: object) -> str:
    """A path or name for a message: exact, except control characters are escaped."""
    text = os.fspath(value) if isinstance(value, os.PathLike) else str(value)
    return re.sub(r"[\x00-\x1f\x7f-\x9f]", lambda m: f"\\x{ord(m.group()):02x}", text)


def _safe_source(source: str) -> str:
    """Keep the name as given; only undecodable bytes (lone surrogates) become escapes."""
    try:
        source.encode("utf-8")
    except UnicodeEncodeError:
        return source.encode("utf-8", "backslashreplace").decode("utf-8")
    return source


def _max_bytes_from_env() -> int:
    raw = os.environ.get("KG_MAX_BYTES", "").strip()
    if not raw:
        return DEFAULT_MAX_BYTES
    m = re.fullmatch(r"(?i)(\d+)\s*(k|kb|m|mb|g|gb|b)?", raw)
    if not m:
        raise InputError(f"KG_MAX_BYTES={_show(raw)} is not a size; use a number of bytes or e.g. 50MB, 1GB")
    unit = (m.group(2) or "b").lower()[0]
    return int(m.group(1)) * {"b": 1, "k": 1024, "m": 1024**2, "g": 1024**3}[unit]


def _human(n: int) -> str:
    if n >= 1024**2:
        return f"{n / 1024**2:.1f} MB".replace(".0 MB", " MB")
    if n >= 1024:
        return f"{n / 1024:.1f} KB".replace(".0 KB", " KB")
    return f"{n} bytes"


def _too_large(name: str, size: int | None, cap: int) -> InputError:
    what = f"is {_human(size)}" if size is not None else "is larger than that"
    return InputError(
        f"{name} {what}, over the {_human(cap)} limit for one article; "
        f"raise it with KG_MAX_BYTES (e.g. KG_MAX_BYTES={max(2 * cap, 1024**2) // 1024**2}MB) "
        "or max_bytes=, or split the file"
    )


def read_document(
    path_or_dash: str | os.PathLike[str],
    *,
    max_bytes: int | None = None,
    source: str | None = None,
) -> Document:
    """Read one article file (or stdin for ``"-"``) into a Document.

    The size is checked with ``os.stat`` before anything is read; FIFOs,
    devices and folders are refused without being opened for reading.

    Args:
        path_or_dash: a file path, or ``"-"`` for the bytes on stdin.
        max_bytes: size cap; ``None`` means ``$KG_MAX_BYTES`` or 20 MB.
        source: name recorded in ``Document.source``; defaults to the path as
            given (``"<stdin>"`` for ``"-"``).

    Returns:
        The Document; HTML is chosen by the ``.html``/``.htm`` suffix or by
        content, Markdown by ``.md``.

    Raises:
        InputError: missing, not a regular file, too large, binary, unreadable.
        EmptyInputError: the file holds no text.
    """
    cap = _max_bytes_from_env() if max_bytes is None else max_bytes
    if os.fspath(path_or_dash) == "-":
        name = source if source is not None else "<stdin>"
        data = sys.stdin.buffer.read(cap + 1)
        if len(data) > cap:
            raise _too_large("stdin", None, cap)
        return read_bytes(data, source=name)

    path = os.fspath(path_or_dash)
    name = source if source is not None else path
    try:
        st = os.stat(path)
    except FileNotFoundError as err:
        raise InputError(f"no such file: {_show(path)} — check the path") from err
    except NotADirectoryError as err:
        raise InputError(f"no such file: {_show(path)} — a part of the path is not a folder") from err
    except OSError as err:
        raise InputError(f"cannot read {_show(path)}: {err.strerror or err}") from err
    if stat.S_ISDIR(st.st_mode):
        raise InputError(
            f"{_show(path)} is a folder; give a file, or use iter_article_paths / `kg ingest FOLDER`"
        )
    if not stat.S_ISREG(st.st_mode):
        raise InputError(
            f"{_show(path)} is not a regular file (FIFO, socket or device); "
            "copy the article to a file, or pipe it with '-'"
        )
    if st.st_size > cap:
        raise _too_large(_show(path), st.st_size, cap)

    # O_NONBLOCK: if the path was swapped for a FIFO after the stat, open must not hang.
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0)
    try:
        fd = os.open(path, flags)
    except OSError as err:
        raise InputError(f"cannot open {_show(path)}: {err.strerror or err} — check its permissions") from err
    try:
        fst = os.fstat(fd)
        if not stat.S_ISREG(fst.st_mode):
            raise InputError(f"{_show(path)} is not a regular file; copy the article to a file")
        if fst.st_size > cap:
            raise _too_large(_show(path), fst.st_size, cap)
        with os.fdopen(fd, "rb", closefd=False) as fh:
            data = fh.read(cap + 1)  # +1: notice a file that grew after the stat
    except OSError as err:
        raise InputError(f"cannot read {_show(path)}: {err.strerror or err}") from err
    finally:
        os.close(fd)
    if len(data) > cap:
        raise _too_large(_show(path), None, cap)
    return read_bytes(data, source=name)


def iter_article_paths(
    paths: Iterable[str | os.PathLike[str]],
    *,
    suffixes: Iterable[str] = ARTICLE_SUFFIXES,
) -> Iterator[Path]:
    """Expand files and folders into article files, in a deterministic order.

    Folders are walked recursively in sorted name order. Only regular files
    with one of ``suffixes`` (case-insensitive) are yielded; hidden entries
    (``.git``, ``.venv``, ``.DS_Store``), FIFOs, sockets and devices are
    skipped. A symlink is followed only when its target lies inside the folder
    being walked; each real file and folder is visited once, so symlink loops
    end. A file named explicitly is yielded whatever its suffix; ``"-"`` is
    passed through for stdin.

    Args:
        paths: files and folders, as given on a command line.
        suffixes: file endings that count as articles inside folders.

    Yields:
        Paths as joined from the given ones (not resolved).

    Raises:
        InputError: a given path does not exist, is not a regular file or
            folder, or a folder cannot be listed.
    """
    wanted = tuple(s.lower() for s in suffixes)
    seen_files: set[tuple[int, int]] = set()
    for given in paths:
        if os.fspath(given) == "-":
            yield Path("-")
            continue
        path = Path(given)
        try:
            st = path.stat()
        except FileNotFoundError as err:
            raise InputError(f"no such file or folder: {_show(path)} — check the path") from err
        except OSError as err:
            raise InputError(f"cannot read {_show(path)}: {err.strerror or err}") from err
        if stat.S_ISREG(st.st_mode):
            if (st.st_dev, st.st_ino) not in seen_files:
                seen_files.add((st.st_dev, st.st_ino))
                yield path
        elif stat.S_ISDIR(st.st_mode):
            yield from _walk(path, wanted, seen_files)
        else:
            raise InputError(
                f"{_show(path)} is not a regular file or folder (FIFO, socket or device); "
                "copy the article to a file, or pipe it with '-'"
            )


def _walk(top: Path, wanted: tuple[str, ...], seen_files: set[tuple[int, int]]) -> Iterator[Path]:
    root = os.path.realpath(top)
    top_st = os.stat(root)
    seen_dirs = {(top_st.st_dev, top_st.st_ino)}
    # explicit stack instead of recursion: deep trees cannot hit the recursion limit
    stack: list[Path] = [top]
    while stack:
        folder = stack.pop()
        try:
            with os.scandir(folder) as it:
                entries = sorted(it, key=lambda e: e.name)
        except OSError as err:
            raise InputError(
                f"cannot list folder {_show(folder)}: {err.strerror or err}; "
                "fix its permissions or leave it out"
            ) from err
        subfolders: list[Path] = []
        for entry in entries:
            if entry.name.startswith("."):
                continue
            child = folder / entry.name
            try:
                if entry.is_symlink():
                    real = os.path.realpath(child)
                    if os.path.commonpath([root, real]) != root:
                        continue  # escapes the folder being walked
                st = os.stat(child)  # follows an (inside) symlink; raises on a dangling one
            except (OSError, ValueError):
                continue
            key = (st.st_dev, st.st_ino)
            if stat.S_ISDIR(st.st_mode):
                if key not in seen_dirs:
                    seen_dirs.add(key)
                    subfolders.append(child)
            elif stat.S_ISREG(st.st_mode):
                if entry.name.lower().endswith(wanted) and key not in seen_files:
                    seen_files.add(key)
                    yield child
        # files of a folder first, then its subfolders, each in name order
        stack.extend(reversed(subfolders))


# ------------------------------------------------------------------------ decoding

_MAGIC: tuple[tuple[bytes, str], ...] = (
    (b"%PDF", "PDF"),
    (b"\x89PNG\r\n\x1a\n", "PNG"),
    (b"GIF87a", "GIF"),
    (b"GIF89a", "GIF"),
    (b"\xff\xd8\xff", "JPEG"),
    (b"PK\x03\x04", "ZIP/DOCX/ODT"),
    (b"PK\x05\x06", "ZIP"),
    (b"\x1f\x8b", "gzip"),
    (b"\x7fELF", "ELF executable"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "MS Office (DOC/XLS)"),
    (b"7z\xbc\xaf\x27\x1c", "7-Zip"),
    (b"\xfd7zXZ\x00", "xz"),
    (b"BZh91AY&SY", "bzip2"),
    (b"\x28\xb5\x2f\xfd", "zstd"),
    (b"SQLite format 3\x00", "SQLite"),
    (b"{\\rtf", "RTF"),
)

_BOMS: tuple[tuple[bytes, str], ...] = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),  # before UTF-16 LE: it starts with the same two bytes
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)

_CONTROL_BYTES = bytes(b for b in range(32) if b not in b"\t\n\r\x0c\x0b\x1b") + b"\x7f"


def _binary_error(source: str, kind: str) -> InputError:
    return InputError(
        f"{_show(source)} looks like a binary file ({kind}), not article text; "
        "convert it to plain text, Markdown or HTML first (e.g. pdftotext for a PDF)"
    )


def _sniff_utf16(sample: bytes) -> str | None:
    """UTF-16 without a BOM: mostly-ASCII text has NUL in every other byte."""
    n = len(sample) - len(sample) % 2
    if n < 4:
        return None
    even, odd = sample[0:n:2], sample[1:n:2]
    half = n // 2
    even_nul, odd_nul = even.count(0), odd.count(0)
    if odd_nul >= 0.4 * half and even_nul <= 0.05 * half:
        return "utf-16-le"
    if even_nul >= 0.4 * half and odd_nul <= 0.05 * half:
        return "utf-16-be"
    return None


def _declared_charset(data: bytes) -> str | None:
    m = re.search(rb"""(?i)<meta[^>]{0,200}?charset\s*=\s*["']?([A-Za-z0-9._:-]{1,40})""", data[:4096])
    if not m:
        return None
    try:
        return codecs.lookup(m.group(1).decode("ascii")).name
    except LookupError:
        return None


def _decode(data: bytes, source: str, warnings: list[str], html: bool) -> str:
    """Bytes to str: refuse binary, honour a BOM, else UTF-16 sniff, UTF-8, cp1252, latin-1."""
    for magic, kind in _MAGIC:
        if data.startswith(magic):
            raise _binary_error(source, kind)
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            body = data[len(bom) :]
            try:
                return body.decode(encoding)
            except UnicodeDecodeError:
                warnings.append(f"invalid {encoding} after its byte-order mark; bad characters replaced")
                return body.decode(encoding, errors="replace")
    sample = data[:65536]
    utf16 = _sniff_utf16(sample)
    if utf16:
        try:
            return data.decode(utf16)
        except UnicodeDecodeError:
            pass  # not UTF-16 after all; the NUL check below refuses it
    if b"\x00" in sample:
        raise _binary_error(source, "contains NUL bytes")
    if sample and sum(sample.count(b) for b in _CONTROL_BYTES) > 0.1 * len(sample):
        raise _binary_error(source, "many control bytes")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    declared = _declared_charset(data) if html else None
    if declared and declared not in ("utf-8", "utf_8"):
        try:
            text = data.decode(declared)
            warnings.append(f"decoded as {declared}: declared by the HTML, not valid UTF-8")
            return text
        except (UnicodeDecodeError, LookupError):
            pass
    try:
        text = data.decode("cp1252")
        warnings.append("decoded as cp1252: not valid UTF-8")
        return text
    except UnicodeDecodeError:
        warnings.append("decoded as latin-1: not valid UTF-8 or cp1252")
        return data.decode("latin-1")


# ------------------------------------------------------------------------ cleaning

# C0/C1 controls (but \t \n, and the line-breaking ones handled below), DEL,
# bidi embeddings/overrides/isolates, stray BOMs (U+FEFF) and lone surrogates.
_DROP_RE = re.compile(
    "[\x00-\x08\x0e-\x1f\x7f\x80-\x84\x86-\x9f\u202a-\u202e\u2066-\u2069\ufeff\ud800-\udfff]"
)
# CRLF, CR, VT, FF, NEL, LINE SEPARATOR, PARAGRAPH SEPARATOR: all become \n
_NEWLINE_RE = re.compile("\r\n|[\r\x0b\x0c\x85\u2028\u2029]")


def clean_text(text: str) -> str:
    """Normalise text for offsets: drop control/bidi-override characters, unify newlines, NFC.

    Typographic quotes and dashes are kept. The result is idempotent:
    ``clean_text(clean_text(s)) == clean_text(s)``.

    Examples:
        >>> clean_text("a\\r\\nb\\u202e\\x00c\\u2028d")
        'a\\nbc\\nd'
    """
    text = _DROP_RE.sub("", text)
    text = _NEWLINE_RE.sub("\n", text)
    text = unicodedata.normalize("NFC", text)
    return text.strip()


# ------------------------------------------------------------------------ markdown

_MD_ATX_RE = re.compile(r" {0,3}(#{1,6})(?:[ \t]+|$)")
_MD_SETEXT_RE = re.compile(r" {0,3}(?:=++|-++)[ \t]*+")
_MD_QUOTE_RE = re.compile(r"(?: {0,3}> ?)++")
_MD_LIST_RE = re.compile(r"([ \t]*+)(?:[-*+]|\d{1,9}[.)])[ \t]++(?=\S)")
_MD_FENCE_RE = re.compile(r" {0,3}(?:`{3,}|~{3,})")
_MD_REFDEF_RE = re.compile(r" {0,3}\[[^\[\]\n]{1,200}\]:[ \t]*\S")
# Inner classes exclude the delimiter, so every scan stops at the next one: linear time.
_MD_INLINE = (
    (re.compile(r"!?\[([^\[\]\n]*)\]\([^()\s]*(?:[ \t]+\"[^\"\n]*\")?\)"), r"\1"),  # [text](url)
    (re.compile(r"!?\[([^\[\]\n]+)\]\[[^\[\]\n]*\]"), r"\1"),  # [text][ref]
    (re.compile(r"<((?:https?|mailto):[^<>\s]+)>"), r"\1"),  # <http://…>
    (re.compile(r"`([^`\n]+)`"), r"\1"),
    (re.compile(r"(?<![\\*])\*\*(?=\S)([^*\n]+)(?<=[^\s\\])\*\*"), r"\1"),
    (re.compile(r"(?<![\\\w])__(?=\S)([^_\n]+)(?<=[^\s\\])__(?!\w)"), r"\1"),
    (re.compile(r"(?<![\\*\w])\*(?=\S)([^*\n]+)(?<=[^\s\\])\*(?![*\w])"), r"\1"),
    (re.compile(r"(?<![\\\w])_(?=\S)([^_\n]+)(?<=[^\s\\])_(?!\w)"), r"\1"),
    (re.compile(r"~~(?=\S)([^~\n]+)(?<=\S)~~"), r"\1"),
    (re.compile(r"\\([\\`*_{}\[\]()#+\-.!>~|])"), r"\1"),
)


def _markdown_to_text(text: str) -> str:
    """Markdown markup to plain text (headings, emphasis, links, lists, quotes, fences)."""
    out: list[str] = []
    for line in text.split("\n"):
        if _MD_FENCE_RE.match(line) or _MD_REFDEF_RE.match(line):
            continue
        if _MD_SETEXT_RE.fullmatch(line) and out and out[-1].strip():
            continue  # underline of a setext heading
        stripped = line.strip()
        if len(stripped) >= 3 and set(stripped.replace(" ", "").replace("\t", "")) in ({"-"}, {"*"}, {"_"}):
            out.append("")  # horizontal rule
            continue
        m = _MD_QUOTE_RE.match(line)
        if m:
            line = line[m.end() :]
        m = _MD_ATX_RE.match(line)
        if m:
            content = line[m.end() :].rstrip()
            closed = content.rstrip("#")
            if not closed or closed[-1] in " \t":
                content = closed.rstrip()
            line = content
        else:
            m = _MD_LIST_RE.match(line)
            if m:
                line = m.group(1) + line[m.end() :]
        for pattern, repl in _MD_INLINE:
            line = pattern.sub(repl, line)
        out.append(line)
    return "\n".join(out)


# ---------------------------------------------------------------------------- HTML

_HTML_SNIFF_RE = re.compile(
    r"\s*(?:<\?xml[^>]{0,200}>\s*)?(?:<!--.{0,2000}?-->\s*)*<(?:!doctype\s+html|html)\b", re.I | re.S
)

_SKIP_TAGS = frozenset(
    "script style noscript template svg math iframe object embed applet form nav head title "
    "button select textarea input canvas audio video dialog frameset frame".split()
)
_CHROME_TAGS = frozenset({"header", "footer", "aside"})
_BLOCK_TAGS = frozenset(
    "address article aside blockquote body caption center dd details div dl dt fieldset figcaption "
    "figure footer h1 h2 h3 h4 h5 h6 header hgroup hr html li main menu ol p pre section summary "
    "table tbody tfoot thead tr td th ul legend".split()
)
_BR = "\x00"  # marks <br>; NUL never survives cleaning, so it cannot clash with text


_HTML_BYTES_SNIFF_RE = re.compile(rb"\s*<(?:!doctype\s+html|html)\b", re.I)


def _is_html(text: str) -> bool:
    return _HTML_SNIFF_RE.match(text[:8192]) is not None


def _flush(cur: list[str], blocks: list[str]) -> None:
    if cur:
        lines = (" ".join(part.split()) for part in "".join(cur).split(_BR))
        para = "\n".join(line for line in lines if line)
        if para:
            blocks.append(para)
        cur.clear()


def _element_text(root: Any, skip: frozenset[str]) -> list[str]:
    """Text of an element as paragraphs, one per block element; iterative (deep trees are fine)."""
    blocks: list[str] = []
    cur: list[str] = []
    stack: list[tuple[Any, bool]] = [(root, False)]
    while stack:
        el, closing = stack.pop()
        tag = el.tag.lower() if isinstance(el.tag, str) else None
        if closing:
            if tag in _BLOCK_TAGS:
                _flush(cur, blocks)
            if el is not root and el.tail:
                cur.append(el.tail)
            continue
        if (
            tag is None
            or tag in skip
            or el.get("hidden") is not None
            or (el.get("aria-hidden") or "").lower() == "true"
        ):
            if el is not root and el.tail:
                cur.append(el.tail)  # comments, PIs and skipped elements keep their tail text
            continue
        if tag == "br":
            cur.append(_BR)
            if el.tail:
                cur.append(el.tail)
            continue
        if tag in _BLOCK_TAGS:
            _flush(cur, blocks)
        if el.text:
            cur.append(el.text)
        stack.append((el, True))
        stack.extend((child, False) for child in reversed(el))
    _flush(cur, blocks)
    return blocks


def _parse_iso_or_text_date(value: str) -> _dt.date | None:
    value = value.strip()
    try:
        return _dt.date.fromisoformat(value[:10])
    except ValueError:
        return parse_date(value) if value else None


@dataclass
class _HtmlResult:
    text: str
    title: str | None
    date: _dt.date | None


def _html_to_text(text: str, warnings: list[str]) -> _HtmlResult:
    """HTML to paragraphs with lxml; a linear regex strip if lxml gives up (depth/size limits)."""
    import lxml.etree
    import lxml.html

    parser = lxml.html.HTMLParser(
        encoding="utf-8", huge_tree=False, remove_comments=True, remove_pis=True, no_network=True
    )
    try:
        doc = lxml.html.document_fromstring(text.encode("utf-8"), parser=parser)
    except (lxml.etree.ParserError, ValueError):
        doc = None
    fatal = any(e.level_name == "FATAL" for e in parser.error_log)
    if doc is None or fatal:
        if fatal:
            warnings.append(
                "HTML too deeply nested or too large for the parser; markup stripped by a simple scan"
            )
        return _HtmlResult(_strip_tags(text), None, None)

    articles = doc.xpath("//article")
    mains = doc.xpath("//main")
    if len(articles) == 1:
        root = articles[0]
    elif mains:
        root = mains[0]
    else:
        bodies = doc.xpath("//body")
        root = bodies[0] if bodies else doc
    skip = _SKIP_TAGS | (_CHROME_TAGS if (articles or mains) else frozenset())
    body = "\n\n".join(_element_text(root, skip))

    title = None
    h1s = root.xpath(".//h1") or doc.xpath("//h1")
    for h1 in h1s:
        title = " ".join(" ".join(_element_text(h1, _SKIP_TAGS)).split()) or None  # one line, even with <br>
        if title:
            break
    if not title:
        for value in doc.xpath("//title/text()") + doc.xpath(
            "//meta[@property='og:title' or @name='og:title' or @name='twitter:title']/@content"
        ):
            title = " ".join(str(value).split()) or None
            if title:
                break

    date = None
    for value in (
        root.xpath(".//time/@datetime")
        + doc.xpath("//meta[@property='article:published_time' or @itemprop='datePublished']/@content")
        + doc.xpath("//*[@itemprop='datePublished']/@datetime")
        + doc.xpath("//meta[@name='date' or @name='pubdate' or @name='dc.date']/@content")
    ):
        date = _parse_iso_or_text_date(str(value))
        if date:
            break
    return _HtmlResult(body, title, date)


_RAW_TEXT_TAGS = (
    "script",
    "style",
    "noscript",
    "template",
    "svg",
    "math",
    "iframe",
    "object",
    "head",
    "title",
)
_FALLBACK_TAG_RE = re.compile(r"""<[/!?]?[A-Za-z][^<>"']*+(?:(?:"[^"<]*+"|'[^'<]*+')[^<>"']*+)*+>""")
_FALLBACK_LOOSE_RE = re.compile(r"<[/!?]?[A-Za-z][^<>]*+>?")
_FALLBACK_BLOCK_RE = re.compile(
    r"<\s*/?\s*(?:" + "|".join(sorted(_BLOCK_TAGS | {"br"})) + r")\b[^<>]*+>", re.I
)


def _strip_tags(text: str) -> str:
    """Linear-time markup removal for input lxml refuses; keeps one paragraph per block tag."""
    lower = text.lower()
    pieces: list[str] = []
    pos = 0
    n = len(text)
    while pos < n:
        lt = text.find("<", pos)
        if lt < 0:
            pieces.append(text[pos:])
            break
        pieces.append(text[pos:lt])
        end = None
        if lower.startswith("<!--", lt):
            close = text.find("-->", lt + 4)
            end = n if close < 0 else close + 3
        else:
            for tag in _RAW_TEXT_TAGS:
                if (
                    lower.startswith("<" + tag, lt)
                    and not lower[lt + 1 + len(tag) : lt + 2 + len(tag)].isalnum()
                ):
                    close = lower.find("</" + tag, lt)
                    if close < 0:
                        end = n
                    else:
                        gt = text.find(">", close)
                        end = n if gt < 0 else gt + 1
                    break
        if end is None:
            nxt = text.find("<", lt + 1)
            end = n if nxt < 0 else nxt
            pieces.append(text[lt:end])
        else:
            pieces.append(" ")
        pos = end
    joined = "".join(pieces)
    joined = _FALLBACK_BLOCK_RE.sub("\n\n", joined)
    joined = _FALLBACK_TAG_RE.sub("", joined)
    joined = _FALLBACK_LOOSE_RE.sub("", joined)  # a tag with an unterminated quote
    joined = _html.unescape(joined)
    paras = (" ".join(p.split()) for p in re.split(r"\n\s*\n", joined))
    return "\n\n".join(p for p in paras if p)


# --------------------------------------------------------------- headline/dateline

_MONTH = (
    r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?"
    r"|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?"
)
_WEEKDAY = r"(?:mon|tues?|wed(?:nes)?|thu(?:rs?)?|fri|sat(?:ur)?|sun)(?:day)?\.?"
_DATE_RE = re.compile(
    rf"(?:{_WEEKDAY},?\s+)?(?:"
    rf"{_MONTH}\s+\d{{1,2}}(?:st|nd|rd|th)?(?:,?\s+\d{{4}})?"
    rf"|\d{{1,2}}(?:st|nd|rd|th)?\s+{_MONTH}(?:,?\s+\d{{4}})?"
    rf"|\d{{4}}-\d{{2}}-\d{{2}})"
    rf"|{_WEEKDAY}",
    re.I,
)
_DATE_START_RE = re.compile(rf"(?:{_WEEKDAY}|{_MONTH}|\d)(?:\s|,|$|-|\d|st|nd|rd|th)", re.I)
_WEEKDAY_ONLY_RE = re.compile(rf"{_WEEKDAY}", re.I)
# The head ends at an em dash (spaces optional: "WASHINGTON—"), or at an en dash,
# hyphen pair or hyphen with white space on both sides ("Port-au-Prince" and
# "U.S.–Japan" are not dashes).
_DATELINE_RE = re.compile(r"(?P<head>[^\n—–]{2,120}?)(?:\s*—\s*|\s+(?:–|--?)\s+|\s*--\s*)(?=\S)")
_AGENCY_RE = re.compile(r"\s*\(([^()\n]{1,40})\)")
_PARTICLES = frozenset(
    "de du da das dos del della der den des di do la le les al el au aux of on upon am an im op van von y e"
    "".split()
)
_PLACE_WORD_RE = re.compile(r"[^\W\d_][\w.'’\-]*")


def _place_words_ok(segment: str, max_words: int) -> bool:
    words = segment.split()
    if not 1 <= len(words) <= max_words:
        return False
    saw_name = False
    for word in words:
        if not _PLACE_WORD_RE.fullmatch(word):
            return False
        if word[0].isupper():
            saw_name = True
        elif word.lower() not in _PARTICLES:
            return False
    return saw_name


@dataclass(frozen=True)
class _Dateline:
    place: str
    date_text: str | None
    end: int  # offset just after the dash and the white space after it


def _match_dateline(para: str) -> _Dateline | None:
    """``PLACE[, Region][ (Agency)][, Date] —`` at the start of a paragraph."""
    m = _DATELINE_RE.match(para)
    if not m:
        return None
    head = m.group("head").strip()
    agencies = _AGENCY_RE.findall(head)
    if len(agencies) > 1 or any(not _place_words_ok(a, 4) for a in agencies):
        return None
    head = _AGENCY_RE.sub("", head).strip()
    segments = [s.strip() for s in head.split(",")]
    place = segments[0]
    if not _place_words_ok(place, 5):
        return None
    regions: list[str] = []
    date_text = None
    for i, seg in enumerate(segments[1:], start=1):
        if _DATE_START_RE.match(seg + " "):
            date_text = ", ".join(segments[i:])
            if not _DATE_RE.fullmatch(date_text):
                return None
            break
        if len(regions) >= 2 or not _place_words_ok(seg, 4):
            return None
        regions.append(seg)
    letters = [c for c in place if c.isalpha()]
    all_caps = len(letters) >= 2 and all(c.isupper() for c in letters if c.lower() != c.upper())
    # A bare title-case word before a dash is too often a sentence ("Meanwhile — …").
    if not (all_caps or regions or agencies or date_text):
        return None
    return _Dateline(", ".join([place, *regions]), date_text, m.end())


def parse_date(text: str, *, today: _dt.date | None = None) -> _dt.date | None:
    """Parse a dateline date such as ``Dec 6``, ``March 3, 2025`` or ``6 December 2025``.

    A date without a year is the most recent such day on or before ``today``
    (default: the current date), following dateparser's
    ``PREFER_DATES_FROM='past'``. A weekday alone gives ``None``.

    Examples:
        >>> parse_date("Dec 6", today=_dt.date(2026, 1, 15))
        datetime.date(2025, 12, 6)
        >>> parse_date("March 3, 2025")
        datetime.date(2025, 3, 3)
    """
    text = text.strip()
    if not text or len(text) > 60 or _WEEKDAY_ONLY_RE.fullmatch(text):
        return None
    import dateparser  # slow-ish import; only needed when a dateline carries a date

    settings: dict[str, Any] = {
        "PREFER_DATES_FROM": "past",
        "REQUIRE_PARTS": ["day", "month"],
        "RETURN_AS_TIMEZONE_AWARE": False,
    }
    if today is not None:
        settings["RELATIVE_BASE"] = _dt.datetime(today.year, today.month, today.day, 23, 59)
    try:
        parsed = dateparser.parse(text, languages=["en"], settings=settings)
    except Exception:  # dateparser raises assorted errors on odd input; a date is optional
        return None
    return parsed.date() if parsed else None


_SENTENCE_END_ABBREV_RE = re.compile(
    r"(?:\b[A-Za-z]\.)+$|\b(?:Jr|Sr|St|Inc|Ltd|Co|Corp|Gov|Sen|Rep|Dr|Mr|Mrs|Ms)\.$"
)
_BYLINE_RE = re.compile(r"(?i)by\s+[^\W\d_]")


@dataclass(frozen=True)
class _Line:
    start: int
    end: int  # exclusive, before the newline
    text: str


def _lines_from(text: str, pos: int, limit: int = 12) -> list[_Line]:
    """The next ``limit`` lines (empty ones included) from ``pos``, without splitting the whole text."""
    out: list[_Line] = []
    n = len(text)
    while pos <= n and len(out) < limit:
        nl = text.find("\n", pos)
        end = n if nl < 0 else nl
        out.append(_Line(pos, end, text[pos:end]))
        if nl < 0:
            break
        pos = nl + 1
    return out


def _headline_text(line: str) -> str | None:
    """The line as a headline (``# `` removed), or None when it reads like a sentence."""
    s = line.strip()
    if s.startswith("#"):
        s = s.lstrip("#").strip()
    if not s or len(s) > 250 or not any(c.isalpha() for c in s):
        return None
    if len(s.split()) > 20:
        return None
    if s.endswith(".") and not s.endswith("...") and not _SENTENCE_END_ABBREV_RE.search(s):
        return None
    if s.endswith((":", ",", ";")):
        return None
    return s


def _paragraph_lines(lines: list[_Line]) -> list[list[_Line]]:
    paras: list[list[_Line]] = []
    cur: list[_Line] = []
    for line in lines:
        if line.text.strip():
            cur.append(line)
        elif cur:
            paras.append(cur)
            cur = []
    if cur:
        paras.append(cur)
    return paras


def _skip_space(text: str, pos: int) -> int:
    n = len(text)
    while pos < n and text[pos].isspace():
        pos += 1
    return pos


@dataclass(frozen=True)
class _Front:
    title: str | None
    dateline: _Dateline | None
    body_start: int


def _analyse_front(text: str, html_title: str | None = None) -> _Front:
    """Find headline, dateline and the start of the body in cleaned text."""
    paras = _paragraph_lines(_lines_from(text, 0, limit=40))
    # only single-line paragraphs followed by a blank line can be headlines
    complete = paras[:-1] if paras and paras[-1][-1].end >= len(text) else paras

    def single_headline(i: int) -> str | None:
        if i >= len(complete) or len(complete[i]) != 1:
            return None
        line = complete[i][0]
        if _match_dateline(line.text.strip()):
            return None
        return _headline_text(line.text)

    title: str | None = None
    idx = 0  # index of the first paragraph after the headline
    if html_title is not None:
        title = html_title
        if paras and " ".join(" ".join(ln.text for ln in paras[0]).split()) == " ".join(html_title.split()):
            idx = 1
    else:
        first = single_headline(0)
        if first is not None:
            second = single_headline(1)
            # a 1-3 word line (site section, brand) above a longer headline-like line
            if second is not None and len(first.split()) <= 3 and len(second.split()) > len(first.split()):
                title, idx = second, 2
            else:
                title, idx = first, 1

    body_start = _skip_space(text, paras[idx][0].start) if idx < len(paras) else len(text)
    if idx == 0:
        body_start = 0

    # the dateline opens the first body paragraph, possibly after a byline or a deck
    for j in range(idx, min(idx + 3, len(paras))):
        para = paras[j]
        start = _skip_space(text, para[0].start)
        found = _match_dateline(text[start : para[-1].end])
        if found:
            return _Front(title, found, _skip_space(text, start + found.end))
        line = para[0].text.strip()
        is_byline = len(para) == 1 and _BYLINE_RE.match(line) and len(line.split()) <= 10
        if not (is_byline or (j < len(complete) and single_headline(j) is not None)):
            break
    return _Front(title, None, body_start)


# ------------------------------------------------------------------------- reading


def _media_type(source: str, media_type: str | None, text: str) -> str:
    if media_type:
        mt = media_type.split(";")[0].strip().lower()
        if mt in ("text/html", "application/xhtml+xml"):
            return "text/html"
        if mt in ("text/markdown", "text/x-markdown"):
            return "text/markdown"
        return "text/plain"
    lower = source.lower()
    if lower.endswith(_HTML_SUFFIXES) or _is_html(text):
        return "text/html"
    if lower.endswith(_MARKDOWN_SUFFIXES):
        return "text/markdown"
    return "text/plain"


def _build(text: str, source: str, media_type: str | None, warnings: list[str]) -> Document:
    source = _safe_source(source)
    text = clean_text(text)
    mt = _media_type(source, media_type, text)
    html_title: str | None = None
    html_date: _dt.date | None = None
    if mt == "text/html":
        result = _html_to_text(text, warnings)
        text = clean_text(result.text)
        html_title = clean_text(result.title) if result.title else None
        html_date = result.date
    elif mt == "text/markdown":
        text = clean_text(_markdown_to_text(text))
    if not text:
        raise EmptyInputError(
            f"{_show(source)} has no text (empty, whitespace or markup only); skip it or check the file"
        )
    front = _analyse_front(text, html_title or None)
    title = front.title
    if title and title.startswith("#"):
        title = title.lstrip("#").strip() or None
    date = html_date
    if date is None and front.dateline and front.dateline.date_text:
        date = parse_date(front.dateline.date_text)
    return Document(
        text=text,
        source=source,
        title=title,
        dateline_place=front.dateline.place if front.dateline else None,
        date=date,
        body_start=front.body_start,
        media_type=mt,
        warnings=tuple(warnings),
    )


def read_bytes(data: bytes, *, source: str = "<string>", media_type: str | None = None) -> Document:
    """Decode and read an article held in memory.

    Args:
        data: the raw bytes.
        source: name recorded in ``Document.source``; its suffix (``.html``,
            ``.md``) picks the format when ``media_type`` is not given.
        media_type: ``text/html``, ``text/markdown`` or ``text/plain`` to
            override detection.

    Raises:
        InputError: the bytes look binary (PDF, PNG, NUL bytes, …).
        EmptyInputError: no text.
    """
    warnings: list[str] = []
    html_hint = (
        (media_type or "").startswith("text/html")
        or source.lower().endswith(_HTML_SUFFIXES)
        or _HTML_BYTES_SNIFF_RE.match(data[:1024]) is not None
    )
    text = _decode(bytes(data), source, warnings, html=html_hint)
    return _build(text, source, media_type, warnings)


def read_text(text: str, *, source: str = "<string>") -> Document:
    """Read an article given as a string (the usual entry point for tests and the Python API).

    HTML is recognised by a ``.html`` source or a leading ``<!doctype html>`` /
    ``<html>``; Markdown by a ``.md`` source. Plain text keeps its characters
    apart from the cleaning done by :func:`clean_text`.

    Raises:
        EmptyInputError: nothing but white space (or markup) after cleaning.

    Examples:
        >>> read_text("PARIS (Reuters) - Ministers met.").dateline_place
        'PARIS'
    """
    return _build(text, source, None, [])
