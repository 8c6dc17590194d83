"""The matching engine of the application: one per process, built on first use."""

from __future__ import annotations

import threading

from flask import current_app

from matchmaker.matching import MatchEngine
from matchmaker.rules import AtsService, MatchEngineCandidates

__all__ = ["ats_service", "match_engine"]

_lock = threading.Lock()


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
