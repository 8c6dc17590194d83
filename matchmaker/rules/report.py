"""A rule check as people read it: rule texts, messages, fixes, and the names they mention.

:func:`describe` turns a :class:`~matchmaker.rules.model.CheckResult` into plain data that
the ATS builder page renders and its script redraws: every finding with the text of its
rule, its message and its fixes, errors first, plus the names and kinds of every
organisation and the names of every district any of them mentions.
"""

from __future__ import annotations

from typing import Any

from matchmaker.domain import DomainError
from matchmaker.rules.model import CheckResult
from matchmaker.rules.rule import Catalogue
from matchmaker.rules.world import World

__all__ = ["describe", "describe_proposals"]


def describe(
    result: CheckResult, world: World, catalogue: Catalogue, *, english: bool = False
) -> dict[str, Any]:
    """The check as JSON-ready data (``english``: messages and rule texts in English).

    Returns
    -------
    dict
        ``admissible``, ``complete``, ``errors``, ``warnings``, ``rules_checked`` (counts),
        ``findings`` (rule id, severity, rule text, message, fixes with their action,
        message, tax codes, districts and the member a replacement replaces), ``names``
        (tax code -> name and kind) and ``district_names`` (code -> name).
    """
    codes: set[str] = set(result.composition.tax_codes)
    districts: set[str] = set(result.composition.districts)
    findings = []
    for f in sorted(result.findings, key=lambda f: (not f.is_error, f.rule_id)):
        codes.update(f.tax_codes)
        districts.update(f.districts)
        try:
            rule = catalogue.get(f.rule_id)
            rule_text = rule.text_en if english else rule.text_it
        except (KeyError, DomainError):
            rule_text = ""
        fixes = []
        for fix in f.fixes:
            codes.update(fix.tax_codes)
            districts.update(fix.districts)
            replaces = fix.details.get("replaces")
            if replaces:
                codes.add(replaces)
            fixes.append(
                {
                    "action": fix.action,
                    "message": fix.message_en if english else fix.message_it,
                    "tax_codes": list(fix.tax_codes),
                    "districts": list(fix.districts),
                    "replaces": replaces,
                }
            )
        findings.append(
            {
                "rule_id": f.rule_id,
                "severity": f.severity,
                "rule_text": rule_text,
                "message": f.message_en if english else f.message_it,
                "fixes": fixes,
            }
        )
    names = {
        code: {"tax_code": code, "name": org.name, "kind": org.kind.value}
        for code in sorted(codes)
        if (org := world.orgs.get(code)) is not None
    }
    return {
        "admissible": result.admissible,
        "complete": result.complete,
        "errors": len(result.errors),
        "warnings": len(result.warnings),
        "rules_checked": len(result.rules_checked),
        "findings": findings,
        "names": names,
        "district_names": {
            code: world.districts[code].name
            for code in sorted(districts)
            if code in world.districts
        },
    }


def describe_proposals(
    proposals: list[Any], world: World, *, english: bool = False
) -> list[dict[str, Any]]:
    """Team proposals as the builder shows them: label, explanation, districts and members
    with their names, kinds, roles and the reason each was chosen."""
    out = []
    for p in proposals:
        members = []
        for m in p.members:
            org = world.orgs.get(m.tax_code)
            if org is None:
                continue
            members.append(
                {
                    "tax_code": m.tax_code,
                    "name": org.name,
                    "kind": org.kind.value,
                    "role": m.role,
                    "reason": m.reason_en if english else m.reason_it,
                }
            )
        out.append(
            {
                "label": p.label_en if english else p.label_it,
                "explanation": p.explanation_en if english else p.explanation_it,
                "districts": list(p.composition.districts),
                "members": members,
            }
        )
    return out
