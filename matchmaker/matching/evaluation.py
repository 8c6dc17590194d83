"""Quality of the matching engine on a gold set: nDCG@10, MRR@10, recall@10 per channel.

The catalogue CSV is loaded into a temporary SQLite database with the organisations
importer (:func:`matchmaker.ingest.import_file`), exactly as a user's file would be; every
query is run once with each channel alone and once fused (the ablation table), plus once
fused without each channel (leave-one-out). As the gold set's README asks, only ETS and
businesses are candidates (public bodies are filtered out before cutting the top 10).

Metrics use graded gains as in the gold set (2 = good partner, 1 = partially relevant):
``DCG = sum(grade / log2(rank + 1))`` normalised by the ideal ordering; MRR and recall
count any grade >= 1 as relevant.
"""

from __future__ import annotations

import json
import math
import tempfile
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from matchmaker.config import Settings
from matchmaker.matching.engine import MatchEngine
from matchmaker.matching.query import MatchQuery
from matchmaker.matching.registry import DEFAULT_CHANNELS, ChannelSet

__all__ = ["EVAL_KINDS", "evaluate", "metrics_at_k", "read_queries"]

#: kinds that a user looking for private partners is shown
EVAL_KINDS = ("ets", "impresa")
_K = 10


def metrics_at_k(ranked: Sequence[str], relevant: Mapping[str, int], k: int = _K) -> dict:
    """nDCG@k, MRR@k and recall@k of one ranking against graded judgments.

    Examples
    --------
    >>> m = metrics_at_k(["a", "x", "b"], {"a": 2, "b": 1})
    >>> round(m["ndcg@10"], 4), m["mrr@10"], m["recall@10"]
    (0.9502, 1.0, 1.0)
    """
    top = list(ranked)[:k]
    dcg = sum(relevant.get(t, 0) / math.log2(i + 2) for i, t in enumerate(top))
    ideal = sorted((g for g in relevant.values() if g > 0), reverse=True)[:k]
    idcg = sum(g / math.log2(i + 2) for i, g in enumerate(ideal))
    first = next((i for i, t in enumerate(top) if relevant.get(t, 0) > 0), None)
    hits = sum(1 for t in top if relevant.get(t, 0) > 0)
    n_rel = sum(1 for g in relevant.values() if g > 0)
    return {
        f"ndcg@{k}": dcg / idcg if idcg else 0.0,
        f"mrr@{k}": 1.0 / (first + 1) if first is not None else 0.0,
        f"recall@{k}": hits / n_rel if n_rel else 0.0,
    }


def read_queries(path: Path | str) -> list[dict[str, Any]]:
    """Queries of a JSONL gold file (``id``, ``text``, ``relevant``...)."""
    out = []
    with Path(path).open(encoding="utf-8") as fh:
        for number, line in enumerate(fh, start=1):
            if not line.strip():
                continue
            try:
                item = json.loads(line)
            except json.JSONDecodeError as exc:
                raise ValueError(f"{path}, riga {number}: JSON non valido ({exc.msg})") from None
            if "text" not in item or "id" not in item:
                raise ValueError(f"{path}, riga {number}: mancano 'id' o 'text'")
            out.append(item)
    return out


def _variants(
    weights: dict[str, float], active: set[str], channels: ChannelSet = DEFAULT_CHANNELS
) -> dict[str, dict[str, float]]:
    names = channels.names
    variants = {c: {d: (1.0 if d == c else 0.0) for d in names} for c in names if c in active}
    variants["fused"] = dict(weights)
    for c in names:
        if c in active and weights.get(c, 0) > 0:
            variants[f"fused-{c}"] = {**weights, c: 0.0}
    return variants


