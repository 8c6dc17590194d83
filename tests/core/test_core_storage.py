"""Schema: migrations from empty on SQLite and PostgreSQL, constraints in the database."""

from __future__ import annotations

import pytest
import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy.orm.exc import StaleDataError

from matchmaker.domain import MemberRole, OrgKind, Sector
from matchmaker.storage import (
    Base,
    Database,
    Organisation,
    Partnership,
    PartnershipMember,
    current_revision,
    head_revision,
    upgrade,
)


def test_migrations_run_up_from_empty_and_match_the_models(any_url):
    db = Database(any_url)
    try:
        assert current_revision(db.engine) is None
        assert upgrade(db.engine) == head_revision()
        tables = set(sa.inspect(db.engine).get_table_names())
        assert {t.name for t in Base.metadata.sorted_tables} <= tables
        with db.engine.connect() as conn:
            diff = compare_metadata(
                MigrationContext.configure(conn, opts={"compare_type": True}), Base.metadata
            )
        assert diff == []
        # a second upgrade is a no-op
        assert upgrade(db.engine) == head_revision()
    finally:
        db.dispose()


def _org(**kw) -> Organisation:
    base = {
        "kind": OrgKind.ETS,
        "sector": Sector.THIRD_SECTOR,
        "name": "Cooperativa Prova",
        "tax_code": "00514490010",
        "seat_comune_code": "001272",
    }
    base.update(kw)
    return Organisation(**base)


def _insert_raw(db: Database, **values) -> None:
    row = {
        "kind": "ets",
        "sector": "third_sector",
        "name": "X",
        "tax_code": "80087670016",
        "description": "",
        "is_illustrative": False,
        "created_at": "2026-01-01 00:00:00",
        "updated_at": "2026-01-01 00:00:00",
        "version": 1,
    }
    row.update(values)
    cols = ", ".join(row)
    params = ", ".join(f":{k}" for k in row)
    with db.engine.begin() as conn:
        conn.execute(sa.text(f"INSERT INTO organisation ({cols}) VALUES ({params})"), row)


def test_tax_code_uniqueness_is_enforced_by_the_database(any_database):
    with any_database.session() as s:
        s.add(_org())
    with pytest.raises(sa.exc.IntegrityError, match=r"(?i)unique|duplicate"):
        _insert_raw(any_database, tax_code="00514490010")


@pytest.mark.parametrize(
    ("values", "constraint"),
    [
        ({"kind": "fondazione", "sector": "public"}, "org_kind"),
        ({"kind": "ets", "sector": "market"}, "sector_matches_kind"),
        ({"kind": "comune", "sector": "public", "runts_section": "odv"}, "runts_only_for_ets"),
        ({"runts_section": "cooperativa"}, "runts_section"),
        ({"tax_code": "123"}, "tax_code_length"),
        ({"name": "   "}, "name_not_blank"),
    ],
)
def test_check_constraints_reject_bad_rows(any_database, values, constraint):
    with pytest.raises(sa.exc.IntegrityError) as info:
        _insert_raw(any_database, **values)
    if any_database.dialect == "postgresql":  # SQLite names only some violated checks
        assert constraint in str(info.value)


def test_foreign_keys_are_enforced(any_database):
    with pytest.raises(sa.exc.IntegrityError, match=r"(?i)foreign key"):
        _insert_raw(any_database, seat_comune_code="999999")


def test_one_capofila_per_ats(any_database):
    with any_database.session() as s:
        a = _org(kind=OrgKind.ENTE_GESTORE, sector=Sector.PUBLIC, tax_code="00514490010")
        b = _org(kind=OrgKind.ENTE_GESTORE, sector=Sector.PUBLIC, tax_code="80087670016")
        p = Partnership(code="ATS-1", title="Prova", measure=1)
        p.members = [
            PartnershipMember(organisation=a, role=MemberRole.CAPOFILA),
            PartnershipMember(organisation=b, role=MemberRole.MANDANTE),
        ]
        s.add(p)

    def second_capofila():
        with any_database.session() as s:
            member = s.scalars(
                sa.select(PartnershipMember).where(PartnershipMember.role == MemberRole.MANDANTE)
            ).one()
            member.role = MemberRole.CAPOFILA

    with pytest.raises(sa.exc.IntegrityError):
        second_capofila()


def test_stale_edit_is_refused_and_nothing_is_overwritten(database):
    with database.session() as s:
        s.add(_org(description="prima"))
    first = database.new_session()
    second = database.new_session()
    try:
        a = first.scalars(sa.select(Organisation)).one()
        b = second.scalars(sa.select(Organisation)).one()
        a.description = "modifica di A"
        first.commit()
        b.description = "modifica di B, basata su una versione superata"
        with pytest.raises(StaleDataError):
            second.commit()
        second.rollback()
    finally:
        first.close()
        second.close()
    with database.session() as s:
        org = s.scalars(sa.select(Organisation)).one()
        assert (org.description, org.version) == ("modifica di A", 2)
