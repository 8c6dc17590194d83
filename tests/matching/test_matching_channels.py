"""Channels as units: the registry, a channel added by a test, typed explanations, no
import cycles inside ``matchmaker/matching``."""

from __future__ import annotations

import ast
from pathlib import Path

import numpy as np
import pytest

import matchmaker.matching as matching
from matchmaker.matching import MatchEngine, MatchQuery
from matchmaker.matching.channels.base import Bounded, QueryVectors, Run, Scored
from matchmaker.matching.context import QueryContext
from matchmaker.matching.explain import (
    BestSentence,
    DraftAts,
    Explanation,
    NetworkReason,
    Reason,
    SharedTheme,
    SharedThemes,
    TerritoryReason,
)
from matchmaker.matching.places import PlaceSet
from matchmaker.matching.registry import (
    CHANNELS,
    DEFAULT_CHANNELS,
    DEFAULT_WEIGHTS,
    ChannelSet,
    parse_weights,
)
from matchmaker.matching.scoring import rank

NEED = "Mensa sociale e pasti caldi per persone senza casa a Vercelli"


class Even(Bounded):
    """A channel written in a test: 1 for organisations with an even id, else 0."""

    name = "even"
    label = "numero pari"
    default_weight = 2.0

    def scores(self, run: Run) -> Scored:
        return Scored((run.index.org_ids[: run.size] % 2 == 0).astype(np.float32))

    def explain(self, run: Run, slot: int, scored: Scored) -> Reason:
        value = float(scored.values[slot])  # type: ignore[index]
        return Reason(value, "id pari" if value else "")


def test_names_weights_and_labels_derive_from_the_registry():
    assert CHANNELS == ("semantic", "sentence", "lexical", "themes", "territory", "network")
    assert DEFAULT_WEIGHTS == {
        "semantic": 1.0, "sentence": 0.5, "lexical": 1.0, "themes": 1.0, "territory": 1.0,
        "network": 0.5,
    }  # fmt: skip
    assert DEFAULT_CHANNELS.labels["sentence"] == "frase più vicina"
    assert matching.CHANNELS is CHANNELS
    assert matching.DEFAULT_WEIGHTS is DEFAULT_WEIGHTS
    assert [c.name for c in DEFAULT_CHANNELS.phase("pool")] == ["sentence"]
    assert DEFAULT_CHANNELS.available({"encoder"}) == CHANNELS[:5]
    assert DEFAULT_CHANNELS.available(()) == ("lexical", "themes", "territory")
    with pytest.raises(ValueError, match="ripetuti"):
        DEFAULT_CHANNELS.extended(DEFAULT_CHANNELS["themes"])


def test_the_web_lists_every_channel_title_for_translation():
    from web.views.partners import CHANNEL_LABELS, CHANNEL_TITLES

    assert set(CHANNEL_LABELS) == set(CHANNELS)
    for channel in DEFAULT_CHANNELS:
        title = channel.label[:1].upper() + channel.label[1:]
        assert title in CHANNEL_TITLES
        assert str(CHANNEL_LABELS[channel.name]) == title


def test_an_extra_channel_contributes_through_the_pure_scorer(small):
    channels = DEFAULT_CHANNELS.extended(Even())
    query = MatchQuery(text="x", kinds=("ets", "comune"))
    ctx = QueryContext(query=query, text="x", places=PlaceSet(comuni=frozenset({"001272"})))
    both = rank(ctx, small.index, QueryVectors(), {"territory": 1.0, "even": 1.0}, channels)
    alone = rank(ctx, small.index, QueryVectors(), {"territory": 1.0}, channels)
    by_slot = {h.slot: h for h in both.hits}
    assert by_slot[1].score == pytest.approx((0.9 + 1.0) / 2)  # org id 2, Moncalieri
    assert by_slot[0].score == pytest.approx(1.0 / 2)  # org id 1, Torino
    assert by_slot[1].channels == {"territory": pytest.approx(0.45), "even": 0.5}
    assert [h.slot for h in both.hits][:2] == [1, 0]
    assert [h.slot for h in alone.hits][:2] == [0, 1]  # without its weight: territory alone
    assert all("even" not in h.channels for h in alone.hits)


