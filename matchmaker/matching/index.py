"""The in-memory matching index: one slot per organisation, arrays for every channel.

Dense vectors live in a float32 matrix (whole profiles) and a chunk matrix (sentences)
with per-slot offsets; both grow by doubling and are updated in place. Sentence rows of
an updated profile are appended (the old ones become garbage until the next load). The
lexical channel keeps a *main* segment, transposed (n-gram x slot) so that a query only
walks the posting lists of its own n-grams, and a small *delta* of rows re-weighted since
the load, which overrides the main segment for those slots.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import numpy as np
import scipy.sparse as sp

from matchmaker.domain import OrgKind
from matchmaker.matching.lexical import CharTfidf
from matchmaker.matching.places import Gazetteer
from matchmaker.matching.profiles import Profile
from matchmaker.matching.store import ProfileVectors
from matchmaker.matching.themes import ThemeSpace

__all__ = ["KINDS", "POSTING_BUDGET", "MatchIndex"]

_PUBLIC = "public"
#: most postings a query walks in the lexical channel; past it the most common of its
#: n-grams are skipped (not reached on catalogues of a few thousand profiles)
POSTING_BUDGET = 400_000
#: kinds of organisation, stored per slot as their position here
KINDS = tuple(k.value for k in OrgKind)


class MatchIndex:
    """Arrays of all indexed profiles.

    Parameters
    ----------
    dim : int or None
        Vector size of the encoder (None: no semantic channel).
    themes : ThemeSpace
    gazetteer : Gazetteer
    lexical : CharTfidf, optional
    """

    def __init__(
        self,
        dim: int | None,
        themes: ThemeSpace,
        gazetteer: Gazetteer,
        lexical: CharTfidf | None = None,
    ) -> None:
        self.dim = dim
        self.theme_space = themes
        self.gazetteer = gazetteer
        self.lexical = lexical or CharTfidf()
        self.size = 0
        self.slot_of: dict[int, int] = {}
        self.slot_of_tax: dict[str, int] = {}
        self.profiles: list[Profile | None] = []
        cap = 16
        self.alive = np.zeros(cap, dtype=bool)
        self.kinds = np.zeros(cap, dtype=np.int8)
        self.org_ids = np.zeros(cap, dtype=np.int64)
        self.public = np.zeros(cap, dtype=bool)
        self.theme_matrix = np.zeros((cap, len(themes.codes)), dtype=np.float32)
        self.vectors = np.zeros((cap, dim or 1), dtype=np.float32)
        self.chunk_vectors = np.zeros((cap * 4, dim or 1), dtype=np.float32)
        self.chunk_count = 0
        self.chunk_start = np.zeros(cap, dtype=np.int64)
        self.chunk_end = np.zeros(cap, dtype=np.int64)
        self._places: list[np.ndarray] = []
        self._places_csr: sp.csr_matrix | None = None
        self._themes_csr: sp.csr_matrix | None = None
        self._lex_main: sp.csr_matrix | None = None  # features x slots
        self._lex_main_slots = 0
        self._lex_delta: dict[int, sp.csr_matrix] = {}
        self._lex_delta_matrix: tuple[np.ndarray, sp.csr_matrix] | None = None

    # -- building ----------------------------------------------------------------------

    def build(self, profiles: Sequence[Profile], vectors: dict[int, ProfileVectors]) -> None:
        """Fill the index from scratch (fits the lexical idf on these profiles)."""
        counts = self.lexical.counts([p.text for p in profiles])
        self.lexical.fit(counts)
        for profile in profiles:
            self._put(profile, vectors.get(profile.org_id))
        weighted = self.lexical.weight(counts)
        slots = np.array([self.slot_of[p.org_id] for p in profiles], dtype=np.int64)
        order = np.empty(self.size, dtype=np.int64)
        order[slots] = np.arange(len(profiles))
        rows = weighted[order] if len(profiles) else weighted
        self._lex_main = rows.T.tocsr()
        self._lex_main.sort_indices()
        self._lex_main.has_canonical_format = True  # sorted, no duplicates (from CSR rows)
        self._lex_main_slots = self.size
        self._lex_delta.clear()
        self._lex_delta_matrix = None
        self._places_csr = None
        self._themes_csr = None
        labels = self.lexical.weight(self.lexical.counts(self.theme_space.labels), query=True)
        self.theme_space.label_lexical = labels.T.tocsr()  # n-grams x themes

    def upsert(self, profiles: Sequence[Profile], vectors: dict[int, ProfileVectors]) -> None:
        """Add or replace profiles (their lexical rows go to the delta segment)."""
        if self.lexical.idf_ is None:
            self.build(profiles, vectors)
            return
        if not profiles:
            return
        weighted = self.lexical.weight(self.lexical.counts([p.text for p in profiles]))
        for i, profile in enumerate(profiles):
            slot = self._put(profile, vectors.get(profile.org_id))
            self._lex_delta[slot] = weighted[i]
        self._lex_delta_matrix = None
        self._places_csr = None
        self._themes_csr = None

    def remove(self, org_ids: Iterable[int]) -> None:
        """Forget organisations (their slots stay, marked dead)."""
        for org_id in org_ids:
            slot = self.slot_of.pop(org_id, None)
            if slot is not None:
                old = self.profiles[slot]
                if old is not None:
                    self.slot_of_tax.pop(old.tax_code, None)
                self.alive[slot] = False
                self.profiles[slot] = None

    def _grow(self, rows: int) -> None:
        cap = self.alive.shape[0]
        if rows <= cap:
            return
        new = max(rows, cap * 2)
        self.alive = _resize(self.alive, new)
        self.kinds = _resize(self.kinds, new)
        self.org_ids = _resize(self.org_ids, new)
        self.public = _resize(self.public, new)
        self.theme_matrix = _resize(self.theme_matrix, new)
        self.vectors = _resize(self.vectors, new)
        self.chunk_start = _resize(self.chunk_start, new)
        self.chunk_end = _resize(self.chunk_end, new)

    def _put(self, profile: Profile, vectors: ProfileVectors | None) -> int:
        slot = self.slot_of.get(profile.org_id)
        if slot is None:
            slot = self.size
            self._grow(slot + 1)
            self.size += 1
            self.slot_of[profile.org_id] = slot
            self.profiles.append(profile)
            self._places.append(np.zeros(0, dtype=np.int64))
        old = self.profiles[slot]
        if old is not None and old.tax_code != profile.tax_code:
            self.slot_of_tax.pop(old.tax_code, None)
        self.profiles[slot] = profile
        self.slot_of_tax[profile.tax_code] = slot
        self.alive[slot] = True
        self.org_ids[slot] = profile.org_id
        self.kinds[slot] = KINDS.index(profile.kind) if profile.kind in KINDS else -1
        self.public[slot] = profile.sector == _PUBLIC
        self.theme_matrix[slot] = self.theme_space.one_hot(profile.themes)
        index = self.gazetteer.index
        self._places[slot] = np.array(
            [index[c] for c in profile.comuni if c in index], dtype=np.int64
        )
        if self.dim and vectors is not None:
            self.vectors[slot] = vectors.whole
            n = vectors.chunks.shape[0]
            need = self.chunk_count + n
            if need > self.chunk_vectors.shape[0]:
                self.chunk_vectors = _resize(
                    self.chunk_vectors, max(need, 2 * self.chunk_vectors.shape[0])
                )
            self.chunk_vectors[self.chunk_count : need] = vectors.chunks
            self.chunk_start[slot], self.chunk_end[slot] = self.chunk_count, need
            self.chunk_count = need
        return slot

    # -- channels over all slots -------------------------------------------------------------

    def semantic(self, query_vector: np.ndarray) -> np.ndarray:
        """Cosine of the query with every whole-profile vector."""
        return self.vectors[: self.size] @ query_vector

    def sentence(self, query_vector: np.ndarray, slots: np.ndarray) -> np.ndarray:
        """Best sentence cosine of the query for each slot in ``slots`` (-1 for none)."""
        starts, ends = self.chunk_start[slots], self.chunk_end[slots]
        lengths = ends - starts
        best = np.full(len(slots), -1.0, dtype=np.float32)
        total = int(lengths.sum())
        if total == 0:
            return best
        offsets = np.r_[0, np.cumsum(lengths)[:-1]]
        rows = np.repeat(starts - offsets, lengths) + np.arange(total)
        sims = self.chunk_vectors[rows] @ query_vector
        nonempty = lengths > 0
        best[nonempty] = np.maximum.reduceat(sims, offsets[nonempty])
        return best

    def best_chunk(self, query_vector: np.ndarray, slot: int) -> tuple[int, float] | None:
        """Position (within the profile) and cosine of the profile's best sentence."""
        start, end = int(self.chunk_start[slot]), int(self.chunk_end[slot])
        if end <= start:
            return None
        sims = self.chunk_vectors[start:end] @ query_vector
        i = int(np.argmax(sims))
        return i, float(sims[i])

    def lexical_scores(self, query_row: sp.csr_matrix) -> np.ndarray:
        """Cosine of the query's TF-IDF row with every profile."""
        out = np.zeros(self.size, dtype=np.float32)
        if query_row.nnz == 0 or self._lex_main is None:
            return out
        main = self._lex_main
        feats, values = query_row.indices, query_row.data
        df = main.indptr[feats + 1] - main.indptr[feats]
        order = np.argsort(df, kind="stable")  # rarest n-grams first
        keep = order[np.cumsum(df[order]) <= max(POSTING_BUDGET, int(df[order[0]]))]
        postings = main[feats[keep]]
        weights = np.repeat(values[keep], np.diff(postings.indptr)) * postings.data
        out[: main.shape[1]] = np.bincount(
            postings.indices, weights=weights, minlength=main.shape[1]
        )
        if self._lex_delta:
            if self._lex_delta_matrix is None:
                slots = np.fromiter(self._lex_delta, dtype=np.int64)
                rows = sp.vstack(list(self._lex_delta.values()))
                self._lex_delta_matrix = (slots, rows.T.tocsr())
            slots, matrix_t = self._lex_delta_matrix
            out[slots] = (query_row @ matrix_t).toarray().ravel()
        return out

    def territory(self, closeness: np.ndarray, *, nearest: bool = False) -> np.ndarray:
        """Best closeness over each profile's comuni (0 for profiles with none); with
        ``nearest``, the smallest value instead (for distances; inf for none)."""
        csr = self._places_matrix()
        out = np.full(self.size, np.inf if nearest else 0.0, dtype=np.float32)
        values = closeness[csr.indices]
        lengths = np.diff(csr.indptr)
        nonempty = lengths > 0
        if values.size:
            reducer = np.minimum if nearest else np.maximum
            out[nonempty] = reducer.reduceat(values, csr.indptr[:-1][nonempty])
        return out

    def kind_mask(self, kinds: Iterable[str]) -> np.ndarray:
        """Slots alive and of one of ``kinds``."""
        codes = [KINDS.index(k) for k in kinds if k in KINDS]
        return self.alive[: self.size] & np.isin(self.kinds[: self.size], codes)

    def theme_scores(self, query_themes: np.ndarray) -> np.ndarray:
        """Cosine of each profile's declared themes with the query's theme vector."""
        if self._themes_csr is None or self._themes_csr.shape[0] != self.size:
            self._themes_csr = sp.csr_matrix(self.theme_matrix[: self.size])
        return self._themes_csr @ query_themes

    def _places_matrix(self) -> sp.csr_matrix:
        if self._places_csr is None or self._places_csr.shape[0] != self.size:
            lengths = np.array([len(p) for p in self._places[: self.size]], dtype=np.int64)
            indptr = np.r_[0, np.cumsum(lengths)]
            indices = (
                np.concatenate(self._places[: self.size]) if self.size else np.zeros(0, np.int64)
            )
            data = np.ones(len(indices), dtype=np.float32)
            self._places_csr = sp.csr_matrix(
                (data, indices, indptr), shape=(self.size, len(self.gazetteer.codes))
            )
        return self._places_csr

    def places_of(self, slot: int) -> np.ndarray:
        return self._places[slot]

    def memory_bytes(self) -> int:
        """Bytes held by the arrays of the index (not counting Python objects)."""
        total = self.vectors.nbytes + self.chunk_vectors.nbytes + self.theme_matrix.nbytes
        if self._lex_main is not None:
            m = self._lex_main
            total += m.data.nbytes + m.indices.nbytes + m.indptr.nbytes
        return total


def _resize(array: np.ndarray, rows: int) -> np.ndarray:
    out = np.zeros((rows, *array.shape[1:]), dtype=array.dtype)
    if array.dtype == object:
        out = np.empty((rows, *array.shape[1:]), dtype=object)
    n = min(rows, array.shape[0])
    out[:n] = array[:n]
    return out
