"""The matching engine: builds the index lazily, keeps it in step with writes, searches.

:meth:`MatchEngine.search` is a thin wrapper: it reads the query context from the database
(:mod:`~matchmaker.matching.context`), encodes the need, scores on arrays
(:mod:`~matchmaker.matching.scoring`) and explains (:mod:`~matchmaker.matching.results`).
"""

from __future__ import annotations

import contextlib
import threading
import weakref
from collections.abc import Callable, Iterable, Mapping
from typing import Any

from sqlalchemy import event, select
from sqlalchemy.orm import Session

from matchmaker.config import Settings
from matchmaker.matching.channels.base import QueryVectors
from matchmaker.matching.context import read_context
from matchmaker.matching.encoders import Encoder, make_encoder
from matchmaker.matching.index import MatchIndex
from matchmaker.matching.places import gazetteer as load_gazetteer
from matchmaker.matching.profiles import read_profiles
from matchmaker.matching.query import MatchQuery, MatchResult
from matchmaker.matching.registry import DEFAULT_CHANNELS, ChannelSet
from matchmaker.matching.results import to_results
from matchmaker.matching.scoring import rank
from matchmaker.matching.store import ensure_vectors
from matchmaker.matching.themes import ThemeSpace
from matchmaker.reference import read_reference
from matchmaker.storage.db import Database
from matchmaker.storage.models import Organisation

__all__ = ["MatchEngine", "single_blas_thread"]

_DEFAULT = object()
_CONTROLLER: list[Any] = []


def single_blas_thread() -> contextlib.AbstractContextManager:
    """Run BLAS on one thread: a query's small products are latency-bound, and on a busy
    machine waking a second BLAS thread for each of them costs more than it saves (measured:
    93 ms -> 29 ms per query on 1,000 profiles, 2 shared cores)."""
    if not _CONTROLLER:
        try:
            from threadpoolctl import ThreadpoolController

            _CONTROLLER.append(ThreadpoolController())
        except ImportError:  # pragma: no cover - threadpoolctl comes with scikit-learn
            _CONTROLLER.append(None)
    if _CONTROLLER[0] is None:  # pragma: no cover
        return contextlib.nullcontext()
    return _CONTROLLER[0].limit(limits=1, user_api="blas")


def _unlisten(factory: Any, listeners: tuple) -> None:
    for name, fn in listeners:
        if event.contains(factory, name, fn):
            event.remove(factory, name, fn)


