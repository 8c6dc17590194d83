"""Interactive HTML (pyvis) and static pictures: offline assets, hostile data as text."""

from __future__ import annotations

import json
import re
from pathlib import Path

import networkx as nx
import pytest

from matchmaker.network.build import organisation_graph
from matchmaker.network.layout import geo_positions
from matchmaker.network.render import (
    VIS_ASSETS,
    graph_payload,
    payload_json,
    render_html,
    stabilization_iterations,
)
from matchmaker.network.static import render_static

# the name stored by tests/network/conftest.py for organisation 00000000004
HOSTILE = "<script>alert('x')</script> ODV \"Beta\" & <b>co</b>"
ETS2 = "00000000004"
VENDOR = Path(__file__).resolve().parents[2] / "web" / "static" / "vendor" / "vis-network"
NAMES = {"D01": "Distretto <i>Torino</i>", "D02": "Distretto Cuneo"}


def _payload_from_html(html: str) -> dict:
    match = re.search(r'<script type="application/json" id="network-data">(.*?)</script>', html)
    assert match is not None
    return json.loads(match.group(1))


def _page_without_vis(html: str, inline: bool) -> str:
    """The page minus the inlined vis-network library (third-party code, checked apart)."""
    if not inline:
        return html
    js = (VIS_ASSETS / "vis-network.min.js").read_text(encoding="utf-8")
    css = (VIS_ASSETS / "vis-network.css").read_text(encoding="utf-8")
    assert js in html
    assert css in html
    return html.replace(js, "").replace(css, "")


@pytest.mark.parametrize("assets", ["inline", "static"])
def test_html_has_no_remote_resource_and_hostile_names_stay_text(network_data, assets, tmp_path):
    G = organisation_graph(network_data)
    out = tmp_path / "net.html"
    html = render_html(G, out, assets=assets, district_names=NAMES, color="district")
    assert out.read_text(encoding="utf-8") == html
    page = _page_without_vis(html, inline=assets == "inline")
    # no CDN, no remote URL of any kind outside the vendored library
    assert not re.search(r"https?://", page)
    assert "cdn" not in page.lower()
    if assets == "static":
        assert '<script src="/static/vendor/vis-network/vis-network.min.js"></script>' in html
        assert 'href="/static/vendor/vis-network/vis-network.css"' in html
    else:
        # the standalone file may fetch nothing (quotes are escaped inside the attribute)
        assert "default-src &#39;none&#39;; script-src &#39;unsafe-inline&#39;" in html
        assert "<script src=" not in html
    # data never appear as markup: exactly our three (or two) script elements remain
    assert page.count("<script") == 3
    assert HOSTILE not in html
    assert "<script>alert" not in html
    assert "<img src=x" not in html
    assert "<i>Torino</i>" not in html
    assert "Distretto &lt;i&gt;Torino&lt;/i&gt;" in html  # legend: escaped by Jinja2
    payload = _payload_from_html(html)
    node = next(n for n in payload["nodes"] if n["tax_code"] == ETS2)
    assert node["title"].startswith(HOSTILE)  # round-trips as the same text
    assert node["label"].startswith("<script>alert('x')</script>")
    assert "Distretto: D01 Distretto <i>Torino</i>" in node["title"]


def test_payload_json_escapes_every_markup_character():
    text = payload_json({"a": "</script><script>alert(1)</script>&\u2028"})
    assert not {"<", ">", "&", "\u2028"} & set(text)
    assert json.loads(text) == {"a": "</script><script>alert(1)</script>&\u2028"}


