"""Fixtures of the matching tests: a deterministic fake encoder, the dev catalogue loaded
into databases, the real default engine loaded once per session, and a hand-made index."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterator, Sequence
from pathlib import Path
from types import SimpleNamespace

import numpy as np
import pytest

from matchmaker.config import PROJECT_ROOT, Settings
from matchmaker.ingest import import_file
from matchmaker.instance import init_instance
from matchmaker.matching import MatchEngine
from matchmaker.matching.index import MatchIndex
from matchmaker.matching.places import gazetteer
from matchmaker.matching.profiles import Profile
from matchmaker.matching.store import ProfileVectors
from matchmaker.matching.themes import ThemeSpace
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


# -- a hand-made index for the pure scorer -----------------------------------------------

#: whole-profile vectors (unit rows) and each profile's sentence vectors
_WHOLE = np.array([[1, 0, 0], [0.6, 0.8, 0], [0, 1, 0], [0, 0.6, 0.8]], dtype=np.float32)
_CHUNKS = [
    np.array([[1, 0, 0]], dtype=np.float32),
    np.array([[0, 1, 0], [0.8, 0.6, 0]], dtype=np.float32),
    np.array([[0, 0, 1]], dtype=np.float32),
    np.array([[0.6, 0, 0.8]], dtype=np.float32),
]
_PLACES = [("001272",), ("001156",), ("004078",), ()]
_KINDS = ["ets", "ets", "ets", "comune"]


def _profile(i: int) -> Profile:
    return Profile(
        org_id=i + 1,
        tax_code=f"T{i + 1}",
        name=f"Ente {i + 1}",
        kind=_KINDS[i],
        sector="public" if _KINDS[i] == "comune" else "third_sector",
        text=f"Ente {i + 1}. Profilo numero {i + 1}.",
        chunks=tuple(f"Frase {j} dell'ente {i + 1}." for j in range(len(_CHUNKS[i]))),
        themes=(("a",), ("a", "b"), ("b",), ("c",))[i],
        comuni=_PLACES[i],
        districts=(),
    )


@pytest.fixture
def small() -> SimpleNamespace:
    """A hand-made index of four profiles (no database, no model): ``index``, and the
    vectors it was built from, ``whole`` and ``chunks``."""
    space = ThemeSpace(["a", "b", "c"], ["Alfa", "Beta", "Gamma"])
    index = MatchIndex(3, space, gazetteer())
    profiles = [_profile(i) for i in range(4)]
    vectors = {p.org_id: ProfileVectors(_WHOLE[i], _CHUNKS[i]) for i, p in enumerate(profiles)}
    index.build(profiles, vectors)
    return SimpleNamespace(index=index, whole=_WHOLE, chunks=_CHUNKS)
