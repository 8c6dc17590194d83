"""Error pages: Italian HTML for browsers, problem+json for API clients."""

from __future__ import annotations

from flask import Flask, jsonify, render_template, request
from werkzeug.exceptions import HTTPException, InternalServerError

__all__ = ["error_response", "register"]

_TITLES = {
    400: "Richiesta non valida",
    401: "Accesso richiesto",
    403: "Accesso negato",
    404: "Pagina non trovata",
    405: "Metodo non consentito",
    413: "File troppo grande",
    429: "Troppe richieste",
    500: "Errore interno",
    503: "Servizio non disponibile",
}
_MESSAGES = {
    404: "L'indirizzo richiesto non esiste o la risorsa è stata rimossa.",
    500: "Si è verificato un errore imprevisto. L'operazione non è stata completata "
    "e nessun dato è stato modificato.",
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
    title = _TITLES.get(status, "Errore")
    detail = detail or _MESSAGES.get(status, title)
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
        detail = exc.description if exc.code not in _MESSAGES else None
        return error_response(exc.code or 500, detail)

    @app.errorhandler(Exception)
    def _unexpected(exc: Exception):
        app.logger.exception("errore non gestito", exc_info=exc)
        return error_response(InternalServerError.code)
