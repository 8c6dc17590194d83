"""The network channel: existing ties of the asking organisation, or newcomers.

Ties are shared ATS (any round) and declared collaborations, in either direction. A
direct tie scores 1, a friend of a friend 0.5. With ``prefer_newcomers`` the channel turns
around: organisations in no ATS and without ties to the asker score 1, tied ones 0, the
rest 0.5, so that suggestions do not only repeat "the same partnerships over and over".
"""

from __future__ import annotations

import dataclasses

from sqlalchemy import or_, select
from sqlalchemy.orm import Session, aliased

from matchmaker.domain import MemberRole, PartnershipStatus
from matchmaker.storage.models import Collaboration, Partnership, PartnershipMember

__all__ = ["Ties", "draft_ats_led_by", "ties_of"]


@dataclasses.dataclass(frozen=True)
class Ties:
    """Direct and second-degree ties of one organisation, and who has any ATS at all."""

    direct: frozenset[int]
    second: frozenset[int]
    in_any_ats: frozenset[int]

    def score(self, organisation_id: int, prefer_newcomers: bool) -> tuple[float, str]:
        """Network score in [0, 1] of a candidate and its Italian reason."""
        if organisation_id in self.direct:
            return (
                (0.0, "già partner dell'ente richiedente")
                if prefer_newcomers
                else (
                    1.0,
                    "ha già collaborato con l'ente richiedente",
                )
            )
        if organisation_id in self.second:
            return 0.5, "collabora con un partner dell'ente richiedente"
        if prefer_newcomers and organisation_id not in self.in_any_ats:
            return 1.0, "nuovo ingresso: non ha ancora partecipato ad alcuna ATS"
        return (0.5, "") if prefer_newcomers else (0.0, "")


def _neighbours(session: Session, ids: set[int]) -> set[int]:
    if not ids:
        return set()
    other = aliased(PartnershipMember)
    rows = session.execute(
        select(other.organisation_id)
        .join(PartnershipMember, PartnershipMember.partnership_id == other.partnership_id)
        .where(PartnershipMember.organisation_id.in_(ids))
    ).scalars()
    found = set(rows)
    for source, target in session.execute(
        select(Collaboration.source_id, Collaboration.target_id).where(
            or_(Collaboration.source_id.in_(ids), Collaboration.target_id.in_(ids))
        )
    ):
        found.update((source, target))
    return found - ids


def ties_of(session: Session, organisation_id: int | None) -> Ties:
    """The ties of ``organisation_id`` read from ATS memberships and collaborations.

    With ``None`` (no asking organisation) there are no ties, only who is in any ATS.
    """
    members = frozenset(session.execute(select(PartnershipMember.organisation_id)).scalars())
    if organisation_id is None:
        return Ties(frozenset(), frozenset(), members)
    direct = _neighbours(session, {organisation_id})
    second = _neighbours(session, direct) - direct - {organisation_id}
    return Ties(frozenset(direct), frozenset(second), members)


def draft_ats_led_by(
    session: Session, org_ids: list[int] | None = None
) -> dict[int, list[dict[str, str]]]:
    """Draft ATS (state ``bozza``) led by each organisation (default: by any): what an ETS
    looking for Enti Gestori can join (reciprocal use of matching)."""
    if org_ids is not None and not org_ids:
        return {}
    stmt = (
        select(PartnershipMember.organisation_id, Partnership.code, Partnership.title)
        .join(Partnership, Partnership.id == PartnershipMember.partnership_id)
        .where(
            PartnershipMember.role == MemberRole.CAPOFILA,
            Partnership.status == PartnershipStatus.BOZZA,
        )
        .order_by(Partnership.code)
    )
    if org_ids is not None:
        stmt = stmt.where(PartnershipMember.organisation_id.in_(org_ids))
    rows = session.execute(stmt)
    out: dict[int, list[dict[str, str]]] = {}
    for org_id, code, title in rows:
        out.setdefault(org_id, []).append({"code": code, "title": title})
    return out
