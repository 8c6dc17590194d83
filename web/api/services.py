"""API operations over the library's engines: matching (and, later, rules and network)."""

from __future__ import annotations

from typing import Any

from flask import jsonify, request

from matchmaker.domain import DomainError, OrgKind
from matchmaker.matching import MatchQuery
from matchmaker.rules import ProposalImpossible
from web.api import bp, problem
from web.engines import ats_service, match_engine

_MATCH_FIELDS = {
    "text": str,
    "for_tax_code": str,
    "districts": list,
    "kinds": list,
    "top_k": int,
    "territory": str,
    "radius_km": (int, float),
    "exclude_tax_codes": list,
    "call_round": int,
    "measure": int,
    "exclude_at_capacity": bool,
    "prefer_newcomers": bool,
    "themes": list,
}


def _match_query(data: Any) -> MatchQuery:
    if not isinstance(data, dict):
        raise DomainError("il corpo della richiesta deve essere un oggetto JSON", field="body")
    values: dict[str, Any] = {}
    for key, value in data.items():
        kind = _MATCH_FIELDS.get(key)
        if kind is None:
            raise DomainError(f"campo sconosciuto: {key}", field=key)
        if value is None:
            continue
        ok = isinstance(value, kind) and not (kind is not bool and isinstance(value, bool))
        if kind is list:
            ok = ok and all(isinstance(v, str) for v in value)
        if not ok:
            raise DomainError(f"{key}: tipo di valore non ammesso", field=key)
        values[key] = tuple(value) if kind is list else value
    if len(values.get("text", "")) > 5000:
        raise DomainError("text: al massimo 5000 caratteri", field="text")
    if not 1 <= values.get("top_k", 10) <= 100:
        raise DomainError("top_k deve essere tra 1 e 100", field="top_k")
    if "measure" in values and not 1 <= values["measure"] <= 5:
        raise DomainError("measure deve essere tra 1 e 5", field="measure")
    if "call_round" in values and not 1 <= values["call_round"] <= 1000:
        raise DomainError("call_round deve essere tra 1 e 1000", field="call_round")
    kinds = {k.value for k in OrgKind}
    for k in values.get("kinds", ()):
        if k not in kinds:
            raise DomainError(f"kinds: tipo sconosciuto {k!r}", field="kinds")
    if not (values.get("text", "").strip() or values.get("for_tax_code") or values.get("themes")):
        raise DomainError(
            "indicare il bisogno (text), un ente (for_tax_code) o dei temi", field="text"
        )
    try:
        return MatchQuery(**values)
    except ValueError as exc:
        raise DomainError(str(exc), field=str(exc).split(":")[0]) from None


@bp.post("/match")
def match():
    """Ranked, explained partner suggestions for a need."""
    query = _match_query(request.get_json(silent=True))
    try:
        results = match_engine().search(query)
    except ValueError as exc:
        raise DomainError(str(exc), field="for_tax_code") from None
    return jsonify({"results": [r.to_dict() for r in results]})


@bp.post("/ats/check")
def ats_check():
    """Check an ATS composition against the call's rules, with fixes."""
    data = request.get_json(silent=True)
    if not isinstance(data, dict):
        raise DomainError("il corpo della richiesta deve essere un oggetto JSON", field="body")
    data = dict(data)
    fixes = data.pop("fixes", True)
    need = data.pop("need", "")
    if not isinstance(fixes, bool) or not isinstance(need, str) or len(need) > 5000:
        raise DomainError("fixes (vero/falso) o need (testo) non validi", field="fixes")
    result = ats_service().check(data, fixes=fixes, need=need)
    return jsonify(result.as_dict())


@bp.post("/ats/propose")
def ats_propose():
    """Propose complete admissible ATS for an Ente Gestore or a district and a need."""
    data = request.get_json(silent=True)
    if not isinstance(data, dict):
        raise DomainError("il corpo della richiesta deve essere un oggetto JSON", field="body")
    allowed = {
        "text": str,
        "for_tax_code": str,
        "district": str,
        "size": int,
        "round": int,
        "measure": int,
        "alternatives": int,
    }
    for key, value in data.items():
        if key not in allowed:
            raise DomainError(f"campo sconosciuto: {key}", field=key)
        if not isinstance(value, allowed[key]) or isinstance(value, bool):
            raise DomainError(f"{key}: tipo di valore non ammesso", field=key)
    limits = {"size": (1, 10), "round": (1, 1000), "measure": (1, 5), "alternatives": (1, 3)}
    for key, (low, high) in limits.items():
        if key in data and not low <= data[key] <= high:
            raise DomainError(f"{key} deve essere tra {low} e {high}", field=key)
    if not data.get("text", "").strip() or len(data["text"]) > 5000:
        raise DomainError("text: descrivere il bisogno (al massimo 5000 caratteri)", field="text")
    if not (data.get("for_tax_code") or data.get("district")):
        raise DomainError(
            "indicare for_tax_code (un Ente Gestore) o district", field="for_tax_code"
        )
    try:
        proposals = ats_service().propose(
            data["text"],
            for_tax_code=data.get("for_tax_code"),
            district=data.get("district"),
            size=data.get("size", 3),
            call_round=data.get("round"),
            measure=data.get("measure", 1),
            alternatives=data.get("alternatives", 3),
        )
    except ProposalImpossible as exc:
        return problem(
            409,
            "Proposta impossibile",
            str(exc),
            [{"field": exc.field or "for_tax_code", "message": str(exc)}],
        )
    return jsonify({"proposals": [p.as_dict() for p in proposals]})
