"""What the rules are checked against: a read-only snapshot of the database.

:class:`World` holds the organisations (kind, sector, seat, served comuni, districts, themes),
the districts with their comuni and Enti Gestori, the comuni of each ASL and the stored ATS
with their members, built from the database's one
:class:`~matchmaker.storage.snapshot.Snapshot` (:meth:`World.from_snapshot`; the network
records come from the same snapshot). Checks, fixes and team proposals then work on plain
Python values: one snapshot serves many checks (the benchmark proposes a team for every
Ente Gestore from one snapshot), and :class:`~matchmaker.rules.service.AtsService` reuses it
until the data change.

Territory of a public body with a territorial constitution:

- a Comune: its seat comune, plus any comuni it declares it serves;
- an Unione di Comuni: the comuni it serves, plus its seat;
- an ASL: the comuni it serves when declared, else the comuni whose ``Comune.asl_code`` is
  the ASL's code (found from its name, e.g. "ASL TO3", or from its seat). The reference data
  knows that table only where a province has a single ASL (and the comune of Torino): for
  the other ASL of Torino and Cuneo the territory is unknown (``None``).
"""

from __future__ import annotations

import dataclasses
import re
import unicodedata
from collections import defaultdict
from collections.abc import Iterable

from sqlalchemy.orm import Session

from matchmaker.domain import OrgKind, PartnershipStatus, Sector
from matchmaker.storage.snapshot import Snapshot, load_snapshot

__all__ = ["DistrictInfo", "OrgInfo", "StoredAts", "World", "fold_text"]


@dataclasses.dataclass(frozen=True)
class OrgInfo:
    """An organisation as the rules see it."""

    id: int
    tax_code: str
    name: str
    kind: OrgKind
    sector: Sector
    seat: str | None
    runts_section: str | None
    districts: frozenset[str]
    served: frozenset[str]
    themes: frozenset[str]


@dataclasses.dataclass(frozen=True)
class DistrictInfo:
    """A Distretto della Coesione Sociale: its comuni and its Enti Gestori (by tax code)."""

    code: str
    name: str
    comuni: frozenset[str]
    enti_gestori: tuple[str, ...]


@dataclasses.dataclass(frozen=True)
class StoredAts:
    """An ATS stored in the database."""

    id: int
    code: str
    title: str
    measure: int
    call_round: int
    status: PartnershipStatus
    members: dict[str, str]  # tax code -> role
    districts: tuple[str, ...]
    themes: tuple[str, ...]


def fold_text(text: str) -> str:
    text = unicodedata.normalize("NFKD", text)
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    return re.sub(r"[^a-z0-9]+", " ", text.lower()).strip()


