"""Analyse the knowledge graph with networkx: projection, centrality, communities, paths.

The RDF written by geokg (see ``docs/rdf-model.md``) is projected onto a
:class:`networkx.MultiDiGraph` whose nodes are entities and whose edges are core
relations with their evidence. Everything after the projection works on that
graph only, so it is tested on small hand-built graphs without spaCy or a store.

Node ids are entity IRIs (strings). Node attributes: ``iri``, ``key`` (the IRI
below ``https://w3id.org/geokg/id/``), ``cls`` (core class, e.g. ``"Country"``),
``label``, ``aliases`` (list), ``articles`` (list of article keys). Edge keys are
core predicates; edge attributes: ``predicate``, ``stance`` (``"supports"``,
``"opposes"`` or ``None``), ``fine`` (finer predicates), ``evidence`` (list of
dicts with ``sentence``, ``article``, ``confidence``, ``rule``, ``start``,
``end``), ``articles`` and ``weight`` (number of evidence records, at least 1).

Examples:
    >>> from rdflib import Graph, Literal
    >>> from kg.vocab import GKG, RDF, RDFS, entity_iri
    >>> g = Graph()
    >>> jpn, usa = entity_iri("country/JPN"), entity_iri("country/USA")
    >>> for iri, name in ((jpn, "Japan"), (usa, "United States")):
    ...     _ = g.add((iri, RDF.type, GKG.Country)).add((iri, RDFS.label, Literal(name)))
    >>> _ = g.add((usa, GKG.supports, jpn))
    >>> G = project(g)
    >>> G.nodes[str(jpn)]["label"], list(G.edges(keys=True))[0][2]
    ('Japan', 'supports')
    >>> resolve(G, "japan") == str(jpn)
    True
"""

from __future__ import annotations

import difflib
import os
import re
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .errors import AmbiguousNameError, InputError, NotFoundError
from .vocab import CORE_CLASSES, CORE_PREDICATES, DCTERMS, GKG, ID, PROV, RDF, RDFS, SKOS

if TYPE_CHECKING:  # pragma: no cover
    import networkx as nx
    import rdflib

__all__ = [
    "STANCES", "load_rdf", "project", "article_subgraph", "resolve", "centrality", "pagerank",
    "communities", "brokers", "stance_ranking", "article_summaries", "analyze", "entity_rows",
    "shortest_paths", "ego_network", "top_nodes", "synthetic_graph", "article_key",
]

STANCES = ("supports", "opposes")
"""Core predicates that carry a stance; every other relation is neutral (``None``)."""

BETWEENNESS_EXACT_LIMIT = 2000
"""Above this many nodes betweenness is estimated from a fixed-seed sample of sources."""

_ARTICLE_PREFIX = str(ID) + "article/"
_CORE_CLASS_IRIS = {GKG[c]: c for c in CORE_CLASSES}
_CORE_PREDICATE_IRIS = {GKG[p]: p for p in CORE_PREDICATES}


# --------------------------------------------------------------------------- loading


def load_rdf(*, store: str | os.PathLike[str] | None = None,
             path: str | os.PathLike[str] | None = None) -> rdflib.Dataset:
    """Read the RDF to analyse from an RDF file or from the store.

    Args:
        store: store folder or SPARQL endpoint URL, opened read-only.
        path: an RDF file (format from its extension: ``.ttl``, ``.trig``,
            ``.nq``, ``.nt``, ``.jsonld``, ``.rdf``...); wins over ``store``.

    Returns:
        An :class:`rdflib.Dataset` whose union holds every article graph.

    Raises:
        InputError: the file is missing, of unknown format or not valid RDF.
        StoreError: the store cannot be opened.
    """
    if path is not None:
        p = Path(path)
        if not p.is_file():
            raise InputError(f"no RDF file at {p} — give a file written by `kg export`")
        from .validate import read_rdf_files

        # Oxigraph's strict parsers: nothing fetched, DTDs refused, a bad file adds nothing
        return read_rdf_files([p], default_union=True)
    if store is None:
        raise InputError("nothing to analyse — give --input FILE or --store PATH")
    return _store_dataset(store)


def _store_dataset(location: str | os.PathLike[str]) -> rdflib.Dataset:
    from .store import open_store

    with open_store(location, create=False, read_only=True) as st:
        return st.to_dataset()


