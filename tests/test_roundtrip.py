"""Case 25 of issue #6: random graphs with awkward literals survive every export format.

A Hypothesis property test: graphs of random triples whose literals are the
hard ones (``xsd:double`` extremes and specials, BCP 47 language tags, long
strings, astral-plane and combining characters, controls) go through geokg's
own export paths, are parsed back with rdflib, and must be isomorphic to the
original:

* :func:`kg.export.export_graph` of an rdflib ``Graph`` (turtle, ntriples) or
  ``Dataset`` (nquads, trig, jsonld): every lexical form is written as rdflib
  holds it (through Oxigraph's writers, never rdflib's Turtle writer, which
  rounds doubles), so the graph comes back term for term.
* the store: :meth:`kg.store.Store.replace_article` then ``export_graph(store)``.
  Oxigraph keeps typed literals by value, so a double may come back in another
  lexical form (``"1.0E-1"`` for ``"0.1"``); rdflib normalises ``xsd:double``
  lexical forms on parsing, so the comparison is still exact for doubles.

What is expected of the special doubles (decided here, documented in the README):
rdflib turns ``float("nan")`` / ``float("inf")`` into the lexical forms
``"nan"`` / ``"inf"``, which are not valid ``xsd:double`` (``NaN``, ``INF``);
geokg writes them as they are and they round-trip unchanged, and the canonical
spellings ``"NaN"``/``"INF"``/``"-INF"`` round-trip too. ``-0.0`` keeps its sign.
``"x"^^xsd:string`` and ``"x"`` are one term in RDF 1.1 (Oxigraph writes the
short form), and language tags are compared in lower case (Oxigraph lower-cases
them, as RDF 1.1 allows); rdflib's isomorphism check does neither, so both sides
are normalised that way before comparing.
Lone surrogates are not generated: no RDF syntax can carry them (the reader
removes them from article text, see test_reader).

``KG_ROUNDTRIP_EXAMPLES`` (default 60) sets the number of graphs per test.
"""

from __future__ import annotations

import io
import math
import os

import pytest
import rdflib
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rdflib import BNode, Literal, URIRef
from rdflib import namespace as ns
from rdflib.compare import isomorphic

from kg.export import EXTENSIONS, export_graph
from kg.store import EmbeddedStore

EXAMPLES = int(os.environ.get("KG_ROUNDTRIP_EXAMPLES", "60"))
RDFLIB_FORMAT = {"turtle": "turtle", "ntriples": "nt", "nquads": "nquads", "trig": "trig",
                 "jsonld": "json-ld"}
TRIPLE_FORMATS = ("turtle", "ntriples")
QUAD_FORMATS = ("nquads", "trig", "jsonld")
assert set(TRIPLE_FORMATS + QUAD_FORMATS) == set(EXTENSIONS), "a new export format needs a round-trip test"

# -- strategies ----------------------------------------------------------------

_IRIS = st.sampled_from([
    "urn:x:a", "urn:x:b", "http://example.org/s", "http://example.org/p#q",
    "https://w3id.org/geokg/id/person/o-brien", "http://example.org/ü/Ωmega/😀",
    "http://example.org/path?query=1&x=%22", "tag:example.org,2025:x", "http://例え.jp/名前",
]).map(URIRef)
_PREDICATES = st.sampled_from([
    "http://example.org/p", "http://www.w3.org/2000/01/rdf-schema#label",
    "https://w3id.org/geokg/ontology#sentence", "http://example.org/ñ", "urn:x:p",
]).map(URIRef)

_SPECIAL_DOUBLES = [0.0, -0.0, 0.1, 1e-300, -1e-300, 5e-324, 2.2250738585072014e-308, 1e22, 1e300,
                    1.7976931348623157e308, 3.141592653589793, 1 / 3, 123456789012345678.0,
                    math.nan, math.inf, -math.inf]
_doubles = st.one_of(
    st.sampled_from(_SPECIAL_DOUBLES),
    st.floats(allow_nan=True, allow_infinity=True),
).map(Literal)
_double_lexicals = st.sampled_from(
    ["1.0E-1", "1e0", "NaN", "INF", "-INF", "-0.0", "1.5E0", "0.30000000000000004", "1E-300"]
).map(lambda lex: Literal(lex, datatype=ns.XSD.double))

_LANGS = ["en", "EN", "en-US", "en-gb", "zh-Hant-TW", "sr-Latn-RS", "de-CH-1996", "es-419",
          "ja-Latn", "x-private", "en-GB-oxendict", "qaa-Qaaa-QM-x-southern", "fr", "ar-EG"]
