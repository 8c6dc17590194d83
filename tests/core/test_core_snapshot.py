"""The one database snapshot (storage/snapshot.py) and the two views built from it."""

from __future__ import annotations

import pytest

from matchmaker.domain import OrgKind, PartnershipStatus, Sector
from matchmaker.network.build import organisation_graph
from matchmaker.network.data import NetworkData, load_network_data
from matchmaker.rules.world import World
from matchmaker.storage import Database
from matchmaker.storage.snapshot import MemberRow, OrganisationRow, Snapshot, load_snapshot


@pytest.fixture(scope="module")
def demo_snapshot(statements, demo_file) -> Snapshot:
    db = Database(f"sqlite:///{demo_file}")
    try:
        with db.session() as s, statements(db) as seen:
            snapshot = load_snapshot(s)
        assert len(seen) == 12  # one set of bulk queries, whatever the size of the data
        return snapshot
    finally:
        db.dispose()


def test_snapshot_counts_on_the_demo_data(demo_snapshot):
    s = demo_snapshot
    assert len(s.organisations) == 563
    assert len(s.districts) == 30
    assert len(s.partnerships) == 57
    assert sum(len(p.members) for p in s.partnerships) == 406
    assert len(s.collaborations) == 1536
    assert (len(s.comuni), len(s.asl), len(s.adjacency), len(s.themes)) == (1179, 12, 3414, 41)
    assert s.version is None  # read outside a cache


def test_snapshot_records_on_the_demo_data(demo_snapshot):
    s = demo_snapshot
    ets = next(o for o in s.organisations if o.tax_code == "99001259995")
    assert ets == OrganisationRow(
        id=125,
        tax_code="99001259995",
        name="Oltre il Limite APS",
        kind=OrgKind.ETS,
        sector=Sector.THIRD_SECTOR,
        seat="001272",
        comune_name="Torino",
        province="TO",
        lat=45.07147,
        lon=7.67782,
        runts_section="aps",
        description=ets.description,
        districts=("DEMO-TO-01",),
        served=(),
        themes=("agricoltura_sociale",),
    )
    assert ets.description.startswith("Con sede a Torino, Oltre il Limite lavora")
    torino = s.organisations[0]  # by id
    assert (torino.id, torino.kind, torino.served) == (1, OrgKind.ENTE_GESTORE, ("001272",))
    first = s.partnerships[0]  # by code
    assert (first.code, first.call_round, first.year, first.status) == (
        "DEMO-BOZZA-M1-CAPOFILA-EG",
        3,
        2025,
        PartnershipStatus.BOZZA,
    )
    assert first.members == (  # in the order they were added, capofila first here
        MemberRow("99001879990", "capofila"),
        MemberRow("99000039992", "mandante"),
        MemberRow("99001949991", "mandante"),
    )
    assert first.districts == ("DEMO-TO-03",)
    assert first.themes == ("conciliazione", "integrazione_sociosanitaria", "nidi_infanzia")
    assert s.asl[0] == ("301", "ASL Città di Torino")  # table order, as loaded
    assert s.themes[0].code == "integrazione_sociosanitaria"
    assert s.adjacency[0] == ("001001", "001015")
    tie = s.collaborations[0]
    assert (tie.source, tie.target, tie.kind, tie.year_from, tie.year_to, tie.weight) == (
        "99000519993",
        "99000039992",
        "protocollo",
        2017,
        2019,
        1.0,
    )


def test_world_from_the_snapshot(demo_snapshot):
    w = World.from_snapshot(demo_snapshot)
    assert (len(w.orgs), len(w.districts), len(w.partnerships)) == (563, 30, 57)
    assert sum(len(a.members) for a in w.partnerships) == 406
    org = w.orgs["99001879990"]
    assert (org.id, org.name, org.kind, org.seat, org.runts_section) == (
        187,
        "Cooperativa Sociale Girotondo 2",
        OrgKind.ETS,
        "001191",
        "impresa_sociale",
    )
    assert org.districts == {"DEMO-TO-03"}
    assert org.themes == {
        "conciliazione",
        "nidi_infanzia",
        "responsabilita_genitoriali",
        "rientro_congedo",
    }
    pinerolo = w.districts["DEMO-TO-03"]
    assert (pinerolo.name, len(pinerolo.comuni), pinerolo.enti_gestori) == (
        "Distretto di Pinerolo",
        21,
        ("99000039992",),
    )
    ats = w.ats_by_code("DEMO-BOZZA-M1-CAPOFILA-EG")
    assert list(ats.members.items()) == [
        ("99001879990", "capofila"),
        ("99000039992", "mandante"),
        ("99001949991", "mandante"),
    ]
    assert w.comune_names["001191"] == "Pinerolo"
    assert list(w.asl_names)[:2] == ["301", "203"]
    assert w.themes["abitare"] == (
        "Abitare sociale ed emergenza abitativa",
        "Social housing and housing emergency",
    )
    assert list(w.themes)[:2] == ["integrazione_sociosanitaria", "responsabilita_genitoriali"]


def test_network_data_from_the_snapshot(demo_snapshot):
    data = NetworkData.from_snapshot(demo_snapshot)
    assert (len(data.organisations), len(data.partnerships)) == (563, 57)
    assert (len(data.collaborations), len(data.districts)) == (1536, 30)
    assert [o.tax_code for o in data.organisations] == sorted(
        o.tax_code for o in demo_snapshot.organisations
    )
    org = data.organisation("99001879990")
    assert (org.kind, org.sector, org.districts, org.comune, org.comune_name) == (
        "ets",
        "third_sector",
        ("DEMO-TO-03",),
        "001191",
        "Pinerolo",
    )
    assert (org.province, org.lat, org.lon) == ("TO", 44.89127, 7.34741)
    ats = data.partnerships[0]
    assert ats.members == ("99000039992", "99001879990", "99001949991")  # sorted
    assert ats.capofila == "99001879990"
    G = organisation_graph(data)
    assert (G.number_of_nodes(), G.number_of_edges()) == (562, 2444)


def test_the_convenience_loaders_read_the_same(demo_database):
    with demo_database.session() as s:
        world, data = World.load(s), load_network_data(s)
    assert world.orgs["99001259995"].themes == {"agricoltura_sociale"}
    assert data.organisation("99001259995").districts == ("DEMO-TO-01",)
    assert len(data.organisations) == len(world.orgs) == 563
