"""Fixes: concrete, named proposals for each error; candidates respect capacity."""

from __future__ import annotations

import pytest

from matchmaker.rules import (
    Fix,
    FixAdvisor,
    apply_fix,
    default_catalogue,
    evaluate,
    parse_composition,
)


@pytest.fixture
def check(world, mk, lexical):
    def run(districts, *members, need="", **kw):
        advisor = FixAdvisor(world, default_catalogue(), lexical, need)
        return evaluate(parse_composition(mk(districts, *members, **kw)), world, None, advisor)

    return run


def fixes_of(result, rule_id):
    (finding,) = [f for f in result.findings if f.rule_id == rule_id]
    return finding.fixes


def test_missing_enti_gestori_named(check, tc):
    r = check(["D1"], (tc.EG1, "capofila"), (tc.ETS2, "mandante"))
    (add,) = fixes_of(r, "M1-EG-DISTRETTO")
    assert add.action == "add"
    assert add.tax_codes == (tc.EG2,)
    assert "Unione Collinare Azzano" in add.message_it


def test_missing_ets_gets_ranked_candidates_with_capacity(check, tc):
    r = check(["D1"], (tc.EG1, "capofila"), (tc.EG2, "mandante"), need="anziani a domicilio")
    (add,) = fixes_of(r, "M1-ETS-MIN")
    assert add.action == "add_one"
    # ETS6 and ETS2 declare home care; ETS1 (at capacity) and ETS4 (no seat) never appear
    assert add.tax_codes[:2] == (tc.ETS2, tc.ETS6) or add.tax_codes[:2] == (tc.ETS6, tc.ETS2)
    assert tc.ETS1 not in add.tax_codes
    assert tc.ETS4 not in add.tax_codes
    scores = add.details["scores"]
    assert list(scores.values()) == sorted(scores.values(), reverse=True)


def test_capacity_exceeded_drop_or_replace(check, tc):
    r = check(
        ["D1"], (tc.EG1, "capofila"), (tc.EG2, "mandante"), (tc.ETS1, "mandante"), need="povertà"
    )
    remove, replace = fixes_of(r, "M1-ETS-MAX2")
    assert remove.action == "remove"
    assert remove.tax_codes == (tc.ETS1,)
    assert replace.action == "replace"
    assert replace.details["replaces"] == tc.ETS1
    assert tc.ETS1 not in replace.tax_codes
    assert replace.tax_codes[0] == tc.ETS5  # food poverty, seat in Piemonte, capacity left


def test_eg_in_another_ats_points_to_it(check, tc):
    r = check(["D2"], (tc.EG3, "capofila"), (tc.ETS2, "mandante"))
    remove, review = fixes_of(r, "M1-EG-UNA-ATS")
    assert remove.tax_codes == (tc.EG3,)
    assert review.details["other_ats"] == ["P1"]
    assert "P1" in review.message_it


def test_territorial_body_told_where_it_belongs(check, tc):
    r = check(
        ["D1"],
        (tc.EG1, "capofila"),
        (tc.EG2, "mandante"),
        (tc.ETS2, "mandante"),
        (tc.COMUNE_AL, "mandante"),
    )
    remove, belongs = fixes_of(r, "M1-PUBBLICI-TERRITORIO")
    assert remove.action == "remove"
    assert belongs.districts == ("D3",)
    assert "Distretto Alessandria" in belongs.message_it


def test_capofila_fix_lists_the_enti_gestori(check, tc):
    r = check(["D1"], (tc.EG1, "mandante"), (tc.EG2, "mandante"), (tc.ETS2, "capofila"))
    (fix,) = fixes_of(r, "M1-CAPOFILA-EG")
    assert fix.action == "set_capofila"
    assert fix.tax_codes == (tc.EG1, tc.EG2)


def test_eg_outside_districts_add_its_district(check, tc):
    r = check(
        ["D1"],
        (tc.EG1, "capofila"),
        (tc.EG2, "mandante"),
        (tc.ETS2, "mandante"),
        (tc.EG4, "mandante"),
        round_=2,
    )
    add, remove = fixes_of(r, "M1-EG-FUORI-DISTRETTO")
    assert add.action == "add_district"
    assert add.districts == ("D3",)
    assert remove.tax_codes == (tc.EG4,)


