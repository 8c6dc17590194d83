"""Property tests: the CSV reader fails only with FileFormatError, escaping is a bijection."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from matchmaker.ingest import FileFormatError
from matchmaker.ingest.readers import escape_cell, read_csv_bytes, unescape_cell

_CSVISH = st.lists(
    st.sampled_from(
        [
            b",",
            b";",
            b"\t",
            b'"',
            b"\n",
            b"\r",
            b"=",
            b"'",
            b"a",
            b"\xc3\xa0",
            b"\x81",
            b"\xef\xbb\xbf",
            b"\x00",
            b" ",
        ]
    ),
    max_size=60,
).map(b"".join)


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.one_of(st.binary(max_size=400), _CSVISH))
def test_csv_reader_never_crashes_with_anything_else(data):
    try:
        table = read_csv_bytes(data)
    except FileFormatError as exc:
        failure = exc
    else:
        failure = None
    if failure is not None:
        assert failure.message_it
        assert failure.message_en
        return
    width = len(table.header)
    assert all(len(cells) == width for _, cells in table.rows)
    numbers = [n for n, _ in table.rows]
    assert numbers == sorted(numbers)
    assert all(n >= 2 for n in numbers)
    assert table.delimiter in (",", ";", "\t")
    assert table.encoding in ("utf-8", "utf-8-sig", "cp1252")


@given(st.text(max_size=30))
def test_escape_round_trips_and_defuses_formulas(value):
    escaped = escape_cell(value)
    assert unescape_cell(escaped) == value
    assert escaped[:1] not in ("=", "+", "-", "@")


_HEADER = [
    "name", "kind", "tax_code", "comune", "districts", "runts_section", "themes",
    "description", "website", "email", "phone", "comuni_served", "is_illustrative",
]  # fmt: skip
_CELL = st.one_of(
    st.text(max_size=20),
    st.sampled_from(["ets", "aps", "Torino", "001272", "97000019998", "giovani", "sì", "=1", "'"]),
)


@pytest.fixture(scope="module")
def fuzz_db(tmp_path_factory):
    from matchmaker.config import Settings
    from matchmaker.instance import init_instance
    from matchmaker.storage import Database

    url = f"sqlite:///{tmp_path_factory.mktemp('fuzz') / 'f.sqlite3'}"
    db = Database(url)
    init_instance(db, Settings.load(environ={}, overrides={"database_url": url}))
    yield db
    db.dispose()


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(rows=st.lists(st.lists(_CELL, min_size=13, max_size=13), min_size=1, max_size=4))
def test_import_of_arbitrary_cells_fails_only_with_ingest_errors(fuzz_db, tmp_path_factory, rows):
    import csv
    import io

    from matchmaker.ingest import IngestError, import_file

    buffer = io.StringIO()
    csv.writer(buffer).writerows([_HEADER, *rows])
    path = tmp_path_factory.getbasetemp() / "fuzz.csv"
    path.write_text(buffer.getvalue(), encoding="utf-8")
    before = fuzz_db.counts()
    try:
        with fuzz_db.session() as s:
            import_file(s, "organisations", path, update=True)
            s.rollback()
    except IngestError as exc:
        failure = exc
    else:
        failure = None
    assert failure is None or failure.message_en
    assert fuzz_db.counts() == before
