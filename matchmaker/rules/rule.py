"""A rule of a call and the catalogue of rules, as plain data.

:class:`Rule` and :class:`Catalogue` are the records the checks, fixes and team proposals
read; :mod:`matchmaker.rules.catalogue` reads them from the TOML files of a call.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from typing import Any

__all__ = ["SEVERITIES", "Catalogue", "Rule"]

SEVERITIES = ("error", "warning")


@dataclasses.dataclass(frozen=True)
class Rule:
    """One rule of a call.

    Attributes
    ----------
    id : str
        Stable identifier, e.g. ``M1-EG-DISTRETTO``.
    measure : int
        The measure (Misura) of the call the rule belongs to.
    severity : str
        ``error`` (the composition is not admissible) or ``warning`` (advice).
    check : str
        Name of the generic check that evaluates the rule.
    params : Mapping
        Parameters of the check (kinds, limits, statuses to ignore...).
    text_it, text_en : str
        The rule in Italian and English.
    source : str
        The document the rule comes from.
    paragraph : str
        The paragraph of the call, quoted.
    complete : bool
        False when the call's own text was not available and the rule is inferred.
    call : str
        Identifier of the call (file) the rule was read from.
    """

    id: str
    measure: int
    severity: str
    check: str
    text_it: str
    text_en: str
    source: str
    paragraph: str
    params: Mapping[str, Any] = dataclasses.field(default_factory=dict)
    complete: bool = True
    call: str = ""

    def as_dict(self) -> dict[str, Any]:
        """A JSON-friendly form."""
        out = {f.name: getattr(self, f.name) for f in dataclasses.fields(self)}
        out["params"] = {k: list(v) if isinstance(v, tuple) else v for k, v in self.params.items()}
        return out


@dataclasses.dataclass(frozen=True)
class Catalogue:
    """The rules of one or more calls, by measure."""

    rules: tuple[Rule, ...]
    measures: Mapping[int, Mapping[str, Any]]

    def for_measure(self, measure: int) -> tuple[Rule, ...]:
        """The rules of ``measure``, in file order."""
        return tuple(r for r in self.rules if r.measure == measure)

    def get(self, rule_id: str) -> Rule:
        """The rule with this id; ``KeyError`` when unknown."""
        for rule in self.rules:
            if rule.id == rule_id:
                return rule
        raise KeyError(rule_id)

    def is_complete(self, measure: int) -> bool:
        """Whether the rules of ``measure`` come from the call's own text."""
        info = self.measures.get(measure, {})
        return bool(info.get("complete", False))
