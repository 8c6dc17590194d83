"""JSON for the builder's script: the live rule check, the organisation search, team proposals.

Bodies are validated by the request contract (:mod:`matchmaker.contract`), the same models
as the API's ``/api/v1/ats/check`` and ``/api/v1/ats/propose``. Errors are
``{"error": message, "field": field}`` with the status: 400 for a body that is not a JSON
object, 422 for a field, 409 when no team can be proposed.
"""

from __future__ import annotations

from flask import jsonify, request
from flask_babel import gettext as _

from matchmaker.contract import AtsCheckRequest, ContractError, ProposeRequest, validate
from matchmaker.domain import KIND_LABELS, DomainError, OrgKind
from matchmaker.registry import OrganisationFilter, list_organisations
from matchmaker.rules import ProposalImpossible
from matchmaker.rules.model import composition_from
from web import db_session
from web.engines import draft_service
from web.i18n import is_english
from web.views.ats import bp
from web.views.ats.builder import with_kind_labels

__all__: list[str] = []


def _json_error(status: int, message: str, field: str = ""):
    response = jsonify({"error": message, "field": field})
    response.status_code = status
    return response


def _field_error(exc: DomainError):
    errors = ContractError.from_domain(exc).errors
    messages = [e.message_en if is_english() else e.message_it for e in errors]
    return _json_error(422, "; ".join(messages), errors[0].field)


@bp.post("/ats/verifica")
def check():
    """The live rule check: the composition in, findings with rule text and fixes out."""
    data = request.get_json(silent=True)
    if not isinstance(data, dict):
        return _json_error(400, _("Richiesta non valida: attesa una composizione JSON."))
    try:
        body = validate(AtsCheckRequest, data)
        view = draft_service().check_composition_view(
            composition_from(body), fixes=body.fixes, need=body.need, english=is_english()
        )
    except DomainError as exc:
        return _field_error(exc)
    return jsonify(with_kind_labels(view))


@bp.get("/ats/enti")
def organisations():
    """Organisations matching ``q`` (name words or tax code), for the members search."""
    q = (request.args.get("q") or "").strip()[:200]
    if len(q) < 2:
        return jsonify({"items": []})
    page = list_organisations(db_session(), OrganisationFilter(q=q), page=1, per_page=12)
    items = [
        {
            "tax_code": o.tax_code,
            "name": o.name,
            "kind": o.kind.value,
            "kind_label": _(KIND_LABELS[o.kind]),
            "districts": [d.name for d in o.districts],
        }
        for o in page.items
    ]
    return jsonify({"items": items, "total": page.total})


def _propose_error(exc: ContractError):
    first = exc.errors[0]
    if first.field == "text":
        message = _(
            "Per proporre una squadra descriva prima il bisogno del progetto (campo Descrizione)."
        )
        return _json_error(422, message, "description")
    if first.field == "round":
        return _json_error(
            422, _("Round del bando: indicare un numero tra 1 e 1000."), "call_round"
        )
    if first.field in ("for_tax_code", "district") and first.type == "missing":
        message = _("Per proporre una squadra scelga un distretto o un Ente Gestore capofila.")
        return _json_error(422, message, "districts")
    return _json_error(422, first.message_en if is_english() else first.message_it, first.field)


@bp.post("/ats/proponi")
def propose():
    """Complete admissible teams for the capofila (or district) and the need."""
    data = request.get_json(silent=True)
    if not isinstance(data, dict):
        return _json_error(400, _("Richiesta non valida."))
    try:
        body = validate(ProposeRequest, data)
    except ContractError as exc:
        return _propose_error(exc)
    try:
        proposals = draft_service().propose_view(
            body.text,
            for_tax_code=body.for_tax_code,
            district=body.district,
            call_round=body.call_round,
            size=body.size,
            english=is_english(),
        )
    except ProposalImpossible as exc:
        message = _("Proposta impossibile: %(motivo)s", motivo=str(exc))
        return _json_error(409, message, exc.field or "")
    except DomainError as exc:
        return _field_error(exc)
    for p in proposals:
        for m in p["members"]:
            m["kind_label"] = _(KIND_LABELS[OrgKind(m["kind"])])
    return jsonify({"proposals": proposals})
