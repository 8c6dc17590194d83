"""Plain records of the collaboration network, read from the database or made by hand.

The graph builders in :mod:`matchmaker.network.build` work on these records only, so that
tests, benchmarks and notebooks can build networks without a database, and so that the
database is read once, in a handful of queries, whatever the size of the network.
"""

from __future__ import annotations

import dataclasses
from collections import defaultdict

from sqlalchemy import select
from sqlalchemy.orm import Session

from matchmaker.storage.models import (
    Collaboration,
    Comune,
    District,
    Organisation,
    Partnership,
    PartnershipMember,
    organisation_district,
    partnership_district,
    partnership_theme,
)
from matchmaker.storage.snapshot import Snapshot

__all__ = [
    "AtsRecord",
    "CollaborationRecord",
    "DistrictRecord",
    "NetworkData",
    "OrgRecord",
    "load_network_data",
]


@dataclasses.dataclass(frozen=True)
class OrgRecord:
    """An organisation as a node: identity, kind, sector, seat and districts."""

    tax_code: str
    name: str
    kind: str
    sector: str
    districts: tuple[str, ...] = ()
    comune: str | None = None
    comune_name: str | None = None
    province: str | None = None
    lat: float | None = None
    lon: float | None = None
    description: str = ""


@dataclasses.dataclass(frozen=True)
class AtsRecord:
    """An ATS with its members (tax codes) and the tax code of its capofila."""

    code: str
    title: str
    measure: int
    call_round: int
    year: int | None
    status: str
    members: tuple[str, ...]
    capofila: str | None = None
    themes: tuple[str, ...] = ()
    districts: tuple[str, ...] = ()


@dataclasses.dataclass(frozen=True)
class CollaborationRecord:
    """A declared tie between two organisations (tax codes)."""

    source: str
    target: str
    kind: str
    year_from: int | None = None
    year_to: int | None = None
    weight: float = 1.0


@dataclasses.dataclass(frozen=True)
class DistrictRecord:
    """A Distretto della Coesione Sociale (code and name)."""

    code: str
    name: str


@dataclasses.dataclass
class NetworkData:
    """Everything the graph builders need, as plain records."""

    organisations: list[OrgRecord]
    partnerships: list[AtsRecord] = dataclasses.field(default_factory=list)
    collaborations: list[CollaborationRecord] = dataclasses.field(default_factory=list)
    districts: list[DistrictRecord] = dataclasses.field(default_factory=list)

    @classmethod
    def from_snapshot(cls, snapshot: Snapshot) -> NetworkData:
        """The network's records of a database snapshot.

        Parameters
        ----------
        snapshot : Snapshot
            From :func:`matchmaker.storage.snapshot.load_snapshot` or a
            :class:`~matchmaker.storage.snapshot.SnapshotCache`.

        Returns
        -------
        NetworkData
            Organisations by tax code, ATS by code, collaborations as declared, districts by
            code, so that graphs built from them are reproducible.
        """
        organisations = [
            OrgRecord(
                *(o.tax_code, o.name, o.kind.value, o.sector.value, o.districts, o.seat),
                *(o.comune_name, o.province, o.lat, o.lon, o.description),
            )
            for o in sorted(snapshot.organisations, key=lambda o: o.tax_code)
        ]
        partnerships = [
            AtsRecord(
                *(p.code, p.title, p.measure, p.call_round, p.year, p.status.value),
                tuple(sorted(m.tax_code for m in p.members)),
                next((m.tax_code for m in p.members if m.role == "capofila"), None),
                p.themes,
                p.districts,
            )
            for p in snapshot.partnerships
        ]
        collaborations = [
            CollaborationRecord(c.source, c.target, c.kind, c.year_from, c.year_to, c.weight)
            for c in snapshot.collaborations
        ]
        districts = [DistrictRecord(d.code, d.name) for d in snapshot.districts]
        return cls(organisations, partnerships, collaborations, districts)

    def organisation(self, tax_code: str) -> OrgRecord:
        """The organisation with ``tax_code`` (``KeyError`` if absent)."""
        index = self.__dict__.get("_index")
        if index is None:
            index = {o.tax_code: o for o in self.organisations}
            self.__dict__["_index"] = index
        return index[tax_code]


