"""ATS builder: compose and edit a partnership, with the call's rules checked live.

Pages: the list of ATS (``/ats``), the builder (``/ats/nuova``, ``/ats/<code>``), status
changes (``/ats/<code>/stato``) and "add to a draft ATS" from Trova partner. Small JSON
endpoints serve the builder's script: the live rule check, the organisation search and
the team proposal. Every save is validated again here: the script is only a convenience.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from typing import Any

import sqlalchemy as sa
from flask import (
    Blueprint,
    flash,
    jsonify,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy.orm import selectinload
from sqlalchemy.orm.exc import StaleDataError

from matchmaker.domain import (
    KIND_LABELS,
    STATUS_LABELS,
    DomainError,
    MemberRole,
    OrgKind,
    PartnershipStatus,
    Role,
    normalise_tax_code,
)
from matchmaker.registry import OrganisationFilter, list_organisations, list_partnerships
from matchmaker.rules import SUBMISSIONS, TRANSITIONS, ProposalImpossible, TransitionRefused
from matchmaker.rules.model import CheckResult
from matchmaker.storage import District, Organisation, Partnership, PartnershipMember
from matchmaker.storage.models import utcnow
from web import db_session
from web.engines import ats_service
from web.errors import error_response

__all__ = ["bp", "draft_choices", "editable_by"]

bp = Blueprint("ats", __name__)

PER_PAGE = 50
_TITLE_MAX = 300
_DESCRIPTION_MAX = 5000
_MEMBERS_MAX = 60
_STAFF = (Role.ADMIN, Role.FACILITATORE)
_SHORTLIST_KEY = "shortlist"  # the Trova partner shortlist (web/views/partners.py)


# --- who may do what ---------------------------------------------------------------------


def _is_staff() -> bool:
    return getattr(current_user, "role", None) in _STAFF


def _member_ids(ats: Partnership) -> set[int]:
    return {m.organisation_id for m in ats.members}


def editable_by(user: Any, ats: Partnership) -> bool:
    """Staff edit any ATS; an ``ente`` account only a draft its organisation is in."""
    role = getattr(user, "role", None)
    if role in _STAFF:
        return True
    return (
        role == Role.ENTE
        and ats.status == PartnershipStatus.BOZZA
        and getattr(user, "organisation_id", None) in _member_ids(ats)
    )


def _allowed_transitions(ats: Partnership) -> list[PartnershipStatus]:
    """The next statuses the current user may choose (legal ones only)."""
    current = PartnershipStatus(ats.status)
    nexts = list(TRANSITIONS[current])
    if _is_staff():
        return nexts
    if editable_by(current_user, ats):  # an ente submits its own draft, the Region decides
        return [s for s in nexts if s in SUBMISSIONS]
    return []


def draft_choices(user: Any, district: str | None = None) -> list[tuple[str, str]]:
    """(code, label) of the draft ATS ``user`` may add members to, newest first.

    With ``district``, the drafts that cover it come first (the likely choice).
    """
    role = getattr(user, "role", None)
    if role not in (*_STAFF, Role.ENTE):
        return []
    query = (
        sa.select(Partnership.code, Partnership.title)
        .where(Partnership.status == PartnershipStatus.BOZZA)
        .order_by(Partnership.id.desc())
    )
    if role == Role.ENTE:
        org_id = getattr(user, "organisation_id", None)
        if org_id is None:
            return []
        query = query.where(Partnership.members.any(PartnershipMember.organisation_id == org_id))
    if district:
        covers = Partnership.districts.any(District.code == district)
        query = query.order_by(None).order_by(sa.case((covers, 0), else_=1), Partnership.id.desc())
    return [(code, f"{title} ({code})") for code, title in db_session().execute(query)]


# --- reading the builder's form --------------------------------------------------------


@dataclasses.dataclass
class Draft:
    """What the builder's form says (validated by :func:`_read_form`)."""

    title: str = ""
    description: str = ""
    measure: int = 1
    call_round: int = 1
    districts: list[str] = dataclasses.field(default_factory=list)
    members: list[tuple[str, str]] = dataclasses.field(default_factory=list)  # (tax code, role)
    version: int | None = None

    def composition(self, code: str | None = None) -> dict[str, Any]:
        out: dict[str, Any] = {
            "measure": self.measure,
            "round": self.call_round,
            "districts": list(self.districts),
            "members": [{"tax_code": t, "role": r} for t, r in self.members],
        }
        if code:
            out["code"] = code
        return out


