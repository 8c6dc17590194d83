"""Quality on the development gold set with the REAL default backend (no fake encoder).

Figures measured on this set (docs/matching.md): fused nDCG@10 0.8853, every channel
alone at most 0.7556. The thresholds below are those figures rounded down.
"""

from __future__ import annotations

import pytest

from matchmaker.config import PROJECT_ROOT
from matchmaker.matching import MatchQuery, evaluate
from matchmaker.matching.evaluation import _run, read_queries

DEV = PROJECT_ROOT / "data" / "eval" / "dev"


@pytest.fixture(scope="module")
def report(real_engine):
    from matchmaker.matching.registry import parse_weights

    return _run(real_engine, read_queries(DEV / "queries.jsonl"), parse_weights(""), 10)


def test_fused_reaches_target_and_beats_every_channel(report):
    channels = report["channels"]
    fused = channels["fused"]["ndcg@10"]
    assert fused >= 0.88  # measured 0.8853
    assert fused >= 0.78  # the target
    singles = {c: m["ndcg@10"] for c, m in channels.items() if c != "fused"}
    assert set(singles) == {"semantic", "sentence", "lexical", "themes", "territory"}
    assert all(fused > v for v in singles.values()), singles
    assert channels["fused"]["mrr@10"] >= 0.9
    assert channels["fused"]["recall@10"] >= 0.93
    assert singles["semantic"] >= 0.65  # USE-m3 alone (the issue reports 0.66)
    assert singles["lexical"] >= 0.66  # character TF-IDF alone (0.66)
    assert report["encoder"] == "use-m3"


def test_ablation_shows_themes_and_territory_matter(report):
    fused = report["channels"]["fused"]["ndcg@10"]
    assert report["ablation"]["fused-themes"]["ndcg@10"] < fused - 0.05
    assert report["ablation"]["fused-territory"]["ndcg@10"] < fused - 0.02
    assert len(report["queries"]) == 25
    assert all(set(q["relevant"]) >= set(q["missed"]) for q in report["queries"])


def test_place_named_in_need_ranks_local_provider_first(real_engine):
    results = real_engine.search(
        MatchQuery(
            text="Ad Asti aumentano gli sfratti per morosità: cerchiamo soluzioni abitative "
            "temporanee e mediazione con i proprietari.",
            top_k=3,
        )
    )
    assert {results[0].tax_code, results[1].tax_code} == {"27030150059", "82595380054"}
    assert results[0].explanation.territory.reason.endswith("luogo indicato")
    assert results[0].explanation.best_sentence.score > 0.3


def test_evaluate_goes_through_the_importer_and_a_temporary_database(tmp_path):
    catalog = tmp_path / "catalog.csv"
    lines = (DEV / "catalog.csv").read_text(encoding="utf-8").splitlines(keepends=True)
    catalog.write_text("".join(lines[:21]), encoding="utf-8")  # header + 20 profiles
    queries = tmp_path / "q.jsonl"
    queries.write_text(
        '{"id": "a", "text": "corsi di smartphone per anziani", "relevant": {"95894090026": 2}}\n',
        encoding="utf-8",
    )
    out = evaluate(catalog, queries)
    assert out["channels"]["fused"] == {"ndcg@10": 1.0, "mrr@10": 1.0, "recall@10": 1.0}
    assert out["queries"][0]["ranking"][0] == "95894090026"
    assert len(out["queries"][0]["ranking"]) == 10
