"""kg.view: a self-contained, offline, injection-safe HTML page; and real headless Chromium checks.

Browser tests are marked ``browser``. Without Chromium they skip locally and
FAIL when ``CI`` is set (run ``scripts/install-chromium.sh``).
"""

from __future__ import annotations

import json
import os
import re
import time
from html import unescape
from pathlib import Path

import pytest
import rdflib
from rdflib import Literal, URIRef

from kg import analysis as A
from kg.cli import main
from kg.errors import ExportError, NotFoundError
from kg.view import build_html, json_for_script, layout, select, write_html
from kg.vocab import DCTERMS, GKG, ID, PROV, RDF, RDFS, SKOS

XSS = [
    "<script>window.__pwned=1</script>",
    '<img src=x onerror="window.__pwned=1">',
    '"><svg onload="window.__pwned=1">',
    "see href=javascript:window.__pwned=1",
]
HOSTILE_ARTICLE = "hostile-0123abcd"


def hostile_dataset() -> rdflib.Dataset:
    """An article graph (docs/rdf-model.md) whose names, title and sentences carry markup."""
    ds = rdflib.Dataset()
    art = ID[f"article/{HOSTILE_ARTICLE}"]
    g = ds.graph(art)
    g.add((art, RDF.type, GKG.Article))
    g.add((art, DCTERMS.title, Literal(f"Title {XSS[0]} {XSS[1]}")))
    people = []
    for i, text in enumerate(XSS):
        e = ID[f"person/hostile-{i}"]
        g.add((e, RDF.type, GKG.Person))
        g.add((e, RDFS.label, Literal(f"Name{i} {text}")))
        g.add((e, SKOS.altLabel, Literal(f"alias{i} {XSS[(i + 1) % len(XSS)]} href")))
        g.add((e, GKG.mentionedIn, art))
        people.append(e)
    for i, (s, o) in enumerate(zip(people, people[1:] + people[:1], strict=True)):
        pred = GKG.supports if i % 2 else GKG.opposes
        g.add((s, pred, o))
        stmt = URIRef(f"{art}/stmt/{i:012x}")
        sentence = f"Sentence {i}: {XSS[i]} <a href='javascript:window.__pwned=1'>x</a> \u2028 </script><!--"
        for p, v in [(RDF.type, RDF.Statement), (RDF.subject, s), (RDF.predicate, pred), (RDF.object, o),
                     (GKG.sentence, Literal(sentence)), (PROV.wasDerivedFrom, art)]:
            g.add((stmt, p, v))
    return ds


def page_data(html: str) -> dict:
    m = re.search(r'<script type="application/json" id="kg-data">(.*?)</script>', html, re.S)
    assert m, "no data block"
    return json.loads(m.group(1))


# --------------------------------------------------------------------------- page content


def test_page_is_self_contained_and_offline(sample_graph):
    html = build_html(A.project(sample_graph), heading="Seed")
    # no external script, stylesheet, image or frame; everything is inline
    assert not re.search(r"<(script|img|iframe)[^>]*\bsrc\s*=", html, re.I)
    assert not re.search(r"<link\b", html, re.I)
    assert not re.search(r"""(src|href)\s*=\s*["']?\s*(https?:)?//""", html, re.I)
    assert not re.search(r"@import|url\(\s*['\"]?(https?:)?//", html, re.I)
    csp = re.search(r'http-equiv="Content-Security-Policy" content="([^"]*)"', html)
    assert csp and "connect-src 'none'" in unescape(csp.group(1)) and "'unsafe-inline'" not in \
        unescape(csp.group(1)).split("script-src", 1)[1].split(";", 1)[0]
    assert len(re.findall(r"^<script", html, re.M)) == 3  # data, vis-network, page
    data = page_data(html)
    assert len(data["nodes"]) == 6 and len(data["edges"]) == 7
    assert {n["group"] for n in data["nodes"]} == {"Person", "Country", "Agreement", "Issue"}
    assert data["options"]["physics"]["enabled"] is True
    supports = [e for e in data["edges"] if e["predicate"] == "supports"]
    assert {e["color"]["color"] for e in supports} == {"#2e7d32"}
    assert all(e["label"] == e["predicate"] for e in data["edges"])
    takaichi = next(n for n in data["nodes"] if n["label"] == "Sanae Takaichi")
    assert takaichi["aliases"] == ["Takaichi"] and "Also: Takaichi" in takaichi["title"]
    tip = next(e["title"] for e in supports if "praise" in e["title"])
    assert "Donald Trump supports Sanae Takaichi (praises)" in tip and "us-japan-summit-1a2b3c4d" in tip
    # legend, filters, search and physics switch
    for needle in ('id="search"', 'class="kg-class"', 'class="kg-predicate"', 'id="physics"', "Stance"):
        assert needle in html