# --------------------------------------------------------------------------- projection


def article_key(iri: str) -> str:
    """The article key of an article IRI (the IRI itself when it is not geokg's).

    Examples:
        >>> article_key("https://w3id.org/geokg/id/article/summit-1a2b3c4d")
        'summit-1a2b3c4d'
    """
    iri = str(iri)
    return iri[len(_ARTICLE_PREFIX):] if iri.startswith(_ARTICLE_PREFIX) else iri


def _entity_key(iri: str) -> str:
    return iri[len(str(ID)):] if iri.startswith(str(ID)) else iri


def _quads(graph: Any) -> Iterable[tuple[Any, Any, Any, str | None]]:
    """Every triple with the name of its graph (None for a plain Graph)."""
    import rdflib

    if isinstance(graph, rdflib.ConjunctiveGraph | rdflib.Dataset):
        for s, p, o, g in graph.quads((None, None, None, None)):
            name = getattr(g, "identifier", g)
            yield s, p, o, (str(name) if name is not None else None)
    else:
        for s, p, o in graph.triples((None, None, None)):
            yield s, p, o, None


def _to_float(value: Any) -> float | None:
    try:
        return float(value.toPython() if hasattr(value, "toPython") else value)
    except (TypeError, ValueError):
        return None


def _to_int(value: Any) -> int | None:
    try:
        return int(value.toPython() if hasattr(value, "toPython") else value)
    except (TypeError, ValueError):
        return None


