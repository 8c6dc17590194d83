"""Read and write resources of the API: the registry (themes, comuni, districts,
organisations) over :mod:`matchmaker.registry`, profile writes over
:class:`~matchmaker.registry.profiles.ProfileService`."""

from __future__ import annotations

from flask import jsonify, url_for
from flask_login import current_user

from matchmaker import registry
from matchmaker.contract import OrganisationCreate, OrganisationUpdate, given
from matchmaker.contract.queries import ComuniQuery, OrganisationsQuery, csv_items
from matchmaker.domain import Role
from web import db_session
from web.api import body, bp, page_response, problem, query
from web.api.spec import operation
from web.authz import owns
from web.engines import profile_service, viewer

__all__ = ["CONTACT_ROLES"]

#: roles that see organisations' e-mail and phone (contact data)
CONTACT_ROLES = frozenset({Role.ADMIN, Role.FACILITATORE, Role.ENTE})


def _contacts() -> bool:
    return getattr(current_user, "role", None) in CONTACT_ROLES


@bp.get("/themes")
@operation("Tassonomia dei temi", response="ThemeList", errors=(), auth="public")
def themes():
    """The theme taxonomy."""
    items = [registry.theme_dict(t) for t in registry.list_themes(db_session())]
    return jsonify({"items": items})


@bp.get("/comuni")
@operation("Comuni del Piemonte", response="ComunePage", query=ComuniQuery, auth="public")
def comuni():
    """Comuni of Piemonte, filterable by province and name prefix."""
    q = query(ComuniQuery)
    result = registry.list_comuni(
        db_session(), province=q.province, q=q.q, page=q.page, per_page=q.per_page
    )
    return page_response(result.map(registry.comune_dict))


@bp.get("/districts")
@operation("Distretti della Coesione Sociale", response="DistrictList", errors=(), auth="public")
def districts():
    """Distretti della Coesione Sociale with their Enti Gestori."""
    items = [registry.district_dict(d) for d in registry.list_districts(db_session())]
    return jsonify({"items": items})


@bp.get("/districts/<code>")
@operation("Un distretto, con i suoi comuni", response="District", errors=(404,), auth="public")
def district(code: str):
    """One district with its comuni."""
    found = registry.get_district(db_session(), code)
    return jsonify(registry.district_dict(found, with_comuni=True))


@bp.get("/organisations")
@operation(
    "Elenco degli enti", response="OrganisationPage", query=OrganisationsQuery, auth="directory"
)
def organisations():
    """The directory, with filters and pagination."""
    q = query(OrganisationsQuery)
    flt = registry.OrganisationFilter(
        q=q.q,
        kinds=csv_items(q.kind),
        sectors=csv_items(q.sector),
        districts=csv_items(q.district),
        provinces=csv_items(q.province),
        themes=csv_items(q.theme),
        runts_sections=csv_items(q.runts_section),
        sort=q.sort,
    )
    result = registry.list_organisations(db_session(), flt, q.page, q.per_page)
    contacts = _contacts()
    return page_response(result.map(lambda o: registry.organisation_dict(o, contacts=contacts)))


@bp.get("/organisations/<tax_code>")
@operation("Un ente", response="Organisation", errors=(404,), auth="directory")
def organisation(tax_code: str):
    """One organisation."""
    org = registry.get_organisation(db_session(), tax_code)
    return jsonify(registry.organisation_dict(org, contacts=_contacts()))


def _saved(tax_code: str, status: int = 200):
    org = registry.get_organisation(db_session(), tax_code, fresh=True)
    response = jsonify(registry.organisation_dict(org, contacts=_contacts()))
    response.status_code = status
    return response


@bp.post("/organisations")
@operation(
    "Crea un profilo (facilitatori)",
    response="Organisation",
    status=201,
    body=OrganisationCreate,
    errors=(409, 422),
)
def create_organisation():
    """Create a profile (staff only)."""
    data = given(body(OrganisationCreate))
    saved = profile_service().save(data, actor=viewer().actor)
    response = _saved(saved.tax_code, 201)
    response.headers["Location"] = url_for("api.organisation", tax_code=saved.tax_code)
    return response


@bp.patch("/organisations/<tax_code>")
@operation(
    "Modifica un profilo (serve la versione letta)",
    response="Organisation",
    body=OrganisationUpdate,
    errors=(404, 409, 422),
)
def update_organisation(tax_code: str):
    """Edit a profile: staff any, an ``ente`` account only its own. Needs ``version``."""
    org = registry.get_organisation(db_session(), tax_code)
    if not owns(current_user, org.id):
        return problem(403, "Accesso negato", "Il suo account può modificare solo il proprio ente.")
    data = given(body(OrganisationUpdate))
    version = data.pop("version")
    saved = profile_service().save(
        data, tax_code=org.tax_code, expected_version=version, actor=viewer().actor
    )
    return _saved(saved.tax_code)
