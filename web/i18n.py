"""Languages of the interface: Italian first, English as the second language (Flask-Babel).

The source strings in templates and views are Italian; ``web/translations/en`` holds the
English catalogue. The language is Italian unless the visitor picks English with the
switch in the footer (``?lang=en``), which is remembered in the session; the browser's
Accept-Language is deliberately not followed, so that an Italian public service stays
Italian on an English-configured laptop.
"""

from __future__ import annotations

from flask import Flask, request, session, url_for
from flask_babel import Babel, get_locale
from werkzeug.routing import BuildError

__all__ = ["LANGUAGES", "init_i18n", "lang_url", "select_locale"]

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
        }
