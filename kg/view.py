"""An interactive HTML view of a projected graph, readable offline and safe with hostile text.

pyvis's :class:`~pyvis.network.Network` holds the options and the node and
edge lists, but the page is geokg's own (``kg/data/vis/template.html``):

- vis-network's script and stylesheet are inlined; the page loads nothing
  (pyvis's ``in_line`` mode still links Bootstrap from a CDN), and a
  Content-Security-Policy with script hashes forbids any other script or fetch;
- text from articles reaches the page only as JSON data (``<``, ``>``, ``&``,
  U+2028/2029 escaped) or through autoescaped jinja2; tooltips are plain
  strings, which vis-network shows as text (pyvis switches to raw ``innerHTML``
  when a title contains "href", and inserts its heading raw);
- node and edge lists are filled directly: pyvis's ``add_node``/``add_edge``
  check membership in a list, which is quadratic (about 130 s for 20,000 nodes);
- above :data:`LAYOUT_THRESHOLD` nodes positions are computed in Python and
  physics starts off, so the browser draws at once.

Examples:
    >>> from kg.analysis import synthetic_graph
    >>> html = build_html(synthetic_graph(30), heading="<demo>")
    >>> "&lt;demo&gt;" in html and "<demo>" not in html
    True
"""

from __future__ import annotations

import hashlib
import json
import math
import os
import tempfile
from collections import deque
from importlib.resources import files
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .errors import ExportError
from .vocab import CORE_CLASSES, CORE_PREDICATES

if TYPE_CHECKING:  # pragma: no cover
    import networkx as nx

__all__ = [
    "LAYOUT_THRESHOLD", "CLASS_STYLE", "STANCE_COLOR", "build_html", "write_html", "select",
    "layout", "json_for_script",
]

LAYOUT_THRESHOLD = 500
"""Above this many nodes, positions come from Python and physics starts off."""

MAX_EVIDENCE_IN_TOOLTIP = 5
MAX_SENTENCE_CHARS = 400
MAX_SUGGESTIONS = 10000
MAX_LABEL_CHARS = 48

# class -> (vis shape, colour, legend glyph); shapes with the label below them scale with value
CLASS_STYLE: dict[str, tuple[str, str, str]] = {
    "Person": ("dot", "#f28e2b", "\u25cf"),
    "Country": ("square", "#4e79a7", "\u25a0"),
    "Organization": ("triangle", "#59a14f", "\u25b2"),
    "Agreement": ("star", "#d4a017", "\u2605"),
    "Event": ("diamond", "#b07aa1", "\u25c6"),
    "Issue": ("hexagon", "#76b7b2", "\u2b22"),
    "Location": ("triangleDown", "#9c755f", "\u25bc"),
    "Other": ("dot", "#9d9d9d", "\u25cf"),
}
STANCE_COLOR = {"supports": "#2e7d32", "opposes": "#c62828", None: "#8a8a8a"}

_SCRIPT_ESCAPES = (("<", "\\u003c"), (">", "\\u003e"), ("&", "\\u0026"),
                   ("\u2028", "\\u2028"), ("\u2029", "\\u2029"))


def json_for_script(value: Any) -> str:
    r"""JSON that is safe inside an HTML ``<script>`` element.

    Examples:
        >>> json_for_script({"a": "</script><b>&"})
        '{"a":"\\u003c/script\\u003e\\u003cb\\u003e\\u0026"}'
    """
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"), allow_nan=False)
    for char, escape in _SCRIPT_ESCAPES:  # str.replace is much faster than translate here
        text = text.replace(char, escape)
    return text


def _asset(name: str) -> str:
    return (files("kg") / "data" / "vis" / name).read_text(encoding="utf-8")


def _vis_js() -> str:
    js = _asset("vis-network.min.js")
    # the map file is not shipped; the comment would only make devtools ask for it
    # split on "\n" only: str.splitlines would also cut at U+2028 and friends inside JS strings
    js = "\n".join(line for line in js.split("\n") if not line.startswith("//# sourceMappingURL="))
    if "</script" in js.lower() or "<!--" in js:
        raise ExportError("vis-network.min.js cannot be inlined (contains </script or <!--)")
    return js


def _csp_hash(script: str) -> str:
    import base64

    return "'sha256-" + base64.b64encode(hashlib.sha256(script.encode("utf-8")).digest()).decode() + "'"


