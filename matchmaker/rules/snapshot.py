"""Loading a :class:`~matchmaker.rules.world.World` snapshot from the database."""

from __future__ import annotations

from collections import defaultdict

from sqlalchemy import select
from sqlalchemy.orm import Session

from matchmaker.domain import OrgKind, PartnershipStatus, Sector
from matchmaker.rules.world import DistrictInfo, OrgInfo, StoredAts, World
from matchmaker.storage.models import (
    ASL,
    Comune,
    ComuneAdjacency,
    District,
    Organisation,
    Partnership,
    PartnershipMember,
    Theme,
    district_comune,
    organisation_comune,
    organisation_district,
    organisation_theme,
    partnership_district,
    partnership_theme,
)

__all__ = ["load_world"]


def load_world(session: Session) -> World:
    """Read a :class:`World` from a session: a few queries, no ORM objects kept."""
    pairs: dict[tuple[str, int], set[str]] = defaultdict(set)
    queries = {
        "district": select(organisation_district.c.organisation_id, District.code).join(
            District, District.id == organisation_district.c.district_id
        ),
        "comune": select(organisation_comune.c.organisation_id, organisation_comune.c.comune_code),
        "theme": select(organisation_theme.c.organisation_id, organisation_theme.c.theme_code),
    }
    for key, query in queries.items():
        for org_id, value in session.execute(query):
            pairs[(key, org_id)].add(value)
    orgs = [
        OrgInfo(
            id=r.id,
            tax_code=r.tax_code,
            name=r.name,
            kind=OrgKind(r.kind),
            sector=Sector(r.sector),
            seat=r.seat_comune_code,
            runts_section=r.runts_section.value if r.runts_section else None,
            districts=frozenset(pairs[("district", r.id)]),
            served=frozenset(pairs[("comune", r.id)]),
            themes=frozenset(pairs[("theme", r.id)]),
        )
        for r in session.execute(
            select(
                Organisation.id,
                Organisation.tax_code,
                Organisation.name,
                Organisation.kind,
                Organisation.sector,
                Organisation.seat_comune_code,
                Organisation.runts_section,
            )
        )
    ]
    kind_of = {o.id: o for o in orgs}
    d_comuni: dict[int, set[str]] = defaultdict(set)
    for did, comune in session.execute(
        select(district_comune.c.district_id, district_comune.c.comune_code)
    ):
        d_comuni[did].add(comune)
    d_egs: dict[str, list[OrgInfo]] = defaultdict(list)
    for o in orgs:
        if o.kind == OrgKind.ENTE_GESTORE:
            for code in o.districts:
                d_egs[code].append(o)
    districts = [
        DistrictInfo(
            code=code,
            name=name,
            comuni=frozenset(d_comuni[did]),
            enti_gestori=tuple(
                o.tax_code for o in sorted(d_egs[code], key=lambda o: (o.name, o.tax_code))
            ),
        )
        for did, code, name in session.execute(
            select(District.id, District.code, District.name).order_by(District.code)
        )
    ]
    partnerships = _load_partnerships(session, kind_of)
    comuni = session.execute(select(Comune.istat_code, Comune.name, Comune.asl_code)).all()
    adjacency = session.execute(select(ComuneAdjacency.comune_a, ComuneAdjacency.comune_b))
    return World(
        orgs=orgs,
        districts=districts,
        partnerships=partnerships,
        comune_asl={c.istat_code: c.asl_code for c in comuni},
        comune_names={c.istat_code: c.name for c in comuni},
        asl_names=dict(session.execute(select(ASL.code, ASL.name)).all()),
        adjacency=[tuple(r) for r in adjacency],
        themes={
            r.code: (r.label_it, r.label_en)
            for r in session.execute(select(Theme.code, Theme.label_it, Theme.label_en))
        },
    )


def _load_partnerships(session: Session, orgs_by_id: dict[int, OrgInfo]) -> list[StoredAts]:
    members: dict[int, dict[str, str]] = defaultdict(dict)
    for pid, oid, role in session.execute(
        select(
            PartnershipMember.partnership_id,
            PartnershipMember.organisation_id,
            PartnershipMember.role,
        ).order_by(PartnershipMember.id)
    ):
        members[pid][orgs_by_id[oid].tax_code] = getattr(role, "value", role)
    dists: dict[int, list[str]] = defaultdict(list)
    for pid, code in session.execute(
        select(partnership_district.c.partnership_id, District.code)
        .join(District, District.id == partnership_district.c.district_id)
        .order_by(District.code)
    ):
        dists[pid].append(code)
    themes: dict[int, list[str]] = defaultdict(list)
    for pid, code in session.execute(
        select(partnership_theme.c.partnership_id, Theme.code)
        .join(Theme, Theme.code == partnership_theme.c.theme_code)
        .order_by(Theme.code)
    ):
        themes[pid].append(code)
    rows = session.execute(
        select(
            Partnership.id,
            Partnership.code,
            Partnership.title,
            Partnership.measure,
            Partnership.call_round,
            Partnership.status,
        ).order_by(Partnership.code)
    )
    return [
        StoredAts(
            id=r.id,
            code=r.code,
            title=r.title,
            measure=r.measure,
            call_round=r.call_round,
            status=PartnershipStatus(r.status),
            members=members[r.id],
            districts=tuple(dists[r.id]),
            themes=tuple(themes[r.id]),
        )
        for r in rows
    ]
