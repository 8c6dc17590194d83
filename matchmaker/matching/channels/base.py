"""What a channel is (:class:`Channel`), and what it sees of one search (:class:`Run`).

A channel is one signal of the fused score, one unit with:

- ``name``: its key in the weights, in ``MatchResult.channels`` and in the JSON;
- ``label``: Italian, for the explanation ("Contributo principale: temi");
- ``default_weight``; ``requires``: what it needs, ``"encoder"`` (a sentence encoder) or
  ``"asker"`` (an asking organisation or ``prefer_newcomers``), so that an evaluation
  knows which channels can be ranked alone;
- ``phase``, when it is scored:

  - ``"filter"``: over every profile, before the candidates are fixed; it may narrow
    ``run.allowed`` and flag profiles (territory: hard filter, radius, public bodies
    outside the territory);
  - ``"profile"``: over every profile, once the candidates are known;
  - ``"pool"``: over the pool only (the best :data:`~matchmaker.matching.scoring.POOL`
    candidates by the other channels), and only when weighted: the costly ones (sentence);

- ``scores(run)``: raw scores (a :class:`Scored`), or None when it does not apply to this
  query; ``normalise(run, raw)``: the candidates' raw scores mapped into [0, 1] (``normalisation``
  names how: ``"z-score"``, ``"bounded"``); ``explain(run, slot, scored)``: its piece of the
  explanation of one candidate, or None.

Filter- and profile-phase channels are scored even when their weight is 0 (their scores
may filter, flag, feed another channel or explain); only weighted ones enter the fusion.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from concurrent.futures import Future
from typing import TYPE_CHECKING, Any, ClassVar, Literal, Protocol

import numpy as np

from matchmaker.matching.fusion import squash, zscore

if TYPE_CHECKING:
    import scipy.sparse as sp

    from matchmaker.matching.context import QueryContext
    from matchmaker.matching.explain import Piece
    from matchmaker.matching.index import MatchIndex

__all__ = [
    "MIN_POPULATION",
    "Bounded",
    "Channel",
    "ChannelBase",
    "Phase",
    "QueryVectors",
    "Run",
    "Scored",
    "Standardised",
]

Phase = Literal["filter", "profile", "pool"]
#: with fewer candidates than this, scores are standardised over every profile instead
MIN_POPULATION = 30


@dataclasses.dataclass(frozen=True)
class QueryVectors:
    """The need text encoded: dense (the sentence encoder's) and lexical (TF-IDF row)."""

    dense: np.ndarray | None = None
    lexical: sp.csr_matrix | None = None


@dataclasses.dataclass(frozen=True)
class Scored:
    """A channel's raw scores for one query (a future while computed on another thread),
    and whatever else its explanation needs (``detail``)."""

    values: np.ndarray | Future
    detail: Any = None


class Run:
    """One search in progress: its inputs, its candidates and the channels' scores so far.

    Parameters
    ----------
    context : QueryContext
    index : MatchIndex
    vectors : QueryVectors
    weights : mapping of str to float
    """

    def __init__(
        self,
        context: QueryContext,
        index: MatchIndex,
        vectors: QueryVectors,
        weights: Mapping[str, float],
    ) -> None:
        self.context = context
        self.query = context.query
        self.index = index
        self.vectors = vectors
        self.weights = weights
        self.size = index.size
        #: slots still eligible (kinds, exclusions, capacity, filters)
        self.allowed = index.kind_mask(self.query.kinds)
        #: rule flags by slot
        self.flags: dict[int, list[str]] = {}
        #: slots of the candidates, once fixed
        self.candidates = np.zeros(0, dtype=np.int64)
        #: positions (into ``candidates``) of the pool, once chosen
        self.pool = np.zeros(0, dtype=np.int64)
        self._every = False
        self._stats: np.ndarray | None = None
        self._scored: dict[str, Scored] = {}
        self._raw: dict[str, np.ndarray] = {}  # in the order the scores became available
        self._z: dict[str, np.ndarray] = {}

    # -- candidates -----------------------------------------------------------------------

    def flag(self, slot: int, flag: str) -> None:
        """Add a rule flag to a slot."""
        self.flags.setdefault(slot, []).append(flag)

    def fix_candidates(self) -> np.ndarray:
        """The candidates are the allowed slots from now on."""
        self.candidates = np.flatnonzero(self.allowed)
        self._every = self.candidates.size == self.size
        if self.candidates.size < MIN_POPULATION:
            self._stats = np.flatnonzero(self.index.alive[: self.size])
        return self.candidates

    @property
    def stats(self) -> np.ndarray | None:
        """Slots whose scores standardise the candidates' (None: the candidates)."""
        return self._stats

    @property
    def pool_slots(self) -> np.ndarray:
        return self.candidates[self.pool]

    def of_candidates(self, values: np.ndarray) -> np.ndarray:
        """The candidates' entries of an array over every slot."""
        return values if self._every else values[self.candidates]

    def standardised(self, values: np.ndarray) -> np.ndarray:
        """z-scores of the candidates' values, by the statistics of the candidates or, when
        they are too few for a mean and a deviation to mean anything, of every profile."""
        population = None if self._stats is None else values[self._stats]
        return zscore(self.of_candidates(values), population)

    # -- scores -----------------------------------------------------------------------------

    def add(self, name: str, scored: Scored | None) -> None:
        """Record a channel's scores (nothing when it does not apply)."""
        if scored is None:
            return
        self._scored[name] = scored
        if not isinstance(scored.values, Future):
            self._raw[name] = scored.values

    def scored(self, name: str) -> Scored | None:
        """What a channel scored for this query, None if it did not apply."""
        return self._scored.get(name)

    def raw(self, name: str) -> np.ndarray | None:
        """A channel's raw scores (waiting for them if they are computed elsewhere)."""
        if name not in self._raw and name in self._scored:
            self._raw[name] = self._scored[name].values.result()  # type: ignore[union-attr]
        return self._raw.get(name)

    def z(self, name: str) -> np.ndarray:
        """The candidates' standardised raw scores of a channel that applies (cached)."""
        if name not in self._z:
            raw = self.raw(name)
            assert raw is not None, name
            self._z[name] = self.standardised(raw)
        return self._z[name]

    def settle(self) -> list[str]:
        """Wait for every pending score; the channels scored, in the order their scores
        became available (the order of the fusion's sums)."""
        for name in self._scored:
            self.raw(name)
        return list(self._raw)


class Channel(Protocol):
    """One signal of the fused score (see the module docstring)."""

    name: str
    label: str
    default_weight: float
    phase: Phase
    requires: frozenset[str]
    normalisation: str

    def scores(self, run: Run) -> Scored | None: ...

    def normalise(self, run: Run, raw: np.ndarray) -> np.ndarray: ...

    def explain(self, run: Run, slot: int, scored: Scored) -> Piece | None: ...

    def applies(self, run: Run) -> bool:
        """Whether the query has what the channel needs (checked before a pool channel
        is scored; others may also return None from :meth:`scores`)."""
        ...

    def preselect(self, run: Run) -> np.ndarray | None:
        """Pool channels: the stage-1 scores of the candidates to choose the pool by when
        no other channel is weighted (None: no preference)."""
        ...


class ChannelBase:
    """Defaults of a channel: profile phase, bounded scores used as they are, no piece."""

    name: ClassVar[str] = ""
    label: ClassVar[str] = ""
    default_weight: ClassVar[float] = 1.0
    phase: ClassVar[Phase] = "profile"
    requires: ClassVar[frozenset[str]] = frozenset()
    normalisation: ClassVar[str] = "bounded"

    def applies(self, run: Run) -> bool:
        return True

    def scores(self, run: Run) -> Scored | None:  # pragma: no cover - abstract
        raise NotImplementedError

    def normalise(self, run: Run, raw: np.ndarray) -> np.ndarray:
        return run.of_candidates(raw)

    def explain(self, run: Run, slot: int, scored: Scored) -> Piece | None:
        return None

    def preselect(self, run: Run) -> np.ndarray | None:
        return None

    def __repr__(self) -> str:
        return f"<channel {self.name}>"


class Bounded(ChannelBase):
    """A channel whose raw scores are already in [0, 1]: used as they are."""


class Standardised(ChannelBase):
    """A channel standardised over the query's candidates and squashed into (0, 1)."""

    normalisation: ClassVar[str] = "z-score"

    def normalise(self, run: Run, raw: np.ndarray) -> np.ndarray:
        return squash(run.z(self.name))
