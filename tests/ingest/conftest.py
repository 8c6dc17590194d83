"""Fixtures of the ingest tests (the demo database fixtures are in tests/conftest.py)."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from matchmaker.ingest import table_checksums
from matchmaker.storage import Database


def _snapshot(db: Database) -> tuple[dict[str, int], dict[str, str]]:
    with db.engine.connect() as conn:
        return db.counts(), table_checksums(conn)


@pytest.fixture
def db_state():
    """A function: row counts and a checksum of every table of a database."""
    return _snapshot


@pytest.fixture
def row_count():
    """A function: number of rows of a model."""

    def count(db: Database, model: type) -> int:
        with db.session() as s:
            return s.scalar(select(func.count()).select_from(model)) or 0

    return count
