"""What the database says about one search: the query context.

:func:`read_context` runs every SQL query of a search (here and in the small readers it
calls: :func:`~matchmaker.matching.capacity.capacity_usage`,
:func:`~matchmaker.matching.network.ties_of`,
:func:`~matchmaker.matching.network.draft_ats_led_by`,
:func:`~matchmaker.matching.profiles.district_comuni`) and returns a plain, frozen
:class:`QueryContext`; scoring (:mod:`matchmaker.matching.scoring`) needs no session.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping

from sqlalchemy import select
from sqlalchemy.orm import Session

from matchmaker.domain import MemberRole, OrgKind, PartnershipStatus
from matchmaker.matching.capacity import capacity_usage
from matchmaker.matching.explain import DraftAts
from matchmaker.matching.network import Ties, draft_ats_led_by, ties_of
from matchmaker.matching.places import Gazetteer, PlaceSet
from matchmaker.matching.profiles import district_comuni
from matchmaker.matching.query import MatchQuery
from matchmaker.storage.models import Organisation, Partnership, PartnershipMember, Theme

__all__ = ["QueryContext", "read_context"]


@dataclasses.dataclass(frozen=True)
class QueryContext:
    """The query after enrichment from the asking organisation and its draft ATS.

    Attributes
    ----------
    query : MatchQuery
        The request as given (kinds, top_k, territory mode, radius, flags...).
    text : str
        The need text: the query's, else the asking organisation's (its draft ATS's
        descriptions first, then its own description or name).
    declared : tuple of (str, float)
        Declared theme codes with their weights: the query's (1), the asking
        organisation's (0.5), its draft ATS's (1); repeated codes add up.
    places : PlaceSet
        Places named in the text, plus the asking organisation's and its drafts'
        comuni, plus the comuni of the requested districts.
    exclude : frozenset of str
        Tax codes never to suggest (asked, the asker, the members of its drafts).
    asker_id : int or None
        The asking organisation's id.
    at_capacity : frozenset of int
        Ids of organisations with no room left in the query's round and measure (empty
        unless both are given).
    ties : Ties or None
        The asker's ties and who is in any ATS; None unless there is an asker or
        ``prefer_newcomers`` is set.
    drafts : mapping of int to tuple of DraftAts
        Draft ATS led by each organisation, read when Enti Gestori are asked for.
    """

    query: MatchQuery
    text: str = ""
    declared: tuple[tuple[str, float], ...] = ()
    places: PlaceSet = dataclasses.field(default_factory=PlaceSet)
    exclude: frozenset[str] = frozenset()
    asker_id: int | None = None
    at_capacity: frozenset[int] = frozenset()
    ties: Ties | None = None
    drafts: Mapping[int, tuple[DraftAts, ...]] = dataclasses.field(default_factory=dict)


def read_context(session: Session, query: MatchQuery, gazetteer: Gazetteer) -> QueryContext:
    """The context of ``query``: everything a search reads from the database.

    Parameters
    ----------
    session : Session
    query : MatchQuery
    gazetteer : Gazetteer
        Finds the places named in the text.

    Raises
    ------
    ValueError
        When ``for_tax_code``, a district or a theme is unknown, or the request has no text, no
        themes and no asking organisation.
    """
    text = query.text.strip()
    if query.themes:
        known = set(session.scalars(select(Theme.code).where(Theme.code.in_(query.themes))))
        unknown = [code for code in query.themes if code not in known]
        if unknown:
            raise ValueError(f"themes: tema sconosciuto: {unknown[0]}")
    declared = [(code, 1.0) for code in query.themes]
    exclude = set(query.exclude_tax_codes)
    places = gazetteer.find(text) if text else PlaceSet()
    asker_id = None
    if query.for_tax_code:
        org = session.scalar(
            select(Organisation).where(Organisation.tax_code == query.for_tax_code)
        )
        if org is None:
            raise ValueError(f"for_tax_code: nessun ente con codice fiscale {query.for_tax_code}")
        asker_id = org.id
        exclude.add(org.tax_code)
        extra_text = [org.description or org.name]
        declared += [(t.code, 0.5) for t in org.themes]
        comuni = {c.istat_code for c in org.comuni_served}
        if org.seat_comune_code:
            comuni.add(org.seat_comune_code)
        for district in org.districts:
            comuni.update(c.istat_code for c in district.comuni)
        for ats in _drafts_led(session, org.id):
            if ats.description:
                extra_text.insert(0, ats.description)
            declared += [(t.code, 1.0) for t in ats.themes]
            for district in ats.districts:
                comuni.update(c.istat_code for c in district.comuni)
            exclude.update(m.organisation.tax_code for m in ats.members)
        if not text:
            text = " ".join(t for t in extra_text if t).strip()
        if comuni:
            places = places.union(PlaceSet(comuni=frozenset(comuni)))
    if query.districts:
        found = district_comuni(session, query.districts)
        unknown = [code for code in query.districts if not found.get(code)]
        if unknown:
            raise ValueError(f"districts: distretto sconosciuto o senza comuni: {unknown[0]}")
        comuni = frozenset(c for codes in found.values() for c in codes)
        places = places.union(PlaceSet(comuni=comuni, labels=tuple(query.districts)))
    if not text and not declared:
        raise ValueError("richiesta vuota: indicare un testo, dei temi o l'ente richiedente")
    at_capacity: frozenset[int] = frozenset()
    if query.call_round is not None and query.measure is not None:
        usage = capacity_usage(session, query.call_round, query.measure)
        at_capacity = frozenset(org_id for org_id, cap in usage.items() if cap.full)
    ties = None
    if asker_id is not None or query.prefer_newcomers:
        ties = ties_of(session, asker_id)
    drafts: dict[int, tuple[DraftAts, ...]] = {}
    if OrgKind.ENTE_GESTORE.value in query.kinds:
        led = draft_ats_led_by(session)
        drafts = {k: tuple(DraftAts(d["code"], d["title"]) for d in v) for k, v in led.items()}
    return QueryContext(
        query=query,
        text=text,
        declared=tuple(declared),
        places=places,
        exclude=frozenset(exclude),
        asker_id=asker_id,
        at_capacity=at_capacity,
        ties=ties,
        drafts=drafts,
    )


def _drafts_led(session: Session, organisation_id: int) -> list[Partnership]:
    """The draft ATS (state ``bozza``) of which the organisation is the capofila."""
    return list(
        session.scalars(
            select(Partnership)
            .join(PartnershipMember, PartnershipMember.partnership_id == Partnership.id)
            .where(
                PartnershipMember.organisation_id == organisation_id,
                PartnershipMember.role == MemberRole.CAPOFILA,
                Partnership.status == PartnershipStatus.BOZZA,
            )
        ).all()
    )
