"""Agreement with python-igraph (a test-only peer, C implementations) on the same graphs.

Graphs: the fixture network, the demo network (when ``matchmaker.ingest`` provides it),
weighted real-world graphs shipped with networkx, and random graphs from several
generators with fixed seeds, with integer weights 1-5 drawn with a fixed seed.
"""

from __future__ import annotations

import random

import networkx as nx
import pytest

from matchmaker.network import brokerage, communities, metrics
from matchmaker.network.build import organisation_graph

ig = pytest.importorskip("igraph")

GENERATORS = {
    "gnp": lambda: nx.gnp_random_graph(300, 0.02, seed=1),
    "barabasi_albert": lambda: nx.barabasi_albert_graph(300, 3, seed=2),
    "watts_strogatz": lambda: nx.watts_strogatz_graph(300, 6, 0.1, seed=3),
    "powerlaw_cluster": lambda: nx.powerlaw_cluster_graph(300, 3, 0.4, seed=4),
    "sbm": lambda: nx.stochastic_block_model(
        [60, 80, 100], [[0.1, 0.01, 0.005], [0.01, 0.08, 0.01], [0.005, 0.01, 0.06]], seed=5
    ),
    "random_geometric": lambda: nx.random_geometric_graph(250, 0.1, seed=6),
    "karate": nx.karate_club_graph,
    "les_miserables": nx.les_miserables_graph,
    "florentine": nx.florentine_families_graph,
}


def _weighted(G: nx.Graph, seed: int) -> nx.Graph:
    G = nx.Graph(G)
    rng = random.Random(seed)
    for _, _, data in G.edges(data=True):
        data["weight"] = float(data.get("weight", rng.randint(1, 5)))
    return G


def _to_igraph(G: nx.Graph) -> tuple[ig.Graph, list]:
    nodes = list(G)
    index = {v: i for i, v in enumerate(nodes)}
    H = ig.Graph(n=len(nodes), edges=[(index[u], index[v]) for u, v in G.edges()])
    H.es["weight"] = [float(w) for _, _, w in G.edges(data="weight", default=1.0)]
    return H, nodes


def _check_agreement(G: nx.Graph) -> None:
    H, nodes = _to_igraph(G)
    n = len(nodes)
    deg, stren, core = metrics.degree(G), metrics.strength(G), metrics.core_number(G)
    assert [deg[v] for v in nodes] == H.degree()
    assert [stren[v] for v in nodes] == pytest.approx(H.strength(weights="weight"), abs=1e-9)
    ours = metrics.betweenness(G)
    assert ours["exact"] is True
    scale = (n - 1) * (n - 2) / 2
    theirs = [b / scale for b in H.betweenness(directed=False)]
    assert [ours["values"][v] for v in nodes] == pytest.approx(theirs, abs=1e-12)
    pr = metrics.pagerank(G)
    assert [pr[v] for v in nodes] == pytest.approx(
        H.pagerank(weights="weight", damping=0.85), abs=1e-9
    )
    assert [core[v] for v in nodes] == H.coreness()
    if nx.is_connected(G):
        eig = metrics.eigenvector(G)
        theirs = H.eigenvector_centrality(weights="weight", scale=False)
        norm = sum(x * x for x in theirs) ** 0.5
        assert [eig[v] for v in nodes] == pytest.approx([x / norm for x in theirs], abs=1e-9)
    comms = communities.louvain(G, seed=11)
    membership = communities.community_membership(comms)
    assert communities.modularity(G, comms) == pytest.approx(
        H.modularity([membership[v] for v in nodes], weights="weight"), abs=1e-12
    )
    clu = metrics.clustering(G)
    assert [clu["local"][v] for v in nodes] == pytest.approx(
        H.transitivity_local_undirected(mode="zero"), abs=1e-12
    )
    assert clu["transitivity"] == pytest.approx(H.transitivity_undirected(), abs=1e-12)
    assert clu["average"] == pytest.approx(H.transitivity_avglocal_undirected("zero"), abs=1e-12)
    assert metrics.components(G)["sizes"] == sorted(
        (len(c) for c in H.connected_components()), reverse=True
    )
    assert len(metrics.bridges(G)) == len(H.bridges())
    assert metrics.articulation_points(G) == sorted(
        (nodes[i] for i in H.articulation_points()), key=str
    )
    holes = brokerage.structural_holes(G)
    theirs = H.constraint(weights="weight")
    for v, c in zip(nodes, theirs, strict=True):
        if G.degree(v) == 0:
            continue
        assert holes["constraint"][v] == pytest.approx(c, abs=1e-9)


@pytest.mark.parametrize("name", sorted(GENERATORS))
def test_generated_graphs_agree_with_igraph(name):
    _check_agreement(_weighted(GENERATORS[name](), seed=len(name)))


def test_fixture_network_agrees_with_igraph(network_data):
    _check_agreement(organisation_graph(network_data))


def test_demo_network_agrees_with_igraph(demo_network_data):
    G = organisation_graph(demo_network_data)
    assert G.number_of_nodes() > 300
    assert G.number_of_edges() > 1000
    _check_agreement(G)
