"""The sentence channel: the best cosine of the need with any sentence of the profile.

Scored in the second stage, on the pool only. Its z-score is computed against a fixed
sample of the candidates plus the pool, so that a large catalogue is normalised like a
small one. The sentence is shown in the explanation.
"""

from __future__ import annotations

import numpy as np

from matchmaker.matching.channels.base import ChannelBase, Run, Scored
from matchmaker.matching.explain import BestSentence
from matchmaker.matching.fusion import squash, zscore

__all__ = ["SAMPLE", "Sentence"]

#: candidates outside the pool whose sentences standardise the pool's
SAMPLE = 300


class Sentence(ChannelBase):
    """Best sentence cosine, standardised against a sample of the candidates."""

    name = "sentence"
    label = "frase più vicina"
    default_weight = 0.5
    phase = "pool"
    requires = frozenset({"encoder"})
    normalisation = "z-score"
    #: the whole-profile channel that chooses the pool when no other channel is weighted
    refines = "semantic"

    def applies(self, run: Run) -> bool:
        return run.vectors.dense is not None

    def preselect(self, run: Run) -> np.ndarray | None:
        raw = run.raw(self.refines)
        return None if raw is None else run.of_candidates(raw)

    def scores(self, run: Run) -> Scored | None:
        if run.vectors.dense is None:
            return None
        return Scored(run.index.sentence(run.vectors.dense, run.pool_slots))

    def normalise(self, run: Run, raw: np.ndarray) -> np.ndarray:
        candidates, stats = run.candidates, run.stats
        if run.pool.size < candidates.size or stats is not None:
            population_slots = candidates if stats is None else stats
            step = max(1, population_slots.size // SAMPLE)
            sample = population_slots[::step][:SAMPLE]
            population = np.concatenate([run.index.sentence(run.vectors.dense, sample), raw])
        else:
            population = raw
        return squash(zscore(raw, population))

    def explain(self, run: Run, slot: int, scored: Scored) -> BestSentence | None:
        assert run.vectors.dense is not None
        found = run.index.best_chunk(run.vectors.dense, slot)
        profile = run.index.profiles[slot]
        if found is None or profile is None or found[0] >= len(profile.chunks):
            return None
        return BestSentence(profile.chunks[found[0]], round(float(found[1]), 4))
