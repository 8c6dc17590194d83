"""Explanations of a suggestion: typed pieces and one readable Italian sentence.

Each channel may give a *piece* of the explanation of a candidate (the shared themes, the
best sentence, a territorial or network reason); :meth:`Explanation.build` puts them
together with the channels' contributions and the rule flags, and writes the sentence.
:meth:`Explanation.to_dict` is the JSON of the API and the command line.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, Any

import numpy as np

if TYPE_CHECKING:
    from matchmaker.matching.themes import ThemeSpace

__all__ = [
    "FLAG_LABELS",
    "BestSentence",
    "DraftAts",
    "Explanation",
    "NetworkReason",
    "Piece",
    "Reason",
    "SharedTheme",
    "SharedThemes",
    "TerritoryReason",
    "query_themes",
]

#: Italian wording of rule flags
FLAG_LABELS = {
    "capienza_esaurita": "già in due ATS di questo bando e misura (limite raggiunto)",
    "capienza_esaurita_ente_gestore": "già in un'ATS di questo bando e misura (limite raggiunto)",
    "fuori_territorio": "fuori dal territorio indicato",
}

#: query themes weighing at least this much are "the query's themes"
THEME_MIN = 0.15
_QUOTE_MAX = 160


@dataclasses.dataclass(frozen=True)
class SharedTheme:
    """A theme of the candidate that is also one of the query's main themes."""

    code: str
    label: str


@dataclasses.dataclass(frozen=True)
class SharedThemes:
    """The themes piece: the candidate's themes among the query's main themes."""

    themes: tuple[SharedTheme, ...]

    def phrase(self) -> str:
        return "temi in comune: " + ", ".join(t.label for t in self.themes) if self.themes else ""


@dataclasses.dataclass(frozen=True)
class BestSentence:
    """The candidate's sentence closest to the need, and its cosine (rounded)."""

    text: str
    score: float

    def phrase(self) -> str:
        text = self.text
        if len(text) > _QUOTE_MAX:
            text = text[: _QUOTE_MAX - 3].rstrip() + "..."
        return f"frase più vicina alla richiesta: «{text}»"


@dataclasses.dataclass(frozen=True)
class Reason:
    """A channel's score for the candidate (rounded) and why, in Italian."""

    score: float
    reason: str

    def phrase(self) -> str:
        return self.reason


class TerritoryReason(Reason):
    """Closeness of the candidate's places to those of the need, and its reason."""


class NetworkReason(Reason):
    """The candidate's tie to the asking organisation, and its reason."""


#: what a channel can add to an explanation
Piece = SharedThemes | BestSentence | Reason


@dataclasses.dataclass(frozen=True)
class DraftAts:
    """A draft ATS (state ``bozza``) an Ente Gestore leads: one an ETS could join."""

    code: str
    title: str


def _reason_json(reason: Reason | None) -> dict[str, Any] | None:
    return None if reason is None else {"score": reason.score, "reason": reason.reason}


@dataclasses.dataclass(frozen=True)
class Explanation:
    """Why a candidate is suggested.

    Read its attributes; :meth:`to_dict` gives the JSON of the API and the CLI.

    Attributes
    ----------
    channels : mapping of str to float
        Each active channel's contribution to the score (as ``MatchResult.channels``).
    shared_themes : tuple of SharedTheme
    best_sentence : BestSentence or None
        Only when the sentence channel is active.
    territory : TerritoryReason or None
        Only when the need names places (and territory is not ``off``).
    network : NetworkReason or None
        Only with an asking organisation or ``prefer_newcomers``.
    flags : tuple of str
        Rule flags (see :data:`FLAG_LABELS`).
    text : str
        All of the above in one Italian sentence.
    ats_in_bozza : tuple of DraftAts or None
        For an Ente Gestore: the draft ATS it leads; None for other kinds.
    others : tuple of (str, Reason)
        Reasons of channels beyond the built-in ones, by channel name.
    """

    channels: Mapping[str, float]
    shared_themes: tuple[SharedTheme, ...] = ()
    best_sentence: BestSentence | None = None
    territory: TerritoryReason | None = None
    network: NetworkReason | None = None
    flags: tuple[str, ...] = ()
    text: str = ""
    ats_in_bozza: tuple[DraftAts, ...] | None = None
    others: tuple[tuple[str, Reason], ...] = ()

    @classmethod
    def build(
        cls,
        *,
        channels: Mapping[str, float],
        pieces: Iterable[tuple[str, Piece]],
        flags: Sequence[str],
        labels: Mapping[str, str],
        ats_in_bozza: Sequence[DraftAts] | None = None,
    ) -> Explanation:
        """Put the channels' pieces together and write the sentence.

        Parameters
        ----------
        channels : mapping of str to float
            Contributions of the active channels, in report order.
        pieces : iterable of (channel name, piece)
        flags : sequence of str
        labels : mapping of str to str
            Italian label of each channel, for "Contributo principale: ...".
        ats_in_bozza : sequence of DraftAts, optional
        """
        fields: dict[str, Any] = {}
        others: list[tuple[str, Reason]] = []
        for name, piece in pieces:
            if isinstance(piece, SharedThemes):
                fields["shared_themes"] = piece.themes
            elif isinstance(piece, BestSentence):
                fields["best_sentence"] = piece
            elif isinstance(piece, TerritoryReason):
                fields["territory"] = piece
            elif isinstance(piece, NetworkReason):
                fields["network"] = piece
            else:
                others.append((name, piece))
        parts = []
        if channels:
            main = max(channels, key=lambda c: channels[c])
            parts.append(f"Contributo principale: {labels.get(main, main)}")
        ordered: list[Piece | None] = [
            SharedThemes(fields.get("shared_themes", ())),
            fields.get("best_sentence"),
            fields.get("territory"),
            fields.get("network"),
            *(reason for _name, reason in others),
        ]
        parts.extend(p for piece in ordered if piece is not None and (p := piece.phrase()))
        parts.extend("attenzione: " + FLAG_LABELS.get(flag, flag) for flag in flags)
        return cls(
            channels=dict(channels),
            flags=tuple(flags),
            text="; ".join(parts) + "." if parts else "",
            ats_in_bozza=None if ats_in_bozza is None else tuple(ats_in_bozza),
            others=tuple(others),
            **fields,
        )

    def to_dict(self) -> dict[str, Any]:
        """The JSON of the explanation (keys as in the API documentation)."""
        best = self.best_sentence
        out: dict[str, Any] = {
            "channels": dict(self.channels),
            "shared_themes": [{"code": t.code, "label": t.label} for t in self.shared_themes],
            "best_sentence": None if best is None else {"text": best.text, "score": best.score},
            "territory": _reason_json(self.territory),
            "network": _reason_json(self.network),
            "flags": list(self.flags),
            "text": self.text,
        }
        for name, reason in self.others:
            out[name] = _reason_json(reason)
        if self.ats_in_bozza is not None:
            out["ats_in_bozza"] = [{"code": a.code, "title": a.title} for a in self.ats_in_bozza]
        return out


def query_themes(space: ThemeSpace, vector: np.ndarray, limit: int = 5) -> list[dict[str, Any]]:
    """The query's main themes (weight >= 0.15), strongest first."""
    order = np.argsort(-vector)[:limit]
    return [
        {"code": space.codes[i], "label": space.labels[i], "weight": round(float(vector[i]), 3)}
        for i in order
        if vector[i] >= THEME_MIN
    ]
