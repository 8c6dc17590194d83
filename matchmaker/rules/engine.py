"""One engine for every rule: validate a composition's references, run each rule's check.

:func:`evaluate` is pure: a composition, a :class:`~matchmaker.rules.world.World` snapshot
and a catalogue in, a :class:`~matchmaker.rules.model.CheckResult` out. With a
:class:`~matchmaker.rules.fixes.FixAdvisor`, every finding also carries its fixes.
"""

from __future__ import annotations

import dataclasses

from matchmaker.domain import DomainError
from matchmaker.rules.catalogue import Catalogue, default_catalogue
from matchmaker.rules.checks import CHECKS
from matchmaker.rules.fixes import FixAdvisor
from matchmaker.rules.model import CheckResult, Composition, Finding
from matchmaker.rules.world import World

__all__ = ["evaluate", "validate_references"]


def validate_references(comp: Composition, world: World) -> None:
    """Raise :class:`DomainError` naming the field when a district or member is unknown.

    A composition can only be checked against what the database knows: every district
    code and every member's tax code must exist.
    """
    for i, code in enumerate(comp.districts):
        if code not in world.districts:
            raise DomainError(
                f"districts[{i}]: distretto {code!r} sconosciuto",
                field=f"districts[{i}]",
                value=code,
                kind="reference",
                en=f"districts[{i}]: unknown district {code!r}",
            )
    for i, member in enumerate(comp.members):
        if member.tax_code not in world.orgs:
            raise DomainError(
                f"members[{i}].tax_code: nessun ente con codice fiscale {member.tax_code} "
                "nell'anagrafica",
                field=f"members[{i}].tax_code",
                value=member.tax_code,
                kind="reference",
                en=f"members[{i}].tax_code: no organisation with tax code {member.tax_code}",
            )
    for i, theme in enumerate(comp.themes):
        if world.themes and theme not in world.themes:
            raise DomainError(
                f"themes[{i}]: tema {theme!r} sconosciuto",
                field=f"themes[{i}]",
                value=theme,
                kind="reference",
                en=f"themes[{i}]: unknown theme {theme!r}",
            )


def evaluate(
    comp: Composition,
    world: World,
    catalogue: Catalogue | None = None,
    advisor: FixAdvisor | None = None,
) -> CheckResult:
    """Check a composition against the rules of its measure.

    Parameters
    ----------
    comp : Composition
    world : World
        The database snapshot (organisations, districts, other ATS).
    catalogue : Catalogue, optional
        Default: the rules shipped with matchmaker.
    advisor : FixAdvisor, optional
        When given, each finding carries its fixes.

    Returns
    -------
    CheckResult
        Findings in rule order; ``admissible`` when none is an error.

    Raises
    ------
    DomainError
        When the composition names an unknown district, organisation or theme.
    """
    catalogue = catalogue or default_catalogue()
    validate_references(comp, world)
    rules = catalogue.for_measure(comp.measure)
    findings: list[Finding] = []
    for rule in rules:
        for finding in CHECKS[rule.check](rule, comp, world):
            if advisor is not None:
                finding = dataclasses.replace(finding, fixes=advisor.advise(rule, finding, comp))
            findings.append(finding)
    complete = catalogue.is_complete(comp.measure) and all(r.complete for r in rules)
    return CheckResult(
        composition=comp,
        findings=tuple(findings),
        rules_checked=tuple(r.id for r in rules if r.check != "manual"),
        complete=complete,
    )
