"""Languages of the interface: Italian first, English as the second language (Flask-Babel).

The source strings in templates and views are Italian; ``web/translations/en`` holds the
English catalogue. The language is Italian unless the visitor picks English with the
switch in the footer (``?lang=en``), which is remembered in the session; the browser's
Accept-Language is deliberately not followed, so that an Italian public service stays
Italian on an English-configured laptop.

The library (``matchmaker``) knows no Flask and keeps its labels in Italian
(``KIND_LABELS`` etc.). They are listed here with :func:`N_` so that ``make translations``
extracts them, and templates translate them when shown: ``{{ KIND_LABELS[k]|tr }}``.
Themes carry their own English name (``label_en``): ``{{ theme_label(theme) }}``.
"""

from __future__ import annotations

from typing import Any

from flask import Flask, g, request, session, url_for
from flask_babel import Babel, get_locale, gettext
from werkzeug.routing import BuildError

from matchmaker.domain import (
    KIND_LABELS,
    RUNTS_LABELS,
    SECTOR_LABELS,
    STATUS_LABELS,
    Role,
)

__all__ = [
    "DOMAIN_LABELS",
    "LANGUAGES",
    "N_",
    "ROLE_NAMES",
    "current_language",
    "init_i18n",
    "lang_url",
    "library_labels",
    "select_locale",
    "theme_label",
    "translate_label",
]

#: language code -> its own name, as shown in the switch
LANGUAGES: dict[str, str] = {"it": "Italiano", "en": "English"}
DEFAULT = "it"


def select_locale() -> str:
    """The request's language: ``?lang=`` (remembered), then the session, then Italian."""
    asked = request.args.get("lang")
    if asked in LANGUAGES:
        session["lang"] = asked
        return asked
    remembered = session.get("lang")
    return remembered if remembered in LANGUAGES else DEFAULT


def lang_url(code: str) -> str:
    """The current page's address with ``lang=code`` (other query arguments kept)."""
    args = request.args.to_dict(flat=False)
    args["lang"] = [code]
    endpoint = request.endpoint or "main.home"
    try:
        return url_for(endpoint, **(request.view_args or {}), **args)
    except BuildError:  # error pages without a buildable endpoint
        return url_for("main.home", lang=code)


def N_(text: str) -> str:
    """Mark ``text`` for extraction without translating it (translated where shown)."""
    return text


#: The library's Italian labels, repeated here for extraction (a test checks that every
#: label of ``matchmaker.domain`` is listed).
DOMAIN_LABELS: tuple[str, ...] = (
    # KIND_LABELS
    N_("Ente gestore"),
    N_("Ente del Terzo Settore"),
    N_("Comune"),
    N_("Unione di comuni"),
    N_("ASL"),
    N_("Impresa"),
    N_("Altro"),
    # SECTOR_LABELS
    N_("Pubblico"),
    N_("Terzo settore"),
    N_("Mercato"),
    # RUNTS_LABELS
    N_("Organizzazione di volontariato (ODV)"),
    N_("Associazione di promozione sociale (APS)"),
    N_("Ente filantropico"),
    N_("Impresa sociale (incluse le cooperative sociali)"),
    N_("Rete associativa"),
    N_("Società di mutuo soccorso"),
    N_("Altro ente del Terzo Settore"),
    # STATUS_LABELS
    N_("Bozza"),
    N_("Progetto preliminare presentato"),
    N_("Ammesso alla fase 2"),
    N_("Non ammesso"),
    N_("Progetto definitivo presentato"),
    N_("Finanziato"),
    N_("Non finanziato"),
    N_("Concluso"),
)

#: account roles as shown in the interface
ROLE_NAMES: dict[str, str] = {
    Role.ADMIN.value: N_("Amministratore"),
    Role.FACILITATORE.value: N_("Facilitatore"),
    Role.ENTE.value: N_("Ente"),
    Role.RICERCATORE.value: N_("Ricercatore"),
}


def library_labels() -> set[str]:
    """Every Italian label of ``matchmaker.domain`` shown in the interface."""
    tables = (KIND_LABELS, SECTOR_LABELS, RUNTS_LABELS, STATUS_LABELS)
    return {label for table in tables for label in table.values()}


def current_language() -> str:
    """The request's language code (``it`` outside a request)."""
    try:
        return str(get_locale() or DEFAULT)
    except RuntimeError:
        return DEFAULT


def is_english() -> bool:
    """Whether the request's page is in English (Italian otherwise)."""
    return current_language() == "en"


def translate_label(value: Any) -> Any:
    """A label from the library or a table, translated when the catalogue has it.

    Anything that is not a non-empty string (``None``, numbers) is returned unchanged;
    strings the catalogue does not know (names of places, free text) are shown as they are.
    """
    if not isinstance(value, str) or not value or hasattr(value, "__html__"):
        return value  # Markup is already final HTML: not a catalogue entry
    return gettext(value)


def theme_label(theme: Any, label_it: str | None = None) -> str:
    """A theme's name in the request's language.

    ``theme`` is a :class:`~matchmaker.storage.Theme` (or anything with ``label_it`` and
    ``label_en``) or a theme code; with a code, ``label_it`` is the fallback and the English
    names are read once per request from the theme table.
    """
    if not isinstance(theme, str):
        italian = getattr(theme, "label_it", "") or ""
        english = getattr(theme, "label_en", "") or ""
        return english if english and current_language() == "en" else italian
    fallback = label_it if label_it is not None else theme
    if current_language() != "en":
        return fallback
    if "theme_labels_en" not in g:
        from matchmaker.registry import theme_labels
        from web import db_session

        labels = theme_labels(db_session(), "en")
        g.theme_labels_en = {code: label for code, label in labels.items() if label}
    return g.theme_labels_en.get(theme, fallback)


def init_i18n(app: Flask) -> None:
    Babel(
        app,
        locale_selector=select_locale,
        default_locale=DEFAULT,
        default_translation_directories="translations",
    )

    @app.context_processor
    def _languages() -> dict[str, object]:
        return {
            "languages": LANGUAGES,
            "current_lang": str(get_locale() or DEFAULT),
            "lang_url": lang_url,
            "theme_label": theme_label,
            "ROLE_NAMES": ROLE_NAMES,
        }

    app.jinja_env.filters["tr"] = translate_label