def _int(raw: str | None, field: str, label: str, lo: int, hi: int, errors: dict) -> int | None:
    try:
        value = int((raw or "").strip())
    except ValueError:
        errors.setdefault(field, []).append(_("%(campo)s: indicare un numero intero.", campo=label))
        return None
    if not lo <= value <= hi:
        errors.setdefault(field, []).append(
            _("%(campo)s: deve essere tra %(lo)s e %(hi)s.", campo=label, lo=lo, hi=hi)
        )
        return None
    return value


def _read_form(form) -> tuple[Draft, dict[str, list[str]]]:
    """The draft in the form and the errors, field by field (nothing is written here)."""
    errors: dict[str, list[str]] = {}
    draft = Draft()
    draft.title = (form.get("title") or "").strip()
    if not draft.title:
        errors.setdefault("title", []).append(_("Titolo: indicare il titolo del progetto."))
    elif len(draft.title) > _TITLE_MAX:
        errors.setdefault("title", []).append(
            _("Titolo: al massimo %(n)s caratteri.", n=_TITLE_MAX)
        )
    draft.description = (form.get("description") or "").strip()
    if len(draft.description) > _DESCRIPTION_MAX:
        errors.setdefault("description", []).append(
            _("Descrizione: al massimo %(n)s caratteri.", n=_DESCRIPTION_MAX)
        )
    draft.measure = _int(form.get("measure", "1"), "measure", _("Misura"), 1, 5, errors) or 1
    draft.call_round = (
        _int(form.get("call_round"), "call_round", _("Round del bando"), 1, 1000, errors) or 1
    )
    session_db = db_session()
    known = dict(session_db.execute(sa.select(District.code, District.name)).all())
    for code in form.getlist("districts"):
        if code not in known:
            errors.setdefault("districts", []).append(
                _("Distretti: codice %(code)s sconosciuto.", code=code)
            )
        elif code not in draft.districts:
            draft.districts.append(code)
    removed = set(form.getlist("remove"))
    codes: list[str] = []
    for raw in form.getlist("member"):
        code = normalise_tax_code(raw or "")
        if code and code not in codes and code not in removed:
            codes.append(code)
    extra = normalise_tax_code(form.get("add_tax_code") or "")
    if extra and extra not in codes:
        codes.append(extra)
    if len(codes) > _MEMBERS_MAX:
        errors.setdefault("members", []).append(_("Membri: al massimo %(n)s enti.", n=_MEMBERS_MAX))
        codes = codes[:_MEMBERS_MAX]
    found = dict(
        session_db.execute(
            sa.select(Organisation.tax_code, Organisation.name).where(
                Organisation.tax_code.in_(codes)
            )
        ).all()
    )
    for code in codes:
        if code not in found:
            field = "add_tax_code" if code == extra else "members"
            errors.setdefault(field, []).append(
                _("Membri: nessun ente con codice fiscale %(code)s.", code=code)
            )
            continue
        role = form.get(f"role_{code}", MemberRole.MANDANTE.value)
        if role not in {r.value for r in MemberRole}:
            errors.setdefault("members", []).append(
                _("Membri: ruolo non valido per %(name)s.", name=found[code])
            )
            role = MemberRole.MANDANTE.value
        draft.members.append((code, role))
    leads = [found[c] for c, r in draft.members if r == MemberRole.CAPOFILA.value]
    if len(leads) > 1:
        errors.setdefault("members", []).append(
            _(
                "Membri: un solo capofila per ATS (ora sono %(n)s: %(names)s).",
                n=len(leads),
                names="; ".join(leads),
            )
        )
    raw_version = form.get("version")
    if raw_version:
        draft.version = _int(raw_version, "version", _("Versione"), 0, 10**9, errors)
    return draft, errors


# --- page data -----------------------------------------------------------------------------


def _district_rows() -> list[tuple[str, str]]:
    return list(
        db_session().execute(sa.select(District.code, District.name).order_by(District.name))
    )


