"""Read and write resources of the API: thin wrappers over matchmaker.registry."""

from __future__ import annotations

from flask import jsonify, request, url_for
from flask_login import current_user
from sqlalchemy.orm.exc import StaleDataError

from matchmaker import registry
from matchmaker.domain import DomainError, PartnershipStatus, Role
from matchmaker.registry.profiles import ProfileValidationError, StaleEdit, save_organisation
from web import db_session
from web.api import bp, page_args, page_response, problem
from web.authz import owns

#: roles that see organisations' e-mail and phone (contact data)
CONTACT_ROLES = frozenset({Role.ADMIN, Role.FACILITATORE, Role.ENTE})


def _contacts() -> bool:
    return getattr(current_user, "role", None) in CONTACT_ROLES


def _many(name: str) -> list[str]:
    values: list[str] = []
    for raw in request.args.getlist(name):
        values.extend(v.strip() for v in raw.split(",") if v.strip())
    return values


def _opt_int(name: str, low: int, high: int) -> int | None:
    raw = request.args.get(name)
    if raw in (None, ""):
        return None
    try:
        value = int(raw)
    except ValueError:
        raise DomainError(f"{name} deve essere un numero intero", field=name, value=raw) from None
    if not low <= value <= high:
        raise DomainError(f"{name} deve essere tra {low} e {high}", field=name, value=value)
    return value


def _status(raw: str | None) -> str | None:
    if not raw:
        return None
    try:
        return PartnershipStatus(raw).value
    except ValueError:
        allowed = ", ".join(s.value for s in PartnershipStatus)
        raise DomainError(
            f"stato sconosciuto {raw!r}: usare {allowed}", field="status", value=raw
        ) from None


@bp.get("/themes")
def themes():
    """The theme taxonomy."""
    return jsonify({"items": [registry.theme_dict(t) for t in registry.list_themes(db_session())]})


@bp.get("/comuni")
def comuni():
    """Comuni of Piemonte, filterable by province and name prefix."""
    page, per_page = page_args()
    result = registry.list_comuni(
        db_session(),
        province=request.args.get("province"),
        q=request.args.get("q"),
        page=page,
        per_page=per_page,
    )
    return page_response(result.map(registry.comune_dict))


@bp.get("/districts")
def districts():
    """Distretti della Coesione Sociale with their Enti Gestori."""
    return jsonify(
        {"items": [registry.district_dict(d) for d in registry.list_districts(db_session())]}
    )


@bp.get("/districts/<code>")
def district(code: str):
    """One district with its comuni."""
    return jsonify(
        registry.district_dict(registry.get_district(db_session(), code), with_comuni=True)
    )


@bp.get("/organisations")
def organisations():
    """The directory, with filters and pagination."""
    page, per_page = page_args()
    flt = registry.OrganisationFilter(
        q=request.args.get("q", ""),
        kinds=_many("kind"),
        sectors=_many("sector"),
        districts=_many("district"),
        provinces=_many("province"),
        themes=_many("theme"),
        runts_sections=_many("runts_section"),
        sort=request.args.get("sort", "name"),
    )
    result = registry.list_organisations(db_session(), flt, page, per_page)
    contacts = _contacts()
    return page_response(result.map(lambda o: registry.organisation_dict(o, contacts=contacts)))


@bp.get("/organisations/<tax_code>")
def organisation(tax_code: str):
    """One organisation."""
    org = registry.get_organisation(db_session(), tax_code)
    return jsonify(registry.organisation_dict(org, contacts=_contacts()))


@bp.get("/partnerships")
def partnerships():
    """ATS with their members."""
    page, per_page = page_args()
    args = request.args
    result = registry.list_partnerships(
        db_session(),
        measure=_opt_int("measure", 1, 5),
        call_round=_opt_int("round", 1, 1000),
        status=_status(args.get("status")),
        district=args.get("district") or None,
        member=args.get("member") or None,
        page=page,
        per_page=per_page,
    )
    return page_response(result.map(registry.partnership_dict))


@bp.get("/partnerships/<code>")
def partnership(code: str):
    """One ATS with its members."""
    return jsonify(registry.partnership_dict(registry.get_partnership(db_session(), code)))


def _body() -> dict:
    data = request.get_json(silent=True)
    if not isinstance(data, dict):
        raise DomainError("il corpo della richiesta deve essere un oggetto JSON", field="body")
    return data


def _profile_problem(exc: ProfileValidationError):
    return problem(
        422,
        "Dati non validi",
        str(exc),
        [
            {
                "field": e.column,
                "message": e.reason_it,
                "message_en": e.reason_en,
                "value": e.value[:200],
            }
            for e in exc.errors
        ],
    )


@bp.post("/organisations")
def create_organisation():
    """Create a profile (staff only)."""
    session = db_session()
    try:
        org, _ = save_organisation(session, _body())
    except ProfileValidationError as exc:
        session.rollback()
        return _profile_problem(exc)
    session.commit()
    response = jsonify(registry.organisation_dict(org, contacts=_contacts()))
    response.status_code = 201
    response.headers["Location"] = url_for("api.organisation", tax_code=org.tax_code)
    return response


@bp.patch("/organisations/<tax_code>")
def update_organisation(tax_code: str):
    """Edit a profile: staff any, an ``ente`` account only its own. Needs ``version``."""
    session = db_session()
    org = registry.get_organisation(session, tax_code)
    if not owns(current_user, org.id):
        return problem(403, "Accesso negato", "Il suo account può modificare solo il proprio ente.")
    data = _body()
    version = data.pop("version", None)
    if not isinstance(version, int) or isinstance(version, bool):
        raise DomainError(
            "version (intero) è obbligatorio: la versione letta del profilo", field="version"
        )
    try:
        org, _ = save_organisation(session, data, tax_code=tax_code, expected_version=version)
        session.commit()
    except ProfileValidationError as exc:
        session.rollback()
        return _profile_problem(exc)
    except (StaleEdit, StaleDataError) as exc:
        session.rollback()
        detail = (
            str(exc)
            if isinstance(exc, StaleEdit)
            else (
                "il profilo è stato modificato da altri nel frattempo: ricaricare, "
                "nessun dato è stato sovrascritto"
            )
        )
        return problem(
            409, "Modifica in conflitto", detail, [{"field": "version", "message": detail}]
        )
    return jsonify(registry.organisation_dict(org, contacts=_contacts()))
