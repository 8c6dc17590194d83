from __future__ import annotations

import csv
from pathlib import Path

import pytest
from sqlalchemy import select

from matchmaker.config import PROJECT_ROOT
from matchmaker.domain import OrgKind, RuntsSection, Sector
from matchmaker.ingest import ImportValidationError, import_file
from matchmaker.storage import AuditEntry, Organisation

CATALOG = PROJECT_ROOT / "data" / "eval" / "dev" / "catalog.csv"
HEADER = "name,kind,tax_code,comune,districts,runts_section,themes,description,website,email,phone"


def _write(path: Path, text: str, encoding: str = "utf-8") -> Path:
    path.write_bytes(text.encode(encoding))
    return path


def test_gold_catalog_imports_all_80_rows(database):
    with open(CATALOG, encoding="utf-8", newline="") as fh:
        expected = list(csv.DictReader(fh))
    with database.session(actor="test") as s:
        report = import_file(s, "organisations", CATALOG)
    assert (report.rows, report.created, report.updated, report.rejected) == (80, 80, 0, 0)
    with database.session() as s:
        orgs = {o.tax_code: o for o in s.scalars(select(Organisation))}
        assert len(orgs) == 80
        for row in expected:
            o = orgs[row["tax_code"]]
            assert o.name == row["name"]
            assert o.kind.value == row["kind"]
            assert o.seat_comune_code == row["comune"]
            assert [t.code for t in o.themes] == sorted(row["themes"].split(";"))
            assert o.description == row["description"]
            assert o.email == row["email"]
            assert o.phone is None
            assert (o.runts_section.value if o.runts_section else "") == row["runts_section"]
        audit = s.scalars(select(AuditEntry).where(AuditEntry.entity == "organisation")).all()
        assert len(audit) == 80
        assert {a.actor for a in audit} == {"test"}


def test_existing_key_is_an_error_without_update(database, db_state):
    with database.session() as s:
        import_file(s, "organisations", CATALOG)
    before = db_state(database)
    with pytest.raises(ImportValidationError) as info, database.session() as s:
        import_file(s, "organisations", CATALOG)
    assert len(info.value.errors) == 80
    first = info.value.errors[0]
    assert (first.row, first.column, first.value) == (2, "tax_code", "19651000010")
    assert "esiste già" in first.reason_it
    assert "already exists" in first.reason_en
    assert db_state(database) == before


def test_update_changes_only_what_differs(database, tmp_path):
    with database.session() as s:
        import_file(s, "organisations", CATALOG)
    lines = CATALOG.read_text(encoding="utf-8").splitlines()
    header, first = lines[0], lines[1]
    changed = first.replace("Cooperativa Sociale Il Custode", "Cooperativa Il Custode Nuova")
    path = _write(tmp_path / "upd.csv", "\n".join([header, changed, lines[2]]) + "\n")
    with database.session() as s:
        dry = import_file(s, "organisations", path, update=True, dry_run=True)
    assert (dry.created, dry.updated, dry.unchanged) == (0, 1, 1)
    with database.session() as s:
        assert s.scalar(
            select(Organisation.name).where(Organisation.tax_code == "19651000010")
        ) == ("Cooperativa Sociale Il Custode")
        report = import_file(s, "organisations", path, update=True)
    assert (report.created, report.updated, report.unchanged) == (0, 1, 1)
    with database.session() as s:
        o = s.scalar(select(Organisation).where(Organisation.tax_code == "19651000010"))
        assert o.name == "Cooperativa Il Custode Nuova"
        entry = s.scalars(
            select(AuditEntry).where(AuditEntry.action == "update").order_by(AuditEntry.id)
        ).all()[-1]
        assert entry.changes["name"] == {
            "old": "Cooperativa Sociale Il Custode",
            "new": "Cooperativa Il Custode Nuova",
        }


