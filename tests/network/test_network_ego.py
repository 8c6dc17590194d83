"""Ego networks (a profile's neighbourhood) and assortativity on degenerate networks."""

from __future__ import annotations

import warnings

import networkx as nx
import pytest

from matchmaker.network import subsidiarity
from matchmaker.network.build import NetworkFilter, organisation_graph
from matchmaker.network.ego import direct_partners, ego_network
from matchmaker.network.render import graph_payload
from matchmaker.network.report import network_report


def test_ego_network_and_direct_partners(network_data):
    G = organisation_graph(network_data)
    centre = "00000000001"
    one = ego_network(G, centre, 1)
    assert set(one) == {centre, *G[centre]}
    assert one.graph["ego"] == {"centre": centre, "radius": 1}
    assert one.nodes[centre]["name"] == G.nodes[centre]["name"]
    two = ego_network(G, centre, 2)
    assert set(two) == set(nx.single_source_shortest_path_length(G, centre, cutoff=2))
    partners = direct_partners(G, centre)
    assert [p["tax_code"] for p in partners] == sorted(
        G[centre],
        key=lambda v: (
            -G[centre][v]["ats_count"],
            -G[centre][v]["weight"],
            G.nodes[v]["name"].casefold(),
            v,
        ),
    )
    for p in partners:
        edge = G[centre][p["tax_code"]]
        assert p["ats_count"] == edge["ats_count"]
        assert p["ats"] == edge["ats"]
        assert p["kinds"] == edge["kinds"]
    assert direct_partners(G, "nessuno") == []
    with pytest.raises(KeyError):
        ego_network(G, "nessuno")
    with pytest.raises(ValueError, match="raggio"):
        ego_network(G, centre, 3)


def test_highlighted_centre_is_a_star(network_data):
    G = organisation_graph(network_data)
    payload = graph_payload(ego_network(G, "00000000001"), highlight="00000000001")
    shapes = [n["shape"] for n in payload["nodes"]]
    assert shapes.count("star") == 1
    star = next(n for n in payload["nodes"] if n["shape"] == "star")
    assert star["tax_code"] == "00000000001"
    assert star["borderWidth"] == 3
    assert {n["shape"] for n in graph_payload(G)["nodes"]} == {"dot"}


def _graph(nodes: dict[str, tuple[str, str]], edges: list[tuple[str, str]]) -> nx.Graph:
    G = nx.Graph()
    for v, (sector, district) in nodes.items():
        G.add_node(v, sector=sector, district=district)
    G.add_edges_from(edges)
    return G


@pytest.mark.parametrize(
    ("nodes", "edges", "expected"),
    [
        # one tie and an isolate: every tie end has degree 1 (0/0 before the fix)
        (
            {"a": ("public", "D1"), "b": ("market", "D1"), "c": ("public", "D2")},
            [("a", "b")],
            {"sector": -1.0, "district": None, "degree": None},
        ),
        # two separate ties: the same degree everywhere, one district per tie
        (
            {
                "a": ("public", "D1"),
                "b": ("public", "D1"),
                "c": ("market", "D2"),
                "d": ("market", "D2"),
            },
            [("a", "b"), ("c", "d")],
            {"sector": 1.0, "district": 1.0, "degree": None},
        ),
        # no tie at all
        (
            {"a": ("public", "D1"), "b": ("market", "D2")},
            [],
            dict.fromkeys(("sector", "district", "degree")),
        ),
        # a triangle: regular, one sector
        (
            {"a": ("public", "D1"), "b": ("public", "D1"), "c": ("public", "D2")},
            [("a", "b"), ("b", "c"), ("a", "c")],
            {"sector": None, "district": -0.5, "degree": None},
        ),
    ],
)
def test_assortativity_is_none_without_warning_when_undefined(nodes, edges, expected):
    G = _graph(nodes, edges)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        got = subsidiarity.assortativity(G)
    assert got.keys() == expected.keys()
    for key, value in expected.items():
        assert got[key] == (pytest.approx(value) if value is not None else None), key


def test_report_on_a_tiny_filtered_network_raises_no_warning(network_data):
    G = organisation_graph(network_data, NetworkFilter.of(districts="D02", rounds=2))
    # three organisations, one tie (two ETS) and the Ente gestore alone: it used to warn
    assert (G.number_of_nodes(), G.number_of_edges()) == (3, 1)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        report = network_report(G)
    for key in ("assortativity_sector", "assortativity_district", "assortativity_degree"):
        assert report["summary"][key] is None