def project(graph: Any, *, article: str | None = None) -> nx.MultiDiGraph:
    """Project geokg RDF onto a networkx multigraph of entities and core relations.

    Pure function: reads ``graph`` (an rdflib Graph, Dataset or anything with
    ``triples``) once and builds a new graph; no NLP, no store.

    Args:
        graph: RDF as written by geokg (one article, an export or a whole store).
        article: keep only this article (key, IRI or unique key prefix).

    Returns:
        The projected :class:`networkx.MultiDiGraph` (see the module docstring);
        ``G.graph["articles"]`` maps article keys to ``{"iri", "title", "date"}``.

    Raises:
        NotFoundError: ``article`` names no article of the graph.
    """
    import networkx as nx

    types: dict[str, set[str]] = defaultdict(set)
    labels: dict[str, set[str]] = defaultdict(set)
    alts: dict[str, set[str]] = defaultdict(set)
    mentioned: dict[str, set[str]] = defaultdict(set)
    direct: dict[tuple[str, str, str], set[str]] = defaultdict(set)  # triple -> article graphs
    stmts: dict[Any, dict[str, Any]] = defaultdict(dict)
    article_iris: set[str] = set()
    titles: dict[str, str] = {}
    dates: dict[str, str] = {}

    stmt_fields = {
        RDF.subject: "s", RDF.predicate: "p", RDF.object: "o", GKG.sentence: "sentence",
        GKG.finePredicate: "fine", GKG.charStart: "start", GKG.charEnd: "end", GKG.rule: "rule",
        GKG.confidence: "confidence", PROV.wasDerivedFrom: "article",
    }
    for s, p, o, g in _quads(graph):
        if p == RDF.type:
            if o in _CORE_CLASS_IRIS:
                types[str(s)].add(_CORE_CLASS_IRIS[o])
                if g is not None and g.startswith(_ARTICLE_PREFIX):
                    mentioned[str(s)].add(g)
                    article_iris.add(g)
            elif o == GKG.Article:
                article_iris.add(str(s))
            elif o == RDF.Statement:
                stmts[s]  # noqa: B018 - create the record even without fields
        elif p in _CORE_PREDICATE_IRIS:
            asserted_in = direct[(str(s), _CORE_PREDICATE_IRIS[p], str(o))]
            if g is not None and g.startswith(_ARTICLE_PREFIX):
                asserted_in.add(g)
        elif p == RDFS.label:
            labels[str(s)].add(str(o))
        elif p == SKOS.altLabel:
            alts[str(s)].add(str(o))
        elif p == GKG.mentionedIn:
            mentioned[str(s)].add(str(o))
            article_iris.add(str(o))
        elif p in stmt_fields:
            stmts[s][stmt_fields[p]] = o
            if p == PROV.wasDerivedFrom:
                article_iris.add(str(o))
        elif p == DCTERMS.title:
            titles[str(s)] = str(o)
        elif p == DCTERMS.date:
            dates[str(s)] = str(o)

    G = nx.MultiDiGraph()
    G.graph["articles"] = {
        article_key(a): {"iri": a, "title": titles.get(a), "date": dates.get(a)}
        for a in sorted(article_iris)
    }

    def add_node(iri: str) -> None:
        if iri in G:
            return
        cls = next((c for c in CORE_CLASSES if c in types.get(iri, ())), None)
        names = sorted(labels.get(iri, ()), key=lambda n: (-len(n), n))
        key = _entity_key(iri)
        label = names[0] if names else key.rsplit("/", 1)[-1]
        aliases = sorted((set(names[1:]) | alts.get(iri, set())) - {label}, key=str.casefold)
        G.add_node(iri, iri=iri, key=key, cls=cls, label=label, aliases=aliases,
                   articles=sorted(article_key(a) for a in mentioned.get(iri, ())))

    for iri in sorted(types):
        add_node(iri)

    evidence: dict[tuple[str, str, str], list[dict[str, Any]]] = defaultdict(list)
    fines: dict[tuple[str, str, str], set[str]] = defaultdict(set)
    for rec in stmts.values():
        pred = _CORE_PREDICATE_IRIS.get(rec.get("p"))
        if pred is None or "s" not in rec or "o" not in rec:
            continue
        triple = (str(rec["s"]), pred, str(rec["o"]))
        fine = rec.get("fine")
        fine_name = str(fine).rsplit("#", 1)[-1] if fine is not None else None
        if fine_name:
            fines[triple].add(fine_name)
        evidence[triple].append({
            "sentence": str(rec["sentence"]) if "sentence" in rec else None,
            "article": article_key(str(rec["article"])) if "article" in rec else None,
            "confidence": _to_float(rec.get("confidence")),
            "rule": str(rec["rule"]) if "rule" in rec else None,
            "fine": fine_name,
            "start": _to_int(rec.get("start")),
            "end": _to_int(rec.get("end")),
        })

    for s, pred, o in sorted(set(direct) | set(evidence)):
        add_node(s)  # an endpoint without a core class still gets a node, labelled by its IRI
        add_node(o)
        ev = sorted(evidence.get((s, pred, o), ()),
                    key=lambda e: (e["article"] or "", e["start"] or 0, e["sentence"] or ""))
        articles = {e["article"] for e in ev if e["article"]}
        articles |= {article_key(a) for a in direct.get((s, pred, o), ())}
        if not articles:  # a union graph without evidence: where both ends are mentioned
            articles = set(G.nodes[s]["articles"]) & set(G.nodes[o]["articles"])
        G.add_edge(s, o, key=pred, predicate=pred,
                   stance=pred if pred in STANCES else None,
                   fine=sorted(fines.get((s, pred, o), ())), evidence=ev,
                   articles=sorted(articles), weight=max(1, len(ev)))
    if article is not None:
        return article_subgraph(G, article)
    return G


def _find_article(G: nx.MultiDiGraph, article: str) -> str:
    articles = G.graph.get("articles", {})
    key = article_key(article)
    if key in articles:
        return key
    matches = [k for k in articles if k.startswith(key)]
    if len(matches) == 1:
        return matches[0]
    known = ", ".join(sorted(articles)[:10]) or "none"
    if matches:
        raise AmbiguousNameError(f"article {article!r} matches {len(matches)} articles: "
                                 f"{', '.join(sorted(matches)[:10])} — give more of the key")
    raise NotFoundError(f"no article {article!r} in the graph (articles: {known}) — "
                        "list them with `kg analyze`")


