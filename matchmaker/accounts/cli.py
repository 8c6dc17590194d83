"""``matchmaker users``, ``matchmaker tokens`` and ``matchmaker audit``."""

from __future__ import annotations

import json
import sys

import click

from matchmaker.accounts.audit import newest_entries
from matchmaker.accounts.passwords import AccountError
from matchmaker.accounts.tokens import create_token, revoke_token
from matchmaker.accounts.users import create_user, list_users, set_active, set_password
from matchmaker.domain import Role

__all__ = ["ACCOUNT_COMMANDS"]


def _password(from_stdin: bool) -> str:
    if from_stdin:
        return sys.stdin.readline().rstrip("\n")
    return click.prompt("Password", hide_input=True, confirmation_prompt="Ripeti la password")


def _fail(exc: AccountError) -> None:
    raise click.ClickException(str(exc))


@click.group()
def users() -> None:
    """Create and manage user accounts."""


@users.command("create")
@click.option("--email", required=True, help="E-mail address (the login name).")
@click.option(
    "--role", required=True, type=click.Choice([r.value for r in Role]), help="Role of the account."
)
@click.option("--organisation", "tax_code", help="Tax code of the organisation (role ente).")
@click.option("--password-stdin", is_flag=True, help="Read the password from standard input.")
@click.pass_obj
def users_create(obj, email: str, role: str, tax_code: str | None, password_stdin: bool) -> None:
    """Create an account."""
    password = _password(password_stdin)
    try:
        with obj.database.session(actor="cli") as session:
            user = create_user(session, email, role, password, tax_code)
            click.echo(f"Creato l'account {user.email} (ruolo {user.role.value}).")
    except AccountError as exc:
        _fail(exc)


@users.command("reset-password")
@click.option("--email", required=True, help="E-mail address of the account.")
@click.option("--password-stdin", is_flag=True, help="Read the new password from standard input.")
@click.pass_obj
def users_reset_password(obj, email: str, password_stdin: bool) -> None:
    """Set a new password (and lift a lock-out); no e-mail server is needed."""
    password = _password(password_stdin)
    try:
        with obj.database.session(actor="cli") as session:
            user = set_password(session, email, password)
            click.echo(f"Password di {user.email} aggiornata.")
    except AccountError as exc:
        _fail(exc)


@users.command("list")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@click.pass_obj
def users_list(obj, as_json: bool) -> None:
    """List the accounts."""
    with obj.database.session() as session:
        rows = [
            {
                "email": u.email,
                "role": u.role.value,
                "organisation": u.organisation.tax_code if u.organisation else None,
                "active": u.is_active,
                "locked_until": u.locked_until.isoformat() if u.locked_until else None,
            }
            for u in list_users(session)
        ]
    if as_json:
        click.echo(json.dumps(rows, indent=2))
        return
    for r in rows:
        state = "attivo" if r["active"] else "disattivato"
        org = f" ente {r['organisation']}" if r["organisation"] else ""
        click.echo(f"{r['email']:<40} {r['role']:<13} {state}{org}")


@users.command("set-active")
@click.option("--email", required=True, help="E-mail address of the account.")
@click.option("--active/--inactive", default=True, help="Enable or disable sign-in.")
@click.pass_obj
def users_set_active(obj, email: str, active: bool) -> None:
    """Enable or disable an account."""
    try:
        with obj.database.session(actor="cli") as session:
            set_active(session, email, active)
    except AccountError as exc:
        _fail(exc)
    click.echo(f"Account {email} {'attivato' if active else 'disattivato'}.")


@click.group()
def tokens() -> None:
    """API tokens for scripts."""


@tokens.command("create")
@click.option("--user", "email", required=True, help="E-mail of the account the token acts as.")
@click.option("--name", default="script", show_default=True, help="A label for the token.")
@click.option("--days", default=365, show_default=True, type=int, help="Validity (0: no expiry).")
@click.pass_obj
def tokens_create(obj, email: str, name: str, days: int) -> None:
    """Create a token; it is printed once and cannot be shown again."""
    try:
        with obj.database.session(actor="cli") as session:
            plain, token = create_token(session, email, name, days or None)
            expiry = token.expires_at.date().isoformat() if token.expires_at else "mai"
    except AccountError as exc:
        _fail(exc)
    click.echo(plain)
    click.echo(f"(scadenza: {expiry}; conservarlo ora: non sarà più visibile)", err=True)


@tokens.command("revoke")
@click.argument("prefix")
@click.pass_obj
def tokens_revoke(obj, prefix: str) -> None:
    """Revoke the token(s) starting with PREFIX (the first 10 characters)."""
    with obj.database.session(actor="cli") as session:
        n = revoke_token(session, prefix)
    if not n:
        raise click.ClickException(f"nessun token attivo con prefisso {prefix}")
    click.echo(f"Revocati {n} token.")


@click.command("audit")
@click.option("--entity", help="Only this table (organisation, partnership, user_account...).")
@click.option("--actor", help="Only writes by this account.")
@click.option("--key", "entity_key", help="Only this record (tax code, ATS code, e-mail...).")
@click.option("--limit", default=50, show_default=True, type=int, help="Newest N entries.")
@click.option("--json", "as_json", is_flag=True, help="Print JSON lines.")
@click.pass_obj
def audit(
    obj, entity: str | None, actor: str | None, entity_key: str | None, limit: int, as_json: bool
) -> None:
    """Show the audit log: who changed what, and when."""
    with obj.database.session() as session:
        entries = newest_entries(
            session, entity=entity, actor=actor, entity_key=entity_key, limit=limit
        )
    for e in entries:
        if as_json:
            click.echo(
                json.dumps(
                    {
                        "at": e.at.isoformat(),
                        "actor": e.actor,
                        "action": e.action,
                        "entity": e.entity,
                        "key": e.entity_key,
                        "changes": e.changes,
                    },
                    ensure_ascii=False,
                )
            )
        else:
            fields = ", ".join(sorted(e.changes)) if e.action == "update" else ""
            click.echo(
                f"{e.at:%Y-%m-%d %H:%M:%S}  {e.actor:<28} {e.action:<6} "
                f"{e.entity}:{e.entity_key} {fields}".rstrip()
            )


ACCOUNT_COMMANDS = (users, tokens, audit)
