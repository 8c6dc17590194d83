"""Graphs built from the fixture network (tests/network/conftest.py) and from plain records."""

from __future__ import annotations

import networkx as nx
import pytest

from matchmaker.network.build import (
    NetworkFilter,
    bipartite_graph,
    district_graph,
    organisation_graph,
    projected_graph,
    round_snapshots,
    sector_mixing_matrix,
)
from matchmaker.network.data import AtsRecord, CollaborationRecord, NetworkData, OrgRecord

# the name stored by tests/network/conftest.py for organisation 00000000004
HOSTILE = "<script>alert('x')</script> ODV \"Beta\" & <b>co</b>"
EG1, EG2, ETS1, ETS2, ETS3, IMP1, IMP2, ASL1, ETS4, ORG10 = (f"{i:011d}" for i in range(1, 11))


def test_organisation_graph_nodes_edges_and_attributes(network_db):
    with network_db.session() as session:
        G = organisation_graph(session)
    assert G.number_of_nodes() == 10
    # A1: 6 pairs, A2: 3, A3: 6 (EG1-ETS1 again), A4: 1, collaborations ETS2-ETS3, IMP1-ORG10
    assert G.number_of_edges() == 17
    e = G.edges[EG1, ETS1]
    assert e == {
        "weight": 3.0,
        "ats_count": 2,
        "ats_weight": 2.0,
        "collaboration_weight": 1.0,
        "ats": ["ATS-A1", "ATS-A3"],
        "rounds": [1, 2],
        "years": [2016, 2018, 2020],
        "measures": [1],
        "kinds": ["protocollo"],
        "source": "both",
    }
    assert G.edges[ETS2, ETS3]["source"] == "collaboration"
    assert G.edges[ETS2, ETS3]["weight"] == 2.0
    assert G.edges[EG2, IMP2]["source"] == "ats"
    node = G.nodes[ETS2]
    assert node["name"] == HOSTILE
    assert (node["kind"], node["sector"], node["district"]) == ("ets", "third_sector", "D01")
    assert node["comune_name"] == "Torino"
    assert node["lat"] == pytest.approx(45.07147)
    assert node["lon"] == pytest.approx(7.67782)
    assert G.nodes[ETS4]["lat"] is None
    assert G.nodes[ORG10]["district"] == ""
    assert G.nodes[ORG10]["districts"] == []


def test_filters_select_ats_collaborations_and_organisations(network_data):
    def edges(**kw):
        G = organisation_graph(network_data, NetworkFilter.of(**kw))
        return {tuple(sorted(e)) for e in G.edges()}

    round1 = edges(rounds=1, include_collaborations=False)
    assert len(round1) == 9
    assert (ASL1, EG1) not in round1
    assert edges(measures=2, include_collaborations=False) == {(ETS3, ETS4)}
    assert edges(themes="domiciliarita", include_collaborations=False) == {
        (EG2, ETS3),
        (EG2, IMP2),
        (ETS3, IMP2),
    }
    assert edges(include_ats=False) == {(ETS2, ETS3), (IMP1, ORG10), (EG1, ETS1)}
    # 2021: no ATS; only the open-ended collaboration IMP1-ORG10 is active
    assert edges(years=2021) == {(IMP1, ORG10)}
    # district D02 keeps only its organisations: A2, A4 and EG2's side of A3
    d02 = organisation_graph(network_data, NetworkFilter.of(districts="D02"))
    assert set(d02) == {EG2, ETS3, IMP2, ETS4}
    assert d02.number_of_edges() == 4
    public = organisation_graph(network_data, NetworkFilter.of(sectors="public"))
    assert set(public) == {EG1, EG2, ASL1}
    assert public.number_of_edges() == 3
    with_isolates = organisation_graph(
        network_data, NetworkFilter.of(rounds=1, include_isolates=True)
    )
    assert with_isolates.number_of_nodes() == 10
    # ASL1, ETS4 (round 2 only) and ORG10 (its only tie starts in 2021, after round 1)
    assert nx.number_of_isolates(with_isolates) == 3
    # a round keeps the collaborations active in its ATS' years (2018 for round 1)
    assert edges(rounds=1) - round1 == {(ETS2, ETS3)}


