"""ATS drafts: what a draft says, and the one constructor of ATS members.

:func:`write_members` is the only code that constructs ATS members: the builder page and its
JSON endpoints and the API (through :class:`~matchmaker.rules.draft_service.DraftService`),
the importer and the demo data set all go through it, so a composition is stored the same
way whichever door it came in by.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from typing import TYPE_CHECKING

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from matchmaker.contract.errors import FieldError
from matchmaker.contract.limits import TEXT_MAX
from matchmaker.domain import (
    DomainError,
    MemberRole,
    TaxCodeError,
    Viewer,
    validate_tax_code,
)
from matchmaker.rules.model import Composition, Member, members_from
from matchmaker.storage.models import District, Organisation, Partnership, PartnershipMember

if TYPE_CHECKING:
    from matchmaker.contract.models import DraftIn

__all__ = [
    "AlreadyMember",
    "Draft",
    "DraftRefused",
    "StaleDraft",
    "draft_problems",
    "new_code",
    "own_member_error",
    "write_members",
]


class StaleDraft(DomainError):
    """The ATS changed since the editor read it: nothing was written."""

    def __init__(self, message: str, en: str, value: object = None) -> None:
        super().__init__(message, field="version", kind="conflict", en=en, value=value)


class DraftRefused(DomainError):
    """The account may not make this change."""

    def __init__(self, message: str, en: str, field: str = "") -> None:
        super().__init__(message, field=field, kind="forbidden", en=en)


class AlreadyMember(DomainError):
    """The organisation ``name`` is already a member of the ATS ``title``."""

    def __init__(self, name: str, title: str) -> None:
        super().__init__(
            f"«{name}» fa già parte dell'ATS «{title}»",
            field="tax_code",
            kind="conflict",
            en=f"«{name}» is already a member of the ATS «{title}»",
        )
        self.name = name
        self.title = title


@dataclasses.dataclass(frozen=True)
class Draft:
    """What a builder, an API body, an import row or the demo says an ATS is."""

    title: str
    description: str = ""
    measure: int = 1
    call_round: int | None = 1  # None: the open round of the measure (see DraftService)
    districts: tuple[str, ...] = ()
    members: tuple[Member, ...] = ()
    themes: tuple[str, ...] | None = None

    @classmethod
    def from_input(cls, data: DraftIn) -> Draft:
        """A validated request, tax codes normalised (the composition's own rules)."""
        return cls(
            title=data.title.strip(),
            description=data.description.strip(),
            measure=data.measure,
            call_round=data.call_round,
            districts=tuple(data.districts),
            members=members_from(data.members),
            themes=tuple(data.themes) if data.themes is not None else None,
        )

    def composition(self, code: str | None = None) -> Composition:
        """The composition the rules check (a draft without a round is checked in round 1)."""
        return Composition(
            measure=self.measure,
            call_round=self.call_round or 1,
            districts=self.districts,
            members=self.members,
            themes=self.themes or (),
            code=code,
        )

    @property
    def need(self) -> str:
        """The words that rank the candidates of fixes and proposals (at most as long as a
        need may be)."""
        return f"{self.title}. {self.description}".strip(". ")[:TEXT_MAX]


# --- what a draft may not say -------------------------------------------------------------


def draft_problems(
    session: Session, draft: Draft, viewer: Viewer | None, *, creating: bool
) -> tuple[list[FieldError], dict[str, Organisation], dict[str, District]]:
    """What the library refuses in a draft, with the organisations and districts it names:
    unknown districts or members (or a tax code that fails its check), two capofila, an
    ``ente`` account that is not a member of the ATS it creates or edits."""
    codes = [m.tax_code for m in draft.members]
    orgs = {
        o.tax_code: o
        for o in session.scalars(select(Organisation).where(Organisation.tax_code.in_(codes)))
    }
    found = {
        d.code: d
        for d in session.scalars(select(District).where(District.code.in_(draft.districts)))
    }
    errors = [
        FieldError(
            f"districts[{i}]",
            "reference",
            f"districts[{i}]: distretto {code} sconosciuto",
            f"districts[{i}]: unknown district {code}",
            code,
        )
        for i, code in enumerate(draft.districts)
        if code not in found
    ]
    errors += [_unknown_member(i, code) for i, code in enumerate(codes) if code not in orgs]
    leads = [m.tax_code for m in draft.members if m.role == MemberRole.CAPOFILA]
    if len(leads) > 1:
        names = "; ".join(orgs[t].name if t in orgs else t for t in leads)
        errors.append(
            FieldError(
                "members",
                "conflict",
                f"members: un solo capofila per ATS (ora sono {len(leads)}: {names})",
                f"members: one capofila per ATS (now {len(leads)}: {names})",
                ";".join(leads),
                {"count": len(leads), "names": names},
            )
        )
    if (
        viewer is not None
        and viewer.is_ente
        and viewer.organisation_id not in {o.id for o in orgs.values()}
    ):
        errors.append(own_member_error(creating=creating))
    return errors, orgs, found


def _unknown_member(index: int, code: str) -> FieldError:
    """A member that names no organisation: a wrong tax code, or one not in the registry."""
    field = f"members[{index}].tax_code"
    try:
        validate_tax_code(code)
    except TaxCodeError as exc:
        return FieldError(
            field, "check_digit", f"{field}: {exc}", f"{field}: invalid tax code", code
        )
    return FieldError(
        field,
        "reference",
        f"{field}: nessun ente con codice fiscale {code}",
        f"{field}: no organisation with tax code {code}",
        code,
    )


def own_member_error(*, creating: bool) -> FieldError:
    """An ``ente`` account must be among the members of the ATS it creates or edits."""
    if creating:
        it, en = (
            "il suo ente deve far parte dell'ATS che crea",
            "your organisation must be a member",
        )
    else:
        it, en = "il suo ente deve restare tra i membri dell'ATS", "your organisation must remain"
    return FieldError(
        "members",
        "conflict",
        f"members: {it}",
        f"members: {en}",
        "",
        {"own": "create" if creating else "remain"},
    )


# --- the one constructor of members ----------------------------------------------------------


def write_members(
    session: Session,
    ats: Partnership,
    members: Sequence[tuple[Organisation | int, MemberRole]],
) -> bool:
    """Make ``ats.members`` exactly ``members``, in this order; return whether it changed.

    Members that stay keep their rows (and their history in the audit log) when the order
    allows it: removals anywhere and additions at the end; otherwise, from the first
    difference on, rows are replaced, so the stored order is always the order given. Roles
    go through mandante first, so that the one-capofila constraint never sees two at a
    flush. The caller commits.
    """
    wanted = [(_org_id(org), org, MemberRole(role)) for org, role in members]
    current = list(ats.members)
    if [(m.organisation_id, m.role) for m in current] == [(o, r) for o, _x, r in wanted]:
        return False
    ids = [oid for oid, _o, _r in wanted]
    staying = [m for m in current if m.organisation_id in ids]
    if [m.organisation_id for m in staying] == ids[: len(staying)]:
        kept = staying  # only removals before the new members: the others keep their rows
    else:
        keep = 0
        while keep < min(len(current), len(ids)) and current[keep].organisation_id == ids[keep]:
            keep += 1
        kept = current[:keep]
    for member in kept:
        member.role = MemberRole.MANDANTE
    for member in current:
        if member not in kept:
            ats.members.remove(member)
            if member.id is not None:  # an explicit delete: the audit log records it
                session.delete(member)
    keep = len(kept)
    if ats.id is not None:
        session.flush()
    for oid, org, _role in wanted[keep:]:
        ats.members.append(
            PartnershipMember(organisation=org, role=MemberRole.MANDANTE)
            if isinstance(org, Organisation)
            else PartnershipMember(organisation_id=oid, role=MemberRole.MANDANTE)
        )
    if ats.id is not None:
        session.flush()
    for member, (_oid, _org, role) in zip(ats.members, wanted, strict=True):
        member.role = role
    return True


def _org_id(org: Organisation | int) -> int | None:
    return org.id if isinstance(org, Organisation) else int(org)


def new_code(session: Session, call_round: int) -> str:
    """A free code ``ATS-R<round>-<nnnn>`` for a new ATS."""
    n = (session.scalar(select(func.max(Partnership.id))) or 0) + 1
    while True:
        code = f"ATS-R{call_round}-{n:04d}"
        if session.scalar(select(Partnership.id).where(Partnership.code == code)) is None:
            return code
        n += 1
