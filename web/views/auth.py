"""Sign in, sign out, own account."""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import Blueprint, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_user, logout_user

from matchmaker.accounts import LOCKOUT_AFTER, AccountError, AccountLocked, get_user
from web import db_session
from web.engines import account_service
from web.forms import LoginForm, PasswordForm
from web.security import _LoginUser, limiter

bp = Blueprint("auth", __name__)


def _safe_next(target: str | None) -> str:
    if target and target.startswith("/") and not target.startswith("//"):
        parts = urlsplit(target)
        if not parts.scheme and not parts.netloc:
            return target
    return url_for("main.home")


def _login_error(error: AccountError | None) -> str:
    """The sign-in failure in the request's language (the library speaks Italian)."""
    if isinstance(error, AccountLocked):
        return _(
            "account bloccato dopo %(n)s tentativi falliti: riprovare dopo le %(time)s (UTC)",
            n=LOCKOUT_AFTER,
            time=f"{error.until:%H:%M}",
        )
    return _("e-mail o password non corretti")


@bp.route("/accedi", methods=["GET", "POST"])
@limiter.limit(
    lambda: current_app.config["LOGIN_RATE_LIMIT"], exempt_when=lambda: request.method != "POST"
)
def login():
    """Sign-in form; failures are counted and lock the account after five."""
    form = LoginForm()
    if form.validate_on_submit():
        outcome = account_service().login(form.email.data, form.password.data)
        if outcome.user is not None:
            login_user(_LoginUser(outcome.user))
            flash(_("Accesso effettuato come %(email)s.", email=outcome.user.email), "ok")
            return redirect(_safe_next(request.args.get("next")))
        form.password.errors.append(_login_error(outcome.error))
    return render_template("auth/login.html", form=form), 200 if not form.errors else 400


@bp.post("/esci")
def logout():
    """Sign out."""
    logout_user()
    flash(_("Uscita effettuata."), "ok")
    return redirect(url_for("main.home"))


@bp.route("/account", methods=["GET", "POST"])
def account():
    """The signed-in user's account: role, organisation, password change."""
    user = get_user(db_session(), current_user.id)
    form = PasswordForm()
    if form.validate_on_submit():
        try:
            account_service().change_password(
                user.id, form.current.data, form.new.data, actor=user.email
            )
        except AccountError as exc:
            if exc.field == "current":
                form.current.errors.append(_("La password attuale non è corretta."))
            else:
                form.new.errors.append(str(exc))
        else:
            flash(_("Password aggiornata."), "ok")
            return redirect(url_for("auth.account"))
    status = 400 if form.errors else 200
    return render_template("auth/account.html", user=user, form=form), status