def test_payload_colours_sizes_legend_and_bounded_physics(network_data):
    G = organisation_graph(network_data)
    p = graph_payload(G, color="sector", size="betweenness")
    assert len(p["nodes"]) == 10
    assert len(p["edges"]) == 17
    assert {n["color"] for n in p["nodes"]} == {"#1f77b4", "#2ca02c", "#ff7f0e"}
    legend = {item["label"]: item["count"] for item in p["legend"]}
    assert legend == {"Terzo settore": 4, "Pubblico": 3, "Mercato": 3}
    sizes = {n["tax_code"]: n["size"] for n in p["nodes"]}
    assert max(sizes.values()) == 36.0  # the top betweenness node
    assert min(sizes.values()) == 6.0  # betweenness 0 (leaves ORG10, ETS4)
    assert sizes["00000000010"] == 6.0
    physics = p["options"]["physics"]
    assert physics["enabled"] is True
    assert physics["stabilization"]["iterations"] == 1000
    dashed = [e for e in p["edges"] if e.get("dashes")]
    assert len(dashed) == 2  # the two collaboration-only ties
    community = graph_payload(G, color="community", seed=1)
    assert {n["group"] for n in community["nodes"]} == {"0", "1", "2"}
    with pytest.raises(ValueError, match="colore sconosciuto"):
        graph_payload(G, color="kind")
    with pytest.raises(ValueError, match="misura sconosciuta"):
        graph_payload(G, size="closeness")
    assert stabilization_iterations(2000) == 100
    assert stabilization_iterations(500) == 120
    assert stabilization_iterations(5) == 1000


def test_geo_layout_fixes_positions_from_seats(network_data):
    G = organisation_graph(network_data)
    p = graph_payload(G, layout="geo")
    assert p["options"]["physics"]["enabled"] is False
    assert all(n["physics"] is False and "x" in n and "y" in n for n in p["nodes"])
    pos = geo_positions(G)
    torino, cuneo = pos["00000000001"], pos["00000000002"]  # Torino 45.07N, Cuneo 44.42N
    assert cuneo[1] > torino[1]  # south is lower on screen
    assert cuneo[0] < torino[0]  # Cuneo (7.55E) is west of Torino (7.68E)
    # three seats in Torino are spread, not stacked
    in_torino = [pos[t] for t in ("00000000001", "00000000004", "00000000006", "00000000008")]
    assert len(set(in_torino)) == 4
    # no seat: placed below every located organisation
    assert pos["00000000009"][1] > max(y for v, (_, y) in pos.items() if v != "00000000009")


def test_vendored_assets_are_the_pyvis_copies_with_licence():
    for name in ("vis-network.min.js", "vis-network.css"):
        assert (VENDOR / name).read_bytes() == (VIS_ASSETS / name).read_bytes()
    licence = (VENDOR / "LICENSE").read_text(encoding="utf-8")
    assert "MIT License" in licence
    assert "9.1.2" in licence


def test_two_thousand_nodes_payload_is_light_and_bounded():
    G = nx.powerlaw_cluster_graph(2000, 3, 0.3, seed=1)
    for v in G:
        G.nodes[v].update(name=f"Ente {v}", sector=("public", "third_sector", "market")[v % 3])
    p = graph_payload(G, size="degree")
    assert p["options"]["physics"]["stabilization"]["iterations"] == 100
    assert p["options"]["layout"]["improvedLayout"] is False
    assert p["options"]["edges"]["smooth"] is False
    assert p["options"]["interaction"]["hideEdgesOnDrag"] is True
    assert len(payload_json(p)) < 2_000_000


@pytest.mark.parametrize("suffix", [".png", ".svg"])
def test_static_picture(network_data, tmp_path, suffix):
    G = organisation_graph(network_data)
    out = render_static(G, tmp_path / f"net{suffix}", layout="geo", labels=10)
    data = out.read_bytes()
    if suffix == ".png":
        assert data[:8] == b"\x89PNG\r\n\x1a\n"
    else:
        text = data.decode("utf-8")
        assert text.lstrip().startswith("<?xml")
        assert "<script" not in text  # the hostile name is drawn as glyphs, not markup
    render_static(G, tmp_path / f"c{suffix}", color="community", size="betweenness")
