"""The ATS pages: the list, the builder (new and stored), status changes, add to a draft."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user

from matchmaker.contract import ContractError
from matchmaker.contract.limits import NOTE_MAX
from matchmaker.domain import (
    STATUS_LABELS,
    DomainError,
    MemberRole,
    PartnershipStatus,
)
from matchmaker.registry import (
    NotFound,
    district_choices,
    districts_of_enti_gestori,
    list_partnerships,
    organisation_labels,
    partnership_rounds,
    tax_code_of,
)
from matchmaker.rules import TransitionRefused
from matchmaker.rules.access import editable_by, next_statuses
from matchmaker.rules.drafts import AlreadyMember, Draft, DraftRefused, StaleDraft
from web import db_session
from web.engines import draft_service, viewer
from web.errors import error_response
from web.views.ats import bp
from web.views.ats.builder import builder_page, check_view, form_errors
from web.views.ats.form import BuilderState, read_form

__all__ = ["draft_choices"]

PER_PAGE = 50
_SHORTLIST_KEY = "shortlist"  # the Trova partner shortlist (web/views/partners.py)


def _refused() -> str:
    return _("Il suo account può modificare solo le ATS in bozza di cui il suo ente fa parte.")


def draft_choices(district: str | None = None) -> list[tuple[str, str]]:
    """(code, label) of the draft ATS the signed-in user may add members to."""
    return draft_service().visible_drafts(db_session(), viewer(), district)


@bp.get("/ats")
def index():
    """The ATS, newest round first, filtered by district, status and round."""
    district = request.args.get("distretto", "")
    status = request.args.get("stato", "")
    raw_round = request.args.get("round", "")
    errors = []
    if status and status not in {s.value for s in PartnershipStatus}:
        errors.append(_("Stato sconosciuto: filtro ignorato."))
        status = ""
    call_round = None
    if raw_round:
        try:
            call_round = int(raw_round)
        except ValueError:
            errors.append(_("Round: indicare un numero intero (filtro ignorato)."))
    try:
        page = max(1, min(int(request.args.get("pagina", "1")), 1000))
    except ValueError:
        page = 1
    result = list_partnerships(
        db_session(),
        call_round=call_round,
        status=status or None,
        district=district or None,
        page=page,
        per_page=PER_PAGE,
    )
    own_org = getattr(current_user, "organisation_id", None)
    rows = []
    for p in result.items:
        lead = next((m.organisation for m in p.members if m.role == MemberRole.CAPOFILA), None)
        rows.append(
            {
                "code": p.code,
                "title": p.title,
                "round": p.call_round,
                "measure": p.measure,
                "status": p.status.value,
                "status_label": _(STATUS_LABELS[p.status]),
                "districts": [d.name for d in p.districts],
                "lead": lead.name if lead else None,
                "members": len(p.members),
                "mine": own_org is not None and own_org in {m.organisation_id for m in p.members},
            }
        )
    me = viewer()
    return render_template(
        "ats/index.html",
        rows=rows,
        total=result.total,
        page=result.page,
        pages=result.pages,
        args={k: v for k, v in request.args.items() if k != "pagina"},
        districts=district_choices(db_session()),
        statuses=[(s.value, _(STATUS_LABELS[s])) for s in PartnershipStatus],
        rounds=partnership_rounds(db_session()),
        selected={"distretto": district, "stato": status, "round": raw_round},
        errors=errors,
        can_create=me.is_staff or me.is_ente,
    )


def _new_state() -> BuilderState:
    """A new draft: the open round, the user's own organisation and the shortlist."""
    me = viewer()
    state = BuilderState(call_round=draft_service().next_round())
    codes: list[str] = []
    own = tax_code_of(db_session(), me.organisation_id) if me.is_ente else None
    if own:
        codes.append(own)
    if request.args.get("lista"):
        for item in session.get(_SHORTLIST_KEY, []):
            if isinstance(item, dict) and isinstance(item.get("tax_code"), str):
                codes.append(item["tax_code"])
    known = organisation_labels(db_session(), codes)
    state.members = [(c, MemberRole.MANDANTE.value) for c in dict.fromkeys(codes) if c in known]
    # the Enti Gestori present suggest the districts
    state.districts = districts_of_enti_gestori(db_session(), [c for c, _r in state.members])
    return state


@bp.route("/ats/nuova", methods=["GET", "POST"])
def new():
    """Compose a new ATS; saving creates it as a draft (bozza)."""
    if request.method == "GET":
        state = _new_state()
        return builder_page(state, check=check_view(state, None))
    state, draft, errors = read_form(request.form)
    me = viewer()
    errors += draft_service().problems(state.draft(), me, creating=True)
    if errors or request.form.get("azione") == "verifica":
        messages = form_errors(state, errors)
        return builder_page(
            state, errors=messages, check=check_view(state, None), status=400 if errors else 200
        )
    try:
        code = draft_service().create(draft, actor=me.actor, viewer=me)
    except ContractError as exc:
        return builder_page(
            state, errors=form_errors(state, exc.errors), check=check_view(state, None), status=400
        )
    flash(
        _("ATS «%(title)s» salvata in bozza (codice %(code)s).", title=draft.title, code=code), "ok"
    )
    return redirect(url_for("ats.edit", code=code))


def _load(code: str):
    try:
        return draft_service().load(db_session(), code)
    except NotFound:
        return None


def _stale() -> str:
    return _(
        "L'ATS è stata modificata da un'altra persona mentre lei la componeva: ricarichi la "
        "pagina per vedere la versione attuale (le sue modifiche non sono state salvate)."
    )


