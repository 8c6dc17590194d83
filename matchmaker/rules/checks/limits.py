"""Generic checks across the call round (capacity, one project) and on eligibility.

``max_partnerships`` and ``one_project`` compare the composition with the other stored ATS
of the same measure and round (statuses in ``ignore_statuses`` and the ATS itself left out);
``forbidden_members``, ``allowed_members`` and ``themes_within`` say who and what a measure
admits.
"""

from __future__ import annotations

from matchmaker.domain import KIND_LABELS
from matchmaker.rules.checks.registry import finding, members_of, register
from matchmaker.rules.model import Composition, Finding
from matchmaker.rules.rule import Rule
from matchmaker.rules.world import World

__all__: list[str] = []


@register("max_partnerships")
def _max_partnerships(rule: Rule, comp: Composition, world: World) -> list[Finding]:
    limit = int(rule.params["max"])
    ignore = tuple(rule.params.get("ignore_statuses", ("bozza",)))
    out = []
    for tax_code, _org, _role in members_of(rule, comp, world):
        others = world.counted_partnerships(
            tax_code,
            comp.measure,
            comp.call_round,
            exclude_code=comp.code,
            ignore_statuses=ignore,
        )
        if len(others) + 1 <= limit:
            continue
        codes = [a.code for a in others]
        listed = ", ".join(codes)
        out.append(
            finding(
                rule,
                f"{world.label(tax_code)} partecipa già a {len(others)} ATS del bando "
                f"(round {comp.call_round}: {listed}); il limite è {limit}.",
                f"{world.label(tax_code)} already takes part in {len(others)} ATS of the call "
                f"(round {comp.call_round}: {listed}); the limit is {limit}.",
                tax_codes=(tax_code,),
                other_ats=codes,
                limit=limit,
            )
        )
    return out


@register("one_project")
def _one_project(rule: Rule, comp: Composition, world: World) -> list[Finding]:
    ignore = {str(s) for s in rule.params.get("ignore_statuses", ("bozza",))}
    mine = set(comp.tax_codes)
    if not mine:
        return []
    twins = [
        ats.code
        for ats in world.partnerships
        if ats.measure == comp.measure
        and ats.call_round == comp.call_round
        and ats.code != comp.code
        and ats.status.value not in ignore
        and set(ats.members) == mine
    ]
    if not twins:
        return []
    return [
        finding(
            rule,
            f"La stessa compagine ha già presentato un progetto in questo bando "
            f"({', '.join(twins)}): ogni ATS presenta un solo progetto.",
            f"The same set of members already presented a project in this call "
            f"({', '.join(twins)}): each ATS presents only one project.",
            tax_codes=tuple(sorted(mine)),
            other_ats=twins,
        )
    ]


@register("forbidden_members")
def _forbidden_members(rule: Rule, comp: Composition, world: World) -> list[Finding]:
    sectors = set(rule.params.get("sectors", ()))
    kinds = set(rule.params.get("kinds", ()))
    out = []
    for m in comp.members:
        org = world.orgs[m.tax_code]
        if org.sector.value in sectors or org.kind.value in kinds:
            out.append(
                finding(
                    rule,
                    f"{world.label(m.tax_code)} è un'impresa (settore {org.sector.value}): "
                    f"non può essere membro dell'ATS della Misura {comp.measure}.",
                    f"{world.label(m.tax_code)} is a business (sector {org.sector.value}): "
                    f"it cannot be a member of a Misura {comp.measure} ATS.",
                    tax_codes=(m.tax_code,),
                )
            )
    return out


@register("allowed_members")
def _allowed_members(rule: Rule, comp: Composition, world: World) -> list[Finding]:
    allowed = set(rule.params["allowed"])
    out = []
    for m in comp.members:
        org = world.orgs[m.tax_code]
        if org.kind.value in allowed or f"{org.kind.value}:{org.runts_section}" in allowed:
            continue
        out.append(
            finding(
                rule,
                f"{world.label(m.tax_code)} ({KIND_LABELS[org.kind]}) non è tra i soggetti "
                f"ammessi alla Misura {comp.measure} ({', '.join(sorted(allowed))}).",
                f"{world.label(m.tax_code)} ({org.kind.value}) is not among the bodies "
                f"allowed in Misura {comp.measure} ({', '.join(sorted(allowed))}).",
                tax_codes=(m.tax_code,),
            )
        )
    return out


@register("themes_within")
def _themes_within(rule: Rule, comp: Composition, world: World) -> list[Finding]:
    allowed = set(rule.params["themes"])
    if not comp.themes or allowed & set(comp.themes):
        return []
    return [
        finding(
            rule,
            f"Nessuno dei temi del progetto ({', '.join(comp.themes)}) è tra quelli della "
            f"Misura {comp.measure} ({', '.join(sorted(allowed))}).",
            f"None of the project's themes ({', '.join(comp.themes)}) is among those of "
            f"Misura {comp.measure} ({', '.join(sorted(allowed))}).",
        )
    ]
