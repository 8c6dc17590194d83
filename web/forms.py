"""Forms (Flask-WTF: CSRF token on every form), with Italian labels and messages."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import EmailField, PasswordField, SelectField, StringField, SubmitField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, EqualTo, Length, Optional

from matchmaker.accounts import MIN_PASSWORD_LENGTH
from matchmaker.domain import Role

__all__ = ["LoginForm", "NewUserForm", "PasswordForm"]

_REQUIRED = "Campo obbligatorio."
_ROLE_LABELS = {
    Role.ADMIN: "Amministratore",
    Role.FACILITATORE: "Facilitatore (servizio di accompagnamento)",
    Role.ENTE: "Ente (account legato a un ente)",
    Role.RICERCATORE: "Ricercatore (sola lettura)",
}


class LoginForm(FlaskForm):
    email = EmailField("E-mail", validators=[DataRequired(_REQUIRED), Length(max=254)])
    password = PasswordField("Password", validators=[DataRequired(_REQUIRED), Length(max=200)])
    submit = SubmitField("Accedi")


class PasswordForm(FlaskForm):
    current = PasswordField("Password attuale", validators=[DataRequired(_REQUIRED)])
    new = PasswordField(
        "Nuova password",
        validators=[
            DataRequired(_REQUIRED),
            Length(
                min=MIN_PASSWORD_LENGTH, max=200, message=f"Almeno {MIN_PASSWORD_LENGTH} caratteri."
            ),
        ],
    )
    confirm = PasswordField(
        "Ripeti la nuova password",
        validators=[DataRequired(_REQUIRED), EqualTo("new", "Le due password non coincidono.")],
    )
    submit = SubmitField("Cambia password")


class NewUserForm(FlaskForm):
    email = EmailField("E-mail", validators=[DataRequired(_REQUIRED), Length(max=254)])
    role = SelectField(
        "Ruolo", choices=[SelectChoice(r.value, label) for r, label in _ROLE_LABELS.items()]
    )
    organisation = StringField(
        "Codice fiscale dell'ente (solo ruolo ente)", validators=[Optional(), Length(max=16)]
    )
    password = PasswordField(
        "Password iniziale",
        validators=[
            DataRequired(_REQUIRED),
            Length(
                min=MIN_PASSWORD_LENGTH, max=200, message=f"Almeno {MIN_PASSWORD_LENGTH} caratteri."
            ),
        ],
    )
    submit = SubmitField("Crea account")
