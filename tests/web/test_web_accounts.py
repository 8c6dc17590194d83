"""Sign-in, CSRF, lock-out, rate limit, security headers, admin pages."""

from __future__ import annotations

import re

import sqlalchemy as sa

from matchmaker.storage import AuditEntry
from web import create_app


def test_login_and_logout(client, accounts, login):
    r = login("admin@example.org")
    assert r.status_code == 302
    home = client.get("/").get_data(as_text=True)
    assert "admin@example.org" in home
    assert "Utenti" in home
    token = re.search(r'name="csrf_token" value="([^"]+)"', home).group(1)
    assert client.post("/esci", data={"csrf_token": token}).status_code == 302
    assert "Accedi" in client.get("/").get_data(as_text=True)


def test_wrong_password_is_reported_in_italian(client, accounts, login):
    r = login("admin@example.org", "sbagliatissima")
    assert r.status_code == 400
    assert "e-mail o password non corretti" in r.get_data(as_text=True)


def test_post_without_csrf_token_is_refused(client, accounts):
    r = client.post(
        "/accedi", data={"email": "admin@example.org", "password": "una-password-di-prova"}
    )
    assert r.status_code == 400
    assert "CSRF" in r.get_data(as_text=True)


def test_lockout_after_five_failures(client, accounts, login):
    for _ in range(4):
        assert "non corretti" in login("ricercatore@example.org", "no").get_data(as_text=True)
    assert "account bloccato" in login("ricercatore@example.org", "no").get_data(as_text=True)
    r = login("ricercatore@example.org")  # right password, still locked
    assert "account bloccato" in r.get_data(as_text=True)


def test_login_rate_limit(settings, database, accounts):
    app = create_app(
        {
            "TESTING": True,
            "WTF_CSRF_ENABLED": False,
            "LOGIN_RATE_LIMIT": "3/minute",
            "instance_path": str(settings.instance_path),
            "database_url": settings.database_url,
        }
    )
    client = app.test_client()
    codes = [
        client.post("/accedi", data={"email": "x@example.org", "password": "y"}).status_code
        for _ in range(4)
    ]
    assert codes == [400, 400, 400, 429]
    assert "Troppe richieste" in client.post("/accedi", data={}).get_data(as_text=True)


def test_security_headers(client):
    r = client.get("/")
    csp = r.headers["Content-Security-Policy"]
    assert "script-src 'self'" in csp
    assert "'unsafe-inline'" not in csp
    assert "frame-ancestors 'self'" in csp
    assert r.headers["X-Content-Type-Options"] == "nosniff"
    assert r.headers["Referrer-Policy"] == "same-origin"
    assert r.headers["X-Frame-Options"] == "SAMEORIGIN"
    assert "Strict-Transport-Security" not in r.headers


def test_session_cookie_flags(settings, database, accounts):
    app = create_app(
        {
            "TESTING": True,
            "WTF_CSRF_ENABLED": False,
            "https": True,
            "instance_path": str(settings.instance_path),
            "database_url": settings.database_url,
        }
    )
    client = app.test_client()
    r = client.post(
        "/accedi",
        data={"email": "admin@example.org", "password": "una-password-di-prova"},
        headers={"X-Forwarded-Proto": "https"},
    )
    cookie = r.headers["Set-Cookie"]
    assert "HttpOnly" in cookie
    assert "Secure" in cookie
    assert "SameSite=Lax" in cookie
    assert "max-age=31536000" in r.headers["Strict-Transport-Security"]


def test_admin_creates_a_user_and_the_audit_names_the_admin(client, accounts, login, database):
    login("admin@example.org")
    page = client.get("/admin/utenti").get_data(as_text=True)
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
    r = client.post(
        "/admin/utenti",
        data={
            "csrf_token": token,
            "email": "nuovo@example.org",
            "role": "ente",
            "organisation": "",
            "password": "abbastanza-lunga",
        },
    )
    assert r.status_code == 400
    assert "deve essere legato a un ente" in r.get_data(as_text=True)
    r = client.post(
        "/admin/utenti",
        data={
            "csrf_token": token,
            "email": "nuovo@example.org",
            "role": "ente",
            "organisation": "80087670016",
            "password": "abbastanza-lunga",
        },
    )
    assert r.status_code == 302
    with database.session() as s:
        entry = s.scalars(sa.select(AuditEntry).where(AuditEntry.entity_key == "nuovo@example.org"))
        (entry,) = entry.all()
    assert (entry.action, entry.actor) == ("create", "admin@example.org")
    audit = client.get("/admin/registro?tabella=user_account").get_data(as_text=True)
    assert "nuovo@example.org" in audit


def test_bearer_token_signs_in_without_csrf(client, accounts, database):
    from matchmaker.accounts import create_token

    with database.session() as s:
        plain, _ = create_token(s, "ricercatore@example.org")
    r = client.get("/account", headers={"Authorization": f"Bearer {plain}"})
    assert r.status_code == 200
    assert "ricercatore@example.org" in r.get_data(as_text=True)
    assert client.get("/account", headers={"Authorization": "Bearer mm_falso"}).status_code == 302
