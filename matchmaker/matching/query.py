"""What a caller asks the matching engine, and what it gets back."""

from __future__ import annotations

import dataclasses
from typing import Any, Literal

from matchmaker.matching.explain import Explanation

__all__ = ["MatchQuery", "MatchResult"]


@dataclasses.dataclass(frozen=True)
class MatchQuery:
    """A request for partners.

    Attributes
    ----------
    text : str
        The need, in Italian (may be empty when ``for_tax_code`` is given).
    for_tax_code : str or None
        The organisation asking (an Ente Gestore, the capofila of a draft ATS, or an ETS
        looking for Enti Gestori): its profile, themes, territory and draft ATS enrich the
        query; it and the members of its draft ATS are left out of the results.
    districts : tuple of str
        District codes the partners should serve (a territory signal, or a filter with
        ``territory="hard"``).
    kinds : tuple of str
        Kinds of organisation to suggest (``ets``, ``impresa``, ``ente_gestore``...).
    top_k : int
        How many results.
    territory : {"soft", "hard", "off"}
        ``soft``: closeness adds to the score; ``hard``: only candidates near the named
        places (closeness >= 0.5, about 14 km or the same province); ``off``: ignored.
    radius_km : float or None
        With named places: keep only candidates within this distance of one of them.
    exclude_tax_codes : tuple of str
        Organisations never to suggest.
    call_round, measure : int or None
        When both are given, candidates at capacity for that round and measure (an ETS in
        two ATS, an Ente Gestore in one) are flagged ``capienza_esaurita``.
    exclude_at_capacity : bool
        Leave flagged candidates out instead of only flagging them.
    prefer_newcomers : bool
        The network channel rewards organisations with no ATS and no tie to the asker,
        instead of existing ties.
    themes : tuple of str
        Theme codes of the need, added to those inferred from the text.
    """

    text: str = ""
    for_tax_code: str | None = None
    districts: tuple[str, ...] = ()
    kinds: tuple[str, ...] = ("ets",)
    top_k: int = 10
    territory: Literal["soft", "hard", "off"] = "soft"
    radius_km: float | None = None
    exclude_tax_codes: tuple[str, ...] = ()
    call_round: int | None = None
    measure: int | None = None
    exclude_at_capacity: bool = False
    prefer_newcomers: bool = False
    themes: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        for name in ("districts", "kinds", "exclude_tax_codes", "themes"):
            value = getattr(self, name)
            if isinstance(value, str):
                value = (value,) if value else ()
            object.__setattr__(self, name, tuple(value))
        if self.territory not in ("soft", "hard", "off"):
            raise ValueError(f"territory: atteso soft, hard o off, trovato {self.territory!r}")
        if self.top_k < 1:
            raise ValueError(f"top_k: atteso un intero positivo, trovato {self.top_k!r}")
        if self.radius_km is not None and self.radius_km <= 0:
            raise ValueError(f"radius_km: atteso un numero positivo, trovato {self.radius_km!r}")


@dataclasses.dataclass
class MatchResult:
    """One suggested partner.

    Attributes
    ----------
    tax_code, name, kind : str
        The organisation.
    score : float
        Fused score in [0, 1]: the weighted mean of the normalised channel scores.
    channels : dict of str to float
        Each active channel's contribution to ``score`` (they add up to it).
    explanation : Explanation
        Shared themes, best-matching sentence with its cosine, territorial and network
        reasons, flags, and ``text``: the same in one Italian sentence; for an Ente Gestore
        also ``ats_in_bozza``, the draft ATS it leads.
    flags : list of str
        Rule flags, e.g. ``capienza_esaurita``.
    """

    tax_code: str
    name: str
    kind: str
    score: float
    channels: dict[str, float]
    explanation: Explanation
    flags: list[str] = dataclasses.field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dict (the API's and ``matchmaker match --json``'s)."""
        return {
            "tax_code": self.tax_code,
            "name": self.name,
            "kind": self.kind,
            "score": self.score,
            "channels": dict(self.channels),
            "explanation": self.explanation.to_dict(),
            "flags": list(self.flags),
        }