class MatchEngine:
    """Partner suggestions over the organisations of a database.

    The index is built on the first search (or :meth:`rebuild`): profiles are read, their
    stored vectors reused when the text and model match, the others embedded and stored.
    Afterwards every committed write to an :class:`Organisation` through ``database``'s
    sessions marks that profile for refresh, applied before the next search, so a profile
    save re-embeds only that profile.

    Parameters
    ----------
    database : Database
    settings : Settings, optional
        ``embedding_backend``, ``embedding_model``, ``embedding_device``, ``match_weights``,
        ``reference_dir``.
    encoder : Encoder or None, optional
        An encoder object to use instead of the one the settings name (tests pass a fake
        one); ``None`` switches the semantic channels off.
    channels : ChannelSet, optional
        The channels of the fused score (default: :data:`~.registry.DEFAULT_CHANNELS`).
    """

    def __init__(
        self,
        database: Database,
        settings: Settings | None = None,
        encoder: Encoder | object | None = _DEFAULT,
        channels: ChannelSet = DEFAULT_CHANNELS,
    ) -> None:
        self.database = database
        self.settings = settings or Settings.load()
        self.channels = channels
        if encoder is _DEFAULT:
            encoder = make_encoder(
                self.settings.embedding_backend,
                self.settings.embedding_model,
                self.settings.embedding_device,
            )
        self.encoder: Encoder | None = encoder  # type: ignore[assignment]
        self.weights = channels.parse_weights(self.settings.match_weights)
        self.gazetteer = load_gazetteer(self.settings.reference_dir)
        themes = read_reference(self.settings.reference_dir).themes
        self.theme_space = ThemeSpace([t.code for t in themes], [t.label_it for t in themes])
        self._index: MatchIndex | None = None
        self._lock = threading.RLock()
        self._pending: set[int] = set()
        self._pending_lock = threading.Lock()
        self._listen()

    # -- keeping in step with writes ----------------------------------------------------------

    def _listen(self) -> None:
        ref = weakref.ref(self)
        factory = self.database.sessionmaker

        def after_flush(session: Session, _context: Any) -> None:
            changed = session.info.setdefault("_matching_changed", set())
            for obj in (*session.new, *session.dirty, *session.deleted):
                if isinstance(obj, Organisation) and obj.id is not None:
                    changed.add(obj.id)

        def after_commit(session: Session) -> None:
            changed = session.info.pop("_matching_changed", None)
            engine = ref()
            if changed and engine is not None:
                with engine._pending_lock:
                    engine._pending.update(changed)

        def after_rollback(session: Session) -> None:
            session.info.pop("_matching_changed", None)

        listeners = (
            ("after_flush", after_flush),
            ("after_commit", after_commit),
            ("after_soft_rollback", lambda s, _t: after_rollback(s)),
        )
        for name, fn in listeners:
            event.listen(factory, name, fn)
        # an engine that is garbage-collected (or closed) stops listening
        self._finalizer = weakref.finalize(self, _unlisten, factory, listeners)

    def close(self) -> None:
        """Stop following the database's writes and drop the in-memory index."""
        self._finalizer()
        self._index = None

    def refresh(self, tax_codes: str | Iterable[str] | None = None) -> int:
        """Bring the index up to date now: the given organisations (by tax code) and any
        pending writes. Returns the number of profiles re-read."""
        if isinstance(tax_codes, str):
            tax_codes = [tax_codes]
        ids: set[int] = set()
        if tax_codes:
            with self.database.session() as session:
                ids.update(
                    session.scalars(
                        select(Organisation.id).where(Organisation.tax_code.in_(list(tax_codes)))
                    )
                )
        with self._pending_lock:
            ids |= self._pending
            self._pending.clear()
        if not ids or self._index is None:
            return 0
        with self._lock:
            return self._update(ids)

    def _update(self, ids: set[int]) -> int:
        index = self._index
        assert index is not None
        with self.database.session(actor="matching") as session:
            profiles = list(read_profiles(session, self.gazetteer, ids))
            vectors = ensure_vectors(session, self.encoder, profiles) if self.encoder else {}
        index.upsert(profiles, vectors)
        index.remove(ids - {p.org_id for p in profiles})
        return len(ids)

    # -- building -------------------------------------------------------------------------------

    @property
    def index(self) -> MatchIndex:
        """The in-memory index, built on first use."""
        if self._index is None:
            with self._lock:
                if self._index is None:
                    self._index = self._build()
        return self._index

    def rebuild(
        self, *, force: bool = False, progress: Callable[[int], None] | None = None
    ) -> MatchIndex:
        """Build the index again from the database (``force``: re-embed every profile)."""
        with self._lock:
            with self._pending_lock:
                self._pending.clear()
            self._index = self._build(force=force, progress=progress)
            return self._index

    def count_profiles(self) -> int:
        with self.database.session() as session:
            return len(session.scalars(select(Organisation.id)).all())

    def _build(
        self, *, force: bool = False, progress: Callable[[int], None] | None = None
    ) -> MatchIndex:
        dim = self.encoder.dim if self.encoder else None
        index = MatchIndex(dim, self.theme_space, self.gazetteer)
        with self.database.session(actor="matching") as session:
            profiles = list(read_profiles(session, self.gazetteer))
            vectors = (
                ensure_vectors(session, self.encoder, profiles, progress=progress, force=force)
                if self.encoder
                else {}
            )
        if self.encoder and self.theme_space.label_vectors is None:
            self.theme_space.label_vectors = self.encoder.encode(self.theme_space.labels)
        index.build(profiles, vectors)
        return index

    # -- searching --------------------------------------------------------------------------------

    def search(
        self, query: MatchQuery, *, weights: Mapping[str, float] | None = None
    ) -> list[MatchResult]:
        """Ranked, explained partner suggestions for ``query``.

        Parameters
        ----------
        query : MatchQuery
        weights : mapping, optional
            Fusion weights for this call (default: the engine's; missing channels: 0).

        Raises
        ------
        ValueError
            When the query has no text, no themes and no asking organisation, names an
            unknown ``for_tax_code`` or district, or no applicable channel has a weight.
        """
        if self._pending:
            self.refresh()
        index = self.index
        with self.database.session(actor="matching") as session:
            context = read_context(session, query, self.gazetteer)
        with self._lock, single_blas_thread():
            vectors = self.encode(context.text, index)
            ranking = rank(context, index, vectors, dict(weights or self.weights), self.channels)
            return to_results(ranking)

    def encode(self, text: str, index: MatchIndex | None = None) -> QueryVectors:
        """The need text as the channels read it: the encoder's vector (None without an
        encoder) and the TF-IDF row of the index's lexical model (None for no text)."""
        if index is None:
            index = self.index
        if not text:
            return QueryVectors()
        dense = self.encoder.encode([text])[0] if self.encoder is not None else None
        lexical = index.lexical.weight(index.lexical.counts([text]), query=True)
        return QueryVectors(dense, lexical)