def load_network_data(session: Session) -> NetworkData:
    """Read organisations, ATS, memberships, collaborations and districts from a session.

    Parameters
    ----------
    session : sqlalchemy.orm.Session
        An open session on a matchmaker database.

    Returns
    -------
    NetworkData
        Records keyed by tax code (organisations) and code (ATS, districts), in a stable
        order (tax code, ATS code), so that graphs built from them are reproducible.
    """
    districts = {
        d_id: (code, name)
        for d_id, code, name in session.execute(select(District.id, District.code, District.name))
    }
    org_districts: dict[int, list[str]] = defaultdict(list)
    for org_id, d_id in session.execute(
        select(organisation_district.c.organisation_id, organisation_district.c.district_id)
    ):
        org_districts[org_id].append(districts[d_id][0])
    rows = session.execute(
        select(
            Organisation.id,
            Organisation.tax_code,
            Organisation.name,
            Organisation.kind,
            Organisation.sector,
            Organisation.seat_comune_code,
            Organisation.description,
            Comune.name,
            Comune.province_code,
            Comune.lat,
            Comune.lon,
        )
        .outerjoin(Comune, Comune.istat_code == Organisation.seat_comune_code)
        .order_by(Organisation.tax_code)
    ).all()
    tax_by_id: dict[int, str] = {}
    organisations = []
    for org_id, tax, name, kind, sector, comune, desc, c_name, prov, lat, lon in rows:
        tax_by_id[org_id] = tax
        organisations.append(
            OrgRecord(
                tax_code=tax,
                name=name,
                kind=str(getattr(kind, "value", kind)),
                sector=str(getattr(sector, "value", sector)),
                districts=tuple(sorted(org_districts.get(org_id, ()))),
                comune=comune,
                comune_name=c_name,
                province=prov,
                lat=lat,
                lon=lon,
                description=desc or "",
            )
        )
    members: dict[int, list[tuple[str, str]]] = defaultdict(list)
    for p_id, o_id, role in session.execute(
        select(
            PartnershipMember.partnership_id,
            PartnershipMember.organisation_id,
            PartnershipMember.role,
        ).order_by(PartnershipMember.id)
    ):
        members[p_id].append((tax_by_id[o_id], str(getattr(role, "value", role))))
    themes: dict[int, list[str]] = defaultdict(list)
    for p_id, theme in session.execute(
        select(partnership_theme.c.partnership_id, partnership_theme.c.theme_code)
    ):
        themes[p_id].append(theme)
    ats_districts: dict[int, list[str]] = defaultdict(list)
    for p_id, d_id in session.execute(
        select(partnership_district.c.partnership_id, partnership_district.c.district_id)
    ):
        ats_districts[p_id].append(districts[d_id][0])
    partnerships = []
    for p in session.execute(
        select(
            Partnership.id,
            Partnership.code,
            Partnership.title,
            Partnership.measure,
            Partnership.call_round,
            Partnership.year,
            Partnership.status,
        ).order_by(Partnership.code)
    ):
        these = members.get(p.id, [])
        partnerships.append(
            AtsRecord(
                code=p.code,
                title=p.title,
                measure=p.measure,
                call_round=p.call_round,
                year=p.year,
                status=str(getattr(p.status, "value", p.status)),
                members=tuple(sorted(t for t, _ in these)),
                capofila=next((t for t, role in these if role == "capofila"), None),
                themes=tuple(sorted(themes.get(p.id, ()))),
                districts=tuple(sorted(ats_districts.get(p.id, ()))),
            )
        )
    collaborations = [
        CollaborationRecord(
            source=tax_by_id[c.source_id],
            target=tax_by_id[c.target_id],
            kind=str(getattr(c.kind, "value", c.kind)),
            year_from=c.year_from,
            year_to=c.year_to,
            weight=float(c.weight),
        )
        for c in session.execute(
            select(
                Collaboration.source_id,
                Collaboration.target_id,
                Collaboration.kind,
                Collaboration.year_from,
                Collaboration.year_to,
                Collaboration.weight,
            ).order_by(Collaboration.id)
        )
    ]
    return NetworkData(
        organisations=organisations,
        partnerships=partnerships,
        collaborations=collaborations,
        districts=[DistrictRecord(code, name) for code, name in sorted(districts.values())],
    )
