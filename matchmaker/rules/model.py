"""Value objects of the rules engine: a composition to check, findings, fixes, results.

:func:`parse_composition` turns the JSON form used by ``matchmaker ats check`` into a
:class:`Composition`, raising :class:`~matchmaker.domain.DomainError` that names the field
(``members[2].role``) when the input is malformed.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from typing import Any

from matchmaker.domain import DomainError, MemberRole, normalise_tax_code

__all__ = [
    "CheckResult",
    "Composition",
    "Finding",
    "Fix",
    "Member",
    "parse_composition",
]

_KNOWN_KEYS = {"measure", "round", "districts", "members", "themes", "code", "title"}
_MAX_MEMBERS = 500
_MAX_DISTRICTS = 100


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


def _int_field(data: Mapping[str, Any], key: str, lo: int, hi: int) -> int:
    value = data[key]
    if isinstance(value, bool) or not isinstance(value, int):
        raise DomainError(f"{key}: atteso un numero intero, trovato {value!r}", field=key)
    if not lo <= value <= hi:
        raise DomainError(f"{key}: {value} fuori dall'intervallo {lo}-{hi}", field=key)
    return value


def _str_list(data: Mapping[str, Any], key: str, limit: int) -> tuple[str, ...]:
    value = data.get(key, [])
    if not isinstance(value, list):
        raise DomainError(f"{key}: attesa una lista di codici", field=key)
    if len(value) > limit:
        raise DomainError(f"{key}: troppi elementi ({len(value)} > {limit})", field=key)
    out: list[str] = []
    for i, item in enumerate(value):
        if not isinstance(item, str) or not item.strip():
            raise DomainError(f"{key}[{i}]: atteso un codice non vuoto", field=f"{key}[{i}]")
        if item.strip() in out:
            raise DomainError(f"{key}[{i}]: {item!r} ripetuto", field=f"{key}[{i}]")
        out.append(item.strip())
    return tuple(out)


def _member(raw: Any, i: int) -> Member:
    where = f"members[{i}]"
    if not isinstance(raw, Mapping):
        raise DomainError(f"{where}: atteso un oggetto con tax_code e role", field=where)
    unknown = sorted(map(str, set(raw) - {"tax_code", "role", "name"}))
    if unknown:
        names = ", ".join(repr(k) for k in unknown)
        raise DomainError(f"{where}: campi sconosciuti {names}", field=where)
    tax_code = raw.get("tax_code")
    if not isinstance(tax_code, str) or not normalise_tax_code(tax_code):
        raise DomainError(f"{where}.tax_code: codice fiscale mancante", field=f"{where}.tax_code")
    role = raw.get("role", "mandante")
    try:
        role = MemberRole(role)
    except ValueError:
        raise DomainError(
            f"{where}.role: ruolo {role!r} non valido (capofila o mandante)",
            field=f"{where}.role",
            value=role,
        ) from None
    return Member(normalise_tax_code(tax_code), role)


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
        Naming the malformed field: missing or unknown keys, wrong types, a measure out
        of 1-5, a round below 1, repeated members or districts, an unknown role.

    Examples
    --------
    >>> c = parse_composition({"measure": 1, "round": 1, "districts": ["D1"],
    ...     "members": [{"tax_code": "00518460019", "role": "capofila"}]})
    >>> c.members[0].role.value
    'capofila'
    """
    if not isinstance(data, Mapping):
        raise DomainError("la composizione deve essere un oggetto JSON", field="(radice)")
    unknown = sorted(map(str, set(data) - _KNOWN_KEYS))
    if unknown:
        names = ", ".join(repr(k) for k in unknown)
        raise DomainError(f"campi sconosciuti: {names}", field=unknown[0] or repr(unknown[0]))
    for key in ("measure", "round", "districts", "members"):
        if key not in data:
            raise DomainError(f"{key}: campo obbligatorio mancante", field=key)
    measure = _int_field(data, "measure", 1, 5)
    call_round = _int_field(data, "round", 1, 1000)
    districts = _str_list(data, "districts", _MAX_DISTRICTS)
    themes = _str_list(data, "themes", 100)
    raw_members = data["members"]
    if not isinstance(raw_members, list):
        raise DomainError("members: attesa una lista di membri", field="members")
    if len(raw_members) > _MAX_MEMBERS:
        raise DomainError(f"members: troppi membri (> {_MAX_MEMBERS})", field="members")
    members: list[Member] = []
    seen: set[str] = set()
    for i, raw in enumerate(raw_members):
        member = _member(raw, i)
        if member.tax_code in seen:
            raise DomainError(
                f"members[{i}].tax_code: {member.tax_code} compare più di una volta",
                field=f"members[{i}].tax_code",
                value=member.tax_code,
            )
        seen.add(member.tax_code)
        members.append(member)
    code = data.get("code")
    if code is not None and (not isinstance(code, str) or not code.strip()):
        raise DomainError("code: atteso il codice dell'ATS registrata", field="code")
    title = data.get("title")
    if title is not None and not isinstance(title, str):
        raise DomainError("title: atteso un testo", field="title")
    return Composition(
        measure=measure,
        call_round=call_round,
        districts=districts,
        members=tuple(members),
        themes=themes,
        code=code.strip() if code else None,
    )