def _org_rows(codes: list[str]) -> dict[str, dict[str, str]]:
    if not codes:
        return {}
    rows = db_session().execute(
        sa.select(Organisation.tax_code, Organisation.name, Organisation.kind).where(
            Organisation.tax_code.in_(codes)
        )
    )
    return {
        t: {"tax_code": t, "name": n, "kind": k.value, "kind_label": _(KIND_LABELS[k])}
        for t, n, k in rows
    }


def _draft_of(ats: Partnership) -> Draft:
    return Draft(
        title=ats.title,
        description=ats.description or "",
        measure=ats.measure,
        call_round=ats.call_round,
        districts=[d.code for d in ats.districts],
        members=[(m.organisation.tax_code, m.role.value) for m in ats.members],
        version=ats.version,
    )


def _measure_labels() -> list[tuple[int, str]]:
    measures = ats_service().catalogue.measures
    return [
        (n, _("Misura %(n)s – %(titolo)s", n=n, titolo=info.get("title_it", "")))
        for n, info in sorted(measures.items())
    ]


def _result_view(result: CheckResult) -> dict[str, Any]:
    """A check as the page shows it: rule text, detail and fixes, with names."""
    catalogue = ats_service().catalogue
    codes: set[str] = set(result.composition.tax_codes)
    districts: set[str] = set(result.composition.districts)
    for f in result.findings:
        codes.update(f.tax_codes)
        districts.update(f.districts)
        for fix in f.fixes:
            codes.update(fix.tax_codes)
            districts.update(fix.districts)
            if fix.details.get("replaces"):
                codes.add(fix.details["replaces"])
    names = _org_rows(sorted(codes))
    district_names = dict(
        db_session()
        .execute(sa.select(District.code, District.name).where(District.code.in_(districts)))
        .all()
    )
    findings = []
    for f in sorted(result.findings, key=lambda f: (not f.is_error, f.rule_id)):
        try:
            rule_text = catalogue.get(f.rule_id).text_it
        except (KeyError, DomainError):
            rule_text = ""
        findings.append(
            {
                "rule_id": f.rule_id,
                "severity": f.severity,
                "rule_text": rule_text,
                "message": f.message_it,
                "fixes": [
                    {
                        "action": fix.action,
                        "message": fix.message_it,
                        "tax_codes": list(fix.tax_codes),
                        "districts": list(fix.districts),
                        "replaces": fix.details.get("replaces"),
                    }
                    for fix in f.fixes
                ],
            }
        )
    return {
        "admissible": result.admissible,
        "complete": result.complete,
        "errors": len(result.errors),
        "warnings": len(result.warnings),
        "rules_checked": len(result.rules_checked),
        "findings": findings,
        "names": names,
        "district_names": district_names,
    }


def _check(draft: Draft, code: str | None, *, fixes: bool) -> dict[str, Any] | None:
    try:
        result = ats_service().check(
            draft.composition(code), fixes=fixes, need=f"{draft.title}. {draft.description}"
        )
    except DomainError:
        return None
    return _result_view(result)


def _local(at: dt.datetime) -> dt.datetime:
    """A stored UTC time in Italian time (as UTC when the time-zone data is missing)."""
    try:
        from zoneinfo import ZoneInfo

        return at.replace(tzinfo=dt.UTC).astimezone(ZoneInfo("Europe/Rome"))
    except (ImportError, LookupError, OSError):
        return at.replace(tzinfo=dt.UTC)


def _history(ats: Partnership) -> list[dict[str, Any]]:
    return [
        {
            "at": _local(h.at),
            "actor": h.actor,
            "from": _(STATUS_LABELS[PartnershipStatus(h.from_status)]),
            "to": _(STATUS_LABELS[PartnershipStatus(h.to_status)]),
            "note": h.note,
            "admissible": h.admissible,
            "errors": (h.check_summary or {}).get("errors", []),
        }
        for h in ats_service().history(ats.id)
    ]


