"""Centrality and cohesion measures on small canonical graphs, and Padgett's Florentines."""

from __future__ import annotations

import math

import networkx as nx
import pytest

from matchmaker.network import metrics


def test_florentine_families_medici_have_the_highest_betweenness():
    """Padgett & Ansell (1993, Robust action and the rise of the Medici, AJS 98(6)):
    the Medici's power rested on brokerage between otherwise unconnected families. In
    networkx's marriage network (15 families with ties, 20 marriages; Pucci, isolated in
    Padgett's data, is not in it) 47.5 of the 91 pairs of other families have shortest
    paths through the Medici (pairs with several geodesics count fractionally), so their
    normalised betweenness is 47.5 / C(14, 2) = 95/182 = 0.52197802..., twice the
    runner-up (Guadagni, 0.2546)."""
    G = nx.florentine_families_graph()
    result = metrics.betweenness(G)
    values = result["values"]
    assert result["exact"] is True
    assert result["error_bound"] == 0.0
    ranking = sorted(values, key=values.get, reverse=True)
    assert ranking[:3] == ["Medici", "Guadagni", "Albizzi"]
    assert values["Medici"] == pytest.approx(95 / 182, abs=1e-15)
    assert values["Medici"] == pytest.approx(0.521978021978022, abs=1e-15)
    assert values["Guadagni"] == pytest.approx(0.2545787545787546, abs=1e-15)
    raw = nx.betweenness_centrality(G, normalized=False)
    assert raw["Medici"] == 47.5


def test_degree_strength_pagerank_eigenvector_on_a_star():
    G = nx.star_graph(4)
    nx.set_edge_attributes(G, 2.0, "weight")
    assert metrics.degree(G) == {0: 4, 1: 1, 2: 1, 3: 1, 4: 1}
    assert metrics.strength(G)[0] == 8.0
    pr = metrics.pagerank(G)
    assert sum(pr.values()) == pytest.approx(1.0)
    # star with n leaves, damping a: c = (1-a)/(n+1) + a n l and l = (1-a)/(n+1) + a c / n
    # give the centre c = (1 + a n) / ((n + 1)(1 + a))
    a, n = 0.85, 4
    assert pr[0] == pytest.approx((1 + a * n) / ((n + 1) * (1 + a)), rel=1e-9)
    assert pr[1] == pytest.approx((1 - a) / (n + 1) + a * pr[0] / n, rel=1e-9)
    eig = metrics.eigenvector(G)
    assert eig[0] == pytest.approx(1 / math.sqrt(2), rel=1e-9)
    assert eig[1] == pytest.approx(1 / math.sqrt(8), rel=1e-9)
    assert metrics.eigenvector(nx.empty_graph(3)) == {0: 0.0, 1: 0.0, 2: 0.0}
    # disconnected: the K4 (leading eigenvalue 3) carries the vector, the triangle (2) not
    D = nx.disjoint_union(nx.complete_graph(3), nx.complete_graph(4))
    D.add_node(99)
    eig = metrics.eigenvector(D, weight=None)
    assert [eig[v] for v in range(3)] == [0.0, 0.0, 0.0]
    assert [eig[v] for v in range(3, 7)] == pytest.approx([0.5] * 4, abs=1e-12)
    assert eig[99] == 0.0
    assert metrics.pagerank(nx.Graph()) == {}


def test_clustering_core_bridges_articulation_components():
    G = nx.Graph([(0, 1), (1, 2), (2, 0), (2, 3), (3, 4), (5, 6)])
    clu = metrics.clustering(G)
    assert clu["local"] == {0: 1.0, 1: 1.0, 2: 1 / 3, 3: 0.0, 4: 0.0, 5: 0.0, 6: 0.0}
    assert clu["average"] == pytest.approx((2 + 1 / 3) / 7)
    assert clu["transitivity"] == pytest.approx(3 / 6)  # 1 triangle, 6 connected triples
    assert metrics.core_number(G) == {0: 2, 1: 2, 2: 2, 3: 1, 4: 1, 5: 1, 6: 1}
    assert metrics.bridges(G) == [(2, 3), (3, 4), (5, 6)]
    assert metrics.articulation_points(G) == [2, 3]
    comps = metrics.components(G)
    assert comps["count"] == 2
    assert comps["sizes"] == [5, 2]
    assert comps["giant_share"] == pytest.approx(5 / 7)
    assert comps["membership"][6] == 1


def test_sampled_betweenness_is_seeded_and_within_its_bound():
    G = nx.connected_watts_strogatz_graph(400, 6, 0.1, seed=3)
    exact = nx.betweenness_centrality(G)
    a = metrics.betweenness(G, exact_limit=100, samples=150, seed=7)
    b = metrics.betweenness(G, exact_limit=100, samples=150, seed=7)
    assert a == b
    assert a["exact"] is False
    assert a["samples"] == 150
    bound = metrics.betweenness_error_bound(400, 150)
    assert a["error_bound"] == bound
    assert bound == pytest.approx(math.sqrt(math.log(2 * 400 / 0.05) / 298))
    # the same sources and the same estimator as networkx
    reference = nx.betweenness_centrality(G, k=150, seed=7)
    assert max(abs(a["values"][v] - reference[v]) for v in G) < 1e-12
    worst = max(abs(a["values"][v] - exact[v]) for v in G)
    assert worst < bound
    # the bound is loose on purpose: the real error is far smaller on this graph
    assert worst < bound / 5
    assert metrics.betweenness_error_bound(400, 400) == 0.0
    assert metrics.betweenness(G, exact_limit=100, samples=400)["exact"] is True
    exact_fast = metrics.betweenness(G)["values"]
    assert max(abs(exact_fast[v] - exact[v]) for v in G) < 1e-12
    # weighted (distance) betweenness goes through networkx
    nx.set_edge_attributes(G, 1.0, "length")
    weighted = metrics.betweenness(G, weight="length")["values"]
    assert max(abs(weighted[v] - exact[v]) for v in G) < 1e-12
