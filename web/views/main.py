"""Home page (dashboard with the district map) and health check."""

from __future__ import annotations

from flask import Blueprint, current_app, jsonify, render_template

from matchmaker.instance import SchemaNotReady, ensure_schema_ready, overview
from matchmaker.territory.districts import PRIORITY_GROUP, district_map, district_rows, theme_counts
from web import db_session
from web.errors import error_response

bp = Blueprint("main", __name__)


def _engine():
    return current_app.extensions["matchmaker"].database.engine


@bp.get("/")
def home():
    """Dashboard: what the database holds, the districts on the map and their actors."""
    try:
        ensure_schema_ready(_engine())
    except SchemaNotReady as exc:
        return error_response(503, str(exc))
    session = db_session()
    settings = current_app.extensions["matchmaker"].settings
    return render_template(
        "main/home.html",
        ov=overview(session),
        map=district_map(session, reference_dir=settings.reference_dir),
        rows=district_rows(session),
        themes_cited=[t for t in theme_counts(session) if t["organisations"]],
        priority_group=PRIORITY_GROUP,
    )


@bp.get("/healthz")
def health():
    """Liveness and schema state, for monitoring."""
    try:
        revision = ensure_schema_ready(_engine())
    except SchemaNotReady as exc:
        return jsonify({"status": "schema_not_ready", "detail": str(exc)}), 503
    return jsonify({"status": "ok", "revision": revision})
