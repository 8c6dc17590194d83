"""The lexical channel: TF-IDF on character n-grams, searchable with sparse products.

Character 3-5-grams inside word boundaries (scikit-learn ``char_wb``) match Italian
morphology (anziano/anziani, abitare/abitativo) and acronyms (ADI, SAD, RSA, NEET) without
a stemmer. Features are hashed (2^20 buckets), so new profiles need no refit; the idf is
fitted on the catalogue when the index loads and kept for later updates until the next load.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import scipy.sparse as sp
from sklearn.feature_extraction.text import HashingVectorizer

__all__ = ["CharTfidf"]


class CharTfidf:
    """Hashed character n-gram TF-IDF with sublinear term frequency and L2 rows.

    Parameters
    ----------
    ngram_range : tuple of int
        Character n-gram lengths.
    n_features : int
        Hash buckets.
    max_df : float
        Query n-grams present in more than this share of profiles are ignored at search
        time: they carry almost no weight and cost the most to look up.
    """

    def __init__(
        self,
        ngram_range: tuple[int, int] = (3, 5),
        n_features: int = 2**20,
        max_df: float = 0.5,
    ) -> None:
        self.ngram_range = ngram_range
        self.n_features = n_features
        self.max_df = max_df
        self._hasher = HashingVectorizer(
            analyzer="char_wb",
            ngram_range=ngram_range,
            n_features=n_features,
            alternate_sign=False,
            norm=None,
            lowercase=True,
            strip_accents="unicode",
            dtype=np.float32,
        )
        self.idf_: np.ndarray | None = None
        self.n_docs_ = 0

    def counts(self, texts: Sequence[str]) -> sp.csr_matrix:
        """Sublinear term frequencies ``1 + log(tf)`` of the texts (rows, not normalised)."""
        matrix = self._hasher.transform(list(texts)).tocsr()
        matrix.data = 1.0 + np.log(matrix.data)
        return matrix

    def fit(self, counts: sp.csr_matrix) -> CharTfidf:
        """Learn the idf from the term-frequency rows of a catalogue."""
        n = counts.shape[0]
        df = np.bincount(counts.indices, minlength=self.n_features).astype(np.float32)
        self.idf_ = (np.log((1.0 + n) / (1.0 + df)) + 1.0).astype(np.float32)
        self._common = df > self.max_df * max(n, 1) if n >= 20 else np.zeros_like(df, bool)
        self.n_docs_ = n
        return self

    def weight(self, counts: sp.csr_matrix, query: bool = False) -> sp.csr_matrix:
        """Apply the idf and L2-normalise rows; ``query=True`` drops very common n-grams."""
        if self.idf_ is None:
            raise RuntimeError("CharTfidf: fit() before weight()")
        matrix = counts.copy()
        matrix.data = matrix.data * self.idf_[matrix.indices]
        norms = np.sqrt(np.asarray(matrix.multiply(matrix).sum(axis=1)).ravel())
        norms[norms == 0] = 1.0
        matrix = sp.csr_matrix(sp.diags(1.0 / norms) @ matrix, dtype=np.float32)
        if query:
            keep = ~self._common[matrix.indices]
            matrix.data = matrix.data * keep
            matrix.eliminate_zeros()
        return matrix
