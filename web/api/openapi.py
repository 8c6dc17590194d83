"""The OpenAPI 3.1 document of ``/api/v1`` and a readable page of it."""

from __future__ import annotations

from typing import Any

from flask import current_app, jsonify, render_template

from matchmaker import __version__
from matchmaker.domain import OrgKind, PartnershipStatus, RuntsSection, Sector
from matchmaker.registry import MAX_PAGE, MAX_PER_PAGE
from web.api import bp

_STR = {"type": "string"}
_NSTR = {"type": ["string", "null"]}
_INT = {"type": "integer"}
_NINT = {"type": ["integer", "null"]}
_NUM = {"type": ["number", "null"]}
_BOOL = {"type": "boolean"}


def _ref(name: str) -> dict[str, str]:
    return {"$ref": f"#/components/schemas/{name}"}


def _obj(props: dict[str, Any], required: list[str] | None = None) -> dict[str, Any]:
    return {
        "type": "object",
        "properties": props,
        "required": required if required is not None else list(props),
        "additionalProperties": False,
    }


def _page_of(item: str) -> dict[str, Any]:
    return _obj(
        {
            "items": {"type": "array", "items": _ref(item)},
            "page": {"type": "integer", "minimum": 1},
            "per_page": {"type": "integer", "minimum": 1, "maximum": MAX_PER_PAGE},
            "total": {"type": "integer", "minimum": 0},
            "pages": {"type": "integer", "minimum": 1},
        }
    )