# --------------------------------------------------------------------------- layout


def layout(G: nx.MultiDiGraph, *, seed: int = 0, spacing: float = 28.0) -> dict[Any, tuple[float, float]]:
    """Positions for a large graph without SciPy and without O(n²) memory.

    Communities (label propagation) are laid out one by one (networkx spring layout below
    500 nodes, a sunflower spiral above), each in a disc whose area grows with
    its size, and the discs are placed on a spiral, largest first, neighbouring
    communities next to each other.

    Returns:
        ``{node: (x, y)}`` in pixels, about ``spacing`` apart.
    """
    import networkx as nx

    from .analysis import _undirected

    if len(G) == 0:
        return {}
    U = _undirected(G)
    # label propagation rather than Louvain: linear time, and good enough to group a drawing
    found = nx.community.fast_label_propagation_communities(U, seed=seed)
    parts = sorted((set(c) for c in found),
                   key=lambda c: (-len(c), min(G.nodes[n].get("key", str(n)) for n in c)))
    member = {n: i for i, part in enumerate(parts) for n in part}
    # order the communities by a BFS over the community graph, so tied ones sit close
    C = nx.Graph()
    C.add_nodes_from(range(len(parts)))
    for a, b in U.edges():
        if member[a] != member[b]:
            C.add_edge(member[a], member[b])
    order: list[int] = []
    visited: set[int] = set()
    for start in range(len(parts)):  # parts are sorted largest first
        if start in visited:
            continue
        visited.add(start)
        queue = deque([start])
        while queue:
            c = queue.popleft()
            order.append(c)
            for m in sorted(C[c], key=lambda m: (-len(parts[m]), m)):
                if m not in visited:
                    visited.add(m)
                    queue.append(m)
    # lay out small neighbouring communities together: one spring layout per ~60 nodes
    blocks: list[list[Any]] = [[]]
    for c in order:
        if blocks[-1] and len(blocks[-1]) + len(parts[c]) > max(60, len(blocks[-1])):
            blocks.append([])
        blocks[-1].extend(sorted(parts[c], key=lambda n: G.nodes[n].get("key", str(n))))
    golden = math.pi * (3 - math.sqrt(5))
    pos: dict[Any, tuple[float, float]] = {}
    area = 0.0
    for i, nodes in enumerate(blocks):
        radius = spacing * math.sqrt(len(nodes)) * 0.75 + spacing
        disc = math.pi * radius * radius
        rho = math.sqrt((area + disc / 2) / math.pi) * 1.15 if i else 0.0
        area += disc
        cx, cy = rho * math.cos(i * golden), rho * math.sin(i * golden)
        if len(nodes) == 1:
            local = {nodes[0]: (0.0, 0.0)}
        elif len(nodes) < 500:
            sub = U.subgraph(nodes)
            local = {n: (float(x), float(y)) for n, (x, y) in
                     nx.spring_layout(sub, seed=seed, method="force", iterations=50).items()}
        else:
            hub = max(nodes, key=lambda n: (U.degree(n), str(n)))
            ranked = list(nx.bfs_tree(U.subgraph(nodes), hub))
            placed = set(ranked)
            ranked += [n for n in nodes if n not in placed]
            k = len(ranked)
            local = {n: (math.sqrt(j / k) * math.cos(j * golden), math.sqrt(j / k) * math.sin(j * golden))
                     for j, n in enumerate(ranked)}
        for n, (x, y) in local.items():
            pos[n] = (round(cx + x * radius, 1), round(cy + y * radius, 1))
    return pos


# --------------------------------------------------------------------------- page


def _short(label: str) -> str:
    """The label drawn on the canvas; the full name stays in the tooltip and the search."""
    return label if len(label) <= MAX_LABEL_CHARS else label[:MAX_LABEL_CHARS - 1].rstrip() + "…"


def _node_tooltip(d: dict[str, Any]) -> str:
    lines = [str(d.get("label", "")), f"{d.get('cls') or 'Other'} · {d.get('key', '')}"]
    if d.get("aliases"):
        lines.append("Also: " + ", ".join(d["aliases"]))
    if d.get("articles"):
        shown = d["articles"][:5]
        more = f" (+{len(d['articles']) - 5} more)" if len(d["articles"]) > 5 else ""
        lines.append("Articles: " + ", ".join(shown) + more)
    return "\n".join(lines)


