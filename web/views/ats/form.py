"""The ATS builder's form: read it into the request contract, and say what is wrong in words.

The form is read into :class:`~matchmaker.contract.DraftIn`, the same model that validates
the API's bodies; what the model refuses and what the library refuses (unknown districts
or members, two capofila, an ``ente`` account leaving its own ATS) come back as field
errors, shown here in the page's language under the field they concern.
"""

from __future__ import annotations

import dataclasses
from typing import Any

from flask_babel import gettext as _

from matchmaker.contract import ContractError, DraftIn, FieldError, validate
from matchmaker.contract.limits import (
    DESCRIPTION_MAX,
    MEASURE_MAX,
    MEMBERS_MAX,
    ROUND_MAX,
    TITLE_MAX,
)
from matchmaker.domain import MemberRole, normalise_tax_code
from matchmaker.rules.drafts import Draft
from matchmaker.rules.model import Member

__all__ = ["BuilderState", "messages_of", "read_form"]

_ROLES = {r.value for r in MemberRole}


@dataclasses.dataclass
class BuilderState:
    """What the builder's form says, as the page shows it again (values kept as typed)."""

    title: str = ""
    description: str = ""
    measure: Any = 1
    call_round: Any = 1
    districts: list[str] = dataclasses.field(default_factory=list)
    members: list[tuple[str, str]] = dataclasses.field(default_factory=list)  # (tax code, role)
    version: int | None = None
    extra: str = ""  # the tax code typed in "Aggiungi un ente"

    @classmethod
    def of(cls, draft: Draft, version: int | None = None) -> BuilderState:
        return cls(
            title=draft.title,
            description=draft.description,
            measure=draft.measure,
            call_round=draft.call_round,
            districts=list(draft.districts),
            members=[(m.tax_code, m.role.value) for m in draft.members],
            version=version,
        )

    def draft(self) -> Draft:
        """The state as a draft to check (its values may still be wrong)."""
        return Draft(
            title=self.title,
            description=self.description,
            measure=self.measure if isinstance(self.measure, int) else 1,
            call_round=self.call_round if isinstance(self.call_round, int) else 1,
            districts=tuple(self.districts),
            members=tuple(
                Member(t, MemberRole(r if r in _ROLES else MemberRole.MANDANTE.value))
                for t, r in self.members
            ),
        )

    def body(self) -> dict[str, Any]:
        """The state in the request contract's terms (``DraftIn``)."""
        return {
            "title": self.title,
            "description": self.description,
            "measure": self.measure,
            "round": self.call_round,
            "districts": self.districts,
            "members": [{"tax_code": t, "role": r} for t, r in self.members],
        }


def _number(raw: str | None) -> Any:
    text = (raw or "").strip()
    try:
        return int(text)
    except ValueError:
        return text


def read_form(form: Any) -> tuple[BuilderState, Draft | None, list[FieldError]]:
    """The form's state, the valid draft (None when the form is wrong) and its errors."""
    state = BuilderState(
        title=(form.get("title") or "").strip(),
        description=(form.get("description") or "").strip(),
        measure=_number(form.get("measure", "1")),
        call_round=_number(form.get("call_round")),
    )
    for code in form.getlist("districts"):
        if code not in state.districts:
            state.districts.append(code)
    removed = set(form.getlist("remove"))
    codes: list[str] = []
    for raw in form.getlist("member"):
        code = normalise_tax_code(raw or "")
        if code and code not in codes and code not in removed:
            codes.append(code)
    state.extra = normalise_tax_code(form.get("add_tax_code") or "")
    if state.extra and state.extra not in codes:
        codes.append(state.extra)
    state.members = [(c, form.get(f"role_{c}", MemberRole.MANDANTE.value)) for c in codes]
    raw_version = (form.get("version") or "").strip()
    if raw_version:
        state.version = int(raw_version) if raw_version.isdigit() else -1
    try:
        return state, Draft.from_input(validate(DraftIn, state.body())), []
    except ContractError as exc:
        return state, None, exc.errors


_LABELS = {
    "title": "Titolo",
    "description": "Descrizione",
    "measure": "Misura",
    "round": "Round del bando",
}


def _message(error: FieldError, names: dict[str, str]) -> tuple[str, str]:
    """(form field, message in the page's language) of one error."""
    head = error.field.split("[")[0].split(".")[0]
    kind, value = error.type, error.value
    if head == "title":
        if kind == "string_too_long":
            return "title", _("Titolo: al massimo %(n)s caratteri.", n=TITLE_MAX)
        return "title", _("Titolo: indicare il titolo del progetto.")
    if head == "description":
        return "description", _("Descrizione: al massimo %(n)s caratteri.", n=DESCRIPTION_MAX)
    if head in ("measure", "round"):
        field = "measure" if head == "measure" else "call_round"
        label = _("Misura") if head == "measure" else _("Round del bando")
        if kind in ("int_type", "int_parsing"):
            return field, _("%(campo)s: indicare un numero intero.", campo=label)
        hi = MEASURE_MAX if head == "measure" else ROUND_MAX
        return field, _("%(campo)s: deve essere tra %(lo)s e %(hi)s.", campo=label, lo=1, hi=hi)
    if head == "districts":
        return "districts", _("Distretti: codice %(code)s sconosciuto.", code=value)
    if head == "members":
        if kind == "too_long":
            return "members", _("Membri: al massimo %(n)s enti.", n=MEMBERS_MAX)
        if error.field.endswith(".role"):
            code = _member_code(error.field, names)
            return "members", _(
                "Membri: ruolo non valido per %(name)s.", name=names.get(code, code)
            )
        if kind in ("reference", "check_digit"):
            return "members", _("Membri: nessun ente con codice fiscale %(code)s.", code=value)
        if "count" in error.context:
            return "members", _(
                "Membri: un solo capofila per ATS (ora sono %(n)s: %(names)s).",
                n=error.context["count"],
                names=error.context["names"],
            )
        if error.context.get("own") == "remain":
            return "members", _("Membri: il suo ente deve restare tra i membri dell'ATS.")
        if error.context.get("own") == "create":
            return "members", _("Membri: il suo ente deve far parte dell'ATS che crea.")
    if head == "version":
        return "version", _("Versione mancante: ricaricare la pagina.")
    return head or "members", error.message_it


def _member_code(field: str, names: dict[str, str]) -> str:
    index = int(field.split("[")[1].split("]")[0])
    return list(names)[index] if index < len(names) else ""


def messages_of(
    errors: list[FieldError], state: BuilderState, names: dict[str, str]
) -> dict[str, list[str]]:
    """The errors as the page shows them: form field -> messages, each said once.

    ``names`` maps the members' tax codes (in the form's order) to their names.
    """
    out: dict[str, list[str]] = {}
    ordered = {t: names.get(t, t) for t, _r in state.members}
    for error in errors:
        field, message = _message(error, ordered)
        if error.type in ("reference", "check_digit") and error.value == state.extra != "":
            field = "add_tax_code"
        if message not in out.get(field, []):
            out.setdefault(field, []).append(message)
    return out
