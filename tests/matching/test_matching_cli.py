"""The ``match``, ``eval`` and ``index rebuild`` commands (default backend, small inputs)."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from matchmaker.cli import main
from matchmaker.config import PROJECT_ROOT

DEV = PROJECT_ROOT / "data" / "eval" / "dev"


@pytest.fixture
def cli(dev_database):
    runner = CliRunner()
    url = dev_database.url

    def run(*args: str):
        return runner.invoke(main, ["--database-url", url, *args], catch_exceptions=False)

    return run


def test_index_rebuild_then_match_json(cli):
    out = cli("index", "rebuild")
    assert out.exit_code == 0, out.output
    assert out.output.strip().endswith("Indice ricostruito: 80 profili (use-m3).")
    out = cli(
        "match", "--text", "corsi di smartphone per anziani a Vercelli", "--top", "2", "--json"
    )
    assert out.exit_code == 0, out.output
    results = json.loads(out.output)
    assert [r["tax_code"] for r in results][:1] == ["95894090026"]
    assert len(results) == 2
    assert set(results[0]) == {
        "tax_code",
        "name",
        "kind",
        "score",
        "channels",
        "flags",
        "explanation",
    }


def test_match_text_output_and_errors(cli):
    out = cli("match", "--text", "mensa sociale per persone senza dimora", "--top", "1")
    assert out.exit_code == 0, out.output
    lines = out.output.splitlines()
    assert lines[0].startswith(" 1. ")
    assert "(ets, " in lines[0]
    assert lines[1].strip().startswith("Contributo principale:")
    assert cli("match").exit_code == 2
    bad = cli("match", "--text", "x", "--for", "00000000000")
    assert bad.exit_code == 1
    assert "nessun ente con codice fiscale 00000000000" in bad.output


def test_match_batch_prints_one_line_per_query(cli, tmp_path):
    queries = tmp_path / "q.jsonl"
    queries.write_text(
        '{"id": "uno", "text": "recupero eccedenze alimentari"}\n'
        '{"id": "due", "text": "welfare aziendale", "kind": ["impresa"]}\n',
        encoding="utf-8",
    )
    out = cli("match", "--queries", str(queries), "--top", "2", "--json")
    assert out.exit_code == 0, out.output
    lines = [json.loads(line) for line in out.output.splitlines()]
    assert [line["id"] for line in lines] == ["uno", "due"]
    assert all(len(line["results"]) == 2 for line in lines)
    assert {r["kind"] for r in lines[1]["results"]} == {"impresa"}
    assert lines[1]["results"][0]["tax_code"] == "04522430968"  # Lanificio, welfare aziendale


def test_eval_json_and_table(cli, tmp_path):
    queries = tmp_path / "q.jsonl"
    queries.write_text(
        (DEV / "queries.jsonl").read_text(encoding="utf-8").splitlines()[7] + "\n",
        encoding="utf-8",
    )
    out = cli("eval", "--catalog", str(DEV / "catalog.csv"), "--queries", str(queries), "--json")
    assert out.exit_code == 0, out.output
    report = json.loads(out.output)
    assert set(report["channels"]) == {
        "semantic", "sentence", "lexical", "themes", "territory", "fused"
    }  # fmt: skip
    assert set(report["channels"]["fused"]) == {"ndcg@10", "mrr@10", "recall@10"}
    assert report["queries"][0]["id"] == "q08"
    table = cli("eval", "--catalog", str(DEV / "catalog.csv"), "--queries", str(queries))
    assert table.exit_code == 0
    assert "fused senza themes" in table.output
    assert table.output.splitlines()[1].split() == ["ranking", "nDCG@10", "MRR@10", "R@10"]