@bp.route("/ats/<code>", methods=["GET", "POST"])
def edit(code: str):
    """The builder for a stored ATS (read-only for who may not edit it)."""
    ats = _load(code)
    if ats is None:
        return error_response(404, _("Nessuna ATS con codice %(code)s.", code=code))
    if request.method == "GET":
        state = BuilderState.of(draft_service().draft_of(ats), ats.version)
        return builder_page(state, ats=ats, check=check_view(state, ats.code))
    me = viewer()
    if not editable_by(me, ats):
        return error_response(403, _refused())
    state, draft, errors = read_form(request.form)
    errors += draft_service().problems(state.draft(), me, creating=False)
    messages = form_errors(state, errors)
    if state.version is None:
        messages.setdefault("version", []).append(_("Versione mancante: ricaricare la pagina."))
    elif state.version != ats.version:
        messages.setdefault("version", []).append(_stale())
    if messages or request.form.get("azione") == "verifica":
        status = (409 if "version" in messages else 400) if messages else 200
        return builder_page(
            state, ats=ats, errors=messages, check=check_view(state, ats.code), status=status
        )
    try:
        draft_service().save(code, draft, expected_version=state.version, actor=me.actor, viewer=me)
    except StaleDraft:
        messages = {
            "version": [_("L'ATS è stata modificata da un'altra persona: ricarichi la pagina.")]
        }
        return builder_page(state, ats=_load(code), errors=messages, status=409)
    except ContractError as exc:
        return builder_page(state, ats=ats, errors=form_errors(state, exc.errors), status=400)
    flash(_("Modifiche salvate."), "ok")
    return redirect(url_for("ats.edit", code=code))


@bp.post("/ats/<code>/stato")
def transition(code: str):
    """Move the ATS to another status (only legal transitions; submissions re-checked)."""
    ats = _load(code)
    if ats is None:
        return error_response(404, _("Nessuna ATS con codice %(code)s.", code=code))
    target = request.form.get("stato", "")
    note = (request.form.get("nota") or "").strip()
    if len(note) > NOTE_MAX:
        flash(_("Nota: al massimo %(n)s caratteri.", n=NOTE_MAX), "errore")
        return redirect(url_for("ats.edit", code=code))
    me = viewer()
    if not me.is_staff and not editable_by(me, ats):
        return error_response(403, _("Il suo account non può cambiare lo stato di questa ATS."))
    if target not in {s.value for s in next_statuses(me, ats)}:
        current = _(STATUS_LABELS[PartnershipStatus(ats.status)])
        flash(_("Passaggio di stato non consentito da «%(da)s».", da=current), "errore")
        return redirect(url_for("ats.edit", code=code)), 303
    label = _(STATUS_LABELS[PartnershipStatus(target)])
    try:
        draft_service().transition(code, target, actor=me.actor, note=note, viewer=me)
    except TransitionRefused as exc:
        if exc.result is not None:
            rules = ", ".join(exc.result.rule_ids("error"))
            flash(
                _(
                    "Impossibile passare a «%(a)s»: la composizione non rispetta le regole "
                    "(%(regole)s).",
                    a=label,
                    regole=rules,
                ),
                "errore",
            )
        else:
            flash(str(exc), "errore")
        return redirect(url_for("ats.edit", code=code)), 303
    flash(_("Stato cambiato in «%(a)s».", a=label), "ok")
    return redirect(url_for("ats.edit", code=code)), 303


def _back() -> str:
    back = request.form.get("next") or ""
    target = back if back.startswith(("/trova-partner", "/ats")) and "//" not in back else None
    return target or url_for("partners.search")


@bp.post("/ats/aggiungi-membro")
def add_member():
    """From Trova partner: add one organisation to a draft ATS (server-checked)."""
    code = (request.form.get("ats") or "").strip()
    tax_code = request.form.get("tax_code") or ""
    target = _back()
    if not code:
        flash(_("Scegliere un'ATS in bozza a cui aggiungere l'ente."), "errore")
        return redirect(target)
    me = viewer()
    try:
        name, title = draft_service().add_member(code, tax_code, actor=me.actor, viewer=me)
    except DraftRefused:
        return error_response(403, _refused())
    except NotFound as exc:
        if exc.field == "code":
            flash(_("Nessuna ATS con codice %(code)s.", code=code), "errore")
        else:
            flash(_("Nessun ente con codice fiscale %(code)s.", code=exc.value or "–"), "errore")
        return redirect(target)
    except AlreadyMember as exc:
        flash(
            _("«%(name)s» fa già parte dell'ATS «%(title)s».", name=exc.name, title=exc.title),
            "info",
        )
        return redirect(target)
    except StaleDraft:
        flash(_("L'ATS è stata modificata nel frattempo: riprovare."), "errore")
        return redirect(target)
    except DomainError as exc:
        if exc.kind == "state":
            ats = _load(code)
            flash(
                _(
                    "L'ATS «%(title)s» non è in bozza: non si possono aggiungere membri da qui.",
                    title=ats.title if ats else code,
                ),
                "errore",
            )
        else:
            flash(str(exc), "errore")
        return redirect(target)
    result = draft_service().check_view(_stored_draft(code), code=code)
    if result["admissible"]:
        outcome = _("la composizione ora è ammissibile.")
    else:
        rules = ", ".join(f["rule_id"] for f in result["findings"] if f["severity"] == "error")
        outcome = _("regole ancora da soddisfare: %(regole)s.", regole=rules)
    flash(
        _(
            "«%(name)s» aggiunto all'ATS «%(title)s»: %(esito)s",
            name=name,
            title=title,
            esito=outcome,
        ),
        "ok",
    )
    return redirect(target)


def _stored_draft(code: str) -> Draft:
    return draft_service().draft_of(draft_service().load(db_session(), code))
