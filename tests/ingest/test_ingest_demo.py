"""The illustrative data set: deterministic, fictitious, and a faithful Misura 1 landscape."""

from __future__ import annotations

import re
from collections import Counter, defaultdict

import pytest
from sqlalchemy import select
from sqlalchemy.orm import selectinload
from stdnum.it import iva

from matchmaker.domain import MemberRole, OrgKind
from matchmaker.ingest import DRAFT_RULES, IngestError, load_demo, plan_demo
from matchmaker.reference import read_reference
from matchmaker.storage import Collaboration, District, Organisation, Partnership

_PUBLIC_OPTIONAL = {OrgKind.COMUNE, OrgKind.UNIONE_COMUNI, OrgKind.ASL}


def _violations(p: Partnership, rounds: dict, district_egs: dict) -> set[str]:
    """An independent reading of the Misura 1 rules of docs/domain.md."""
    found: set[str] = set()
    orgs = [m.organisation for m in p.members]
    covered = {c.istat_code for d in p.districts for c in d.comuni}
    egs = {o.id for o in orgs if o.kind == OrgKind.ENTE_GESTORE}
    for d in p.districts:
        if not district_egs[d.code] <= egs:
            found.add("M1-EG-DISTRETTO")
    if not any(o.kind == OrgKind.ETS and o.seat_comune_code for o in orgs):
        found.add("M1-ETS-MIN")
    lead = [m.organisation for m in p.members if m.role == MemberRole.CAPOFILA]
    if len(lead) != 1 or lead[0].kind != OrgKind.ENTE_GESTORE:
        found.add("M1-CAPOFILA-EG")
    for o in orgs:
        served = {c.istat_code for c in o.comuni_served}
        if o.kind in (OrgKind.COMUNE, OrgKind.UNIONE_COMUNI) and not (
            o.seat_comune_code in covered and served <= covered
        ):
            found.add("M1-PUBBLICI-TERRITORIO")
        if o.kind == OrgKind.ASL and not served & covered:
            found.add("M1-PUBBLICI-TERRITORIO")
        if o.kind == OrgKind.IMPRESA:
            found.add("M1-NO-IMPRESE")
        if o.kind == OrgKind.ETS and rounds[p.call_round]["ets"][o.id] > 2:
            found.add("M1-ETS-MAX2")
        if o.kind == OrgKind.ENTE_GESTORE and rounds[p.call_round]["eg"][o.id] > 1:
            found.add("M1-EG-UNA-ATS")
    return found


@pytest.fixture
def demo(demo_database):
    with demo_database.session() as s:
        parts = s.scalars(
            select(Partnership).options(
                selectinload(Partnership.members).selectinload(
                    Partnership.members.property.mapper.class_.organisation
                )
            )
        ).all()
        orgs = s.scalars(
            select(Organisation).options(
                selectinload(Organisation.comuni_served),
                selectinload(Organisation.districts),
                selectinload(Organisation.themes),
            )
        ).all()
        districts = s.scalars(
            select(District).options(
                selectinload(District.comuni), selectinload(District.organisations)
            )
        ).all()
        for p in parts:
            for d in p.districts:
                _ = d.comuni
            for m in p.members:
                _ = m.organisation.comuni_served
        ties = s.scalars(select(Collaboration)).all()
        yield parts, orgs, districts, ties


def _rounds(parts: list[Partnership]) -> dict:
    out: dict = defaultdict(lambda: {"ets": Counter(), "eg": Counter()})
    for p in parts:
        if p.measure != 1:
            continue
        for m in p.members:
            if m.organisation.kind == OrgKind.ETS:
                out[p.call_round]["ets"][m.organisation.id] += 1
            if m.organisation.kind == OrgKind.ENTE_GESTORE:
                out[p.call_round]["eg"][m.organisation.id] += 1
    return out