def test_bipartite_graph_and_projection_match_ats_ties(network_data):
    B = bipartite_graph(network_data)
    ats = {n for n, b in B.nodes(data="bipartite") if b == 1}
    assert ats == {"ats:ATS-A1", "ats:ATS-A2", "ats:ATS-A3", "ats:ATS-A4"}
    assert B.edges[EG1, "ats:ATS-A1"]["role"] == "capofila"
    assert B.edges[ETS1, "ats:ATS-A1"]["role"] == "mandante"
    assert B.nodes["ats:ATS-A3"]["districts"] == ["D01", "D02"]
    P = projected_graph(B)
    G = organisation_graph(network_data, NetworkFilter(include_collaborations=False))
    assert {tuple(sorted(e)) for e in P.edges()} == {tuple(sorted(e)) for e in G.edges()}
    assert all(P.edges[u, v]["weight"] == G.edges[u, v]["ats_count"] for u, v in G.edges())
    newman = projected_graph(B, "newman")
    # A1 has 4 members: each pair gets 1/3; EG1-ETS1 also shares A3 (4 members): 2/3
    assert newman.edges[EG1, ETS1]["weight"] == pytest.approx(2 / 3)
    with pytest.raises(ValueError, match="metodo di proiezione"):
        projected_graph(B, "jaccard")


def test_district_graph_and_mixing_matrix(network_data):
    G = organisation_graph(network_data)
    D = district_graph(G, {"D01": "Torino", "D02": "Cuneo"})
    assert set(D) == {"D01", "D02"}
    assert D.nodes["D01"]["organisations"] == 5
    assert D.nodes["D02"]["organisations"] == 4
    # cross-district ties: A3 (EG1-EG2, ETS1-EG2, ASL1-EG2) and ETS2-ETS3 (weight 2)
    assert D.edges["D01", "D02"] == {"weight": 5.0, "ties": 4}
    assert D.nodes["D02"]["internal_weight"] == 4.0
    mix = sector_mixing_matrix(G)
    assert mix["groups"] == ["public", "third_sector", "market"]
    total = sum(w for _, _, w in G.edges(data="weight"))
    upper = sum(mix["share"][i][j] for i in range(3) for j in range(i, 3))
    assert upper == pytest.approx(1.0)
    assert mix["matrix"][0][0] == 3.0  # EG1-EG2, EG1-ASL1, EG2-ASL1
    assert sum(mix["matrix"][i][j] for i in range(3) for j in range(i, 3)) == total


def test_round_snapshots(network_data):
    snaps = round_snapshots(network_data)
    assert sorted(snaps) == [1, 2]
    # round 1 (2018): A1, A2 and the collaborations active in 2018 (ETS2-ETS3, EG1-ETS1)
    assert (snaps[1].number_of_nodes(), snaps[1].number_of_edges()) == (7, 10)
    assert snaps[1].edges[EG1, ETS1]["source"] == "both"
    assert snaps[1].edges[EG1, ETS1]["weight"] == 2.0
    assert (snaps[2].number_of_nodes(), snaps[2].number_of_edges()) == (6, 7)
    assert snaps[2].graph["call_round"] == 2
    assert list(round_snapshots(network_data, NetworkFilter.of(rounds=2))) == [2]


def test_plain_records_without_database():
    orgs = [OrgRecord(t, f"Ente {t}", "ets", "third_sector", ("D1",)) for t in "ABCD"]
    data = NetworkData(
        orgs,
        [AtsRecord("X", "x", 1, 1, 2018, "finanziato", ("A", "B", "C", "Z"), capofila="A")],
        [CollaborationRecord("C", "D", "rete"), CollaborationRecord("D", "D", "rete")],
    )
    G = organisation_graph(data)
    assert sorted(G.edges()) == [("A", "B"), ("A", "C"), ("B", "C"), ("C", "D")]
    assert "Z" not in G  # a member unknown to the registry is left out
    assert data.organisation("B").name == "Ente B"


def test_load_network_data_on_sqlite_and_postgresql(any_database, populate_network):
    with any_database.session(actor="test") as session:
        populate_network(session)
    with any_database.session() as session:
        G = organisation_graph(session)
    assert (G.number_of_nodes(), G.number_of_edges()) == (10, 17)
    assert G.edges[EG1, ETS1]["ats"] == ["ATS-A1", "ATS-A3"]
    assert G.nodes[ETS2]["name"] == HOSTILE
