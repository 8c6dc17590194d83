"""The demo data: its funded ATS pass, each deliberate draft violation is found by its id."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from matchmaker.ingest.demo import DRAFT_RULES
from matchmaker.rules import (
    FixAdvisor,
    LexicalCandidates,
    apply_fix,
    composition_of,
    default_catalogue,
    evaluate,
)
from matchmaker.storage import Database, Partnership

_VIOLATION = re.compile(r"violazione voluta: (M\d-[A-Z0-9-]+)")


@pytest.fixture(scope="module")
def demo_ats(demo_url):
    db = Database(demo_url)
    try:
        with db.session() as s:
            return [
                (p.code, p.call_round, p.status.value, p.source or "", composition_of(p))
                for p in s.scalars(select(Partnership).order_by(Partnership.code))
            ]
    finally:
        db.dispose()


def test_round_one_ats_all_pass(demo_ats, demo_world):
    round_one = [a for a in demo_ats if a[4].measure == 1 and a[1] == 1 and a[2] != "bozza"]
    assert len(round_one) == 22
    for code, *_rest, comp in round_one:
        result = evaluate(comp, demo_world)
        assert result.admissible, (code, result.rule_ids("error"))


def test_every_stored_non_draft_ats_passes(demo_ats, demo_world):
    others = [a for a in demo_ats if a[2] != "bozza"]
    assert len(others) > 22
    assert all(evaluate(a[4], demo_world).admissible for a in others)


def test_each_deliberate_violation_is_found_with_its_rule_id(demo_ats, demo_world):
    drafts = {}
    for _code, _round, status, source, comp in demo_ats:
        match = _VIOLATION.search(source)
        if match:
            assert status == "bozza"
            drafts[match.group(1)] = evaluate(comp, demo_world)
    assert set(drafts) == set(DRAFT_RULES)
    for rule_id, result in drafts.items():
        assert result.rule_ids("error") == [rule_id]  # that violation, and only it


def test_drafts_are_fixed_by_their_first_fixes(demo_ats, demo_world):
    labels = {c: list(p) for c, p in demo_world.themes.items()}
    advisor = FixAdvisor(demo_world, default_catalogue(), LexicalCandidates(demo_world, labels))
    seen = set()
    for _code, _round, _status, source, comp in demo_ats:
        match = _VIOLATION.search(source)
        if not match:
            continue
        rule_id = match.group(1)
        seen.add(rule_id)
        (finding,) = evaluate(comp, demo_world, None, advisor).errors
        if rule_id == "M1-EG-UNA-ATS":
            # every Ente Gestore of the district is taken: the fix is to join that ATS
            remove, review = finding.fixes
            assert remove.action == "remove"
            assert review.action == "review"
            assert review.details["other_ats"][0].startswith("DEMO-M1-R2-")
            continue
        fixed = apply_fix(comp, finding.fixes[0])
        assert evaluate(fixed, demo_world).admissible, (rule_id, finding.fixes[0])
    assert seen == set(DRAFT_RULES)