_AWKWARD = ["\u0301", "e\u0301", "\U0001F30D", "\U0001F469\u200d\U0001F52C", "\U00010348", "\u202e",
            "\u2028", "\u2029", "\x00", "\x07", "\x1b[31m", "\x7f", "\x85", "\ufeff", "\ufffe", "\uffff",
            '"', "'", '"""', "\\", "\\u0022", "\\n", "\n", "\r\n", "\t", "<", ">", "&amp;", "@", "^^",
            "]]>", "{", "}", "%", "#", " ", "\u00a0", "\U0010FFFD"]
_chars = st.characters(exclude_categories=("Cs",))
_text = st.one_of(
    st.text(_chars, max_size=40),
    st.lists(st.one_of(st.sampled_from(_AWKWARD), st.text(_chars, max_size=5)), max_size=20).map("".join),
    st.tuples(st.sampled_from(["a", "é", "😀", "\\", '"', "\n"]), st.integers(1000, 70_000)).map(
        lambda pair: pair[0] * pair[1]),  # long strings
)
_lang_strings = st.tuples(_text, st.sampled_from(_LANGS)).map(lambda pair: Literal(pair[0], lang=pair[1]))
_typed_other = st.one_of(
    st.integers(-(10**30), 10**30).map(Literal),
    st.decimals(allow_nan=False, allow_infinity=False, places=6).map(Literal),
    st.booleans().map(Literal),
    st.tuples(_text, st.just(URIRef("http://example.org/custom-datatype"))).map(
        lambda pair: Literal(pair[0], datatype=pair[1])),
    _text.map(lambda t: Literal(t, datatype=ns.XSD.string)),
)
_literals = st.one_of(_doubles, _double_lexicals, _text.map(Literal), _lang_strings, _typed_other)


@st.composite
def _graph_triples(draw: st.DrawFn, bnode_scope: str) -> list[tuple]:
    """Up to 12 triples; blank nodes are local to ``bnode_scope`` (one named graph)."""
    bnodes = st.integers(0, 3).map(lambda i: BNode(f"{bnode_scope}b{i}"))
    subjects = st.one_of(_IRIS, bnodes)
    objects = st.one_of(_literals, _IRIS, bnodes)
    return draw(st.lists(st.tuples(subjects, _PREDICATES, objects), min_size=1, max_size=12))


def _graph(triples) -> rdflib.Graph:
    g = rdflib.Graph()
    for t in triples:
        g.add(t)
    return g


_graphs = _graph_triples("g").map(_graph)


@st.composite
def _datasets(draw: st.DrawFn) -> dict[URIRef, rdflib.Graph]:
    """One to three named graphs (as a store holds articles), blank nodes not shared between them."""
    names = draw(st.lists(st.sampled_from([f"https://w3id.org/geokg/id/article/a{i}" for i in range(5)]),
                          min_size=1, max_size=3, unique=True))
    return {URIRef(name): _graph(draw(_graph_triples(f"g{i}"))) for i, name in enumerate(names)}


def _as_dataset(graphs: dict[URIRef, rdflib.Graph]) -> rdflib.Dataset:
    ds = rdflib.Dataset()
    for name, g in graphs.items():
        target = ds.graph(name)
        for t in g:
            target.add(t)
    return ds


# -- helpers -------------------------------------------------------------------


def _export(source, fmt: str, tmp_path_factory) -> bytes:
    folder = tmp_path_factory.mktemp("rt")
    path = folder / f"out{EXTENSIONS[fmt]}"
    assert export_graph(source, path, fmt) == fmt
    leftovers = [p.name for p in folder.iterdir() if p.name != path.name]
    assert leftovers == [], leftovers
    return path.read_bytes()


def _parse_triples(data: bytes, fmt: str) -> rdflib.Graph:
    return rdflib.Graph().parse(data=data, format=RDFLIB_FORMAT[fmt])


def _parse_graphs(data: bytes, fmt: str) -> dict[URIRef, rdflib.Graph]:
    ds = rdflib.Dataset()
    ds.parse(data=data, format=RDFLIB_FORMAT[fmt])
    out: dict[URIRef, rdflib.Graph] = {}
    for s, p, o, g in ds.quads((None, None, None, None)):
        name = getattr(g, "identifier", g)
        out.setdefault(name, rdflib.Graph()).add((s, p, o))
    return out


