"""Communities, circular subsidiarity, E-I, assortativity, brokerage, change between rounds.

Expected values on the fixture network are counted by hand from tests/network/conftest.py:
A1 = {EG1, ETS1, ETS2, IMP1} (D01), A2 = {EG2, ETS3, IMP2} (D02), A3 = {EG1, EG2, ETS1, ASL1}
(D01+D02), A4 = {ETS3, ETS4} (D02); declared ties ETS2-ETS3, IMP1-ORG10, EG1-ETS1.
"""

from __future__ import annotations

import json

import networkx as nx
import pytest
from networkx.algorithms.structuralholes import normalized_mutual_weight as nmw

from matchmaker.network import brokerage, change, communities, subsidiarity
from matchmaker.network.build import bipartite_graph, organisation_graph, round_snapshots
from matchmaker.network.report import network_report

EG1, EG2, ETS1, ETS2, ETS3, IMP1, IMP2, ASL1, ETS4, ORG10 = (f"{i:011d}" for i in range(1, 11))


def _two_cliques(labels_a: str, labels_b: str) -> nx.Graph:
    G = nx.Graph()
    G.add_edges_from(nx.complete_graph(range(5)).edges(), weight=1.0)
    G.add_edges_from(nx.complete_graph(range(5, 10)).edges(), weight=1.0)
    G.add_edge(4, 5, weight=1.0)
    for v in G:
        G.nodes[v]["district"] = labels_a if v < 5 else labels_b
    return G


def test_louvain_is_seeded_and_agreement_with_districts():
    G = _two_cliques("D1", "D2")
    comms = communities.louvain(G, seed=1)
    assert [sorted(c) for c in comms] == [[0, 1, 2, 3, 4], [5, 6, 7, 8, 9]]
    assert communities.louvain(G, seed=1) == comms
    # Q = sum_c (L_c/m - (d_c/2m)^2) = 2 * (10/21 - (21/42)^2)
    assert communities.modularity(G, comms) == pytest.approx(2 * (10 / 21 - 0.25))
    agree = communities.district_agreement(G, comms)
    assert (agree["nmi"], agree["ari"]) == (pytest.approx(1.0), pytest.approx(1.0))
    assert agree["nodes_without_attribute"] == 0
    G.nodes[0]["district"] = ""
    for v in (1, 2, 5, 6):
        G.nodes[v]["district"] = "D3"
    crossed = communities.district_agreement(G, comms)
    assert crossed["nodes"] == 9
    assert crossed["nodes_without_attribute"] == 1
    assert crossed["nmi"] < 0.5
    assert crossed["ari"] < 0.2
    assert communities.louvain(nx.empty_graph(2)) == [{0}, {1}]
    assert communities.modularity(nx.empty_graph(2), [{0}, {1}]) == 0.0


def test_three_sector_ats_and_triangles(network_data):
    cover = subsidiarity.ats_sector_coverage(bipartite_graph(network_data))
    assert cover["overall"] == {"ats": 4, "three_sector": 2, "share": 0.5}
    assert cover["by_district"]["D01"] == {"ats": 2, "three_sector": 1, "share": 0.5}
    assert cover["by_district"]["D02"] == {
        "ats": 3,
        "three_sector": 1,
        "share": pytest.approx(1 / 3),
    }
    assert cover["ats"]["ATS-A3"] == ["public", "third_sector"]
    tri = subsidiarity.sector_triangles(organisation_graph(network_data))
    # A1 clique: 4 triangles (2 with IMP1 and EG1), A2: 1 (three sectors), A3: 4 (no market)
    assert tri["overall"] == {"triangles": 9, "three_sector": 3, "share": pytest.approx(1 / 3)}
    assert tri["by_district"]["D01"] == {"triangles": 8, "three_sector": 2, "share": 0.25}
    assert tri["by_district"]["D02"] == {"triangles": 4, "three_sector": 1, "share": 0.25}
    assert tri["composition"]["market+public+third_sector"] == 3
    assert sum(tri["composition"].values()) == 9


