"""The history table: migration matches the model; works on SQLite and PostgreSQL."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext

from matchmaker.rules import AtsService
from matchmaker.storage import Base, Database, upgrade


def _mine(diff) -> bool:
    text = repr(diff)
    return "ats_status_change" in text


def test_migration_matches_model(any_url):
    db = Database(any_url)
    try:
        upgrade(db.engine)
        with db.engine.connect() as conn:
            ctx = MigrationContext.configure(conn, opts={"compare_type": True})
            diffs = [d for d in compare_metadata(ctx, Base.metadata) if _mine(d)]
        assert diffs == []
    finally:
        db.dispose()


def test_lifecycle_on_any_database(any_database, populate):
    populate(any_database)
    service = AtsService(any_database, candidates="lexical")
    change = service.transition("P3", "preliminare_presentato", actor="ente", note="nota")
    assert change.check_summary["admissible"] is True
    (row,) = service.history("P3")
    assert (row.from_status.value, row.to_status.value, row.note) == (
        "bozza",
        "preliminare_presentato",
        "nota",
    )
    result = service.check_stored("P1")
    assert result.admissible
