"""Trova partner: a need in free text -> ranked, explained candidates, and a shortlist."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, DecimalField, SelectField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length, NumberRange, Optional

from matchmaker.matching import DEFAULT_CHANNELS, MatchQuery, MatchResult
from matchmaker.matching.explain import FLAG_LABELS
from matchmaker.registry import district_choices, organisation_name
from web import db_session
from web.engines import match_engine
from web.i18n import N_
from web.views.ats import draft_choices

__all__ = ["CHANNEL_LABELS", "CHANNEL_TITLES", "bp"]

bp = Blueprint("partners", __name__)

#: the library's channel labels as titles (first letter capitalised), listed for extraction;
#: a channel missing here is shown with its Italian title
CHANNEL_TITLES: tuple[str, ...] = (
    N_("Significato del profilo"),
    N_("Frase più vicina"),
    N_("Parole in comune"),
    N_("Temi"),
    N_("Territorio"),
    N_("Rete"),
)


def _title(label: str) -> str:
    return label[:1].upper() + label[1:]


#: names of the matching channels, as shown next to each bar (translated when shown)
CHANNEL_LABELS = {c.name: _l(_title(c.label)) for c in DEFAULT_CHANNELS}
_KINDS = {
    "ets": _l("Ente del Terzo Settore"),
    "impresa": _l("Impresa"),
    "ente_gestore": _l("Ente gestore"),
}
_SHORTLIST_KEY = "shortlist"
_SHORTLIST_MAX = 30


class PartnerSearchForm(FlaskForm):
    """The search form (GET: no CSRF token, nothing is written)."""

    class Meta:
        csrf = False

    text = TextAreaField(
        _l("Bisogno da soddisfare"),
        validators=[
            DataRequired(_l("Descrivere il bisogno.")),
            Length(max=5000, message=_l("Al massimo 5000 caratteri.")),
        ],
    )
    district = SelectField(
        _l("Distretto"), choices=[SelectChoice("", _l("Tutti i distretti"))], default=""
    )
    kind = SelectField(
        _l("Tipo di ente"), choices=[SelectChoice(k, v) for k, v in _KINDS.items()], default="ets"
    )
    territory = SelectField(
        _l("Territorio"),
        choices=[
            SelectChoice("soft", _l("Preferenza (la vicinanza aumenta il punteggio)")),
            SelectChoice("hard", _l("Vincolo (solo enti vicini al distretto)")),
        ],
        default="soft",
    )
    radius_km = DecimalField(
        _l("Raggio massimo (km)"),
        places=None,
        validators=[Optional(), NumberRange(min=1, max=300, message=_l("Tra 1 e 300 km."))],
    )
    prefer_newcomers = BooleanField(_l("Prima i nuovi (enti senza ATS né legami)"))


class ShortlistForm(FlaskForm):
    """Add or remove one organisation of the shortlist (POST, CSRF-protected)."""

    tax_code = StringField(_l("Codice fiscale"), validators=[DataRequired(), Length(max=16)])
    next = StringField(validators=[Optional(), Length(max=2000)])


def _districts() -> list[SelectChoice]:
    return [SelectChoice(code, name) for code, name in district_choices(db_session())]


def _shortlist() -> list[dict[str, str]]:
    items = session.get(_SHORTLIST_KEY, [])
    return [i for i in items if isinstance(i, dict) and "tax_code" in i and "name" in i]


def _query(form: PartnerSearchForm) -> MatchQuery:
    radius = float(form.radius_km.data) if form.radius_km.data is not None else None
    district = form.district.data or ""
    return MatchQuery(
        text=form.text.data.strip(),
        districts=(district,) if district else (),
        kinds=(form.kind.data,),
        top_k=15,
        territory=form.territory.data if district else "soft",
        radius_km=radius if district else None,
        prefer_newcomers=bool(form.prefer_newcomers.data),
    )


def _view(result: MatchResult) -> dict[str, Any]:
    exp = result.explanation
    return {
        "tax_code": result.tax_code,
        "name": result.name,
        "kind": _KINDS.get(result.kind, result.kind),
        "score": result.score,
        "channels": [
            (CHANNEL_LABELS.get(name, name), value)
            for name, value in sorted(result.channels.items(), key=lambda kv: -kv[1])
        ],
        "sentence": exp.best_sentence.text if exp.best_sentence else None,
        "themes": [t.label for t in exp.shared_themes],
        "territory": exp.territory.reason if exp.territory else None,
        "network": exp.network.reason if exp.network else None,
        "flags": [FLAG_LABELS.get(f, f.replace("_", " ")) for f in result.flags],
    }


@bp.get("/trova-partner")
def search():
    """The form and, when a need is given, the ranked candidates."""
    form = PartnerSearchForm(request.args)
    form.district.choices = [SelectChoice("", _("Tutti i distretti")), *_districts()]
    results = None
    status = 200
    if "text" in request.args:
        if form.validate():
            if form.radius_km.data is not None and not form.district.data:
                form.radius_km.errors = [_("Il raggio richiede un distretto.")]
                status = 400
            else:
                results = [_view(r) for r in match_engine().search(_query(form))]
        else:
            status = 400
    listed = {item["tax_code"] for item in _shortlist()}
    return render_template(
        "partners/search.html",
        form=form,
        results=results,
        shortlist=_shortlist(),
        listed=listed,
        action=ShortlistForm(),
        drafts=draft_choices(form.district.data or None),
    ), status


def _back(form: ShortlistForm):
    target = form.next.data or ""
    if target.startswith("/trova-partner") and "//" not in target:
        return redirect(target)
    return redirect(url_for("partners.search"))


@bp.post("/trova-partner/lista")
def shortlist_add():
    """Add an organisation to the shortlist kept in the session."""
    form = ShortlistForm()
    if not form.validate():
        flash(_("Richiesta non valida: ente mancante."), "errore")
        return _back(form)
    code = form.tax_code.data.strip()
    name = organisation_name(db_session(), code)
    if name is None:
        flash(_("Nessun ente con codice fiscale %(code)s.", code=code), "errore")
        return _back(form)
    items = _shortlist()
    if any(i["tax_code"] == code for i in items):
        flash(_("«%(name)s» è già nella lista.", name=name), "info")
    elif len(items) >= _SHORTLIST_MAX:
        flash(
            _("La lista contiene già %(n)s enti: toglierne qualcuno.", n=_SHORTLIST_MAX), "errore"
        )
    else:
        items.append({"tax_code": code, "name": name})
        session[_SHORTLIST_KEY] = items
        flash(_("«%(name)s» aggiunto alla lista.", name=name), "ok")
    return _back(form)


@bp.post("/trova-partner/lista/rimuovi")
def shortlist_remove():
    """Remove an organisation from the shortlist."""
    form = ShortlistForm()
    if not form.validate():
        flash(_("Richiesta non valida: ente mancante."), "errore")
        return _back(form)
    code = form.tax_code.data.strip()
    items = _shortlist()
    kept = [i for i in items if i["tax_code"] != code]
    if len(kept) == len(items):
        flash(_("L'ente non era nella lista."), "info")
    else:
        session[_SHORTLIST_KEY] = kept
        removed = next(i["name"] for i in items if i["tax_code"] == code)
        flash(_("«%(name)s» tolto dalla lista.", name=removed), "ok")
    return _back(form)
