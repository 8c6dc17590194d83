"""Error pages: Italian HTML for browsers, problem+json for API clients."""

from __future__ import annotations

from flask import Flask, jsonify, make_response, render_template, request
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException, InternalServerError, MethodNotAllowed

__all__ = ["error_response", "register"]

_TITLES = {
    400: _l("Richiesta non valida"),
    401: _l("Accesso richiesto"),
    403: _l("Accesso negato"),
    404: _l("Pagina non trovata"),
    405: _l("Metodo non consentito"),
    413: _l("File troppo grande"),
    429: _l("Troppe richieste"),
    500: _l("Errore interno"),
    503: _l("Servizio non disponibile"),
}
_MESSAGES = {
    404: _l("L'indirizzo richiesto non esiste o la risorsa è stata rimossa."),
    500: _l(
        "Si è verificato un errore imprevisto. L'operazione non è stata completata "
        "e nessun dato è stato modificato."
    ),
}


def _wants_json() -> bool:
    if request.path.startswith("/api/"):
        return True
    best = request.accept_mimetypes.best_match(["text/html", "application/json"])
    return (
        best == "application/json"
        and request.accept_mimetypes[best] > request.accept_mimetypes["text/html"]
    )


def error_response(status: int, detail: str | None = None):
    """One response for an error status, shaped for whoever asked."""
    title = str(_TITLES.get(status) or _("Errore"))
    detail = str(detail or _MESSAGES.get(status) or title)
    if _wants_json():
        response = jsonify(
            {"type": "about:blank", "title": title, "status": status, "detail": detail}
        )
        response.status_code = status
        response.mimetype = "application/problem+json"
        return response
    return render_template("errors/error.html", status=status, title=title, detail=detail), status


def register(app: Flask) -> None:
    @app.errorhandler(HTTPException)
    def _http(exc: HTTPException):
        # werkzeug's stock descriptions are English: the page then says the title instead
        stock = exc.description == type(exc).description
        detail = exc.description if exc.code not in _MESSAGES and not stock else None
        if isinstance(exc, CSRFError):  # Flask-WTF's reasons are English
            detail = _("Token CSRF mancante o scaduto: ricaricare la pagina e riprovare.")
        response = error_response(exc.code or 500, detail)
        if isinstance(exc, MethodNotAllowed) and exc.valid_methods:
            response = make_response(response)
            response.headers["Allow"] = ", ".join(sorted(exc.valid_methods))
        return response

    @app.errorhandler(Exception)
    def _unexpected(exc: Exception):
        app.logger.exception("errore non gestito", exc_info=exc)
        return error_response(InternalServerError.code)
