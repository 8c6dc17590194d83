"""Explanations of a suggestion: structured data and one readable Italian sentence."""

from __future__ import annotations

from typing import Any

import numpy as np

from matchmaker.matching.themes import ThemeSpace

__all__ = ["FLAG_LABELS", "explanation", "query_themes"]

#: Italian wording of rule flags
FLAG_LABELS = {
    "capienza_esaurita": "già in due ATS di questo bando e misura (limite raggiunto)",
    "capienza_esaurita_ente_gestore": "già in un'ATS di questo bando e misura (limite raggiunto)",
    "fuori_territorio": "fuori dal territorio indicato",
}

_CHANNEL_LABELS = {
    "semantic": "significato del profilo",
    "sentence": "frase più vicina",
    "lexical": "parole in comune",
    "themes": "temi",
    "territory": "territorio",
    "network": "rete",
}

_THEME_MIN = 0.15


def query_themes(space: ThemeSpace, vector: np.ndarray, limit: int = 5) -> list[dict[str, Any]]:
    """The query's main themes (weight >= 0.15), strongest first."""
    order = np.argsort(-vector)[:limit]
    return [
        {"code": space.codes[i], "label": space.labels[i], "weight": round(float(vector[i]), 3)}
        for i in order
        if vector[i] >= _THEME_MIN
    ]


def explanation(
    *,
    space: ThemeSpace,
    candidate_themes: tuple[str, ...],
    query_theme_vector: np.ndarray,
    channels: dict[str, float],
    sentence: tuple[str, float] | None,
    territory: tuple[float, str] | None,
    network: tuple[float, str] | None,
    flags: list[str],
) -> dict[str, Any]:
    """The explanation of one result (see :class:`MatchResult`)."""
    shared = [
        {"code": code, "label": space.labels[space.column[code]]}
        for code in candidate_themes
        if code in space.column and query_theme_vector[space.column[code]] >= _THEME_MIN
    ]
    out: dict[str, Any] = {
        "channels": channels,
        "shared_themes": shared,
        "best_sentence": (
            {"text": sentence[0], "score": round(float(sentence[1]), 4)} if sentence else None
        ),
        "territory": (
            {"score": round(float(territory[0]), 4), "reason": territory[1]} if territory else None
        ),
        "network": (
            {"score": round(float(network[0]), 4), "reason": network[1]} if network else None
        ),
        "flags": list(flags),
    }
    out["text"] = _sentence(out)
    return out


def _sentence(exp: dict[str, Any]) -> str:
    parts = []
    if exp["channels"]:
        main = max(exp["channels"], key=exp["channels"].get)
        parts.append(f"Contributo principale: {_CHANNEL_LABELS.get(main, main)}")
    if exp["shared_themes"]:
        parts.append("temi in comune: " + ", ".join(t["label"] for t in exp["shared_themes"]))
    if exp["best_sentence"]:
        text = exp["best_sentence"]["text"]
        if len(text) > 160:
            text = text[:157].rstrip() + "..."
        parts.append(f"frase più vicina alla richiesta: «{text}»")
    if exp["territory"] and exp["territory"]["reason"]:
        parts.append(exp["territory"]["reason"])
    if exp["network"] and exp["network"]["reason"]:
        parts.append(exp["network"]["reason"])
    for flag in exp["flags"]:
        parts.append("attenzione: " + FLAG_LABELS.get(flag, flag))
    return "; ".join(parts) + "." if parts else ""