_SCHEMAS: dict[str, Any] = {
    "Problem": {
        "type": "object",
        "properties": {
            "type": _STR,
            "title": _STR,
            "status": _INT,
            "detail": _STR,
            "errors": {
                "type": "array",
                "items": _obj(
                    {"field": _NSTR, "message": _STR, "message_en": _STR, "value": _STR},
                    required=["field", "message"],
                ),
            },
        },
        "required": ["type", "title", "status", "detail"],
    },
    "Theme": _obj({"code": _STR, "label_it": _STR, "label_en": _STR, "group": _STR}),
    "Comune": _obj(
        {
            "istat_code": {"type": "string", "pattern": "^[0-9]{6}$"},
            "name": _STR,
            "province": _STR,
            "lat": _NUM,
            "lon": _NUM,
            "area_km2": _NUM,
            "population": _NINT,
            "asl": _NSTR,
        }
    ),
    "District": _obj(
        {
            "code": _STR,
            "name": _STR,
            "is_illustrative": _BOOL,
            "enti_gestori": {"type": "array", "items": _obj({"tax_code": _STR, "name": _STR})},
            "comuni_count": _INT,
            "comuni": {"type": "array", "items": _STR},
        },
        required=["code", "name", "is_illustrative", "enti_gestori", "comuni_count"],
    ),
    "Organisation": _obj(
        {
            "tax_code": _STR,
            "name": _STR,
            "kind": {"enum": [k.value for k in OrgKind]},
            "sector": {"enum": [s.value for s in Sector]},
            "runts_section": {"enum": [*(r.value for r in RuntsSection), None]},
            "seat": {
                "oneOf": [
                    {"type": "null"},
                    _obj({"istat_code": _STR, "name": _STR, "province": _STR}),
                ]
            },
            "districts": {"type": "array", "items": _STR},
            "themes": {"type": "array", "items": _STR},
            "description": _STR,
            "website": _NSTR,
            "is_illustrative": _BOOL,
            "source": _NSTR,
            "version": _INT,
            "created_at": _STR,
            "updated_at": _STR,
            "email": _NSTR,
            "phone": _NSTR,
        },
        required=[
            "tax_code",
            "name",
            "kind",
            "sector",
            "runts_section",
            "seat",
            "districts",
            "themes",
            "description",
            "website",
            "is_illustrative",
            "source",
            "version",
            "created_at",
            "updated_at",
        ],
    ),
    "Member": _obj(
        {
            "tax_code": _STR,
            "name": _STR,
            "kind": {"enum": [k.value for k in OrgKind]},
            "role": {"enum": ["capofila", "mandante"]},
            "joined_on": _NSTR,
        }
    ),
    "Partnership": _obj(
        {
            "code": _STR,
            "title": _STR,
            "measure": {"type": "integer", "minimum": 1, "maximum": 5},
            "round": _INT,
            "year": _NINT,
            "status": {"enum": [s.value for s in PartnershipStatus]},
            "description": _STR,
            "budget_eur": _NSTR,
            "districts": {"type": "array", "items": _STR},
            "themes": {"type": "array", "items": _STR},
            "members": {"type": "array", "items": _ref("Member")},
            "is_illustrative": _BOOL,
            "source": _NSTR,
            "version": _INT,
        }
    ),
}
_LISTISH = {"oneOf": [{"type": "array", "items": _STR}, _STR]}
_INPUT_PROPS = {
    "name": {"type": "string", "maxLength": 300},
    "kind": {"enum": [k.value for k in OrgKind]},
    "sector": {"enum": [s.value for s in Sector]},
    "tax_code": {"type": "string", "maxLength": 20},
    "comune": {"type": ["string", "null"], "description": "Codice ISTAT o nome del comune"},
    "districts": _LISTISH,
    "runts_section": {"enum": [*(r.value for r in RuntsSection), "", None]},
    "themes": _LISTISH,
    "description": {"type": "string", "maxLength": 20000},
    "website": _NSTR,
    "email": _NSTR,
    "phone": _NSTR,
}
_SCHEMAS["OrganisationCreate"] = {
    "type": "object",
    "properties": _INPUT_PROPS,
    "required": ["name", "kind", "tax_code"],
    "additionalProperties": False,
}
_SCHEMAS["OrganisationUpdate"] = {
    "type": "object",
    "properties": {**_INPUT_PROPS, "version": {"type": "integer", "minimum": 1}},
    "required": ["version"],
    "additionalProperties": False,
}
_SCHEMAS["MatchRequest"] = {
    "type": "object",
    "properties": {
        "text": {"type": "string", "maxLength": 5000},
        "for_tax_code": _NSTR,
        "districts": {"type": "array", "items": _STR},
        "kinds": {"type": "array", "items": {"enum": [k.value for k in OrgKind]}},
        "top_k": {"type": "integer", "minimum": 1, "maximum": 100},
        "territory": {"enum": ["soft", "hard", "off"]},
        "radius_km": {"type": ["number", "null"], "exclusiveMinimum": 0},
        "exclude_tax_codes": {"type": "array", "items": _STR},
        "call_round": {"type": ["integer", "null"], "minimum": 1, "maximum": 1000},
        "measure": {"type": ["integer", "null"], "minimum": 1, "maximum": 5},
        "exclude_at_capacity": _BOOL,
        "prefer_newcomers": _BOOL,
        "themes": {"type": "array", "items": _STR},
    },
    "additionalProperties": False,
}
_SCHEMAS["MatchResult"] = _obj(
    {
        "tax_code": _STR,
        "name": _STR,
        "kind": _STR,
        "score": {"type": "number", "minimum": 0, "maximum": 1},
        "channels": {"type": "object", "additionalProperties": {"type": "number"}},
        "explanation": {"type": "object"},
        "flags": {"type": "array", "items": _STR},
    }
)
_SCHEMAS["MatchResponse"] = _obj({"results": {"type": "array", "items": _ref("MatchResult")}})
_SCHEMAS["AtsCheckRequest"] = {
    "type": "object",
    "properties": {
        "measure": {"type": "integer", "minimum": 1, "maximum": 5},
        "round": {"type": "integer", "minimum": 1},
        "districts": {"type": "array", "items": _STR},
        "members": {
            "type": "array",
            "items": _obj({"tax_code": _STR, "role": {"enum": ["capofila", "mandante"]}}),
        },
        "themes": {"type": "array", "items": _STR},
        "code": _STR,
        "fixes": _BOOL,
        "need": {"type": "string", "maxLength": 5000},
    },
    "required": ["measure", "round", "districts", "members"],
    "additionalProperties": False,
}
_SCHEMAS["CheckResult"] = _obj(
    {
        "admissible": _BOOL,
        "complete": _BOOL,
        "composition": {"type": "object"},
        "rules_checked": {"type": "array", "items": _STR},
        "findings": {
            "type": "array",
            "items": {
                "type": "object",
                "properties": {
                    "rule_id": _STR,
                    "severity": {"enum": ["error", "warning"]},
                    "message_it": _STR,
                    "message_en": _STR,
                    "paragraph": _STR,
                    "tax_codes": {"type": "array", "items": _STR},
                    "districts": {"type": "array", "items": _STR},
                    "fixes": {"type": "array", "items": {"type": "object"}},
                    "details": {"type": "object"},
                },
                "required": ["rule_id", "severity", "message_it", "message_en", "fixes"],
            },
        },
    }
)
_SCHEMAS["ProposeRequest"] = {
    "type": "object",
    "properties": {
        "text": {"type": "string", "minLength": 1, "maxLength": 5000},
        "for_tax_code": _STR,
        "district": _STR,
        "size": {"type": "integer", "minimum": 1, "maximum": 10},
        "round": {"type": "integer", "minimum": 1, "maximum": 1000},
        "measure": {"type": "integer", "minimum": 1, "maximum": 5},
        "alternatives": {"type": "integer", "minimum": 1, "maximum": 3},
    },
    "required": ["text"],
    "additionalProperties": False,
}
_SCHEMAS["ProposeResponse"] = _obj({"proposals": {"type": "array", "items": {"type": "object"}}})
for _name in ("Comune", "Organisation", "Partnership"):
    _SCHEMAS[f"{_name}Page"] = _page_of(_name)
