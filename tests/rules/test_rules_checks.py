"""Every Misura 1 rule: a passing and a failing composition on the hand-made world."""

from __future__ import annotations

import pytest

from matchmaker.rules import evaluate, parse_composition


@pytest.fixture
def check(world, mk):
    def run(districts, *members, **kw):
        return evaluate(parse_composition(mk(districts, *members, **kw)), world)

    return run


@pytest.fixture
def good(tc):
    """The members of an admissible ATS on D1 (as (tax code, role) pairs)."""
    return [(tc.EG1, "capofila"), (tc.EG2, "mandante"), (tc.ETS2, "mandante")]


def ids(result, severity=None):
    return result.rule_ids(severity)


def test_admissible_baseline_has_only_the_multidistrict_warning(check, good):
    r = check(["D1"], *good)
    assert r.admissible
    assert ids(r) == ["M1-MULTIDISTRETTO"]
    assert r.errors == ()
    assert r.complete


def test_distretto_min(check, good, tc):
    assert "M1-DISTRETTO-MIN" not in ids(check(["D1"], *good))
    r = check([], *good)
    assert not r.admissible
    assert "M1-DISTRETTO-MIN" in ids(r, "error")


def test_eg_distretto(check, good, tc):
    assert "M1-EG-DISTRETTO" not in ids(check(["D1"], *good))
    r = check(["D1"], (tc.EG1, "capofila"), (tc.ETS2, "mandante"))
    assert ids(r, "error") == ["M1-EG-DISTRETTO"]
    (f,) = r.errors
    assert f.tax_codes == (tc.EG2,)
    assert f.districts == ("D1",)
    assert "Unione Collinare Azzano" in f.message_it


def test_eg_distretto_each_district_counts(check, tc):
    r = check(["D1", "D3"], (tc.EG1, "capofila"), (tc.EG2, "mandante"), (tc.ETS2, "mandante"))
    (f,) = [f for f in r.errors if f.rule_id == "M1-EG-DISTRETTO"]
    assert f.tax_codes == (tc.EG4,)
    assert f.districts == ("D3",)


def test_eg_fuori_distretto(check, good, tc):
    r = check(["D1"], *good, (tc.EG4, "mandante"))
    found = [f for f in r.errors if f.rule_id == "M1-EG-FUORI-DISTRETTO"]
    assert [f.tax_codes for f in found] == [(tc.EG4,)]
    assert found[0].districts == ("D3",)


def test_ets_min(check, good, tc):
    assert "M1-ETS-MIN" not in ids(check(["D1"], *good))
    r = check(["D1"], (tc.EG1, "capofila"), (tc.EG2, "mandante"))
    assert ids(r, "error") == ["M1-ETS-MIN"]


def test_ets_min_counts_only_ets_with_seat_in_piemonte(check, tc):
    r = check(["D1"], (tc.EG1, "capofila"), (tc.EG2, "mandante"), (tc.ETS4, "mandante"))
    assert ids(r, "error") == ["M1-ETS-MIN", "M1-SEDE-PIEMONTE"]


def test_sede_piemonte(check, good, tc):
    assert "M1-SEDE-PIEMONTE" not in ids(check(["D1"], *good))
    r = check(["D1"], *good, (tc.ETS4, "mandante"))
    assert ids(r, "error") == ["M1-SEDE-PIEMONTE"]
    assert r.errors[0].tax_codes == (tc.ETS4,)


def test_capofila_eg_kind(check, tc):
    r = check(["D1"], (tc.EG1, "mandante"), (tc.EG2, "mandante"), (tc.ETS2, "capofila"))
    assert ids(r, "error") == ["M1-CAPOFILA-EG"]
    assert r.errors[0].details["problem"] == "kind"


def test_capofila_none_and_many(check, tc):
    none = check(["D1"], (tc.EG1, "mandante"), (tc.EG2, "mandante"), (tc.ETS2, "mandante"))
    assert ids(none, "error") == ["M1-CAPOFILA-EG"]
    assert none.errors[0].details["problem"] == "none"
    many = check(["D1"], (tc.EG1, "capofila"), (tc.EG2, "capofila"), (tc.ETS2, "mandante"))
    assert ids(many, "error") == ["M1-CAPOFILA-EG"]
    assert many.errors[0].tax_codes == (tc.EG1, tc.EG2)


def test_pubblici_territorio_inside(check, good, tc):
    r = check(["D1"], *good, (tc.COMUNE_ASTI, "mandante"), (tc.ASL_AT, "mandante"))
    assert r.admissible
    assert ids(r) == ["M1-MULTIDISTRETTO"]


def test_pubblici_territorio_outside(check, good, tc):
    r = check(["D1"], *good, (tc.COMUNE_AL, "mandante"))
    assert ids(r, "error") == ["M1-PUBBLICI-TERRITORIO"]
    (f,) = r.errors
    assert f.tax_codes == (tc.COMUNE_AL,)
    assert f.districts == ("D3",)  # where it belongs


def test_asl_outside_known_territory_is_an_error(check, tc):
    # ASL AT serves the province of Asti; an ATS on Alessandria (D3) is outside it
    r = check(
        ["D3"], (tc.EG4, "capofila"), (tc.ETS5, "mandante"), (tc.ASL_AT, "mandante"), round_=2
    )
    assert ids(r, "error") == ["M1-PUBBLICI-TERRITORIO"]
    assert set(r.errors[0].districts) == {"D1", "D2"}


