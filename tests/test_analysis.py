"""kg.analysis on small hand-built graphs with known answers, and the analysis commands.

Nothing here loads spaCy: graphs are built by hand, either as RDF following
docs/rdf-model.md or directly in the projected networkx shape.
"""

from __future__ import annotations

import json
import subprocess
import sys

import networkx as nx
import pytest
import rdflib
from rdflib import Literal, URIRef

from kg import analysis as A
from kg.cli import main
from kg.errors import AmbiguousNameError, InputError, NotFoundError
from kg.vocab import GKG, ID, PROV, RDF, RDFS, SKOS

SUMMIT = "us-japan-summit-1a2b3c4d"
MINERALS = "tokyo-minerals-5e6f7a8b"


def node_id(key: str) -> str:
    return str(ID[key])


def hand_graph(edges, *, classes=None, aliases=None, labels=None) -> nx.MultiDiGraph:
    """A graph in the projected shape; ``edges`` are (subject, predicate, object[, sentence]) keys."""
    G = nx.MultiDiGraph()
    G.graph["articles"] = {"art-1": {"iri": str(ID["article/art-1"]), "title": "One", "date": None}}
    classes, aliases, labels = classes or {}, aliases or {}, labels or {}

    def add(key: str) -> str:
        n = node_id(key)
        if n not in G:
            G.add_node(n, iri=n, key=key, cls=classes.get(key, "Country"), label=labels.get(key, key),
                       aliases=aliases.get(key, []), articles=["art-1"])
        return n

    for s, p, o, *sentence in edges:
        ev = [{"sentence": sentence[0], "article": "art-1", "confidence": 0.9, "rule": "hand",
               "fine": None, "start": 0, "end": 1}] if sentence else []
        G.add_edge(add(s), add(o), key=p, predicate=p, stance=p if p in A.STANCES else None, fine=[],
                   evidence=ev, articles=["art-1"], weight=max(1, len(ev)))
    for key in classes:
        add(key)
    return G


def clique(prefix: str, n: int) -> list[tuple[str, str, str]]:
    return [(f"{prefix}{i}", "meetsWith", f"{prefix}{j}") for i in range(n) for j in range(i + 1, n)]


# --------------------------------------------------------------------------- projection


def test_projection_of_the_sample_dataset(sample_graph):
    G = A.project(sample_graph)
    assert G.number_of_nodes() == 6
    jpn = G.nodes[node_id("country/JPN")]
    assert (jpn["cls"], jpn["label"], jpn["aliases"]) == ("Country", "Japan", ["Tokyo"])
    assert jpn["articles"] == [MINERALS, SUMMIT]
    assert G.nodes[node_id("country/USA")]["aliases"] == ["U.S.", "Washington"]

    edge = G.get_edge_data(node_id("person/donald-trump"), node_id("person/sanae-takaichi"))["supports"]
    assert edge["stance"] == "supports" and edge["fine"] == ["praises"]
    [ev] = edge["evidence"]
    assert ev["article"] == SUMMIT and ev["sentence"].startswith("In a high-stakes visit")
    assert (ev["start"], ev["end"], ev["confidence"]) == (123, 290, 0.8)
    # a direct triple without evidence takes its article from the named graph it sits in
    lead = G.get_edge_data(node_id("person/donald-trump"), node_id("country/USA"))["leaderOf"]
    assert lead["stance"] is None and lead["evidence"] == [] and lead["articles"] == [SUMMIT]
    assert G.graph["articles"][SUMMIT]["title"].startswith("Trump–Takaichi Summit")
    assert G.graph["articles"][MINERALS]["date"] == "2025-12-08"


def test_projection_of_a_flat_export_matches_the_dataset(sample_graph):
    flat = rdflib.Graph()  # the union, as a Turtle export holds it: no graph names
    for s, p, o, _ in sample_graph.quads((None, None, None, None)):
        flat.add((s, p, o))
    assert len(flat)
    G, H = A.project(sample_graph), A.project(flat)
    assert set(G.nodes) == set(H.nodes)
    assert set(G.edges(keys=True)) == set(H.edges(keys=True))
    # without graph names, a relation lacking evidence belongs where both ends are mentioned
    lead = H.get_edge_data(node_id("person/donald-trump"), node_id("country/USA"))["leaderOf"]
    assert lead["articles"] == [SUMMIT]


