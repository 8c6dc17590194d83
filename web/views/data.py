"""Import and export pages for facilitators (roles admin and facilitatore).

Import in two steps: the uploaded file is validated without writing anything (the library's
dry run) and shown as a preview with the validation report; only a file without errors can be
confirmed, and on confirmation it is validated again and written all or nothing. Between the two
steps the file waits in ``<instance>/uploads/<token>.<ext>``, the token in the session.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import secrets
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from flask import (
    Blueprint,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    send_file,
    session,
    url_for,
)
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf import FlaskForm
from flask_wtf.file import FileAllowed, FileField, FileRequired
from werkzeug.exceptions import RequestEntityTooLarge
from wtforms import BooleanField, SelectField, StringField, SubmitField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import Length, Optional

from matchmaker.domain import Role
from matchmaker.ingest import (
    FileFormatError,
    ImportReport,
    ImportValidationError,
    IngestError,
    RowError,
)
from matchmaker.ingest.readers import read_table
from matchmaker.ingest.schema import KINDS, SHEET_NAMES
from web.engines import data_service, viewer
from web.errors import error_response
from web.i18n import is_english

__all__ = ["bp"]

bp = Blueprint("data", __name__)

#: kinds in the order the page lists them, with their Italian labels
KIND_LABELS = {
    "organisations": _l("Enti (organizzazioni)"),
    "districts": _l("Distretti"),
    "partnerships": _l("Partenariati (ATS e reti)"),
    "collaborations": _l("Collaborazioni dichiarate"),
}
#: file names of the exports (Italian, as the facilitators call them)
FILE_NAMES = {
    "organisations": "enti",
    "districts": "distretti",
    "partnerships": "partenariati",
    "collaborations": "collaborazioni",
}
_MEDIA = {
    "csv": "text/csv",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "json": "application/json",
}
_EXTENSIONS = ("csv", "xlsx", "json")
PREVIEW_ROWS = 10
#: at most this many errors are listed on the page (the counts cover all of them)
MAX_ERRORS_SHOWN = 500
#: a file waiting for confirmation is kept this long
UPLOAD_TTL_SECONDS = 2 * 3600
_TOKEN = re.compile(r"^[A-Za-z0-9_-]{20,64}$")
_SESSION_KEY = "data_import"
_RESULT_KEY = "data_import_result"


class ImportForm(FlaskForm):
    kind = SelectField(
        _l("Che cosa contiene il file"),
        choices=[SelectChoice(k, label) for k, label in KIND_LABELS.items()],
    )
    file = FileField(
        _l("File da importare (CSV, XLSX o JSON)"),
        validators=[
            FileRequired(_l("Scegliere un file.")),
            FileAllowed(_EXTENSIONS, _l("Il file deve essere .csv, .xlsx o .json.")),
        ],
    )
    update = BooleanField(_l("Aggiorna i record già presenti (stesso codice fiscale o codice)"))
    sheet = StringField(
        _l("Foglio (solo per file XLSX con più fogli)"), validators=[Optional(), Length(max=100)]
    )
    submit = SubmitField(_l("Carica e controlla"))


def _uploads() -> Path:
    folder = Path(current_app.instance_path) / "uploads"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def _upload_path(token: str, ext: str) -> Path | None:
    if not _TOKEN.match(token or "") or ext not in _EXTENSIONS:
        return None
    return _uploads() / f"{token}.{ext}"


def _clean_old_uploads() -> None:
    """Remove files left waiting longer than the time limit (abandoned previews)."""
    limit = time.time() - UPLOAD_TTL_SECONDS
    for path in _uploads().iterdir():
        try:
            if path.is_file() and path.stat().st_mtime < limit:
                path.unlink()
        except OSError:
            pass


def _drop_pending() -> None:
    """Delete the file waiting for confirmation, if any, and forget it."""
    pending = session.pop(_SESSION_KEY, None)
    if pending:
        path = _upload_path(pending.get("token", ""), pending.get("ext", ""))
        if path is not None:
            path.unlink(missing_ok=True)


def _reason(error: RowError) -> str:
    return error.reason_en if is_english() else error.reason_it


def _message(exc: IngestError) -> str:
    return exc.message_en if is_english() else exc.message_it


def _max_bytes() -> int:
    return int(current_app.config.get("MAX_CONTENT_LENGTH") or 20 * 1024 * 1024)


def _index_page(form: ImportForm | None = None, *, error: str | None = None, status: int = 200):
    form = form or ImportForm(formdata=None)
    is_admin = getattr(current_user, "role", None) == Role.ADMIN
    page = render_template(
        "data/index.html",
        form=form,
        error=error,
        kinds=KIND_LABELS,
        schemas=KINDS,
        network_exports=[
            ("GraphML", url_for("api.network_export", format="graphml")),
            ("GEXF", url_for("api.network_export", format="gexf")),
            ("JSON", url_for("api.network_export", format="json")),
            (_("CSV (archivio zip)"), url_for("api.network_export", format="csv")),
        ],
        is_admin=is_admin,
        limit_mb=_max_bytes() // (1024 * 1024),
    )
    return page, status


@bp.errorhandler(RequestEntityTooLarge)
def _too_large(_exc: RequestEntityTooLarge):
    return _index_page(
        error=_(
            "Il file è troppo grande: il limite è di %(n)s MB. Dividere il file in più parti "
            "oppure togliere le colonne non necessarie, e caricarlo di nuovo.",
            n=_max_bytes() // (1024 * 1024),
        ),
        status=413,
    )


@bp.get("/dati")
def index():
    """The import form and the export downloads."""
    return _index_page()


def _validate(path: Path, pending: dict[str, Any]) -> tuple[ImportReport | None, str | None]:
    """Dry run of the import: the report (errors included), or a file-level error message."""
    try:
        report = data_service().dry_run(
            pending["kind"],
            path,
            update=pending["update"],
            sheet=pending["sheet"] or None,
            max_bytes=_max_bytes(),
        )
    except ImportValidationError as exc:
        return exc.report, None
    except FileFormatError as exc:
        return None, _message(exc)
    return report, None


def _sample(path: Path, pending: dict[str, Any]) -> tuple[list[str], list[tuple[int, list[str]]]]:
    try:
        table = read_table(
            path,
            sheet=pending["sheet"] or None,
            sheet_names=SHEET_NAMES[pending["kind"]],
            max_bytes=_max_bytes(),
        )
    except FileFormatError:
        return [], []
    return table.header, table.rows[:PREVIEW_ROWS]


@bp.post("/dati/importa")
def upload():
    """Receive a file, validate it without writing, show the preview and the report."""
    form = ImportForm()
    if not form.validate():
        return _index_page(form, status=400)
    _drop_pending()
    _clean_old_uploads()
    upload = form.file.data
    filename = Path(upload.filename or "").name[:200]
    ext = filename.rsplit(".", 1)[-1].lower()
    token = secrets.token_urlsafe(24)
    path = _upload_path(token, ext)
    upload.save(str(path))
    pending = {
        "token": token,
        "ext": ext,
        "kind": form.kind.data,
        "update": bool(form.update.data),
        "sheet": (form.sheet.data or "").strip(),
        "filename": filename,
    }
    report, file_error = _validate(path, pending)
    header, rows = _sample(path, pending) if file_error is None else ([], [])
    ok = report is not None and report.ok
    if ok:
        session[_SESSION_KEY] = pending
    else:
        path.unlink(missing_ok=True)
    page = _preview_page(pending, report, file_error, header=header, rows=rows, token=token)
    return page, 200 if ok else 400


def _preview_page(
    pending: dict[str, Any],
    report: ImportReport | None,
    file_error: str | None,
    *,
    header: Sequence[str] = (),
    rows: Sequence[tuple[int, list[str]]] = (),
    token: str | None = None,
    changed: bool = False,
) -> str:
    errors = report.errors if report else []
    return render_template(
        "data/preview.html",
        pending=pending,
        kind_label=KIND_LABELS[pending["kind"]],
        report=report,
        file_error=file_error,
        header=header,
        rows=rows,
        errors=errors[:MAX_ERRORS_SHOWN],
        hidden_errors=max(len(errors) - MAX_ERRORS_SHOWN, 0),
        error_rows=len({e.row for e in errors}),
        bad_rows={e.row for e in errors},
        reason=_reason,
        ok=report is not None and report.ok and not changed,
        token=token,
        changed=changed,
    )


def _pending_for(token: str | None) -> tuple[dict[str, Any] | None, Path | None]:
    pending = session.get(_SESSION_KEY)
    if not pending or not token or pending.get("token") != token:
        return None, None
    path = _upload_path(pending["token"], pending["ext"])
    if path is None or not path.is_file():
        return None, None
    if path.stat().st_mtime < time.time() - UPLOAD_TTL_SECONDS:  # expired
        _drop_pending()
        return None, None
    return pending, path


@bp.post("/dati/conferma")
def confirm():
    """Validate the waiting file again and write it, all or nothing."""
    pending, path = _pending_for(request.form.get("token"))
    if pending is None or path is None:
        return _index_page(
            error=_(
                "Non c'è nessuna importazione da confermare: il file caricato è scaduto o è "
                "già stato importato o annullato. Nulla è stato importato; caricare di nuovo "
                "il file."
            ),
            status=400,
        )
    try:
        report = data_service().import_file(
            pending["kind"],
            path,
            actor=viewer().actor,
            update=pending["update"],
            sheet=pending["sheet"] or None,
            max_bytes=_max_bytes(),
        )
    except IngestError as exc:
        _drop_pending()
        report = exc.report if isinstance(exc, ImportValidationError) else None
        page = _preview_page(
            pending, report, None if report else _message(exc), changed=report is not None
        )
        return page, 409
    except Exception:
        _drop_pending()
        raise
    _drop_pending()
    session[_RESULT_KEY] = {
        "kind": pending["kind"],
        "filename": pending["filename"],
        "rows": report.rows,
        "created": report.created,
        "updated": report.updated,
        "unchanged": report.unchanged,
    }
    return redirect(url_for("data.result"))


@bp.get("/dati/esito")
def result():
    """What the last confirmed import wrote."""
    summary = session.get(_RESULT_KEY)
    if not summary:
        return redirect(url_for("data.index"))
    return render_template(
        "data/result.html", summary=summary, kind_label=KIND_LABELS[summary["kind"]]
    )


@bp.post("/dati/annulla")
def cancel():
    """Forget the waiting file without importing it."""
    _drop_pending()
    flash(_("Importazione annullata: nulla è stato importato."), "ok")
    return redirect(url_for("data.index"))


@bp.get("/dati/esporta")
def export():
    """Every record of one kind (``?dati=``) as CSV, XLSX or JSON (``?formato=``), with the
    import's headers."""
    kind = request.args.get("dati", "")
    fmt = request.args.get("formato", "csv")
    if kind not in KIND_LABELS or fmt not in _EXTENSIONS:
        return error_response(
            404, _("Esportazione sconosciuta: scegliere i dati e il formato dalla pagina Dati.")
        )
    name = f"{FILE_NAMES[kind]}-{dt.date.today().isoformat()}.{fmt}"
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / f"export.{fmt}"
        data_service().export(kind, path, fmt)
        data = path.read_bytes()
    media = _MEDIA[fmt] + ("; charset=utf-8" if fmt != "xlsx" else "")
    return send_file(io.BytesIO(data), mimetype=media, as_attachment=True, download_name=name)


@bp.get("/dati/backup")
def backup_download():
    """The whole database as a zip (administrators only)."""
    name = f"matchmaker-backup-{dt.date.today().isoformat()}.zip"
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "backup.zip"
        data_service().backup(path)
        data = path.read_bytes()
    return send_file(
        io.BytesIO(data), mimetype="application/zip", as_attachment=True, download_name=name
    )
