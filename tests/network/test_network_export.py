"""Exports: GraphML, GEXF, JSON node-link, CSV, and the pseudonymised variant."""

from __future__ import annotations

import csv
import io
import json
import re
import zipfile

import networkx as nx
import pytest

from matchmaker.network.build import organisation_graph
from matchmaker.network.export import (
    PSEUDONYM_NODE_FIELDS,
    export_graph,
    pseudonym,
    pseudonymise,
    to_csv_tables,
)

# the name stored by tests/network/conftest.py for organisation 00000000004
HOSTILE = "<script>alert('x')</script> ODV \"Beta\" & <b>co</b>"
KEY = b"0123456789abcdef-test-key"
EG1, ETS1, ETS2 = "00000000001", "00000000003", "00000000004"


@pytest.fixture
def graph(network_data) -> nx.Graph:
    return organisation_graph(network_data)


@pytest.mark.parametrize("fmt", ["graphml", "gexf"])
def test_graphml_and_gexf_round_trip(graph, tmp_path, fmt):
    path = export_graph(graph, tmp_path / f"net.{fmt}")
    H = nx.read_graphml(path) if fmt == "graphml" else nx.read_gexf(path)
    assert set(H) == set(graph)
    assert H.number_of_edges() == 17
    assert H.nodes[ETS2]["name"] == HOSTILE
    assert H.nodes[ETS2]["sector"] == "third_sector"
    assert float(H.nodes[ETS2]["lat"]) == pytest.approx(45.07147)
    assert "lat" not in H.nodes["00000000009"]  # unknown seat: attribute left out
    e = H.edges[EG1, ETS1]
    assert float(e["weight"]) == 3.0
    assert e["ats"] == "ATS-A1;ATS-A3"
    assert e["tie_source"] == "both"  # "source" would clash with the ends in CSV/JSON


def test_json_node_link_round_trip(graph, tmp_path):
    path = export_graph(graph, tmp_path / "net.json")
    data = json.loads(path.read_text(encoding="utf-8"))
    H = nx.node_link_graph(data, edges="edges")
    assert set(H) == set(graph)
    assert H.edges[EG1, ETS1]["rounds"] == [1, 2]
    assert H.edges[EG1, ETS1]["tie_source"] == "both"
    assert H.nodes[ETS2]["districts"] == ["D01"]


def test_csv_zip_and_folder(graph, tmp_path):
    archive = export_graph(graph, tmp_path / "net.zip", "csv")
    with zipfile.ZipFile(archive) as zf:
        nodes = list(csv.DictReader(io.StringIO(zf.read("nodes.csv").decode("utf-8"))))
        edges = list(csv.DictReader(io.StringIO(zf.read("edges.csv").decode("utf-8"))))
    assert len(nodes) == 10
    assert len(edges) == 17
    assert list(nodes[0])[:4] == ["id", "tax_code", "name", "kind"]
    row = next(r for r in edges if {r["source"], r["target"]} == {EG1, ETS1})
    assert (row["weight"], row["ats"], row["kinds"]) == ("3.0", "ATS-A1;ATS-A3", "protocollo")
    assert row["tie_source"] == "both"
    folder = export_graph(graph, tmp_path / "out", "csv")
    assert (folder / "nodes.csv").read_text(encoding="utf-8") == to_csv_tables(graph)[0]
    with pytest.raises(ValueError, match="formato sconosciuto"):
        export_graph(graph, tmp_path / "net.xlsx")


def test_csv_neutralises_spreadsheet_formulas():
    G = nx.Graph()
    G.add_node("A", name='=HYPERLINK("http://evil")', sector="market")
    G.add_node("B", name="-2+3", sector="market")
    G.add_edge("A", "B", weight=-1.0)
    nodes, edges = to_csv_tables(G)
    rows = list(csv.DictReader(io.StringIO(nodes)))
    assert rows[0]["name"] == '\'=HYPERLINK("http://evil")'
    assert rows[1]["name"] == "'-2+3"
    assert next(csv.DictReader(io.StringIO(edges)))["weight"] == "-1.0"  # numbers untouched


def test_pseudonymised_export_keeps_no_identity_or_contact(graph, tmp_path):
    P = pseudonymise(graph, KEY, {"degree": dict(graph.degree())})
    assert set(P) == {pseudonym(KEY, v) for v in graph}
    assert list(pseudonymise(graph, KEY)) == list(P)  # stable with the same key
    other = pseudonymise(graph, b"another-key-of-16+bytes")
    assert set(other).isdisjoint(P)
    for v, attrs in P.nodes(data=True):
        assert re.fullmatch(r"org_[0-9a-f]{16}", v)
        assert set(attrs) <= {*PSEUDONYM_NODE_FIELDS, "degree"}
    e = P.edges[pseudonym(KEY, EG1), pseudonym(KEY, ETS1)]
    assert e["weight"] == 3.0
    assert all(a.startswith("ats_") for a in e["ats"])
    for fmt in ("graphml", "gexf", "json", "zip"):
        text = export_graph(P, tmp_path / f"p.{fmt}").read_bytes()
        if fmt == "zip":
            with zipfile.ZipFile(tmp_path / "p.zip") as zf:
                text = zf.read("nodes.csv") + zf.read("edges.csv")
        decoded = text.decode("utf-8")
        for v, attrs in graph.nodes(data=True):
            assert v not in decoded
            assert attrs["name"] not in decoded
            if attrs["comune_name"]:
                assert attrs["comune_name"] not in decoded
        for secret in ("example.org", "@", "011 000000", "ATS-A1", "onerror"):
            assert secret not in decoded
    with pytest.raises(ValueError, match="almeno 16 byte"):
        pseudonymise(graph, b"short")