def test_projection_of_one_article(sample_graph):
    G = A.project(sample_graph, article="tokyo-minerals")
    assert G.graph["article"] == MINERALS
    assert set(G.graph["articles"]) == {MINERALS}
    assert node_id("person/donald-trump") not in G
    assert G.number_of_nodes() == 4 and G.number_of_edges() == 4
    for _, _, data in G.edges(data=True):
        assert all(e["article"] == MINERALS for e in data["evidence"])
    with pytest.raises(NotFoundError, match="no article 'nope'.*tokyo-minerals"):
        A.project(sample_graph, article="nope")


def test_projection_picks_one_label_and_keeps_the_rest_as_aliases():
    g = rdflib.Graph()
    e = ID["org/nato"]
    g.add((e, RDF.type, GKG.Organization))
    g.add((e, RDFS.label, Literal("NATO")))
    g.add((e, RDFS.label, Literal("North Atlantic Treaty Organization")))
    g.add((e, SKOS.altLabel, Literal("the Alliance")))
    g.add((ID["article/a"], RDF.type, GKG.Article))
    stray = ID["person/nobody"]  # an endpoint with no class still gets a node
    g.add((e, GKG.opposes, stray))
    G = A.project(g)
    nato = G.nodes[str(e)]
    assert nato["label"] == "North Atlantic Treaty Organization"
    assert nato["aliases"] == ["NATO", "the Alliance"]
    assert G.nodes[str(stray)]["cls"] is None and G.nodes[str(stray)]["label"] == "nobody"
    assert "a" in G.graph["articles"]


def test_projection_reads_evidence_without_a_direct_triple():
    g = rdflib.Graph()
    a, b, art = ID["country/AAA"], ID["country/BBB"], ID["article/x"]
    for e in (a, b):
        g.add((e, RDF.type, GKG.Country))
    stmt = URIRef(f"{art}/stmt/1")
    for p, o in [(RDF.type, RDF.Statement), (RDF.subject, a), (RDF.predicate, GKG.opposes), (RDF.object, b),
                 (GKG.finePredicate, GKG.sanctions), (GKG.sentence, Literal("A sanctions B.")),
                 (PROV.wasDerivedFrom, art)]:
        g.add((stmt, p, o))
    data = A.project(g).get_edge_data(str(a), str(b))["opposes"]
    assert data["fine"] == ["sanctions"] and data["articles"] == ["x"] and data["weight"] == 1


def test_projection_needs_no_spacy():
    code = ("import sys, rdflib; from kg.analysis import project; project(rdflib.Graph()); "
            "assert 'spacy' not in sys.modules and 'kg.extract' not in sys.modules, sorted(sys.modules)")
    subprocess.run([sys.executable, "-c", code], check=True)


def test_load_rdf_errors(tmp_path):
    with pytest.raises(InputError, match="no RDF file"):
        A.load_rdf(path=tmp_path / "missing.ttl")
    odd = tmp_path / "graph.weird"
    odd.write_text("x")
    with pytest.raises(InputError, match="format"):
        A.load_rdf(path=odd)
    bad = tmp_path / "bad.ttl"
    bad.write_text("this is not turtle")
    with pytest.raises(InputError, match="not valid turtle"):
        A.load_rdf(path=bad)


@pytest.fixture
def stored(filled_store, store_path):
    """A store folder holding the sample, closed by its writer (concurrent access is test_store's)."""
    filled_store.close()
    return store_path


def test_load_rdf_from_a_file_and_from_the_store(tmp_path, sample_graph, stored):
    path = tmp_path / "kg.trig"
    sample_graph.serialize(path, format="trig")
    assert A.project(A.load_rdf(path=path)).number_of_nodes() == 6
    G = A.project(A.load_rdf(store=stored))
    assert G.number_of_nodes() == 6 and G.number_of_edges() == 7


# --------------------------------------------------------------------------- metrics


