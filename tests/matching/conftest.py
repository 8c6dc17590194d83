"""Fixtures of the matching tests: a deterministic fake encoder, the dev catalogue loaded
into databases, and the real default engine loaded once per session."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterator, Sequence
from pathlib import Path

import numpy as np
import pytest

from matchmaker.config import PROJECT_ROOT, Settings
from matchmaker.ingest import import_file
from matchmaker.instance import init_instance
from matchmaker.matching import MatchEngine
from matchmaker.storage import Database

DEV = PROJECT_ROOT / "data" / "eval" / "dev"


class FakeEncoder:
    """Bag of hashed word stems: deterministic, fast, and similar texts get similar vectors.

    Records every text it encodes, so tests can check what was (re-)embedded.
    """

    name = "fake-bow-64"
    dim = 64

    def __init__(self) -> None:
        self.calls: list[list[str]] = []

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        texts = list(texts)
        self.calls.append(texts)
        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        for i, text in enumerate(texts):
            for word in re.findall(r"\w{3,}", text.lower()):
                h = int(hashlib.md5(word[:5].encode()).hexdigest(), 16)
                out[i, h % self.dim] += 1.0
            out[i, 0] += 0.01
        out /= np.linalg.norm(out, axis=1, keepdims=True)
        return out

    @property
    def encoded(self) -> list[str]:
        return [t for call in self.calls for t in call]


@pytest.fixture
def fake_encoder() -> FakeEncoder:
    return FakeEncoder()


@pytest.fixture
def dev_database(database: Database) -> Database:
    """The shared ``database`` fixture with the dev catalogue imported."""
    with database.session() as session:
        import_file(session, "organisations", DEV / "catalog.csv")
    return database


@pytest.fixture
def fake_engine(dev_database: Database, settings: Settings, fake_encoder: FakeEncoder):
    return MatchEngine(dev_database, settings, encoder=fake_encoder)


@pytest.fixture(scope="session")
def real_engine(tmp_path_factory: pytest.TempPathFactory) -> Iterator[MatchEngine]:
    """The default engine (USE-m3) on the dev catalogue, built once per test session."""
    folder: Path = tmp_path_factory.mktemp("matching-real")
    settings = Settings.load(
        environ={},
        overrides={"instance_path": folder, "database_url": f"sqlite:///{folder / 'r.sqlite3'}"},
    )
    db = Database(settings.database_url)
    init_instance(db, settings)
    with db.session() as session:
        import_file(session, "organisations", DEV / "catalog.csv")
    engine = MatchEngine(db, settings)
    engine.index  # noqa: B018 - build once
    yield engine
    db.dispose()