def _builder(
    draft: Draft,
    *,
    ats: Partnership | None,
    errors: dict[str, list[str]] | None = None,
    check: dict[str, Any] | None = None,
    status: int = 200,
):
    editable = ats is None or editable_by(current_user, ats)
    members = _org_rows([c for c, _r in draft.members])
    rows = [{**members[c], "role": r} for c, r in draft.members if c in members]
    transitions = []
    if ats is not None and ats.id is not None:
        for target in _allowed_transitions(ats):
            blocked = target in SUBMISSIONS and check is not None and not check["admissible"]
            transitions.append(
                {"value": target.value, "label": _(STATUS_LABELS[target]), "blocked": blocked}
            )
    boot = {
        "members": rows,
        "districts": dict(_district_rows()),
        "editable": editable,
        "code": ats.code if ats is not None else None,
        "urls": {
            "check": url_for("ats.check"),
            "search": url_for("ats.organisations"),
            "propose": url_for("ats.propose"),
            "profile": "/enti/",
        },
        "roles": {r.value: r.value for r in MemberRole},
        "own_organisation": _own_tax_code(),
    }
    return render_template(
        "ats/builder.html",
        draft=draft,
        ats=ats,
        rows=rows,
        errors=errors or {},
        check=check,
        editable=editable,
        districts=_district_rows(),
        measures=_measure_labels(),
        transitions=transitions,
        history=_history(ats) if ats is not None and ats.id is not None else [],
        status_label=_(STATUS_LABELS[PartnershipStatus(ats.status)]) if ats is not None else None,
        boot=boot,
    ), status


def _own_tax_code() -> str | None:
    if getattr(current_user, "role", None) != Role.ENTE:
        return None
    org_id = getattr(current_user, "organisation_id", None)
    if org_id is None:
        return None
    return db_session().scalar(sa.select(Organisation.tax_code).where(Organisation.id == org_id))


def _load(code: str) -> Partnership | None:
    return db_session().scalar(
        sa.select(Partnership)
        .where(Partnership.code == code)
        .options(
            selectinload(Partnership.members).selectinload(PartnershipMember.organisation),
            selectinload(Partnership.districts),
        )
    )


def _new_code(call_round: int) -> str:
    session_db = db_session()
    n = (session_db.scalar(sa.select(sa.func.max(Partnership.id))) or 0) + 1
    while True:
        code = f"ATS-R{call_round}-{n:04d}"
        if session_db.scalar(sa.select(Partnership.id).where(Partnership.code == code)) is None:
            return code
        n += 1


def _store(ats: Partnership, draft: Draft) -> None:
    """Write the draft into ``ats`` (the session is committed by the caller)."""
    session_db = db_session()
    ats.updated_at = utcnow()  # the row changes at every save: its version moves on
    ats.title = draft.title
    ats.description = draft.description
    ats.measure = draft.measure
    ats.call_round = draft.call_round
    ats.districts = list(
        session_db.scalars(sa.select(District).where(District.code.in_(draft.districts)))
    )
    wanted = dict(draft.members)
    orgs = {
        o.tax_code: o
        for o in session_db.scalars(
            sa.select(Organisation).where(Organisation.tax_code.in_(list(wanted)))
        )
    }
    kept = []
    for member in list(ats.members):
        code = member.organisation.tax_code
        if code in wanted:
            kept.append(member)
        else:
            ats.members.remove(member)
    # roles: demote first, so that the one-capofila index never sees two at flush time
    for member in kept:
        member.role = MemberRole(MemberRole.MANDANTE)
    session_db.flush()
    present = {m.organisation.tax_code: m for m in kept}
    for code, _role in draft.members:
        if code not in present:
            member = PartnershipMember(organisation=orgs[code], role=MemberRole.MANDANTE)
            ats.members.append(member)
            present[code] = member
    session_db.flush()
    for code, role in draft.members:
        present[code].role = MemberRole(role)


