"""Administration: user accounts and the audit log."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from matchmaker.accounts import AccountError, list_users
from matchmaker.accounts.audit import audit_entities, audit_page
from web import db_session
from web.engines import account_service, viewer
from web.forms import NewUserForm

bp = Blueprint("admin", __name__, url_prefix="/admin")
_PAGE = 50


@bp.route("/utenti", methods=["GET", "POST"])
def users():
    """List accounts and create new ones."""
    form = NewUserForm()
    if form.validate_on_submit():
        try:
            user = account_service().create_user(
                form.email.data,
                form.role.data,
                form.password.data,
                form.organisation.data or None,
                actor=viewer().actor,
            )
            flash(_("Creato l'account %(email)s.", email=user.email), "ok")
            return redirect(url_for("admin.users"))
        except AccountError as exc:
            getattr(form, exc.field if exc.field in form else "email").errors.append(str(exc))
    accounts = list_users(db_session())
    status = 400 if form.errors else 200
    return render_template("admin/users.html", users=accounts, form=form), status


@bp.get("/registro")
def audit():
    """The audit log, newest first, filterable by table and account."""
    page = min(max(request.args.get("pagina", 1, type=int), 1), 1_000_000)
    entity = request.args.get("tabella") or None
    actor = request.args.get("utente") or None
    result = audit_page(db_session(), entity=entity, actor=actor, page=page, per_page=_PAGE)
    return render_template(
        "admin/audit.html",
        entries=result.items,
        page=page,
        total=result.total,
        per_page=_PAGE,
        entity=entity,
        actor=actor,
        entities=audit_entities(db_session()),
    )