def article_subgraph(G: nx.MultiDiGraph, article: str) -> nx.MultiDiGraph:
    """The part of a projected graph read from one article, evidence filtered to it.

    Args:
        G: a projected graph.
        article: article key, IRI or unique key prefix.

    Raises:
        NotFoundError: no such article; AmbiguousNameError: the prefix is not unique.
    """
    import networkx as nx

    key = _find_article(G, article)
    H = nx.MultiDiGraph()
    H.graph.update(G.graph)
    H.graph["articles"] = {key: G.graph["articles"][key]}
    H.graph["article"] = key
    for n, data in G.nodes(data=True):
        if key in data.get("articles", ()):
            H.add_node(n, **data)
    for s, o, k, data in G.edges(keys=True, data=True):
        if key not in data.get("articles", ()):
            continue
        ev = [e for e in data["evidence"] if e["article"] == key]
        for n in (s, o):
            if n not in H:
                H.add_node(n, **G.nodes[n])
        H.add_edge(s, o, key=k, **{**data, "evidence": ev, "articles": [key], "weight": max(1, len(ev))})
    return H


# --------------------------------------------------------------------------- names


def _norm(text: str) -> str:
    text = unicodedata.normalize("NFKC", text).casefold()
    return " ".join(text.split())


def _loose(text: str) -> str:
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().casefold()
    return re.sub(r"[^a-z0-9]+", "", text)


def _describe(G: nx.MultiDiGraph, n: str) -> str:
    d = G.nodes[n]
    return f"{d.get('label')} ({d.get('cls') or 'entity'}, {d.get('key', n)})"


def resolve(G: nx.MultiDiGraph, name: str) -> str:
    """The node a user means by ``name``: an IRI, an IRI key, a label or an alias.

    Matching is case- and space-insensitive. A label match wins over an alias
    match; punctuation is ignored only when nothing matched exactly.

    Raises:
        NotFoundError: nothing matches (the message suggests close names).
        AmbiguousNameError: several entities match (the message lists their keys).
    """
    if name in G:
        return name
    keyed = [n for n in G if G.nodes[n].get("key") == name]
    if keyed:
        return keyed[0]
    wanted, loose = _norm(name), _loose(name)
    tiers: list[list[str]] = [[], [], []]
    for n, d in G.nodes(data=True):
        label, aliases = d.get("label") or "", d.get("aliases") or ()
        if _norm(label) == wanted:
            tiers[0].append(n)
        elif any(_norm(a) == wanted for a in aliases):
            tiers[1].append(n)
        elif loose and (_loose(label) == loose or any(_loose(a) == loose for a in aliases)):
            tiers[2].append(n)
    for found in tiers:
        if len(found) == 1:
            return found[0]
        if found:
            listed = "; ".join(_describe(G, n) for n in sorted(found, key=lambda n: G.nodes[n]["key"]))
            raise AmbiguousNameError(
                f"{name!r} names {len(found)} entities: {listed} — give the key instead, "
                f"e.g. {G.nodes[sorted(found)[0]].get('key')!r}")
    names: dict[str, str] = {}
    for _, d in G.nodes(data=True):
        for label in (d.get("label"), *d.get("aliases", ())):
            if label:
                names.setdefault(_norm(label), label)
    close = [n for n in sorted(names) if wanted and wanted in n][:5]
    close += [c for c in difflib.get_close_matches(wanted, list(names), n=5, cutoff=0.6) if c not in close]
    hint = f" Did you mean: {', '.join(names[c] for c in close)}?" if close else ""
    raise NotFoundError(f"no entity named {name!r} in the graph.{hint} "
                        "List entities with `kg analyze`.")


# --------------------------------------------------------------------------- metrics


def _undirected(G: nx.MultiDiGraph) -> nx.Graph:
    """Simple undirected graph, parallel and reverse relations merged, weight summed."""
    import networkx as nx

    H = nx.Graph()
    H.add_nodes_from(G)
    for s, o, data in G.edges(data=True):
        if s == o:
            continue
        w = data.get("weight", 1)
        if H.has_edge(s, o):
            H[s][o]["weight"] += w
        else:
            H.add_edge(s, o, weight=w)
    return H


def _directed(G: nx.MultiDiGraph) -> nx.DiGraph:
    import networkx as nx

    H = nx.DiGraph()
    H.add_nodes_from(G)
    for s, o, data in G.edges(data=True):
        w = data.get("weight", 1)
        if H.has_edge(s, o):
            H[s][o]["weight"] += w
        else:
            H.add_edge(s, o, weight=w)
    return H


