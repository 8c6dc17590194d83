"""District pages: the list of the Distretti della Coesione Sociale and one page each."""

from __future__ import annotations

from flask import Blueprint, current_app, render_template
from flask_babel import gettext as _

from matchmaker.registry import NotFound
from matchmaker.territory.districts import district_detail, district_map, district_rows
from web import db_session
from web.errors import error_response

__all__ = ["bp"]

bp = Blueprint("districts", __name__)


@bp.get("/distretti")
def index():
    """All districts with their geography and the actors active in them."""
    return render_template("districts/index.html", rows=district_rows(db_session()))


@bp.get("/distretti/<code>")
def detail(code: str):
    """One district: map, Enti Gestori, ETS, themes, ATS and collaboration ties."""
    session = db_session()
    try:
        info = district_detail(session, code)
    except NotFound:
        return error_response(404, _("Nessun distretto con codice «%(code)s».", code=code))
    settings = current_app.extensions["matchmaker"].settings
    return render_template(
        "districts/detail.html",
        d=info,
        map=district_map(session, focus=info.district.code, reference_dir=settings.reference_dir),
        ats_links="ats.edit" in current_app.view_functions,
    )
