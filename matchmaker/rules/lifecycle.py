"""ATS lifecycle: allowed status transitions, rules re-checked at each, dated history.

bozza -> preliminare_presentato -> ammesso_fase2 | non_ammesso;
ammesso_fase2 -> definitivo_presentato -> finanziato | non_finanziato; finanziato -> concluso.

At every transition the stored composition is checked again and a summary of the check is
kept in the history row (:class:`~matchmaker.storage.rules_models.AtsStatusChange`). A
*submission* (into ``preliminare_presentato`` or ``definitivo_presentato``, i.e. every move
out of ``bozza``) is refused when the composition has error-level findings; the Region's
decisions (admitted, funded...) are recorded whatever the check says, with its summary.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select
from sqlalchemy.orm import Session

from matchmaker.domain import STATUS_LABELS, DomainError, MemberRole, PartnershipStatus
from matchmaker.rules.catalogue import Catalogue
from matchmaker.rules.engine import evaluate
from matchmaker.rules.model import CheckResult, Composition, Member
from matchmaker.rules.world import World
from matchmaker.storage.models import Partnership, utcnow
from matchmaker.storage.rules_models import AtsStatusChange

__all__ = [
    "SUBMISSIONS",
    "TRANSITIONS",
    "TransitionRefused",
    "composition_of",
    "find_partnership",
    "history",
    "transition",
]

S = PartnershipStatus
#: allowed next statuses
TRANSITIONS: dict[PartnershipStatus, tuple[PartnershipStatus, ...]] = {
    S.BOZZA: (S.PRELIMINARE_PRESENTATO,),
    S.PRELIMINARE_PRESENTATO: (S.AMMESSO_FASE2, S.NON_AMMESSO),
    S.AMMESSO_FASE2: (S.DEFINITIVO_PRESENTATO,),
    S.DEFINITIVO_PRESENTATO: (S.FINANZIATO, S.NON_FINANZIATO),
    S.FINANZIATO: (S.CONCLUSO,),
    S.NON_AMMESSO: (),
    S.NON_FINANZIATO: (),
    S.CONCLUSO: (),
}
#: transitions into these statuses are refused when the composition is not admissible
SUBMISSIONS = frozenset({S.PRELIMINARE_PRESENTATO, S.DEFINITIVO_PRESENTATO})


class TransitionRefused(DomainError):
    """A status change is not allowed; ``result`` holds the check when rules refused it."""

    def __init__(
        self, message: str, *, result: CheckResult | None = None, en: str | None = None
    ) -> None:
        super().__init__(message, field="status", kind="state", en=en)
        self.result = result


def find_partnership(session: Session, key: int | str) -> Partnership:
    """The ATS with this id or code; :class:`DomainError` when there is none."""
    if isinstance(key, int) or (isinstance(key, str) and key.isdigit()):
        found = session.get(Partnership, int(key))
        if found is not None:
            return found
    found = session.scalar(select(Partnership).where(Partnership.code == str(key)))
    if found is None:
        raise DomainError(f"nessuna ATS con id o codice {key!r}", field="partnership", value=key)
    return found


def composition_of(partnership: Partnership) -> Composition:
    """The composition of a stored ATS (it does not count against itself)."""
    return Composition(
        measure=partnership.measure,
        call_round=partnership.call_round,
        districts=tuple(d.code for d in partnership.districts),
        members=tuple(
            Member(m.organisation.tax_code, MemberRole(m.role)) for m in partnership.members
        ),
        themes=tuple(t.code for t in partnership.themes),
        code=partnership.code,
    )


def transition(
    session: Session,
    key: int | str,
    to_status: PartnershipStatus | str,
    *,
    actor: str,
    note: str = "",
    at: dt.datetime | None = None,
    catalogue: Catalogue | None = None,
) -> AtsStatusChange:
    """Move an ATS to ``to_status``, re-checking its rules; return the history row.

    Parameters
    ----------
    session : Session
        The unit of work (the caller commits).
    key : int or str
        The ATS id or code.
    to_status : PartnershipStatus or str
    actor : str
        Who makes the change (kept in the history and the audit log).
    note : str
        Free text (e.g. the act that admitted the project: "D.D. 134 del 23/02/2018").
    at : datetime, optional
        When the change happened (default now, UTC).

    Raises
    ------
    TransitionRefused
        When the transition is not in :data:`TRANSITIONS`, or it is a submission and the
        composition has error-level findings (``exc.result`` has them).
    """
    try:
        target = PartnershipStatus(to_status)
    except ValueError:
        raise DomainError(
            f"stato {to_status!r} sconosciuto", field="status", value=to_status
        ) from None
    if not actor or not actor.strip():
        raise DomainError("actor: indicare chi esegue il cambio di stato", field="actor")
    ats = find_partnership(session, key)
    current = PartnershipStatus(ats.status)
    if target not in TRANSITIONS[current]:
        allowed = ", ".join(s.value for s in TRANSITIONS[current]) or "nessuno (stato finale)"
        raise TransitionRefused(
            f"ATS {ats.code}: passaggio da «{STATUS_LABELS[current]}» a "
            f"«{STATUS_LABELS[target]}» non consentito (ammessi: {allowed})",
            en=f"ATS {ats.code}: change from {current.value} to {target.value} not allowed "
            f"(allowed: {', '.join(s.value for s in TRANSITIONS[current]) or 'none'})",
        )
    session.flush()
    # this transaction's own state (flushed, not committed): never a cached snapshot
    result = evaluate(composition_of(ats), World.load(session), catalogue)
    if target in SUBMISSIONS and not result.admissible:
        raise TransitionRefused(
            f"ATS {ats.code}: la composizione non è ammissibile "
            f"({', '.join(result.rule_ids('error'))}): impossibile passare a "
            f"«{STATUS_LABELS[target]}»",
            result=result,
            en=f"ATS {ats.code}: the composition is not admissible "
            f"({', '.join(result.rule_ids('error'))}): cannot move to {target.value}",
        )
    change = AtsStatusChange(
        partnership_id=ats.id,
        from_status=current,
        to_status=target,
        at=at or utcnow(),
        actor=actor.strip(),
        note=note,
        admissible=result.admissible,
        check_summary=result.summary(),
    )
    ats.status = target
    session.add(change)
    session.flush()
    return change


def history(session: Session, key: int | str) -> list[AtsStatusChange]:
    """The status changes of an ATS, oldest first."""
    ats = find_partnership(session, key)
    return list(
        session.scalars(
            select(AtsStatusChange)
            .where(AtsStatusChange.partnership_id == ats.id)
            .order_by(AtsStatusChange.at, AtsStatusChange.id)
        )
    )
