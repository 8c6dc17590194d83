"""The network channel: ties to the asking organisation, or newcomers first.

Direct tie 1, friend of a friend 0.5, else 0; with ``prefer_newcomers``: in no ATS and
untied 1, tied 0, the rest 0.5 (see :mod:`matchmaker.matching.network`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from matchmaker.matching.channels.base import Bounded, Run, Scored
from matchmaker.matching.explain import NetworkReason

if TYPE_CHECKING:
    from matchmaker.matching.network import Ties

__all__ = ["Network", "network_scores"]


def network_scores(ties: Ties, ids: np.ndarray, newcomers: bool) -> np.ndarray:
    """Network score per organisation id, as :meth:`Ties.score` computes it one by one."""
    direct = np.isin(ids, list(ties.direct))
    second = np.isin(ids, list(ties.second))
    if newcomers:
        out = np.where(np.isin(ids, list(ties.in_any_ats)), 0.5, 1.0).astype(np.float32)
        out[second] = 0.5
        out[direct] = 0.0
    else:
        out = np.zeros(ids.size, dtype=np.float32)
        out[second] = 0.5
        out[direct] = 1.0
    return out


class Network(Bounded):
    """The asker's ties (or their absence), in [0, 1]."""

    name = "network"
    label = "rete"
    default_weight = 0.5
    requires = frozenset({"asker"})

    def applies(self, run: Run) -> bool:
        return run.context.ties is not None

    def scores(self, run: Run) -> Scored | None:
        ties = run.context.ties
        if ties is None:
            return None
        ids = run.index.org_ids[: run.size]
        return Scored(network_scores(ties, ids, run.query.prefer_newcomers))

    def explain(self, run: Run, slot: int, scored: Scored) -> NetworkReason:
        ties, profile = run.context.ties, run.index.profiles[slot]
        assert ties is not None
        assert profile is not None
        score, reason = ties.score(profile.org_id, run.query.prefer_newcomers)
        return NetworkReason(round(float(score), 4), reason)