def test_hostile_text_is_escaped_everywhere():
    G, heading = select(A.project(hostile_dataset()), article=HOSTILE_ARTICLE)
    html = build_html(G, heading=heading)
    body = html.split('<script type="application/json"', 1)
    head_and_legend, rest = body[0], body[1]
    for raw in ("<script>window", "<img src=x", "<svg onload", "<a href"):
        assert raw not in html
    assert "&lt;script&gt;window.__pwned=1&lt;/script&gt;" in head_and_legend  # heading, escaped
    data_block = rest.split(">", 1)[1].split("</script>", 1)[0]
    assert "<" not in data_block and ">" not in data_block and "\u2028" not in data_block
    data = page_data(html)
    labels = {n["name"] for n in data["nodes"]}
    assert f"Name0 {XSS[0]}" in labels  # round-trips exactly: escaped for HTML, not altered
    tips = "\n".join(e["title"] for e in data["edges"])
    assert XSS[1] in tips and "</script><!--" in tips
    page_js = (Path(__file__).parents[1] / "kg/data/vis/page.js").read_text()
    assert "innerHTML =" not in page_js and "insertAdjacentHTML" not in page_js


def test_json_for_script_escapes_what_html_parsers_see():
    text = json_for_script({"k": "</script><!-- & \u2028\u2029"})
    assert text == '{"k":"\\u003c/script\\u003e\\u003c!-- \\u0026 \\u2028\\u2029"}'
    assert json.loads(text) == {"k": "</script><!-- & \u2028\u2029"}


def test_large_graph_is_laid_out_in_python_with_physics_off():
    G = A.synthetic_graph(1200, seed=3)
    data = page_data(build_html(G, layout_threshold=1000))
    assert data["options"]["physics"]["enabled"] is False
    assert all("x" in n and "y" in n for n in data["nodes"])
    assert not any("label" in e for e in data["edges"])  # predicates stay in tooltips
    small = page_data(build_html(G, layout_threshold=5000, physics=False))
    assert small["options"]["physics"]["enabled"] is False and "x" not in small["nodes"][0]


def test_layout_places_every_node_deterministically():
    G = A.synthetic_graph(700, seed=5)
    pos = layout(G, seed=1)
    assert set(pos) == set(G)
    assert all(abs(x) < 1e6 and abs(y) < 1e6 for x, y in pos.values())
    assert layout(G, seed=1) == pos
    assert len(set(pos.values())) > 690  # nodes do not pile up on one point
    assert layout(A.synthetic_graph(0)) == {}


def test_build_time_grows_far_below_quadratically():
    # pyvis's add_node/add_edge were quadratic (~130 s for 20,000 nodes). Times are
    # recorded, not asserted against a wall clock: only the growth ratio is checked.
    def timed(n: int) -> float:
        G = A.synthetic_graph(n, seed=0)
        start = time.perf_counter()
        build_html(G)
        return time.perf_counter() - start

    small, large = timed(2000), timed(20000)
    print(f"build_html: 2,000 nodes {small:.2f} s, 20,000 nodes {large:.2f} s, ratio {large / small:.1f}")
    assert large / small < 40  # linear is 10, quadratic 100


def test_select_article_focus_and_top(sample_graph):
    G = A.project(sample_graph)
    sub, heading = select(G, article="us-japan")
    assert heading.startswith("Article: Trump–Takaichi Summit") and sub.number_of_nodes() == 4
    sub, heading = select(G, focus="Takaichi", depth=1)
    assert {d["key"] for _, d in sub.nodes(data=True)} == {"person/sanae-takaichi", "country/JPN",
                                                           "person/donald-trump"}
    assert heading == "Sanae Takaichi and 1 step around"
    sub, heading = select(G, top=2)
    assert sub.number_of_nodes() == 2 and "top 2" in heading
    with pytest.raises(NotFoundError):
        select(G, focus="Atlantis")