def test_no_district_fix_names_the_eg_districts(check, tc):
    r = check([], (tc.EG1, "capofila"), (tc.EG2, "mandante"), (tc.ETS2, "mandante"))
    (fix,) = fixes_of(r, "M1-DISTRETTO-MIN")
    assert fix.districts == ("D1",)


def test_multidistrict_warning_suggests_free_neighbours(check, tc):
    # round 2: D2 (borders D1 at Asti/Baldichieri) has its Ente Gestore free
    r = check(["D1"], (tc.EG1, "capofila"), (tc.EG2, "mandante"), (tc.ETS2, "mandante"), round_=2)
    (fix,) = fixes_of(r, "M1-MULTIDISTRETTO")
    assert fix.districts == ("D2",)
    # round 1: EG3 of D2 is in P1, so no neighbour is free
    r = check(["D1"], (tc.EG1, "capofila"), (tc.EG2, "mandante"), (tc.ETS2, "mandante"))
    assert fixes_of(r, "M1-MULTIDISTRETTO") == ()


def test_business_fix_points_to_other_measures(check, tc):
    r = check(
        ["D1"],
        (tc.EG1, "capofila"),
        (tc.EG2, "mandante"),
        (tc.ETS2, "mandante"),
        (tc.IMP1, "mandante"),
    )
    remove, review = fixes_of(r, "M1-NO-IMPRESE")
    assert remove.tax_codes == (tc.IMP1,)
    assert "Misure 3" in review.message_it


def test_applying_the_fixes_makes_the_composition_admissible(check, world, tc, mk, lexical):
    members = [(tc.EG1, "capofila"), (tc.ETS1, "mandante"), (tc.IMP1, "mandante")]
    comp = parse_composition(mk(["D1"], *members))
    advisor = FixAdvisor(world, default_catalogue(), lexical, "povertà")
    r = evaluate(comp, world, None, advisor)
    assert set(r.rule_ids("error")) == {"M1-EG-DISTRETTO", "M1-ETS-MAX2", "M1-NO-IMPRESE"}
    for f in r.errors:
        comp = apply_fix(comp, f.fixes[0])
    r2 = evaluate(comp, world, None, advisor)
    assert r2.rule_ids("error") == ["M1-ETS-MIN"]  # removing ETS1 left no ETS: fix again
    comp = apply_fix(comp, r2.errors[0].fixes[0])
    assert comp.members[-1].tax_code == tc.ETS5  # the best candidate for poverty
    assert evaluate(comp, world).admissible


def test_apply_fix_actions(tc):
    comp = parse_composition(
        {
            "measure": 1,
            "round": 1,
            "districts": ["D1"],
            "members": [{"tax_code": tc.EG1, "role": "capofila"}, {"tax_code": tc.ETS1}],
        }
    )
    assert apply_fix(comp, Fix("add", "", "", tax_codes=(tc.EG2, tc.EG1))).tax_codes == (
        tc.EG1,
        tc.ETS1,
        tc.EG2,
    )
    assert (
        apply_fix(comp, Fix("add_one", "", "", tax_codes=(tc.ETS2, tc.ETS3)), 1).tax_codes[-1]
        == tc.ETS3
    )
    replaced = apply_fix(
        comp, Fix("replace", "", "", tax_codes=(tc.ETS2,), details={"replaces": tc.ETS1})
    )
    assert replaced.tax_codes == (tc.EG1, tc.ETS2)
    assert apply_fix(comp, Fix("remove", "", "", tax_codes=(tc.ETS1,))).tax_codes == (tc.EG1,)
    lead = apply_fix(comp, Fix("set_capofila", "", "", tax_codes=(tc.ETS1,)))
    assert [m.role.value for m in lead.members] == ["mandante", "capofila"]
    assert apply_fix(comp, Fix("add_district", "", "", districts=("D2",))).districts == (
        "D1",
        "D2",
    )
    assert apply_fix(comp, Fix("remove_district", "", "", districts=("D1",))).districts == ()
    assert apply_fix(comp, Fix("review", "", "")) == comp


def test_every_error_gets_a_fix_even_without_anything_to_build_on(check):
    r = check([])
    assert r.rule_ids("error") == ["M1-CAPOFILA-EG", "M1-DISTRETTO-MIN", "M1-ETS-MIN"]
    for f in r.errors:
        assert f.fixes
    (review,) = fixes_of(r, "M1-DISTRETTO-MIN")
    assert review.action == "review"
    assert "Distretto della Coesione Sociale" in review.message_it
