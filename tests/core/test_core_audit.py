"""Every write to a domain record leaves an audit entry with its account."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from matchmaker.domain import OrgKind, Sector
from matchmaker.storage import AuditEntry, Organisation, Theme


def _entries(session, entity="organisation"):
    return session.scalars(
        sa.select(AuditEntry).where(AuditEntry.entity == entity).order_by(AuditEntry.id)
    ).all()


def test_create_update_delete_are_logged(any_database):
    with any_database.session(actor="mario.rossi@example.org") as s:
        org = Organisation(
            kind=OrgKind.ETS,
            sector=Sector.THIRD_SECTOR,
            name="APS Il Ponte",
            tax_code="00514490010",
            seat_comune_code="001272",
            description="Doposcuola a Torino",
        )
        org.themes = [s.get(Theme, "poverta_educativa")]
        s.add(org)
    with any_database.session(actor="facilitatore@example.org") as s:
        org = s.scalars(sa.select(Organisation)).one()
        org.description = "Doposcuola e centro estivo a Torino"
        org.themes.append(s.get(Theme, "giovani"))
    with any_database.session(actor="admin@example.org") as s:
        s.delete(s.scalars(sa.select(Organisation)).one())

    with any_database.session() as s:
        created, updated, deleted = _entries(s)
        assert (created.action, created.actor, created.entity_key) == (
            "create",
            "mario.rossi@example.org",
            "00514490010",
        )
        assert created.changes["name"] == "APS Il Ponte"
        assert created.changes["kind"] == "ets"
        assert created.changes["themes"] == ["poverta_educativa"]
        assert (updated.action, updated.actor) == ("update", "facilitatore@example.org")
        assert updated.changes == {
            "description": {
                "old": "Doposcuola a Torino",
                "new": "Doposcuola e centro estivo a Torino",
            },
            "themes": {"added": ["giovani"], "removed": []},
        }
        assert (deleted.action, deleted.actor) == ("delete", "admin@example.org")
        assert deleted.changes["description"] == "Doposcuola e centro estivo a Torino"


def test_a_rolled_back_write_leaves_no_entry(database):
    def write_then_fail():
        with database.session() as s:
            s.add(
                Organisation(
                    kind=OrgKind.ETS,
                    sector=Sector.THIRD_SECTOR,
                    name="Temporanea",
                    tax_code="80087670016",
                )
            )
            s.flush()
            raise RuntimeError("annullata")

    with pytest.raises(RuntimeError, match="annullata"):
        write_then_fail()
    with database.session() as s:
        assert _entries(s) == []
        assert s.scalar(sa.select(sa.func.count()).select_from(Organisation)) == 0


def test_flushes_of_one_transaction_fold_into_one_entry(database):
    with database.session(actor="import") as s:
        org = Organisation(
            kind=OrgKind.ETS, sector=Sector.THIRD_SECTOR, name="Prima", tax_code="80087670016"
        )
        s.add(org)
        s.flush()
        org.name = "Seconda"
        org.themes.append(s.get(Theme, "giovani"))  # s.get autoflushes the name change
        s.flush()
        org.themes.append(s.get(Theme, "abitare"))
    with database.session() as s:
        (entry,) = _entries(s)
        assert entry.action == "create"
        assert entry.changes["name"] == "Seconda"
        assert entry.changes["themes"] == ["abitare", "giovani"]


def test_an_unchanged_save_is_not_logged(database):
    with database.session() as s:
        s.add(
            Organisation(
                kind=OrgKind.ETS, sector=Sector.THIRD_SECTOR, name="A", tax_code="80087670016"
            )
        )
    with database.session() as s:
        org = s.scalars(sa.select(Organisation)).one()
        org.name = "A"  # same value
    with database.session() as s:
        assert [e.action for e in _entries(s)] == ["create"]
