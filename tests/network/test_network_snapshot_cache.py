"""load_graphs builds every filter's graphs from the database's cached snapshot."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from matchmaker.network.build import (
    NetworkFilter,
    bipartite_graph,
    organisation_graph,
    round_snapshots,
)
from matchmaker.network.data import load_network_data
from matchmaker.network.service import load_graphs
from matchmaker.storage import Collaboration, Database, Organisation, snapshot_cache


def _as_lists(G) -> tuple[list, list, dict]:
    return sorted(G.nodes(data=True)), sorted(G.edges(data=True)), dict(G.graph)


@pytest.fixture
def db(any_database: Database, populate_network) -> Database:
    snapshot_cache(any_database)  # follow the engine from the start
    with any_database.session(actor="test") as session:
        populate_network(session)
    return any_database


FILTERS = [
    NetworkFilter(),
    NetworkFilter.of(rounds=1),
    NetworkFilter.of(years=2019, sectors=["third_sector", "public"]),
    NetworkFilter.of(districts="D02", include_collaborations=False),
    NetworkFilter.of(measures=1, themes="poverta_esclusione", include_isolates=True),
]


def test_cached_graphs_equal_fresh_ones_for_every_filter(statements, db):
    with db.session() as s:
        load_graphs(s)  # warms the cache
    with db.session() as s:
        fresh = load_network_data(s)
    for flt in FILTERS:
        with db.session() as s, statements(db) as seen:
            graphs = load_graphs(s, flt)
        assert len(seen) == 1  # the version probe
        assert _as_lists(graphs.graph) == _as_lists(organisation_graph(fresh, flt))
        assert _as_lists(graphs.bipartite) == _as_lists(bipartite_graph(fresh, flt))
        snaps = round_snapshots(fresh, flt)
        assert sorted(graphs.snapshots) == sorted(snaps)
        for r, G in graphs.snapshots.items():
            assert _as_lists(G) == _as_lists(snaps[r])
        assert graphs.district_names == {"D01": "Distretto <i>Torino</i>", "D02": "Distretto Cuneo"}


def test_a_collaboration_added_elsewhere_shows_in_the_next_graph(statements, db):
    with db.session() as s:
        G = load_graphs(s).graph
    assert (G.number_of_nodes(), G.number_of_edges()) == (10, 17)
    assert not G.has_edge("00000000005", "00000000010")
    other = Database(db.url)
    try:
        with other.session(actor="altro processo") as s:
            orgs = {o.tax_code: o for o in s.scalars(select(Organisation))}
            s.add(
                Collaboration(
                    source=orgs["00000000005"], target=orgs["00000000010"], kind="rete", weight=3.0
                )
            )
    finally:
        other.dispose()
    with db.session() as s, statements(db) as seen:
        G = load_graphs(s).graph
    assert len(seen) == 13  # probe and a new snapshot
    assert G.number_of_edges() == 18
    assert G.edges["00000000005", "00000000010"]["collaboration_weight"] == 3.0


def test_a_session_with_pending_changes_sees_them_and_caches_nothing(statements, db):
    cache = snapshot_cache(db)
    with db.session() as s:
        load_graphs(s)
    loads = cache.loads
    s = db.new_session(actor="test")
    try:
        orgs = {o.tax_code: o for o in s.scalars(select(Organisation))}
        s.add(Collaboration(source=orgs["00000000007"], target=orgs["00000000009"], kind="rete"))
        G = load_graphs(s).graph
        assert G.has_edge("00000000007", "00000000009")
    finally:
        s.rollback()
        s.close()
    assert cache.loads == loads
    with db.session() as s, statements(db) as seen:
        G = load_graphs(s).graph
    assert len(seen) == 1
    assert not G.has_edge("00000000007", "00000000009")
