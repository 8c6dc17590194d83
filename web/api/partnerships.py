"""ATS through the API: lists and records over :mod:`matchmaker.registry`, every write over
:class:`~matchmaker.rules.draft_service.DraftService` (the builder's own path)."""

from __future__ import annotations

from flask import jsonify, url_for

from matchmaker import registry
from matchmaker.contract import DraftIn, DraftUpdate, MemberAdd, StatusChangeIn
from matchmaker.contract.queries import MemberRemoveQuery, PartnershipsQuery
from matchmaker.rules.drafts import Draft
from web import db_session
from web.api import body, bp, page_response, query
from web.api.spec import operation
from web.engines import draft_service, viewer

__all__: list[str] = []


def _stored(code: str, status: int = 200):
    found = registry.get_partnership(db_session(), code, fresh=True)
    response = jsonify(registry.partnership_dict(found))
    response.status_code = status
    return response


@bp.get("/partnerships")
@operation("Elenco delle ATS", response="PartnershipPage", query=PartnershipsQuery)
def partnerships():
    """ATS with their members."""
    q = query(PartnershipsQuery)
    result = registry.list_partnerships(
        db_session(),
        measure=q.measure,
        call_round=q.round,
        status=q.status,
        district=q.district or None,
        member=q.member or None,
        page=q.page,
        per_page=q.per_page,
    )
    return page_response(result.map(registry.partnership_dict))


@bp.get("/partnerships/<code>")
@operation("Una ATS", response="Partnership", errors=(404,))
def partnership(code: str):
    """One ATS with its members."""
    return jsonify(registry.partnership_dict(registry.get_partnership(db_session(), code)))


@bp.post("/partnerships")
@operation(
    "Crea un'ATS in bozza (un account ente deve esserne membro)",
    response="Partnership",
    status=201,
    body=DraftIn,
)
def create_partnership():
    """A new draft ATS, written as the builder writes it."""
    me = viewer()
    code = draft_service().create(Draft.from_input(body(DraftIn)), actor=me.actor, viewer=me)
    response = _stored(code, 201)
    response.headers["Location"] = url_for("api.partnership", code=code)
    return response


@bp.put("/partnerships/<code>")
@operation(
    "Riscrive un'ATS (titolo, descrizione, misura, round, distretti, membri); serve la "
    "versione letta",
    response="Partnership",
    body=DraftUpdate,
    errors=(404, 409, 422),
)
def update_partnership(code: str):
    """Rewrite a stored ATS whole, if nobody changed it since ``version``."""
    data = body(DraftUpdate)
    me = viewer()
    draft_service().save(
        code, Draft.from_input(data), expected_version=data.version, actor=me.actor, viewer=me
    )
    return _stored(code)


@bp.post("/partnerships/<code>/members")
@operation(
    "Aggiunge un ente a un'ATS in bozza",
    response="Partnership",
    body=MemberAdd,
    errors=(404, 409, 422),
)
def add_partnership_member(code: str):
    """One more member of a draft ATS."""
    data = body(MemberAdd)
    me = viewer()
    draft_service().add_member(
        code,
        data.tax_code,
        data.role,
        actor=me.actor,
        viewer=me,
        expected_version=data.version,
    )
    return _stored(code)


@bp.delete("/partnerships/<code>/members/<tax_code>")
@operation(
    "Toglie un ente da un'ATS in bozza",
    response="Partnership",
    query=MemberRemoveQuery,
    errors=(404, 409, 422),
)
def remove_partnership_member(code: str, tax_code: str):
    """One member less (with ``version``: only if nobody changed the ATS since)."""
    q = query(MemberRemoveQuery)
    me = viewer()
    draft_service().remove_member(
        code, tax_code, actor=me.actor, viewer=me, expected_version=q.version
    )
    return _stored(code)


@bp.post("/partnerships/<code>/status")
@operation(
    "Cambia lo stato di un'ATS (presentazione, ammissione, finanziamento...)",
    response="StatusChange",
    body=StatusChangeIn,
    errors=(404, 409, 422),
)
def partnership_status(code: str):
    """Move an ATS through its life cycle (a submission re-checks its composition)."""
    data = body(StatusChangeIn)
    me = viewer()
    change = draft_service().transition(
        code, data.status, actor=me.actor, note=data.note, viewer=me
    )
    return jsonify(
        {
            "code": code,
            "from_status": change.from_status.value,
            "to_status": change.to_status.value,
            "at": change.at.isoformat(),
            "actor": change.actor,
            "note": change.note,
            "admissible": change.admissible,
        }
    )