def _edge_tooltip(G: nx.MultiDiGraph, s: Any, o: Any, data: dict[str, Any]) -> str:
    fine = f" ({', '.join(data['fine'])})" if data.get("fine") else ""
    lines = [f"{G.nodes[s].get('label')} {data.get('predicate')} {G.nodes[o].get('label')}{fine}"]
    evidence = data.get("evidence") or ()
    for e in evidence[:MAX_EVIDENCE_IN_TOOLTIP]:
        sentence = (e.get("sentence") or "").strip()
        if len(sentence) > MAX_SENTENCE_CHARS:
            sentence = sentence[:MAX_SENTENCE_CHARS - 1] + "…"
        lines.append(f"\u201c{sentence}\u201d \u2014 {e.get('article') or 'unknown article'}")
    if len(evidence) > MAX_EVIDENCE_IN_TOOLTIP:
        lines.append(f"(+{len(evidence) - MAX_EVIDENCE_IN_TOOLTIP} more)")
    return "\n".join(lines)


def build_html(G: nx.MultiDiGraph, *, heading: str = "geokg", physics: bool | None = None,
               layout_threshold: int = LAYOUT_THRESHOLD, seed: int = 0, height: str = "100%") -> str:
    """The HTML page of a projected graph (see :func:`kg.analysis.project`).

    Args:
        G: the graph to draw.
        heading: page heading and title (escaped).
        physics: start with physics on; default: on up to ``layout_threshold`` nodes.
        layout_threshold: above it, positions come from :func:`layout` and edge
            labels are left to tooltips (thousands of labels hide the graph).
        seed: seed of the layout.

    Returns:
        A self-contained HTML document.
    """
    import jinja2
    from pyvis.network import Network

    from . import __version__

    n = G.number_of_nodes()
    large = n > layout_threshold
    physics_on = (not large) if physics is None else physics
    positions = layout(G, seed=seed) if large else {}

    neighbours: dict[Any, set[Any]] = {v: set() for v in G}
    for s, o in G.edges():
        if s != o:
            neighbours[s].add(o)
            neighbours[o].add(s)

    index = {v: i for i, v in enumerate(G)}
    nodes = []
    class_count: dict[str, int] = {}
    for v, d in G.nodes(data=True):
        cls = d.get("cls") if d.get("cls") in CLASS_STYLE else "Other"
        class_count[cls] = class_count.get(cls, 0) + 1
        name = str(d.get("label", v))
        node = {"id": index[v], "label": _short(name), "name": name, "group": cls,
                "title": _node_tooltip(d), "value": len(neighbours[v]) + 1,
                "aliases": [str(a) for a in d.get("aliases", ())]}
        if v in positions:
            node["x"], node["y"] = positions[v]
        nodes.append(node)
    edges = []
    pred_count: dict[str, int] = {}
    for j, (s, o, k, data) in enumerate(G.edges(keys=True, data=True)):
        pred = str(data.get("predicate", k))
        pred_count[pred] = pred_count.get(pred, 0) + 1
        edge = {"id": j, "from": index[s], "to": index[o], "predicate": pred,
                "color": {"color": STANCE_COLOR.get(data.get("stance"), STANCE_COLOR[None])},
                "title": _edge_tooltip(G, s, o, data), "width": 1 + min(4, math.log2(data.get("weight", 1)))}
        if not large:
            edge["label"] = pred
        edges.append(edge)

    # pyvis holds the lists and the options; its own add_node/add_edge would be quadratic
    net = Network(height=height, width="100%", directed=True, heading=heading, cdn_resources="in_line")
    net.nodes, net.edges = nodes, edges
    net.node_ids = [nd["id"] for nd in nodes]
    net.node_map = {nd["id"]: nd for nd in nodes}
    net.barnes_hut(gravity=-8000, central_gravity=0.3, spring_length=140, spring_strength=0.02)
    net.toggle_physics(physics_on)
    net.set_edge_smooth("continuous")
    nodes, edges, heading, height, width, options_json = net.get_network_data()
    options = json.loads(options_json)
    options["physics"]["stabilization"] = {"enabled": True, "iterations": 300, "updateInterval": 25,
                                           "fit": True}
    options["edges"] = {
        "arrows": {"to": {"enabled": True, "scaleFactor": 0.5}},
        "color": {"inherit": False},
        "smooth": {"enabled": not large, "type": "continuous"},
        "font": {"size": 10, "align": "middle", "color": "#444", "strokeWidth": 3},
    }
    options["nodes"] = {"scaling": {"min": 8, "max": 40, "label": {"enabled": True, "min": 11, "max": 22}},
                        "font": {"size": 12}}
    options["groups"] = {cls: {"shape": shape, "color": {"background": color, "border": color}}
                         for cls, (shape, color, _) in CLASS_STYLE.items()}
    options["interaction"] = {**options.get("interaction", {}), "hover": True, "tooltipDelay": 150,
                              "hideEdgesOnDrag": large, "hideEdgesOnZoom": large, "multiselect": True}
    options["layout"] = {"improvedLayout": not large and n <= 150, "randomSeed": seed}

    summary = f"{n:,} entities · {len(edges):,} relations"
    data = {"nodes": nodes, "edges": edges, "options": options, "summary": summary,
            "maxSuggestions": MAX_SUGGESTIONS}
    vis_js, page_js = _vis_js(), _asset("page.js")
    csp = ("default-src 'none'; "
           f"script-src {_csp_hash(vis_js)} {_csp_hash(page_js)}; "
           "style-src 'unsafe-inline'; img-src data:; font-src data:; "
           "connect-src 'none'; base-uri 'none'; form-action 'none'")
    env = jinja2.Environment(autoescape=True, undefined=jinja2.StrictUndefined)
    template = env.from_string(_asset("template.html"))
    return template.render(
        heading=heading, version=__version__, csp=csp, physics=physics_on, summary=summary,
        classes=[{"name": c, "color": CLASS_STYLE[c][1], "glyph": CLASS_STYLE[c][2],
                  "count": class_count[c]} for c in [*CORE_CLASSES, "Other"] if c in class_count],
        predicates=[{"name": p, "count": pred_count[p],
                     "color": STANCE_COLOR.get(p if p in ("supports", "opposes") else None)}
                    for p in [*CORE_PREDICATES, *sorted(set(pred_count) - set(CORE_PREDICATES))]
                    if p in pred_count],
        stances=[{"name": "supports", "color": STANCE_COLOR["supports"]},
                 {"name": "opposes", "color": STANCE_COLOR["opposes"]},
                 {"name": "other relation", "color": STANCE_COLOR[None]}],
        size_note="Node size: number of related entities (degree)."
                  + (" Positions precomputed; physics off." if large and not physics_on else ""),
        data_json=json_for_script(data), vis_css=_asset("vis-network.css"), vis_js=vis_js, page_js=page_js,
    )


