"""The lexical channel: TF-IDF on character 3-5-grams (:mod:`matchmaker.matching.lexical`)."""

from __future__ import annotations

from matchmaker.matching.channels.base import Run, Scored, Standardised

__all__ = ["Lexical"]


class Lexical(Standardised):
    """Cosine of the need's TF-IDF row with every profile's, standardised."""

    name = "lexical"
    label = "parole in comune"
    default_weight = 1.0

    def applies(self, run: Run) -> bool:
        return run.vectors.lexical is not None

    def scores(self, run: Run) -> Scored | None:
        if run.vectors.lexical is None:
            return None
        return Scored(run.index.lexical_scores(run.vectors.lexical))
