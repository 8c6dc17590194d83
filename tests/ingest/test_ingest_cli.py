"""The ingest commands: summaries, the bilingual validation table and the exit codes."""

from __future__ import annotations

from click.testing import CliRunner
from sqlalchemy import func, select

from matchmaker.cli import main
from matchmaker.config import PROJECT_ROOT
from matchmaker.storage import Organisation, Partnership

CATALOG = PROJECT_ROOT / "data" / "eval" / "dev" / "catalog.csv"


def _run(url: str, *args: str):
    return CliRunner().invoke(main, ["--database-url", url, *args], catch_exceptions=False)


def test_import_export_and_exit_codes(database, tmp_path):
    url = database.url
    ok = _run(url, "import", "organisations", str(CATALOG))
    assert ok.exit_code == 0
    assert "organisations: 80 righe lette; creati 80, aggiornati 0, invariati 0, scartati 0" in (
        ok.output
    )
    again = _run(url, "import", "organisations", str(CATALOG))
    assert again.exit_code == 1
    assert "riga  colonna" in again.output
    assert "motivo / reason" in again.output
    assert "esiste già un ente" in again.output
    assert "(an organisation with this tax code" in (again.output)
    assert "... e altri 30 errori / and 30 more errors" in again.output
    assert "Error: 80 errors in 80 rows: nothing imported" in again.output
    missing = _run(url, "import", "organisations", str(tmp_path / "nope.csv"))
    assert missing.exit_code == 2
    assert "file non leggibile" in missing.output
    usage = _run(url, "import", "ufo", str(CATALOG))
    assert usage.exit_code == 2
    dry = _run(url, "import", "organisations", str(CATALOG), "--update", "--dry-run")
    assert dry.exit_code == 0
    assert "invariati 80" in dry.output
    assert "prova" in dry.output
    out = tmp_path / "o.xlsx"
    exported = _run(url, "export", "organisations", str(out))
    assert exported.exit_code == 0
    assert "80 righe esportate" in exported.output
    assert out.read_bytes()[:2] == b"PK"
    assert _run(url, "export", "organisations", str(tmp_path / "o.txt")).exit_code == 2


def test_skip_invalid_reports_and_exits_zero(database, tmp_path):
    path = tmp_path / "x.csv"
    path.write_text(
        "name,kind,tax_code\nBuona APS,ets,97000019998\nCattiva,ets,97000019997\n",
        encoding="utf-8",
    )
    result = _run(database.url, "import", "organisations", str(path), "--skip-invalid")
    assert result.exit_code == 0
    assert "creati 1" in result.output
    assert "scartati 1" in result.output
    assert "x.scartati.csv" in result.output
    with database.session() as s:
        assert s.scalar(select(func.count()).select_from(Organisation)) == 1


def test_init_demo_backup_restore_and_all(tmp_path):
    url = f"sqlite:///{tmp_path / 'a.sqlite3'}"
    first = _run(url, "init", "--demo")
    assert first.exit_code == 0
    assert "Dati dimostrativi caricati (seme 20171220)" in first.output
    second = _run(url, "init", "--demo")
    assert "dati dimostrativi non caricati" in second.output
    again = _run(url, "demo")
    assert again.exit_code == 2
    assert "già presenti" in again.output
    assert _run(url, "export-all", str(tmp_path / "all")).exit_code == 0
    assert _run(url, "backup", str(tmp_path / "b.zip")).exit_code == 0
    refused = _run(url, "restore", str(tmp_path / "b.zip"))
    assert refused.exit_code == 2
    assert "database vuoto" in refused.output
    url2 = f"sqlite:///{tmp_path / 'b.sqlite3'}"
    assert _run(url2, "import", "organisations", str(CATALOG)).exit_code == 2  # no schema yet
    assert _run(url2, "init").exit_code == 0
    restored = _run(url2, "restore", str(tmp_path / "b.zip"))
    assert restored.exit_code == 0
    assert "Ripristinate" in restored.output
    url3 = f"sqlite:///{tmp_path / 'c.sqlite3'}"
    assert _run(url3, "init").exit_code == 0
    imported = _run(url3, "import-all", str(tmp_path / "all"))
    assert imported.exit_code == 0
    assert "partnerships: 57 righe lette; creati 57" in imported.output
    from matchmaker.storage import Database

    for u in (url2, url3):
        db = Database(u)
        with db.session() as s:
            assert s.scalar(select(func.count()).select_from(Partnership)) == 57
        db.dispose()


def test_init_demo_respects_load_demo_setting(tmp_path):
    url = f"sqlite:///{tmp_path / 'off.sqlite3'}"
    result = CliRunner().invoke(
        main, ["--database-url", url, "init", "--demo"], env={"MATCHMAKER_LOAD_DEMO": "0"}
    )
    assert result.exit_code == 0
    assert "Dati dimostrativi disattivati" in result.output
    from matchmaker.storage import Database

    db = Database(url)
    with db.session() as s:
        assert s.scalar(select(func.count()).select_from(Organisation)) == 0
    db.dispose()
