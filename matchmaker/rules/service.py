"""The ATS builder service: the one entry point the CLI and the web application call.

:class:`AtsService` gets its database, its candidate source and its rule catalogue in the
constructor, and offers: check a composition (with fixes), check a stored ATS, propose
teams, move an ATS through its lifecycle and read its history.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from matchmaker.domain import DomainError, PartnershipStatus
from matchmaker.rules.candidates import (
    Candidate,
    CandidateRequest,
    CandidateSource,
    DistrictRerank,
    LexicalCandidates,
    MatchEngineCandidates,
)
from matchmaker.rules.catalogue import Catalogue, default_catalogue
from matchmaker.rules.engine import evaluate
from matchmaker.rules.fixes import FixAdvisor
from matchmaker.rules.lifecycle import composition_of, find_partnership, history, transition
from matchmaker.rules.model import CheckResult, Composition, parse_composition
from matchmaker.rules.team import TeamProposal, propose
from matchmaker.rules.world import World
from matchmaker.storage.db import Database
from matchmaker.storage.rules_models import AtsStatusChange
from matchmaker.storage.snapshot_cache import snapshot_cache

__all__ = ["AtsService"]


class _Fallback:
    """Ask the primary source; when it cannot be built (no model), use the lexical one."""

    def __init__(self, primary: CandidateSource, world: World) -> None:
        self.primary = primary
        self.world = world
        self.used_fallback = False

    def __call__(self, request: CandidateRequest) -> list[Candidate]:
        if not self.used_fallback:
            try:
                return list(self.primary(request))
            except (ImportError, OSError):
                self.used_fallback = True
        labels = {c: list(pair) for c, pair in self.world.themes.items()}
        return LexicalCandidates(self.world, labels)(request)


class AtsService:
    """Check, fix, propose and follow ATS against the call's rules.

    Parameters
    ----------
    database : Database
    candidates : CandidateSource or "lexical" or "districts", optional
        Ranks third-sector candidates for fixes and proposals. Default: the matching
        engine's own ranking (territory channel included); ``"districts"``: the engine
        without its territory channel, re-ranked by presence in the ATS's districts
        (:class:`DistrictRerank`); both fall back to :class:`LexicalCandidates` if the
        model cannot load. ``"lexical"`` uses the model-free ranking only.
    catalogue : Catalogue, optional
        Default: the rules shipped with matchmaker.
    settings : Settings, optional
        Passed to the matching engine.
    """

    def __init__(
        self,
        database: Database,
        candidates: CandidateSource | str | None = None,
        catalogue: Catalogue | None = None,
        settings: Any = None,
    ) -> None:
        self.database = database
        self.catalogue = catalogue or default_catalogue()
        self._candidates = candidates
        self._engine_source = (
            MatchEngineCandidates(database, settings) if candidates in (None, "districts") else None
        )
        self.snapshots = snapshot_cache(database)

    def require_rules(self, measure: int) -> None:
        """Refuse a measure whose call has no rules in the catalogue (nothing to check)."""
        if not self.catalogue.for_measure(measure):
            known = ", ".join(str(m) for m in sorted(self.catalogue.measures))
            raise DomainError(
                f"measure: nessuna regola per la Misura {measure} (misure con regole: {known})",
                field="measure",
                value=measure,
                kind="reference",
                en=f"measure: no rules for Misura {measure} (measures with rules: {known})",
            )

    def world(self) -> World:
        """The database as the rules see it: read again only when the data changed.

        The :class:`World` comes from the database's shared
        :class:`~matchmaker.storage.snapshot_cache.SnapshotCache`; while nothing changed, a call
        costs one query (the version probe). Treat it as read-only.
        """
        with self.database.session() as session:
            return self.snapshots.view(session, World.from_snapshot)

    def candidate_source(self, world: World) -> CandidateSource:
        """The candidate source to use with this snapshot."""
        if self._candidates == "lexical":
            labels = {c: list(pair) for c, pair in world.themes.items()}
            return LexicalCandidates(world, labels)
        if self._candidates == "districts":
            return DistrictRerank(_Fallback(self._engine_source, world), world)
        if self._candidates is not None:
            return self._candidates  # type: ignore[return-value]
        return _Fallback(self._engine_source, world)

    def check(
        self,
        composition: Composition | Mapping[str, Any],
        *,
        fixes: bool = True,
        need: str = "",
        world: World | None = None,
    ) -> CheckResult:
        """Check a composition (or its JSON form) against the rules of its measure.

        Raises
        ------
        DomainError
            When the input is malformed or names an unknown district or organisation.
        """
        comp = composition if isinstance(composition, Composition) else None
        if comp is None:
            comp = parse_composition(composition)
        self.require_rules(comp.measure)
        world = world or self.world()
        advisor = None
        if fixes:
            advisor = FixAdvisor(world, self.catalogue, self.candidate_source(world), need)
        return evaluate(comp, world, self.catalogue, advisor)

    def check_stored(self, key: int | str, *, fixes: bool = True, need: str = "") -> CheckResult:
        """Check a stored ATS (by id or code); it does not count against itself."""
        with self.database.session() as session:
            ats = find_partnership(session, key)
            comp = composition_of(ats)
            need = need or f"{ats.title}. {ats.description}"
            world = self.snapshots.view(session, World.from_snapshot)
        return self.check(comp, fixes=fixes, need=need, world=world)

    def propose(
        self,
        text: str,
        *,
        for_tax_code: str | None = None,
        district: str | None = None,
        size: int = 3,
        call_round: int | None = None,
        measure: int = 1,
        alternatives: int = 3,
        world: World | None = None,
    ) -> list[TeamProposal]:
        """Propose complete admissible ATS (see :func:`matchmaker.rules.team.propose`).

        ``call_round`` defaults to :meth:`next_round`: the round after the latest one with
        a submitted ATS (the open call, where drafts do not hold anybody).
        """
        world = world or self.world()
        if call_round is None:
            call_round = self.next_round(world, measure)
        return propose(
            world,
            self.candidate_source(world),
            text,
            for_tax_code=for_tax_code,
            district=district,
            size=size,
            call_round=call_round,
            measure=measure,
            alternatives=alternatives,
            catalogue=self.catalogue,
        )

    @staticmethod
    def next_round(world: World, measure: int = 1) -> int:
        """One more than the latest round of ``measure`` with a submitted ATS (1 when none).

        Drafts do not close a round: with submitted ATS in rounds 1-2 and drafts in round 3,
        the default round is 3.
        """
        rounds = [
            a.call_round
            for a in world.partnerships
            if a.measure == measure and a.status.value != "bozza"
        ]
        return max(rounds, default=0) + 1

    def transition(
        self,
        key: int | str,
        to_status: PartnershipStatus | str,
        *,
        actor: str,
        note: str = "",
        at: Any = None,
    ) -> AtsStatusChange:
        """Move an ATS to another status (see :func:`matchmaker.rules.lifecycle.transition`)."""
        with self.database.session(actor=actor) as session:
            return transition(
                session, key, to_status, actor=actor, note=note, at=at, catalogue=self.catalogue
            )

    def history(self, key: int | str) -> list[AtsStatusChange]:
        """The status changes of an ATS, oldest first."""
        with self.database.session() as session:
            return history(session, key)