_SCHEMAS["ThemeList"] = _obj({"items": {"type": "array", "items": _ref("Theme")}})
_SCHEMAS["DistrictList"] = _obj({"items": {"type": "array", "items": _ref("District")}})

_PAGE_PARAMS = [
    {
        "name": "page",
        "in": "query",
        "schema": {"type": "integer", "minimum": 1, "maximum": MAX_PAGE},
    },
    {
        "name": "per_page",
        "in": "query",
        "schema": {"type": "integer", "minimum": 1, "maximum": MAX_PER_PAGE},
    },
]


def _q(name: str, schema: dict[str, Any], description: str) -> dict[str, Any]:
    return {"name": name, "in": "query", "schema": schema, "description": description}


_NETWORK_PARAMS = [
    {
        "name": "round",
        "in": "query",
        "description": "Turni del bando, separati da virgola",
        "schema": {"type": "string", "pattern": "^[1-9][0-9]{0,2}(,[1-9][0-9]{0,2})*$"},
    },
    {
        "name": "measure",
        "in": "query",
        "description": "Misure 1-5, separate da virgola",
        "schema": {"type": "string", "pattern": "^[1-5](,[1-5])*$"},
    },
    {
        "name": "district",
        "in": "query",
        "description": "Codici di distretto",
        "schema": {"type": "string"},
    },
    {"name": "theme", "in": "query", "description": "Codici di tema", "schema": {"type": "string"}},
    {
        "name": "sector",
        "in": "query",
        "description": "Settori",
        "schema": {
            "type": "string",
            "pattern": "^(public|third_sector|market)(,(public|third_sector|market))*$",
        },
    },
    {
        "name": "collaborations",
        "in": "query",
        "description": "0: solo legami da ATS",
        "schema": {"enum": ["0", "1"]},
    },
]


def _csv_of(values: list[str]) -> dict[str, Any]:
    """A comma-separated list of allowed values."""
    one = "(" + "|".join(values) + ")"
    return {"type": "string", "pattern": f"^{one}(,{one})*$"}


def _path(name: str) -> dict[str, Any]:
    return {"name": name, "in": "path", "required": True, "schema": _STR}


def _problem(description: str) -> dict[str, Any]:
    return {
        "description": description,
        "content": {"application/problem+json": {"schema": _ref("Problem")}},
    }


def _get(
    summary: str,
    schema: str,
    params: list | None = None,
    auth: bool = False,
    missing: bool = False,
    optional_auth: bool = False,
) -> dict[str, Any]:
    responses: dict[str, Any] = {
        "200": {"description": "OK", "content": {"application/json": {"schema": _ref(schema)}}},
        "422": _problem("Parametri non validi"),
    }
    if missing:
        responses["404"] = _problem("Non trovato")
    if auth and not optional_auth:
        responses["401"] = _problem("Accesso richiesto")
        responses["403"] = _problem("Ruolo non autorizzato")
    op: dict[str, Any] = {"summary": summary, "parameters": params or [], "responses": responses}
    if auth:
        op["security"] = [{"bearer": []}, {"session": []}]
        if optional_auth:  # anonymous reading is allowed too
            op["security"].insert(0, {})
    return {"get": op}


