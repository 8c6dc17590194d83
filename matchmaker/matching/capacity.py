"""How many ATS of a call round and measure each organisation is already in.

The call's limits (Misura 1): an ETS may take part in at most two projects, an Ente Gestore
in only one ATS. Drafts (not yet submitted) and ATS that were not admitted or not funded do
not count: the same statuses the rules engine ignores (``ignore_statuses`` of the rules
M1-ETS-MAX2 and M1-EG-UNA-ATS), so that matching and rule checks agree.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from matchmaker.domain import OrgKind, PartnershipStatus
from matchmaker.storage.models import Organisation, Partnership, PartnershipMember

__all__ = ["CAPACITY_LIMITS", "INACTIVE_STATUSES", "Capacity", "capacity_usage", "over_capacity"]

#: most ATS of one round and measure an organisation of each kind may join
CAPACITY_LIMITS: dict[str, int] = {OrgKind.ETS.value: 2, OrgKind.ENTE_GESTORE.value: 1}

#: ATS in these states do not hold their members (drafts: not submitted yet)
INACTIVE_STATUSES = (
    PartnershipStatus.BOZZA,
    PartnershipStatus.NON_AMMESSO,
    PartnershipStatus.NON_FINANZIATO,
)


@dataclasses.dataclass(frozen=True)
class Capacity:
    """ATS counted for one organisation against its limit."""

    organisation_id: int
    kind: str
    used: int
    limit: int

    @property
    def full(self) -> bool:
        return self.used >= self.limit


def capacity_usage(
    session: Session,
    call_round: int,
    measure: int,
    *,
    exclude_partnership_ids: Iterable[int] = (),
) -> dict[int, Capacity]:
    """Active ATS per organisation in one call round and measure, for kinds with a limit.

    Parameters
    ----------
    session : Session
    call_round, measure : int
    exclude_partnership_ids : iterable of int
        ATS not to count (e.g. the draft being completed).

    Returns
    -------
    dict of int to Capacity
        Keyed by organisation id; organisations in no ATS are absent.
    """
    excluded = list(exclude_partnership_ids)
    stmt = (
        select(Organisation.id, Organisation.kind, func.count(PartnershipMember.id))
        .join(PartnershipMember, PartnershipMember.organisation_id == Organisation.id)
        .join(Partnership, Partnership.id == PartnershipMember.partnership_id)
        .where(
            Partnership.call_round == call_round,
            Partnership.measure == measure,
            Partnership.status.not_in(INACTIVE_STATUSES),
            Organisation.kind.in_([OrgKind(k) for k in CAPACITY_LIMITS]),
        )
        .group_by(Organisation.id, Organisation.kind)
    )
    if excluded:
        stmt = stmt.where(Partnership.id.not_in(excluded))
    out: dict[int, Capacity] = {}
    for org_id, kind, used in session.execute(stmt):
        kind = OrgKind(kind).value
        out[org_id] = Capacity(org_id, kind, int(used), CAPACITY_LIMITS[kind])
    return out


def over_capacity(
    session: Session, call_round: int, measure: int, **kwargs: Iterable[int]
) -> set[int]:
    """Ids of organisations that cannot join another ATS of this round and measure."""
    return {k for k, v in capacity_usage(session, call_round, measure, **kwargs).items() if v.full}
