"""Fusion of the channel scores into one score in [0, 1].

Each text-like channel (``semantic``, ``sentence``, ``lexical``, ``themes``) is first
standardised over the query's candidates (per-query z-score: channels have very different
scales, e.g. cosines of 0.2-0.7 for USE and 0.02-0.3 for TF-IDF), then squashed with
``sigmoid(z - 1)`` into (0, 1): an average candidate gets 0.27, one two standard
deviations above the mean 0.73. ``territory`` and ``network`` are already in [0, 1] and are
used as they are. The fused score is the weighted mean of the active channels, so it lies
in [0, 1] and each channel's contribution ``w * value / sum(w)`` adds up to it.

Default weights (chosen on the development set from a small grid of round values, where
every setting scored between 0.85 and 0.88 nDCG@10; see docs/matching.md): semantic 1,
sentence 0.5, lexical 1, themes 1, territory 1, network 0.5.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np

from matchmaker.matching.query import CHANNELS

__all__ = ["DEFAULT_WEIGHTS", "Z_CHANNELS", "parse_weights", "squash", "zscore"]

DEFAULT_WEIGHTS: dict[str, float] = {
    "semantic": 1.0,
    "sentence": 0.5,
    "lexical": 1.0,
    "themes": 1.0,
    "territory": 1.0,
    "network": 0.5,
}

#: channels standardised per query before squashing
Z_CHANNELS = frozenset({"semantic", "sentence", "lexical", "themes"})


def zscore(values: np.ndarray, population: np.ndarray | None = None) -> np.ndarray:
    """Standardise ``values`` by the mean and deviation of ``population`` (default: itself)."""
    ref = values if population is None else population
    if ref.size == 0:
        return np.zeros_like(values, dtype=np.float32)
    std = float(ref.std())
    if std < 1e-9:
        return np.zeros_like(values, dtype=np.float32)
    return ((values - float(ref.mean())) / std).astype(np.float32)


def squash(z: np.ndarray) -> np.ndarray:
    """Map z-scores into (0, 1): ``sigmoid(z - 1)``."""
    return (1.0 / (1.0 + np.exp(-(np.asarray(z, dtype=np.float32) - 1.0)))).astype(np.float32)


def parse_weights(spec: str | Mapping[str, float] | None) -> dict[str, float]:
    """Fusion weights from a mapping or a ``"semantic=1,lexical=0.8"`` string.

    Unnamed channels keep their default weight; a weight of 0 switches a channel off.

    Raises
    ------
    ValueError
        On an unknown channel or a negative or non-numeric weight.

    Examples
    --------
    >>> parse_weights("territory=1")["territory"]
    1.0
    """
    weights = dict(DEFAULT_WEIGHTS)
    if not spec:
        return weights
    if isinstance(spec, str):
        items = []
        for part in spec.split(","):
            if not part.strip():
                continue
            if "=" not in part:
                raise ValueError(f"MATCHMAKER_MATCH_WEIGHTS: atteso canale=peso, trovato {part!r}")
            name, value = part.split("=", 1)
            items.append((name.strip(), value.strip()))
    else:
        items = list(spec.items())
    for name, value in items:
        if name not in CHANNELS:
            raise ValueError(
                f"peso per un canale sconosciuto: {name!r} (canali: {', '.join(CHANNELS)})"
            )
        try:
            weight = float(value)
        except (TypeError, ValueError):
            raise ValueError(f"peso del canale {name}: non è un numero: {value!r}") from None
        if weight < 0 or not np.isfinite(weight):
            raise ValueError(f"peso del canale {name}: deve essere >= 0, trovato {weight}")
        weights[name] = weight
    return weights
