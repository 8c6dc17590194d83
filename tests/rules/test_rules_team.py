"""Team proposals: complete, admissible, relevant, diverse, capacity respected."""

from __future__ import annotations

import pytest

from matchmaker.domain import DomainError
from matchmaker.rules import (
    AtsService,
    Candidate,
    CandidateRequest,
    DistrictRerank,
    LexicalCandidates,
    MatchEngineCandidates,
    ProposalImpossible,
    default_catalogue,
    evaluate,
    propose,
)
from matchmaker.rules.proposal import STRATEGIES
from matchmaker.rules.team import _greedy


def test_proposals_are_complete_and_admissible(world, lexical, tc):
    proposals = propose(world, lexical, "anziani soli a domicilio", for_tax_code=tc.EG1, size=2)
    assert 2 <= len(proposals) <= 3
    keys = set()
    for p in proposals:
        members = {m.tax_code: m.role.value for m in p.composition.members}
        assert members[tc.EG1] == "capofila"
        assert members[tc.EG2] == "mandante"  # every Ente Gestore of D1
        ets = [m for m in p.members if m.kind == "ets"]
        assert len(ets) == 2
        assert p.check.admissible
        assert evaluate(p.composition, world).admissible  # checked again, independently
        assert p.composition.districts == ("D1",)
        assert p.explanation_it
        assert p.explanation_en
        keys.add(frozenset(members))
    assert len(keys) == len(proposals)  # the alternatives differ


def test_relevance_and_coverage(world, lexical, tc):
    (best, *_rest) = propose(
        world, lexical, "anziani a domicilio e caregiver", for_tax_code=tc.EG1, size=2
    )
    chosen = {m.tax_code for m in best.members if m.kind == "ets"}
    assert chosen == {tc.ETS2, tc.ETS6}
    assert set(best.covered_themes) == {"anziani_non_autosufficienza", "caregiver", "domiciliarita"}
    assert best.covered_themes == best.needed_themes


def test_capacity_and_seat_are_respected(world, lexical, tc):
    # round 1: ETS1 is in two funded ATS; ETS4 has no seat in Piemonte
    for round_ in (1, 2):
        proposals = propose(
            world, lexical, "povertà", for_tax_code=tc.EG1, size=4, call_round=round_
        )
        used = {m.tax_code for p in proposals for m in p.members}
        assert tc.ETS4 not in used
        assert (tc.ETS1 in used) == (round_ == 2)


def test_diversity_strategy_adds_a_territorial_public_member(world, lexical, tc):
    proposals = propose(world, lexical, "anziani", for_tax_code=tc.EG1, size=2)
    div = next(p for p in proposals if p.strategy == "diversita")
    public = [m for m in div.members if m.kind in ("asl", "comune", "unione_comuni")]
    assert [m.tax_code for m in public] == [tc.ASL_AT]  # ASL with a known territory first


def test_by_district(world, lexical, tc):
    proposals = propose(world, lexical, "anziani", district="D1", size=1, call_round=2)
    lead = [m for m in proposals[0].members if m.role == "capofila"]
    assert [m.tax_code for m in lead] == [tc.EG1]  # the first Ente Gestore by name


def test_lead_already_in_an_ats_is_impossible(world, lexical, tc):
    with pytest.raises(ProposalImpossible) as info:
        propose(world, lexical, "giovani", for_tax_code=tc.EG3, call_round=1)
    assert "P1" in str(info.value)
    # in the next round it is free
    assert propose(world, lexical, "giovani", for_tax_code=tc.EG3, call_round=2)


def test_bad_requests(world, lexical, tc):
    with pytest.raises(DomainError) as info:
        propose(world, lexical, "x", for_tax_code=tc.ETS1)
    assert info.value.field == "for_tax_code"
    with pytest.raises(DomainError) as info:
        propose(world, lexical, "x", for_tax_code=tc.EG1, size=0)
    assert info.value.field == "size"
    with pytest.raises(DomainError) as info:
        propose(world, lexical, "x", district="NOPE")
    assert info.value.field == "district"
    with pytest.raises(DomainError) as info:
        propose(world, lexical, "x", for_tax_code=tc.EG1, measure=2)
    assert info.value.field == "measure"


