"""District read-side queries on the demo data: actors, themes, ATS and ties per district."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from matchmaker.storage import Organisation
from matchmaker.territory.districts import (
    NotFound,
    comune_districts,
    district_detail,
    district_map,
    district_rows,
    organisation_districts,
    theme_counts,
)

TORINO = "DEMO-TO-01"


def test_every_comune_has_one_demo_district(demo_database):
    with demo_database.session() as s:
        found = comune_districts(s)
    assert len(found) == 1179
    assert found["001272"] == (TORINO, "Distretto di Torino")
    assert len({code for code, _ in found.values()}) == 30


def test_district_rows_count_the_actors_active_in_each_district(demo_database):
    with demo_database.session() as s:
        rows = district_rows(s)
    assert len(rows) == 30
    assert [r.code for r in rows][:3] == ["DEMO-AL-01", "DEMO-AL-02", "DEMO-AL-03"]
    assert sum(r.enti_gestori for r in rows) == 50
    assert sum(r.ets for r in rows) == 450  # 397 ETS, some active in two districts
    assert sum(r.others for r in rows) == 134
    assert sum(r.comuni for r in rows) == 1179
    torino = next(r for r in rows if r.code == TORINO)
    assert (torino.comuni, torino.population, torino.provinces) == (1, 872_367, ("TO",))
    assert (torino.enti_gestori, torino.ets, torino.others, torino.ats) == (1, 51, 13, 4)
    assert torino.priorities_total == 3
    assert len(torino.priorities_covered) == 3
    asti = next(r for r in rows if r.code == "DEMO-AT-01")
    assert asti.priorities_covered == ("responsabilita_genitoriali",)


def test_seat_and_served_comuni_make_an_organisation_active(demo_database):
    with demo_database.session(actor="test") as s:
        org = s.scalars(
            sa.select(Organisation).where(Organisation.kind == "ets").order_by(Organisation.id)
        ).first()
        declared = {d.code for d in org.districts}
        org.districts = []
        org.seat_comune_code = "001272"  # Torino
        s.flush()
        assert organisation_districts(s)[org.id] == {TORINO}
        assert declared  # it had declared districts before


def test_district_detail_of_torino(demo_database):
    with demo_database.session() as s:
        d = district_detail(s, TORINO)
        assert d.district.name == "Distretto di Torino"
        assert [c.name for c in d.comuni] == ["Torino"]
        assert [o.name for o in d.enti_gestori] == ["Comune di Torino – Servizi sociali"]
        assert len(d.ets) == 51
        assert all(o.kind.value == "ets" for o in d.ets)
        assert len(d.others) == 13
        assert [r["theme"].code for r in d.themes_covered] == [
            "poverta_esclusione",
            "integrazione_sociosanitaria",
            "responsabilita_genitoriali",
        ]
        assert [r["organisations"] for r in d.themes_covered] == [11, 1, 6]
        assert d.themes_missing == []
        assert len(d.partnerships) == 4
        assert d.internal_ties == 181
        assert d.cross_ties_total == 37
        assert d.cross_ties[:3] == [
            {"code": "DEMO-TO-07", "name": "Distretto di Rivoli", "ties": 15},
            {"code": "DEMO-TO-06", "name": "Distretto di Venaria Reale", "ties": 13},
            {"code": "DEMO-TO-04", "name": "Distretto di Settimo Torinese", "ties": 4},
        ]
        with pytest.raises(NotFound):
            district_detail(s, "NESSUNO")


def test_theme_counts_and_the_district_map(demo_database):
    with demo_database.session() as s:
        counts = theme_counts(s)
        assert len(counts) == 41
        assert [(t["code"], t["organisations"]) for t in counts[:3]] == [
            ("poverta_esclusione", 54),
            ("giovani", 54),
            ("responsabilita_genitoriali", 51),
        ]
        whole = district_map(s)
        zoom = district_map(s, focus=TORINO)
    assert len(whole.paths) == 1178
    assert len(whole.legend) == 30
    assert sum(e["comuni"] for e in whole.legend) == 1178
    assert [p["istat_code"] for p in zoom.paths if p["focus"]] == ["001272"]
    assert all(p["district_code"] for p in whole.paths)