def evaluate(
    catalog_csv: Path | str,
    queries_jsonl: Path | str,
    *,
    settings: Settings | None = None,
    encoder: Any = None,
    weights: Mapping[str, float] | str | None = None,
    k: int = _K,
) -> dict[str, Any]:
    """Run a gold set against a fresh temporary database loaded with ``catalog_csv``.

    Parameters
    ----------
    catalog_csv : path
        Organisations in the import format.
    queries_jsonl : path
        One JSON object per line: ``id``, ``text``, ``relevant`` ({tax_code: grade}),
        optional ``district`` and ``kind``.
    settings : Settings, optional
        Encoder backend and weights (the database URL is ignored).
    encoder : Encoder, optional
        Use this encoder instead of the one the settings name.
    weights : mapping or str, optional
        Fusion weights (default: the settings').

    Returns
    -------
    dict
        ``{"channels": {name: {"ndcg@10", "mrr@10", "recall@10"}, ..., "fused": {...}},
        "ablation": {"fused-<channel>": {...}}, "queries": [{"id", "ndcg@10", ...,
        "ranking": [...]}], "encoder": name, "weights": {...}}``. Channels alone are
        ``channels[<name>]``; ``fused`` is the full ranking.
    """
    from matchmaker.ingest import import_file
    from matchmaker.instance import init_instance
    from matchmaker.storage import Database

    queries = read_queries(queries_jsonl)
    with tempfile.TemporaryDirectory(prefix="matchmaker-eval-") as tmp:
        base = settings or Settings.load()
        run_settings = Settings.load(
            environ={},
            overrides={
                **{f: getattr(base, f) for f in base.field_names()},
                "instance_path": Path(tmp),
                "database_url": f"sqlite:///{Path(tmp) / 'eval.sqlite3'}",
            },
        )
        database = Database(run_settings.database_url)
        try:
            init_instance(database, run_settings)
            with database.session(actor="valutazione") as session:
                import_file(session, "organisations", catalog_csv)
            kwargs = {} if encoder is None else {"encoder": encoder}
            engine = MatchEngine(database, run_settings, **kwargs)
            spec = weights if weights is not None else run_settings.match_weights
            fused = engine.channels.parse_weights(spec)
            return _run(engine, queries, fused, k)
        finally:
            database.dispose()


def _run(engine: MatchEngine, queries: list[dict], fused: dict[str, float], k: int) -> dict:
    engine.index  # noqa: B018 - build before timing-insensitive loops
    # channels that can rank alone here: the gold set has no asking organisation
    active = set(engine.channels.available({"encoder"} if engine.encoder is not None else ()))
    variants = _variants(fused, active, engine.channels)
    per_variant: dict[str, list[dict]] = {name: [] for name in variants}
    per_query = []
    for item in queries:
        query = MatchQuery(
            text=item["text"],
            districts=tuple([item["district"]] if item.get("district") else ()),
            kinds=tuple([item["kind"]] if item.get("kind") else EVAL_KINDS),
            top_k=k,
        )
        relevant = {str(t): int(g) for t, g in item.get("relevant", {}).items()}
        row: dict[str, Any] = {"id": item["id"], "text": item["text"]}
        for name, w in variants.items():
            try:
                ranking = [r.tax_code for r in engine.search(query, weights=w)]
            except ValueError:
                if name == "fused":
                    raise
                ranking = []  # a channel alone that does not apply (no place named): no ranking
            m = metrics_at_k(ranking, relevant, k)
            per_variant[name].append(m)
            if name == "fused":
                row.update(m)
                row["ranking"] = ranking
                row["relevant"] = relevant
                row["missed"] = [t for t in relevant if t not in ranking]
        per_query.append(row)
    summary = {
        name: {key: round(sum(m[key] for m in ms) / len(ms), 4) for key in ms[0]}
        for name, ms in per_variant.items()
        if ms
    }
    return {
        "channels": {n: v for n, v in summary.items() if not n.startswith("fused-")},
        "ablation": {n: v for n, v in summary.items() if n.startswith("fused-")},
        "queries": per_query,
        "encoder": engine.encoder.name if engine.encoder is not None else None,
        "weights": fused,
        "k": k,
    }