def test_asl_with_unknown_territory_is_only_a_warning(check, good, tc):
    r = check(["D1"], *good, (tc.ASL_TO3, "mandante"))
    assert r.admissible
    assert ids(r, "warning") == ["M1-MULTIDISTRETTO", "M1-TERRITORIO-NON-VERIFICABILE"]


def test_other_public_body_has_no_territorial_constraint(check, good, tc):
    r = check(["D1"], *good, (tc.UNI, "mandante"))
    assert r.admissible


def test_ets_max2(check, good, tc):
    # ETS1 is in P1 and P2 (both funded, round 1): a third ATS is one too many
    r = check(["D1"], *good, (tc.ETS1, "mandante"))
    assert ids(r, "error") == ["M1-ETS-MAX2"]
    assert r.errors[0].details["other_ats"] == ["P1", "P2"]
    # in another round the same ETS is free
    assert check(["D1"], *good, (tc.ETS1, "mandante"), round_=2).admissible
    # ETS3 is in one ATS only: a second is fine
    assert check(["D1"], *good, (tc.ETS3, "mandante")).admissible


def test_ets_max2_stored_ats_does_not_count_against_itself(check, tc):
    members = [(tc.EG3, "capofila"), (tc.ETS3, "mandante"), (tc.ETS1, "mandante")]
    assert check(["D2"], *members, code="P1").admissible
    # the same composition under another code is a different ATS: EG3 would be in two
    r = check(["D2"], *members)
    assert "M1-EG-UNA-ATS" in ids(r, "error")


def test_eg_una_ats(check, tc):
    r = check(["D2"], (tc.EG3, "capofila"), (tc.ETS2, "mandante"))
    assert ids(r, "error") == ["M1-EG-UNA-ATS"]
    assert r.errors[0].details["other_ats"] == ["P1"]


def test_drafts_and_rejected_ats_do_not_hold_members(check, good, tc):
    # EG1, EG2 and ETS2 are in draft P3; EG2 and ETS5 are in P4, not admitted
    r = check(["D1"], *good, (tc.ETS5, "mandante"))
    assert r.admissible


def test_un_progetto(check, tc):
    twin = [(tc.EG4, "capofila"), (tc.ETS1, "mandante")]
    r = check(["D3"], *twin)
    assert "M1-UN-PROGETTO" in ids(r, "error")
    f = next(f for f in r.errors if f.rule_id == "M1-UN-PROGETTO")
    assert f.details["other_ats"] == ["P2"]
    assert "M1-UN-PROGETTO" not in ids(check(["D3"], *twin, code="P2"))


def test_multidistretto_warning(check, tc):
    r = check(
        ["D1", "D3"],
        (tc.EG1, "capofila"),
        (tc.EG2, "mandante"),
        (tc.EG4, "mandante"),
        (tc.ETS2, "mandante"),
    )
    assert "M1-MULTIDISTRETTO" not in ids(r)
    # EG4 is already in P2: the two-district ATS is not admissible for that reason only
    assert ids(r, "error") == ["M1-EG-UNA-ATS"]
    assert ids(
        check(["D1"], (tc.EG1, "capofila"), (tc.EG2, "mandante"), (tc.ETS2, "mandante")), "warning"
    ) == ["M1-MULTIDISTRETTO"]


def test_no_imprese(check, good, tc):
    assert "M1-NO-IMPRESE" not in ids(check(["D1"], *good))
    r = check(["D1"], *good, (tc.IMP1, "mandante"))
    assert ids(r, "error") == ["M1-NO-IMPRESE"]
    assert r.errors[0].tax_codes == (tc.IMP1,)


def test_findings_carry_paragraph_and_both_languages(check, tc):
    r = check(["D1"], (tc.EG1, "capofila"), (tc.IMP1, "mandante"))
    assert r.errors
    for f in r.findings:
        assert f.paragraph
        assert f.message_it
        assert f.message_en
        assert f.message_it != f.message_en


def test_misura_2_to_4_rules(check, tc):
    m2 = check(["D1"], (tc.EG1, "capofila"), (tc.ETS2, "mandante"), measure=2)
    assert ids(m2, "error") == ["M2-CAPOFILA-ETS"]
    assert not m2.complete
    assert check(["D1"], (tc.ETS2, "capofila"), measure=2).admissible
    m3 = check([], (tc.IMP1, "capofila"), measure=3)
    assert ids(m3, "error") == ["M3-RETE-PMI"]
    m4 = check([], (tc.IMP1, "capofila"), (tc.ETS1, "mandante"), (tc.ETS2, "mandante"), measure=4)
    assert ids(m4, "error") == ["M4-SOGGETTI"]
    assert m4.errors[0].tax_codes == (tc.ETS2,)  # an ODV, not an impresa sociale
    off = check([], (tc.IMP1, "capofila"), measure=4, themes=["giovani"])
    assert ids(off, "error") == ["M4-TEMI"]
    on = check([], (tc.IMP1, "capofila"), measure=4, themes=["salute_benessere"])
    assert on.admissible