def _write(
    method: str, summary: str, body: str, params: list | None = None, created: bool = False
) -> dict[str, Any]:
    ok = "201" if created else "200"
    return {
        method: {
            "summary": summary,
            "parameters": params or [],
            "requestBody": {
                "required": True,
                "content": {"application/json": {"schema": _ref(body)}},
            },
            "responses": {
                ok: {
                    "description": "OK",
                    "content": {"application/json": {"schema": _ref("Organisation")}},
                },
                "401": _problem("Accesso richiesto"),
                "403": _problem("Ruolo non autorizzato"),
                "404": _problem("Non trovato"),
                "409": _problem("Modifica in conflitto (versione superata)"),
                "422": _problem("Dati non validi: ogni campo errato è elencato in errors"),
            },
            "security": [{"bearer": []}, {"session": []}],
        }
    }


def _post(summary: str, body: str, result: str, conflict: bool = False) -> dict[str, Any]:
    responses = {
        "200": {"description": "OK", "content": {"application/json": {"schema": _ref(result)}}},
        "401": _problem("Accesso richiesto"),
        "403": _problem("Ruolo non autorizzato"),
        "422": _problem("Richiesta non valida"),
    }
    if conflict:
        responses["409"] = _problem("Nessuna proposta possibile")
    return {
        "post": {
            "summary": summary,
            "requestBody": {
                "required": True,
                "content": {"application/json": {"schema": _ref(body)}},
            },
            "responses": responses,
            "security": [{"bearer": []}, {"session": []}],
        }
    }