# --- pages -------------------------------------------------------------------------------


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
    session_db = db_session()
    result = list_partnerships(
        session_db,
        call_round=call_round,
        status=status or None,
        district=district or None,
        page=page,
        per_page=PER_PAGE,
    )
    rounds = sorted(
        {r for (r,) in session_db.execute(sa.select(Partnership.call_round).distinct())}
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
                "mine": own_org is not None and own_org in _member_ids(p),
            }
        )
    args = {k: v for k, v in request.args.items() if k != "pagina"}
    return render_template(
        "ats/index.html",
        rows=rows,
        total=result.total,
        page=result.page,
        pages=result.pages,
        args=args,
        districts=_district_rows(),
        statuses=[(s.value, _(STATUS_LABELS[s])) for s in PartnershipStatus],
        rounds=rounds,
        selected={"distretto": district, "stato": status, "round": raw_round},
        errors=errors,
        can_create=getattr(current_user, "role", None) in (*_STAFF, Role.ENTE),
    )


@bp.route("/ats/nuova", methods=["GET", "POST"])
def new():
    """Compose a new ATS; saving creates it as a draft (bozza)."""
    if request.method == "GET":
        world_round = ats_service().next_round(ats_service().world())
        draft = Draft(call_round=world_round)
        own = _own_tax_code()
        codes: list[str] = []
        if own:
            codes.append(own)
        if request.args.get("lista"):
            for item in session.get(_SHORTLIST_KEY, []):
                if isinstance(item, dict) and isinstance(item.get("tax_code"), str):
                    codes.append(item["tax_code"])
        rows = _org_rows(codes)
        draft.members = [(c, MemberRole.MANDANTE.value) for c in dict.fromkeys(codes) if c in rows]
        # the Enti Gestori present suggest the districts
        draft.districts = sorted(
            {
                d.code
                for o in db_session().scalars(
                    sa.select(Organisation)
                    .where(Organisation.tax_code.in_([c for c, _r in draft.members]))
                    .where(Organisation.kind == OrgKind.ENTE_GESTORE)
                )
                for d in o.districts
            }
        )
        return _builder(draft, ats=None, check=_check(draft, None, fixes=False))
    draft, errors = _read_form(request.form)
    own = _own_tax_code()
    if getattr(current_user, "role", None) == Role.ENTE and own not in dict(draft.members):
        errors.setdefault("members", []).append(
            _("Membri: il suo ente deve far parte dell'ATS che crea.")
        )
    if errors or request.form.get("azione") == "verifica":
        return _builder(
            draft,
            ats=None,
            errors=errors,
            check=_check(draft, None, fixes=False),
            status=400 if errors else 200,
        )
    session_db = db_session()
    ats = Partnership(
        code=_new_code(draft.call_round),
        title=draft.title,
        measure=draft.measure,
        call_round=draft.call_round,
        status=PartnershipStatus.BOZZA,
    )
    session_db.add(ats)
    session_db.flush()
    _store(ats, draft)
    session_db.commit()
    flash(
        _("ATS «%(title)s» salvata in bozza (codice %(code)s).", title=ats.title, code=ats.code),
        "ok",
    )
    return redirect(url_for("ats.edit", code=ats.code))


@bp.route("/ats/<code>", methods=["GET", "POST"])
def edit(code: str):
    """The builder for a stored ATS (read-only for who may not edit it)."""
    ats = _load(code)
    if ats is None:
        return error_response(404, _("Nessuna ATS con codice %(code)s.", code=code))
    if request.method == "GET":
        draft = _draft_of(ats)
        return _builder(draft, ats=ats, check=_check(draft, ats.code, fixes=False))
    if not editable_by(current_user, ats):
        return error_response(
            403,
            _("Il suo account può modificare solo le ATS in bozza di cui il suo ente fa parte."),
        )
    draft, errors = _read_form(request.form)
    own = _own_tax_code()
    if getattr(current_user, "role", None) == Role.ENTE and own not in dict(draft.members):
        errors.setdefault("members", []).append(
            _("Membri: il suo ente deve restare tra i membri dell'ATS.")
        )
    if draft.version is None:
        errors.setdefault("version", []).append(_("Versione mancante: ricaricare la pagina."))
    elif draft.version != ats.version:
        errors.setdefault("version", []).append(
            _(
                "L'ATS è stata modificata da un'altra persona mentre lei la componeva: "
                "ricarichi la pagina per vedere la versione attuale (le sue modifiche non "
                "sono state salvate)."
            )
        )
    if errors or request.form.get("azione") == "verifica":
        return _builder(
            draft,
            ats=ats,
            errors=errors,
            check=_check(draft, ats.code, fixes=False),
            status=(409 if "version" in errors else 400) if errors else 200,
        )
    session_db = db_session()
    try:
        _store(ats, draft)
        session_db.commit()
    except StaleDataError:
        session_db.rollback()
        errors["version"] = [
            _("L'ATS è stata modificata da un'altra persona: ricarichi la pagina.")
        ]
        return _builder(draft, ats=_load(code), errors=errors, status=409)
    flash(_("Modifiche salvate."), "ok")
    return redirect(url_for("ats.edit", code=ats.code))


