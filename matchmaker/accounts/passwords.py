"""Password policy and hashing, e-mail addresses, and the errors of account operations.

Passwords are hashed with scrypt (standard library, salted, memory-hard), so a copy of the
database does not reveal them.
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import hmac
import secrets

from matchmaker.domain import DomainError

__all__ = [
    "DUMMY_HASH",
    "LOCKOUT_AFTER",
    "LOCKOUT_MINUTES",
    "MIN_PASSWORD_LENGTH",
    "AccountError",
    "AccountLocked",
    "InvalidCredentials",
    "check_password",
    "hash_password",
    "normalise_email",
    "verify_password",
]

MIN_PASSWORD_LENGTH = 10
LOCKOUT_AFTER = 5
LOCKOUT_MINUTES = 15
_SCRYPT = {"n": 2**15, "r": 8, "p": 1}
DUMMY_HASH = (
    "scrypt$32768$8$1$AAAAAAAAAAAAAAAAAAAAAA==$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA="
)


class AccountError(DomainError):
    """An account operation is not possible; the message says why, in Italian."""


class InvalidCredentials(AccountError):
    """Wrong e-mail or password (deliberately not saying which)."""


class AccountLocked(AccountError):
    """Too many failed attempts: the account is locked until ``until``."""

    def __init__(self, until: dt.datetime) -> None:
        super().__init__(
            f"account bloccato dopo {LOCKOUT_AFTER} tentativi falliti: riprovare dopo le "
            f"{until:%H:%M} (UTC)",
            field="password",
        )
        self.until = until


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def hash_password(password: str) -> str:
    """Salted scrypt hash, self-describing: ``scrypt$n$r$p$salt$hash``."""
    salt = secrets.token_bytes(16)
    digest = hashlib.scrypt(
        password.encode("utf-8"), salt=salt, maxmem=64 * 1024 * 1024, dklen=32, **_SCRYPT
    )
    return f"scrypt${_SCRYPT['n']}${_SCRYPT['r']}${_SCRYPT['p']}${_b64(salt)}${_b64(digest)}"


def verify_password(password: str, stored: str) -> bool:
    """True when ``password`` matches the ``stored`` hash (constant-time comparison)."""
    try:
        scheme, n, r, p, salt, digest = stored.split("$")
        if scheme != "scrypt":
            return False
        expected = base64.b64decode(digest)
        actual = hashlib.scrypt(
            password.encode("utf-8"),
            salt=base64.b64decode(salt),
            n=int(n),
            r=int(r),
            p=int(p),
            maxmem=64 * 1024 * 1024,
            dklen=len(expected),
        )
    except (ValueError, TypeError):
        return False
    return hmac.compare_digest(actual, expected)


def check_password(password: str) -> None:
    """Raise :class:`AccountError` when ``password`` breaks the policy."""
    if len(password) < MIN_PASSWORD_LENGTH:
        raise AccountError(
            f"password troppo corta: almeno {MIN_PASSWORD_LENGTH} caratteri", field="password"
        )
    if password.strip() != password or not password.strip():
        raise AccountError("la password non può iniziare o finire con spazi", field="password")


def normalise_email(email: str) -> str:
    """The address in lower case; :class:`AccountError` when it is not one."""
    email = (email or "").strip().lower()
    local, _, domain = email.partition("@")
    if not local or "." not in domain or " " in email or len(email) > 254:
        raise AccountError(f"indirizzo e-mail non valido: {email!r}", field="email")
    return email