def test_star_degree_and_pagerank():
    G = hand_graph([(f"leaf{i}", "supports", "hub") for i in range(5)])
    scores = A.centrality(G)
    hub = node_id("hub")
    assert scores[hub]["degree"] == 1.0
    assert scores[node_id("leaf0")]["degree"] == pytest.approx(0.2)
    ranked = sorted(scores, key=lambda n: -scores[n]["pagerank"])
    assert ranked[0] == hub
    leaves = {round(scores[node_id(f"leaf{i}")]["pagerank"], 9) for i in range(5)}
    assert len(leaves) == 1  # symmetric leaves rank the same
    assert sum(s["pagerank"] for s in scores.values()) == pytest.approx(1.0)
    assert A.top_nodes(G, 1) == [hub] and A.top_nodes(G, 1, by="degree") == [hub]


def test_pagerank_follows_direction_and_handles_cycles():
    out_star = nx.DiGraph([("hub", f"leaf{i}") for i in range(4)])
    pr = A.pagerank(out_star)
    assert max(pr, key=pr.get) != "hub"
    cycle = A.pagerank(nx.DiGraph([("a", "b"), ("b", "a")]))
    assert cycle == pytest.approx({"a": 0.5, "b": 0.5})
    assert A.pagerank(nx.DiGraph()) == {}


def test_betweenness_of_a_bridge_node():
    # two triangles a0-a1-a2 and c0-c1-c2, joined through b: a2 - b - c0
    G = hand_graph([*clique("a", 3), *clique("c", 3), ("a2", "meetsWith", "b"), ("b", "partyTo", "c0")])
    scores = A.centrality(G)
    between = {G.nodes[n]["key"]: s["betweenness"] for n, s in scores.items()}
    assert between["b"] == pytest.approx(9 / 15)  # all 9 a-c pairs of the 15 pairs without b
    assert between["a2"] == pytest.approx(8 / 15)
    assert between["a0"] == 0.0
    assert max(between, key=between.get) == "b"


def test_louvain_splits_two_cliques_joined_by_one_edge():
    G = hand_graph([*clique("x", 5), *clique("y", 5), ("x0", "opposes", "y0")])
    parts = A.communities(G, seed=42)
    keys = [{G.nodes[n]["key"] for n in p} for p in parts]
    assert sorted(keys, key=min) == [{f"x{i}" for i in range(5)}, {f"y{i}" for i in range(5)}]
    assert A.communities(G, seed=42) == parts  # stable for a fixed seed
    found = A.brokers(G, parts, A.centrality(G))
    assert [G.nodes[b["node"]]["key"] for b in found] == ["x0", "y0"]
    assert all(b["cross_neighbours"] == 1 and len(b["reaches"]) == 1 for b in found)


def test_most_supported_and_most_opposed():
    G = hand_graph([("a", "supports", "x"), ("b", "supports", "x"), ("c", "supports", "x"),
                    ("a", "supports", "y", "A backs Y."), ("a", "opposes", "y", "A attacks Y."),
                    ("b", "opposes", "y"), ("c", "opposes", "z")])
    supported = A.stance_ranking(G, "supports")
    assert [(G.nodes[r["node"]]["key"], r["count"]) for r in supported] == [("x", 3), ("y", 1)]
    assert supported[0]["actors"] == ["a", "b", "c"]
    opposed = A.stance_ranking(G, "opposes")
    assert [G.nodes[r["node"]]["key"] for r in opposed] == ["y", "z"]
    with pytest.raises(ValueError):
        A.stance_ranking(G, "likes")


def test_analyze_report(sample_graph):
    report = A.analyze(A.project(sample_graph), top=1)
    assert report["summary"]["entities"] == 6 and report["summary"]["relations"] == 7
    assert report["summary"]["evidence"] == 2 and report["summary"]["articles"] == 2
    assert set(report["centrality"]) == {"Person", "Country", "Agreement", "Issue"}
    assert all(len(rows) == 1 for rows in report["centrality"].values())
    assert report["centrality"]["Country"][0]["key"] == "country/USA"  # supported by Japan
    assert {r["key"] for r in report["most_supported"]} <= {"country/USA", "person/sanae-takaichi"}
    assert report["most_opposed"] == []
    summit = next(a for a in report["articles"] if a["article"] == SUMMIT)
    assert (summit["entities"], summit["relations"], summit["supports"]) == (4, 3, 1)
    json.dumps(report)  # JSON-ready
    rows = A.entity_rows(A.project(sample_graph))
    assert len(rows) == 6 and {"key", "label", "pagerank", "community", "supported_by"} <= set(rows[0])


