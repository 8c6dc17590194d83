"""The channels of the fused score, one unit per module.

:mod:`~matchmaker.matching.channels.base` says what a channel is (:class:`Channel`) and
what it sees of a search (:class:`Run`); the registry of the default channels, with their
weights, is :mod:`matchmaker.matching.registry`. This package imports nothing itself, so
that its modules never depend on one another through it.
"""

from __future__ import annotations

__all__: list[str] = []
