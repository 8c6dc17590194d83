"""The corpus of bad files: each gives its documented error and leaves the database unchanged
(row counts and a checksum of every table compared before and after)."""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable
from pathlib import Path

import openpyxl
import pytest

from matchmaker.ingest import FileFormatError, ImportValidationError, import_file, table_checksums
from matchmaker.storage import Database

HEADER = "name,kind,tax_code,comune,districts,runts_section,themes,description,website,email,phone"
GOOD = "Nuova APS,ets,97000019998,001272,,aps,giovani,Doposcuola a Torino,,,"
GOOD2 = "Altra ODV,ets,97000029997,001156,,odv,,Trasporto sociale,,,"


def _xlsx(path: Path, sheets: dict[str, list[list[object]]]) -> Path:
    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    for title, rows in sheets.items():
        ws = wb.create_sheet(title)
        for row in rows:
            ws.append(row)
    wb.save(path)
    wb.close()
    return path


def _bytes(name: str, data: bytes) -> Callable[[Path], Path]:
    def build(tmp: Path) -> Path:
        path = tmp / name
        path.write_bytes(data)
        return path

    return build


def _several_sheets(tmp: Path) -> Path:
    rows = [HEADER.split(","), GOOD.split(",")]
    return _xlsx(tmp / "two.xlsx", {"Foglio1": rows, "Foglio2": rows})


def _xlsx_formula(tmp: Path) -> Path:
    return _xlsx(
        tmp / "formula.xlsx",
        {"enti": [HEADER.split(","), ["=1+1", "ets", "97000019998"] + [""] * 8]},
    )


def _xlsx_bad_row(tmp: Path) -> Path:
    return _xlsx(
        tmp / "bad.xlsx",
        {"enti": [HEADER.split(","), GOOD.split(","), ["X", "ets", 97000019997, 1272]]},
    )


CASES = {
    "utf16": (
        _bytes("utf16.csv", (HEADER + "\n" + GOOD + "\n").encode("utf-16")),
        FileFormatError,
        "NUL bytes",
    ),
    "wrong-encoding": (
        _bytes("enc.csv", (HEADER + "\n").encode() + b"Caf\x81 \x8d,ets,97000019998,,,,,,,,\n"),
        FileFormatError,
        "valid neither in UTF-8 nor in Windows-1252",
    ),
    "semicolons": (
        _bytes(
            "semi.csv",
            "\n".join(
                [HEADER.replace(",", ";"), GOOD.replace(",", ";"), "X;ets;1;;;;;;;;"]
            ).encode(),
        ),
        ImportValidationError,
        "3:tax_code",
    ),
    "bom": (
        _bytes(
            "bom.csv", b"\xef\xbb\xbf" + f"{HEADER}\nX,ets,97000019998,Gondor,,,,,,,\n".encode()
        ),
        ImportValidationError,
        "2:comune",
    ),
    "quoted-newlines": (
        _bytes(
            "nl.csv",
            f'{HEADER}\nA,ets,97000019998,,,,,"riga uno\nriga due\r\nriga tre",,,\n'
            "B,ets,123,,,,,,,,\n".encode(),
        ),
        ImportValidationError,
        "3:tax_code",
    ),
    "duplicate-keys": (
        _bytes("dup.csv", f"{HEADER}\n{GOOD}\n{GOOD}\n".encode()),
        ImportValidationError,
        "duplicate key in the file: already on row 2",
    ),
    "invalid-tax-code": (
        _bytes("tax.csv", f"{HEADER}\n{GOOD2}\nX,ets,97000019997,,,,,,,,\n".encode()),
        ImportValidationError,
        "invalid tax code",
    ),
    "unknown-comune": (
        _bytes("com.csv", f"{HEADER}\nX,ets,97000019998,999999,,,,,,,\n".encode()),
        ImportValidationError,
        "unknown comune: no comune of Piemonte has ISTAT code 999999",
    ),
    "formula-csv": (
        _bytes(
            "f.csv",
            f'{HEADER}\n"=HYPERLINK(""http://x.example"")",ets,97000019998,,,,,,,,\n'.encode(),
        ),
        ImportValidationError,
        "is a formula",
    ),
    "formula-xlsx": (_xlsx_formula, ImportValidationError, "is a formula"),
    "empty": (_bytes("empty.csv", b""), FileFormatError, "the file is empty"),
    "blank": (_bytes("blank.csv", b" \r\n\r\n"), FileFormatError, "the file is empty"),
    "wrong-header": (
        _bytes("hdr.csv", b"nome ente,codice\nX,97000019998\n"),
        ImportValidationError,
        "required column is missing: kind",
    ),
    "huge-cell": (
        _bytes(
            "huge.csv",
            f'{HEADER}\nX,ets,97000019998,,,,,"'.encode() + b"a" * 10_000_000 + b'",,,\n',
        ),
        FileFormatError,
        "field larger than field limit",
    ),
    "several-sheets": (_several_sheets, FileFormatError, "several sheets with data"),
    "xlsx-bad-row": (_xlsx_bad_row, ImportValidationError, "3:tax_code"),
    "broken-xlsx": (_bytes("broken.xlsx", b"PK\x03\x04 not really a zip"), FileFormatError, "XLSX"),
    "old-xls": (_bytes("old.xls", b"\xd0\xcf\x11\xe0"), FileFormatError, ".xls format"),
    "bad-quotes": (
        _bytes("q.csv", f'{HEADER}\nX,ets,"97000019998"abc,,,,,,,,\n'.encode()),
        FileFormatError,
        "invalid CSV at row 2",
    ),
    "bad-json": (_bytes("x.json", b'[{"name": "X",}]'), FileFormatError, "invalid JSON"),
    "json-not-list": (_bytes("y.json", b'{"name": "X"}'), FileFormatError, "list of objects"),
    "extra-cells": (
        _bytes("extra.csv", f"{HEADER}\n{GOOD},surplus\n".encode()),
        ImportValidationError,
        "more cells than the header",
    ),
}


