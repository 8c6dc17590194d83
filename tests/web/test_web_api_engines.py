"""The API over the engines, on the demo data: matching, ATS check and team proposals."""

from __future__ import annotations

import sqlalchemy as sa

from matchmaker.domain import MemberRole, PartnershipStatus
from matchmaker.storage import Partnership


def test_match_returns_explained_ets(demo_app, staff_headers):
    client = demo_app.test_client()
    r = client.post(
        "/api/v1/match",
        headers=staff_headers,
        json={"text": "doposcuola e sostegno educativo per minori a Torino", "top_k": 5},
    )
    assert r.status_code == 200, r.get_json()
    results = r.get_json()["results"]
    assert len(results) == 5
    assert {x["kind"] for x in results} == {"ets"}
    scores = [x["score"] for x in results]
    assert scores == sorted(scores, reverse=True)
    assert all(0 <= s <= 1 for s in scores)
    assert all(x["explanation"] for x in results)


def test_match_refuses_bad_input_naming_the_field(demo_app, staff_headers):
    client = demo_app.test_client()
    r = client.post("/api/v1/match", headers=staff_headers, json={"text": "x", "top_k": 0})
    assert (r.status_code, r.get_json()["errors"][0]["field"]) == (422, "top_k")
    r = client.post("/api/v1/match", headers=staff_headers, json={"testo": "x"})
    assert (r.status_code, r.get_json()["errors"][0]["field"]) == (422, "testo")
    r = client.post("/api/v1/match", headers=staff_headers, json={})
    assert (r.status_code, r.get_json()["errors"][0]["field"]) == (422, "text")


def _composition(p: Partnership) -> dict:
    return {
        "measure": p.measure,
        "round": p.call_round,
        "code": p.code,
        "districts": [d.code for d in p.districts],
        "members": [{"tax_code": m.organisation.tax_code, "role": m.role.value} for m in p.members],
    }


def test_ats_check_on_a_funded_ats_and_a_deliberate_violation(
    demo_app, demo_database, staff_headers
):
    client = demo_app.test_client()
    with demo_database.session() as s:
        funded = s.scalars(
            sa.select(Partnership)
            .where(Partnership.call_round == 1, Partnership.measure == 1)
            .order_by(Partnership.code)
        ).first()
        ok = _composition(funded)
        draft = s.scalars(
            sa.select(Partnership).where(Partnership.source.like("%violazione voluta: M1-ETS-MIN"))
        ).one()
        bad = _composition(draft)
    r = client.post("/api/v1/ats/check", headers=staff_headers, json=ok)
    assert r.status_code == 200
    assert r.get_json()["admissible"] is True
    r = client.post("/api/v1/ats/check", headers=staff_headers, json=bad)
    body = r.get_json()
    assert body["admissible"] is False
    errors = [f for f in body["findings"] if f["severity"] == "error"]
    assert [f["rule_id"] for f in errors] == ["M1-ETS-MIN"]
    assert errors[0]["fixes"]  # concrete proposals come with it
    r = client.post("/api/v1/ats/check", headers=staff_headers, json={**ok, "measure": 9})
    assert (r.status_code, r.get_json()["errors"][0]["field"]) == (422, "measure")


def test_ats_propose_gives_admissible_teams(demo_app, demo_database, staff_headers):
    client = demo_app.test_client()
    with demo_database.session() as s:
        lead = s.scalars(sa.select(Partnership).where(Partnership.call_round == 1)).first()
        capofila = next(
            m.organisation.tax_code for m in lead.members if m.role == MemberRole.CAPOFILA
        )
        assert lead.status != PartnershipStatus.BOZZA
    r = client.post(
        "/api/v1/ats/propose",
        headers=staff_headers,
        json={
            "for_tax_code": capofila,
            "size": 3,
            "text": "sostegno ai caregiver di anziani non autosufficienti",
        },
    )
    assert r.status_code == 200, r.get_json()
    proposals = r.get_json()["proposals"]
    assert 2 <= len(proposals) <= 3
    for p in proposals:
        check = client.post(
            "/api/v1/ats/check", headers=staff_headers, json={**p["composition"], "fixes": False}
        )
        assert check.get_json()["admissible"] is True


def _token(database, email: str, role: str) -> dict[str, str]:
    from matchmaker.accounts import create_token, create_user

    with database.session() as s:
        create_user(s, email, role, "una-password-di-prova")
        token, _ = create_token(s, email)
    return {"Authorization": f"Bearer {token}"}


def test_network_export_is_pseudonymised_for_researchers(demo_app, demo_database, staff_headers):
    client = demo_app.test_client()
    researcher = _token(demo_database, "ricerca@example.org", "ricercatore")
    with demo_database.session() as s:
        from matchmaker.storage import Organisation

        some = s.scalars(sa.select(Organisation).where(Organisation.kind == "ets")).first()
        tax, name = some.tax_code, some.name
    staff = client.get("/api/v1/network/export?format=graphml", headers=staff_headers)
    assert staff.status_code == 200
    assert staff.mimetype == "application/graphml+xml"
    assert tax.encode() in staff.data
    mine = client.get("/api/v1/network/export?format=graphml&pseudonymise=0", headers=researcher)
    assert mine.status_code == 200
    assert tax.encode() not in mine.data
    assert name.encode() not in mine.data
    assert b"org_" in mine.data
    again = client.get("/api/v1/network/export?format=graphml", headers=researcher)
    assert again.data == mine.data  # stable pseudonyms


def test_network_metrics_by_role(demo_app, demo_database, staff_headers):
    client = demo_app.test_client()
    researcher = _token(demo_database, "ricerca@example.org", "ricercatore")
    staff = client.get("/api/v1/network/metrics?round=1", headers=staff_headers).get_json()
    mine = client.get("/api/v1/network/metrics?round=1", headers=researcher).get_json()
    assert staff["summary"] == mine["summary"]
    assert len(staff["nodes"]) == len(mine["nodes"])
    assert all(k.startswith("org_") for k in mine["nodes"])
    assert not any(k.startswith("org_") for k in staff["nodes"])
    r = client.get("/api/v1/network/metrics?district=NESSUNO", headers=staff_headers)
    assert r.status_code == 404
    r = client.get("/api/v1/network/metrics?round=zero", headers=staff_headers)
    assert (r.status_code, r.get_json()["errors"][0]["field"]) == (422, "round")