def test_no_candidate_left_is_impossible(world, tc):
    def nobody(request):
        return [Candidate(tc.ETS1, 0.9), Candidate(tc.ETS4, 0.8), Candidate(tc.IMP1, 0.7)]

    with pytest.raises(ProposalImpossible):
        propose(world, nobody, "x", for_tax_code=tc.EG1, call_round=1)


def test_source_order_drives_relevance(world, tc):
    def fixed(request):
        assert request.districts == ("D1",)
        assert request.kinds == ("ets",)
        assert tc.EG1 in request.exclude_tax_codes
        return [Candidate(tc.ETS3, 0.95), Candidate(tc.ETS5, 0.9), Candidate(tc.ETS2, 0.1)]

    (best, *_rest) = propose(world, fixed, "qualcosa", for_tax_code=tc.EG1, size=2)
    assert {m.tax_code for m in best.members if m.kind == "ets"} == {tc.ETS3, tc.ETS5}


def test_greedy_mmr_prefers_diverse_members(world, tc):
    # ETS2 and ETS6 both do home care; ETS3 does youth: with a strong diversity weight the
    # second pick is ETS3 even though ETS6 is slightly more relevant
    pool = [(world.orgs[tc.ETS2], 0.9), (world.orgs[tc.ETS6], 0.85), (world.orgs[tc.ETS3], 0.8)]
    div = STRATEGIES[2]
    chosen, _ = _greedy(pool, set(), 2, div, set())
    assert [o.tax_code for o, _ in chosen] == [tc.ETS2, tc.ETS3]
    rel = STRATEGIES[0]
    chosen, _ = _greedy(pool, set(), 2, rel, set())
    assert [o.tax_code for o, _ in chosen] == [tc.ETS2, tc.ETS6]


def test_greedy_coverage_is_submodular_gain(world, tc):
    needed = {"domiciliarita", "giovani", "caregiver"}
    pool = [(world.orgs[tc.ETS2], 0.5), (world.orgs[tc.ETS6], 0.5), (world.orgs[tc.ETS3], 0.5)]
    cov = STRATEGIES[1]
    chosen, total = _greedy(pool, needed, 2, cov, set())
    covered = set().union(*(o.themes & needed for o, _ in chosen))
    assert covered == needed
    assert total > 0


def test_catalogue_default_used(world, lexical, tc):
    proposals = propose(
        world, lexical, "x", for_tax_code=tc.EG1, size=1, catalogue=default_catalogue()
    )
    assert all(p.check.rules_checked for p in proposals)


def test_default_round_is_the_open_call(service, demo_world):
    assert AtsService.next_round(demo_world) == 3  # rounds 1-2 submitted, drafts in round 3
    assert AtsService.next_round(demo_world, measure=3) == 2
    assert AtsService.next_round(demo_world, measure=2) == 1
    assert service.next_round(service.world()) == 2  # the hand-made world: round 1 only


def test_district_rerank_prefers_local_candidates(world, tc):
    seen = []

    def far_first(request):
        seen.append(request)
        # ETS5 (Alessandria, D3) is the most relevant; ETS2 (Azzano, D1) a little less
        return [Candidate(tc.ETS5, 0.9), Candidate(tc.ETS3, 0.8), Candidate(tc.ETS2, 0.8)]

    rerank = DistrictRerank(far_first, world, weight=0.25, pool=40)
    out = rerank(CandidateRequest(text="x", districts=("D1",), top_k=2))
    assert seen[0].territory == "off"
    assert seen[0].top_k == 40
    # ETS2 in D1: 0.75*0.8 + 0.25 = 0.85; ETS3 in D2, next to D1: 0.6 + 0.125 = 0.725
    assert [c.tax_code for c in out] == [tc.ETS2, tc.ETS3]
    assert out[0].score == pytest.approx(0.85)
    assert out[0].explanation["district_presence"] == 1.0
    assert rerank.local(tc.ETS5, ("D1",)) == 0.0


def test_service_candidate_source_modes(rules_db, world, lexical):
    default = AtsService(rules_db).candidate_source(world)
    assert isinstance(default.primary, MatchEngineCandidates)
    by_district = AtsService(rules_db, candidates="districts").candidate_source(world)
    assert isinstance(by_district, DistrictRerank)
    assert isinstance(by_district.source.primary, MatchEngineCandidates)
    assert isinstance(
        AtsService(rules_db, candidates="lexical").candidate_source(world), LexicalCandidates
    )
    assert AtsService(rules_db, candidates=lexical).candidate_source(world) is lexical
