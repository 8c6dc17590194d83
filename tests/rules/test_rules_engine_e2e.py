"""End to end with the real matching engine and the bundled model, on the demo data."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from sqlalchemy.engine import make_url

from matchmaker.rules import (
    AtsService,
    DistrictRerank,
    MatchEngineCandidates,
    evaluate,
    parse_composition,
)
from matchmaker.storage import Database


@pytest.fixture
def demo_copy(demo_url: str, tmp_path: Path):
    source = Path(make_url(demo_url).database)
    target = tmp_path / "demo.sqlite3"
    shutil.copyfile(source, target)
    db = Database(f"sqlite:///{target}")
    yield db
    db.dispose()


def test_real_engine_proposes_admissible_teams_and_fixes(demo_copy):
    service = AtsService(demo_copy)  # default candidate source: the matching engine
    world = service.world()
    source = service.candidate_source(world)
    lead = next(
        t
        for t, o in sorted(world.orgs.items())
        if o.kind.value == "ente_gestore" and len(o.districts) == 1
    )
    proposals = service.propose(
        "anziani soli a domicilio e sostegno ai caregiver familiari",
        for_tax_code=lead,
        size=3,
        world=world,
    )
    assert not source.used_fallback  # the engine answered, not the lexical fallback
    assert isinstance(source.primary, MatchEngineCandidates)
    assert 2 <= len(proposals) <= 3
    for p in proposals:
        assert evaluate(p.composition, world).admissible
        ets = [m for m in p.members if m.kind == "ets"]
        assert len(ets) == 3
        assert all(0.0 <= m.score <= 1.0 for m in ets)
    best = proposals[0]
    assert "domiciliarita" in best.needed_themes
    assert best.covered_themes  # the engine's top candidates declare some needed theme
    # the fixes of an incomplete ATS come from the engine too, capacity respected
    comp = dict(best.composition.as_dict())
    comp["members"] = [m for m in comp["members"] if world.orgs[m["tax_code"]].kind != "ets"]
    result = service.check(parse_composition(comp), need="anziani a domicilio", world=world)
    (finding,) = result.errors
    assert finding.rule_id == "M1-ETS-MIN"
    (fix,) = finding.fixes
    assert fix.action == "add_one"
    assert len(fix.tax_codes) == 5
    assert all(world.orgs[t].kind.value == "ets" for t in fix.tax_codes)
    # the engine re-ranked by district presence gives admissible teams too
    by_district = AtsService(demo_copy, candidates="districts")
    rerank = by_district.candidate_source(world)
    assert isinstance(rerank, DistrictRerank)
    (first, *_rest) = by_district.propose(
        "anziani soli a domicilio", for_tax_code=lead, size=2, world=world
    )
    assert evaluate(first.composition, world).admissible
    assert not rerank.source.used_fallback
