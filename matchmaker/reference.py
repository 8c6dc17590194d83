"""Reference data: the comuni, provinces, ASL and theme taxonomy of Piemonte.

The files live in ``data/reference/`` (see ``SOURCES.md`` there for sources and licences).
Reading them needs no database; :func:`load_reference` writes them into one, idempotently:
a second run changes nothing and leaves the same counts.
"""

from __future__ import annotations

import csv
import dataclasses
import functools
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from matchmaker.config import PROJECT_ROOT
from matchmaker.storage.models import ASL, AuditEntry, Comune, ComuneAdjacency, Province, Theme

__all__ = [
    "DEFAULT_REFERENCE_DIR",
    "PROVINCES",
    "AslRecord",
    "ComuneRecord",
    "LoadReport",
    "ReferenceData",
    "ThemeRecord",
    "load_reference",
    "read_reference",
]

DEFAULT_REFERENCE_DIR = PROJECT_ROOT / "data" / "reference"

#: the eight provinces of Piemonte: sigla -> (ISTAT code, name)
PROVINCES: dict[str, tuple[str, str]] = {
    "TO": ("001", "Torino"),
    "VC": ("002", "Vercelli"),
    "NO": ("003", "Novara"),
    "CN": ("004", "Cuneo"),
    "AT": ("005", "Asti"),
    "AL": ("006", "Alessandria"),
    "BI": ("096", "Biella"),
    "VB": ("103", "Verbano-Cusio-Ossola"),
}


@dataclasses.dataclass(frozen=True)
class ComuneRecord:
    istat_code: str
    name: str
    province: str
    cadastral_code: str
    lat: float | None
    lon: float | None
    area_km2: float | None
    population: int | None


@dataclasses.dataclass(frozen=True)
class AslRecord:
    code: str
    name: str
    seat: str
    provinces: tuple[str, ...]
    note: str | None


@dataclasses.dataclass(frozen=True)
class ThemeRecord:
    code: str
    label_it: str
    label_en: str
    group: str
    source: str | None


@dataclasses.dataclass(frozen=True)
class ReferenceData:
    """Everything in ``data/reference`` as plain Python values."""

    comuni: tuple[ComuneRecord, ...]
    adjacency: tuple[tuple[str, str], ...]
    asl: tuple[AslRecord, ...]
    themes: tuple[ThemeRecord, ...]

    def comune_asl(self) -> dict[str, str]:
        """ISTAT code -> ASL code, where the reference data determines it.

        A province served by a single ASL gives that ASL to all its comuni; the comune of
        Torino has its own ASL (Città di Torino). The other comuni of the provinces of Torino
        and Cuneo (several ASL each) stay unassigned: no open source of that table exists.
        """
        by_province: dict[str, list[AslRecord]] = {}
        for asl in self.asl:
            for province in asl.provinces:
                by_province.setdefault(province, []).append(asl)
        city = {a.seat: a.code for a in self.asl if "Città di" in a.name}
        out: dict[str, str] = {}
        for c in self.comuni:
            if c.name in city and c.province == "TO":
                out[c.istat_code] = city[c.name]
            elif len(by_province.get(c.province, [])) == 1:
                out[c.istat_code] = by_province[c.province][0].code
        return out


def _float(value: str) -> float | None:
    return float(value) if value.strip() else None


def _int(value: str) -> int | None:
    return int(value) if value.strip() else None


def _rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


