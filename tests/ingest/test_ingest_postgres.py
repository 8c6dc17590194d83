"""The same imports, exports and restores on PostgreSQL (skipped when not configured)."""

from __future__ import annotations

import pytest

from matchmaker.config import PROJECT_ROOT, Settings
from matchmaker.ingest import (
    IMPORT_KINDS,
    ImportValidationError,
    backup,
    export_all,
    import_file,
    restore,
)
from matchmaker.instance import init_instance
from matchmaker.storage import Database, Organisation

CATALOG = PROJECT_ROOT / "data" / "eval" / "dev" / "catalog.csv"


def test_catalog_import_on_both_engines(any_database, db_state):
    with any_database.session() as s:
        assert import_file(s, "organisations", CATALOG).created == 80
    before = db_state(any_database)
    with pytest.raises(ImportValidationError), any_database.session() as s:
        import_file(s, "organisations", CATALOG)
    assert db_state(any_database) == before


@pytest.mark.postgres
def test_sqlite_backup_restores_into_postgres(demo_database, pg_url, tmp_path):
    with demo_database.session() as s:
        counts = backup(s, tmp_path / "b.zip")
        sqlite_files = export_all(s, tmp_path / "sqlite")
    pg = Database(pg_url)
    try:
        init_instance(pg, Settings.load(environ={}, overrides={"database_url": pg_url}))
        with pg.session() as s:
            assert restore(s, tmp_path / "b.zip") == counts
        assert {k: v for k, v in pg.counts().items() if k in counts} == counts
        with pg.session() as s:
            pg_files = export_all(s, tmp_path / "pg")
        for kind in IMPORT_KINDS:
            assert pg_files[kind].read_bytes() == sqlite_files[kind].read_bytes(), kind
        with pg.session(actor="after restore") as s:  # the id sequences moved on
            s.add(Organisation(kind="ets", sector="third_sector", name="N", tax_code="97000019998"))
    finally:
        pg.dispose()
