"""Setting up and describing an instance: schema, reference data, counts.

These are the library functions behind ``matchmaker init`` and ``matchmaker db-info`` and
the web home page.
"""

from __future__ import annotations

import dataclasses
from collections import Counter

from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session

from matchmaker.config import Settings
from matchmaker.reference import LoadReport, load_reference
from matchmaker.storage import (
    ASL,
    Collaboration,
    Comune,
    Database,
    District,
    Organisation,
    Partnership,
    Province,
    Theme,
    current_revision,
    head_revision,
    upgrade,
)

__all__ = [
    "InitReport",
    "Overview",
    "SchemaNotReady",
    "ensure_schema_ready",
    "init_instance",
    "open_database",
    "overview",
]


class SchemaNotReady(RuntimeError):
    """The database is empty or behind the code's migrations: run ``matchmaker init``."""


def open_database(settings: Settings | None = None) -> Database:
    """A :class:`Database` for the configured URL (no connection is made yet)."""
    settings = settings or Settings.load()
    return Database(settings.database_url)


@dataclasses.dataclass
class InitReport:
    revision_before: str | None
    revision_after: str | None
    reference: LoadReport


def init_instance(database: Database, settings: Settings | None = None) -> InitReport:
    """Create or upgrade the schema and load the reference data. Idempotent.

    Parameters
    ----------
    database : Database
    settings : Settings, optional
        Where the reference data is (``reference_dir``).
    """
    settings = settings or Settings.load()
    before = current_revision(database.engine)
    after = upgrade(database.engine)
    with database.session(actor="matchmaker init") as session:
        report = load_reference(session, settings.reference_dir)
    return InitReport(before, after, report)


def ensure_schema_ready(engine: Engine) -> str:
    """Return the schema revision, or raise :class:`SchemaNotReady` with what to do."""
    current = current_revision(engine)
    head = head_revision()
    if current is None:
        raise SchemaNotReady("il database è vuoto: eseguire `matchmaker init`")
    if current != head:
        raise SchemaNotReady(
            f"lo schema del database è alla revisione {current}, il codice richiede {head}: "
            "eseguire `matchmaker init` per aggiornarlo"
        )
    return current


@dataclasses.dataclass(frozen=True)
class Overview:
    """What is in the database, for the home page and ``db-info``."""

    comuni: int
    provinces: int
    asl: int
    themes: int
    districts: int
    organisations: int
    partnerships: int
    collaborations: int
    illustrative: int
    organisations_by_kind: dict[str, int]
    provinces_detail: list[dict[str, object]]
    asl_detail: list[dict[str, object]]
    themes_by_group: dict[str, list[dict[str, str]]]


def overview(session: Session) -> Overview:
    """Counts and the reference tables' contents, in one read-only pass."""

    def count(model: type) -> int:
        return session.scalar(select(func.count()).select_from(model)) or 0

    by_kind = Counter(
        {
            str(kind.value): n
            for kind, n in session.execute(
                select(Organisation.kind, func.count()).group_by(Organisation.kind)
            )
        }
    )
    provinces = [
        {"code": code, "name": name, "comuni": n, "population": pop or 0}
        for code, name, n, pop in session.execute(
            select(
                Province.code,
                Province.name,
                func.count(Comune.istat_code),
                func.sum(Comune.population),
            )
            .join(Comune, Comune.province_code == Province.code, isouter=True)
            .group_by(Province.code, Province.name)
            .order_by(Province.name)
        )
    ]
    asl = [
        {"code": a.code, "name": a.name, "seat": a.seat, "provinces": a.provinces}
        for a in session.scalars(select(ASL).order_by(ASL.code))
    ]
    groups: dict[str, list[dict[str, str]]] = {}
    for t in session.scalars(select(Theme).order_by(Theme.group, Theme.label_it)):
        groups.setdefault(t.group, []).append(
            {"code": t.code, "label_it": t.label_it, "label_en": t.label_en}
        )
    illustrative = sum(
        session.scalar(select(func.count()).select_from(m).where(m.is_illustrative.is_(True))) or 0
        for m in (Organisation, District, Partnership, Collaboration)
    )
    return Overview(
        comuni=count(Comune),
        provinces=count(Province),
        asl=count(ASL),
        themes=count(Theme),
        districts=count(District),
        organisations=count(Organisation),
        partnerships=count(Partnership),
        collaborations=count(Collaboration),
        illustrative=illustrative,
        organisations_by_kind=dict(by_kind),
        provinces_detail=provinces,
        asl_detail=asl,
        themes_by_group=groups,
    )