def pagerank(G: Any, *, alpha: float = 0.85, weight: str = "weight",
             tol: float = 1.0e-8, max_iter: int = 200) -> dict[Any, float]:
    """PageRank of a directed graph: relations point at the entity they concern.

    Uses :func:`networkx.pagerank` when SciPy is installed and the same power
    iteration in plain Python when it is not (networkx needs SciPy for it).

    Examples:
        >>> import networkx as nx
        >>> pr = pagerank(nx.DiGraph([("a", "hub"), ("b", "hub"), ("c", "hub")]))
        >>> max(pr, key=pr.get)
        'hub'
    """
    import networkx as nx

    if isinstance(G, nx.MultiDiGraph):
        G = _directed(G)
    if len(G) == 0:
        return {}
    try:
        return nx.pagerank(G, alpha=alpha, weight=weight, tol=tol, max_iter=max_iter)
    except ImportError:
        pass
    nodes = list(G)
    n = len(nodes)
    out_w = {u: sum(d.get(weight, 1) for _, _, d in G.out_edges(u, data=True)) for u in nodes}
    rank = dict.fromkeys(nodes, 1.0 / n)
    for _ in range(max_iter):
        dangling = alpha * sum(rank[u] for u in nodes if out_w[u] == 0) / n
        new = dict.fromkeys(nodes, (1.0 - alpha) / n + dangling)
        for u in nodes:
            if out_w[u]:
                share = alpha * rank[u] / out_w[u]
                for _, v, d in G.out_edges(u, data=True):
                    new[v] += share * d.get(weight, 1)
        err = sum(abs(new[u] - rank[u]) for u in nodes)
        rank = new
        if err < n * tol:
            break
    return rank


def centrality(G: nx.MultiDiGraph, *, seed: int = 0,
               betweenness_sample: int | None = None) -> dict[str, dict[str, float]]:
    """Degree, PageRank and betweenness centrality of every node.

    Degree counts distinct neighbours (normalised by ``n - 1``); PageRank follows
    the direction of relations, weighted by evidence; betweenness ignores
    direction (a broker links two sides whichever way the verbs point). Above
    :data:`BETWEENNESS_EXACT_LIMIT` nodes betweenness is estimated from a sample
    of ``betweenness_sample`` (default 500) sources with a fixed seed.

    Returns:
        ``{node: {"degree": …, "pagerank": …, "betweenness": …}}``.
    """
    import networkx as nx

    U = _undirected(G)
    degree = nx.degree_centrality(U) if len(U) > 1 else dict.fromkeys(U, 0.0)
    k = betweenness_sample
    if k is None and len(U) > BETWEENNESS_EXACT_LIMIT:
        k = 500
    between = nx.betweenness_centrality(U, k=min(k, len(U)) if k else None, seed=seed)
    pr = pagerank(G)
    return {n: {"degree": degree.get(n, 0.0), "pagerank": pr.get(n, 0.0),
                "betweenness": between.get(n, 0.0)} for n in G}


def communities(G: nx.MultiDiGraph, *, seed: int = 0, resolution: float = 1.0) -> list[set[str]]:
    """Louvain communities of the undirected, evidence-weighted graph.

    Returns:
        Sets of nodes, largest first (ties broken by the smallest key), so the
        numbering is stable for a fixed ``seed``.
    """
    import networkx as nx

    U = _undirected(G)
    if len(U) == 0:
        return []
    found = nx.community.louvain_communities(U, weight="weight", resolution=resolution, seed=seed)
    return sorted((set(c) for c in found), key=lambda c: (-len(c), min(G.nodes[n]["key"] for n in c)))


def _membership(parts: list[set[str]]) -> dict[str, int]:
    return {n: i for i, part in enumerate(parts) for n in part}


def brokers(G: nx.MultiDiGraph, parts: list[set[str]],
            scores: dict[str, dict[str, float]] | None = None) -> list[dict[str, Any]]:
    """Entities with relations into communities other than their own.

    Ranked by the number of other communities reached, then the number of
    cross-community neighbours, then betweenness (when ``scores`` is given).

    Returns:
        One dict per broker: ``node``, ``community``, ``reaches`` (other
        community numbers), ``cross_neighbours``, ``betweenness``.
    """
    member = _membership(parts)
    U = _undirected(G)
    found = []
    for n in U:
        own = member.get(n)
        other = [m for m in U[n] if member.get(m) != own]
        if not other:
            continue
        reaches = sorted({member[m] for m in other if m in member})
        between = scores[n]["betweenness"] if scores and n in scores else 0.0
        found.append({"node": n, "community": own, "reaches": reaches,
                      "cross_neighbours": len(other), "betweenness": between})
    found.sort(key=lambda b: (-len(b["reaches"]), -b["cross_neighbours"], -b["betweenness"],
                              G.nodes[b["node"]]["key"]))
    return found


