"""ATS builder: compose and edit a partnership, with the call's rules checked live."""

from __future__ import annotations

from flask import Blueprint, render_template

bp = Blueprint("ats", __name__)


@bp.get("/ats")
def index():
    """Placeholder, replaced by the page's own view."""
    return render_template("base.html")
