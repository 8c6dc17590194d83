"""Complete, admissible ATS proposals for an Ente Gestore (or a district) and a need.

The mandatory part is fixed by the rules: every Ente Gestore of the lead's district(s), the
lead as capofila. The third-sector members are chosen greedily from the candidate source's
pool (capacity in the round respected) by maximising, at each step,

    a * relevance(c) + b * new needed themes covered by c / needed themes
    - g * max similarity(c, already chosen)

where similarity mixes the Jaccard overlap of declared themes (0.7) and the same RUNTS
section (0.3): the coverage term is submodular, the similarity term is the MMR penalty that
keeps the team diverse. Three strategies weigh the terms differently (relevance, coverage,
diversity with a territorial public member); members already used by an earlier alternative
are penalised so that the alternatives differ. Every proposal is checked with the rules
engine before it is returned: an inadmissible proposal is a bug and raises.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence

from matchmaker.domain import DomainError, MemberRole, OrgKind
from matchmaker.rules.candidates import CandidateRequest, CandidateSource, detect_themes
from matchmaker.rules.catalogue import Catalogue, default_catalogue
from matchmaker.rules.engine import evaluate
from matchmaker.rules.fixes import DEFAULT_NEED, has_capacity
from matchmaker.rules.model import Composition, Member
from matchmaker.rules.proposal import (
    STRATEGIES,
    Strategy,
    TeamMember,
    TeamProposal,
    build_proposal,
)
from matchmaker.rules.world import OrgInfo, World

__all__ = ["STRATEGIES", "ProposalImpossible", "Strategy", "TeamMember", "TeamProposal", "propose"]


class ProposalImpossible(DomainError):
    """No admissible team can be proposed (the lead is taken, no candidate is left...)."""


_REUSE_PENALTY = 0.25


def _similarity(a: OrgInfo, b: OrgInfo) -> float:
    union = a.themes | b.themes
    jaccard = len(a.themes & b.themes) / len(union) if union else 0.0
    same = 1.0 if a.runts_section and a.runts_section == b.runts_section else 0.0
    return 0.7 * jaccard + 0.3 * same


def _greedy(
    pool: Sequence[tuple[OrgInfo, float]],
    needed: set[str],
    k: int,
    s: Strategy,
    used: set[str],
) -> tuple[list[tuple[OrgInfo, float]], float]:
    chosen: list[tuple[OrgInfo, float]] = []
    covered: set[str] = set()
    total = 0.0
    left = list(pool)
    while left and len(chosen) < k:
        best, best_gain = None, float("-inf")
        for org, rel in left:
            new = len((org.themes & needed) - covered) / len(needed) if needed else 0.0
            sim = max((_similarity(org, c) for c, _ in chosen), default=0.0)
            gain = s.relevance * rel + s.coverage * new - s.diversity * sim
            if org.tax_code in used:
                gain -= _REUSE_PENALTY
            if gain > best_gain + 1e-12:
                best, best_gain = (org, rel), gain
        assert best is not None
        chosen.append(best)
        covered |= best[0].themes & needed
        total += best_gain
        left.remove(best)
    return chosen, total


def _lead_and_districts(
    world: World, for_tax_code: str | None, district: str | None
) -> tuple[str, tuple[str, ...]]:
    if for_tax_code:
        org = world.orgs.get(for_tax_code)
        if org is None:
            raise DomainError(
                f"nessun ente con codice fiscale {for_tax_code}",
                field="for_tax_code",
                value=for_tax_code,
                kind="reference",
                en=f"no organisation with tax code {for_tax_code}",
            )
        if org.kind != OrgKind.ENTE_GESTORE:
            raise DomainError(
                f"{world.label(for_tax_code)} non è un Ente Gestore: il capofila della "
                "Misura 1 deve esserlo",
                field="for_tax_code",
                value=for_tax_code,
                kind="conflict",
                en=f"{for_tax_code} is not an Ente Gestore: the capofila of Misura 1 must be one",
            )
        if not org.districts:
            raise ProposalImpossible(
                f"{world.label(for_tax_code)} non afferisce a nessun distretto",
                field="for_tax_code",
            )
        return for_tax_code, tuple(sorted(org.districts))
    if not district or district not in world.districts:
        raise DomainError(f"distretto {district!r} sconosciuto", field="district", kind="reference")
    egs = world.districts[district].enti_gestori
    if not egs:
        raise ProposalImpossible(f"il distretto {district} non ha Enti Gestori", field="district")
    lead = egs[0]
    return lead, tuple(sorted({district} | world.orgs[lead].districts))


def _public_member(world: World, comp: Composition, needed: set[str]) -> OrgInfo | None:
    covered = world.comuni_of(comp.districts)
    present = set(comp.tax_codes)
    best: tuple[tuple, OrgInfo] | None = None
    rank = {OrgKind.ASL: 0, OrgKind.UNIONE_COMUNI: 1, OrgKind.COMUNE: 2}
    for org in world.orgs.values():
        if org.kind not in rank or org.tax_code in present or not org.seat:
            continue
        territory = world.territory(org)
        if not territory or not territory & covered:
            continue
        key = (rank[org.kind], -len(org.themes & needed), org.name, org.tax_code)
        if best is None or key < best[0]:
            best = (key, org)
    return best[1] if best else None


def propose(
    world: World,
    candidates: CandidateSource,
    text: str,
    *,
    for_tax_code: str | None = None,
    district: str | None = None,
    size: int = 3,
    call_round: int = 1,
    measure: int = 1,
    alternatives: int = 3,
    catalogue: Catalogue | None = None,
) -> list[TeamProposal]:
    """Propose two or three complete, admissible ATS for a lead and a need.

    Parameters
    ----------
    world : World
    candidates : CandidateSource
        Ranks third-sector bodies for the need.
    text : str
        The need, in Italian.
    for_tax_code : str, optional
        The Ente Gestore that leads (capofila); or give ``district``.
    district : str, optional
        A district code: its first Ente Gestore (by name) leads.
    size : int
        Number of third-sector members (k), 1-20.
    call_round, measure : int
        The call round and measure (only Misura 1 is supported).
    alternatives : int
        How many distinct proposals at most (1-3).

    Returns
    -------
    list of TeamProposal
        Distinct proposals, best objective first within each strategy's order; each has
        passed the rules check.

    Raises
    ------
    DomainError
        Unknown lead or district, a lead that is not an Ente Gestore, a size out of range.
    ProposalImpossible
        When an Ente Gestore of the district is already in an ATS of the round, or no
        third-sector candidate with capacity is left.
    """
    catalogue = catalogue or default_catalogue()
    if measure != 1:
        raise DomainError("la proposta di squadra è disponibile per la Misura 1", field="measure")
    if not 1 <= size <= 20:
        raise DomainError(f"size: {size} fuori dall'intervallo 1-20", field="size")
    lead, districts = _lead_and_districts(world, for_tax_code, district)
    others = {t for d in districts for t in world.districts[d].enti_gestori} - {lead}
    egs = [lead, *sorted(others, key=lambda t: (world.name(t), t))]
    base = Composition(
        measure=measure,
        call_round=call_round,
        districts=districts,
        members=tuple(
            Member(t, MemberRole.CAPOFILA if t == lead else MemberRole.MANDANTE) for t in egs
        ),
    )
    busy = [t for t in egs if not has_capacity(t, base, world, catalogue)]
    if busy:
        taken = "; ".join(
            f"{world.label(t)} in "
            + ", ".join(a.code for a in world.counted_partnerships(t, measure, call_round))
            for t in busy
        )
        raise ProposalImpossible(
            f"Enti Gestori già impegnati in un'ATS del round {call_round}: {taken}",
            field="for_tax_code",
        )
    need = text.strip() or DEFAULT_NEED
    labels = {code: list(pair) for code, pair in world.themes.items()}
    needed = set(detect_themes(need, labels))
    request = CandidateRequest(
        text=need,
        districts=districts,
        kinds=("ets",),
        top_k=max(10, 3 * size + 3),  # enough for 3 distinct teams; explanations cost
        exclude_tax_codes=tuple(egs),
        for_tax_code=lead,
        call_round=call_round,
        measure=measure,
    )
    pool: list[tuple[OrgInfo, float]] = []
    for cand in candidates(request):
        org = world.orgs.get(cand.tax_code)
        if org is None or org.kind != OrgKind.ETS or not org.seat or cand.tax_code in egs:
            continue
        if has_capacity(cand.tax_code, base, world, catalogue):
            pool.append((org, max(0.0, min(1.0, float(cand.score)))))
    if not pool:
        raise ProposalImpossible(
            "nessun Ente del Terzo Settore con capacità residua tra i candidati", field="text"
        )
    proposals: list[TeamProposal] = []
    seen: set[frozenset[str]] = set()
    used: set[str] = set()
    for strategy in STRATEGIES[: max(1, min(3, alternatives))]:
        chosen, objective = _greedy(pool, needed, size, strategy, used)
        public = _public_member(world, base, needed) if strategy.public_member else None
        key = frozenset(o.tax_code for o, _ in chosen) | (
            {public.tax_code} if public else frozenset()
        )
        if key in seen:
            continue
        seen.add(key)
        used |= {o.tax_code for o, _ in chosen}
        comp = dataclasses.replace(
            base,
            members=base.members
            + tuple(Member(o.tax_code, MemberRole.MANDANTE) for o, _ in chosen)
            + ((Member(public.tax_code, MemberRole.MANDANTE),) if public else ()),
        )
        result = evaluate(comp, world, catalogue)
        if not result.admissible:  # a proposal must pass the check: anything else is a bug
            raise AssertionError(f"proposta non ammissibile: {result.rule_ids('error')}")
        proposals.append(
            build_proposal(world, strategy, comp, chosen, public, needed, objective, result)
        )
    return proposals
