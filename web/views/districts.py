"""District pages: one page per Distretto della Coesione Sociale."""

from __future__ import annotations

from flask import Blueprint, render_template

bp = Blueprint("districts", __name__)


@bp.get("/distretti")
def index():
    """Placeholder, replaced by the page's own view."""
    return render_template("base.html")
