"""The ATS builder's service: load, check, create, save, add or remove members, move
through the life cycle, list the drafts an account may add to.

:class:`DraftService` is what the web application and the API call. Each write is one
committed unit of work under the actor's name, refused with a field error
(:class:`~matchmaker.contract.ContractError`), a stale version
(:class:`~matchmaker.rules.drafts.StaleDraft`) or a refusal
(:class:`~matchmaker.rules.drafts.DraftRefused`); members are written by
:func:`~matchmaker.rules.drafts.write_members`, the one constructor of ATS members.
"""

from __future__ import annotations

import dataclasses

from sqlalchemy import case, select
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from matchmaker.contract import ContractError, FieldError
from matchmaker.contract.limits import MEMBERS_MAX
from matchmaker.domain import (
    DomainError,
    MemberRole,
    PartnershipStatus,
    Viewer,
    normalise_tax_code,
)
from matchmaker.registry.organisations import get_organisation
from matchmaker.registry.paging import NotFound
from matchmaker.registry.partnerships import get_partnership
from matchmaker.rules.access import editable_by, next_statuses
from matchmaker.rules.drafts import (
    AlreadyMember,
    Draft,
    DraftRefused,
    StaleDraft,
    draft_problems,
    new_code,
    own_member_error,
    write_members,
)
from matchmaker.rules.lifecycle import TransitionRefused, composition_of
from matchmaker.rules.model import Composition
from matchmaker.rules.report import describe, describe_proposals
from matchmaker.rules.service import AtsService
from matchmaker.storage.db import Database
from matchmaker.storage.models import District, Organisation, Partnership, PartnershipMember, utcnow
from matchmaker.storage.rules_models import AtsStatusChange

__all__ = ["DraftService"]