def test_funded_rounds_obey_misura1_and_drafts_break_exactly_one_rule(demo):
    parts, orgs, districts, _ = demo
    district_egs = {
        d.code: {o.id for o in d.organisations if o.kind == OrgKind.ENTE_GESTORE} for d in districts
    }
    m1 = [p for p in parts if p.measure == 1]
    funded = [p for p in m1 if p.status.value != "bozza"]
    drafts = [p for p in m1 if p.status.value == "bozza"]
    assert Counter((p.call_round, p.year, p.status.value) for p in funded) == {
        (1, 2018, "concluso"): 22,
        (2, 2022, "finanziato"): 22,
    }
    without_drafts = _rounds(funded)
    for p in funded:
        assert _violations(p, without_drafts, district_egs) == set(), p.code
    all_rounds = _rounds(m1)
    seen = {}
    for p in drafts:
        match = re.fullmatch(r"dati dimostrativi; violazione voluta: (M1-[A-Z0-9-]+)", p.source)
        assert match, p.source
        assert _violations(p, all_rounds, district_egs) == {match.group(1)}, p.code
        seen[match.group(1)] = p.call_round
    assert seen == {
        "M1-EG-DISTRETTO": 3,
        "M1-ETS-MIN": 3,
        "M1-CAPOFILA-EG": 3,
        "M1-PUBBLICI-TERRITORIO": 3,
        "M1-NO-IMPRESE": 3,
        "M1-ETS-MAX2": 2,
        "M1-EG-UNA-ATS": 2,
    }
    assert set(seen) == set(DRAFT_RULES)
    # the second round has newcomers: ETS absent from the first
    r1 = {m.organisation_id for p in funded if p.call_round == 1 for m in p.members}
    r2 = {m.organisation_id for p in funded if p.call_round == 2 for m in p.members}
    kinds = {o.id: o.kind for o in orgs}
    assert len({o for o in r2 - r1 if kinds[o] == OrgKind.ETS}) >= 10
    assert len({o for o in r2 & r1 if kinds[o] == OrgKind.ETS}) >= 10
    # businesses appear only in Misura 3 networks
    m3 = [p for p in parts if p.measure == 3]
    assert len(m3) == 6
    assert all(p.members[0].organisation.kind == OrgKind.IMPRESA for p in m3)


def test_geography_districts_and_enti_gestori(demo):
    _, orgs, districts, _ = demo
    ref = read_reference()
    assert len(districts) == 30
    of = Counter(c.istat_code for d in districts for c in d.comuni)
    assert len(of) == len(ref.comuni) == 1179
    assert set(of.values()) == {1}
    egs = [o for o in orgs if o.kind == OrgKind.ENTE_GESTORE]
    assert len(egs) == 50
    served = Counter(c.istat_code for o in egs for c in o.comuni_served)
    assert len(served) == 1179
    assert set(served.values()) == {1}
    for d in districts:
        mine = [o for o in d.organisations if o.kind == OrgKind.ENTE_GESTORE]
        assert 1 <= len(mine) <= 3
        assert {c.istat_code for o in mine for c in o.comuni_served} == {
            c.istat_code for c in d.comuni
        }
        assert len({c.province_code for c in d.comuni}) == 1
    assert Counter(o.kind for o in orgs)[OrgKind.ASL] == 12


def test_everything_is_flagged_fictitious_and_well_formed(demo):
    parts, orgs, districts, ties = demo
    assert all(x.is_illustrative for x in [*parts, *orgs, *districts, *ties])
    assert all(x.source.startswith("dati dimostrativi") for x in [*parts, *orgs, *districts])
    for o in orgs:
        assert iva.is_valid(o.tax_code)
        assert re.fullmatch(r"99\d{5}999\d", o.tax_code)
        if o.website:
            assert o.website.endswith(".example")
            assert o.email.endswith(".example")
    assert len({o.name for o in orgs}) == len(orgs)
    ets = [o for o in orgs if o.kind == OrgKind.ETS]
    assert 380 <= len(ets) <= 420
    assert 35 <= sum(o.kind == OrgKind.IMPRESA for o in orgs) <= 45
    for o in ets:
        assert o.seat_comune_code
        assert o.runts_section is not None
        assert 1 <= len(o.themes) <= 4
        assert 2 <= o.description.count(". ") + 1 <= 5, o.description
        assert {d.code for d in o.districts}
    assert len({o.description for o in ets}) == len(ets)
    torino = sum(o.seat_comune_code == "001272" for o in ets)
    assert 40 <= torino <= 90  # seats where the people are
    assert 1200 <= len(ties) <= 2000
    degree = Counter()
    for t in ties:
        degree[t.source_id] += 1
        degree[t.target_id] += 1
    assert max(degree.values()) >= 15  # a few hubs


def test_plan_is_deterministic_and_seeded():
    a, b, c = plan_demo(), plan_demo(), plan_demo(seed=7)
    assert a == b
    assert [o.name for o in a.organisations] != [o.name for o in c.organisations]


def test_load_demo_twice_is_refused(demo_database):
    with pytest.raises(IngestError, match="già presenti"), demo_database.session() as s:
        load_demo(s)


def test_load_demo_needs_reference_data(tmp_path):
    from matchmaker.storage import Database, upgrade

    db = Database(f"sqlite:///{tmp_path / 'empty.sqlite3'}")
    upgrade(db.engine)
    with pytest.raises(IngestError, match="matchmaker init"), db.session() as s:
        load_demo(s)
    db.dispose()
