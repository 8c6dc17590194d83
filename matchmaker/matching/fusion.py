"""Fusion of the channel scores into one score in [0, 1].

Each text-like channel (``semantic``, ``sentence``, ``lexical``, ``themes``) is first
standardised over the query's candidates (per-query z-score: channels have very different
scales, e.g. cosines of 0.2-0.7 for USE and 0.02-0.3 for TF-IDF), then squashed with
``sigmoid(z - 1)`` into (0, 1): an average candidate gets 0.27, one two standard
deviations above the mean 0.73. ``territory`` and ``network`` are already in [0, 1] and are
used as they are. The fused score is the weighted mean of the active channels, so it lies
in [0, 1] and each channel's contribution ``w * value / sum(w)`` adds up to it.

Which channel is normalised how, and the default weights, are properties of the channels
(:mod:`matchmaker.matching.registry`); this module is only the arithmetic.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np

__all__ = ["fuse", "squash", "zscore"]


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


def fuse(norm: Mapping[str, np.ndarray], weights: Mapping[str, float], size: int) -> np.ndarray:
    """The weighted mean of normalised channel scores (zeros when there are none).

    Parameters
    ----------
    norm : mapping of str to array
        Normalised scores of each active channel, all of length ``size``; they are added
        in this order.
    weights : mapping of str to float
    size : int

    Examples
    --------
    >>> fuse({"a": np.array([1.0, 0.0]), "b": np.array([0.0, 0.0])}, {"a": 3, "b": 1}, 2)
    array([0.75, 0.  ])
    """
    total = sum(weights[c] for c in norm)
    if not norm or total <= 0:
        return np.zeros(size, dtype=np.float32)
    return sum(weights[c] * values for c, values in norm.items()) / total
