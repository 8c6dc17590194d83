"""The OpenAPI 3.1 document of ``/api/v1``, generated from the request contract.

Each API view declares itself with :func:`operation` (summary, body model, query model,
response model, the statuses it may answer); the document is built from those declarations,
the routes of the blueprint and the JSON schemas of the models
(:mod:`matchmaker.contract.models`, :mod:`~matchmaker.contract.queries`,
:mod:`~matchmaker.contract.responses`), so that it says what the server does.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Callable
from typing import Any

from flask import Flask, current_app, jsonify, render_template
from pydantic import BaseModel
from pydantic.json_schema import models_json_schema

from matchmaker import __version__
from matchmaker.contract import REQUEST_MODELS
from matchmaker.contract.responses import RESPONSE_MODELS
from web.api import bp

__all__ = ["Operation", "openapi_document", "operation"]

_DESCRIPTIONS = {
    401: "Accesso richiesto",
    403: "Ruolo non autorizzato o modifica non consentita a questo account",
    404: "Non trovato",
    409: "In conflitto con i dati registrati (versione superata, stato dell'ATS...)",
    422: "Dati non validi: ogni campo errato è elencato in errors, con il tipo di errore "
    "(i tipi reference, check_digit, conflict, duplicate e state indicano vincoli che lo "
    "schema non può esprimere: riferimenti a record inesistenti, cifra di controllo del "
    "codice fiscale, contraddizioni con i dati registrati)",
}


@dataclasses.dataclass(frozen=True)
class Operation:
    """What one API operation takes and answers."""

    summary: str
    response: str | None = None  # a response model's name
    status: int = 200
    body: type[BaseModel] | None = None
    query: type[BaseModel] | None = None
    errors: tuple[int, ...] = (422,)
    auth: str = "required"  # "public", "directory" (public when the instance says so)
    files: tuple[str, ...] = ()  # media types of a file download
    operation_id: str = ""  # the view's name


_OPERATIONS: dict[str, Operation] = {}


def operation(summary: str, **options: Any) -> Callable[[Callable], Callable]:
    """Declare an API view (see :class:`Operation`); the document is built from these."""

    def register(fn: Callable) -> Callable:
        _OPERATIONS[f"{bp.name}.{fn.__name__}"] = Operation(
            summary, operation_id=fn.__name__, **options
        )
        return fn

    return register


def _clean(schema: Any, names: bool = False) -> Any:
    """Drop pydantic's titles and the ``default: null`` of fields that cannot be null
    (``names``: ``schema`` maps property names to schemas, every name is kept)."""
    if isinstance(schema, dict):
        if names:
            return {k: _clean(v) for k, v in schema.items()}
        out = {
            k: _clean(v, names=k in ("properties", "$defs"))
            for k, v in schema.items()
            if k != "title"
        }
        if out.get("default", 0) is None and not _nullable(out):
            del out["default"]
        return out
    if isinstance(schema, list):
        return [_clean(v) for v in schema]
    return schema


def _nullable(schema: dict[str, Any]) -> bool:
    if schema.get("type") == "null" or "null" in (schema.get("type") or []):
        return True
    return any(_nullable(s) for s in schema.get("anyOf", ()) if isinstance(s, dict))


def _components() -> dict[str, Any]:
    models = {**REQUEST_MODELS, **RESPONSE_MODELS}
    _refs, top = models_json_schema(
        [(m, "validation") for m in models.values()],
        ref_template="#/components/schemas/{model}",
    )
    return _clean(top.get("$defs", {}), names=True)


def _not_null(schema: dict[str, Any]) -> dict[str, Any]:
    """A query parameter's schema without the ``null`` of an optional field."""
    if "anyOf" in schema:
        kept = [s for s in schema["anyOf"] if s.get("type") != "null"]
        if len(kept) == 1:
            rest = {k: v for k, v in schema.items() if k not in ("anyOf", "default")}
            return {**kept[0], **rest}
    return {k: v for k, v in schema.items() if not (k == "default" and v is None)}


