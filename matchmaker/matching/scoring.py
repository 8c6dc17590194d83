"""One search scored on arrays: candidates, channel scores, fusion, re-ranking by sentences.

:func:`rank` is pure: it reads a :class:`~matchmaker.matching.context.QueryContext`, the
index's arrays and the encoded need (:class:`~matchmaker.matching.channels.base.QueryVectors`),
never a database session nor a model. Stage 1 scores every candidate on the filter- and
profile-phase channels (semantic, lexical, themes, territory, network) with vectorised
array operations. Stage 2 takes the best :data:`POOL` candidates of stage 1 (all of them in
a small catalogue) and adds the pool-phase channels (the sentence channel: the best cosine
between the need and any sentence of the profile). Explanations come after
(:func:`matchmaker.matching.results.to_results`).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from typing import TYPE_CHECKING

import numpy as np

from matchmaker.matching.channels.base import QueryVectors, Run
from matchmaker.matching.fusion import fuse
from matchmaker.matching.registry import DEFAULT_CHANNELS, ChannelSet

if TYPE_CHECKING:
    from matchmaker.matching.context import QueryContext
    from matchmaker.matching.index import MatchIndex

__all__ = ["CAPACITY_FLAG", "POOL", "Hit", "QueryVectors", "Ranking", "rank"]

#: candidates re-ranked with the pool-phase channels (sentence-level matching)
POOL = 300
#: flag of candidates with no room left in the query's round and measure
CAPACITY_FLAG = "capienza_esaurita"


@dataclasses.dataclass(frozen=True)
class Hit:
    """One ranked candidate.

    Attributes
    ----------
    slot : int
        Its slot in the index.
    score : float
        Fused score in [0, 1] (not rounded).
    channels : dict of str to float
        Each active channel's contribution ``w * value / sum(w)``, in report order; they
        add up to ``score``.
    flags : tuple of str
    """

    slot: int
    score: float
    channels: dict[str, float]
    flags: tuple[str, ...] = ()


@dataclasses.dataclass(frozen=True)
class Ranking:
    """The best candidates, best first, and the search they came from (for explanations)."""

    hits: tuple[Hit, ...]
    run: Run
    channels: ChannelSet


def rank(
    context: QueryContext,
    index: MatchIndex,
    vectors: QueryVectors,
    weights: Mapping[str, float],
    channels: ChannelSet = DEFAULT_CHANNELS,
) -> Ranking:
    """Score, fuse and re-rank the candidates of a query (see the module docstring).

    Parameters
    ----------
    context : QueryContext
        The query and what the database says about it.
    index : MatchIndex
    vectors : QueryVectors
        The need text encoded (dense may be None: no semantic channels).
    weights : mapping of str to float
        Fusion weights by channel name (missing: 0).
    channels : ChannelSet, optional

    Returns
    -------
    Ranking
        Up to ``context.query.top_k`` hits; none when no candidate is left.

    Raises
    ------
    ValueError
        When no channel that applies has a weight above 0.
    """
    run = Run(context, index, vectors, weights)
    query = context.query
    for code in context.exclude:
        slot = index.slot_of_tax.get(code)
        if slot is not None:
            run.allowed[slot] = False
    for org_id in context.at_capacity:
        slot = index.slot_of.get(org_id)
        if slot is not None:
            run.flag(slot, CAPACITY_FLAG)
            if query.exclude_at_capacity:
                run.allowed[slot] = False
    for channel in channels.phase("filter"):
        run.add(channel.name, channel.scores(run))
    candidates = run.fix_candidates()
    if candidates.size == 0:
        return Ranking((), run, channels)
    for channel in channels.phase("profile"):
        run.add(channel.name, channel.scores(run))

    def weighted(name: str) -> bool:
        return weights.get(name, 0) > 0

    # stage 1: the sums follow the order in which the scores became available
    norm = {
        name: channels[name].normalise(run, run.raw(name))  # type: ignore[arg-type]
        for name in run.settle()
        if weighted(name)
    }
    second = [c for c in channels.phase("pool") if weighted(c.name) and c.applies(run)]
    if not norm and not second:
        raise ValueError("nessun canale attivo: tutti i pesi dei canali applicabili sono zero")
    stage1 = fuse(norm, weights, candidates.size)
    if not norm:  # pool channels alone: pool by what they refine
        hints = (c.preselect(run) for c in second)
        stage1 = next((h for h in hints if h is not None), stage1)
    if candidates.size > POOL:
        run.pool = np.argpartition(-stage1, POOL - 1)[:POOL]
    else:
        run.pool = np.arange(candidates.size)

    # stage 2
    pooled = {name: values[run.pool] for name, values in norm.items()}
    for channel in second:
        scored = channel.scores(run)
        run.add(channel.name, scored)
        if scored is not None:
            pooled[channel.name] = channel.normalise(run, run.raw(channel.name))  # type: ignore[arg-type]
    final = fuse(pooled, weights, run.pool.size)
    k = min(query.top_k, run.pool.size)
    slots = run.pool_slots
    top = np.argpartition(-final, k - 1)[:k]
    top = top[np.lexsort((slots[top], -final[top]))]
    total = sum(weights[c] for c in pooled)
    hits = []
    for i in top:
        slot = int(slots[i])
        contributions = {
            c: float(weights[c] * pooled[c][i] / total) for c in channels.names if c in pooled
        }
        hits.append(Hit(slot, float(final[i]), contributions, tuple(run.flags.get(slot, ()))))
    return Ranking(tuple(hits), run, channels)
