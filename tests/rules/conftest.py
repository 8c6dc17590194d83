"""A small hand-made world for the rules tests, inserted through the ORM.

Districts (real comuni of the reference data):
- D1 "Distretto Asti Nord": Asti (005005), Azzano d'Asti (005006); Enti Gestori EG1, EG2
- D2 "Distretto Asti Sud": Baldichieri d'Asti (005007, borders Asti), Belveglio; EG3
- D3 "Distretto Alessandria": Alessandria (006003), Alfiano Natta (006004); EG4

Stored ATS of round 1, Misura 1: P1 (finanziato: EG3 capofila, ETS3, ETS1 on D2), P2
(finanziato: EG4 capofila, ETS1 on D3; ETS1 is now at capacity), P3 (bozza: EG1, EG2, ETS2
on D1), P4 (non_ammesso, round 1: EG2... does not count).
"""

from __future__ import annotations

import shutil
import types
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import select
from stdnum import luhn

from matchmaker.config import Settings
from matchmaker.domain import MemberRole, OrgKind, PartnershipStatus, RuntsSection, sector_for_kind
from matchmaker.instance import init_instance
from matchmaker.rules import AtsService, LexicalCandidates, World
from matchmaker.storage import (
    Comune,
    Database,
    District,
    Organisation,
    Partnership,
    PartnershipMember,
    Theme,
)


def cf(n: int) -> str:
    """A valid 11-digit codice fiscale numerico (office 001)."""
    body = f"{n:07d}001"
    return body + luhn.calc_check_digit(body)


T = types.SimpleNamespace(
    EG1=cf(101),
    EG2=cf(102),
    EG3=cf(103),
    EG4=cf(104),
    ETS1=cf(201),
    ETS2=cf(202),
    ETS3=cf(203),
    ETS4=cf(204),  # no seat in Piemonte
    ETS5=cf(205),
    ETS6=cf(206),
    ASL_AT=cf(301),
    ASL_TO3=cf(302),
    COMUNE_AL=cf(401),
    COMUNE_ASTI=cf(402),
    IMP1=cf(501),
    UNI=cf(601),  # altro, public (a university)
)

_ORGS = [
    # key, kind, name, seat, districts, themes, runts, served
    ("EG1", "ente_gestore", "Consorzio Asti Nord", "005005", ["D1"], [], None, []),
    ("EG2", "ente_gestore", "Unione Collinare Azzano", "005006", ["D1"], [], None, []),
    ("EG3", "ente_gestore", "Consorzio Asti Sud", "005007", ["D2"], [], None, []),
    ("EG4", "ente_gestore", "CISS Alessandria", "006003", ["D3"], [], None, []),
    ("ETS1", "ets", "Cooperativa Casa Comune", "005005", [], ["abitare", "poverta_esclusione"],
     "impresa_sociale", []),
    ("ETS2", "ets", "Auser Anziani Asti", "005006", [], ["domiciliarita",
     "anziani_non_autosufficienza"], "odv", []),
    ("ETS3", "ets", "APS Giovani in Rete", "005007", [], ["giovani", "poverta_educativa"],
     "aps", []),
    ("ETS4", "ets", "Associazione Lontana", None, [], ["poverta_esclusione"], "odv", []),
    ("ETS5", "ets", "Banco Alimentare Alessandria", "006003", [], ["sicurezza_alimentare",
     "poverta_esclusione"], "odv", []),
    ("ETS6", "ets", "Cooperativa Caregiver Insieme", "005005", [], ["caregiver",
     "domiciliarita", "integrazione_sociosanitaria"], "impresa_sociale", []),
    ("ASL_AT", "asl", "ASL AT", "005005", [], [], None, []),
    ("ASL_TO3", "asl", "ASL TO3", "001090", [], [], None, []),
    ("COMUNE_AL", "comune", "Comune di Alessandria", "006003", [], [], None, []),
    ("COMUNE_ASTI", "comune", "Comune di Asti", "005005", [], [], None, []),
    ("IMP1", "impresa", "Rossi Servizi srl", "005005", [], ["welfare_aziendale"], None, []),
    ("UNI", "altro", "Università del Piemonte Orientale", "006003", [], [], None, []),
]  # fmt: skip

_DISTRICTS = {
    "D1": ("Distretto Asti Nord", ["005005", "005006"]),
    "D2": ("Distretto Asti Sud", ["005007", "005008"]),
    "D3": ("Distretto Alessandria", ["006003", "006004"]),
}

