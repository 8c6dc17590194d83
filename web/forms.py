"""Forms (Flask-WTF: CSRF token on every form), with Italian labels and messages."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import EmailField, PasswordField, SelectField, StringField, SubmitField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, EqualTo, Length, Optional

from matchmaker.accounts import MIN_PASSWORD_LENGTH
from matchmaker.domain import Role

__all__ = ["LoginForm", "NewUserForm", "PasswordForm"]

_REQUIRED = _l("Campo obbligatorio.")
_ROLE_LABELS = {
    Role.ADMIN: _l("Amministratore"),
    Role.FACILITATORE: _l("Facilitatore (servizio di accompagnamento)"),
    Role.ENTE: _l("Ente (account legato a un ente)"),
    Role.RICERCATORE: _l("Ricercatore (sola lettura)"),
}


class LoginForm(FlaskForm):
    email = EmailField(_l("E-mail"), validators=[DataRequired(_REQUIRED), Length(max=254)])
    password = PasswordField(_l("Password"), validators=[DataRequired(_REQUIRED), Length(max=200)])
    submit = SubmitField(_l("Accedi"))


class PasswordForm(FlaskForm):
    current = PasswordField(_l("Password attuale"), validators=[DataRequired(_REQUIRED)])
    new = PasswordField(
        _l("Nuova password"),
        validators=[
            DataRequired(_REQUIRED),
            Length(
                min=MIN_PASSWORD_LENGTH,
                max=200,
                message=_l("Almeno %(n)s caratteri.", n=MIN_PASSWORD_LENGTH),
            ),
        ],
    )
    confirm = PasswordField(
        _l("Ripeti la nuova password"),
        validators=[DataRequired(_REQUIRED), EqualTo("new", _l("Le due password non coincidono."))],
    )
    submit = SubmitField(_l("Cambia password"))


class NewUserForm(FlaskForm):
    email = EmailField(_l("E-mail"), validators=[DataRequired(_REQUIRED), Length(max=254)])
    role = SelectField(
        _l("Ruolo"), choices=[SelectChoice(r.value, label) for r, label in _ROLE_LABELS.items()]
    )
    organisation = StringField(
        _l("Codice fiscale dell'ente (solo ruolo ente)"), validators=[Optional(), Length(max=16)]
    )
    password = PasswordField(
        _l("Password iniziale"),
        validators=[
            DataRequired(_REQUIRED),
            Length(
                min=MIN_PASSWORD_LENGTH,
                max=200,
                message=_l("Almeno %(n)s caratteri.", n=MIN_PASSWORD_LENGTH),
            ),
        ],
    )
    submit = SubmitField(_l("Crea account"))
