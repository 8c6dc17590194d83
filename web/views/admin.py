"""Administration: user accounts and the audit log."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from sqlalchemy import func, select

from matchmaker.accounts import AccountError, create_user
from matchmaker.storage import AuditEntry
from matchmaker.storage.accounts_models import User
from web import db_session
from web.forms import NewUserForm

bp = Blueprint("admin", __name__, url_prefix="/admin")
_PAGE = 50


@bp.route("/utenti", methods=["GET", "POST"])
def users():
    """List accounts and create new ones."""
    session = db_session()
    form = NewUserForm()
    if form.validate_on_submit():
        try:
            user = create_user(
                session,
                form.email.data,
                form.role.data,
                form.password.data,
                form.organisation.data or None,
            )
            session.commit()
            flash(_("Creato l'account %(email)s.", email=user.email), "ok")
            return redirect(url_for("admin.users"))
        except AccountError as exc:
            session.rollback()
            getattr(form, exc.field if exc.field in form else "email").errors.append(str(exc))
    accounts = session.scalars(select(User).order_by(User.email)).all()
    status = 400 if form.errors else 200
    return render_template("admin/users.html", users=accounts, form=form), status


@bp.get("/registro")
def audit():
    """The audit log, newest first, filterable by table and account."""
    session = db_session()
    page = max(request.args.get("pagina", 1, type=int), 1)
    entity = request.args.get("tabella") or None
    actor = request.args.get("utente") or None
    query = select(AuditEntry)
    if entity:
        query = query.where(AuditEntry.entity == entity)
    if actor:
        query = query.where(AuditEntry.actor == actor)
    total = session.scalar(select(func.count()).select_from(query.subquery()))
    entries = session.scalars(
        query.order_by(AuditEntry.id.desc()).offset((page - 1) * _PAGE).limit(_PAGE)
    ).all()
    entities = session.scalars(select(AuditEntry.entity).distinct().order_by(AuditEntry.entity))
    return render_template(
        "admin/audit.html",
        entries=entries,
        page=page,
        total=total,
        per_page=_PAGE,
        entity=entity,
        actor=actor,
        entities=list(entities),
    )
