"""ATS lifecycle: allowed transitions, rules re-checked, dated history, audit."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select

from matchmaker.domain import DomainError, PartnershipStatus
from matchmaker.rules import TRANSITIONS, TransitionRefused
from matchmaker.storage import AuditEntry, Partnership, PartnershipMember
from matchmaker.storage.rules_models import AtsStatusChange


def test_transitions_cover_every_status():
    assert set(TRANSITIONS) == set(PartnershipStatus)
    reachable = {PartnershipStatus.BOZZA}
    frontier = [PartnershipStatus.BOZZA]
    while frontier:
        for nxt in TRANSITIONS[frontier.pop()]:
            if nxt not in reachable:
                reachable.add(nxt)
                frontier.append(nxt)
    assert reachable == set(PartnershipStatus)


def test_full_lifecycle_with_history(service, rules_db):
    steps = [
        ("preliminare_presentato", dt.datetime(2017, 12, 19, 10, 0)),
        ("ammesso_fase2", dt.datetime(2018, 2, 23, 9, 0)),
        ("definitivo_presentato", dt.datetime(2018, 6, 30, 12, 0)),
        ("finanziato", dt.datetime(2018, 9, 1, 8, 0)),
        ("concluso", dt.datetime(2021, 5, 12, 18, 0)),
    ]
    for status, at in steps:
        change = service.transition("P3", status, actor="facilitatore", note=status, at=at)
        assert change.to_status == PartnershipStatus(status)
        assert change.admissible is True
    rows = service.history("P3")
    assert [(r.from_status.value, r.to_status.value) for r in rows] == [
        ("bozza", "preliminare_presentato"),
        ("preliminare_presentato", "ammesso_fase2"),
        ("ammesso_fase2", "definitivo_presentato"),
        ("definitivo_presentato", "finanziato"),
        ("finanziato", "concluso"),
    ]
    assert [r.at for r in rows] == [at for _, at in steps]
    assert rows[0].check_summary == {
        "admissible": True,
        "errors": [],
        "warnings": ["M1-MULTIDISTRETTO"],
        "rules_checked": 13,
        "complete": True,
    }
    assert {r.actor for r in rows} == {"facilitatore"}
    with rules_db.session() as s:
        p = s.scalar(select(Partnership).where(Partnership.code == "P3"))
        assert p.status == PartnershipStatus.CONCLUSO
        audit = s.scalars(
            select(AuditEntry).where(
                AuditEntry.entity == "partnership",
                AuditEntry.entity_key == "P3",
                AuditEntry.action == "update",
            )
        ).all()
        moves = [a.changes["status"]["new"] for a in audit if "status" in a.changes]
        assert moves == [status for status, _ in steps]
        assert {a.actor for a in audit if "status" in a.changes} == {"facilitatore"}


def test_leaving_bozza_is_refused_with_errors(service, rules_db):
    with rules_db.session() as s:
        p = s.scalar(select(Partnership).where(Partnership.code == "P3"))
        for m in list(p.members):
            if m.organisation.kind.value == "ets":
                s.delete(m)
    with pytest.raises(TransitionRefused) as info:
        service.transition("P3", "preliminare_presentato", actor="facilitatore")
    assert info.value.result.rule_ids("error") == ["M1-ETS-MIN"]
    assert "M1-ETS-MIN" in str(info.value)
    assert service.history("P3") == []
    with rules_db.session() as s:
        assert s.scalar(select(Partnership.status).where(Partnership.code == "P3")) == "bozza"


def test_disallowed_transition_and_bad_input(service):
    with pytest.raises(TransitionRefused) as info:
        service.transition("P3", "finanziato", actor="x")
    assert "non consentito" in str(info.value)
    with pytest.raises(TransitionRefused):
        service.transition("P2", "bozza", actor="x")  # no way back from finanziato
    with pytest.raises(DomainError) as info:
        service.transition("P3", "approvato", actor="x")
    assert info.value.field == "status"
    with pytest.raises(DomainError) as info:
        service.transition("NOPE", "preliminare_presentato", actor="x")
    assert info.value.field == "partnership"
    with pytest.raises(DomainError) as info:
        service.transition("P3", "preliminare_presentato", actor=" ")
    assert info.value.field == "actor"


def test_decisions_are_recorded_with_the_check_even_if_not_admissible(service, rules_db, tc):
    service.transition("P3", "preliminare_presentato", actor="ente")
    # after submission an ETS leaves; the Region's decision is still recorded, with the check
    with rules_db.session() as s:
        p = s.scalar(select(Partnership).where(Partnership.code == "P3"))
        s.delete(next(m for m in p.members if m.organisation.tax_code == tc.ETS2))
    change = service.transition("P3", "ammesso_fase2", actor="regione", note="D.D. 134/2018")
    assert change.admissible is False
    assert change.check_summary["errors"] == ["M1-ETS-MIN"]
    # but the definitive project cannot be submitted until fixed
    with pytest.raises(TransitionRefused):
        service.transition("P3", "definitivo_presentato", actor="ente")
    with rules_db.session() as s:
        p = s.scalar(select(Partnership).where(Partnership.code == "P3"))
        ets = s.get(type(p.members[0].organisation), p.members[0].organisation_id)
        ets6 = s.scalar(select(type(ets)).where(type(ets).tax_code == tc.ETS6))
        p.members.append(PartnershipMember(organisation=ets6, role="mandante"))
    assert service.transition("P3", "definitivo_presentato", actor="ente").admissible


def test_history_rows_cascade_with_the_partnership(service, rules_db):
    service.transition("P3", "preliminare_presentato", actor="ente")
    with rules_db.session() as s:
        s.delete(s.scalar(select(Partnership).where(Partnership.code == "P3")))
    with rules_db.session() as s:
        assert s.scalars(select(AtsStatusChange)).all() == []


def test_cli_status_and_history(rules_db):
    from click.testing import CliRunner

    from matchmaker.cli import main

    runner = CliRunner()
    base = ["--database-url", rules_db.url, "ats"]
    r = runner.invoke(main, [*base, "status", "P3", "preliminare_presentato", "--actor", "ente"])
    assert r.exit_code == 0, r.output
    assert "bozza -> preliminare_presentato" in r.output
    r = runner.invoke(main, [*base, "status", "P3", "finanziato", "--actor", "ente"])
    assert r.exit_code == 1
    assert "non consentito" in r.output
    r = runner.invoke(main, [*base, "history", "P3", "--json"])
    assert r.exit_code == 0
    assert '"to": "preliminare_presentato"' in r.output
