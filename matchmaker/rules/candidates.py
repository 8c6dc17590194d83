"""Where fixes and team proposals get their third-sector candidates from.

The rules package does not rank organisations itself: it asks a *candidate source*, a
callable ``(CandidateRequest) -> Sequence[Candidate]`` given to the service's constructor.

- :class:`MatchEngineCandidates` (the default) asks the matching engine
  (:class:`matchmaker.matching.MatchEngine`), loaded lazily on first use.
- :class:`DistrictRerank` wraps a source: it asks for a wider pool without the engine's
  territory channel and re-ranks it by presence in the ATS's districts (an option of the
  service, ``candidates="districts"``: on the demo data 81 % of its top 12 are the
  engine's own top 12, with slightly more local bodies).
- :class:`LexicalCandidates` needs no model: it ranks organisations by the overlap of their
  themes with the themes found in the need text, and by their presence in the districts. It
  is the offline fallback (``--no-model``) and makes tests deterministic.

:func:`detect_themes` finds which themes of the reference list a need text talks about.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Callable, Mapping, Sequence
from typing import Any, Protocol

from matchmaker.rules.world import World, fold_text

__all__ = [
    "Candidate",
    "CandidateRequest",
    "CandidateSource",
    "DistrictRerank",
    "LexicalCandidates",
    "MatchEngineCandidates",
    "detect_themes",
]


@dataclasses.dataclass(frozen=True)
class CandidateRequest:
    """What is asked of a candidate source."""

    text: str
    districts: tuple[str, ...]
    kinds: tuple[str, ...] = ("ets",)
    top_k: int = 20
    exclude_tax_codes: tuple[str, ...] = ()
    for_tax_code: str | None = None
    call_round: int | None = None
    measure: int | None = None
    territory: str = "soft"  # passed to the matching engine: soft, hard or off


@dataclasses.dataclass(frozen=True)
class Candidate:
    """A ranked organisation: tax code, relevance in [0, 1], why (free-form)."""

    tax_code: str
    score: float
    explanation: Mapping[str, Any] = dataclasses.field(default_factory=dict)


class CandidateSource(Protocol):
    def __call__(self, request: CandidateRequest) -> Sequence[Candidate]: ...


_STOP = {
    "alla", "alle", "allo", "anche", "come", "con", "dei", "del", "della", "delle", "dello",
    "per", "tra", "una", "uno", "che", "nel", "nella", "nelle", "sul", "sulla", "and", "for",
    "the", "with", "servizi", "servizio", "sostegno", "contrasto", "persone", "cittadini",
    "sociale", "sociali", "progetto", "progetti", "territorio", "territori", "support",
    "services", "social", "fighting",
}  # fmt: skip
_TOKEN = re.compile(r"[a-z0-9]+")


def _stems(text: str) -> set[str]:
    return {t[:6] for t in _TOKEN.findall(fold_text(text)) if len(t) >= 4 and t not in _STOP}


def detect_themes(text: str, themes: Mapping[str, Sequence[str]]) -> tuple[str, ...]:
    """Codes of the themes whose labels share a significant word stem with ``text``.

    Parameters
    ----------
    text : str
        The need, in Italian (English works for the English labels).
    themes : mapping
        Theme code -> labels (Italian, English...).

    Examples
    --------
    >>> detect_themes("anziani soli a domicilio", {"domiciliarita": ["Domiciliarità"],
    ...     "giovani": ["Giovani e NEET"]})
    ('domiciliarita',)
    """
    words = _stems(text)
    out = []
    for code, labels in themes.items():
        stems = set().union(*(_stems(label) for label in labels)) | _stems(code)
        if stems & words:
            out.append(code)
    return tuple(out)


class LexicalCandidates:
    """Rank organisations by theme overlap with the need and presence in the districts.

    score = 0.7 * (needed themes the organisation declares / needed themes)
          + 0.3 * (1 if its seat or a served comune lies in a requested district).
    Ties are broken by tax code, so the ranking is deterministic.
    """

    def __init__(self, world: World, themes: Mapping[str, Sequence[str]]) -> None:
        self.world = world
        self.themes = themes

    def __call__(self, request: CandidateRequest) -> list[Candidate]:
        needed = set(detect_themes(request.text, self.themes))
        covered = self.world.comuni_of(request.districts)
        excluded = set(request.exclude_tax_codes)
        scored = []
        for org in self.world.orgs.values():
            if org.kind.value not in request.kinds or org.tax_code in excluded:
                continue
            overlap = sorted(needed & org.themes)
            local = bool(covered & ({org.seat} | set(org.served)))
            theme_part = len(overlap) / len(needed) if needed else 0.0
            score = round(0.7 * theme_part + 0.3 * local, 6)
            why = {"themes": overlap, "in_district": local}
            scored.append(Candidate(org.tax_code, score, why))
        scored.sort(key=lambda c: (-c.score, c.tax_code))
        return scored[: request.top_k]


class MatchEngineCandidates:
    """Candidates from the matching engine (:mod:`matchmaker.matching`), built lazily.

    Parameters
    ----------
    database : Database
    settings : Settings, optional
    encoder : optional
        An encoder for the engine (tests pass a fake one); default (None) the engine's
        own choice, i.e. the configured model.
    engine_factory : callable, optional
        Builds the engine from ``(database, settings, encoder)``; default ``MatchEngine``.
    """

    def __init__(
        self,
        database: Any,
        settings: Any = None,
        encoder: Any = None,
        engine_factory: Callable[..., Any] | None = None,
    ) -> None:
        self.database = database
        self.settings = settings
        self.encoder = encoder
        self._factory = engine_factory
        self._engine: Any = None

    @property
    def engine(self) -> Any:
        if self._engine is None:
            factory = self._factory
            if factory is None:
                from matchmaker.matching import MatchEngine

                factory = MatchEngine
            kwargs = {"encoder": self.encoder} if self.encoder is not None else {}
            self._engine = factory(self.database, settings=self.settings, **kwargs)
        return self._engine

    def __call__(self, request: CandidateRequest) -> list[Candidate]:
        from matchmaker.matching import MatchQuery

        query = MatchQuery(
            text=request.text,
            for_tax_code=request.for_tax_code,
            districts=tuple(request.districts),
            kinds=tuple(request.kinds),
            top_k=request.top_k,
            exclude_tax_codes=tuple(request.exclude_tax_codes),
            call_round=request.call_round,
            measure=request.measure,
            exclude_at_capacity=True,
            territory=request.territory,
        )
        results = self.engine.search(query)
        return [
            Candidate(
                r.tax_code,
                float(r.score),
                {"channels": dict(getattr(r, "channels", {}) or {}), "flags": list(r.flags)},
            )
            for r in results
        ]


class DistrictRerank:
    """Re-rank a source's candidates by their presence in the requested districts.

    The wrapped source is asked for ``pool`` candidates with ``territory="off"``; each gets
    ``(1 - weight) * score + weight * local`` where ``local`` is 1 when its seat or a served
    comune lies in a requested district, 0.5 in a neighbouring district, 0 otherwise.

    Parameters
    ----------
    source : CandidateSource
    world : World
    weight : float
        Weight of the district presence, in [0, 1].
    pool : int
        How many candidates to ask the source for (at least the request's ``top_k``).
    """

    def __init__(
        self, source: CandidateSource, world: World, weight: float = 0.25, pool: int = 40
    ) -> None:
        self.source = source
        self.world = world
        self.weight = weight
        self.pool = pool

    def local(self, tax_code: str, districts: Sequence[str]) -> float:
        """1 in the districts, 0.5 in a neighbouring district, else 0."""
        org = self.world.orgs.get(tax_code)
        if org is None:
            return 0.0
        places = {org.seat} | set(org.served)
        if places & self.world.comuni_of(districts):
            return 1.0
        near = set().union(*(self.world.district_neighbours(d) for d in districts))
        return 0.5 if places & self.world.comuni_of(near) else 0.0

    def __call__(self, request: CandidateRequest) -> list[Candidate]:
        wide = dataclasses.replace(request, territory="off", top_k=max(self.pool, request.top_k))
        out = []
        for cand in self.source(wide):
            local = self.local(cand.tax_code, request.districts)
            score = (1 - self.weight) * float(cand.score) + self.weight * local
            why = {**dict(cand.explanation), "district_presence": local}
            out.append(Candidate(cand.tax_code, round(score, 6), why))
        out.sort(key=lambda c: (-c.score, c.tax_code))
        return out[: request.top_k]
