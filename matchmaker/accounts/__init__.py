"""Accounts: users with roles, password checks with lock-out, API tokens, the audit log.

- :mod:`~matchmaker.accounts.passwords`: policy, scrypt hashing, the errors;
- :mod:`~matchmaker.accounts.users`: create, reset, enable, sign in (caller's session);
- :mod:`~matchmaker.accounts.tokens`: API tokens (only their SHA-256 is stored);
- :mod:`~matchmaker.accounts.service`: :class:`AccountService`, the same as committed units
  of work for the web application;
- :mod:`~matchmaker.accounts.audit`: reading the audit log;
- :mod:`~matchmaker.accounts.cli`: ``matchmaker users``, ``tokens`` and ``audit``.
"""

from __future__ import annotations

from matchmaker.accounts.passwords import (
    LOCKOUT_AFTER,
    LOCKOUT_MINUTES,
    MIN_PASSWORD_LENGTH,
    AccountError,
    AccountLocked,
    InvalidCredentials,
    hash_password,
    verify_password,
)
from matchmaker.accounts.service import AccountService
from matchmaker.accounts.tokens import create_token, revoke_token, user_for_token
from matchmaker.accounts.users import (
    LoginOutcome,
    attempt_login,
    create_user,
    get_user,
    list_users,
    set_active,
    set_password,
)

__all__ = [
    "LOCKOUT_AFTER",
    "LOCKOUT_MINUTES",
    "MIN_PASSWORD_LENGTH",
    "AccountError",
    "AccountLocked",
    "AccountService",
    "InvalidCredentials",
    "LoginOutcome",
    "attempt_login",
    "create_token",
    "create_user",
    "get_user",
    "hash_password",
    "list_users",
    "revoke_token",
    "set_active",
    "set_password",
    "user_for_token",
    "verify_password",
]
