"""Accounts: password hashing, lock-out, API tokens."""

from __future__ import annotations

import datetime as dt

import pytest
import sqlalchemy as sa

from matchmaker.accounts import (
    LOCKOUT_AFTER,
    AccountError,
    AccountLocked,
    InvalidCredentials,
    attempt_login,
    create_token,
    create_user,
    hash_password,
    revoke_token,
    set_password,
    user_for_token,
    verify_password,
)
from matchmaker.storage import AuditEntry
from matchmaker.storage.accounts_models import User


def test_password_hash_is_salted_and_verifies():
    a, b = hash_password("una password lunga"), hash_password("una password lunga")
    assert a != b
    assert a.startswith("scrypt$32768$8$1$")
    assert verify_password("una password lunga", a)
    assert not verify_password("una password lungA", a)
    assert not verify_password("x", "non-un-hash")


@pytest.mark.parametrize(
    ("kwargs", "field", "message"),
    [
        ({"email": "senza-chiocciola"}, "email", "indirizzo e-mail non valido"),
        ({"role": "superuser"}, "role", "ruolo sconosciuto"),
        ({"password": "corta"}, "password", "almeno 10 caratteri"),
        ({"role": "ente"}, "organisation", "deve essere legato a un ente"),
        ({"organisation": "00514490010"}, "organisation", "nessun ente con codice fiscale"),
    ],
)
def test_create_user_validation(database, kwargs, field, message):
    args = {"email": "a@example.org", "role": "facilitatore", "password": "abbastanza-lunga"}
    args.update(kwargs)
    organisation = args.pop("organisation", None)
    with pytest.raises(AccountError, match=message) as info, database.session() as s:
        create_user(s, args["email"], args["role"], args["password"], organisation)
    assert info.value.field == field


def test_duplicate_email_is_refused(database):
    with database.session() as s:
        create_user(s, "Doppio@Example.org", "ricercatore", "abbastanza-lunga")
    with pytest.raises(AccountError, match="esiste già"), database.session() as s:
        create_user(s, "doppio@example.org", "admin", "abbastanza-lunga")


def test_lockout_after_repeated_failures(database):
    with database.session() as s:
        create_user(s, "r@example.org", "ricercatore", "la-password-giusta")
    now = dt.datetime(2026, 11, 22, 10, 0)
    for i in range(LOCKOUT_AFTER - 1):
        with database.session() as s:
            out = attempt_login(s, "r@example.org", "sbagliata", now)
            assert isinstance(out.error, InvalidCredentials), i
    with database.session() as s:
        out = attempt_login(s, "r@example.org", "sbagliata", now)
        assert isinstance(out.error, AccountLocked)
        assert out.error.until == now + dt.timedelta(minutes=15)
    with database.session() as s:  # the right password does not help while locked
        out = attempt_login(s, "r@example.org", "la-password-giusta", now + dt.timedelta(minutes=5))
        assert isinstance(out.error, AccountLocked)
    with database.session() as s:
        out = attempt_login(
            s, "r@example.org", "la-password-giusta", now + dt.timedelta(minutes=16)
        )
        assert out.error is None
        assert out.user.email == "r@example.org"
        assert out.user.failed_logins == 0


def test_unknown_email_and_wrong_password_look_the_same(database):
    with database.session() as s:
        create_user(s, "r@example.org", "ricercatore", "la-password-giusta")
        a = attempt_login(s, "nessuno@example.org", "x").error
        b = attempt_login(s, "r@example.org", "x").error
    assert type(a) is type(b) is InvalidCredentials
    assert str(a) == str(b)


def test_reset_password_lifts_lockout_and_is_audited_without_the_hash(database):
    with database.session() as s:
        create_user(s, "r@example.org", "ricercatore", "la-password-giusta")
    with database.session() as s:
        for _ in range(LOCKOUT_AFTER):
            attempt_login(s, "r@example.org", "sbagliata")
    with database.session(actor="admin") as s:
        set_password(s, "r@example.org", "una-nuova-password")
    with database.session() as s:
        assert attempt_login(s, "r@example.org", "una-nuova-password").user is not None
        entries = s.scalars(sa.select(AuditEntry).where(AuditEntry.entity == "user_account"))
        text = " ".join(str(e.changes) for e in entries)
    assert "scrypt$" not in text
    assert "password_hash" not in text


def test_tokens(database):
    with database.session() as s:
        create_user(s, "r@example.org", "ricercatore", "la-password-giusta")
        plain, token = create_token(s, "r@example.org", "notebook", days=30)
    assert plain.startswith("mm_")
    assert len(plain) > 40
    with database.session() as s:
        assert user_for_token(s, plain).email == "r@example.org"
        assert user_for_token(s, plain + "x") is None
        stored = s.scalars(sa.select(User)).one().tokens[0]
        assert stored.token_hash != plain
        assert plain not in str(s.scalars(sa.select(AuditEntry)).all()[-1].changes)
        later = dt.datetime.now(dt.UTC).replace(tzinfo=None) + dt.timedelta(days=31)
        assert user_for_token(s, plain, now=later) is None
    with database.session() as s:
        assert revoke_token(s, token.prefix) == 1
    with database.session() as s:
        assert user_for_token(s, plain) is None
