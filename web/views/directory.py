"""The directory of organisations: search, profile pages and the profile forms."""

from __future__ import annotations

from typing import Any

from flask import (
    Blueprint,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_login import current_user
from sqlalchemy import select

from matchmaker.directory import (
    NotFound,
    OrganisationFilter,
    get_organisation,
    list_districts,
    list_organisations,
    list_partnerships,
    list_themes,
)
from matchmaker.domain import (
    KIND_LABELS,
    RUNTS_LABELS,
    SECTOR_LABELS,
    STATUS_LABELS,
    DomainError,
)
from matchmaker.profiles import ProfileValidationError, StaleEdit, profile_values, save_organisation
from matchmaker.storage import Comune, Province
from web import db_session
from web.api.resources import CONTACT_ROLES
from web.authz import owns
from web.errors import error_response
from web.views.directory_forms import ProfileForm, apply_errors, form_data

__all__ = ["bp"]

bp = Blueprint("directory", __name__)
PER_PAGE = 25
#: query-string names of the filters (Italian, as the URL shows them) -> filter field
_FILTERS = {
    "tipo": "kinds",
    "settore": "sectors",
    "distretto": "districts",
    "provincia": "provinces",
    "tema": "themes",
    "runts": "runts_sections",
}
_SORTS = {
    "name": "Nome (A-Z)",
    "-name": "Nome (Z-A)",
    "kind": "Tipo di ente",
    "-created": "Inseriti di recente",
    "created": "Inseriti per primi",
}


@bp.app_context_processor
def _labels() -> dict[str, Any]:
    settings = current_app.extensions["matchmaker"].settings
    return {
        "directory_visible": current_user.is_authenticated or settings.public_directory,
        "KIND_LABELS": {k.value: v for k, v in KIND_LABELS.items()},
        "SECTOR_LABELS": {k.value: v for k, v in SECTOR_LABELS.items()},
        "RUNTS_LABELS": {k.value: v for k, v in RUNTS_LABELS.items()},
        "STATUS_LABELS": {k.value: v for k, v in STATUS_LABELS.items()},
    }


@bp.get("/enti")
def index():
    """Search and filter the organisations, one page at a time."""
    session = db_session()
    args = request.args
    chosen = {name: [v for v in args.getlist(name) if v] for name in _FILTERS}
    sort = args.get("ordina") or "name"
    page = max(args.get("pagina", 1, type=int) or 1, 1)
    flt = OrganisationFilter(
        q=(args.get("q") or "")[:200],
        sort=sort,
        **{field: tuple(chosen[name]) for name, field in _FILTERS.items()},
    )
    error = None
    try:
        result = list_organisations(session, flt, page=page, per_page=PER_PAGE)
    except DomainError as exc:
        error = f"Filtro non valido ({exc.field}): {exc}"
        result = None
    context = {
        "result": result,
        "error": error,
        "q": flt.q,
        "chosen": chosen,
        "sort": sort,
        "sorts": _SORTS,
        "choices": _filter_choices(session),
        "page_url": _page_url,
    }
    return render_template("directory/index.html", **context), 400 if error else 200


def _filter_choices(session) -> dict[str, list[tuple[str, str]]]:
    provinces = session.scalars(select(Province).order_by(Province.name))
    return {
        "tipo": [(k.value, v) for k, v in KIND_LABELS.items()],
        "settore": [(k.value, v) for k, v in SECTOR_LABELS.items()],
        "distretto": [(d.code, d.name) for d in list_districts(session)],
        "provincia": [(p.code, p.name) for p in provinces],
        "tema": [(t.code, t.label_it) for t in list_themes(session)],
        "runts": [(k.value, v) for k, v in RUNTS_LABELS.items()],
    }


def _page_url(page: int) -> str:
    args = request.args.to_dict(flat=False)
    args["pagina"] = [str(page)]
    return url_for("directory.index", **args)


@bp.get("/enti/<tax_code>")
def profile(tax_code: str):
    """Everything known about one organisation, and the ATS it took part in."""
    session = db_session()
    try:
        org = get_organisation(session, tax_code)
    except NotFound as exc:
        return error_response(404, str(exc))
    partnerships = list_partnerships(session, member=org.tax_code, per_page=200).items
    roles = {
        p.id: next((m.role.value for m in p.members if m.organisation_id == org.id), "")
        for p in partnerships
    }
    return render_template(
        "directory/profile.html",
        org=org,
        partnerships=partnerships,
        roles=roles,
        contacts=getattr(current_user, "role", None) in CONTACT_ROLES,
        can_edit=owns(current_user, org.id),
    )


@bp.route("/enti/<tax_code>/modifica", methods=["GET", "POST"])
def edit(tax_code: str):
    """Edit a profile (staff: any; an ``ente`` account: its own)."""
    session = db_session()
    try:
        org = get_organisation(session, tax_code)
    except NotFound as exc:
        return error_response(404, str(exc))
    if not owns(current_user, org.id):
        return error_response(403, "Il suo account può modificare solo il profilo del suo ente.")
    if request.method == "GET":
        values = profile_values(org)
        values["comune"] = org.seat.name if org.seat else ""
        form = ProfileForm(data={**values, "version": str(org.version)})
    else:
        form = ProfileForm()
    return _form_page(form, org=org)


@bp.route("/enti/nuovo", methods=["GET", "POST"])
def new():
    """Create a profile (staff only)."""
    form = ProfileForm(data={"kind": "ets"}) if request.method == "GET" else ProfileForm()
    return _form_page(form, org=None)


def _form_page(form: ProfileForm, *, org: Any):
    session = db_session()
    form.set_choices(list_districts(session), list_themes(session))
    status, problems = 200, []
    if request.method == "POST":
        data = form_data(form, with_tax_code=org is None)
        version = form.version.data
        try:
            saved, created = save_organisation(
                session,
                data,
                tax_code=org.tax_code if org is not None else None,
                expected_version=int(version) if org is not None and version.isdigit() else None,
            )
            session.commit()
        except ProfileValidationError as exc:
            session.rollback()
            problems, status = apply_errors(form, exc.errors), 400
        except StaleEdit as exc:
            session.rollback()
            problems, status = [f"Modifica non salvata: {exc}."], 409
        except DomainError as exc:
            session.rollback()
            problems, status = [f"Modifica non salvata: {exc}."], 400
        else:
            verb = "Creato" if created else "Aggiornato"
            flash(f"{verb} il profilo di {saved.name}.", "ok")
            return redirect(url_for("directory.profile", tax_code=saved.tax_code))
    comuni = session.execute(select(Comune.name, Comune.province_code).order_by(Comune.name)).all()
    page = render_template(
        "directory/edit.html",
        form=form,
        org=org,
        problems=problems,
        has_errors=status != 200,
        comuni=comuni,
    )
    return page, status
