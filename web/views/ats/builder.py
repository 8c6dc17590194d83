"""The builder page itself: its members, the rule check, the history and the form again.

Used by :mod:`~web.views.ats.pages` for new and stored ATS alike.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from flask import render_template, url_for
from flask_babel import gettext as _

from matchmaker.domain import (
    KIND_LABELS,
    STATUS_LABELS,
    DomainError,
    MemberRole,
    OrgKind,
    PartnershipStatus,
)
from matchmaker.registry import district_choices, organisation_labels, tax_code_of
from matchmaker.rules import SUBMISSIONS
from matchmaker.rules.access import editable_by, next_statuses
from web import db_session
from web.engines import draft_service, viewer
from web.i18n import is_english
from web.views.ats.form import BuilderState, messages_of

__all__ = ["builder_page", "check_view", "form_errors", "with_kind_labels"]


def with_kind_labels(view: dict[str, Any]) -> dict[str, Any]:
    """A described check with the kind of each organisation it names, in the page's words."""
    for info in view["names"].values():
        info["kind_label"] = _(KIND_LABELS[OrgKind(info["kind"])])
    return view


def _rows(state: BuilderState) -> list[dict[str, Any]]:
    labels = organisation_labels(db_session(), [t for t, _r in state.members])
    return [
        {
            "tax_code": t,
            "name": labels[t][0],
            "kind": labels[t][1].value,
            "kind_label": _(KIND_LABELS[labels[t][1]]),
            "role": r,
        }
        for t, r in state.members
        if t in labels
    ]


def check_view(state: BuilderState, code: str | None) -> dict[str, Any] | None:
    try:
        view = draft_service().check_view(state.draft(), code=code, english=is_english())
    except DomainError:
        return None
    return with_kind_labels(view)


def _local(at: dt.datetime) -> dt.datetime:
    """A stored UTC time in Italian time (as UTC when the time-zone data is missing)."""
    try:
        from zoneinfo import ZoneInfo

        return at.replace(tzinfo=dt.UTC).astimezone(ZoneInfo("Europe/Rome"))
    except (ImportError, LookupError, OSError):
        return at.replace(tzinfo=dt.UTC)


def _history(code: str) -> list[dict[str, Any]]:
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
        for h in draft_service().history(code)
    ]


def _measures() -> list[tuple[int, str]]:
    return [
        (n, _("Misura %(n)s – %(titolo)s", n=n, titolo=info.get("title_it", "")))
        for n, info in sorted(draft_service().measures().items())
    ]


def builder_page(state, *, ats=None, errors=None, check=None, status=200):
    me = viewer()
    editable = ats is None or editable_by(me, ats)
    rows = _rows(state)
    transitions = []
    if ats is not None:
        for target in next_statuses(me, ats):
            blocked = target in SUBMISSIONS and check is not None and not check["admissible"]
            transitions.append(
                {"value": target.value, "label": _(STATUS_LABELS[target]), "blocked": blocked}
            )
    districts = district_choices(db_session())
    boot = {
        "members": rows,
        "districts": dict(districts),
        "editable": editable,
        "code": ats.code if ats is not None else None,
        "urls": {
            "check": url_for("ats.check"),
            "search": url_for("ats.organisations"),
            "propose": url_for("ats.propose"),
            "profile": "/enti/",
        },
        "roles": {r.value: r.value for r in MemberRole},
        "own_organisation": tax_code_of(db_session(), me.organisation_id) if me.is_ente else None,
    }
    return render_template(
        "ats/builder.html",
        draft=state,
        ats=ats,
        rows=rows,
        errors=errors or {},
        check=check,
        editable=editable,
        districts=districts,
        measures=_measures(),
        transitions=transitions,
        history=_history(ats.code) if ats is not None else [],
        status_label=_(STATUS_LABELS[PartnershipStatus(ats.status)]) if ats is not None else None,
        boot=boot,
    ), status


def form_errors(state: BuilderState, errors) -> dict[str, list[str]]:
    labels = organisation_labels(db_session(), [t for t, _r in state.members])
    return messages_of(errors, state, {t: name for t, (name, _k) in labels.items()})