def test_italian_aliases_semicolons_windows_1252_and_comune_names(database, tmp_path):
    text = (
        "denominazione;tipo;codice_fiscale;comune;sezione_runts;temi;descrizione;telefono\r\n"
        "Associazione Città Aperta;ETS;97000019998;Moncalieri;APS;giovani, migranti;"
        '"Corsi d\'italiano; doposcuola a Moncalieri";+39 011 000000\r\n'
        "Unione dei Colli;unione;97000029997;F189;;;;\r\n"
    )
    path = _write(tmp_path / "enti.csv", text, "cp1252")
    with database.session() as s:
        report = import_file(s, "organisations", path)
    assert report.created == 2
    with database.session() as s:
        a = s.scalar(select(Organisation).where(Organisation.tax_code == "97000019998"))
        assert a.name == "Associazione Città Aperta"
        assert (a.kind, a.sector, a.runts_section) == (
            OrgKind.ETS,
            Sector.THIRD_SECTOR,
            RuntsSection.APS,
        )
        assert a.seat_comune_code == "001156"  # Moncalieri
        assert [t.code for t in a.themes] == ["giovani", "migranti"]
        assert a.description == "Corsi d'italiano; doposcuola a Moncalieri"
        assert a.phone == "+39 011 000000"
        u = s.scalar(select(Organisation).where(Organisation.tax_code == "97000029997"))
        assert (u.kind, u.seat_comune_code) == (OrgKind.UNIONE_COMUNI, "096034")  # Miagliano


def test_row_errors_name_row_column_and_reason(database, tmp_path):
    text = (
        HEADER + "\n"
        "Ok APS,ets,97000019998,001272,,aps,giovani,,,,\n"
        "Bad Code,ets,97000019997,001272,,aps,,,,,\n"
        "Bad Comune,ets,97000039996,Atlantide,,,,,,,\n"
        "Bad Theme,ets,97000049995,,,,calcio,,,,\n"
        "Bad Kind,ufo,97000059994,,,,,,,,\n"
        "Bad RUNTS,comune,97000069993,,,aps,,,,,\n"
        "Bad District,ets,97000079992,,XX-1,,,,,,\n"
        "Bad Mail,ets,97000089991,,,,,,,not-an-email,\n"
        ",ets,97000099990,,,,,,,,\n"
        "Dup,ets,97000019998,,,,,,,,\n" + "Long,ets,97000109997,,,,," + "x" * 20001 + ",,,\n"
    )
    path = _write(tmp_path / "bad.csv", text)
    with pytest.raises(ImportValidationError) as info, database.session() as s:
        import_file(s, "organisations", path)
    got = {(e.row, e.column) for e in info.value.errors}
    assert got == {
        (3, "tax_code"),
        (4, "comune"),
        (5, "themes"),
        (6, "kind"),
        (7, "runts_section"),
        (8, "districts"),
        (9, "email"),
        (10, "name"),
        (11, "tax_code"),
        (12, "description"),
    }
    by_row = {e.row: e for e in info.value.errors}
    assert "controllo" in by_row[3].reason_it
    assert "check digit" in by_row[3].reason_en
    assert by_row[4].reason_en.startswith("unknown comune")
    assert by_row[10].reason_en == "required field is missing"
    assert by_row[11].reason_en == "duplicate key in the file: already on row 2"
    assert by_row[12].reason_en == "text too long: 20001 characters (at most 20000)"
    assert info.value.report.rejected == 10


def test_skip_invalid_writes_valid_rows_and_a_rejected_csv(database, tmp_path):
    text = HEADER + "\nOk APS,ets,97000019998,,,,,,,,\nBad,ets,12345,,,,,,,,\n"
    path = _write(tmp_path / "in.csv", text)
    with database.session() as s:
        report = import_file(s, "organisations", path, skip_invalid=True)
    assert (report.created, report.rejected) == (1, 1)
    assert report.rejected_path == tmp_path / "in.scartati.csv"
    with open(report.rejected_path, encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.reader(fh))
    assert rows[0] == ["riga", *HEADER.split(","), "errori", "errors"]
    assert rows[1][:4] == ["3", "Bad", "ets", "12345"]
    assert rows[1][-1].startswith("tax_code: invalid tax code")


def test_dry_run_writes_nothing(database, db_state):
    before = db_state(database)
    with database.session() as s:
        report = import_file(s, "organisations", CATALOG, dry_run=True)
    assert (report.created, report.dry_run) == (80, True)
    assert db_state(database) == before


def test_progress_bar_over_threshold(database, tmp_path, capsys):
    lines = [HEADER] + [f"Ente {i},ets,{tax},,,,,,,," for i, tax in enumerate(_codes(400))]
    path = _write(tmp_path / "many.csv", "\n".join(lines) + "\n")
    with database.session() as s:
        report = import_file(s, "organisations", path, progress=True)
    assert report.created == 400
    err = capsys.readouterr().err
    assert "verifica organisations" in err
    assert "/400" in err


def _codes(n: int) -> list[str]:
    from matchmaker.ingest.demo_orgs import fictitious_tax_code

    return [fictitious_tax_code(i, prefix="97") for i in range(1, n + 1)]
