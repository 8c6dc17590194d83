"""User accounts: creation with a role, password resets, sign-in with lock-out.

Functions take the caller's session and flush; the caller commits: the command line
through ``Database.session``, the web application through
:class:`~matchmaker.accounts.service.AccountService`.
"""

from __future__ import annotations

import dataclasses
import datetime as dt

from sqlalchemy import func, select
from sqlalchemy.orm import Session, selectinload

from matchmaker.accounts.passwords import (
    DUMMY_HASH,
    LOCKOUT_AFTER,
    LOCKOUT_MINUTES,
    AccountError,
    AccountLocked,
    InvalidCredentials,
    check_password,
    hash_password,
    normalise_email,
    verify_password,
)
from matchmaker.domain import Role
from matchmaker.storage import Organisation
from matchmaker.storage.accounts_models import User
from matchmaker.storage.models import utcnow

__all__ = [
    "LoginOutcome",
    "attempt_login",
    "create_user",
    "get_user",
    "list_users",
    "set_active",
    "set_password",
]


def create_user(
    session: Session,
    email: str,
    role: Role | str,
    password: str,
    organisation_tax_code: str | None = None,
) -> User:
    """Create an account; an ``ente`` account needs the tax code of its organisation."""
    email = normalise_email(email)
    try:
        role = Role(role)
    except ValueError:
        roles = ", ".join(r.value for r in Role)
        raise AccountError(f"ruolo sconosciuto {role!r}: usare {roles}", field="role") from None
    check_password(password)
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
    check_password(password)
    user = session.scalar(select(User).where(User.email == normalise_email(email)))
    if user is None:
        raise AccountError(f"nessun account {email}", field="email")
    user.password_hash = hash_password(password)
    user.failed_logins = 0
    user.locked_until = None
    session.flush()
    return user


def set_active(session: Session, email: str, active: bool) -> User:
    """Enable or disable sign-in for an account."""
    user = session.scalar(select(User).where(User.email == normalise_email(email)))
    if user is None:
        raise AccountError(f"nessun account {email}", field="email")
    user.is_active = active
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
        email = normalise_email(email)
    except AccountError:
        email = ""
    user = session.scalar(select(User).where(User.email == email)) if email else None
    if user is None:
        verify_password(password, DUMMY_HASH)  # same timing as a real check
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


def list_users(session: Session) -> list[User]:
    """Every account, by e-mail, with its organisation loaded."""
    return list(
        session.scalars(select(User).options(selectinload(User.organisation)).order_by(User.email))
    )


def get_user(session: Session, user_id: int) -> User | None:
    """The account with this id, or None."""
    return session.get(User, user_id)
