"""The themes channel: the candidate's declared themes against the query's theme vector.

The query's vector (:meth:`~matchmaker.matching.themes.ThemeSpace.query_vector`) mixes the
declared themes, the themes inferred from the text by the labels, and the declared themes
of the best candidates by the text channels (pseudo-relevance feedback).
"""

from __future__ import annotations

import numpy as np

from matchmaker.matching.channels.base import Run, Scored, Standardised
from matchmaker.matching.explain import THEME_MIN, SharedTheme, SharedThemes

__all__ = ["Themes"]


class Themes(Standardised):
    """Cosine of the declared themes with the query's theme vector, standardised."""

    name = "themes"
    label = "temi"
    default_weight = 1.0
    #: text channels whose z-scores (added) choose the candidates of the feedback
    feedback_from = ("semantic", "lexical")
    #: how many of the best candidates feed their themes back
    feedback_k = 5

    def scores(self, run: Run) -> Scored | None:
        space = run.index.theme_space
        declared = np.zeros(len(space.codes), dtype=np.float32)
        for code, weight in run.context.declared:
            if code in space.column:
                declared[space.column[code]] += weight
        if declared.any():
            declared /= np.linalg.norm(declared)
        labels = (
            space.from_labels(run.vectors.dense, run.vectors.lexical)
            if run.context.text
            else declared * 0
        )
        text = [run.z(name) for name in self.feedback_from if run.scored(name) is not None]
        if text:
            base = sum(text)
            k = min(self.feedback_k, run.candidates.size)
            best = np.argpartition(-base, k - 1)[:k]
            rows = run.index.theme_matrix[run.candidates[best]]
            feedback = space.feedback(base[best], rows)
        else:
            feedback = declared * 0
        vector = space.query_vector(declared, labels, feedback)
        if not vector.any():
            return None
        return Scored(run.index.theme_scores(vector), detail=vector)

    def explain(self, run: Run, slot: int, scored: Scored) -> SharedThemes:
        space, vector = run.index.theme_space, scored.detail
        profile = run.index.profiles[slot]
        assert profile is not None
        return SharedThemes(
            tuple(
                SharedTheme(code, space.labels[space.column[code]])
                for code in profile.themes
                if code in space.column and vector[space.column[code]] >= THEME_MIN
            )
        )