class World:
    """A snapshot of the facts the rules need.

    Build it with :meth:`from_snapshot` (or :meth:`load` from a session); treat it as
    read-only, as cached worlds are shared.
    """

    def __init__(
        self,
        orgs: Iterable[OrgInfo],
        districts: Iterable[DistrictInfo],
        partnerships: Iterable[StoredAts],
        comune_asl: dict[str, str | None],
        comune_names: dict[str, str],
        asl_names: dict[str, str],
        adjacency: Iterable[tuple[str, str]] = (),
        themes: dict[str, tuple[str, str]] | None = None,
    ) -> None:
        self.themes: dict[str, tuple[str, str]] = dict(themes or {})
        self.orgs: dict[str, OrgInfo] = {o.tax_code: o for o in orgs}
        self.districts: dict[str, DistrictInfo] = {d.code: d for d in districts}
        self.partnerships: tuple[StoredAts, ...] = tuple(partnerships)
        self.comune_names = comune_names
        self.asl_names = asl_names
        self.comune_asl = comune_asl
        self.asl_comuni: dict[str, frozenset[str]] = {}
        grouped: dict[str, set[str]] = defaultdict(set)
        for comune, asl in comune_asl.items():
            if asl:
                grouped[asl].add(comune)
        self.asl_comuni = {k: frozenset(v) for k, v in grouped.items()}
        by_comune: dict[str, set[str]] = defaultdict(set)
        for d in self.districts.values():
            for c in d.comuni:
                by_comune[c].add(d.code)
        self.comune_districts = {c: frozenset(v) for c, v in by_comune.items()}
        self._adjacency = tuple(adjacency)
        self._district_neighbours: dict[str, frozenset[str]] | None = None
        self._memberships: dict[str, list[StoredAts]] = defaultdict(list)
        for ats in self.partnerships:
            for tax_code in ats.members:
                self._memberships[tax_code].append(ats)

    # --- loading -------------------------------------------------------------------

    @classmethod
    def from_snapshot(cls, snapshot: Snapshot) -> World:
        """The rules' view of a database snapshot.

        Parameters
        ----------
        snapshot : Snapshot
            From :func:`matchmaker.storage.snapshot.load_snapshot` or a
            :class:`~matchmaker.storage.snapshot_cache.SnapshotCache`.

        Returns
        -------
        World
        """
        orgs = [
            OrgInfo(
                *(o.id, o.tax_code, o.name, o.kind, o.sector, o.seat, o.runts_section),
                *(frozenset(o.districts), frozenset(o.served), frozenset(o.themes)),
            )
            for o in snapshot.organisations
        ]
        egs: dict[str, list[OrgInfo]] = defaultdict(list)
        for o in orgs:
            if o.kind == OrgKind.ENTE_GESTORE:
                for code in o.districts:
                    egs[code].append(o)
        districts = [
            DistrictInfo(
                d.code,
                d.name,
                frozenset(d.comuni),
                tuple(o.tax_code for o in sorted(egs[d.code], key=lambda o: (o.name, o.tax_code))),
            )
            for d in snapshot.districts
        ]
        partnerships = [
            StoredAts(
                *(p.id, p.code, p.title, p.measure, p.call_round, p.status),
                {m.tax_code: m.role for m in p.members},
                p.districts,
                p.themes,
            )
            for p in snapshot.partnerships
        ]
        return cls(
            orgs=orgs,
            districts=districts,
            partnerships=partnerships,
            comune_asl={c.code: c.asl for c in snapshot.comuni},
            comune_names={c.code: c.name for c in snapshot.comuni},
            asl_names=dict(snapshot.asl),
            adjacency=snapshot.adjacency,
            themes={t.code: (t.label_it, t.label_en) for t in snapshot.themes},
        )

    @classmethod
    def load(cls, session: Session) -> World:
        """Read a fresh snapshot through ``session`` (its uncommitted changes included)."""
        return cls.from_snapshot(load_snapshot(session))

    # --- queries -------------------------------------------------------------------

    def name(self, tax_code: str) -> str:
        """The organisation's name (the tax code itself when unknown)."""
        org = self.orgs.get(tax_code)
        return org.name if org else tax_code

    def label(self, tax_code: str) -> str:
        """``Name (tax code)``."""
        return f"{self.name(tax_code)} ({tax_code})"

    def district_label(self, code: str) -> str:
        d = self.districts.get(code)
        return f"{d.name} ({code})" if d else code

    def asl_code_of(self, org: OrgInfo) -> str | None:
        """The reference ASL an ASL organisation is, by name (e.g. "ASL TO3") or seat."""
        folded = f" {fold_text(org.name)} "
        best: tuple[int, str] | None = None
        for code, name in self.asl_names.items():
            key = fold_text(name)
            if key and f" {key} " in folded and (best is None or len(key) > best[0]):
                best = (len(key), code)
        if best:
            return best[1]
        if org.seat:
            return self.comune_asl.get(org.seat)
        return None

    def territory(self, org: OrgInfo) -> frozenset[str] | None:
        """The comuni of a territorial body's territory, ``None`` when not known."""
        own = set(org.served)
        if org.kind in (OrgKind.COMUNE, OrgKind.UNIONE_COMUNI):
            if org.seat:
                own.add(org.seat)
            return frozenset(own) or None
        if org.kind == OrgKind.ASL:
            if own:
                return frozenset(own)
            code = self.asl_code_of(org)
            comuni = self.asl_comuni.get(code) if code else None
            return comuni or None
        return frozenset(own) or None

    def districts_of_comuni(self, comuni: Iterable[str]) -> tuple[str, ...]:
        """Codes of the districts containing any of ``comuni``, sorted."""
        out: set[str] = set()
        for c in comuni:
            out |= self.comune_districts.get(c, frozenset())
        return tuple(sorted(out))

    def comuni_of(self, districts: Iterable[str]) -> frozenset[str]:
        out: set[str] = set()
        for code in districts:
            d = self.districts.get(code)
            if d:
                out |= d.comuni
        return frozenset(out)

    def counted_partnerships(
        self,
        tax_code: str,
        measure: int,
        call_round: int,
        *,
        exclude_code: str | None = None,
        ignore_statuses: Iterable[str] = ("bozza",),
    ) -> list[StoredAts]:
        """The stored ATS of one measure and round that ``tax_code`` is a member of.

        ATS whose status is in ``ignore_statuses`` (drafts, by default) and the ATS coded
        ``exclude_code`` (the one being checked) are left out.
        """
        ignored = {str(s) for s in ignore_statuses}
        return [
            ats
            for ats in self._memberships.get(tax_code, ())
            if ats.measure == measure
            and ats.call_round == call_round
            and ats.status.value not in ignored
            and ats.code != exclude_code
        ]

    def district_neighbours(self, code: str) -> frozenset[str]:
        """Districts sharing a border (two adjacent comuni) with district ``code``."""
        if self._district_neighbours is None:
            out: dict[str, set[str]] = defaultdict(set)
            for a, b in self._adjacency:
                for da in self.comune_districts.get(a, ()):
                    for db in self.comune_districts.get(b, ()):
                        if da != db:
                            out[da].add(db)
                            out[db].add(da)
            self._district_neighbours = {k: frozenset(v) for k, v in out.items()}
        return self._district_neighbours.get(code, frozenset())

    def ats_by_code(self, code: str) -> StoredAts | None:
        for ats in self.partnerships:
            if ats.code == code:
                return ats
        return None
