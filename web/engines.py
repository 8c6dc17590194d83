"""The library's engines and services of the application: one per process, built on first use.

Views and API resources reach every write through these services (the rules service, the
ATS drafts, accounts, profiles), never through a database session of their own.
"""

from __future__ import annotations

import threading

from flask import current_app
from flask_login import current_user

from matchmaker.accounts import AccountService
from matchmaker.domain import Viewer
from matchmaker.ingest.service import DataService
from matchmaker.matching import MatchEngine
from matchmaker.registry.profiles import ProfileService
from matchmaker.rules import AtsService, MatchEngineCandidates
from matchmaker.rules.draft_service import DraftService

__all__ = [
    "account_service",
    "ats_service",
    "data_service",
    "draft_service",
    "match_engine",
    "profile_service",
    "viewer",
]

_lock = threading.RLock()


def match_engine() -> MatchEngine:
    """The app's engine (loads the encoder and the index lazily, once per process)."""
    state = current_app.extensions["matchmaker"]
    engine = state.match_engine
    if engine is None:
        with _lock:
            engine = state.match_engine
            if engine is None:
                encoder = current_app.config.get("MATCH_ENCODER", "default")
                if encoder == "default":
                    engine = MatchEngine(state.database, state.settings)
                else:  # tests inject a deterministic encoder
                    engine = MatchEngine(state.database, state.settings, encoder=encoder)
                state.match_engine = engine
    return engine


def ats_service() -> AtsService:
    """The app's rules service; its candidates come from the app's own matching engine."""
    state = current_app.extensions["matchmaker"]
    service = state.ats_service
    if service is None:
        with _lock:
            service = state.ats_service
            if service is None:
                app = current_app._get_current_object()

                def factory(*_args, **_kwargs):
                    with app.app_context():
                        return match_engine()

                candidates = MatchEngineCandidates(
                    state.database, state.settings, engine_factory=factory
                )
                service = AtsService(state.database, candidates=candidates)
                state.ats_service = service
    return service


def _shared(name: str, build):
    state = current_app.extensions["matchmaker"]
    service = state.services.get(name)
    if service is None:
        with _lock:
            service = state.services.get(name)
            if service is None:
                service = state.services[name] = build(state)
    return service


def draft_service() -> DraftService:
    """ATS drafts: load, check, save, members, status (with the app's rules service)."""
    return _shared("drafts", lambda state: DraftService(state.database, ats_service()))


def account_service() -> AccountService:
    """Sign-in, password changes, new accounts, token checks."""
    return _shared("accounts", lambda state: AccountService(state.database))


def profile_service() -> ProfileService:
    """Creating and editing organisation profiles."""
    return _shared("profiles", lambda state: ProfileService(state.database))


def viewer() -> Viewer:
    """The signed-in user as the library sees it (role, organisation, e-mail)."""
    if not getattr(current_user, "is_authenticated", False):
        return Viewer()
    return Viewer(
        role=current_user.role,
        organisation_id=getattr(current_user, "organisation_id", None),
        email=current_user.email,
    )


def data_service() -> DataService:
    """Import previews and imports, exports and backups."""
    return _shared("data", lambda state: DataService(state.database))