def test_e_i_index_and_assortativity(network_data):
    G = organisation_graph(network_data)
    sector = subsidiarity.e_i_index(G, "sector")
    # internal: 3 public-public, 3 third-third, 1 market-market (IMP1-ORG10); 10 external
    assert (sector["internal"], sector["external"]) == (7.0, 10.0)
    assert sector["overall"] == pytest.approx(3 / 17)
    assert sector["by_group"]["market"]["internal"] == 1.0
    district = subsidiarity.e_i_index(G, "district")
    # ORG10 has no district: IMP1-ORG10 is left out; 4 ties cross D01-D02, 12 stay inside
    assert (district["internal"], district["external"]) == (12.0, 4.0)
    assert district["overall"] == -0.5
    weighted = subsidiarity.e_i_index(G, "district", weight="weight")
    assert weighted["external"] == 5.0  # ETS2-ETS3 has weight 2
    assert subsidiarity.e_i_index(nx.empty_graph(2), "sector")["overall"] is None
    cliques = _two_cliques("D1", "D2")
    cliques.remove_edge(4, 5)
    assort = subsidiarity.assortativity(cliques, ("district",))
    assert assort["district"] == pytest.approx(1.0)
    assert assort["degree"] is None  # every node has degree 4


def test_gould_fernandez_roles_on_a_star():
    G = nx.star_graph(["b", "x1", "x2", "y", "z"])
    groups = {"b": "public", "x1": "public", "x2": "public", "y": "third", "z": "market"}
    nx.set_node_attributes(G, groups, "sector")
    roles = brokerage.gould_fernandez(G, "sector")
    # 6 open pairs of leaves, each read as two directed two-paths through b
    assert roles["b"] == {
        "coordinator": 2,
        "itinerant": 0,
        "representative": 4,
        "gatekeeper": 4,
        "liaison": 2,
        "total": 12,
    }
    assert roles["x1"]["total"] == 0
    G.add_edge("x1", "x2")  # a closed pair is no brokerage
    assert brokerage.gould_fernandez(G, "sector")["b"]["coordinator"] == 0
    by_group = brokerage.brokerage_by_group(G, "sector")
    assert by_group["public"]["brokers"] == 1
    assert by_group["public"]["total"] == 10
    H = nx.star_graph(["b", "y1", "y2"])
    nx.set_node_attributes(H, {"b": "public", "y1": "third", "y2": "third"}, "g")
    assert brokerage.gould_fernandez(H, "g")["b"]["itinerant"] == 2


