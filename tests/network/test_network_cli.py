"""``matchmaker network metrics | export | render`` on the fixture network."""

from __future__ import annotations

import json
import re

import networkx as nx
import pytest
from click.testing import CliRunner

from matchmaker.cli import main
from matchmaker.network.export import pseudonym


@pytest.fixture
def invoke(network_db, tmp_path):
    runner = CliRunner()
    env = {"MATCHMAKER_INSTANCE_PATH": str(tmp_path / "instance")}

    def run(*args: str, extra_env: dict | None = None):
        result = runner.invoke(
            main,
            ["--database-url", network_db.url, "network", *args],
            env={**env, **(extra_env or {})},
            catch_exceptions=False,
        )
        return result

    return run


def test_metrics_table_and_json(invoke):
    result = invoke("metrics")
    assert result.exit_code == 0, result.output
    assert "Rete: 10 enti, 17 legami" in result.output
    assert re.search(
        r"ATS dei tre settori \(quota\) +0\.5000  \[three_sector_ats_share\]", result.output
    )
    assert re.search(r"Intermediazione esatta +sì", result.output)
    assert "Round 1 -> 2: 2 nuovi, 3 usciti, legami 1 mantenuti / 6 nuovi / 9 persi" in (
        result.output
    )
    result = invoke("metrics", "--round", "1", "--json")
    report = json.loads(result.output)
    assert report["summary"]["nodes"] == 7
    assert report["summary"]["three_sector_ats_share"] == 1.0  # A1 and A2 both are
    assert report["change"] is None
    result = invoke("metrics", "--district", "D99")
    assert result.exit_code == 1
    assert "nessun ente nella rete con i filtri indicati" in result.output


def test_export_formats_and_pseudonymised(invoke, tmp_path):
    for fmt, name in (("graphml", "n.graphml"), ("gexf", "n.gexf"), ("json", "n.json")):
        result = invoke("export", "--format", fmt, "-o", str(tmp_path / name))
        assert result.exit_code == 0, result.output
        assert "10 enti, 17 legami" in result.output
    assert nx.read_graphml(tmp_path / "n.graphml").number_of_edges() == 17
    result = invoke(
        "export", "--format", "csv", "-o", str(tmp_path / "n.zip"), "--sector", "public"
    )
    assert "3 enti, 3 legami" in result.output
    key = "k" * 32
    result = invoke(
        "export",
        "--format",
        "graphml",
        "-o",
        str(tmp_path / "p.graphml"),
        "--pseudonymise",
        extra_env={"MATCHMAKER_PSEUDONYM_KEY": key},
    )
    assert result.exit_code == 0, result.output
    P = nx.read_graphml(tmp_path / "p.graphml")
    assert pseudonym(key.encode(), "00000000001") in P
    assert int(P.nodes[pseudonym(key.encode(), "00000000001")]["degree"]) == 5
    # no key given: one is generated in the instance folder and reused
    invoke("export", "--format", "json", "-o", str(tmp_path / "a.json"), "--pseudonymise")
    invoke("export", "--format", "json", "-o", str(tmp_path / "b.json"), "--pseudonymise")
    key_file = tmp_path / "instance" / "pseudonym_key"
    assert key_file.stat().st_mode & 0o777 == 0o600
    a = json.loads((tmp_path / "a.json").read_text())
    b = json.loads((tmp_path / "b.json").read_text())
    assert [n["id"] for n in a["nodes"]] == [n["id"] for n in b["nodes"]]
    assert pseudonym(key_file.read_bytes().strip(), "00000000001") in {n["id"] for n in a["nodes"]}


def test_render_html_and_png(invoke, tmp_path):
    out, png = tmp_path / "n.html", tmp_path / "n.png"
    result = invoke(
        "render",
        "-o",
        str(out),
        "--layout",
        "geo",
        "--color",
        "district",
        "--size",
        "betweenness",
        "--png",
        str(png),
    )
    assert result.exit_code == 0, result.output
    html = out.read_text(encoding="utf-8")
    assert "disposizione: geografica" in html
    assert "Distretto &lt;i&gt;Torino&lt;/i&gt;" in html  # district names from the database
    assert png.read_bytes()[:4] == b"\x89PNG"
    result = invoke("render", "-o", str(out), "--color", "kind")
    assert result.exit_code == 2
