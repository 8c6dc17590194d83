"""The pure scorer on a hand-made index (``small`` in conftest.py): no database, no
model, exact values."""

from __future__ import annotations

import subprocess
import sys

import numpy as np
import pytest

import matchmaker.matching.scoring as scoring
from matchmaker.matching.channels.base import QueryVectors
from matchmaker.matching.context import QueryContext
from matchmaker.matching.fusion import squash, zscore
from matchmaker.matching.network import Ties
from matchmaker.matching.places import PlaceSet, gazetteer
from matchmaker.matching.query import MatchQuery
from matchmaker.matching.results import to_results
from matchmaker.matching.scoring import rank

TORINO, MONCALIERI, CUNEO = "001272", "001156", "004078"


def _context(**fields) -> QueryContext:
    query = fields.pop("query", MatchQuery(text="x", kinds=("ets", "comune"), top_k=10))
    return QueryContext(query=query, text=fields.pop("text", "x"), **fields)


def _rank(small, weights, vectors=None, **fields):
    for name in ("exclude", "at_capacity"):
        if name in fields:
            fields[name] = frozenset(fields[name])
    return rank(_context(**fields), small.index, vectors or QueryVectors(), weights)


def _scores(ranking) -> dict[str, float]:
    return {f"T{h.slot + 1}": h.score for h in ranking.hits}


def test_semantic_alone_is_the_squashed_z_score_of_the_cosine(small):
    q = np.array([1, 0, 0], dtype=np.float32)
    ranking = rank(_context(), small.index, QueryVectors(dense=q), {"semantic": 1.0})
    cos = small.whole @ q  # 4 candidates < 30: standardised over every profile (the same four)
    expected = 1 / (1 + np.exp(-((cos - cos.mean()) / cos.std() - 1)))
    assert [h.slot for h in ranking.hits] == [0, 1, 2, 3]  # by cosine, ties by slot
    assert [h.score for h in ranking.hits] == pytest.approx(expected, abs=1e-6)
    for hit in ranking.hits:
        assert hit.channels == {"semantic": pytest.approx(hit.score)}


def test_territory_alone_is_the_closeness_and_fills_the_reason(small):
    places = PlaceSet(comuni=frozenset({TORINO}))
    ranking = _rank(small, {"territory": 1.0}, places=places)
    cuneo = float(gazetteer().closeness(places)[gazetteer().index[CUNEO]])  # ~74 km: 0.025
    assert _scores(ranking) == {"T1": 1.0, "T2": pytest.approx(0.9), "T3": cuneo, "T4": 0.0}
    results = {r.tax_code: r for r in to_results(ranking)}
    assert results["T1"].explanation.territory.reason == "ha sede o opera a Torino, luogo indicato"
    assert results["T2"].explanation.territory.reason == "Moncalieri confina con Torino"
    assert results["T4"].explanation.territory.reason == "nessun comune noto per questo ente"
    # a comune (territorial public body) far from the place is flagged
    assert results["T4"].flags == ["fuori_territorio"]
    assert results["T4"].explanation.text.endswith("attenzione: fuori dal territorio indicato.")


def test_hard_territory_and_radius_filter(small):
    places = PlaceSet(comuni=frozenset({TORINO}))
    hard = MatchQuery(text="x", territory="hard", kinds=("ets", "comune"))
    ranking = _rank(small, {"territory": 1}, query=hard, places=places)
    assert [h.slot for h in ranking.hits] == [0, 1]  # Torino, Moncalieri (closeness >= 0.5)
    near = MatchQuery(text="x", radius_km=5, kinds=("ets",))  # Moncalieri is ~9.5 km away
    assert [h.slot for h in _rank(small, {"territory": 1}, query=near, places=places).hits] == [0]
    off = MatchQuery(text="x", territory="off")
    with pytest.raises(ValueError, match="nessun canale attivo"):
        _rank(small, {"territory": 1}, query=off, places=places)


def test_network_ties_and_newcomers(small):
    ties = Ties(direct=frozenset({2}), second=frozenset({3}), in_any_ats=frozenset({2, 3}))
    tied = _rank(small, {"network": 1}, ties=ties)
    assert _scores(tied) == {"T2": 1.0, "T3": 0.5, "T1": 0.0, "T4": 0.0}
    newcomers = MatchQuery(text="x", prefer_newcomers=True, kinds=("ets", "comune"))
    fresh = _rank(small, {"network": 1}, query=newcomers, ties=ties)
    assert _scores(fresh) == {"T1": 1.0, "T4": 1.0, "T3": 0.5, "T2": 0.0}
    reasons = {r.tax_code: r.explanation.network for r in to_results(fresh)}
    assert reasons["T2"].reason == "già partner dell'ente richiedente"
    assert reasons["T1"].score == 1.0