def test_gould_fernandez_directed_and_counting_identity():
    D = nx.DiGraph([("a", "b"), ("b", "c")])
    nx.set_node_attributes(D, {"a": "A", "b": "A", "c": "B"}, "g")
    assert brokerage.gould_fernandez(D, "g")["b"]["representative"] == 1
    assert brokerage.gould_fernandez(D, "g")["b"]["gatekeeper"] == 0
    D = nx.DiGraph([("c", "b"), ("b", "a")])
    nx.set_node_attributes(D, {"a": "A", "b": "A", "c": "B"}, "g")
    assert brokerage.gould_fernandez(D, "g")["b"]["gatekeeper"] == 1
    # undirected: every node brokers 2 x (open pairs of partners), rep == gate
    G = nx.powerlaw_cluster_graph(120, 3, 0.5, seed=2)
    nx.set_node_attributes(G, {v: v % 3 for v in G}, "g")
    roles = brokerage.gould_fernandez(G, "g")
    tri = nx.triangles(G)
    for v in G:
        d = G.degree(v)
        assert roles[v]["total"] == 2 * (d * (d - 1) // 2 - tri[v])
        assert roles[v]["representative"] == roles[v]["gatekeeper"]


def test_structural_holes_on_a_star_and_a_triangle():
    G = nx.star_graph(4)
    holes = brokerage.structural_holes(G, weight=None)
    assert holes["constraint"][0] == pytest.approx(0.25)
    assert holes["constraint"][1] == pytest.approx(1.0)
    assert holes["effective_size"][0] == pytest.approx(4.0)
    G.add_node(9)
    T = nx.complete_graph(3)
    holes = brokerage.structural_holes(T, weight=None)
    # each partner is tied to the other: (1/2 + 1/2 * 1/2)^2 * 2 = 1.125
    assert holes["constraint"][0] == pytest.approx(1.125)
    assert holes["effective_size"][0] == pytest.approx(1.0)
    assert brokerage.structural_holes(G, weight=None)["constraint"][9] is None


@pytest.mark.parametrize("weight", [None, "weight"])
def test_structural_holes_equal_networkx(weight):
    G = nx.powerlaw_cluster_graph(150, 3, 0.4, seed=3)
    for i, (_, _, data) in enumerate(G.edges(data=True)):
        data["weight"] = 1.0 + i % 4
    G.add_node("isolated")
    ours = brokerage.structural_holes(G, weight=weight)
    theirs_c = nx.constraint(G, weight=weight)
    if weight is None:  # Borgatti's formula d - 2t/d
        theirs_e = nx.effective_size(G)
    else:
        # Burt's definition with networkx's own normalised mutual weights. (networkx 3.6's
        # matrix shortcut for weighted graphs gives different values on 40 of these 151
        # nodes while its per-node definition agrees with ours.)
        def redundancy(u, v):
            return 1 - sum(
                nmw(G, u, w, weight=weight) * nmw(G, v, w, norm=max, weight=weight) for w in G[u]
            )

        theirs_e = {u: sum(redundancy(u, v) for v in G[u]) for u in G if G.degree(u)}
    for v in G:
        if v == "isolated":
            assert ours["constraint"][v] is None
            assert ours["effective_size"][v] is None
            continue
        assert ours["constraint"][v] == pytest.approx(theirs_c[v], abs=1e-12)
        assert ours["effective_size"][v] == pytest.approx(theirs_e[v], abs=1e-12)
    D = nx.DiGraph([(0, 1), (1, 2), (2, 0), (2, 3)])
    ours = brokerage.structural_holes(D, weight=None)
    assert ours["constraint"] == pytest.approx(nx.constraint(D))
    assert ours["effective_size"] == pytest.approx(nx.effective_size(D))


def test_change_between_rounds(network_data):
    steps = change.compare_rounds(round_snapshots(network_data))
    assert len(steps) == 1
    step = steps[0]
    assert (step["from_round"], step["to_round"]) == (1, 2)
    assert step["newcomers"] == [ASL1, ETS4]
    assert step["left"] == [ETS2, IMP1, IMP2]
    assert step["stayed"] == [EG1, EG2, ETS1, ETS3]
    assert step["ties_kept"] == [[EG1, ETS1]]
    assert step["counts"] == {
        "newcomers": 2,
        "left": 3,
        "stayed": 4,
        "ties_kept": 1,
        "ties_new": 6,
        "ties_dropped": 9,
        "new_ties_among_stayers": 2,
    }
    assert step["new_ties_among_stayers"] == [[EG1, EG2], [EG2, ETS1]]
    assert step["node_jaccard"] == pytest.approx(4 / 9)
    assert step["edge_jaccard"] == pytest.approx(1 / 16)
    assert change.jaccard(set(), set()) is None


def test_full_report_on_the_fixture_network(network_data):
    G = organisation_graph(network_data)
    report = network_report(
        G, B=bipartite_graph(network_data), snapshots=round_snapshots(network_data)
    )
    summary = report["summary"]
    assert (summary["nodes"], summary["edges"]) == (10, 17)
    assert summary["density"] == pytest.approx(17 / 45)
    assert summary["three_sector_ats_share"] == 0.5
    assert summary["three_sector_triangle_share"] == pytest.approx(1 / 3)
    assert summary["e_i_sector"] == pytest.approx(3 / 17)
    assert summary["betweenness_exact"] is True
    # IMP1 and ETS3 are the only cut vertices (ORG10 and ETS4 hang on them)
    assert report["articulation_points"] == [ETS3, IMP1]
    assert report["bridges"] == [[ETS3, ETS4], [IMP1, ORG10]]
    assert report["nodes"][IMP1]["articulation_point"] is True
    assert report["change"][0]["counts"]["ties_kept"] == 1
    assert set(report["timings"]) >= {"betweenness", "louvain", "brokerage_sector"}
    assert sum(len(c) for c in report["communities"]) == 10
    # IMP1 (market) joins ORG10 (market) to EG1, ETS1, ETS2 (tied among themselves): 3 open
    # pairs, each one representative and one gatekeeper two-path
    assert report["brokerage"]["by_sector"]["market"]["representative"] == 3
    assert report["brokerage"]["by_sector"]["market"]["gatekeeper"] == 3
    assert json.loads(json.dumps(report, default=str))["summary"]["nodes"] == 10