def stance_ranking(G: nx.MultiDiGraph, stance: str) -> list[dict[str, Any]]:
    """Entities ranked by how many distinct actors support (or oppose) them.

    Args:
        stance: ``"supports"`` or ``"opposes"``.

    Returns:
        Dicts with ``node``, ``actors`` (distinct sources, by key), ``count``
        (len of actors) and ``evidence`` (sentences read); most first.
    """
    if stance not in STANCES:
        raise ValueError(f"stance must be one of {STANCES}, not {stance!r}")
    actors: dict[str, set[str]] = defaultdict(set)
    evidence: Counter[str] = Counter()
    for s, o, data in G.edges(data=True):
        if data.get("stance") == stance:
            actors[o].add(s)
            evidence[o] += data.get("weight", 1)
    ranked = [{"node": n, "actors": sorted(G.nodes[a]["key"] for a in who), "count": len(who),
               "evidence": evidence[n]} for n, who in actors.items()]
    ranked.sort(key=lambda r: (-r["count"], -r["evidence"], G.nodes[r["node"]]["key"]))
    return ranked


def article_summaries(G: nx.MultiDiGraph, *, top: int = 5) -> list[dict[str, Any]]:
    """Per article: its title and date, how many entities and relations it gave.

    ``top_entities`` are the entities with most relations read from the article.
    """
    per: dict[str, dict[str, Any]] = {
        k: {"article": k, "title": v.get("title"), "date": v.get("date"), "entities": set(),
            "relations": 0, "evidence": 0, "supports": 0, "opposes": 0, "degree": Counter()}
        for k, v in G.graph.get("articles", {}).items()
    }
    for n, data in G.nodes(data=True):
        for a in data.get("articles", ()):
            if a in per:
                per[a]["entities"].add(n)
    for s, o, data in G.edges(data=True):
        for a in data.get("articles", ()):
            if a not in per:
                continue
            rec = per[a]
            rec["relations"] += 1
            rec["evidence"] += sum(1 for e in data["evidence"] if e["article"] == a)
            if data.get("stance"):
                rec[data["stance"]] += 1
            rec["entities"].update((s, o))
            rec["degree"].update((s, o))
    out = []
    for k in sorted(per, key=lambda k: (str(per[k]["date"] or ""), k)):
        rec = per[k]
        ranked = sorted(rec["degree"].items(), key=lambda kv: (-kv[1], G.nodes[kv[0]]["key"]))
        out.append({
            "article": k, "title": rec["title"], "date": rec["date"], "entities": len(rec["entities"]),
            "relations": rec["relations"], "evidence": rec["evidence"], "supports": rec["supports"],
            "opposes": rec["opposes"], "top_entities": [G.nodes[n]["key"] for n, _ in ranked[:top]],
        })
    return out


def _entity(G: nx.MultiDiGraph, n: str) -> dict[str, Any]:
    d = G.nodes[n]
    return {"key": d.get("key", n), "label": d.get("label"), "class": d.get("cls")}


