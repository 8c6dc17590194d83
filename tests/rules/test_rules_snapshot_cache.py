"""The ATS check reuses the database snapshot until the data change (counted in SQL)."""

from __future__ import annotations

import threading

import pytest
from sqlalchemy import delete, select, update

from matchmaker.config import Settings
from matchmaker.domain import OrgKind, PartnershipStatus, sector_for_kind
from matchmaker.instance import init_instance
from matchmaker.rules import AtsService, TransitionRefused, transition
from matchmaker.storage import (
    Database,
    District,
    Organisation,
    Partnership,
    PartnershipMember,
    Theme,
    snapshot_cache,
)
from matchmaker.storage.rules_models import AtsStatusChange
from tests.rules.conftest import cf

PROBE = 1  # statements of a check while nothing changed: the version probe
COLD = PROBE + 12  # the probe and the snapshot's bulk queries


@pytest.fixture
def db(any_database: Database, populate) -> Database:
    """The hand-made world on SQLite, then on PostgreSQL."""
    populate(any_database)
    return any_database


def _good(tc, *extra):
    return [(tc.EG1, "capofila"), (tc.EG2, "mandante"), (tc.ETS2, "mandante"), *extra]


def test_second_check_runs_only_the_probe(statements, db, mk, tc):
    service = AtsService(db, candidates="lexical")
    comp = mk(["D1"], *_good(tc, (tc.ETS4, "mandante")))
    with statements(db) as cold:
        first = service.check(comp)
    with statements(db) as warm:
        second = service.check(comp)
    assert (len(cold), len(warm)) == (COLD, PROBE)
    assert "audit_entry" in warm[0]
    assert first.rule_ids("error") == second.rule_ids("error") == ["M1-SEDE-PIEMONTE"]
    assert service.world() is service.world()  # the World too is built once
    # another service of the same database shares the cache
    with statements(db) as other:
        AtsService(db, candidates="lexical").check(comp)
    assert len(other) == PROBE


def test_a_write_through_the_same_database_is_seen(statements, db, mk, tc):
    service = AtsService(db, candidates="lexical")
    comp = mk(["D1"], *_good(tc, (tc.ETS4, "mandante")))
    assert service.check(comp).rule_ids("error") == ["M1-SEDE-PIEMONTE"]
    with db.session(actor="test") as s:
        ets4 = s.scalar(select(Organisation).where(Organisation.tax_code == tc.ETS4))
        ets4.seat_comune_code = "005005"  # Asti: now in Piemonte
    with statements(db) as seen:
        result = service.check(comp)
    assert len(seen) == COLD
    assert result.rule_ids("error") == []
    with statements(db) as seen:
        service.check(comp)
    assert len(seen) == PROBE


def test_a_core_write_without_audit_entry_bumps_the_generation(statements, db):
    service = AtsService(db, candidates="lexical")
    cache = snapshot_cache(db)
    assert service.world().themes["abitare"][1] == "Social housing and housing emergency"
    before = cache.generation
    with db.engine.begin() as conn:  # reference data: no audit entry
        conn.execute(update(Theme).where(Theme.code == "abitare").values(label_en="Homes"))
    assert cache.generation == before + 2  # at commit, and again once it is visible
    assert service.world().themes["abitare"] == (
        "Abitare sociale ed emergenza abitativa",
        "Homes",
    )
    # a write to a table the snapshot does not read, or rolled back, changes nothing
    with db.engine.begin() as conn:
        conn.execute(delete(AtsStatusChange))
    with db.engine.connect() as conn:
        conn.execute(update(Theme).where(Theme.code == "abitare").values(label_en="Flats"))
        conn.rollback()
    assert cache.generation == before + 2
    with statements(db) as seen:
        service.world()
    assert len(seen) == PROBE
    # without a transaction (autocommit) the write counts at once
    with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        conn.execute(update(Theme).where(Theme.code == "abitare").values(label_en="Flats"))
        assert cache.generation == before + 3
    assert service.world().themes["abitare"][1] == "Flats"


def test_a_write_through_another_database_object_is_seen(statements, db, mk, tc):
    """Another process: only the audit log tells, this engine's generation does not move."""
    service = AtsService(db, candidates="lexical")
    comp = mk(["D1"], *_good(tc))
    assert service.check(comp).rule_ids("error") == []
    generation = snapshot_cache(db).generation
    other = Database(db.url)
    try:
        with other.session(actor="altro processo") as s:
            d1 = s.scalar(select(District).where(District.code == "D1"))
            s.add(
                Organisation(
                    kind=OrgKind.ENTE_GESTORE,
                    sector=sector_for_kind("ente_gestore"),
                    name="Consorzio Nuovo",
                    tax_code=cf(103_5),
                    seat_comune_code="005005",
                    districts=[d1],
                )
            )
    finally:
        other.dispose()
    with statements(db) as seen:
        result = service.check(comp)
    assert snapshot_cache(db).generation == generation
    assert len(seen) == COLD
    (finding,) = result.errors
    assert finding.rule_id == "M1-EG-DISTRETTO"
    assert finding.tax_codes == (cf(103_5),)


