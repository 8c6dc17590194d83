"""ATS writes through the API: a draft's life, and what the API refuses (with the field)."""

from __future__ import annotations

import sqlalchemy as sa

from matchmaker.storage import AuditEntry, Partnership

LEAD = "99000059990"  # Consorzio Socio-Assistenziale Ivrea-Pavone Canavese
OTHER_EG = "99000069999"
ETS = ("99002199992", "99002209999")
SUBMITTED = "DEMO-M1-R2-04"  # a funded ATS of round 2


def _create(client, headers, **extra):
    body = {
        "title": "Rete Canavese",
        "districts": ["DEMO-TO-05"],
        "members": [{"tax_code": LEAD, "role": "capofila"}, {"tax_code": ETS[0]}],
        **extra,
    }
    return client.post("/api/v1/partnerships", headers=headers, json=body)


def test_a_draft_through_the_api(demo_app, demo_database, staff_headers):
    client = demo_app.test_client()
    r = _create(client, staff_headers)
    assert r.status_code == 201, r.get_json()
    created = r.get_json()
    code = created["code"]
    # no round given: the open round of Misura 1 (round 3 of the demo data), as the builder
    assert (created["round"], created["status"], created["version"]) == (3, "bozza", 1)
    assert code.startswith("ATS-R3-")
    r = client.post(
        f"/api/v1/partnerships/{code}/members",
        headers=staff_headers,
        json={"tax_code": OTHER_EG, "version": 1},
    )
    assert r.status_code == 200, r.get_json()
    assert [m["tax_code"] for m in r.get_json()["members"]] == [LEAD, ETS[0], OTHER_EG]
    version = r.get_json()["version"]
    r = client.delete(
        f"/api/v1/partnerships/{code}/members/{ETS[0]}?version={version - 1}",
        headers=staff_headers,
    )
    assert r.status_code == 409  # stale: nothing removed
    r = client.delete(
        f"/api/v1/partnerships/{code}/members/{ETS[0]}?version={version}", headers=staff_headers
    )
    assert r.status_code == 200
    assert [m["tax_code"] for m in r.get_json()["members"]] == [LEAD, OTHER_EG]
    with demo_database.session() as s:
        pid = s.scalar(sa.select(Partnership.id).where(Partnership.code == code))
        actions = s.execute(
            sa.select(AuditEntry.action, AuditEntry.entity_key)
            .where(AuditEntry.entity == "partnership_member")
            .where(AuditEntry.entity_key.like(f"{pid}:%"))
            .order_by(AuditEntry.id)
        ).all()
    # the removal is in the audit log; adding a member logs no empty change of the others
    assert [a for a, _k in actions] == ["create", "create", "create", "delete"]
    r = client.post(
        f"/api/v1/partnerships/{code}/status",
        headers=staff_headers,
        json={"status": "preliminare_presentato", "note": "prot. 1"},
    )
    assert r.status_code == 409  # not admissible: Strambino's Ente Gestore is in, no ETS left
    assert r.get_json()["errors"][0]["type"] == "state"


def test_put_rewrites_whole_and_needs_every_field(demo_app, staff_headers):
    client = demo_app.test_client()
    code = _create(client, staff_headers).get_json()["code"]
    r = client.put(
        f"/api/v1/partnerships/{code}",
        headers=staff_headers,
        json={"version": 1, "title": "solo il titolo"},
    )
    assert r.status_code == 422
    missing = sorted(e["field"] for e in r.get_json()["errors"])
    assert missing == ["description", "districts", "measure", "members", "round"]
    full = {
        "version": 1,
        "title": "Rete Canavese",
        "description": "anziani",
        "measure": 1,
        "round": 3,
        "districts": ["DEMO-TO-05"],
        "members": [{"tax_code": LEAD, "role": "capofila"}],
    }
    r = client.put(f"/api/v1/partnerships/{code}", headers=staff_headers, json=full)
    assert r.status_code == 200
    assert (r.get_json()["description"], r.get_json()["version"]) == ("anziani", 2)
    r = client.put(f"/api/v1/partnerships/{code}", headers=staff_headers, json=full)
    assert r.status_code == 409  # version 1 is stale now


def test_refusals_name_the_field_and_the_kind(demo_app, staff_headers):
    client = demo_app.test_client()

    def refused(r, status):
        assert r.status_code == status, r.get_data(as_text=True)[:300]
        assert r.mimetype == "application/problem+json"
        return [(e["field"], e["type"]) for e in r.get_json()["errors"]]

    assert refused(_create(client, staff_headers, title="\x00abc"), 422) == [
        ("title", "string_pattern_mismatch")
    ]
    assert refused(_create(client, staff_headers, measure=5), 422) == [("measure", "reference")]
    r = client.post(
        "/api/v1/ats/check",
        headers=staff_headers,
        json={"measure": 5, "round": 1, "districts": [], "members": []},
    )
    assert refused(r, 422) == [("measure", "reference")]
    bad_digit = _create(
        client,
        staff_headers,
        members=[{"tax_code": LEAD, "role": "capofila"}, {"tax_code": "99002009994"}],
    )
    assert refused(bad_digit, 422) == [("members[1].tax_code", "check_digit")]
    assert refused(client.get("/api/v1/partnerships?rond=2", headers=staff_headers), 422) == [
        ("rond", "extra_forbidden")
    ]
    deep = "[" * 5000 + "]" * 5000
    r = client.post(
        "/api/v1/match",
        headers={**staff_headers, "Content-Type": "application/json"},
        data=deep,
    )
    assert refused(r, 422) == [("(radice)", "json_invalid")]
    r = client.post(
        f"/api/v1/partnerships/{SUBMITTED}/members",
        headers=staff_headers,
        json={"tax_code": ETS[1]},
    )
    assert refused(r, 409) == [("status", "state")]
    english = r.get_json()["errors"][0]["message_en"]
    assert english.endswith("is not a draft: members cannot be added or removed")


def test_anonymous_api_calls_say_how_to_authenticate(demo_app):
    r = demo_app.test_client().get("/api/v1/partnerships")
    assert r.status_code == 401
    assert r.headers["WWW-Authenticate"] == 'Bearer realm="matchmaker"'


def test_an_ente_account_edits_only_its_drafts(demo_app, demo_database, demo_accounts):
    from matchmaker.accounts import create_token, create_user

    with demo_database.session() as s:
        create_user(s, "ivrea@example.org", "ente", "una-password-di-prova", LEAD)
        token, _ = create_token(s, "ivrea@example.org")
    ente = {"Authorization": f"Bearer {token}"}
    client = demo_app.test_client()
    r = _create(client, ente, members=[{"tax_code": ETS[0]}])
    assert r.status_code == 422
    assert [(e["field"], e["type"]) for e in r.get_json()["errors"]] == [("members", "conflict")]
    code = _create(client, ente).get_json()["code"]
    r = client.delete(f"/api/v1/partnerships/{code}/members/{LEAD}", headers=ente)
    assert r.status_code == 422  # it cannot leave its own ATS
    r = client.post(
        f"/api/v1/partnerships/{SUBMITTED}/status",
        headers=ente,
        json={"status": "concluso"},
    )
    assert r.status_code == 403
    assert r.get_json()["errors"][0]["type"] == "forbidden"
