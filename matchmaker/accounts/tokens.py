"""API tokens for scripts: random, shown once, only their SHA-256 stored."""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets

from sqlalchemy import select
from sqlalchemy.orm import Session

from matchmaker.accounts.passwords import AccountError, normalise_email
from matchmaker.storage.accounts_models import ApiToken, User
from matchmaker.storage.models import utcnow

__all__ = ["create_token", "revoke_token", "user_for_token"]

_TOKEN_PREFIX = "mm_"  # noqa: S105 - a visible marker, not a secret


def _token_digest(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def create_token(
    session: Session, email: str, name: str = "script", days: int | None = 365
) -> tuple[str, ApiToken]:
    """Create an API token for a user; the plain token is returned once and never stored."""
    user = session.scalar(select(User).where(User.email == normalise_email(email)))
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
