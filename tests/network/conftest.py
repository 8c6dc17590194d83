"""Fixtures of the network tests: a small hand-made WeCaRe network stored through the ORM.

Two districts (D01 around Torino, D02 around Cuneo), ten organisations of the three
sectors, four ATS over two call rounds, three declared collaborations. One name carries a
``<script>`` tag and one a ``$...$`` pair, to check that rendering treats data as text.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import select

from matchmaker.network.data import NetworkData, load_network_data
from matchmaker.storage import Database
from matchmaker.storage.models import (
    Collaboration,
    Comune,
    District,
    Organisation,
    Partnership,
    PartnershipMember,
    Theme,
)

HOSTILE = "<script>alert('x')</script> ODV \"Beta\" & <b>co</b>"

# tax code -> (name, kind, sector, districts, seat comune)
ORGS = {
    "00000000001": ("Consorzio Socio Ass. Torino", "ente_gestore", "public", ["D01"], "001272"),
    "00000000002": ("Consorzio Cuneese", "ente_gestore", "public", ["D02"], "004078"),
    "00000000003": ("Cooperativa Alfa", "ets", "third_sector", ["D01"], "001156"),
    "00000000004": (HOSTILE, "ets", "third_sector", ["D01"], "001272"),
    "00000000005": ("APS Gamma", "ets", "third_sector", ["D02"], "004003"),
    "00000000006": ("Impresa Delta $x$ srl", "impresa", "market", ["D01"], "001272"),
    "00000000007": ("Impresa Epsilon", "impresa", "market", ["D02"], "004078"),
    "00000000008": ("ASL Città di Torino", "asl", "public", ["D01"], "001272"),
    "00000000009": ("ODV Senza Sede", "ets", "third_sector", ["D02"], None),
    "00000000010": ("Fondazione Senza Distretto", "altro", "market", [], "006003"),
}

# code -> (round, year, measure, districts, themes, capofila, other members)
ATS = {
    "ATS-A1": (
        1,
        2018,
        1,
        ["D01"],
        ["poverta_esclusione"],
        "00000000001",
        ["00000000003", "00000000004", "00000000006"],
    ),
    "ATS-A2": (
        1,
        2018,
        1,
        ["D02"],
        ["domiciliarita"],
        "00000000002",
        ["00000000005", "00000000007"],
    ),
    "ATS-A3": (
        2,
        2020,
        1,
        ["D01", "D02"],
        ["integrazione_sociosanitaria"],
        "00000000001",
        ["00000000002", "00000000003", "00000000008"],
    ),
    "ATS-A4": (2, 2020, 2, ["D02"], ["poverta_esclusione"], "00000000005", ["00000000009"]),
}

# (source, target, kind, year_from, year_to, weight)
COLLABORATIONS = [
    ("00000000004", "00000000005", "convenzione", 2017, 2019, 2.0),
    ("00000000006", "00000000010", "rete", 2021, None, 1.0),
    ("00000000001", "00000000003", "protocollo", 2016, 2018, 1.0),
]


def populate(session) -> None:
    """Insert the fixture network into a database that has the reference data."""
    comuni = {c.istat_code: c for c in session.scalars(select(Comune))}
    districts = {
        "D01": District(code="D01", name="Distretto <i>Torino</i>", comuni=[comuni["001272"]]),
        "D02": District(code="D02", name="Distretto Cuneo", comuni=[comuni["004078"]]),
    }
    session.add_all(districts.values())
    orgs = {}
    for tax, (name, kind, sector, dists, seat) in ORGS.items():
        orgs[tax] = Organisation(
            tax_code=tax,
            name=name,
            kind=kind,
            sector=sector,
            seat_comune_code=seat,
            districts=[districts[d] for d in dists],
            email=f"info{tax[-2:]}@example.org",
            phone="011 000000",
            website="https://example.org",
            description="<img src=x onerror=alert(1)> descrizione",
        )
    session.add_all(orgs.values())
    themes = {t.code: t for t in session.scalars(select(Theme))}
    for code, (rnd, year, measure, dists, ths, lead, others) in ATS.items():
        p = Partnership(
            code=code,
            title=f"Progetto {code}",
            measure=measure,
            call_round=rnd,
            year=year,
            status="finanziato",
            districts=[districts[d] for d in dists],
            themes=[themes[t] for t in ths],
        )
        p.members = [PartnershipMember(organisation=orgs[lead], role="capofila")] + [
            PartnershipMember(organisation=orgs[o], role="mandante") for o in others
        ]
        session.add(p)
    for src, dst, kind, y0, y1, w in COLLABORATIONS:
        session.add(
            Collaboration(
                source=orgs[src], target=orgs[dst], kind=kind, year_from=y0, year_to=y1, weight=w
            )
        )


@pytest.fixture
def populate_network():
    """The function that inserts the fixture network into a session."""
    return populate


@pytest.fixture(scope="session")
def demo_network_data(demo_file: Path) -> NetworkData:
    """The illustrative demo data set (the shared demo database of tests/conftest.py)."""
    db = Database(f"sqlite:///{demo_file}")
    try:
        with db.session() as session:
            return load_network_data(session)
    finally:
        db.dispose()


@pytest.fixture
def network_db(database: Database) -> Database:
    """The SQLite test database with the fixture network."""
    with database.session(actor="test") as session:
        populate(session)
    return database


@pytest.fixture
def network_data(network_db: Database) -> NetworkData:
    """The fixture network as plain records."""
    with network_db.session() as session:
        return load_network_data(session)
