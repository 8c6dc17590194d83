"""ATS builder: compose and edit a partnership, with the call's rules checked live.

Pages (:mod:`~web.views.ats.pages`): the list of ATS (``/ats``), the builder
(``/ats/nuova``, ``/ats/<code>``), status changes (``/ats/<code>/stato``) and "add to a
draft ATS" from Trova partner. JSON endpoints for the builder's script
(:mod:`~web.views.ats.live`): the live rule check, the organisation search and the team
proposal. Every write goes through :class:`matchmaker.rules.draft_service.DraftService`;
the script is only a convenience, the library checks everything again.
"""

from __future__ import annotations

from flask import Blueprint

__all__ = ["bp", "draft_choices"]

bp = Blueprint("ats", __name__)

from web.views.ats import live, pages  # noqa: E402,F401  (the routes)
from web.views.ats.pages import draft_choices  # noqa: E402
