"""Themes of a need: declared, inferred from the text, and fed back from the best matches.

The query's theme vector (over the taxonomy of ``data/reference/themes.csv``) mixes:

- declared themes (``MatchQuery.themes``, or the asking organisation's themes);
- label inference: the need's similarity to each theme label, by the semantic encoder and
  by character TF-IDF, standardised and added; the three best themes are kept with softmax
  weights;
- pseudo-relevance feedback: the declared themes of the five best candidates by the text
  channels (semantic + lexical), weighted by a softmax of their scores.

Label inference and feedback count half each. A candidate's theme score is the cosine
between its declared themes and that vector.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import scipy.sparse as sp

__all__ = ["ThemeSpace"]

_TOP_LABELS = 3


class ThemeSpace:
    """The theme taxonomy as vectors, and the inference of a query's themes.

    Parameters
    ----------
    codes : sequence of str
        Theme codes, in column order.
    labels : sequence of str
        Italian labels, same order.
    """

    def __init__(self, codes: Sequence[str], labels: Sequence[str]) -> None:
        self.codes = list(codes)
        self.labels = list(labels)
        self.column = {code: i for i, code in enumerate(self.codes)}
        self.label_vectors: np.ndarray | None = None
        self.label_lexical: sp.csr_matrix | None = None  # n-grams x themes (transposed)

    def one_hot(self, themes: Sequence[str]) -> np.ndarray:
        """Unit-norm row for a set of theme codes (unknown codes ignored)."""
        row = np.zeros(len(self.codes), dtype=np.float32)
        for code in themes:
            if code in self.column:
                row[self.column[code]] = 1.0
        norm = np.linalg.norm(row)
        return row / norm if norm else row

    def from_labels(self, query_vector: np.ndarray | None, query_lexical: sp.csr_matrix | None):
        """Theme weights inferred from the similarity of the need to the labels."""
        total = np.zeros(len(self.codes), dtype=np.float32)
        used = False
        if query_vector is not None and self.label_vectors is not None:
            total += _standardise(self.label_vectors @ query_vector)
            used = True
        if query_lexical is not None and self.label_lexical is not None and query_lexical.nnz:
            total += _standardise((query_lexical @ self.label_lexical).toarray().ravel())
            used = True
        if not used:
            return total * 0
        top = np.argsort(-total)[:_TOP_LABELS]
        out = np.zeros_like(total)
        out[top] = np.exp(total[top] - total[top].max())
        return out / np.linalg.norm(out)

    @staticmethod
    def feedback(scores: np.ndarray, themes: np.ndarray) -> np.ndarray:
        """Theme weights of the best candidates (pseudo-relevance feedback).

        Parameters
        ----------
        scores : array
            Text scores of the best candidates (softmax weights).
        themes : array
            Their theme rows.
        """
        if scores.size == 0:
            return np.zeros(themes.shape[1], dtype=np.float32)
        weights = np.exp(scores - scores.max())
        out = (themes * weights[:, None]).sum(axis=0)
        norm = np.linalg.norm(out)
        return (out / norm if norm else out).astype(np.float32)

    def query_vector(
        self, declared: np.ndarray, labels: np.ndarray, feedback: np.ndarray
    ) -> np.ndarray:
        """The query's theme vector: declared themes plus half labels, half feedback."""
        out = declared + 0.5 * labels + 0.5 * feedback
        norm = np.linalg.norm(out)
        return (out / norm if norm else out).astype(np.float32)


def _standardise(values: np.ndarray) -> np.ndarray:
    std = values.std()
    return ((values - values.mean()) / std if std > 1e-9 else values * 0).astype(np.float32)
