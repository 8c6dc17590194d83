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
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from matchmaker.domain import (
    KIND_LABELS,
    RUNTS_LABELS,
    SECTOR_LABELS,
    STATUS_LABELS,
    DomainError,
    OrgKind,
)
from matchmaker.matching import MatchQuery
from matchmaker.network.ego import MAX_EGO_RADIUS, direct_partners
from matchmaker.network.service import load_graphs
from matchmaker.registry import (
    NotFound,
    OrganisationFilter,
    comune_choices,
    get_organisation,
    list_districts,
    list_organisations,
    list_partnerships,
    list_themes,
    province_choices,
)
from matchmaker.registry.profiles import ProfileValidationError, StaleEdit, profile_values
from web import db_session
from web.api.resources import CONTACT_ROLES
from web.authz import owns
from web.engines import match_engine, profile_service, viewer
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
    "name": _l("Nome (A-Z)"),
    "-name": _l("Nome (Z-A)"),
    "kind": _l("Tipo di ente"),
    "-created": _l("Inseriti di recente"),
    "created": _l("Inseriti per primi"),
}
#: partners shown on a profile before the «show all» disclosure
PARTNERS_SHOWN = 10
#: how many suggested partners a profile shows
SUGGESTIONS = 5
#: kind of organisation -> the kind suggested to it (the other side of an ATS)
_SUGGESTED_KIND = {OrgKind.ENTE_GESTORE: OrgKind.ETS, OrgKind.ETS: OrgKind.ENTE_GESTORE}
_KIND_NAMES = {k.value: v for k, v in KIND_LABELS.items()}


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
        error = _("Filtro non valido (%(field)s): %(reason)s", field=exc.field, reason=exc)
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
    return {
        "tipo": [(k.value, v) for k, v in KIND_LABELS.items()],
        "settore": [(k.value, v) for k, v in SECTOR_LABELS.items()],
        "distretto": [(d.code, d.name) for d in list_districts(session)],
        "provincia": province_choices(session),
        "tema": [(t.code, t.label_it) for t in list_themes(session)],
        "runts": [(k.value, v) for k, v in RUNTS_LABELS.items()],
    }


def _page_url(page: int) -> str:
    args = request.args.to_dict(flat=False)
    args["pagina"] = [str(page)]
    return url_for("directory.index", **args)


@bp.get("/enti/<tax_code>")
def profile(tax_code: str):
    """Everything known about one organisation, and the ATS it took part in.

    Signed-in users also see its collaboration network (a small picture of its
    neighbourhood and its direct partners) and, for an ETS or an Ente Gestore, the
    partners of the other kind that the matching engine suggests; anonymous visitors of a
    public directory see the profile only.
    """
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
    context: dict[str, Any] = {"network": None, "suggestions": None}
    if current_user.is_authenticated:
        context = _network_context(session, org)
    return render_template(
        "directory/profile.html",
        org=org,
        partnerships=partnerships,
        roles=roles,
        contacts=getattr(current_user, "role", None) in CONTACT_ROLES,
        can_edit=owns(current_user, org.id),
        **context,
    )


def _network_context(session, org: Any) -> dict[str, Any]:
    """The neighbourhood and the suggested partners of ``org`` (signed-in users only)."""
    radius = request.args.get("raggio", 1, type=int)
    radius = radius if radius in range(1, MAX_EGO_RADIUS + 1) else 1
    try:
        G = load_graphs(session).graph
    except DomainError:  # no organisation has a tie yet
        G = None
    partners = direct_partners(G, org.tax_code) if G is not None else []
    network = {
        "partners": partners,
        "shown": partners[:PARTNERS_SHOWN],
        "more": partners[PARTNERS_SHOWN:],
        "radius": radius,
        "radii": range(1, MAX_EGO_RADIUS + 1),
        "graph_url": url_for("network.graph", centro=org.tax_code, raggio=radius),
    }
    suggestions = None
    wanted = _SUGGESTED_KIND.get(org.kind)
    if wanted is not None:
        suggestions = _suggestions(org, wanted, {p["tax_code"] for p in partners})
    return {"network": network, "suggestions": suggestions, "suggested_kind": wanted}


def _suggestions(org: Any, kind: OrgKind, partners: set[str]) -> list[dict[str, Any]]:
    """Top partners of ``kind`` for the organisation's own profile, existing partners left
    out (they are listed above), each with its score and the reasons in short."""
    query = MatchQuery(
        for_tax_code=org.tax_code,
        kinds=(kind.value,),
        top_k=SUGGESTIONS,
        exclude_tax_codes=tuple(sorted(partners)),
        themes=tuple(sorted(t.code for t in org.themes)),
    )
    try:
        results = match_engine().search(query)
    except ValueError:  # a profile with nothing to match on
        return []
    out = []
    for r in results:
        if r.tax_code == org.tax_code:
            continue
        exp = r.explanation
        out.append(
            {
                "tax_code": r.tax_code,
                "name": r.name,
                "kind": _KIND_NAMES.get(r.kind, r.kind),
                "score": r.score,
                "themes": [t.label for t in exp.shared_themes],
                "territory": exp.territory.reason if exp.territory else None,
            }
        )
    return out[:SUGGESTIONS]


@bp.route("/enti/<tax_code>/modifica", methods=["GET", "POST"])
def edit(tax_code: str):
    """Edit a profile (staff: any; an ``ente`` account: its own)."""
    session = db_session()
    try:
        org = get_organisation(session, tax_code)
    except NotFound as exc:
        return error_response(404, str(exc))
    if not owns(current_user, org.id):
        return error_response(403, _("Il suo account può modificare solo il profilo del suo ente."))
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
            saved = profile_service().save(
                data,
                tax_code=org.tax_code if org is not None else None,
                expected_version=int(version) if org is not None and version.isdigit() else None,
                actor=viewer().actor,
            )
        except ProfileValidationError as exc:
            problems, status = apply_errors(form, exc.row_errors), 400
        except StaleEdit as exc:
            problems, status = [_("Modifica non salvata: %(reason)s.", reason=exc)], 409
        except DomainError as exc:
            problems, status = [_("Modifica non salvata: %(reason)s.", reason=exc)], 400
        else:
            if saved.created:
                flash(_("Creato il profilo di %(name)s.", name=saved.name), "ok")
            else:
                flash(_("Aggiornato il profilo di %(name)s.", name=saved.name), "ok")
            return redirect(url_for("directory.profile", tax_code=saved.tax_code))
    comuni = comune_choices(session)
    page = render_template(
        "directory/edit.html",
        form=form,
        org=org,
        problems=problems,
        has_errors=status != 200,
        comuni=comuni,
    )
    return page, status
