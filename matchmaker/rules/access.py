"""Who may change an ATS: staff any, an ``ente`` account only a draft its organisation is in.

Row-level rules that the web pages, the API and :class:`~matchmaker.rules.drafts.DraftService`
share; the role matrix of the web application decides who may reach a page at all.
"""

from __future__ import annotations

from matchmaker.domain import PartnershipStatus, Viewer
from matchmaker.rules.lifecycle import SUBMISSIONS, TRANSITIONS
from matchmaker.storage.models import Partnership

__all__ = ["editable_by", "next_statuses"]


def editable_by(viewer: Viewer, ats: Partnership) -> bool:
    """Staff edit any ATS; an ``ente`` account only a draft its organisation is in."""
    if viewer.is_staff:
        return True
    return (
        viewer.is_ente
        and ats.status == PartnershipStatus.BOZZA
        and viewer.organisation_id is not None
        and viewer.organisation_id in {m.organisation_id for m in ats.members}
    )


def next_statuses(viewer: Viewer, ats: Partnership) -> list[PartnershipStatus]:
    """The statuses ``viewer`` may move the ATS to (legal ones only): staff every next
    status, an ``ente`` account the submission of its own draft, others none."""
    nexts = list(TRANSITIONS[PartnershipStatus(ats.status)])
    if viewer.is_staff:
        return nexts
    if editable_by(viewer, ats):
        return [s for s in nexts if s in SUBMISSIONS]
    return []
