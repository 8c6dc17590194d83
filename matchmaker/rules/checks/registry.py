"""Registry of the generic checks and the helpers they share.

A check is a function ``(rule, composition, world) -> list[Finding]`` registered under the
name that rules give in their ``check`` field.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

from matchmaker.domain import KIND_LABELS, MemberRole, OrgKind
from matchmaker.rules.model import Composition, Finding
from matchmaker.rules.rule import Rule
from matchmaker.rules.world import OrgInfo, World

__all__ = ["CHECKS", "CheckFunction", "finding", "kind_words", "members_of", "register"]

CheckFunction = Callable[[Rule, Composition, World], list[Finding]]
CHECKS: dict[str, CheckFunction] = {}


def register(name: str) -> Callable[[CheckFunction], CheckFunction]:
    """Decorator: register a check function under ``name``."""

    def wrap(fn: CheckFunction) -> CheckFunction:
        CHECKS[name] = fn
        return fn

    return wrap


def finding(
    rule: Rule,
    it: str,
    en: str,
    *,
    tax_codes: tuple[str, ...] = (),
    districts: tuple[str, ...] = (),
    **details: Any,
) -> Finding:
    """A finding of ``rule`` with its messages, the members and districts concerned."""
    return Finding(
        rule_id=rule.id,
        severity=rule.severity,
        message_it=it,
        message_en=en,
        paragraph=rule.paragraph,
        tax_codes=tax_codes,
        districts=districts,
        details=details,
    )


def members_of(
    rule: Rule, comp: Composition, world: World
) -> Iterator[tuple[str, OrgInfo, MemberRole]]:
    """Members whose kind is in ``rule.params["kinds"]`` (all when not given)."""
    kinds = set(rule.params.get("kinds", ()))
    for m in comp.members:
        org = world.orgs[m.tax_code]
        if not kinds or org.kind.value in kinds:
            yield m.tax_code, org, m.role


def kind_words(kinds: tuple[str, ...]) -> str:
    """Italian labels of ``kinds`` joined by "o"."""
    return " o ".join(KIND_LABELS[OrgKind(k)] for k in kinds)
