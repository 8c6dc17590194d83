"""ATS builder: the call's rules as data, live checks with fixes, team proposals, lifecycle.

The rules of each call live in TOML files (``matchmaker/rules/calls``), one declarative
record per rule; :func:`evaluate` runs them against a :class:`World` snapshot of the
database; :class:`FixAdvisor` proposes fixes; :func:`propose` builds complete admissible
teams; :mod:`matchmaker.rules.lifecycle` moves an ATS through its statuses with a dated
history. :class:`AtsService` bundles them for the CLI and the web application.
"""

from __future__ import annotations

from matchmaker.rules.candidates import (
    Candidate,
    CandidateRequest,
    CandidateSource,
    DistrictRerank,
    LexicalCandidates,
    MatchEngineCandidates,
    detect_themes,
)
from matchmaker.rules.catalogue import Catalogue, Rule, default_catalogue, load_catalogue
from matchmaker.rules.engine import evaluate, validate_references
from matchmaker.rules.fixes import FixAdvisor, apply_fix, has_capacity
from matchmaker.rules.lifecycle import (
    SUBMISSIONS,
    TRANSITIONS,
    TransitionRefused,
    composition_of,
    history,
    transition,
)
from matchmaker.rules.model import (
    CheckResult,
    Composition,
    Finding,
    Fix,
    Member,
    parse_composition,
)
from matchmaker.rules.service import AtsService
from matchmaker.rules.team import ProposalImpossible, TeamMember, TeamProposal, propose
from matchmaker.rules.world import World

__all__ = [
    "SUBMISSIONS",
    "TRANSITIONS",
    "AtsService",
    "Candidate",
    "CandidateRequest",
    "CandidateSource",
    "Catalogue",
    "CheckResult",
    "Composition",
    "DistrictRerank",
    "Finding",
    "Fix",
    "FixAdvisor",
    "LexicalCandidates",
    "MatchEngineCandidates",
    "Member",
    "ProposalImpossible",
    "Rule",
    "TeamMember",
    "TeamProposal",
    "TransitionRefused",
    "World",
    "apply_fix",
    "composition_of",
    "default_catalogue",
    "detect_themes",
    "evaluate",
    "has_capacity",
    "history",
    "load_catalogue",
    "parse_composition",
    "propose",
    "transition",
    "validate_references",
]