_PARTNERSHIPS = [
    ("P1", "finanziato", ["D2"], [("EG3", "capofila"), ("ETS3", "mandante"), ("ETS1", "mandante")]),
    ("P2", "finanziato", ["D3"], [("EG4", "capofila"), ("ETS1", "mandante")]),
    ("P3", "bozza", ["D1"], [("EG1", "capofila"), ("EG2", "mandante"), ("ETS2", "mandante")]),
    ("P4", "non_ammesso", ["D1"], [("EG2", "capofila"), ("ETS5", "mandante")]),
]  # fmt: skip


def _populate(db: Database) -> None:
    with db.session(actor="test") as s, s.no_autoflush:
        districts = {}
        for code, (name, comuni) in _DISTRICTS.items():
            d = District(code=code, name=name, is_illustrative=True)
            d.comuni = list(s.scalars(select(Comune).where(Comune.istat_code.in_(comuni))))
            s.add(d)
            districts[code] = d
        orgs = {}
        for key, kind, name, seat, dists, themes, runts, served in _ORGS:
            o = Organisation(
                kind=OrgKind(kind),
                sector=sector_for_kind(kind),
                name=name,
                tax_code=getattr(T, key),
                seat_comune_code=seat,
                runts_section=RuntsSection(runts) if runts else None,
                description=f"{name}: attività su {', '.join(themes) or 'servizi pubblici'}.",
                is_illustrative=True,
            )
            o.districts = [districts[d] for d in dists]
            o.themes = list(s.scalars(select(Theme).where(Theme.code.in_(themes))))
            o.comuni_served = list(s.scalars(select(Comune).where(Comune.istat_code.in_(served))))
            s.add(o)
            orgs[key] = o
        for code, status, dists, members in _PARTNERSHIPS:
            p = Partnership(
                code=code,
                title=f"Progetto {code}",
                measure=1,
                call_round=1,
                status=PartnershipStatus(status),
                is_illustrative=True,
            )
            p.districts = [districts[d] for d in dists]
            p.members = [
                PartnershipMember(organisation=orgs[k], role=MemberRole(r)) for k, r in members
            ]
            s.add(p)


@pytest.fixture(scope="session")
def _rules_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("rules_template")
    url = f"sqlite:///{folder / 'template.sqlite3'}"
    db = Database(url)
    init_instance(
        db, Settings.load(environ={}, overrides={"instance_path": folder, "database_url": url})
    )
    _populate(db)
    with db.engine.connect() as conn:
        conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    db.dispose()
    return folder / "template.sqlite3"


@pytest.fixture
def rules_db(_rules_template: Path, tmp_path: Path) -> Iterator[Database]:
    """A fresh copy of the hand-made world (safe to write to)."""
    target = tmp_path / "rules.sqlite3"
    shutil.copyfile(_rules_template, target)
    db = Database(f"sqlite:///{target}")
    yield db
    db.dispose()


@pytest.fixture(scope="session")
def world(_rules_template: Path) -> World:
    """The hand-made world as a snapshot (read-only)."""
    return _load_world(f"sqlite:///{_rules_template}")


@pytest.fixture
def lexical(world: World) -> LexicalCandidates:
    return LexicalCandidates(world, {c: list(p) for c, p in world.themes.items()})


@pytest.fixture
def service(rules_db: Database) -> AtsService:
    return AtsService(rules_db, candidates="lexical")


@pytest.fixture
def tc() -> types.SimpleNamespace:
    """Tax codes of the hand-made world, by key (EG1, ETS1, ASL_AT...)."""
    return T


def _comp(districts, *members, measure=1, round_=1, code=None, themes=None) -> dict:
    """The JSON form of a composition; members as (tax_code, role) pairs."""
    out = {
        "measure": measure,
        "round": round_,
        "districts": list(districts),
        "members": [{"tax_code": t, "role": r} for t, r in members],
    }
    if code:
        out["code"] = code
    if themes:
        out["themes"] = list(themes)
    return out


@pytest.fixture
def mk():
    """Build the JSON form of a composition: ``mk(["D1"], (tax, "capofila"), ...)``."""
    return _comp


@pytest.fixture(scope="session")
def demo_url(demo_file: Path) -> str:
    """The shared demo database (tests/conftest.py), for read-only use."""
    return f"sqlite:///{demo_file}"


@pytest.fixture(scope="session")
def demo_world(demo_url: str) -> World:
    """The demo data as a snapshot (read-only)."""
    return _load_world(demo_url)


def _load_world(url: str) -> World:
    db = Database(url)
    try:
        with db.session() as s:
            return World.load(s)
    finally:
        db.dispose()


@pytest.fixture
def populate():
    """Insert the hand-made world into a database that has the schema and reference data."""
    return _populate
