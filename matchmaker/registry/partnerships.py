"""Stored ATS as the pages and the API read them: filtered lists and records as plain data.

Writes to an ATS go through :class:`matchmaker.rules.drafts.DraftService`.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from matchmaker.registry.paging import NotFound, Page, paginate
from matchmaker.storage import District, Organisation, Partnership, PartnershipMember
from matchmaker.storage.audit import jsonable

__all__ = ["get_partnership", "list_partnerships", "partnership_dict", "partnership_rounds"]


def list_partnerships(
    session: Session,
    *,
    measure: int | None = None,
    call_round: int | None = None,
    status: str | None = None,
    district: str | None = None,
    member: str | None = None,
    page: int = 1,
    per_page: int = 50,
) -> Page[Partnership]:
    """ATS, newest round first, with filters."""
    query = select(Partnership).options(
        selectinload(Partnership.members).selectinload(PartnershipMember.organisation),
        selectinload(Partnership.districts),
        selectinload(Partnership.themes),
    )
    if measure is not None:
        query = query.where(Partnership.measure == measure)
    if call_round is not None:
        query = query.where(Partnership.call_round == call_round)
    if status:
        query = query.where(Partnership.status == status)
    if district:
        query = query.where(Partnership.districts.any(District.code == district))
    if member:
        query = query.where(
            Partnership.members.any(
                PartnershipMember.organisation.has(Organisation.tax_code == member.upper())
            )
        )
    query = query.order_by(Partnership.call_round.desc(), Partnership.code)
    return paginate(session, query, page, per_page)


def get_partnership(session: Session, code: str, *, fresh: bool = False) -> Partnership:
    """The ATS with ``code`` (``fresh``: read again, members included, e.g. after another
    session wrote it); :class:`NotFound` when there is none."""
    query = select(Partnership).where(Partnership.code == code)
    if fresh:
        query = query.options(
            selectinload(Partnership.members).selectinload(PartnershipMember.organisation),
            selectinload(Partnership.districts),
            selectinload(Partnership.themes),
        ).execution_options(populate_existing=True)
    p = session.scalar(query)
    if p is None:
        raise NotFound(
            f"nessuna ATS con codice {code}",
            field="code",
            value=code,
            kind="reference",
            en=f"no ATS with code {code}",
        )
    return p


def partnership_dict(p: Partnership) -> dict[str, Any]:
    return {
        "code": p.code,
        "title": p.title,
        "measure": p.measure,
        "round": p.call_round,
        "year": p.year,
        "status": p.status.value,
        "description": p.description,
        "budget_eur": jsonable(p.budget_eur),
        "districts": [d.code for d in p.districts],
        "themes": [t.code for t in p.themes],
        "members": [
            {
                "tax_code": m.organisation.tax_code,
                "name": m.organisation.name,
                "kind": m.organisation.kind.value,
                "role": m.role.value,
                "joined_on": jsonable(m.joined_on),
            }
            for m in p.members
        ],
        "is_illustrative": p.is_illustrative,
        "source": p.source,
        "version": p.version,
    }


def partnership_rounds(session: Session) -> list[int]:
    """The call rounds that have an ATS, in order."""
    query = select(Partnership.call_round).distinct().order_by(Partnership.call_round)
    return list(session.scalars(query))