def test_an_extra_channel_contributes_through_the_engine(dev_database, settings, fake_encoder):
    channels = DEFAULT_CHANNELS.extended(Even())
    engine = MatchEngine(dev_database, settings, encoder=fake_encoder, channels=channels)
    plain = MatchEngine(dev_database, settings, encoder=fake_encoder)
    assert engine.weights == {**DEFAULT_WEIGHTS, "even": 2.0}
    query = MatchQuery(text=NEED, top_k=10)
    with_even = engine.search(query)
    share = round(2.0 / (1 + 0.5 + 1 + 1 + 1 + 2), 4)  # no network channel: no asker
    for r in with_even:
        assert list(r.channels)[-1] == "even"
        assert sum(r.channels.values()) == pytest.approx(r.score, abs=1e-3)
        (name, reason), *_rest = r.explanation.others
        assert name == "even"
        assert r.channels["even"] == (share if reason == Reason(1.0, "id pari") else 0.0)
        assert r.explanation.to_dict()["even"] == {"score": reason.score, "reason": reason.reason}
    assert any(r.channels["even"] for r in with_even)
    baseline = plain.search(query)
    assert [r.tax_code for r in with_even] != [r.tax_code for r in baseline]
    # its weight set to 0: the ranking and the scores are those without the channel
    off = engine.search(query, weights={**engine.weights, "even": 0.0})
    assert [(r.tax_code, r.score, r.channels) for r in off] == [
        (r.tax_code, r.score, r.channels) for r in baseline
    ]
    assert engine.channels.parse_weights("even=1")["even"] == 1.0
    with pytest.raises(ValueError, match="canale sconosciuto: 'even'"):
        parse_weights("even=1")


def test_explanation_json_order_text_and_mapping_view():
    exp = Explanation.build(
        channels={"semantic": 0.1, "themes": 0.3},
        pieces=[
            ("sentence", BestSentence("Una frase " + "lunga " * 40, 0.61234)),
            ("themes", SharedThemes((SharedTheme("a", "Alfa"), SharedTheme("b", "Beta")))),
            ("network", NetworkReason(0.5, "")),
            ("territory", TerritoryReason(1.0, "a Torino")),
            ("extra", Reason(0.2, "perché sì")),
        ],
        flags=["capienza_esaurita"],
        labels=DEFAULT_CHANNELS.labels,
        ats_in_bozza=[DraftAts("B-1", "Bozza")],
    )
    assert exp.shared_themes == (SharedTheme("a", "Alfa"), SharedTheme("b", "Beta"))
    assert exp.network == NetworkReason(0.5, "")
    assert exp.others == (("extra", Reason(0.2, "perché sì")),)
    assert exp.text.startswith("Contributo principale: temi; temi in comune: Alfa, Beta; ")
    assert "frase più vicina alla richiesta: «Una frase lunga" in exp.text
    assert "...»; a Torino; perché sì; attenzione: già in due ATS" in exp.text
    data = exp.to_dict()
    assert list(data) == [
        "channels", "shared_themes", "best_sentence", "territory", "network", "flags", "text",
        "extra", "ats_in_bozza",
    ]  # fmt: skip
    assert data["network"] == {"score": 0.5, "reason": ""}
    assert data["ats_in_bozza"] == [{"code": "B-1", "title": "Bozza"}]
    assert data["text"] == exp.text
    empty = Explanation.build(channels={}, pieces=[], flags=[], labels={})
    assert empty.to_dict() == {
        "channels": {}, "shared_themes": [], "best_sentence": None, "territory": None,
        "network": None, "flags": [], "text": "",
    }  # fmt: skip


def test_context_is_a_plain_frozen_value():
    ctx = QueryContext(query=MatchQuery(text="x"), text="x")
    with pytest.raises(AttributeError):
        ctx.text = "y"  # type: ignore[misc]
    assert ctx.ties is None
    assert ctx.at_capacity == frozenset()


def _imports(path: Path, module: str) -> set[str]:
    """Every module ``path`` imports: top level, in functions and under TYPE_CHECKING."""
    package = module if path.name == "__init__.py" else module.rsplit(".", 1)[0]
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parts = package.split(".")
                parent = ".".join(parts[: len(parts) - node.level + 1])
                base = f"{parent}.{base}" if base else parent
            found.add(base)
            found.update(f"{base}.{alias.name}" for alias in node.names)
    return found


def test_no_import_cycle_inside_matching():
    root = Path(matching.__file__).parent
    modules = {}
    for path in root.rglob("*.py"):
        parts = path.relative_to(root.parent.parent).with_suffix("").parts
        name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
        modules[name] = path
    graph = {
        name: {m for m in _imports(path, name) if m in modules and m != name}
        for name, path in modules.items()
    }
    # nothing inside imports the lazy package facade (it imports every module on demand)
    assert not [n for n, deps in graph.items() if "matchmaker.matching" in deps]
    assert "matchmaker.matching.scoring" in graph["matchmaker.matching.engine"]
    state: dict[str, int] = {}

    def visit(node: str, trail: list[str]) -> None:
        state[node] = 1
        for dep in sorted(graph[node]):
            assert state.get(dep) != 1, " -> ".join([*trail, node, dep])
            if dep not in state:
                visit(dep, [*trail, node])
        state[node] = 2

    for name in sorted(graph):
        if name not in state:
            visit(name, [])


def test_channel_set_lookup_and_without():
    smaller = DEFAULT_CHANNELS.without("network", "sentence")
    assert isinstance(smaller, ChannelSet)
    assert smaller.names == ("semantic", "lexical", "themes", "territory")
    assert len(smaller) == 4
    with pytest.raises(KeyError):
        smaller["network"]