def analyze(G: nx.MultiDiGraph, *, top: int = 10, seed: int = 0) -> dict[str, Any]:
    """Everything ``kg analyze`` reports, as JSON-ready data.

    Returns:
        A dict with ``summary``, ``centrality`` (per class, ranked by PageRank),
        ``communities``, ``brokers``, ``most_supported``, ``most_opposed`` and
        ``articles``. Entities appear as ``{"key", "label", "class"}``.
    """
    scores = centrality(G, seed=seed)
    parts = communities(G, seed=seed)
    member = _membership(parts)
    by_class: dict[str, list[str]] = defaultdict(list)
    for n, d in G.nodes(data=True):
        by_class[d.get("cls") or "Other"].append(n)
    ranking = {}
    for cls in [*CORE_CLASSES, "Other"]:
        nodes = sorted(by_class.get(cls, ()),
                       key=lambda n: (-scores[n]["pagerank"], -scores[n]["degree"], G.nodes[n]["key"]))
        if nodes:
            ranking[cls] = [{**_entity(G, n), **{m: round(v, 6) for m, v in scores[n].items()},
                             "community": member.get(n)} for n in nodes[:top]]
    comm = []
    for i, part in enumerate(parts):
        members = sorted(part, key=lambda n: (-scores[n]["pagerank"], G.nodes[n]["key"]))
        comm.append({"community": i, "size": len(part),
                     "members": [_entity(G, n) for n in members[:top]]})

    def stance_rows(stance: str) -> list[dict[str, Any]]:
        return [{**_entity(G, r["node"]), "actors": r["count"], "evidence": r["evidence"],
                 "by": r["actors"][:top]} for r in stance_ranking(G, stance)[:top]]

    return {
        "summary": {
            "entities": G.number_of_nodes(), "relations": G.number_of_edges(),
            "evidence": sum(len(d["evidence"]) for _, _, d in G.edges(data=True)),
            "articles": len(G.graph.get("articles", {})), "communities": len(parts),
            "classes": dict(sorted(Counter(d.get("cls") or "Other" for _, d in G.nodes(data=True)).items())),
            "predicates": dict(sorted(Counter(k for _, _, k in G.edges(keys=True)).items())),
            "betweenness_sampled": len(G) > BETWEENNESS_EXACT_LIMIT,
        },
        "centrality": ranking,
        "communities": comm,
        "brokers": [{**_entity(G, b["node"]), "community": b["community"], "reaches": b["reaches"],
                     "cross_neighbours": b["cross_neighbours"], "betweenness": round(b["betweenness"], 6)}
                    for b in brokers(G, parts, scores)[:top]],
        "most_supported": stance_rows("supports"),
        "most_opposed": stance_rows("opposes"),
        "articles": article_summaries(G),
    }


def entity_rows(G: nx.MultiDiGraph, *, seed: int = 0) -> list[dict[str, Any]]:
    """One flat row per entity (for CSV): key, label, class, metrics, community, stance counts."""
    scores = centrality(G, seed=seed)
    member = _membership(communities(G, seed=seed))
    support = {r["node"]: r["count"] for r in stance_ranking(G, "supports")}
    oppose = {r["node"]: r["count"] for r in stance_ranking(G, "opposes")}
    rows = []
    for n in sorted(G, key=lambda n: (-scores[n]["pagerank"], G.nodes[n]["key"])):
        d = G.nodes[n]
        rows.append({
            "key": d.get("key"), "label": d.get("label"), "class": d.get("cls") or "",
            "aliases": "; ".join(d.get("aliases", ())),
            **{m: round(v, 6) for m, v in scores[n].items()},
            "community": member.get(n, ""), "supported_by": support.get(n, 0),
            "opposed_by": oppose.get(n, 0), "articles": "; ".join(d.get("articles", ())),
        })
    return rows


# --------------------------------------------------------------------------- paths


def _hop(G: nx.MultiDiGraph, a: str, b: str) -> dict[str, Any]:
    relations = []
    for s, o in ((a, b), (b, a)):
        for k, data in (G.get_edge_data(s, o) or {}).items():
            first = data["evidence"][0] if data.get("evidence") else {}
            relations.append({
                "subject": G.nodes[s]["key"], "predicate": k, "object": G.nodes[o]["key"],
                "forward": s == a, "stance": data.get("stance"),
                "sentence": first.get("sentence"), "article": first.get("article"),
                "evidence": len(data.get("evidence", ())),
            })
    relations.sort(key=lambda r: (not r["forward"], -r["evidence"], r["predicate"]))
    return {"from": _entity(G, a), "to": _entity(G, b), "relations": relations}