def test_write_html_is_atomic_and_refuses_to_overwrite(tmp_path, sample_graph):
    G = A.project(sample_graph)
    out = tmp_path / "graph.html"
    write_html(G, out)
    first = out.read_text()
    with pytest.raises(ExportError, match="--force"):
        write_html(G, out, heading="other")
    assert out.read_text() == first
    write_html(G, out, force=True, heading="other")
    assert "<h1 id=\"heading\">other</h1>" in out.read_text()
    assert [p.name for p in tmp_path.iterdir()] == ["graph.html"]  # no temporary file left


def test_cli_view(runner, tmp_path, sample_graph):
    src = tmp_path / "kg.trig"
    sample_graph.serialize(src, format="trig")
    out = tmp_path / "v.html"
    result = runner.invoke(main, ["view", "-o", str(out), "--input", str(src), "--focus", "Japan",
                                  "--depth", "2", "--title", "<b>Japan</b>"])
    assert result.exit_code == 0, result.output
    assert "&lt;b&gt;Japan&lt;/b&gt;" in out.read_text()
    again = runner.invoke(main, ["view", "-o", str(out), "--input", str(src)])
    assert again.exit_code == 1 and "--force" in again.stderr
    assert runner.invoke(main, ["view", "-o", str(out), "--input", str(src), "--depth", "2"]).exit_code == 2
    top = runner.invoke(main, ["view", "-o", str(out), "--input", str(src), "--top", "3", "--force",
                               "--article", "tokyo"])
    assert top.exit_code == 0 and len(page_data(out.read_text())["nodes"]) == 3


# --------------------------------------------------------------------------- real browser


@pytest.fixture(scope="module")
def chromium():
    from browser import Chromium, find_chromium

    path = find_chromium()
    if path is None:
        message = "chromium is not installed: run scripts/install-chromium.sh (Debian package chromium)"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    with Chromium(path) as browser:
        yield browser


def open_view(chromium, path: Path, timeout: float = 120.0):
    page = chromium.new_page()
    page.goto(path.as_uri())
    page.wait_for("document.body && document.body.dataset.ready === '1'", timeout=timeout)
    return page


def assert_offline(page) -> None:
    assert all(u.startswith(("file:", "data:", "about:", "blob:")) for u in page.requests()), page.requests()


@pytest.mark.browser
def test_browser_draws_the_seed_view(chromium, tmp_path, sample_graph):
    out = write_html(A.project(sample_graph), tmp_path / "seed.html", heading="Seed example")
    page = open_view(chromium, out)
    try:
        assert page.evaluate("document.body.dataset.nodes") == "6"
        assert page.evaluate("kgNetwork.body.nodeIndices.length") == 6
        assert page.evaluate("kgSearch('takaichi').length") == 1
        assert page.evaluate("document.getElementById('search-count').textContent") == "1 match"
        assert page.evaluate("kgNodes.get(kgNetwork.getSelectedNodes()[0]).name") == "Sanae Takaichi"
        assert page.evaluate("kgSearch('united').length") == 1  # substring when nothing is exact
        # filters and the physics switch
        page.evaluate("(() => { const b = document.querySelector('input.kg-class[value=Person]');"
                      " b.click(); return b.checked; })()")
        assert page.evaluate("kgNetwork.body.nodeIndices.length") == 4
        page.evaluate("document.querySelector('input.kg-predicate[value=supports]').click()")
        page.evaluate("document.getElementById('physics').click()")
        time.sleep(0.3)
        shot = page.screenshot(tmp_path / "seed.png")
        assert shot.stat().st_size > 5000
        assert page.errors() == []
        assert_offline(page)
        # the Content-Security-Policy is in force: an injected inline script does not run
        page.evaluate("(() => { const s = document.createElement('script');"
                      " s.textContent = 'window.__csp = 1'; document.body.appendChild(s); })()")
        assert page.evaluate("typeof window.__csp") == "undefined"
    finally:
        page.close()


