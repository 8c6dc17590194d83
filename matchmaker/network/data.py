"""Plain records of the collaboration network, read from the database or made by hand.

The graph builders in :mod:`matchmaker.network.build` work on these records only, so that
tests, benchmarks and notebooks can build networks without a database, and so that the
database is read once, in a handful of queries, whatever the size of the network: the
records come from the same :class:`~matchmaker.storage.snapshot.Snapshot` as the rules'
``World`` (:meth:`NetworkData.from_snapshot`).
"""

from __future__ import annotations

import dataclasses

from sqlalchemy.orm import Session

from matchmaker.storage.snapshot import Snapshot, load_snapshot

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
            :class:`~matchmaker.storage.snapshot_cache.SnapshotCache`.

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

    The records of a fresh :func:`~matchmaker.storage.snapshot.load_snapshot` (uncommitted
    changes of ``session`` included); :func:`matchmaker.network.service.load_graphs` uses
    the cached snapshot instead.

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
    return NetworkData.from_snapshot(load_snapshot(session))