@bp.post("/ats/<code>/stato")
def transition(code: str):
    """Move the ATS to another status (only legal transitions; submissions re-checked)."""
    ats = _load(code)
    if ats is None:
        return error_response(404, _("Nessuna ATS con codice %(code)s.", code=code))
    target = request.form.get("stato", "")
    note = (request.form.get("nota") or "").strip()
    if len(note) > 1000:
        flash(_("Nota: al massimo 1000 caratteri."), "errore")
        return redirect(url_for("ats.edit", code=code))
    allowed = {s.value for s in _allowed_transitions(ats)}
    if not _is_staff() and not editable_by(current_user, ats):
        return error_response(403, _("Il suo account non può cambiare lo stato di questa ATS."))
    if target not in allowed:
        flash(
            _(
                "Passaggio di stato non consentito da «%(da)s».",
                da=_(STATUS_LABELS[PartnershipStatus(ats.status)]),
            ),
            "errore",
        )
        return redirect(url_for("ats.edit", code=code)), 303
    ats_id = ats.id
    db_session().rollback()  # the service opens its own unit of work
    try:
        ats_service().transition(ats_id, target, actor=current_user.email, note=note)
    except TransitionRefused as exc:
        if exc.result is not None:
            flash(
                _(
                    "Impossibile passare a «%(a)s»: la composizione non rispetta le regole "
                    "(%(regole)s).",
                    a=_(STATUS_LABELS[PartnershipStatus(target)]),
                    regole=", ".join(exc.result.rule_ids("error")),
                ),
                "errore",
            )
        else:
            flash(str(exc), "errore")
        return redirect(url_for("ats.edit", code=code)), 303
    flash(_("Stato cambiato in «%(a)s».", a=_(STATUS_LABELS[PartnershipStatus(target)])), "ok")
    return redirect(url_for("ats.edit", code=code)), 303


@bp.post("/ats/aggiungi-membro")
def add_member():
    """From Trova partner: add one organisation to a draft ATS (server-checked)."""
    code = (request.form.get("ats") or "").strip()
    tax_code = normalise_tax_code(request.form.get("tax_code") or "")
    back = request.form.get("next") or ""
    target = back if back.startswith(("/trova-partner", "/ats")) and "//" not in back else None
    target = target or url_for("partners.search")
    if not code:
        flash(_("Scegliere un'ATS in bozza a cui aggiungere l'ente."), "errore")
        return redirect(target)
    ats = _load(code)
    if ats is None:
        flash(_("Nessuna ATS con codice %(code)s.", code=code), "errore")
        return redirect(target)
    org = db_session().scalar(sa.select(Organisation).where(Organisation.tax_code == tax_code))
    if org is None:
        flash(_("Nessun ente con codice fiscale %(code)s.", code=tax_code or "–"), "errore")
        return redirect(target)
    if ats.status != PartnershipStatus.BOZZA:
        flash(
            _(
                "L'ATS «%(title)s» non è in bozza: non si possono aggiungere membri da qui.",
                title=ats.title,
            ),
            "errore",
        )
        return redirect(target)
    if not editable_by(current_user, ats):
        return error_response(
            403,
            _("Il suo account può modificare solo le ATS in bozza di cui il suo ente fa parte."),
        )
    if org.id in _member_ids(ats):
        flash(
            _("«%(name)s» fa già parte dell'ATS «%(title)s».", name=org.name, title=ats.title),
            "info",
        )
        return redirect(target)
    if len(ats.members) >= _MEMBERS_MAX:
        flash(_("L'ATS ha già %(n)s membri.", n=_MEMBERS_MAX), "errore")
        return redirect(target)
    ats.members.append(PartnershipMember(organisation=org, role=MemberRole.MANDANTE))
    ats.updated_at = utcnow()
    try:
        db_session().commit()
    except StaleDataError:
        db_session().rollback()
        flash(_("L'ATS è stata modificata nel frattempo: riprovare."), "errore")
        return redirect(target)
    result = ats_service().check_stored(ats.id, fixes=False)
    if result.admissible:
        outcome = _("la composizione ora è ammissibile.")
    else:
        outcome = _(
            "regole ancora da soddisfare: %(regole)s.", regole=", ".join(result.rule_ids("error"))
        )
    flash(
        _(
            "«%(name)s» aggiunto all'ATS «%(title)s»: %(esito)s",
            name=org.name,
            title=ats.title,
            esito=outcome,
        ),
        "ok",
    )
    return redirect(target)


