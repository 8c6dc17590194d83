"""Value objects of the rules engine: a composition to check, findings, fixes, results.

:func:`parse_composition` turns the JSON form used by ``matchmaker ats check`` into a
:class:`Composition`, raising :class:`~matchmaker.domain.DomainError` that names the field
(``members[2].role``) when the input is malformed.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any

from matchmaker.contract.errors import ContractError
from matchmaker.domain import MemberRole, normalise_tax_code

if TYPE_CHECKING:
    from matchmaker.contract.models import CompositionIn, MemberIn

__all__ = [
    "CheckResult",
    "Composition",
    "Finding",
    "Fix",
    "Member",
    "composition_from",
    "members_from",
    "parse_composition",
]


@dataclasses.dataclass(frozen=True)
class Member:
    """A member of a composition: a tax code and a role (capofila or mandante)."""

    tax_code: str
    role: MemberRole


@dataclasses.dataclass(frozen=True)
class Composition:
    """An ATS as checked: measure, call round, districts covered and members.

    Attributes
    ----------
    measure : int
        The measure (Misura) of the call, 1-5.
    call_round : int
        The call round (1, 2...); capacity rules count other ATS of this round.
    districts : tuple of str
        Codes of the Distretti della Coesione Sociale the ATS covers.
    members : tuple of Member
    themes : tuple of str
        Theme codes of the project (optional; used by theme rules).
    code : str or None
        Code of the stored ATS this composition is (a draft does not count against itself).
    """

    measure: int
    call_round: int
    districts: tuple[str, ...]
    members: tuple[Member, ...]
    themes: tuple[str, ...] = ()
    code: str | None = None

    @property
    def tax_codes(self) -> tuple[str, ...]:
        return tuple(m.tax_code for m in self.members)

    def as_dict(self) -> dict[str, Any]:
        """The JSON input form (what :func:`parse_composition` reads)."""
        out: dict[str, Any] = {
            "measure": self.measure,
            "round": self.call_round,
            "districts": list(self.districts),
            "members": [{"tax_code": m.tax_code, "role": m.role.value} for m in self.members],
        }
        if self.themes:
            out["themes"] = list(self.themes)
        if self.code:
            out["code"] = self.code
        return out

    def without(self, tax_code: str) -> Composition:
        """The same composition without one member."""
        kept = tuple(m for m in self.members if m.tax_code != tax_code)
        return dataclasses.replace(self, members=kept)


@dataclasses.dataclass(frozen=True)
class Fix:
    """A concrete proposal that would resolve a finding.

    ``action`` is one of ``add`` (all of ``tax_codes``), ``add_one`` (one of the ranked
    candidates in ``tax_codes``), ``remove``, ``replace`` (``details["replaces"]`` by one of
    ``tax_codes``), ``set_capofila`` (one of ``tax_codes``), ``add_district``,
    ``remove_district``, ``review`` (a human decision); ``message_it``/``message_en`` say it
    in words. :func:`matchmaker.rules.fixes.apply_fix` applies one.
    """

    action: str
    message_it: str
    message_en: str
    tax_codes: tuple[str, ...] = ()
    districts: tuple[str, ...] = ()
    details: Mapping[str, Any] = dataclasses.field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        out = dataclasses.asdict(self)
        out["tax_codes"] = list(self.tax_codes)
        out["districts"] = list(self.districts)
        out["details"] = dict(self.details)
        return out


@dataclasses.dataclass(frozen=True)
class Finding:
    """One rule that a composition breaks (error) or that deserves attention (warning)."""

    rule_id: str
    severity: str
    message_it: str
    message_en: str
    paragraph: str
    tax_codes: tuple[str, ...] = ()
    districts: tuple[str, ...] = ()
    fixes: tuple[Fix, ...] = ()
    details: Mapping[str, Any] = dataclasses.field(default_factory=dict)

    @property
    def is_error(self) -> bool:
        return self.severity == "error"

    def as_dict(self) -> dict[str, Any]:
        return {
            "rule_id": self.rule_id,
            "severity": self.severity,
            "message_it": self.message_it,
            "message_en": self.message_en,
            "paragraph": self.paragraph,
            "tax_codes": list(self.tax_codes),
            "districts": list(self.districts),
            "fixes": [f.as_dict() for f in self.fixes],
            "details": dict(self.details),
        }


@dataclasses.dataclass(frozen=True)
class CheckResult:
    """The findings for one composition; admissible when none is an error."""

    composition: Composition
    findings: tuple[Finding, ...]
    rules_checked: tuple[str, ...]
    complete: bool = True

    @property
    def admissible(self) -> bool:
        return not any(f.is_error for f in self.findings)

    @property
    def errors(self) -> tuple[Finding, ...]:
        return tuple(f for f in self.findings if f.is_error)

    @property
    def warnings(self) -> tuple[Finding, ...]:
        return tuple(f for f in self.findings if not f.is_error)

    def rule_ids(self, severity: str | None = None) -> list[str]:
        """Sorted distinct rule ids of the findings (of one severity when given)."""
        return sorted({f.rule_id for f in self.findings if severity in (None, f.severity)})

    def summary(self) -> dict[str, Any]:
        """What the ATS history keeps of a check."""
        return {
            "admissible": self.admissible,
            "errors": self.rule_ids("error"),
            "warnings": self.rule_ids("warning"),
            "rules_checked": len(self.rules_checked),
            "complete": self.complete,
        }

    def as_dict(self) -> dict[str, Any]:
        return {
            "admissible": self.admissible,
            "complete": self.complete,
            "composition": self.composition.as_dict(),
            "rules_checked": list(self.rules_checked),
            "findings": [f.as_dict() for f in self.findings],
        }


def parse_composition(data: Any) -> Composition:
    """Read a composition from its JSON form.

    Parameters
    ----------
    data : mapping
        ``{"measure": 1, "round": 1, "districts": [...], "members": [{"tax_code": ...,
        "role": "capofila" | "mandante"}]}``; optional ``themes`` (theme codes), ``code``
        (the stored ATS this is, so that it does not count against itself) and ``title``.

    Raises
    ------
    DomainError
        A :class:`~matchmaker.contract.ContractError` naming every malformed field (the
        model :class:`~matchmaker.contract.CompositionIn`): missing or unknown keys, wrong
        types, a measure out of 1-5, a round out of 1-1000, repeated members or districts,
        an unknown role.

    Examples
    --------
    >>> c = parse_composition({"measure": 1, "round": 1, "districts": ["D1"],
    ...     "members": [{"tax_code": "00518460019", "role": "capofila"}]})
    >>> c.members[0].role.value
    'capofila'
    """
    from matchmaker.contract.models import CompositionIn, validate  # pydantic: on first use

    return composition_from(validate(CompositionIn, data))


def composition_from(comp: CompositionIn) -> Composition:
    """A validated :class:`~matchmaker.contract.CompositionIn` as a :class:`Composition`:
    tax codes normalised, each member listed once.

    Raises
    ------
    ContractError
        On a member listed twice (``members[i].tax_code``, type ``duplicate``).
    """
    return Composition(
        measure=comp.measure,
        call_round=comp.call_round,
        districts=tuple(comp.districts),
        members=members_from(comp.members),
        themes=tuple(comp.themes),
        code=comp.code.strip() if comp.code else None,
    )


def members_from(raw_members: Iterable[MemberIn]) -> tuple[Member, ...]:
    """Validated members with their tax codes normalised; a member listed twice (after
    normalisation) is a :class:`~matchmaker.contract.ContractError` on
    ``members[i].tax_code``."""
    members: list[Member] = []
    seen: set[str] = set()
    for i, raw in enumerate(raw_members):
        tax_code = normalise_tax_code(raw.tax_code)
        if tax_code in seen:
            raise ContractError.single(
                f"members[{i}].tax_code",
                "duplicate",
                f"members[{i}].tax_code: {tax_code} compare più di una volta",
                f"members[{i}].tax_code: {tax_code} is listed twice",
                tax_code,
            )
        seen.add(tax_code)
        members.append(Member(tax_code, MemberRole(raw.role)))
    return tuple(members)