# --------------------------------------------------------------------------- paths and names


def chain_graph() -> nx.MultiDiGraph:
    return hand_graph([("a", "supports", "b", "A backs B."), ("c", "opposes", "b", "C condemns B."),
                       ("c", "memberOf", "d"), ("e", "meetsWith", "f")],
                      labels={"a": "Alpha", "b": "Beta", "c": "Gamma", "d": "Delta", "e": "Eps", "f": "Phi"})


def test_path_with_evidence_in_either_direction():
    G = chain_graph()
    [chain] = A.shortest_paths(G, "Alpha", "Gamma")
    assert [(h["from"]["key"], h["to"]["key"]) for h in chain] == [("a", "b"), ("b", "c")]
    first, second = chain[0]["relations"][0], chain[1]["relations"][0]
    assert (first["predicate"], first["forward"], first["sentence"], first["article"]) == \
        ("supports", True, "A backs B.", "art-1")
    assert (second["subject"], second["predicate"], second["object"], second["forward"]) == \
        ("c", "opposes", "b", False)
    assert second["sentence"] == "C condemns B."
    assert len(A.shortest_paths(G, "Alpha", "Delta")[0]) == 3
    assert A.shortest_paths(G, "Alpha", "Eps") == []
    assert A.shortest_paths(G, "Alpha", "alpha") == []


def test_path_lists_several_shortest_chains_up_to_max():
    G = hand_graph([("s", "meetsWith", f"m{i}") for i in range(4)]
                   + [(f"m{i}", "meetsWith", "t") for i in range(4)])
    assert len(A.shortest_paths(G, "s", "t", max_paths=10)) == 4
    chains = A.shortest_paths(G, "s", "t", max_paths=2)
    assert len(chains) == 2 and all(len(c) == 2 for c in chains)


def test_neighbors_depth_one_and_two():
    G = chain_graph()
    one = A.ego_network(G, "Beta", depth=1)
    assert {d["key"] for _, d in one.nodes(data=True)} == {"a", "b", "c"}
    assert one.nodes[node_id("b")]["distance"] == 0 and one.nodes[node_id("c")]["distance"] == 1
    assert one.graph["center"] == node_id("b") and one.number_of_edges() == 2
    two = A.ego_network(G, "Beta", depth=2)
    assert {d["key"] for _, d in two.nodes(data=True)} == {"a", "b", "c", "d"}
    assert two.nodes[node_id("d")]["distance"] == 2
    assert "evidence" in next(iter(two.edges(data=True)))[2]


def test_resolve_names():
    G = hand_graph([("country/USA", "meetsWith", "country/GEO"), ("person/george-washington", "meetsWith",
                    "location/georgia-us"), ("org/un", "meetsWith", "org/un-women")],
                   labels={"country/USA": "United States", "country/GEO": "Georgia",
                           "person/george-washington": "George Washington",
                           "location/georgia-us": "Georgia (U.S. state)",
                           "org/un": "United Nations", "org/un-women": "UN Women"},
                   aliases={"country/USA": ["U.S.", "Washington"], "person/george-washington": ["Washington"],
                            "location/georgia-us": ["Georgia"], "org/un": ["UN"]})
    assert A.resolve(G, "united   STATES") == node_id("country/USA")
    assert A.resolve(G, "US") == node_id("country/USA")  # punctuation-insensitive fallback
    assert A.resolve(G, "country/USA") == node_id("country/USA")
    assert A.resolve(G, str(ID["org/un"])) == node_id("org/un")
    assert A.resolve(G, "UN") == node_id("org/un")
    assert A.resolve(G, "Georgia") == node_id("country/GEO")  # a label beats an alias
    with pytest.raises(AmbiguousNameError) as err:
        A.resolve(G, "washington")
    assert "country/USA" in str(err.value) and "person/george-washington" in str(err.value)
    with pytest.raises(NotFoundError, match="Did you mean: .*United Nations"):
        A.resolve(G, "United Natons")
    with pytest.raises(NotFoundError, match="no entity named 'Atlantis'"):
        A.resolve(G, "Atlantis")


