"""JSON API: resources, pagination, problem+json errors, contact data by role."""

from __future__ import annotations

import pytest

from web.api.spec import openapi_document


def test_themes_and_comuni(client):
    themes = client.get("/api/v1/themes").get_json()["items"]
    assert len(themes) == 41
    assert {
        "code": "caregiver",
        "label_it": "Sostegno ai caregiver familiari",
        "label_en": "Support for family carers",
        "group": "misura3_azioni",
    } in themes
    page = client.get("/api/v1/comuni?province=VB&per_page=10&page=2")
    body = page.get_json()
    assert (body["total"], body["pages"], body["page"], len(body["items"])) == (74, 8, 2, 10)
    assert 'rel="next"' in page.headers["Link"]
    assert 'rel="prev"' in page.headers["Link"]
    assert "province=VB" in page.headers["Link"]
    torino = client.get("/api/v1/comuni?q=torin").get_json()["items"]
    assert [c["name"] for c in torino] == ["Torino"]


@pytest.mark.parametrize(
    ("url", "field"),
    [
        ("/api/v1/comuni?per_page=1000", "per_page"),
        ("/api/v1/comuni?page=0", "page"),
        ("/api/v1/comuni?page=abc", "page"),
        ("/api/v1/organisations?kind=fondazione", "kind"),
        ("/api/v1/organisations?sort=caso", "sort"),
    ],
)
def test_bad_parameters_are_problems_naming_the_field(client, url, field):
    r = client.get(url)
    assert r.status_code == 422
    assert r.mimetype == "application/problem+json"
    assert r.get_json()["errors"][0]["field"] == field


def test_not_found_is_a_problem(client):
    r = client.get("/api/v1/organisations/00514490010")
    assert r.status_code == 404
    assert r.get_json()["errors"] == [
        {
            "field": "tax_code",
            "message": "nessun ente con codice fiscale 00514490010",
            "message_en": "no organisation with tax code 00514490010",
            "type": "reference",
            "value": "00514490010",
        }
    ]


def test_contact_data_only_for_roles_that_need_it(app, accounts, login, client):
    from matchmaker.storage import Organisation

    with app.app_context():
        from web import db_session

        s = db_session()
        org = s.query(Organisation).one()
        org.email = "segreteria@aps.example"
        org.phone = "011 123456"
        s.commit()
    anon = client.get("/api/v1/organisations/80087670016").get_json()
    assert "email" not in anon
    assert "phone" not in anon
    login("ricercatore@example.org")
    assert "email" not in client.get("/api/v1/organisations/80087670016").get_json()
    login("facilitatore@example.org")
    seen = client.get("/api/v1/organisations/80087670016").get_json()
    assert (seen["email"], seen["phone"]) == ("segreteria@aps.example", "011 123456")


def test_partnerships_need_an_account(client):
    r = client.get("/api/v1/partnerships")
    assert r.status_code == 401
    assert r.mimetype == "application/problem+json"


def test_openapi_lists_every_api_route(app):
    doc = openapi_document(app)
    documented = {(f"/api/v1{p}", m.upper()) for p, ops in doc["paths"].items() for m in ops}
    routes = {
        (r.rule.replace("<", "{").replace(">", "}"), method)
        for r in app.url_map.iter_rules()
        if r.endpoint.startswith("api.") and r.endpoint not in ("api.openapi", "api.docs")
        for method in r.methods - {"HEAD", "OPTIONS"}
    }
    assert routes == documented
    assert len(routes) == 20
    assert doc["openapi"] == "3.1.0"


def test_openapi_schemas_are_the_request_models(app):
    """The document is generated: every body's schema is its model's own JSON schema."""
    from matchmaker.contract import REQUEST_MODELS

    doc = openapi_document(app)
    schemas = doc["components"]["schemas"]
    bodies = {
        op["requestBody"]["content"]["application/json"]["schema"]["$ref"].rsplit("/", 1)[1]
        for ops in doc["paths"].values()
        for op in ops.values()
        if "requestBody" in op
    }
    assert bodies == set(REQUEST_MODELS)
    check = schemas["AtsCheckRequest"]
    assert check["additionalProperties"] is False
    assert check["properties"]["need"]["maxLength"] == 5000
    members = (
        schemas["CompositionIn"]["properties"]["members"] if "CompositionIn" in schemas else None
    )
    assert check["properties"]["members"]["maxItems"] == 60
    assert members is None or members["maxItems"] == 60
    assert schemas["MatchRequest"]["properties"]["text"]["maxLength"] == 5000
    assert schemas["DraftIn"]["properties"]["members"]["maxItems"] == 60


def _bearer(database, email: str) -> dict[str, str]:
    from matchmaker.accounts import create_token

    with database.session() as s:
        token, _ = create_token(s, email)
    return {"Authorization": f"Bearer {token}"}


NEW_ETS = {
    "name": "Cooperativa Sociale Il Faro",
    "kind": "ets",
    "tax_code": "00514490010",
    "comune": "Cuneo",
    "runts_section": "impresa_sociale",
    "themes": ["poverta_educativa", "giovani"],
    "description": "Doposcuola e centri estivi a Cuneo.",
    "email": "info@ilfaro.example",
}


