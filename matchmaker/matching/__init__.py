"""Partner suggestions: hybrid semantic matching with explanations.

Public API
----------
- :class:`MatchQuery`, :class:`MatchResult`: what is asked and what comes back.
- :class:`MatchEngine`: ``search(query)``, ``refresh(tax_code)``, ``rebuild()``; keeps its
  in-memory index in step with profile writes.
- :func:`evaluate`: nDCG/MRR/recall@10 per channel and fused on a gold set.
- :func:`capacity_usage`, :func:`over_capacity`: ATS per organisation in a round and measure.
- :func:`make_encoder`: the sentence encoder a backend name stands for.

See ``docs/matching.md``.
"""

from __future__ import annotations

from matchmaker.matching.capacity import CAPACITY_LIMITS, Capacity, capacity_usage, over_capacity
from matchmaker.matching.encoders import (
    BACKENDS,
    Encoder,
    SentenceTransformerEncoder,
    UseM3Encoder,
    make_encoder,
)
from matchmaker.matching.engine import MatchEngine
from matchmaker.matching.evaluation import evaluate, metrics_at_k
from matchmaker.matching.fusion import DEFAULT_WEIGHTS, parse_weights
from matchmaker.matching.query import CHANNELS, MatchQuery, MatchResult

__all__ = [
    "BACKENDS",
    "CAPACITY_LIMITS",
    "CHANNELS",
    "DEFAULT_WEIGHTS",
    "Capacity",
    "Encoder",
    "MatchEngine",
    "MatchQuery",
    "MatchResult",
    "SentenceTransformerEncoder",
    "UseM3Encoder",
    "capacity_usage",
    "evaluate",
    "make_encoder",
    "metrics_at_k",
    "over_capacity",
    "parse_weights",
]
