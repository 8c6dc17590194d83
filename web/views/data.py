"""Import and export pages for facilitators."""

from __future__ import annotations

from flask import Blueprint, render_template

bp = Blueprint("data", __name__)


@bp.get("/dati")
def index():
    """Placeholder, replaced by the page's own view."""
    return render_template("base.html")