def test_synthetic_graph_has_the_projection_shape():
    G = A.synthetic_graph(300, seed=1)
    assert G.number_of_nodes() == 300 and G.number_of_edges() > 300
    assert set(A.synthetic_graph(300, seed=1).edges(keys=True)) == set(G.edges(keys=True))
    _, _, data = next(iter(G.edges(data=True)))
    assert {"predicate", "stance", "evidence", "articles", "weight"} <= set(data)


# --------------------------------------------------------------------------- CLI


@pytest.fixture
def trig(tmp_path, sample_graph):
    path = tmp_path / "sample.trig"
    sample_graph.serialize(path, format="trig")
    return str(path)


def test_cli_analyze_formats(runner, trig):
    table = runner.invoke(main, ["analyze", "--input", trig])
    assert table.exit_code == 0, table.output
    assert "Most supported" in table.stdout and "Sanae Takaichi" in table.stdout
    data = json.loads(runner.invoke(main, ["analyze", "--input", trig, "--json", "--top", "2"]).stdout)
    assert data["summary"]["entities"] == 6
    csv_out = runner.invoke(main, ["analyze", "--input", trig, "--csv"]).stdout.splitlines()
    assert csv_out[0].startswith("key,label,class") and len(csv_out) == 7
    both = runner.invoke(main, ["analyze", "--input", trig, "--csv", "--json"])
    assert both.exit_code == 2
    one = json.loads(runner.invoke(main, ["analyze", "--input", trig, "--json", "--article", "tokyo"]).stdout)
    assert one["summary"]["entities"] == 4


def test_cli_path_and_neighbors(runner, trig):
    result = runner.invoke(main, ["path", "Trump", "Japan", "--input", trig])
    assert result.exit_code == 0, result.output
    assert "Donald Trump —supports→ Sanae Takaichi" in result.stdout
    assert "“In a high-stakes visit" in result.stdout and SUMMIT in result.stdout
    assert "\t" not in result.stdout
    chains = json.loads(runner.invoke(main, ["path", "Trump", "Japan", "--max", "1", "--json",
                                             "--input", trig]).stdout)
    assert len(chains) == 1
    unknown = runner.invoke(main, ["path", "Trump", "Atlantis", "--input", trig])
    assert unknown.exit_code == 1 and "Error: no entity named 'Atlantis'" in unknown.stderr
    near = runner.invoke(main, ["neighbors", "Takaichi", "--depth", "2", "--input", trig])
    assert near.exit_code == 0 and "United States" in near.stdout
    data = json.loads(runner.invoke(main, ["neighbors", "Japan", "--json", "--input", trig]).stdout)
    assert data["center"]["key"] == "country/JPN" and {e["distance"] for e in data["entities"]} == {0, 1}


def test_cli_reads_the_store(runner, stored):
    result = runner.invoke(main, ["analyze", "--json", "--store", str(stored)])
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["summary"]["relations"] == 7


def test_cli_ambiguous_name_is_a_clean_error(runner, tmp_path):
    g = rdflib.Graph()
    for key, label in (("country/USA", "United States"), ("person/george-washington", "George Washington")):
        g.add((ID[key], RDF.type, GKG.Country if key.startswith("country") else GKG.Person))
        g.add((ID[key], RDFS.label, Literal(label)))
        g.add((ID[key], SKOS.altLabel, Literal("Washington")))
    path = tmp_path / "g.ttl"
    g.serialize(path, format="turtle")
    result = runner.invoke(main, ["neighbors", "Washington", "--input", str(path)])
    assert result.exit_code == 1
    assert "names 2 entities" in result.stderr and "person/george-washington" in result.stderr


@pytest.mark.parametrize("command", ["analyze", "path", "neighbors", "view"])
def test_cli_help_has_an_example(runner, command):
    result = runner.invoke(main, [command, "--help"])
    assert result.exit_code == 0 and "Example:" in result.stdout
