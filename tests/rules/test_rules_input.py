"""Malformed input: domain errors that name the field; the CLI's exit codes 0, 1 and 2."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from matchmaker.cli import main
from matchmaker.domain import DomainError
from matchmaker.rules import evaluate, parse_composition

VALID = {"measure": 1, "round": 1, "districts": ["D1"], "members": []}


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ([], "(radice)"),
        ({**VALID, "extra": 1}, "extra"),
        ({k: v for k, v in VALID.items() if k != "measure"}, "measure"),
        ({k: v for k, v in VALID.items() if k != "round"}, "round"),
        ({k: v for k, v in VALID.items() if k != "members"}, "members"),
        ({**VALID, "measure": "1"}, "measure"),
        ({**VALID, "measure": True}, "measure"),
        ({**VALID, "measure": 6}, "measure"),
        ({**VALID, "round": 0}, "round"),
        ({**VALID, "districts": "D1"}, "districts"),
        ({**VALID, "districts": ["D1", "D1"]}, "districts[1]"),
        ({**VALID, "districts": [""]}, "districts[0]"),
        ({**VALID, "members": {}}, "members"),
        ({**VALID, "members": ["x"]}, "members[0]"),
        ({**VALID, "members": [{"role": "capofila"}]}, "members[0].tax_code"),
        ({**VALID, "members": [{"tax_code": 5}]}, "members[0].tax_code"),
        ({**VALID, "members": [{"tax_code": "00001010016", "role": "boss"}]}, "members[0].role"),
        ({**VALID, "members": [{"tax_code": "x", "ruolo": "capofila"}]}, "members[0].ruolo"),
        (
            {**VALID, "members": [{"tax_code": "00001010016"}, {"tax_code": "0000101 0016"}]},
            "members[1].tax_code",
        ),
        ({**VALID, "code": ""}, "code"),
    ],
)
def test_malformed_input_names_the_field(data, field):
    with pytest.raises(DomainError) as info:
        parse_composition(data)
    assert info.value.field == field


def test_unknown_references_name_the_field(world, tc):
    comp = parse_composition({**VALID, "districts": ["D1", "NOPE"]})
    with pytest.raises(DomainError) as info:
        evaluate(comp, world)
    assert info.value.field == "districts[1]"
    comp = parse_composition(
        {**VALID, "members": [{"tax_code": tc.EG1}, {"tax_code": "12345678903"}]}
    )
    with pytest.raises(DomainError) as info:
        evaluate(comp, world)
    assert info.value.field == "members[1].tax_code"
    comp = parse_composition({**VALID, "themes": ["not_a_theme"]})
    with pytest.raises(DomainError) as info:
        evaluate(comp, world)
    assert info.value.field == "themes[0]"


def test_role_defaults_to_mandante_and_tax_codes_are_normalised():
    c = parse_composition({**VALID, "members": [{"tax_code": " 0000 101.0016 "}]})
    assert c.members[0].tax_code == "00001010016"
    assert c.members[0].role.value == "mandante"
    assert parse_composition(c.as_dict()) == c


def _run(rules_db, tmp_path, payload, *args):
    path = tmp_path / "ats.json"
    path.write_text(payload if isinstance(payload, str) else json.dumps(payload), "utf-8")
    runner = CliRunner()
    return runner.invoke(
        main,
        ["--database-url", rules_db.url, "ats", "check", str(path), "--no-model", *args],
    )


def test_cli_check_exit_codes(rules_db, tmp_path, tc, mk):
    good = mk(["D1"], (tc.EG1, "capofila"), (tc.EG2, "mandante"), (tc.ETS2, "mandante"))
    r = _run(rules_db, tmp_path, good)
    assert r.exit_code == 0, r.output
    assert "AMMISSIBILE" in r.output
    assert "M1-MULTIDISTRETTO" in r.output
    bad = mk(["D1"], (tc.EG1, "capofila"), (tc.EG2, "mandante"))
    r = _run(rules_db, tmp_path, bad)
    assert r.exit_code == 1
    assert "NON AMMISSIBILE" in r.output
    assert "[ERRORE] M1-ETS-MIN" in r.output
    assert "Cooperativa Caregiver Insieme" in r.output  # a fix: the best local candidate
    r = _run(rules_db, tmp_path, "{not json")
    assert r.exit_code == 2
    assert "JSON" in r.output
    r = _run(rules_db, tmp_path, {**good, "round": "uno"})
    assert r.exit_code == 2
    assert "[campo: round]" in r.output
    r = _run(rules_db, tmp_path, mk(["D9"], (tc.EG1, "capofila")))
    assert r.exit_code == 2
    assert "districts[0]" in r.output


def test_cli_check_json(rules_db, tmp_path, tc, mk):
    bad = mk(["D1"], (tc.EG1, "capofila"), (tc.ETS2, "mandante"))
    r = _run(rules_db, tmp_path, bad, "--json")
    assert r.exit_code == 1
    data = json.loads(r.output)
    assert data["admissible"] is False
    (finding,) = [f for f in data["findings"] if f["severity"] == "error"]
    assert finding["rule_id"] == "M1-EG-DISTRETTO"
    assert finding["tax_codes"] == [tc.EG2]
    assert finding["fixes"][0]["action"] == "add"
    assert finding["fixes"][0]["tax_codes"] == [tc.EG2]
    assert "Enti Gestori" in finding["paragraph"]


def test_cli_propose_and_rules(rules_db, tc):
    runner = CliRunner()
    base = ["--database-url", rules_db.url, "ats"]
    args = ["propose", "--for", tc.EG1, "--text", "anziani a domicilio", "--size", "2"]
    r = runner.invoke(main, [*base, *args, "--json", "--no-model"])
    assert r.exit_code == 0, r.output
    proposals = json.loads(r.output)
    assert 1 <= len(proposals) <= 3
    assert all(p["admissible"] for p in proposals)
    r = runner.invoke(main, [*base, "propose", "--for", tc.ETS1, "--text", "x", "--no-model"])
    assert r.exit_code == 2
    assert "non è un Ente Gestore" in r.output
    r = runner.invoke(
        main, [*base, "propose", "--for", tc.EG3, "--text", "x", "--round", "1", "--no-model"]
    )
    assert r.exit_code == 1
    assert "P1" in r.output
    r = runner.invoke(main, [*base, "rules", "--measure", "1", "--json"])
    assert r.exit_code == 0
    assert len(json.loads(r.output)) == 14
