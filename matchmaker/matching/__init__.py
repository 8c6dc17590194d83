"""Partner suggestions: hybrid semantic matching with explanations.

Public API
----------
- :class:`MatchQuery`, :class:`MatchResult` (with its :class:`Explanation`): what is asked
  and what comes back.
- :class:`MatchEngine`: ``search(query)``, ``refresh(tax_code)``, ``rebuild()``; keeps its
  in-memory index in step with profile writes.
- :func:`evaluate`: nDCG/MRR/recall@10 per channel and fused on a gold set.
- :func:`capacity_usage`, :func:`over_capacity`: ATS per organisation in a round and measure.
- :func:`make_encoder`: the sentence encoder a backend name stands for.
- :data:`DEFAULT_CHANNELS` (a :class:`ChannelSet`), :data:`CHANNELS`,
  :data:`DEFAULT_WEIGHTS`, :func:`parse_weights`: the channels of the fused score.

See ``docs/matching.md``.
"""

from __future__ import annotations

from matchmaker.lazy import lazy_names

# Names are imported on first use (PEP 562): ``import matchmaker.matching.query`` (the CLI
# does it) must not pull in scikit-learn and the encoders.
_SOURCES = {
    "CAPACITY_LIMITS": "capacity",
    "Capacity": "capacity",
    "capacity_usage": "capacity",
    "over_capacity": "capacity",
    "BACKENDS": "encoders",
    "Encoder": "encoders",
    "SentenceTransformerEncoder": "encoders",
    "UseM3Encoder": "encoders",
    "make_encoder": "encoders",
    "MatchEngine": "engine",
    "evaluate": "evaluation",
    "metrics_at_k": "evaluation",
    "CHANNELS": "registry",
    "DEFAULT_CHANNELS": "registry",
    "DEFAULT_WEIGHTS": "registry",
    "ChannelSet": "registry",
    "parse_weights": "registry",
    "Explanation": "explain",
    "MatchQuery": "query",
    "MatchResult": "query",
}


__getattr__, __dir__ = lazy_names(__name__, _SOURCES, globals())

__all__ = [
    "BACKENDS",
    "CAPACITY_LIMITS",
    "CHANNELS",
    "DEFAULT_CHANNELS",
    "DEFAULT_WEIGHTS",
    "Capacity",
    "ChannelSet",
    "Encoder",
    "Explanation",
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
