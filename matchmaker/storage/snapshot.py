"""One read-only snapshot of the database, shared by the rules and the network analysis.

:func:`load_snapshot` reads, in twelve bulk queries, the organisations (seat comune with its
name, province and centroid; districts, served comuni, themes), the districts and their
comuni, the ATS with their members in order, the declared collaborations and the reference
geography (comuni, ASL, adjacency, themes) into frozen records, keeping no ORM object. The
rules' ``World`` and the network's ``NetworkData`` are both built from it (``from_snapshot``);
:mod:`matchmaker.storage.snapshot_cache` keeps the latest one while the data does not change.
"""

from __future__ import annotations

import dataclasses
import threading
from collections import defaultdict
from collections.abc import Callable
from typing import Any, TypeVar

from sqlalchemy import literal_column, select, union_all
from sqlalchemy.orm import Session

from matchmaker.domain import OrgKind, PartnershipStatus, Sector
from matchmaker.storage.models import (
    ASL,
    Collaboration,
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

__all__ = [
    "CollaborationRow",
    "ComuneRow",
    "DataVersion",
    "DistrictRow",
    "MemberRow",
    "OrganisationRow",
    "PartnershipRow",
    "Snapshot",
    "ThemeRow",
    "load_snapshot",
]

T = TypeVar("T")
_record = dataclasses.dataclass(frozen=True, slots=True)


@_record
class OrganisationRow:
    """An organisation; code tuples (districts, served comuni, themes) are sorted."""

    id: int
    tax_code: str
    name: str
    kind: OrgKind
    sector: Sector
    seat: str | None
    comune_name: str | None
    province: str | None
    lat: float | None
    lon: float | None
    runts_section: str | None
    description: str
    districts: tuple[str, ...]
    served: tuple[str, ...]
    themes: tuple[str, ...]


@_record
class DistrictRow:
    """A Distretto della Coesione Sociale and its comuni (sorted ISTAT codes)."""

    code: str
    name: str
    comuni: tuple[str, ...]


@_record
class MemberRow:
    tax_code: str
    role: str


@_record
class PartnershipRow:
    """An ATS: members in the order they were added, district and theme codes sorted."""

    id: int
    code: str
    title: str
    measure: int
    call_round: int
    year: int | None
    status: PartnershipStatus
    members: tuple[MemberRow, ...]
    districts: tuple[str, ...]
    themes: tuple[str, ...]


@_record
class CollaborationRow:
    source: str
    target: str
    kind: str
    year_from: int | None
    year_to: int | None
    weight: float


@_record
class ComuneRow:
    code: str
    name: str
    province: str
    asl: str | None


@_record
class ThemeRow:
    code: str
    label_it: str
    label_en: str


@dataclasses.dataclass(frozen=True)
class DataVersion:
    """What a snapshot was read at (see the module docstring)."""

    generation: int
    last_audit: int | None
    recent_audit: int


@dataclasses.dataclass(frozen=True, eq=False)
class Snapshot:
    """The database as plain records; ``version`` is ``None`` when not cacheable.

    Organisations come by id, districts and ATS by code, collaborations by id, comuni by
    code, adjacency by pair; ASL and themes in table order (as the reference data loaded
    them, which the rules' theme detection follows).
    """

    organisations: tuple[OrganisationRow, ...]
    districts: tuple[DistrictRow, ...]
    partnerships: tuple[PartnershipRow, ...]
    collaborations: tuple[CollaborationRow, ...]
    comuni: tuple[ComuneRow, ...]
    asl: tuple[tuple[str, str], ...]
    adjacency: tuple[tuple[str, str], ...]
    themes: tuple[ThemeRow, ...]
    version: DataVersion | None = None
    _views: dict[Any, Any] = dataclasses.field(default_factory=dict, init=False, repr=False)
    _lock: Any = dataclasses.field(default_factory=threading.RLock, init=False, repr=False)

    def view(self, factory: Callable[[Snapshot], T]) -> T:
        """``factory(self)``, computed once per snapshot (e.g. ``World.from_snapshot``).

        The value is shared by every caller of this snapshot: treat it as read-only.
        """
        with self._lock:
            if factory not in self._views:
                self._views[factory] = factory(self)
            return self._views[factory]


def _pairs(session: Session, *queries: Any) -> dict[tuple[str, int], list[str]]:
    """``(tag, id) -> values`` from ``(tag, id, value)`` link queries, read as one UNION."""
    out: dict[tuple[str, int], list[str]] = defaultdict(list)
    for tag, key, value in session.execute(union_all(*queries)):
        out[(tag, key)].append(value)
    return out


def _link(tag: str, key: Any, value: Any) -> Any:
    return select(literal_column(f"'{tag}'"), key, value)  # tag: a constant letter, no input


def load_snapshot(session: Session, version: DataVersion | None = None) -> Snapshot:
    """Read a :class:`Snapshot` through ``session`` (its uncommitted changes included).

    Parameters
    ----------
    session : Session
    version : DataVersion, optional
        Recorded in the snapshot (:class:`SnapshotCache` passes the one it probed).

    Returns
    -------
    Snapshot
    """
    od, oc, ot = organisation_district.c, organisation_comune.c, organisation_theme.c
    pd, pt = partnership_district.c, partnership_theme.c
    by_district = District.id == od.district_id
    org_links = _pairs(
        session,
        _link("d", od.organisation_id, District.code).join(District, by_district),
        _link("c", oc.organisation_id, oc.comune_code),
        _link("t", ot.organisation_id, ot.theme_code),
    )
    ats_links = _pairs(
        session,
        _link("d", pd.partnership_id, District.code).join(District, District.id == pd.district_id),
        _link("t", pt.partnership_id, pt.theme_code),
    )
    d_comuni: dict[int, list[str]] = defaultdict(list)
    for did, comune in session.execute(select(district_comune.c["district_id", "comune_code"])):
        d_comuni[did].append(comune)
    districts = tuple(
        DistrictRow(code, name, tuple(sorted(d_comuni[did])))
        for did, code, name in session.execute(
            select(District.id, District.code, District.name).order_by(District.code)
        )
    )
    org_query = (
        select(
            Organisation.id,
            *(Organisation.tax_code, Organisation.name, Organisation.kind, Organisation.sector),
            *(Organisation.seat_comune_code, Comune.name, Comune.province_code),
            *(Comune.lat, Comune.lon, Organisation.runts_section, Organisation.description),
        )
        .outerjoin(Comune, Comune.istat_code == Organisation.seat_comune_code)
        .order_by(Organisation.id)
    )
    organisations = tuple(
        OrganisationRow(
            oid,
            *fields,
            runts.value if runts else None,
            description or "",
            *(tuple(sorted(org_links[(tag, oid)])) for tag in "dct"),
        )
        for oid, *fields, runts, description in session.execute(org_query)
    )
    tax_of = {o.id: o.tax_code for o in organisations}
    members: dict[int, list[MemberRow]] = defaultdict(list)
    pm = PartnershipMember
    for pid, oid, role in session.execute(
        select(pm.partnership_id, pm.organisation_id, pm.role).order_by(pm.id)
    ):
        members[pid].append(MemberRow(tax_of[oid], role.value))
    p = Partnership
    partnerships = tuple(
        PartnershipRow(
            *(pid, code, title, measure, call_round, year, status, tuple(members[pid])),
            *(tuple(sorted(ats_links[(tag, pid)])) for tag in "dt"),
        )
        for pid, code, title, measure, call_round, year, status in session.execute(
            select(p.id, p.code, p.title, p.measure, p.call_round, p.year, p.status).order_by(
                p.code
            )
        )
    )
    c = Collaboration
    collaborations = tuple(
        CollaborationRow(tax_of[src], tax_of[dst], kind.value, y_from, y_to, float(weight))
        for src, dst, kind, y_from, y_to, weight in session.execute(
            select(c.source_id, c.target_id, c.kind, c.year_from, c.year_to, c.weight).order_by(
                c.id
            )
        )
    )
    comuni = select(Comune.istat_code, Comune.name, Comune.province_code, Comune.asl_code)
    pairs = (ComuneAdjacency.comune_a, ComuneAdjacency.comune_b)
    return Snapshot(
        organisations=organisations,
        districts=districts,
        partnerships=partnerships,
        collaborations=collaborations,
        comuni=tuple(ComuneRow(*r) for r in session.execute(comuni.order_by(Comune.istat_code))),
        asl=tuple((code, name) for code, name in session.execute(select(ASL.code, ASL.name))),
        adjacency=tuple((a, b) for a, b in session.execute(select(*pairs).order_by(*pairs))),
        themes=tuple(
            ThemeRow(*r)
            for r in session.execute(select(Theme.code, Theme.label_it, Theme.label_en))
        ),
        version=version,
    )
