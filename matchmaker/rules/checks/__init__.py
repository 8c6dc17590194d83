"""The generic checks that the call's rules name, by name.

A check is a function ``(rule, composition, world) -> list[Finding]``. The checks on who is
in the ATS are in :mod:`~matchmaker.rules.checks.membership`, those across the round and on
eligibility in :mod:`~matchmaker.rules.checks.limits`; both register themselves in
:data:`CHECKS` (:mod:`~matchmaker.rules.checks.registry`) when imported here. A new kind of
rule is one more function with ``@register("name")`` in one of them.
"""

from __future__ import annotations

from matchmaker.rules.checks import limits, membership
from matchmaker.rules.checks.registry import CHECKS, CheckFunction

__all__ = ["CHECKS", "CheckFunction", "limits", "membership"]
