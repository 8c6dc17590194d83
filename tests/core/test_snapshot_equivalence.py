"""The one snapshot gives the same World and NetworkData as the two old loaders."""

from __future__ import annotations

import pytest

from matchmaker.ingest import build_demo_database
from matchmaker.network.data import NetworkData, load_network_data
from matchmaker.rules.snapshot import load_world
from matchmaker.rules.world import World
from matchmaker.storage import Database
from matchmaker.storage.snapshot import load_snapshot


def _world_state(w: World) -> dict:
    return {
        "orgs": sorted(w.orgs.items()),
        "districts": list(w.districts.items()),
        "partnerships": [(a, list(a.members.items())) for a in w.partnerships],
        "comune_asl": sorted(w.comune_asl.items()),
        "comune_names": sorted(w.comune_names.items()),
        "asl_names": list(w.asl_names.items()),
        "asl_comuni": sorted(w.asl_comuni.items()),
        "comune_districts": sorted(w.comune_districts.items()),
        "themes": list(w.themes.items()),
        "neighbours": [(c, sorted(w.district_neighbours(c))) for c in w.districts],
    }


def _compare(url: str) -> tuple[int, int]:
    db = Database(url)
    try:
        with db.session() as s:
            old_world, old_data = load_world(s), load_network_data(s)
            snapshot = load_snapshot(s)
        new_world = World.from_snapshot(snapshot)
        new_data = NetworkData.from_snapshot(snapshot)
    finally:
        db.dispose()
    assert _world_state(new_world) == _world_state(old_world)
    assert new_data == old_data
    return len(new_world.orgs), len(new_data.partnerships)


def test_snapshot_gives_the_old_world_and_network_on_sqlite(demo_file):
    assert _compare(f"sqlite:///{demo_file}") == (563, 57)


@pytest.mark.postgres
def test_snapshot_gives_the_old_world_and_network_on_postgresql(pg_url):
    build_demo_database(pg_url)
    assert _compare(pg_url) == (563, 57)
