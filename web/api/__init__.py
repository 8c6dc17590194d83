"""JSON API ``/api/v1``: resources, errors as application/problem+json, pagination.

Every body and query string is validated by the request contract (:mod:`matchmaker.contract`)
with :func:`body` and :func:`query`; every operation declares itself with
:func:`web.api.spec.operation`, from which the OpenAPI document is generated.
"""

from __future__ import annotations

from typing import Any, TypeVar

from flask import Blueprint, jsonify, request, url_for
from pydantic import BaseModel

from matchmaker.contract import ContractError, FieldError, validate
from matchmaker.contract.queries import query_values
from matchmaker.domain import DomainError
from matchmaker.registry import NotFound, Page
from matchmaker.registry.profiles import StaleEdit
from matchmaker.rules import ProposalImpossible, TransitionRefused
from matchmaker.rules.drafts import AlreadyMember, DraftRefused, StaleDraft

bp = Blueprint("api", __name__, url_prefix="/api/v1")

__all__ = ["body", "bp", "json_body", "page_response", "problem", "query"]

M = TypeVar("M", bound=BaseModel)

#: refusals that are about the state of stored data, not about the request: 409
_CONFLICTS = (StaleDraft, StaleEdit, AlreadyMember, TransitionRefused, ProposalImpossible)
_TITLES = {
    403: "Accesso negato",
    404: "Risorsa non trovata",
    409: "Conflitto",
    422: "Dati non validi",
}


def problem(status: int, title: str, detail: str, errors: list[dict[str, Any]] | None = None):
    """An RFC 9457 problem document; ``errors`` lists field-level details."""
    payload: dict[str, Any] = {
        "type": "about:blank",
        "title": title,
        "status": status,
        "detail": detail,
    }
    if errors:
        payload["errors"] = errors
    response = jsonify(payload)
    response.status_code = status
    response.mimetype = "application/problem+json"
    return response


def status_of(exc: DomainError) -> int:
    """The HTTP status of a refusal by the library."""
    if isinstance(exc, NotFound):
        return 404
    if isinstance(exc, DraftRefused):
        return 403
    if isinstance(exc, _CONFLICTS) or exc.kind == "state":
        return 409
    return 422


@bp.errorhandler(DomainError)
def _refused(exc: DomainError):
    status = status_of(exc)
    errors = [e.as_dict() for e in ContractError.from_domain(exc).errors]
    return problem(status, _TITLES[status], str(exc), errors)


def json_body() -> Any:
    """The request's body parsed as JSON: None when it is not JSON; a 422 field error when it
    nests deeper than a parser should follow."""
    try:
        return request.get_json(silent=True)
    except RecursionError:
        raise ContractError.single(
            "(radice)",
            "json_invalid",
            "(radice): JSON troppo annidato",
            "body: JSON nested too deeply",
        ) from None


def body(model: type[M]) -> M:
    """The request's JSON body as ``model`` (a 422 problem naming every wrong field)."""
    return validate(model, json_body())


def query(model: type[M]) -> M:
    """The request's query string as ``model`` (a 422 problem naming every wrong field,
    an unknown parameter included)."""
    unknown = sorted(set(request.args) - set(model.model_fields))
    if unknown:
        raise ContractError(
            [
                FieldError(
                    name,
                    "extra_forbidden",
                    f"{name}: parametro sconosciuto",
                    f"{name}: unknown parameter",
                    request.args.get(name, ""),
                )
                for name in unknown
            ]
        )
    return validate(model, query_values(request.args, model))


def page_response(page: Page[dict[str, Any]]):
    """The same envelope for every list, with RFC 8288 Link headers."""
    response = jsonify(
        {
            "items": page.items,
            "page": page.page,
            "per_page": page.per_page,
            "total": page.total,
            "pages": page.pages,
        }
    )
    links = []
    args = {k: v for k, v in request.args.items() if k != "page"}

    def link(number: int, rel: str) -> str:
        url = url_for(request.endpoint, **(request.view_args or {}), **args, page=number)
        return f'<{url}>; rel="{rel}"'

    if page.page < page.pages:
        links.append(link(page.page + 1, "next"))
    if page.page > 1:
        links.append(link(page.page - 1, "prev"))
    if links:
        response.headers["Link"] = ", ".join(links)
    return response


from web.api import engines, network, partnerships, resources, spec  # noqa: E402,F401  (routes)