@pytest.fixture(scope="module")
def corpus_db(demo_file, tmp_path_factory):
    """One copy of the demo database for the whole corpus (no case may change it)."""
    target = tmp_path_factory.mktemp("corpus") / "demo.sqlite3"
    shutil.copyfile(demo_file, target)
    db = Database(f"sqlite:///{target}")
    with db.engine.connect() as conn:
        before = (db.counts(), table_checksums(conn))
    yield db, before
    db.dispose()


@pytest.mark.parametrize("case", sorted(CASES))
def test_bad_file_gives_documented_error_and_changes_nothing(case, corpus_db, db_state, tmp_path):
    build, error, expected = CASES[case]
    path = build(tmp_path)
    demo_database, before = corpus_db
    with pytest.raises(error) as info, demo_database.session(actor="test") as s:
        import_file(s, "organisations", path)
    if error is ImportValidationError:
        text = " | ".join(f"{e.row}:{e.column} {e.reason_en}" for e in info.value.errors)
    else:
        text = info.value.message_en
    assert expected in text
    assert info.value.message_it  # an Italian message is always there
    assert db_state(demo_database) == before


def test_size_limit(database, tmp_path, db_state):
    path = tmp_path / "big.csv"
    path.write_text(HEADER + "\n" + (GOOD + "\n") * 10, encoding="utf-8")
    before = db_state(database)
    with pytest.raises(FileFormatError) as info, database.session() as s:
        import_file(s, "organisations", path, max_bytes=100)
    assert info.value.message_en.startswith("file too large")
    assert db_state(database) == before


def test_xlsx_several_sheets_pick_by_name_or_option(database, tmp_path):
    rows = [HEADER.split(","), GOOD.split(",")]
    named = _xlsx(tmp_path / "named.xlsx", {"Note": [["appunti"]], "enti": rows})
    with database.session() as s:
        assert import_file(s, "organisations", named).created == 1
    other = _xlsx(
        tmp_path / "other.xlsx", {"A": [["x"]], "B": [HEADER.split(","), GOOD2.split(",")]}
    )
    with database.session() as s:
        assert import_file(s, "organisations", other, sheet="B").created == 1
    with pytest.raises(FileFormatError, match="non esiste"), database.session() as s:
        import_file(s, "organisations", other, sheet="C")


def test_xlsx_numbers_lose_no_leading_zeros(database, tmp_path):
    path = _xlsx(
        tmp_path / "n.xlsx",
        {"enti": [HEADER.split(",")[:4], ["Zeri APS", "ets", 97000019998, 1272]]},
    )
    with database.session() as s:
        assert import_file(s, "organisations", path).created == 1
    from sqlalchemy import select

    from matchmaker.storage import Organisation

    with database.session() as s:
        assert s.scalar(select(Organisation.seat_comune_code)) == "001272"


def test_json_lists_and_html_kept_as_text(database, tmp_path):
    doc = [
        {
            "name": "<b>Rete</b> & Co",
            "kind": "ets",
            "tax_code": "97000019998",
            "themes": ["giovani", "migranti"],
            "description": "<script>alert(1)</script>",
        }
    ]
    path = tmp_path / "orgs.json"
    path.write_text(json.dumps(doc), encoding="utf-8")
    with database.session() as s:
        assert import_file(s, "organisations", path).created == 1
    from sqlalchemy import select

    from matchmaker.storage import Organisation

    with database.session() as s:
        o = s.scalar(select(Organisation))
        assert (o.name, o.description) == ("<b>Rete</b> & Co", "<script>alert(1)</script>")
        assert [t.code for t in o.themes] == ["giovani", "migranti"]
