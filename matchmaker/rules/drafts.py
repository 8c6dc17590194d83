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

from matchmaker.domain import (
    DomainError,
    MemberRole,
)
from matchmaker.rules.model import Composition, Member, members_from
from matchmaker.storage.models import Organisation, Partnership, PartnershipMember

if TYPE_CHECKING:
    from matchmaker.contract.models import DraftIn

__all__ = [
    "AlreadyMember",
    "Draft",
    "DraftRefused",
    "StaleDraft",
    "new_code",
    "write_members",
]


class StaleDraft(DomainError):
    """The ATS changed since the editor read it: nothing was written."""

    def __init__(self, message: str) -> None:
        super().__init__(message, field="version", kind="conflict")


class DraftRefused(DomainError):
    """The account may not make this change."""


class AlreadyMember(DomainError):
    """The organisation ``name`` is already a member of the ATS ``title``."""

    def __init__(self, name: str, title: str) -> None:
        super().__init__(
            f"«{name}» fa già parte dell'ATS «{title}»", field="tax_code", kind="conflict"
        )
        self.name = name
        self.title = title


@dataclasses.dataclass(frozen=True)
class Draft:
    """What a builder, an API body, an import row or the demo says an ATS is."""

    title: str
    description: str = ""
    measure: int = 1
    call_round: int = 1
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
        """The composition the rules check."""
        return Composition(
            measure=self.measure,
            call_round=self.call_round,
            districts=self.districts,
            members=self.members,
            themes=self.themes or (),
            code=code,
        )

    @property
    def need(self) -> str:
        """The words that rank the candidates of fixes and proposals."""
        return f"{self.title}. {self.description}".strip(". ")


# --- the one constructor of members ----------------------------------------------------------


def write_members(
    session: Session,
    ats: Partnership,
    members: Sequence[tuple[Organisation | int, MemberRole]],
) -> bool:
    """Make ``ats.members`` exactly ``members``, in this order; return whether it changed.

    The members that open the list unchanged keep their rows (and their history in the
    audit log); from the first difference on, rows are replaced, so the stored order is
    the order given. Roles go through mandante first, so that the one-capofila constraint
    never sees two at a flush. The caller commits.
    """
    wanted = [(_org_id(org), org, MemberRole(role)) for org, role in members]
    current = list(ats.members)
    if [(m.organisation_id, m.role) for m in current] == [(o, r) for o, _x, r in wanted]:
        return False
    keep = 0
    while (
        keep < min(len(current), len(wanted))
        and wanted[keep][0] is not None
        and current[keep].organisation_id == wanted[keep][0]
    ):
        keep += 1
    for member in current[:keep]:
        member.role = MemberRole.MANDANTE
    for member in current[keep:]:
        ats.members.remove(member)
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
