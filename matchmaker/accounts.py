"""Accounts: users with roles, password checks with lock-out, API tokens.

Passwords are hashed with scrypt (standard library, salted, memory-hard); tokens are random
and only their SHA-256 is stored, so a copy of the database reveals neither.
"""

from __future__ import annotations

import base64
import dataclasses
import datetime as dt
import hashlib
import hmac
import secrets

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from matchmaker.domain import DomainError, Role
from matchmaker.storage import Organisation
from matchmaker.storage.accounts_models import ApiToken, User
from matchmaker.storage.models import utcnow

__all__ = [
    "LOCKOUT_AFTER",
    "LOCKOUT_MINUTES",
    "MIN_PASSWORD_LENGTH",
    "AccountError",
    "AccountLocked",
    "InvalidCredentials",
    "LoginOutcome",
    "attempt_login",
    "create_token",
    "create_user",
    "hash_password",
    "revoke_token",
    "set_password",
    "user_for_token",
    "verify_password",
]

MIN_PASSWORD_LENGTH = 10
LOCKOUT_AFTER = 5
LOCKOUT_MINUTES = 15
_SCRYPT = {"n": 2**15, "r": 8, "p": 1}
_DUMMY_HASH = (
    "scrypt$32768$8$1$AAAAAAAAAAAAAAAAAAAAAA==$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA="
)
_TOKEN_PREFIX = "mm_"  # noqa: S105 - a visible marker, not a secret


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


def _check_password(password: str) -> None:
    if len(password) < MIN_PASSWORD_LENGTH:
        raise AccountError(
            f"password troppo corta: almeno {MIN_PASSWORD_LENGTH} caratteri", field="password"
        )
    if password.strip() != password or not password.strip():
        raise AccountError("la password non può iniziare o finire con spazi", field="password")


def _normalise_email(email: str) -> str:
    email = (email or "").strip().lower()
    local, _, domain = email.partition("@")
    if not local or "." not in domain or " " in email or len(email) > 254:
        raise AccountError(f"indirizzo e-mail non valido: {email!r}", field="email")
    return email


def create_user(
    session: Session,
    email: str,
    role: Role | str,
    password: str,
    organisation_tax_code: str | None = None,
) -> User:
    """Create an account; an ``ente`` account needs the tax code of its organisation."""
    email = _normalise_email(email)
    try:
        role = Role(role)
    except ValueError:
        roles = ", ".join(r.value for r in Role)
        raise AccountError(f"ruolo sconosciuto {role!r}: usare {roles}", field="role") from None
    _check_password(password)
    if session.scalar(select(func.count()).select_from(User).where(User.email == email)):
        raise AccountError(f"esiste già un account {email}", field="email")
    organisation = None
    if organisation_tax_code:
        organisation = session.scalar(
            select(Organisation).where(Organisation.tax_code == organisation_tax_code.upper())
        )
        if organisation is None:
            raise AccountError(
                f"nessun ente con codice fiscale {organisation_tax_code}", field="organisation"
            )
    if role is Role.ENTE and organisation is None:
        raise AccountError(
            "un account di ruolo 'ente' deve essere legato a un ente (--organisation)",
            field="organisation",
        )
    user = User(
        email=email, role=role, password_hash=hash_password(password), organisation=organisation
    )
    session.add(user)
    session.flush()
    return user


def set_password(session: Session, email: str, password: str) -> User:
    """Reset a password (an administrator's command); also lifts a lock-out."""
    _check_password(password)
    user = session.scalar(select(User).where(User.email == _normalise_email(email)))
    if user is None:
        raise AccountError(f"nessun account {email}", field="email")
    user.password_hash = hash_password(password)
    user.failed_logins = 0
    user.locked_until = None
    session.flush()
    return user


@dataclasses.dataclass
class LoginOutcome:
    """The result of a sign-in attempt: the user, or the error to show."""

    user: User | None
    error: AccountError | None


def attempt_login(
    session: Session, email: str, password: str, now: dt.datetime | None = None
) -> LoginOutcome:
    """Check a sign-in, counting failures; the account locks after ``LOCKOUT_AFTER``.

    Nothing is raised, so that the caller commits the failure count whatever the outcome.
    The error is :class:`InvalidCredentials` (unknown e-mail, wrong password, inactive
    account: deliberately indistinguishable) or :class:`AccountLocked` (while the lock-out
    lasts, even with the right password).
    """
    now = now or utcnow()
    try:
        email = _normalise_email(email)
    except AccountError:
        email = ""
    user = session.scalar(select(User).where(User.email == email)) if email else None
    if user is None:
        verify_password(password, _DUMMY_HASH)  # same timing as a real check
        return LoginOutcome(None, InvalidCredentials("e-mail o password non corretti"))
    if user.locked_until is not None and user.locked_until > now:
        return LoginOutcome(None, AccountLocked(user.locked_until))
    if not verify_password(password, user.password_hash) or not user.is_active:
        user.failed_logins += 1
        if user.failed_logins >= LOCKOUT_AFTER:
            user.locked_until = now + dt.timedelta(minutes=LOCKOUT_MINUTES)
            user.failed_logins = 0
            session.flush()
            return LoginOutcome(None, AccountLocked(user.locked_until))
        session.flush()
        return LoginOutcome(None, InvalidCredentials("e-mail o password non corretti"))
    user.failed_logins = 0
    user.locked_until = None
    user.last_login_at = now
    session.flush()
    return LoginOutcome(user, None)


def _token_digest(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def create_token(
    session: Session, email: str, name: str = "script", days: int | None = 365
) -> tuple[str, ApiToken]:
    """Create an API token for a user; the plain token is returned once and never stored."""
    user = session.scalar(select(User).where(User.email == _normalise_email(email)))
    if user is None:
        raise AccountError(f"nessun account {email}", field="user")
    plain = _TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken(
        user=user,
        name=name[:120],
        prefix=plain[:10],
        token_hash=_token_digest(plain),
        expires_at=utcnow() + dt.timedelta(days=days) if days else None,
    )
    session.add(token)
    session.flush()
    return plain, token


def user_for_token(session: Session, plain: str, now: dt.datetime | None = None) -> User | None:
    """The active user a token belongs to, or None (unknown, revoked or expired)."""
    now = now or utcnow()
    token = session.scalar(select(ApiToken).where(ApiToken.token_hash == _token_digest(plain)))
    if token is None or token.revoked_at is not None:
        return None
    if token.expires_at is not None and token.expires_at <= now:
        return None
    if not token.user.is_active:
        return None
    token.last_used_at = now
    return token.user


def revoke_token(session: Session, prefix: str) -> int:
    """Revoke every token whose visible prefix is ``prefix``; returns how many."""
    tokens = session.scalars(
        select(ApiToken).where(ApiToken.prefix == prefix, ApiToken.revoked_at.is_(None))
    ).all()
    for token in tokens:
        token.revoked_at = utcnow()
    session.flush()
    return len(tokens)