def _atomic_write_text(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(text)
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def write_html(G: nx.MultiDiGraph, path: str | os.PathLike[str], *, force: bool = False,
               **options: Any) -> Path:
    """Write :func:`build_html` to ``path`` atomically.

    Raises:
        ExportError: ``path`` exists and ``force`` is false, or it cannot be written.
    """
    out = Path(path)
    if out.exists() and not force:
        raise ExportError(f"{out} exists — use --force to overwrite it")
    html = build_html(G, **options)
    try:
        _atomic_write_text(out, html)
    except OSError as err:
        raise ExportError(f"cannot write {out}: {err.strerror or err}") from err
    return out


def select(G: nx.MultiDiGraph, *, article: str | None = None, focus: str | None = None,
           depth: int = 1, top: int | None = None) -> tuple[nx.MultiDiGraph, str]:
    """The part of ``G`` to draw and a heading for it.

    Args:
        article: only what was read from this article (key or unique prefix).
        focus: an entity name; keep what lies within ``depth`` relations of it.
        top: keep the ``top`` entities by PageRank (applied last).

    Returns:
        ``(subgraph, heading)``.
    """
    from .analysis import article_subgraph, ego_network, top_nodes

    parts = []
    if article is not None:
        G = article_subgraph(G, article)
        key = G.graph["article"]
        meta = G.graph["articles"][key]
        parts.append(f"Article: {meta.get('title') or key}")
    if focus is not None:
        G = ego_network(G, focus, depth=depth)
        center = G.nodes[G.graph["center"]]
        parts.append(f"{center.get('label')} and {depth} step{'s' if depth != 1 else ''} around")
    if top is not None:
        G = G.subgraph(top_nodes(G, top)).copy()
        parts.append(f"top {top} by PageRank")
    return G, " — ".join(parts) if parts else "geokg knowledge graph"