# --- JSON for the builder's script ---------------------------------------------------------


def _json_error(status: int, message: str, field: str = ""):
    response = jsonify({"error": message, "field": field})
    response.status_code = status
    return response


@bp.post("/ats/verifica")
def check():
    """The live rule check: the composition in, findings with rule text and fixes out."""
    data = request.get_json(silent=True)
    if not isinstance(data, dict):
        return _json_error(400, _("Richiesta non valida: attesa una composizione JSON."))
    data = dict(data)
    need = data.pop("need", "")
    fixes = data.pop("fixes", True)
    if not isinstance(need, str) or len(need) > _DESCRIPTION_MAX + _TITLE_MAX + 10:
        return _json_error(400, _("Bisogno: testo non valido."), "need")
    if not isinstance(fixes, bool):
        return _json_error(400, _("fixes: atteso vero o falso."), "fixes")
    try:
        result = ats_service().check(data, fixes=fixes, need=need)
    except DomainError as exc:
        return _json_error(422, str(exc), exc.field or "")
    return jsonify(_result_view(result))


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


@bp.post("/ats/proponi")
def propose():
    """Complete admissible teams for the capofila (or district) and the need."""
    data = request.get_json(silent=True)
    if not isinstance(data, dict):
        return _json_error(400, _("Richiesta non valida."))
    text = data.get("text")
    lead = data.get("for_tax_code") or None
    district = data.get("district") or None
    call_round = data.get("round")
    if not isinstance(text, str) or not text.strip():
        return _json_error(
            422,
            _(
                "Per proporre una squadra descriva prima il bisogno del progetto "
                "(campo Descrizione)."
            ),
            "description",
        )
    if len(text) > _DESCRIPTION_MAX + _TITLE_MAX + 10:
        return _json_error(422, _("Descrizione troppo lunga."), "description")
    if lead is not None and not isinstance(lead, str):
        return _json_error(400, _("Capofila non valido."), "for_tax_code")
    if district is not None and not isinstance(district, str):
        return _json_error(400, _("Distretto non valido."), "districts")
    if (
        not isinstance(call_round, int)
        or isinstance(call_round, bool)
        or not 1 <= call_round <= 1000
    ):
        return _json_error(
            422, _("Round del bando: indicare un numero tra 1 e 1000."), "call_round"
        )
    if not lead and not district:
        return _json_error(
            422,
            _("Per proporre una squadra scelga un distretto o un Ente Gestore capofila."),
            "districts",
        )
    try:
        proposals = ats_service().propose(
            text, for_tax_code=lead, district=district, call_round=call_round, size=3
        )
    except ProposalImpossible as exc:
        return _json_error(
            409, _("Proposta impossibile: %(motivo)s", motivo=str(exc)), exc.field or ""
        )
    except DomainError as exc:
        return _json_error(422, str(exc), exc.field or "")
    out = []
    for p in proposals:
        codes = [m.tax_code for m in p.members]
        names = _org_rows(codes)
        out.append(
            {
                "label": p.label_it,
                "explanation": p.explanation_it,
                "districts": list(p.composition.districts),
                "members": [
                    {**names[m.tax_code], "role": m.role, "reason": m.reason_it}
                    for m in p.members
                    if m.tax_code in names
                ],
            }
        )
    return jsonify({"proposals": out})