def _diff(want: rdflib.Graph, got: rdflib.Graph) -> str:
    from rdflib.compare import graph_diff, to_isomorphic

    _, only_want, only_got = graph_diff(to_isomorphic(want), to_isomorphic(got))
    return (f"missing: {sorted(only_want, key=repr)[:5]!r}\n"
            f"unexpected: {sorted(only_got, key=repr)[:5]!r}")


def _rdf11(g: rdflib.Graph) -> rdflib.Graph:
    """RDF 1.1 term equality, which rdflib's isomorphism check does not apply.

    ``"x"^^xsd:string`` *is* ``"x"``, and language tags are case-insensitive
    ("MAY be converted to lower case"; Oxigraph does).
    """
    out = rdflib.Graph()
    for s, p, o in g:
        if isinstance(o, Literal):
            if o.language:
                o = Literal(str(o), lang=o.language.lower())
            elif o.datatype == ns.XSD.string:
                o = Literal(str(o))
        out.add((s, p, o))
    return out


def _decimal(value) -> str:
    text = format(value, "f")
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def _by_value(g: rdflib.Graph) -> rdflib.Graph:
    """Typed literals compared by value: the store keeps values, not lexical forms."""
    out = rdflib.Graph()
    for s, p, o in _rdf11(g):
        if isinstance(o, Literal) and o.datatype == ns.XSD.decimal and o.value is not None:
            o = Literal(_decimal(o.value), datatype=ns.XSD.decimal)
        out.add((s, p, o))
    return out


def _check_graphs(want: dict[URIRef, rdflib.Graph], got: dict[URIRef, rdflib.Graph],
                  same=_rdf11) -> None:
    assert set(got) == set(want)
    for name in want:
        want[name] = same(want[name])
        got[name] = same(got[name])
        assert isomorphic(got[name], want[name]), f"{name}:\n{_diff(want[name], got[name])}"


_SETTINGS = settings(max_examples=EXAMPLES, deadline=None,
                     suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large,
                                            HealthCheck.function_scoped_fixture])


# -- the property --------------------------------------------------------------


@pytest.mark.parametrize("fmt", TRIPLE_FORMATS)
@_SETTINGS
@given(graph=_graphs)
def test_case25_rdflib_graph_round_trips_exactly(tmp_path_factory, fmt, graph):
    back = _rdf11(_parse_triples(_export(graph, fmt, tmp_path_factory), fmt))
    want = _rdf11(graph)
    assert isomorphic(back, want), _diff(want, back)


@pytest.mark.parametrize("fmt", QUAD_FORMATS)
@_SETTINGS
@given(graphs=_datasets())
def test_case25_rdflib_dataset_round_trips_exactly(tmp_path_factory, fmt, graphs):
    back = _parse_graphs(_export(_as_dataset(graphs), fmt, tmp_path_factory), fmt)
    _check_graphs(graphs, back)


@pytest.mark.parametrize("fmt", TRIPLE_FORMATS + QUAD_FORMATS)
@_SETTINGS
@given(graphs=_datasets())
def test_case25_store_export_round_trips(tmp_path_factory, fmt, graphs):
    store = EmbeddedStore.in_memory()
    for name, g in graphs.items():
        store.replace_article(str(name), g)
    data = _export(store, fmt, tmp_path_factory)
    if fmt in QUAD_FORMATS:
        _check_graphs(graphs, _parse_graphs(data, fmt), same=_by_value)
    else:  # the union graph
        union = rdflib.Graph()
        for g in graphs.values():
            for t in g:
                union.add(t)
        back = _by_value(_parse_triples(data, fmt))
        union = _by_value(union)
        assert isomorphic(back, union), _diff(union, back)


def test_case25_doubles_keep_every_bit():
    """The values the issue names, checked one by one (not left to chance)."""
    g = rdflib.Graph()
    s = URIRef("urn:x:s")
    values = [*_SPECIAL_DOUBLES, 0.30000000000000004, 2.5e-323]
    for i, v in enumerate(values):
        g.add((s, URIRef(f"urn:x:p{i}"), Literal(v)))
    for fmt in TRIPLE_FORMATS:
        buf = io.BytesIO()
        from kg.export import _write_rdflib

        _write_rdflib(g, buf, fmt)
        back = _parse_triples(buf.getvalue(), fmt)
        for i, v in enumerate(values):
            got = back.value(s, URIRef(f"urn:x:p{i}"))
            assert got.datatype == ns.XSD.double, (fmt, v, got)
            x = got.toPython()
            if math.isnan(v):
                assert math.isnan(x), (fmt, got)
            else:
                assert x == v and math.copysign(1, x) == math.copysign(1, v), (fmt, v, got)
