"""API operations over the library's engines: partner suggestions, ATS checks, proposals."""

from __future__ import annotations

from flask import jsonify

from matchmaker.contract import AtsCheckRequest, MatchRequest, ProposeRequest, given
from matchmaker.domain import DomainError
from matchmaker.matching import MatchQuery
from matchmaker.rules.model import composition_from
from web.api import body, bp
from web.api.spec import operation
from web.engines import ats_service, match_engine

__all__: list[str] = []

#: fields whose unknown value the engine refuses: names of records that do not exist
_REFERENCES = ("for_tax_code", "districts", "themes")


@bp.post("/match")
@operation(
    "Suggerimenti di partner per un bisogno, con spiegazioni",
    response="MatchResponse",
    body=MatchRequest,
)
def match():
    """Ranked, explained partner suggestions for a need."""
    values = given(body(MatchRequest))
    query = MatchQuery(**{k: tuple(v) if isinstance(v, list) else v for k, v in values.items()})
    try:
        results = match_engine().search(query)
    except ValueError as exc:
        field, _sep, rest = str(exc).partition(":")
        kind = "reference" if field in _REFERENCES else "invalid"
        english = {
            "for_tax_code": "no organisation with this tax code",
            "districts": "unknown district, or a district without comuni",
            "themes": "unknown theme",
        }.get(field)
        value = rest.rsplit(" ", 1)[-1].strip() if english else ""
        en = f"{field}: {english} ({value})" if english else str(exc)
        raise DomainError(str(exc), field=field, kind=kind, value=value, en=en) from None
    return jsonify({"results": [r.to_dict() for r in results]})


@bp.post("/ats/check")
@operation(
    "Verifica di una composizione di ATS con le regole del bando e le correzioni",
    response="CheckResult",
    body=AtsCheckRequest,
)
def ats_check():
    """Check an ATS composition against the call's rules, with fixes."""
    data = body(AtsCheckRequest)
    result = ats_service().check(composition_from(data), fixes=data.fixes, need=data.need)
    return jsonify(result.as_dict())


@bp.post("/ats/propose")
@operation(
    "Proposta di squadre complete e ammissibili",
    response="ProposeResponse",
    body=ProposeRequest,
    errors=(409, 422),
)
def ats_propose():
    """Propose complete admissible ATS for an Ente Gestore or a district and a need."""
    data = body(ProposeRequest)
    proposals = ats_service().propose(
        data.text,
        for_tax_code=data.for_tax_code,
        district=data.district,
        size=data.size,
        call_round=data.call_round,
        measure=data.measure,
        alternatives=data.alternatives,
    )
    return jsonify({"proposals": [p.as_dict() for p in proposals]})