def openapi_document(public_directory: bool = False) -> dict[str, Any]:
    """The API described as OpenAPI 3.1; ``public_directory`` makes the directory public."""
    multi = {"type": "string"}
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "matchmaker API",
            "version": __version__,
            "description": "Profili degli enti, ATS e geografia del Piemonte (WeCaRe). "
            "Autenticazione per script: header `Authorization: Bearer <token>` "
            "(`matchmaker tokens create --user EMAIL`). Errori: application/problem+json.",
        },
        "servers": [{"url": "/api/v1"}],
        "paths": {
            "/themes": _get("Tassonomia dei temi", "ThemeList"),
            "/comuni": _get(
                "Comuni del Piemonte",
                "ComunePage",
                [
                    *_PAGE_PARAMS,
                    _q("province", _STR, "Sigla della provincia (TO, CN...)"),
                    _q("q", _STR, "Inizio del nome"),
                ],
            ),
            "/districts": _get("Distretti della Coesione Sociale", "DistrictList"),
            "/districts/{code}": _get("Un distretto", "District", [_path("code")], missing=True),
            "/organisations": _write(
                "post", "Crea un profilo (facilitatori)", "OrganisationCreate", created=True
            )
            | _get(
                "Elenco degli enti",
                "OrganisationPage",
                [
                    *_PAGE_PARAMS,
                    _q("q", _STR, "Parole nel nome o nella descrizione, o un codice fiscale"),
                    _q("kind", _csv_of([k.value for k in OrgKind]), "Tipi separati da virgola"),
                    _q("sector", _csv_of([x.value for x in Sector]), "Settori separati da virgola"),
                    _q("district", multi, "Codici di distretto separati da virgola"),
                    _q("province", multi, "Sigle di provincia separate da virgola"),
                    _q("theme", multi, "Codici di tema separati da virgola"),
                    _q(
                        "runts_section",
                        _csv_of([r.value for r in RuntsSection]),
                        "Sezioni RUNTS separate da virgola",
                    ),
                    _q(
                        "sort",
                        {"enum": ["name", "-name", "created", "-created", "kind"]},
                        "Ordinamento",
                    ),
                ],
                auth=True,
                optional_auth=public_directory,
            ),
            "/organisations/{tax_code}": _get(
                "Un ente",
                "Organisation",
                [_path("tax_code")],
                auth=True,
                missing=True,
                optional_auth=public_directory,
            )
            | _write(
                "patch",
                "Modifica un profilo (serve la versione letta)",
                "OrganisationUpdate",
                [_path("tax_code")],
            ),
            "/match": {
                "post": {
                    "summary": "Suggerimenti di partner per un bisogno, con spiegazioni",
                    "requestBody": {
                        "required": True,
                        "content": {"application/json": {"schema": _ref("MatchRequest")}},
                    },
                    "responses": {
                        "200": {
                            "description": "OK",
                            "content": {"application/json": {"schema": _ref("MatchResponse")}},
                        },
                        "401": _problem("Accesso richiesto"),
                        "403": _problem("Ruolo non autorizzato"),
                        "422": _problem("Richiesta non valida"),
                    },
                    "security": [{"bearer": []}, {"session": []}],
                }
            },
            "/ats/check": _post(
                "Verifica di una composizione di ATS con le regole del bando e le correzioni",
                "AtsCheckRequest",
                "CheckResult",
            ),
            "/ats/propose": _post(
                "Proposta di squadre complete e ammissibili",
                "ProposeRequest",
                "ProposeResponse",
                conflict=True,
            ),
            "/network/metrics": {
                "get": {
                    "summary": "Misure della rete di collaborazione (per i ricercatori con "
                    "pseudonimi al posto dei codici fiscali)",
                    "parameters": _NETWORK_PARAMS,
                    "responses": {
                        "200": {
                            "description": "OK",
                            "content": {
                                "application/json": {
                                    "schema": {"type": "object", "required": ["summary", "nodes"]}
                                }
                            },
                        },
                        "401": _problem("Accesso richiesto"),
                        "403": _problem("Ruolo non autorizzato"),
                        "404": _problem("Nessun ente con questi filtri"),
                        "422": _problem("Filtri non validi"),
                    },
                    "security": [{"bearer": []}, {"session": []}],
                }
            },
            "/network/export": {
                "get": {
                    "summary": "Esportazione della rete (GraphML, GEXF, JSON, CSV); "
                    "pseudonimizzata per i ricercatori",
                    "parameters": [
                        _q("format", {"enum": ["graphml", "gexf", "json", "csv"]}, "Formato"),
                        _q("pseudonymise", {"enum": ["0", "1"]}, "Pseudonimi (1)"),
                        *_NETWORK_PARAMS,
                    ],
                    "responses": {
                        "200": {
                            "description": "Il file",
                            "content": {
                                "application/graphml+xml": {"schema": {"type": "string"}},
                                "application/gexf+xml": {"schema": {"type": "string"}},
                                "application/json": {"schema": {"type": "object"}},
                                "application/zip": {
                                    "schema": {"type": "string", "format": "binary"}
                                },
                            },
                        },
                        "401": _problem("Accesso richiesto"),
                        "403": _problem("Ruolo non autorizzato"),
                        "404": _problem("Nessun ente con questi filtri"),
                        "422": _problem("Filtri non validi"),
                    },
                    "security": [{"bearer": []}, {"session": []}],
                }
            },
            "/partnerships": _get(
                "Elenco delle ATS",
                "PartnershipPage",
                [
                    *_PAGE_PARAMS,
                    _q("measure", {"type": "integer", "minimum": 1, "maximum": 5}, "Misura 1-5"),
                    _q(
                        "round",
                        {"type": "integer", "minimum": 1, "maximum": 1000},
                        "Turno del bando",
                    ),
                    _q("status", {"enum": [s.value for s in PartnershipStatus]}, "Stato"),
                    _q("district", _STR, "Codice di distretto"),
                    _q("member", _STR, "Codice fiscale di un membro"),
                ],
                auth=True,
            ),
            "/partnerships/{code}": _get(
                "Una ATS", "Partnership", [_path("code")], auth=True, missing=True
            ),
        },
        "components": {
            "schemas": _SCHEMAS,
            "securitySchemes": {
                "bearer": {"type": "http", "scheme": "bearer"},
                "session": {"type": "apiKey", "in": "cookie", "name": "session"},
            },
        },
    }


@bp.get("/openapi.json")
def openapi():
    """The OpenAPI document."""
    return jsonify(openapi_document(_public()))


@bp.get("/docs")
def docs():
    """A readable page of the API."""
    return render_template("api/docs.html", spec=openapi_document(_public()))


def _public() -> bool:
    return current_app.extensions["matchmaker"].settings.public_directory