def shortest_paths(G: nx.MultiDiGraph, source: str, target: str, *,
                   max_paths: int = 3) -> list[list[dict[str, Any]]]:
    """The shortest chains of relations between two entities, either direction.

    Args:
        source, target: entity names (see :func:`resolve`) or node ids.
        max_paths: at most this many chains (all have the same, shortest, length).

    Returns:
        A list of chains; each chain is a list of hops ``{"from", "to",
        "relations"}`` where each relation carries its predicate, direction and
        first evidence sentence with its article. Empty when not connected.
    """
    import itertools

    import networkx as nx

    a, b = resolve(G, source), resolve(G, target)
    if a == b:
        return []
    U = G.to_undirected(as_view=True)
    try:
        paths = list(itertools.islice(nx.all_shortest_paths(U, a, b), max(1, max_paths)))
    except nx.NetworkXNoPath:
        return []
    paths.sort(key=lambda p: [G.nodes[n]["key"] for n in p])
    return [[_hop(G, x, y) for x, y in zip(path, path[1:], strict=False)] for path in paths]


def ego_network(G: nx.MultiDiGraph, name: str, *, depth: int = 1) -> nx.MultiDiGraph:
    """The entities within ``depth`` relations of ``name`` (either direction).

    Returns:
        A copy of that part of ``G``; each node has ``distance`` from the centre
        and ``G.graph["center"]`` is the centre's node id.
    """
    import networkx as nx

    if depth < 0:
        raise ValueError("depth must be 0 or more")
    center = resolve(G, name)
    dist = nx.single_source_shortest_path_length(G.to_undirected(as_view=True), center, cutoff=depth)
    H = G.subgraph(dist).copy()
    nx.set_node_attributes(H, dist, "distance")
    H.graph["center"] = center
    return H


def top_nodes(G: nx.MultiDiGraph, n: int, *, by: str = "pagerank") -> list[str]:
    """The ``n`` most central nodes by ``pagerank`` or ``degree``."""
    if by == "pagerank":
        score = pagerank(G)
    elif by == "degree":
        score = {v: float(d) for v, d in _undirected(G).degree()}
    else:
        raise ValueError(f"unknown centrality {by!r} (use pagerank or degree)")
    return sorted(G, key=lambda v: (-score.get(v, 0.0), G.nodes[v].get("key", v)))[:max(0, n)]


# --------------------------------------------------------------------------- synthetic


def synthetic_graph(n_nodes: int, *, seed: int = 0, edges_per_node: float = 2.0,
                    n_articles: int | None = None) -> nx.MultiDiGraph:
    """A random graph shaped like a projection (for benchmarks and view tests).

    Communities of 20–80 entities with dense ties inside and a few across,
    every class and predicate represented, one evidence sentence per edge.
    """
    import random

    import networkx as nx

    rng = random.Random(seed)
    n_articles = n_articles or max(1, n_nodes // 50)
    G = nx.MultiDiGraph()
    G.graph["articles"] = {f"article-{i}": {"iri": f"{_ARTICLE_PREFIX}article-{i}",
                                            "title": f"Synthetic article {i}", "date": None}
                           for i in range(n_articles)}
    nodes = []
    for i in range(n_nodes):
        cls = CORE_CLASSES[rng.randrange(len(CORE_CLASSES))]
        key = f"{cls.lower()}/entity-{i}"
        iri = str(ID) + key
        nodes.append(iri)
        G.add_node(iri, iri=iri, key=key, cls=cls, label=f"{cls} {i}", aliases=[f"E{i}"],
                   articles=[f"article-{rng.randrange(n_articles)}"])
    blocks, start = [], 0
    while start < n_nodes:
        size = rng.randint(20, 80)
        blocks.append(nodes[start:start + size])
        start += size
    for _ in range(int(n_nodes * edges_per_node)):
        block = blocks[rng.randrange(len(blocks))]
        s = block[rng.randrange(len(block))]
        o = (block[rng.randrange(len(block))] if rng.random() < 0.9 else nodes[rng.randrange(n_nodes)])
        if s == o:
            continue
        pred = CORE_PREDICATES[rng.randrange(len(CORE_PREDICATES))]
        art = f"article-{rng.randrange(n_articles)}"
        ev = [{"sentence": f"{G.nodes[s]['label']} {pred} {G.nodes[o]['label']}.", "article": art,
               "confidence": 0.8, "rule": "synthetic", "fine": None, "start": 0, "end": 10}]
        G.add_edge(s, o, key=pred, predicate=pred, stance=pred if pred in STANCES else None,
                   fine=[], evidence=ev, articles=[art], weight=1)
    return G