def _parameters(model: type[BaseModel] | None) -> list[dict[str, Any]]:
    if model is None:
        return []
    schema = _clean(model.model_json_schema())
    out = []
    for name, prop in schema.get("properties", {}).items():
        prop = _not_null(prop)
        description = prop.pop("description", None)
        param = {"name": name, "in": "query", "schema": prop}
        if description:
            param["description"] = description
        if name in schema.get("required", ()):
            param["required"] = True
        out.append(param)
    return out


def _problem(status: int) -> dict[str, Any]:
    return {
        "description": _DESCRIPTIONS[status],
        "content": {
            "application/problem+json": {"schema": {"$ref": "#/components/schemas/Problem"}}
        },
    }


def _operation(op: Operation, path_params: list[str], public_directory: bool) -> dict[str, Any]:
    if op.files:
        content = {media: {"schema": {}} for media in op.files}
    else:
        content = {"application/json": {"schema": {"$ref": f"#/components/schemas/{op.response}"}}}
    responses: dict[str, Any] = {str(op.status): {"description": "OK", "content": content}}
    errors = set(op.errors)
    public = op.auth == "public" or (op.auth == "directory" and public_directory)
    if not public:
        errors |= {401, 403}
    for status in sorted(errors):
        responses[str(status)] = _problem(status)
    out: dict[str, Any] = {
        "operationId": op.operation_id,
        "summary": op.summary,
        "parameters": [
            {"name": p, "in": "path", "required": True, "schema": {"type": "string"}}
            for p in path_params
        ]
        + _parameters(op.query),
        "responses": responses,
    }
    if op.body is not None:
        ref = {"$ref": f"#/components/schemas/{op.body.__name__}"}
        out["requestBody"] = {"required": True, "content": {"application/json": {"schema": ref}}}
    if op.auth == "directory" and public_directory:
        out["security"] = [{}, {"bearer": []}, {"session": []}]
    elif not public:
        out["security"] = [{"bearer": []}, {"session": []}]
    return out


_ARG = re.compile(r"<(?:[a-z]+:)?([a-z_]+)>")


def openapi_document(app: Flask, public_directory: bool = False) -> dict[str, Any]:
    """The API as OpenAPI 3.1, from the operations declared on its routes."""
    paths: dict[str, dict[str, Any]] = {}
    for rule in sorted(app.url_map.iter_rules(), key=lambda r: r.rule):
        op = _OPERATIONS.get(rule.endpoint)
        if op is None:
            continue
        path = _ARG.sub(r"{\1}", rule.rule.removeprefix(bp.url_prefix or ""))
        for method in sorted((rule.methods or set()) - {"HEAD", "OPTIONS"}):
            paths.setdefault(path, {})[method.lower()] = _operation(
                op, _ARG.findall(rule.rule), public_directory
            )
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "matchmaker API",
            "version": __version__,
            "description": "Profili degli enti, ATS e geografia del Piemonte (WeCaRe). "
            "Autenticazione per script: header `Authorization: Bearer <token>` "
            "(`matchmaker tokens create --user EMAIL`). Errori: application/problem+json.",
        },
        "servers": [{"url": bp.url_prefix}],
        "paths": paths,
        "components": {
            "schemas": _components(),
            "securitySchemes": {
                "bearer": {"type": "http", "scheme": "bearer"},
                "session": {"type": "apiKey", "in": "cookie", "name": "session"},
            },
        },
    }


def _public() -> bool:
    return current_app.extensions["matchmaker"].settings.public_directory


@bp.get("/openapi.json")
def openapi():
    """The OpenAPI document."""
    return jsonify(openapi_document(current_app, _public()))


@bp.get("/docs")
def docs():
    """A readable page of the API."""
    return render_template("api/docs.html", spec=openapi_document(current_app, _public()))
