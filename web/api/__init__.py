"""JSON API ``/api/v1``: resources, errors as application/problem+json, pagination."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, jsonify, request, url_for

from matchmaker.domain import DomainError
from matchmaker.registry import MAX_PAGE, MAX_PER_PAGE, NotFound, Page

bp = Blueprint("api", __name__, url_prefix="/api/v1")

__all__ = ["bp", "page_args", "page_response", "problem"]


def problem(status: int, title: str, detail: str, errors: list[dict[str, Any]] | None = None):
    """An RFC 9457 problem document; ``errors`` lists field-level details."""
    body: dict[str, Any] = {
        "type": "about:blank",
        "title": title,
        "status": status,
        "detail": detail,
    }
    if errors:
        body["errors"] = errors
    response = jsonify(body)
    response.status_code = status
    response.mimetype = "application/problem+json"
    return response


@bp.errorhandler(NotFound)
def _not_found(exc: NotFound):
    return problem(
        404, "Risorsa non trovata", str(exc), [{"field": exc.field, "message": str(exc)}]
    )


@bp.errorhandler(DomainError)
def _invalid(exc: DomainError):
    return problem(
        422, "Dati non validi", str(exc), [{"field": exc.field or "", "message": str(exc)}]
    )


def _int_arg(name: str, default: int) -> int:
    raw = request.args.get(name)
    if raw is None or raw == "":
        return default
    try:
        return int(raw)
    except ValueError:
        raise DomainError(f"{name} deve essere un numero intero", field=name, value=raw) from None


def page_args() -> tuple[int, int]:
    """``page`` and ``per_page`` from the query string, validated."""
    page, per_page = _int_arg("page", 1), _int_arg("per_page", 50)
    if not 1 <= page <= MAX_PAGE:
        raise DomainError(f"page deve essere tra 1 e {MAX_PAGE}", field="page", value=page)
    if not 1 <= per_page <= MAX_PER_PAGE:
        raise DomainError(
            f"per_page deve essere tra 1 e {MAX_PER_PAGE}", field="per_page", value=per_page
        )
    return page, per_page


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


from web.api import network, openapi, resources, services  # noqa: E402,F401  (the routes)
