"""Account writes as units of work, for callers that do not manage transactions (the web).

Each method opens its own transaction on the :class:`~matchmaker.storage.Database`, writes
through the functions of :mod:`matchmaker.accounts.users` and
:mod:`matchmaker.accounts.tokens`, and commits (or rolls everything back on an error), so
every change lands in the audit log under the given actor.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from matchmaker.accounts.passwords import AccountError, verify_password
from matchmaker.accounts.tokens import user_for_token
from matchmaker.accounts.users import LoginOutcome, attempt_login, create_user, set_password
from matchmaker.domain import Role
from matchmaker.storage.accounts_models import User
from matchmaker.storage.db import Database

__all__ = ["AccountService"]


class AccountService:
    """Sign-in, password changes, new accounts and token checks, each committed.

    Parameters
    ----------
    database : Database
    """

    def __init__(self, database: Database) -> None:
        self.database = database

    def login(self, email: str, password: str) -> LoginOutcome:
        """Check a sign-in; the failure count is kept whatever the outcome."""
        with self.database.session(actor="accesso") as session:
            return attempt_login(session, email, password)

    def create_user(
        self,
        email: str,
        role: Role | str,
        password: str,
        organisation_tax_code: str | None = None,
        *,
        actor: str,
    ) -> User:
        """Create an account (see :func:`matchmaker.accounts.users.create_user`)."""
        with self.database.session(actor=actor) as session:
            user = create_user(session, email, role, password, organisation_tax_code)
            return _loaded(session, user.id)

    def change_password(self, user_id: int, current: str, new: str, *, actor: str) -> None:
        """Change one's own password; :class:`AccountError` on ``current`` when it is wrong."""
        with self.database.session(actor=actor) as session:
            user = session.get(User, user_id)
            if user is None or not verify_password(current, user.password_hash):
                raise AccountError("la password attuale non è corretta", field="current")
            set_password(session, user.email, new)

    def user_for_token(self, plain: str) -> User | None:
        """The active account of an API token (its last use is recorded), or None."""
        with self.database.session(actor="token") as session:
            user = user_for_token(session, plain)
            return _loaded(session, user.id) if user is not None else None


def _loaded(session, user_id: int) -> User:
    """The account with its organisation loaded, usable after the session closes."""
    return session.scalar(
        select(User).options(selectinload(User.organisation)).where(User.id == user_id)
    )
