"""The profile form of the directory (Flask-WTF: CSRF token; the checks are the library's)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    EmailField,
    HiddenField,
    SelectField,
    SelectMultipleField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.fields.choices import SelectChoice

from matchmaker.domain import KIND_LABELS, RUNTS_LABELS, SECTOR_LABELS
from matchmaker.ingest.errors import RowError
from web.i18n import current_language, theme_label

__all__ = ["EDIT_FIELDS", "ProfileForm", "apply_errors", "form_data"]

#: the form fields passed to ``save_organisation`` (``tax_code`` only when creating)
EDIT_FIELDS = (
    "name",
    "kind",
    "sector",
    "runts_section",
    "comune",
    "districts",
    "themes",
    "description",
    "website",
    "email",
    "phone",
)


class ProfileForm(FlaskForm):
    """An organisation's profile; validation is left to :func:`save_organisation`."""

    tax_code = StringField(_l("Codice fiscale"))
    name = StringField(_l("Denominazione"))
    kind = SelectField(
        _l("Tipo di ente"),
        choices=[SelectChoice(k.value, _l(v)) for k, v in KIND_LABELS.items()],
    )
    sector = SelectField(
        _l("Settore"),
        choices=[
            SelectChoice("", _l("dedotto dal tipo di ente")),
            *(SelectChoice(k.value, _l(v)) for k, v in SECTOR_LABELS.items()),
        ],
    )
    runts_section = SelectField(
        _l("Sezione RUNTS"),
        choices=[
            SelectChoice("", _l("nessuna (non ETS)")),
            *(SelectChoice(k.value, _l(v)) for k, v in RUNTS_LABELS.items()),
        ],
    )
    comune = StringField(_l("Comune della sede"))
    districts = SelectMultipleField(_l("Distretti"), choices=[])
    themes = SelectMultipleField(_l("Temi"), choices=[])
    description = TextAreaField(_l("Descrizione delle attività"))
    website = StringField(_l("Sito web"))
    email = EmailField(_l("E-mail"))
    phone = StringField(_l("Telefono"))
    version = HiddenField()
    submit = SubmitField(_l("Salva"))

    def set_choices(self, districts: Iterable[Any], themes: Iterable[Any]) -> None:
        """Fill the district and theme choices from the reference tables."""
        self.districts.choices = [SelectChoice(d.code, f"{d.name} ({d.code})") for d in districts]
        self.themes.choices = [SelectChoice(t.code, theme_label(t)) for t in themes]


def form_data(form: ProfileForm, *, with_tax_code: bool) -> dict[str, Any]:
    """The submitted values, in the shape ``save_organisation`` takes."""
    data: dict[str, Any] = {}
    for name in EDIT_FIELDS:
        value = form[name].data
        data[name] = list(value or []) if name in ("districts", "themes") else (value or "")
    if with_tax_code:
        data["tax_code"] = (form.tax_code.data or "").strip()
    return data


def apply_errors(form: ProfileForm, errors: Iterable[RowError]) -> list[str]:
    """Put each error next to its field; return those that name no field of the form."""
    loose: list[str] = []
    fields: Mapping[str, Any] = {name: form[name] for name in (*EDIT_FIELDS, "tax_code")}
    for error in errors:
        message = error.reason_en if current_language() == "en" else error.reason_it
        field = fields.get(error.column or "")
        if field is None:
            where = error.column or _("profilo")
            loose.append(_("%(field)s: %(reason)s", field=where, reason=message))
            continue
        if not isinstance(field.errors, list):
            field.errors = list(field.errors)
        if message not in field.errors:
            field.errors.append(message)
    return loose