@pytest.mark.browser
@pytest.mark.slow
def test_browser_draws_the_seed_example(chromium, runner, tmp_path):
    """The real seed article through `kg build` and `kg view` (loads spaCy)."""
    seed = Path(__file__).resolve().parents[1] / "examples" / "us-japan-summit.txt"
    ttl, out = tmp_path / "seed.ttl", tmp_path / "seed.html"
    built = runner.invoke(main, ["build", str(seed), "-o", str(ttl)])
    assert built.exit_code == 0, built.output
    viewed = runner.invoke(main, ["view", "-o", str(out), "--input", str(ttl)])
    assert viewed.exit_code == 0, viewed.output
    expected = A.project(A.load_rdf(path=ttl)).number_of_nodes()
    assert expected > 10
    page = open_view(chromium, out)
    try:
        assert page.evaluate("document.body.dataset.nodes") == str(expected)
        assert page.evaluate("kgNetwork.body.nodeIndices.length") == expected
        assert page.evaluate("kgSearch('Takaichi').length") == 1
        assert page.evaluate("kgNodes.get(kgNetwork.getSelectedNodes()[0]).label") == "Sanae Takaichi"
        assert page.evaluate("document.body.dataset.matches") == "1"
        assert page.screenshot(tmp_path / "seed-example.png").stat().st_size > 5000
        assert page.errors() == []
        assert_offline(page)
    finally:
        page.close()


@pytest.mark.browser
@pytest.mark.slow
def test_browser_draws_a_5000_node_view(chromium, tmp_path):
    out = write_html(A.synthetic_graph(5000, seed=0), tmp_path / "big.html")
    page = open_view(chromium, out)
    try:
        assert page.evaluate("document.body.dataset.nodes") == "5000"
        assert page.evaluate("kgNetwork.physics.options.enabled") is False
        assert page.evaluate("kgSearch('E4321').length") == 1
        assert page.evaluate("document.body.dataset.matches") == "1"
        page.screenshot(tmp_path / "big.png")
        assert (tmp_path / "big.png").stat().st_size > 5000
        assert page.errors() == []
        assert_offline(page)
    finally:
        page.close()


@pytest.mark.browser
def test_browser_runs_no_script_from_articles(chromium, tmp_path):
    G, heading = select(A.project(hostile_dataset()), article=HOSTILE_ARTICLE)
    out = write_html(G, tmp_path / "hostile.html", heading=heading)
    page = open_view(chromium, out)
    try:
        assert page.evaluate("document.body.dataset.nodes") == str(len(XSS))
        # show every node and edge tooltip: hover each node, then the middle of each edge
        points = page.evaluate("""(() => {
            const pts = [];
            for (const id of kgNodes.getIds()) { pts.push(kgNetwork.canvasToDOM(kgNetwork.getPosition(id))); }
            for (const e of kgEdges.get()) {
                const a = kgNetwork.getPosition(e.from), b = kgNetwork.getPosition(e.to);
                pts.push(kgNetwork.canvasToDOM({x: (a.x + b.x) / 2, y: (a.y + b.y) / 2}));
            }
            const r = document.getElementById('network').getBoundingClientRect();
            return pts.map(p => [p.x + r.left, p.y + r.top]);
        })()""")
        tips = []
        for x, y in points:
            page.mouse_move(x, y)
            time.sleep(0.35)
            tips.append(page.evaluate("(document.querySelector('div.vis-tooltip') || {}).textContent || ''"))
        assert any("<script>window.__pwned=1</script>" in t for t in tips), tips  # shown as text
        assert any("href" in t for t in tips)
        page.evaluate("kgSearch('<img')")
        page.evaluate("document.getElementById('search').focus()")
        time.sleep(0.5)
        assert page.evaluate("typeof window.__pwned") == "undefined"
        assert page.evaluate("document.querySelectorAll('img, svg, a, [onerror], [onload]').length") == 0
        assert page.evaluate("document.querySelectorAll('script').length") == 3
        assert "<script>" in page.evaluate("document.getElementById('heading').textContent")
        assert page.errors() == []
        assert_offline(page)
        page.screenshot(tmp_path / "hostile.png")
    finally:
        page.close()
