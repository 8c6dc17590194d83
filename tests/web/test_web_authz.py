"""The authorisation matrix, checked exhaustively: every endpoint x every role x read/write."""

from __future__ import annotations

import pytest

from web import create_app
from web.authz import ANONYMOUS, MATRIX, ROLES, allowed

_DENIED = {401, 403}


@pytest.fixture(params=[True, False], ids=["directory-public", "directory-private"])
def authz_app(request, settings, database, accounts):
    return create_app(
        {
            "public_directory": request.param,
            "TESTING": True,
            "WTF_CSRF_ENABLED": False,  # CSRF has its own tests; here only roles matter
            "RATELIMIT_ENABLED": False,
            "instance_path": str(settings.instance_path),
            "database_url": settings.database_url,
        }
    )


def _url(rule) -> str:
    defaults = {"filename": "css/app.css", "code": "NESSUNO", "tax_code": "80087670016"}
    path = rule.rule
    for arg in rule.arguments:
        path = path.replace(f"<{arg}>", defaults[arg]).replace(f"<path:{arg}>", defaults[arg])
    return path


def _client_as(app, role: str):
    client = app.test_client()
    if role != ANONYMOUS:
        r = client.post(
            "/accedi", data={"email": f"{role}@example.org", "password": "una-password-di-prova"}
        )
        assert r.status_code == 302, role
    return client


def test_every_endpoint_is_in_the_matrix(authz_app):
    endpoints = {rule.endpoint for rule in authz_app.url_map.iter_rules()}
    assert endpoints == set(MATRIX)


def test_matrix_cells(authz_app):
    """Each role, each endpoint, each method: the response agrees with the matrix."""
    checked = 0
    public = authz_app.extensions["matchmaker"].settings.public_directory
    for role in ROLES:
        client = _client_as(authz_app, role)
        for rule in authz_app.url_map.iter_rules():
            if rule.endpoint == "auth.logout":
                continue  # signs the client out: checked below on its own
            for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
                response = client.open(_url(rule), method=method)
                response.close()  # static files are streamed
                expected = allowed(rule.endpoint, method, role, public_directory=public)
                denied = response.status_code in _DENIED or (
                    response.status_code == 302
                    and "/accedi?next=" in response.headers.get("Location", "")
                )
                assert denied is not expected, (role, rule.endpoint, method, response.status)
                checked += 1
    assert checked == len(ROLES) * sum(
        len(r.methods - {"HEAD", "OPTIONS"})
        for r in authz_app.url_map.iter_rules()
        if r.endpoint != "auth.logout"
    )


@pytest.mark.parametrize("role", ROLES)
def test_logout_cell(authz_app, role):
    client = _client_as(authz_app, role)
    response = client.post("/esci")
    assert (response.status_code == 302) is allowed("auth.logout", "POST", role)


def test_expected_matrix_rows():
    """A few rows spelled out, so that a careless edit of the matrix is noticed."""
    assert [r for r in ROLES if allowed("admin.users", "GET", r)] == ["admin"]
    assert [r for r in ROLES if allowed("admin.users", "POST", r)] == ["admin"]
    assert [r for r in ROLES if allowed("admin.audit", "POST", r)] == []
    assert [r for r in ROLES if allowed("auth.account", "GET", r)] == [
        "admin",
        "facilitatore",
        "ente",
        "ricercatore",
    ]
    assert all(allowed("main.home", "GET", r) for r in ROLES)
    assert [r for r in ROLES if allowed("api.organisations", "GET", r)] == [
        "admin",
        "facilitatore",
        "ente",
        "ricercatore",
    ]
    assert allowed("api.organisations", "GET", "anonimo", public_directory=True)
    assert not allowed("nessun.endpoint", "GET", "admin")