def test_fusion_is_the_weighted_mean_and_contributions_add_up(small):
    ties = Ties(direct=frozenset({2}), second=frozenset(), in_any_ats=frozenset({2}))
    ctx = _context(places=PlaceSet(comuni=frozenset({TORINO})), ties=ties)
    ranking = rank(ctx, small.index, QueryVectors(), {"territory": 1.0, "network": 3.0})
    by_slot = {h.slot: h for h in ranking.hits}
    assert by_slot[1].score == pytest.approx((0.9 + 3 * 1.0) / 4)  # Moncalieri, tied
    assert by_slot[0].score == pytest.approx(1.0 / 4)  # Torino, untied
    assert by_slot[1].channels == {"territory": pytest.approx(0.225), "network": 0.75}
    for hit in ranking.hits:
        assert sum(hit.channels.values()) == pytest.approx(hit.score)
    assert list(by_slot[1].channels) == ["territory", "network"]  # report order


def test_exclusions_and_capacity(small):
    places, full = PlaceSet(comuni=frozenset({TORINO})), frozenset({1})  # org id 1: slot 0
    ranking = _rank(small, {"territory": 1}, places=places, exclude={"T2"}, at_capacity=full)
    assert [h.slot for h in ranking.hits] == [0, 2, 3]
    assert ranking.hits[0].flags == ("capienza_esaurita",)
    assert ranking.hits[2].flags == ("fuori_territorio",)
    drop = MatchQuery(text="x", exclude_at_capacity=True, kinds=("ets",))
    ranking = _rank(small, {"territory": 1}, query=drop, places=places, at_capacity=full)
    assert [h.slot for h in ranking.hits] == [1, 2]
    nobody = MatchQuery(text="x", kinds=("impresa",))
    assert _rank(small, {"territory": 1}, query=nobody).hits == ()


def test_sentence_alone_pools_by_the_profile_and_standardises_on_a_sample(small):
    q = np.array([1, 0, 0], dtype=np.float32)
    ranking = rank(_context(), small.index, QueryVectors(dense=q), {"sentence": 1.0})
    best = np.array([(chunks @ q).max() for chunks in small.chunks], dtype=np.float32)
    # fewer than 30 candidates: population = the sentences of every profile, plus the pool
    expected = squash(zscore(best, np.concatenate([best, best])))
    assert [h.score for h in sorted(ranking.hits, key=lambda h: h.slot)] == pytest.approx(
        expected.tolist(), abs=1e-6
    )
    top = to_results(ranking)[0]
    assert top.tax_code == "T1"
    assert top.explanation.best_sentence.text == "Frase 0 dell'ente 1."
    assert top.explanation.best_sentence.score == 1.0


def test_only_the_pool_is_re_ranked_by_sentences(small, monkeypatch):
    monkeypatch.setattr(scoring, "POOL", 2)
    q = np.array([1, 0, 0], dtype=np.float32)
    ranking = _rank(small, {"semantic": 1.0, "sentence": 1.0}, QueryVectors(dense=q))
    assert [h.slot for h in ranking.hits] == [0, 1]  # the two best by the whole profile
    assert list(ranking.run.pool_slots) == [0, 1]
    best = np.array([(chunks @ q).max() for chunks in small.chunks], dtype=np.float32)
    # the pool's sentences standardised against a sample of every profile plus the pool
    sentence = squash(zscore(best[:2], np.concatenate([best, best[:2]])))
    semantic = squash(zscore(small.whole @ q))[:2]
    assert [h.score for h in ranking.hits] == pytest.approx((semantic + sentence) / 2, abs=1e-6)


def test_themes_from_declared_codes(small):
    ctx = _context(text="", declared=(("b", 1.0),))
    ranking = rank(ctx, small.index, QueryVectors(), {"themes": 1.0})
    # cosine with the query's theme vector (only "b"): 1 for {b}, 1/sqrt(2) for {a, b}, else 0
    raw = np.array([0.0, 1 / np.sqrt(2), 1.0, 0.0], dtype=np.float32)
    expected = squash(zscore(raw))
    assert [h.score for h in sorted(ranking.hits, key=lambda h: h.slot)] == pytest.approx(
        expected.tolist(), abs=1e-6
    )
    top = to_results(ranking)[0]
    assert top.tax_code == "T3"
    assert [t.label for t in top.explanation.shared_themes] == ["Beta"]
    assert top.explanation.text == "Contributo principale: temi; temi in comune: Beta."


def test_all_zero_weights_are_refused(small):
    with pytest.raises(ValueError, match="nessun canale attivo"):
        rank(_context(), small.index, QueryVectors(dense=np.ones(3, np.float32)), {})


def test_the_scorer_imports_no_database_library():
    code = (
        "import sys, matchmaker.matching.scoring, matchmaker.matching.results;"
        "print([m for m in ('sqlalchemy', 'sklearn', 'flask') if m in sys.modules])"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