class DraftService:
    """Compose, check and follow ATS: the web application's and the API's one entry point.

    Parameters
    ----------
    database : Database
    ats : AtsService, optional
        The rules service (checks, proposals, transitions); by default one with the
        lexical candidate source.
    """

    def __init__(self, database: Database, ats: AtsService | None = None) -> None:
        self.database = database
        self.ats = ats or AtsService(database, candidates="lexical")

    # -- reading ----------------------------------------------------------------------------

    def load(self, session: Session, code: str) -> Partnership:
        """The ATS with its members and districts, read afresh (:class:`NotFound` when
        there is none)."""
        return get_partnership(session, code, fresh=True)

    @staticmethod
    def draft_of(ats: Partnership) -> Draft:
        """The stored ATS in the builder's terms."""
        return Draft(
            title=ats.title,
            description=ats.description or "",
            measure=ats.measure,
            call_round=ats.call_round,
            districts=tuple(d.code for d in ats.districts),
            members=composition_of(ats).members,
            themes=tuple(t.code for t in ats.themes),
        )

    def check_view(
        self,
        draft: Draft,
        *,
        code: str | None = None,
        fixes: bool = False,
        need: str = "",
        english: bool = False,
    ) -> dict:
        """The check of a draft as the builder shows it (see :func:`describe`); a stored
        draft (``code``) does not count against itself."""
        return self.check_composition_view(
            draft.composition(code), fixes=fixes, need=need or draft.need, english=english
        )

    def check_composition_view(
        self, composition: Composition, *, fixes: bool, need: str, english: bool = False
    ) -> dict:
        """The check of a composition (the builder's live check) as the builder shows it."""
        world = self.ats.world()
        result = self.ats.check(composition, fixes=fixes, need=need, world=world)
        return describe(result, world, self.ats.catalogue, english=english)

    def propose_view(
        self,
        text: str,
        *,
        for_tax_code: str | None,
        district: str | None,
        call_round: int | None,
        size: int = 3,
        english: bool = False,
    ) -> list[dict]:
        """Complete admissible teams for the capofila or the district, as the builder shows
        them (raises :class:`~matchmaker.rules.team.ProposalImpossible`)."""
        world = self.ats.world()
        proposals = self.ats.propose(
            text,
            for_tax_code=for_tax_code,
            district=district,
            call_round=call_round,
            size=size,
            world=world,
        )
        return describe_proposals(proposals, world, english=english)

    def history(self, code: str) -> list[AtsStatusChange]:
        """The status changes of an ATS, oldest first."""
        return self.ats.history(code)

    def measures(self) -> dict[int, dict]:
        """The measures of the rule catalogue, with their titles."""
        return {n: dict(info) for n, info in self.ats.catalogue.measures.items()}

    def visible_drafts(
        self, session: Session, viewer: Viewer, district: str | None = None
    ) -> list[tuple[str, str]]:
        """(code, "title (code)") of the drafts ``viewer`` may add members to, newest first;
        with ``district``, those covering it first."""
        if not (viewer.is_staff or viewer.is_ente):
            return []
        query = select(Partnership.code, Partnership.title).where(
            Partnership.status == PartnershipStatus.BOZZA
        )
        if viewer.is_ente:
            if viewer.organisation_id is None:
                return []
            query = query.where(
                Partnership.members.any(PartnershipMember.organisation_id == viewer.organisation_id)
            )
        order = [Partnership.id.desc()]
        if district:
            covers = Partnership.districts.any(District.code == district)
            order.insert(0, case((covers, 0), else_=1))
        return [(c, f"{t} ({c})") for c, t in session.execute(query.order_by(*order))]

    def next_round(self, measure: int = 1) -> int:
        """The round a new draft belongs to by default (see :meth:`AtsService.next_round`)."""
        return self.ats.next_round(self.ats.world(), measure)

    # -- writing ----------------------------------------------------------------------------

    def create(self, draft: Draft, *, actor: str, viewer: Viewer | None = None) -> str:
        """Store a new draft (status bozza) and return its code; a draft without a round
        goes to the open round of its measure (:meth:`next_round`)."""
        self.ats.require_rules(draft.measure)
        if draft.call_round is None:
            draft = dataclasses.replace(draft, call_round=self.next_round(draft.measure))
        with self.database.session(actor=actor) as session:
            orgs, districts = self._resolve(session, draft, viewer, creating=True)
            ats = Partnership(
                code=new_code(session, draft.call_round),
                title=draft.title,
                description=draft.description,
                measure=draft.measure,
                call_round=draft.call_round,
                status=PartnershipStatus.BOZZA,
                districts=districts,
            )
            session.add(ats)
            session.flush()
            write_members(session, ats, [(orgs[m.tax_code], m.role) for m in draft.members])
            return ats.code

    def save(
        self,
        code: str,
        draft: Draft,
        *,
        expected_version: int,
        actor: str,
        viewer: Viewer | None = None,
    ) -> int:
        """Rewrite a stored ATS whole; return its new version."""
        self.ats.require_rules(draft.measure)
        with self._unit(actor) as session:
            ats = self._editable(session, code, viewer, expected_version)
            orgs, districts = self._resolve(session, draft, viewer, creating=False)
            ats.updated_at = utcnow()  # the row changes at every save: its version moves on
            ats.title = draft.title
            ats.description = draft.description
            ats.measure = draft.measure
            ats.call_round = draft.call_round
            ats.districts = districts
            write_members(session, ats, [(orgs[m.tax_code], m.role) for m in draft.members])
            session.flush()
            return ats.version

    def add_member(
        self,
        code: str,
        tax_code: str,
        role: MemberRole | str = MemberRole.MANDANTE,
        *,
        actor: str,
        viewer: Viewer | None = None,
        expected_version: int | None = None,
    ) -> tuple[str, str]:
        """Add one organisation to a draft; return (its name, the ATS title)."""
        with self._unit(actor) as session:
            ats = self._editable(session, code, viewer, expected_version, drafts_only=True)
            org = _organisation(session, tax_code)
            if any(m.organisation_id == org.id for m in ats.members):
                raise AlreadyMember(org.name, ats.title)
            if len(ats.members) >= MEMBERS_MAX:
                raise ContractError.single(
                    "members",
                    "too_long",
                    f"l'ATS ha già {MEMBERS_MAX} membri",
                    f"the ATS already has {MEMBERS_MAX} members",
                )
            members = [(m.organisation_id, m.role) for m in ats.members]
            if MemberRole(role) == MemberRole.CAPOFILA:
                members = [(oid, MemberRole.MANDANTE) for oid, _r in members]
            write_members(session, ats, [*members, (org, MemberRole(role))])
            ats.updated_at = utcnow()
            return org.name, ats.title

    def remove_member(
        self,
        code: str,
        tax_code: str,
        *,
        actor: str,
        viewer: Viewer | None = None,
        expected_version: int | None = None,
    ) -> None:
        """Take one organisation out of a draft (an ``ente`` account cannot remove itself)."""
        with self._unit(actor) as session:
            ats = self._editable(session, code, viewer, expected_version, drafts_only=True)
            org = _organisation(session, tax_code)
            if not any(m.organisation_id == org.id for m in ats.members):
                raise NotFound(
                    f"«{org.name}» non fa parte dell'ATS «{ats.title}»",
                    field="tax_code",
                    value=org.tax_code,
                    kind="reference",
                    en=f"«{org.name}» is not a member of the ATS «{ats.title}»",
                )
            if viewer is not None and viewer.is_ente and viewer.organisation_id == org.id:
                raise ContractError([own_member_error(creating=False)])
            kept = [(m.organisation_id, m.role) for m in ats.members if m.organisation_id != org.id]
            write_members(session, ats, kept)
            ats.updated_at = utcnow()

    def transition(
        self,
        code: str,
        to_status: PartnershipStatus | str,
        *,
        actor: str,
        note: str = "",
        viewer: Viewer | None = None,
    ) -> AtsStatusChange:
        """Move an ATS to another status; only the statuses ``viewer`` may choose."""
        with self.database.session() as session:
            ats = self.load(session, code)
            current = PartnershipStatus(ats.status)
            allowed = next_statuses(viewer, ats) if viewer is not None else None
        if viewer is not None and not (viewer.is_staff or editable_by(viewer, ats)):
            raise DraftRefused(
                "il suo account non può cambiare lo stato di questa ATS",
                "your account may not change the status of this ATS",
                field="status",
            )
        if allowed is not None and PartnershipStatus(to_status) not in allowed:
            raise TransitionRefused(
                f"passaggio di stato non consentito da «{current.value}»",
                en=f"status change not allowed from «{current.value}»",
            )
        return self.ats.transition(code, to_status, actor=actor, note=note)

    # -- helpers ----------------------------------------------------------------------------

    def _unit(self, actor: str):
        return _StaleGuard(self.database.session(actor=actor))

    def _editable(
        self,
        session: Session,
        code: str,
        viewer: Viewer | None,
        expected_version: int | None,
        *,
        drafts_only: bool = False,
    ) -> Partnership:
        ats = self.load(session, code)
        if drafts_only and ats.status != PartnershipStatus.BOZZA:
            raise DomainError(
                f"l'ATS «{ats.title}» non è in bozza: non si possono aggiungere o togliere membri",
                field="status",
                kind="state",
                en=f"the ATS «{ats.title}» is not a draft: members cannot be added or removed",
            )
        if viewer is not None and not editable_by(viewer, ats):
            raise DraftRefused(
                "il suo account può modificare solo le ATS in bozza di cui il suo ente fa parte",
                "your account may change only the draft ATS your organisation is a member of",
            )
        if expected_version is not None and expected_version != ats.version:
            raise StaleDraft(
                f"l'ATS è stata modificata da altri (versione {ats.version}, la sua era "
                f"{expected_version}): nulla è stato salvato",
                f"the ATS was changed by someone else (version {ats.version}, yours was "
                f"{expected_version}): nothing was saved",
                expected_version,
            )
        return ats

    def problems(
        self, draft: Draft, viewer: Viewer | None = None, *, creating: bool = False
    ) -> list[FieldError]:
        """What the library refuses in a draft (unknown districts or members, two capofila,
        an ``ente`` account not among the members), without writing anything."""
        with self.database.session() as session:
            return draft_problems(session, draft, viewer, creating=creating)[0]

    def _resolve(
        self, session: Session, draft: Draft, viewer: Viewer | None, *, creating: bool
    ) -> tuple[dict[str, Organisation], list[District]]:
        """The organisations and districts a draft names; every problem is an error."""
        errors, orgs, found = draft_problems(session, draft, viewer, creating=creating)
        if errors:
            raise ContractError(errors)
        return orgs, [found[c] for c in draft.districts]


class _StaleGuard:
    """A unit of work whose concurrent-update failure is a :class:`StaleDraft`."""

    def __init__(self, unit) -> None:
        self._unit = unit

    def __enter__(self) -> Session:
        return self._unit.__enter__()

    def __exit__(self, kind, exc, tb) -> bool:
        try:
            return bool(self._unit.__exit__(kind, exc, tb))
        except StaleDataError:
            raise StaleDraft(
                "l'ATS è stata modificata da un'altra persona nel frattempo: nulla è stato salvato",
                "the ATS was changed by someone else meanwhile: nothing was saved",
            ) from None


def _organisation(session: Session, tax_code: str) -> Organisation:
    return get_organisation(session, normalise_tax_code(tax_code or ""))