def test_uncommitted_writes_are_read_but_never_cached(db, tc):
    service = AtsService(db, candidates="lexical")
    cache = snapshot_cache(db)
    assert service.world().orgs[tc.ETS4].seat is None
    loads = cache.loads
    s = db.new_session(actor="test")
    try:
        ets4 = s.scalar(select(Organisation).where(Organisation.tax_code == tc.ETS4))
        ets4.seat_comune_code = "005005"
        own = cache.get(s)  # flushes, so its audit entry takes the next id
        assert own.version is None
        assert next(o for o in own.organisations if o.tax_code == tc.ETS4).seat == "005005"
    finally:
        s.rollback()
        s.close()
    assert cache.loads == loads
    assert service.world().orgs[tc.ETS4].seat is None
    # on SQLite the next audit entry reuses the rolled-back id: still a new snapshot
    with db.session(actor="test") as s:
        ets3 = s.scalar(select(Organisation).where(Organisation.tax_code == tc.ETS3))
        ets3.name = "APS Giovani in Rete 2"
    world = service.world()
    assert (world.orgs[tc.ETS3].name, world.orgs[tc.ETS4].seat) == ("APS Giovani in Rete 2", None)


def test_transition_checks_its_own_uncommitted_composition(db, tc):
    service = AtsService(db, candidates="lexical")
    assert service.check_stored("P3").admissible  # warm cache: P3 with its ETS
    with db.session(actor="test") as s:
        p3 = s.scalar(select(Partnership).where(Partnership.code == "P3"))
        s.execute(
            delete(PartnershipMember).where(
                PartnershipMember.partnership_id == p3.id,
                PartnershipMember.organisation_id
                == select(Organisation.id)
                .where(Organisation.tax_code == tc.ETS2)
                .scalar_subquery(),
            )
        )
        s.expire(p3)
        with pytest.raises(TransitionRefused) as refused:
            transition(s, "P3", "preliminare_presentato", actor="facilitatore")
        assert refused.value.result.rule_ids("error") == ["M1-ETS-MIN"]
        s.rollback()
    assert service.check_stored("P3").admissible
    change = service.transition("P3", "preliminare_presentato", actor="facilitatore")
    assert change.to_status == PartnershipStatus.PRELIMINARE_PRESENTATO
    assert service.world().ats_by_code("P3").status == PartnershipStatus.PRELIMINARE_PRESENTATO


def test_concurrent_checks_load_the_snapshot_once(rules_db, mk, tc):
    service = AtsService(rules_db, candidates="lexical")
    cache = snapshot_cache(rules_db)
    cache.clear()
    loads = cache.loads
    worlds, errors = [], []

    def run():
        try:
            worlds.append(service.world())
        except Exception as exc:  # pragma: no cover - reported below
            errors.append(exc)

    threads = [threading.Thread(target=run) for _ in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert len(worlds) == 6
    assert len({id(w) for w in worlds}) == 1
    assert cache.loads == loads + 1


@pytest.mark.postgres
def test_postgresql_commit_of_an_older_audit_id_is_seen(pg_url, tmp_path, populate, tc):
    """T1 takes audit id n+1, T2 takes n+2 and commits first: max(id) alone would miss T1."""
    db = Database(pg_url)
    init_instance(db, Settings.load(environ={}, overrides={"instance_path": tmp_path}))
    populate(db)
    other = Database(pg_url)
    service = AtsService(db, candidates="lexical")
    try:
        first, second = other.new_session(actor="t1"), other.new_session(actor="t2")
        ets4 = first.scalar(select(Organisation).where(Organisation.tax_code == tc.ETS4))
        ets4.seat_comune_code = "005005"
        first.flush()
        ets3 = second.scalar(select(Organisation).where(Organisation.tax_code == tc.ETS3))
        ets3.name = "APS Giovani in Rete 2"
        second.commit()
        world = service.world()
        assert (world.orgs[tc.ETS3].name, world.orgs[tc.ETS4].seat) == (
            "APS Giovani in Rete 2",
            None,
        )
        first.commit()
        assert service.world().orgs[tc.ETS4].seat == "005005"
        first.close()
        second.close()
    finally:
        other.dispose()
        db.dispose()