def test_create_and_update_a_profile(client, accounts, database):
    staff = _bearer(database, "facilitatore@example.org")
    r = client.post("/api/v1/organisations", json=NEW_ETS, headers=staff)
    assert r.status_code == 201, r.get_json()
    body = r.get_json()
    assert r.headers["Location"].endswith("/api/v1/organisations/00514490010")
    assert (body["seat"]["istat_code"], body["themes"], body["version"]) == (
        "004078",
        ["giovani", "poverta_educativa"],
        1,
    )
    r = client.patch(
        "/api/v1/organisations/00514490010",
        json={"version": 1, "description": "Anche sostegno ai genitori."},
        headers=staff,
    )
    assert r.status_code == 200
    assert (r.get_json()["description"], r.get_json()["version"]) == (
        "Anche sostegno ai genitori.",
        2,
    )
    assert r.get_json()["themes"] == ["giovani", "poverta_educativa"]  # kept


def test_validation_errors_name_every_field(client, accounts, database):
    staff = _bearer(database, "facilitatore@example.org")
    bad = {
        **NEW_ETS,
        "tax_code": "00514490011",
        "comune": "Atlantide",
        "themes": ["temi_inesistenti"],
        "colore": "blu",
    }
    r = client.post("/api/v1/organisations", json=bad, headers=staff)
    assert r.status_code == 422
    assert r.mimetype == "application/problem+json"
    fields = sorted(e["field"] for e in r.get_json()["errors"])
    assert fields == ["colore"]  # unknown fields are refused first
    del bad["colore"]
    r = client.post("/api/v1/organisations", json=bad, headers=staff)
    errors = {e["field"]: e["message"] for e in r.get_json()["errors"]}
    assert sorted(errors) == ["comune", "tax_code", "themes"]
    assert "carattere di controllo" in errors["tax_code"]
    assert errors["themes"] == "tema sconosciuto: temi_inesistenti"
    with database.session() as s:
        from matchmaker.storage import Organisation

        assert s.query(Organisation).count() == 1  # nothing written


def test_stale_edit_is_refused(client, accounts, database):
    staff = _bearer(database, "facilitatore@example.org")
    client.post("/api/v1/organisations", json=NEW_ETS, headers=staff)
    first = client.patch(
        "/api/v1/organisations/00514490010", json={"version": 1, "phone": "0171 1"}, headers=staff
    )
    assert first.status_code == 200
    stale = client.patch(
        "/api/v1/organisations/00514490010", json={"version": 1, "phone": "0171 2"}, headers=staff
    )
    assert stale.status_code == 409
    assert "nessun dato è stato sovrascritto" in stale.get_json()["detail"]
    now = client.get("/api/v1/organisations/00514490010", headers=staff).get_json()
    assert (now["phone"], now["version"]) == ("0171 1", 2)


def test_ente_edits_only_its_own_profile(client, accounts, database):
    staff = _bearer(database, "facilitatore@example.org")
    ente = _bearer(database, "ente@example.org")
    client.post("/api/v1/organisations", json=NEW_ETS, headers=staff)
    own = client.patch(
        "/api/v1/organisations/80087670016",
        json={"version": 1, "description": "Il nostro profilo"},
        headers=ente,
    )
    assert own.status_code == 200
    other = client.patch(
        "/api/v1/organisations/00514490010",
        json={"version": 1, "description": "Non nostro"},
        headers=ente,
    )
    assert other.status_code == 403
    assert client.post("/api/v1/organisations", json=NEW_ETS, headers=ente).status_code == 403
    ricercatore = _bearer(database, "ricercatore@example.org")
    assert (
        client.patch(
            "/api/v1/organisations/80087670016", json={"version": 2}, headers=ricercatore
        ).status_code
        == 403
    )


HOSTILE = [
    "<script>alert('x')</script>",
    '<img src=x onerror="alert(1)">',
    "Robert'); DROP TABLE organisation;--",
    "\u202eesrever\u202c e testo RTL \u200f",
    "tab\there e ritorno\r\na capo",
    "x" * 300,
]


@pytest.mark.parametrize("text", HOSTILE)
def test_hostile_text_is_stored_and_shown_as_text(client, accounts, database, text):
    staff = _bearer(database, "facilitatore@example.org")
    body = {**NEW_ETS, "name": text[:300], "description": text * 3}
    r = client.post("/api/v1/organisations", json=body, headers=staff)
    assert r.status_code == 201, r.get_json()
    back = client.get("/api/v1/organisations/00514490010").get_json()
    assert back["name"] == text[:300].strip()
    assert back["description"] == text * 3
    from matchmaker.storage import Organisation

    with database.session() as s:
        assert s.query(Organisation).count() == 2  # the SQL fragment stayed a string


def test_api_writes_are_audited_with_the_account(client, accounts, database):
    from matchmaker.storage import AuditEntry

    staff = _bearer(database, "facilitatore@example.org")
    client.post("/api/v1/organisations", json=NEW_ETS, headers=staff)
    client.patch(
        "/api/v1/organisations/00514490010", json={"version": 1, "phone": "1"}, headers=staff
    )
    with database.session() as s:
        entries = (
            s.query(AuditEntry).filter_by(entity="organisation", entity_key="00514490010").all()
        )
    assert [(e.action, e.actor) for e in entries] == [
        ("create", "facilitatore@example.org"),
        ("update", "facilitatore@example.org"),
    ]
    assert entries[1].changes == {"phone": {"old": None, "new": "1"}}


def test_hostile_name_is_escaped_on_the_pages(client, accounts, database, login):
    staff = _bearer(database, "facilitatore@example.org")
    evil = "<script>alert('x')</script><img src=x onerror=alert(1)>"
    r = client.post("/api/v1/organisations", json={**NEW_ETS, "name": evil}, headers=staff)
    assert r.status_code == 201
    login("admin@example.org")
    page = client.get("/admin/registro").get_data(as_text=True)
    assert "<script>alert" not in page
    assert "<img src=x" not in page
    assert "&lt;script&gt;alert(" in page
