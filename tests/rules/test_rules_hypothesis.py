"""Hypothesis over the demo data: invariants of checks and proposals, robustness of input."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from matchmaker.cli import main
from matchmaker.domain import DomainError, MemberRole, OrgKind
from matchmaker.rules import (
    Composition,
    FixAdvisor,
    LexicalCandidates,
    Member,
    ProposalImpossible,
    apply_fix,
    default_catalogue,
    evaluate,
    parse_composition,
    propose,
)

NEEDS = [
    "anziani soli a domicilio e sostegno ai caregiver familiari",
    "povertà educativa, minori e famiglie fragili",
    "emergenza abitativa e grave marginalità adulta",
    "inserimento lavorativo di giovani NEET",
    "salute mentale e dipendenze nei quartieri",
    "",
]
_IGNORED = ("bozza", "non_ammesso", "non_finanziato")
SETTINGS = settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


@pytest.fixture(scope="module")
def lexical_demo(demo_world):
    return LexicalCandidates(demo_world, {c: list(p) for c, p in demo_world.themes.items()})


@pytest.fixture(scope="module")
def pools(demo_world):
    orgs = sorted(demo_world.orgs)
    egs = sorted(t for t, o in demo_world.orgs.items() if o.kind == OrgKind.ENTE_GESTORE)
    return orgs, egs, sorted(demo_world.districts)


@SETTINGS
@given(data=st.data())
def test_random_compositions_never_crash_and_are_consistent(demo_world, pools, lexical_demo, data):
    orgs, _egs, districts = pools
    members = data.draw(st.lists(st.sampled_from(orgs), max_size=10, unique=True))
    roles = data.draw(
        st.lists(
            st.sampled_from(["capofila", "mandante"]),
            min_size=len(members),
            max_size=len(members),
        )
    )
    comp = Composition(
        measure=data.draw(st.integers(1, 5)),
        call_round=data.draw(st.integers(1, 4)),
        districts=tuple(data.draw(st.lists(st.sampled_from(districts), max_size=4, unique=True))),
        members=tuple(Member(t, MemberRole(r)) for t, r in zip(members, roles, strict=True)),
        code=data.draw(st.sampled_from([None, "DEMO-M1-R1-01", "DEMO-BOZZA-M1-ETS-MIN"])),
    )
    advisor = FixAdvisor(demo_world, default_catalogue(), lexical_demo, "anziani")
    result = evaluate(comp, demo_world, None, advisor)
    assert [f.rule_id for f in result.findings] == [
        f.rule_id for f in evaluate(comp, demo_world).findings
    ]
    ids = {r.id for r in default_catalogue().for_measure(comp.measure)}
    assert result.admissible == (not any(f.severity == "error" for f in result.findings))
    for f in result.findings:
        assert f.rule_id in ids
        for fix in f.fixes:  # every fix applies cleanly and names known bodies
            assert set(fix.tax_codes) <= set(demo_world.orgs)
            apply_fix(comp, fix)
        if f.severity == "error":
            assert f.fixes, f.rule_id
        assert set(f.tax_codes) <= set(demo_world.orgs)
        assert set(f.districts) <= set(demo_world.districts)
    if comp.measure == 1 and not any(demo_world.orgs[t].kind == OrgKind.ETS for t in members):
        assert "M1-ETS-MIN" in result.rule_ids("error")


@SETTINGS
@given(data=st.data())
def test_a_proposed_team_always_passes_and_needs_its_ets(demo_world, pools, lexical_demo, data):
    _orgs, egs, _districts = pools
    lead = data.draw(st.sampled_from(egs))
    call_round = data.draw(st.integers(1, 3))
    size = data.draw(st.integers(1, 5))
    try:
        proposals = propose(
            demo_world,
            lexical_demo,
            data.draw(st.sampled_from(NEEDS)),
            for_tax_code=lead,
            size=size,
            call_round=call_round,
        )
    except ProposalImpossible:
        # only when an Ente Gestore of its districts is already in an ATS of that round
        egs_needed = {
            t for d in demo_world.orgs[lead].districts for t in demo_world.districts[d].enti_gestori
        }
        assert any(
            demo_world.counted_partnerships(t, 1, call_round, ignore_statuses=_IGNORED)
            for t in egs_needed
        )
        return
    assert 1 <= len(proposals) <= 3
    for p in proposals:
        assert evaluate(p.composition, demo_world).admissible
        ets = [
            m.tax_code for m in p.composition.members if demo_world.orgs[m.tax_code].kind == "ets"
        ]
        assert 1 <= len(ets) <= size
        without = p.composition
        for t in ets:
            without = without.without(t)
        assert "M1-ETS-MIN" in evaluate(without, demo_world).rule_ids("error")


@SETTINGS
@given(data=st.data())
def test_removing_the_only_ets_always_fails(demo_world, pools, lexical_demo, data):
    _orgs, egs, _districts = pools
    lead = data.draw(st.sampled_from(egs))
    # round 3 has no funded ATS: every Ente Gestore is free
    proposals = propose(
        demo_world, lexical_demo, "anziani", for_tax_code=lead, size=1, call_round=3
    )
    comp = proposals[0].composition
    (only,) = [m.tax_code for m in comp.members if demo_world.orgs[m.tax_code].kind == "ets"]
    result = evaluate(comp.without(only), demo_world)
    assert not result.admissible
    assert "M1-ETS-MIN" in result.rule_ids("error")


_JSON = st.recursive(
    st.none() | st.booleans() | st.integers(-5, 5) | st.text(max_size=12),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=10), inner),
    max_leaves=12,
)


def _almost_valid(demo_world):
    """Valid-looking compositions with one part perturbed."""
    orgs = sorted(demo_world.orgs)[:60]
    member = st.fixed_dictionaries(
        {"tax_code": st.sampled_from(orgs) | st.text(max_size=11)},
        optional={"role": st.sampled_from(["capofila", "mandante", "boss", 1])},
    )
    return st.fixed_dictionaries(
        {
            "measure": st.integers(0, 6) | st.sampled_from(["1", None]),
            "round": st.integers(0, 3),
            "districts": st.lists(
                st.sampled_from([*sorted(demo_world.districts), "X"]), max_size=3
            ),
            "members": st.lists(member, max_size=5),
        },
        optional={"code": st.text(max_size=5), "themes": st.lists(st.text(max_size=6))},
    )


@SETTINGS
@given(data=st.data())
def test_checker_never_crashes_on_any_input(demo_world, data):
    payload = data.draw(_JSON | _almost_valid(demo_world))
    error = None
    try:
        evaluate(parse_composition(payload), demo_world)
    except DomainError as exc:
        error = exc
    if error is not None:  # only domain errors, and they always say which field
        assert error.field
        assert str(error)


@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(data=st.data())
def test_cli_exit_code_2_exactly_on_malformed_input(demo_url, demo_world, tmp_path, data):
    payload = data.draw(_JSON | _almost_valid(demo_world))
    try:
        expected = 0 if evaluate(parse_composition(payload), demo_world).admissible else 1
    except DomainError:
        expected = 2
    path = tmp_path / "input.json"
    path.write_text(json.dumps(payload), "utf-8")
    result = CliRunner().invoke(
        main, ["--database-url", demo_url, "ats", "check", str(path), "--no-fixes", "--no-model"]
    )
    assert result.exit_code == expected, result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)