@functools.lru_cache(maxsize=4)
def read_reference(directory: Path | str = DEFAULT_REFERENCE_DIR) -> ReferenceData:
    """Read the reference files of ``directory`` (cached per directory).

    Examples
    --------
    >>> ref = read_reference()
    >>> len(ref.comuni), len(ref.asl)
    (1179, 12)
    """
    directory = Path(directory)
    comuni = tuple(
        ComuneRecord(
            istat_code=r["istat_code"],
            name=r["name"],
            province=r["province"],
            cadastral_code=r["cadastral_code"],
            lat=_float(r["lat"]),
            lon=_float(r["lon"]),
            area_km2=_float(r["area_km2"]),
            population=_int(r["population_2011"]),
        )
        for r in _rows(directory / "comuni_piemonte.csv")
    )
    adjacency = tuple(
        tuple(sorted((r["istat_code_a"], r["istat_code_b"])))
        for r in _rows(directory / "comuni_piemonte_adjacency.csv")
    )
    asl = tuple(
        AslRecord(
            code=r["code"],
            name=r["name"],
            seat=r["seat"],
            provinces=tuple(p for p in r["provinces"].replace(",", " ").split() if p),
            note=r["note"] or None,
        )
        for r in _rows(directory / "asl_piemonte.csv")
    )
    themes = tuple(
        ThemeRecord(r["code"], r["label_it"], r["label_en"], r["group"], r["source"] or None)
        for r in _rows(directory / "themes.csv")
    )
    return ReferenceData(comuni=comuni, adjacency=adjacency, asl=asl, themes=themes)


@dataclasses.dataclass
class LoadReport:
    """What :func:`load_reference` did, per table: rows created and updated."""

    created: dict[str, int] = dataclasses.field(default_factory=dict)
    updated: dict[str, int] = dataclasses.field(default_factory=dict)

    @property
    def changed(self) -> bool:
        return any(self.created.values()) or any(self.updated.values())


def _upsert(session: Session, model: type, key: str, rows: list[dict], report: LoadReport) -> None:
    existing = {getattr(o, key): o for o in session.scalars(select(model))}
    created = updated = 0
    for row in rows:
        obj = existing.get(row[key])
        if obj is None:
            session.add(model(**row))
            created += 1
            continue
        changed = False
        for field, value in row.items():
            if getattr(obj, field) != value:
                setattr(obj, field, value)
                changed = True
        updated += changed
    report.created[model.__tablename__] = created
    report.updated[model.__tablename__] = updated


def load_reference(session: Session, directory: Path | str = DEFAULT_REFERENCE_DIR) -> LoadReport:
    """Write the reference data into the database; safe to run any number of times.

    Rows are matched by their natural key (province sigla, ASL code, ISTAT code, theme
    code): new ones are inserted, changed ones updated, nothing is deleted (organisations
    may point at a comune that a later boundary file merges away). When anything changed,
    one ``load`` entry with the counts goes into the audit log.

    Returns
    -------
    LoadReport
        Rows created and updated per table.
    """
    ref = read_reference(Path(directory))
    report = LoadReport()
    _upsert(
        session,
        Province,
        "code",
        [{"code": k, "istat_code": v[0], "name": v[1]} for k, v in PROVINCES.items()],
        report,
    )
    _upsert(
        session,
        ASL,
        "code",
        [
            {
                "code": a.code,
                "name": a.name,
                "seat": a.seat,
                "provinces": " ".join(a.provinces),
                "note": a.note,
            }
            for a in ref.asl
        ],
        report,
    )
    session.flush()
    asl_of = ref.comune_asl()
    _upsert(
        session,
        Comune,
        "istat_code",
        [
            {
                "istat_code": c.istat_code,
                "name": c.name,
                "province_code": c.province,
                "cadastral_code": c.cadastral_code,
                "lat": c.lat,
                "lon": c.lon,
                "area_km2": c.area_km2,
                "population": c.population,
                "asl_code": asl_of.get(c.istat_code),
            }
            for c in ref.comuni
        ],
        report,
    )
    _upsert(
        session,
        Theme,
        "code",
        [dataclasses.asdict(t) for t in ref.themes],
        report,
    )
    session.flush()
    present = set(session.execute(select(ComuneAdjacency.comune_a, ComuneAdjacency.comune_b)))
    missing = [pair for pair in dict.fromkeys(ref.adjacency) if pair not in present]
    session.add_all(ComuneAdjacency(comune_a=a, comune_b=b) for a, b in missing)
    report.created["comune_adjacency"] = len(missing)
    report.updated["comune_adjacency"] = 0
    if report.changed:
        session.add(
            AuditEntry(
                actor=session.info.get("actor") or "sistema",
                action="load",
                entity="reference",
                entity_key=str(directory)[-120:],
                changes={"created": report.created, "updated": report.updated},
            )
        )
    session.flush()
    return report
