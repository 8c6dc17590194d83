"""Export -> import -> export, for every kind and format; backup -> restore."""

from __future__ import annotations

import csv
import io
import json
import zipfile

import openpyxl
import pytest
from sqlalchemy import select

from matchmaker.ingest import (
    IMPORT_KINDS,
    RestoreError,
    backup,
    export_all,
    export_kind,
    import_directory,
    import_file,
    plan_demo,
    restore,
    table_checksums,
)
from matchmaker.storage import Organisation


def test_demo_csv_round_trip_is_byte_identical(demo_database, database, tmp_path):
    with demo_database.session() as s:
        first = export_all(s, tmp_path / "first")
    with database.session(actor="roundtrip") as s:
        reports = import_directory(s, tmp_path / "first")
    plan = plan_demo()
    assert {k: r.created for k, r in reports.items()} == {
        "districts": 30,
        "organisations": len(plan.organisations),
        "partnerships": len(plan.partnerships),
        "collaborations": len(plan.collaborations),
    }
    assert all(r.rejected == 0 for r in reports.values())
    with database.session() as s:
        second = export_all(s, tmp_path / "second")
    for kind in IMPORT_KINDS:
        assert first[kind].read_bytes() == second[kind].read_bytes(), kind
    assert first["organisations"].read_bytes().startswith(b"\xef\xbb\xbfname,kind,tax_code,")


def test_xlsx_and_json_round_trip_rows(demo_database, database, tmp_path):
    with demo_database.session() as s:
        export_all(s, tmp_path / "x", "xlsx")
        export_all(s, tmp_path / "j", "json")
        csv_first = export_all(s, tmp_path / "c")
    for fmt in ("xlsx", "json"):
        target = tmp_path / f"db-{fmt}.sqlite3"
        from matchmaker.config import Settings
        from matchmaker.instance import init_instance
        from matchmaker.storage import Database

        db = Database(f"sqlite:///{target}")
        init_instance(db, Settings.load(environ={}, overrides={"database_url": db.url}))
        with db.session() as s:
            import_directory(s, tmp_path / fmt[0])
        with db.session() as s:
            again = export_all(s, tmp_path / f"again-{fmt}")
        db.dispose()
        for kind in IMPORT_KINDS:
            assert again[kind].read_bytes() == csv_first[kind].read_bytes(), (fmt, kind)


def test_csv_injection_is_escaped_and_undone(database, tmp_path):
    path = tmp_path / "in.json"
    doc = [
        {"name": "=SUM(A1:A9)", "kind": "ets", "tax_code": "97000019998", "phone": "+39 011 1"},
        {"name": "'@ già", "kind": "ets", "tax_code": "97000029997", "description": "-meno"},
    ]
    path.write_text(json.dumps(doc), encoding="utf-8")
    with database.session() as s:
        import_file(s, "organisations", path)
        export_kind(s, "organisations", tmp_path / "out.csv")
        export_kind(s, "organisations", tmp_path / "out.xlsx")
    with open(tmp_path / "out.csv", encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.DictReader(fh))
    assert [(r["name"], r["phone"], r["description"]) for r in rows] == [
        ("''@ già", "", "'-meno"),
        ("'=SUM(A1:A9)", "'+39 011 1", ""),
    ]
    wb = openpyxl.load_workbook(tmp_path / "out.xlsx", read_only=True)
    cells = [c.value for c in next(wb["organisations"].iter_rows(min_row=3, max_row=3))]
    types = [c.data_type for c in next(wb["organisations"].iter_rows(min_row=3, max_row=3))]
    wb.close()
    assert cells[0] == "'=SUM(A1:A9)"
    assert "f" not in types
    with database.session() as s:
        for o in s.scalars(select(Organisation)):
            s.delete(o)
    with database.session() as s:
        import_file(s, "organisations", tmp_path / "out.csv")
    with database.session() as s:
        names = sorted(s.scalars(select(Organisation.name)))
    assert names == ["'@ già", "=SUM(A1:A9)"]


def test_backup_restore_round_trips_everything(demo_database, database, tmp_path):
    with demo_database.session(actor="editor") as s:
        o = s.scalar(select(Organisation).order_by(Organisation.id))
        o.name = o.name + " (rinominato)"
    with demo_database.session() as s:
        counts = backup(s, tmp_path / "b.zip")
    assert counts["audit_entry"] > counts["organisation"] > 500
    with zipfile.ZipFile(tmp_path / "b.zip") as zf:
        manifest = json.loads(zf.read("manifest.json"))
        first = json.loads(io.TextIOWrapper(zf.open("tables/audit_entry.jsonl")).readline())
    assert manifest["format"] == "matchmaker-backup/1"
    assert manifest["tables"] == counts
    assert set(first) == {"id", "at", "actor", "action", "entity", "entity_key", "changes"}
    with database.session() as s:
        assert restore(s, tmp_path / "b.zip") == counts
    with demo_database.engine.connect() as a, database.engine.connect() as b:
        assert table_checksums(a) == table_checksums(b)
    assert database.counts() == demo_database.counts()
    with database.session(actor="after") as s:  # ids continue after the restored ones
        s.add(Organisation(kind="ets", sector="third_sector", name="Dopo", tax_code="97000019998"))
    with pytest.raises(RestoreError) as info, database.session() as s:
        restore(s, tmp_path / "b.zip")
    assert "database vuoto" in info.value.message_it
    assert "organisation (564)" in info.value.message_it


def test_restore_rejects_other_files(database, tmp_path):
    (tmp_path / "x.zip").write_bytes(b"nope")
    with pytest.raises(RestoreError, match="non leggibile"), database.session() as s:
        restore(s, tmp_path / "x.zip")
    with zipfile.ZipFile(tmp_path / "y.zip", "w") as zf:
        zf.writestr("hello.txt", "hi")
    with pytest.raises(RestoreError, match=r"manifest\.json"), database.session() as s:
        restore(s, tmp_path / "y.zip")
