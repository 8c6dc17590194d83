"""The channels of the fused score, registered in one place, and their weights.

``DEFAULT_CHANNELS`` lists the channel units (:mod:`matchmaker.matching.channels`) in
the order they are reported (``MatchResult.channels``, the evaluation's tables);
:data:`CHANNELS`, :data:`DEFAULT_WEIGHTS`, the labels of the explanations and the names
that :func:`parse_weights` accepts all derive from it. Adding a channel is adding its unit
and one line here; a caller can also pass its own set (``MatchEngine(channels=...)``).

Default weights (chosen on the development set from a small grid of round values, where
every setting scored between 0.85 and 0.88 nDCG@10; see docs/matching.md): semantic 1,
sentence 0.5, lexical 1, themes 1, territory 1, network 0.5.
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Collection, Iterator, Mapping

from matchmaker.matching.channels.base import Channel, Phase
from matchmaker.matching.channels.lexical import Lexical
from matchmaker.matching.channels.network import Network
from matchmaker.matching.channels.semantic import Semantic
from matchmaker.matching.channels.sentence import Sentence
from matchmaker.matching.channels.territory import Territory
from matchmaker.matching.channels.themes import Themes

__all__ = ["CHANNELS", "DEFAULT_CHANNELS", "DEFAULT_WEIGHTS", "ChannelSet", "parse_weights"]

_PHASES: tuple[Phase, ...] = ("filter", "profile", "pool")


@dataclasses.dataclass(frozen=True)
class ChannelSet:
    """An ordered set of channels with distinct names.

    Parameters
    ----------
    channels : tuple of Channel
        In report order.
    """

    channels: tuple[Channel, ...]

    def __post_init__(self) -> None:
        names = [c.name for c in self.channels]
        if len(set(names)) != len(names) or not all(names):
            raise ValueError(f"canali: nomi vuoti o ripetuti: {names}")
        for channel in self.channels:
            if channel.phase not in _PHASES:
                raise ValueError(f"canale {channel.name}: fase sconosciuta {channel.phase!r}")

    def __iter__(self) -> Iterator[Channel]:
        return iter(self.channels)

    def __len__(self) -> int:
        return len(self.channels)

    def __getitem__(self, name: str) -> Channel:
        for channel in self.channels:
            if channel.name == name:
                return channel
        raise KeyError(name)

    @property
    def names(self) -> tuple[str, ...]:
        """Channel names, in report order."""
        return tuple(c.name for c in self.channels)

    @property
    def labels(self) -> dict[str, str]:
        """Italian label of each channel, as the explanations name it."""
        return {c.name: c.label for c in self.channels}

    def phase(self, phase: Phase) -> tuple[Channel, ...]:
        """The channels scored in ``phase``, in report order."""
        return tuple(c for c in self.channels if c.phase == phase)

    def default_weights(self) -> dict[str, float]:
        """Each channel's default fusion weight."""
        return {c.name: float(c.default_weight) for c in self.channels}

    def available(self, have: Collection[str]) -> tuple[str, ...]:
        """Names of the channels whose ``requires`` are all in ``have`` (e.g. ``{"encoder"}``)."""
        return tuple(c.name for c in self.channels if set(c.requires) <= set(have))

    def extended(self, *more: Channel) -> ChannelSet:
        """These channels followed by ``more``."""
        return ChannelSet((*self.channels, *more))

    def without(self, *names: str) -> ChannelSet:
        """These channels except ``names``."""
        return ChannelSet(tuple(c for c in self.channels if c.name not in names))

    def parse_weights(self, spec: str | Mapping[str, float] | None) -> dict[str, float]:
        """Fusion weights from a mapping or a ``"semantic=1,lexical=0.8"`` string.

        Unnamed channels keep their default weight; a weight of 0 switches a channel off.

        Raises
        ------
        ValueError
            On an unknown channel or a negative or non-numeric weight.
        """
        weights = self.default_weights()
        if not spec:
            return weights
        if isinstance(spec, str):
            items: list[tuple[str, object]] = []
            for part in spec.split(","):
                if not part.strip():
                    continue
                if "=" not in part:
                    raise ValueError(
                        f"MATCHMAKER_MATCH_WEIGHTS: atteso canale=peso, trovato {part!r}"
                    )
                name, value = part.split("=", 1)
                items.append((name.strip(), value.strip()))
        else:
            items = list(spec.items())
        for name, value in items:
            if name not in weights:
                raise ValueError(
                    f"peso per un canale sconosciuto: {name!r} (canali: {', '.join(self.names)})"
                )
            try:
                weight = float(value)  # type: ignore[arg-type]
            except (TypeError, ValueError):
                raise ValueError(f"peso del canale {name}: non è un numero: {value!r}") from None
            if weight < 0 or not math.isfinite(weight):
                raise ValueError(f"peso del canale {name}: deve essere >= 0, trovato {weight}")
            weights[name] = weight
        return weights


#: the channels of the engine, in report order
DEFAULT_CHANNELS = ChannelSet((Semantic(), Sentence(), Lexical(), Themes(), Territory(), Network()))
#: their names
CHANNELS: tuple[str, ...] = DEFAULT_CHANNELS.names
#: their default fusion weights
DEFAULT_WEIGHTS: dict[str, float] = DEFAULT_CHANNELS.default_weights()


def parse_weights(
    spec: str | Mapping[str, float] | None, channels: ChannelSet = DEFAULT_CHANNELS
) -> dict[str, float]:
    """Fusion weights from a mapping or a ``"semantic=1,lexical=0.8"`` string.

    Unnamed channels keep their default weight; a weight of 0 switches a channel off.

    Parameters
    ----------
    spec : str or mapping or None
    channels : ChannelSet, optional
        The channels the weights are for (default: the engine's).

    Raises
    ------
    ValueError
        On an unknown channel or a negative or non-numeric weight.

    Examples
    --------
    >>> parse_weights("territory=1")["territory"]
    1.0
    """
    return channels.parse_weights(spec)
