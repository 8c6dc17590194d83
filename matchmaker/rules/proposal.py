"""What a team proposal is and how it explains itself (Italian and English).

:class:`TeamProposal` holds the composition, the members with the reason each was chosen,
the needed themes and those covered, and the rules check the proposal passed.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence

from matchmaker.domain import KIND_LABELS, MemberRole
from matchmaker.rules.model import CheckResult, Composition
from matchmaker.rules.world import OrgInfo, World

__all__ = ["STRATEGIES", "Strategy", "TeamMember", "TeamProposal", "build_proposal"]


@dataclasses.dataclass(frozen=True)
class Strategy:
    key: str
    label_it: str
    label_en: str
    relevance: float
    coverage: float
    diversity: float
    public_member: bool = False


STRATEGIES = (
    Strategy("pertinenza", "Massima pertinenza", "Most relevant", 1.0, 0.3, 0.2),
    Strategy("copertura", "Copertura dei temi", "Theme coverage", 0.5, 1.0, 0.3),
    Strategy(
        "diversita", "Diversità e radicamento", "Diverse, rooted", 0.6, 0.5, 0.8, public_member=True
    ),
)


@dataclasses.dataclass(frozen=True)
class TeamMember:
    tax_code: str
    name: str
    kind: str
    role: str
    score: float | None
    themes: tuple[str, ...]
    reason_it: str
    reason_en: str


@dataclasses.dataclass(frozen=True)
class TeamProposal:
    """One complete ATS, its explanation and the check it passed."""

    strategy: str
    label_it: str
    label_en: str
    composition: Composition
    members: tuple[TeamMember, ...]
    needed_themes: tuple[str, ...]
    covered_themes: tuple[str, ...]
    objective: float
    explanation_it: str
    explanation_en: str
    check: CheckResult

    def as_dict(self) -> dict:
        return {
            "strategy": self.strategy,
            "label_it": self.label_it,
            "label_en": self.label_en,
            "composition": self.composition.as_dict(),
            "members": [dataclasses.asdict(m) for m in self.members],
            "needed_themes": list(self.needed_themes),
            "covered_themes": list(self.covered_themes),
            "objective": round(self.objective, 4),
            "explanation_it": self.explanation_it,
            "explanation_en": self.explanation_en,
            "admissible": self.check.admissible,
            "warnings": self.check.rule_ids("warning"),
        }


def _themes_it(world: World, codes: Sequence[str]) -> str:
    return ", ".join(world.themes.get(c, (c, c))[0] for c in codes) or "nessuno"


def _themes_en(world: World, codes: Sequence[str]) -> str:
    return ", ".join(world.themes.get(c, (c, c))[1] for c in codes) or "none"


def build_proposal(
    world: World,
    strategy: Strategy,
    comp: Composition,
    chosen: Sequence[tuple[OrgInfo, float]],
    public: OrgInfo | None,
    needed: set[str],
    objective: float,
    result: CheckResult,
) -> TeamProposal:
    """Assemble a :class:`TeamProposal` with a reason for every member."""
    scores = {o.tax_code: rel for o, rel in chosen}
    districts = ", ".join(world.district_label(d) for d in comp.districts)
    members = []
    for m in comp.members:
        org = world.orgs[m.tax_code]
        hit = tuple(sorted(org.themes & needed))
        if m.tax_code in scores:
            seat = world.comune_names.get(org.seat or "", "?")
            reason_it = (
                f"pertinenza {scores[m.tax_code]:.2f}; temi richiesti coperti: "
                f"{_themes_it(world, hit)}; sede a {seat}"
            )
            reason_en = (
                f"relevance {scores[m.tax_code]:.2f}; needed themes covered: "
                f"{_themes_en(world, hit)}; seat in {seat}"
            )
        elif public is not None and m.tax_code == public.tax_code:
            reason_it = (
                f"{KIND_LABELS[org.kind]} del territorio dell'ATS (membro pubblico facoltativo)"
            )
            reason_en = f"{org.kind.value} of the ATS's territory (optional public member)"
        elif m.role == MemberRole.CAPOFILA:
            reason_it = "Ente Gestore capofila (obbligatorio)"
            reason_en = "lead Ente Gestore (mandatory)"
        else:
            reason_it = f"Ente Gestore del distretto (obbligatorio: {districts})"
            reason_en = f"Ente Gestore of the district (mandatory: {districts})"
        members.append(
            TeamMember(
                tax_code=m.tax_code,
                name=org.name,
                kind=org.kind.value,
                role=m.role.value,
                score=round(scores[m.tax_code], 4) if m.tax_code in scores else None,
                themes=hit,
                reason_it=reason_it,
                reason_en=reason_en,
            )
        )
    covered = tuple(sorted(set().union(*(o.themes & needed for o, _ in chosen)) if chosen else ()))
    missing = tuple(sorted(needed - set(covered)))
    mean = sum(scores.values()) / len(scores) if scores else 0.0
    explanation_it = (
        f"{strategy.label_it}: {len(chosen)} ETS con pertinenza media {mean:.2f}; "
        f"temi richiesti coperti {len(covered)}/{len(needed)} ({_themes_it(world, covered)})"
        + (f"; non coperti: {_themes_it(world, missing)}" if missing else "")
        + f". Distretti: {districts}. Verifica delle regole superata"
        + (f" (avvisi: {', '.join(result.rule_ids('warning'))})." if result.warnings else ".")
    )
    explanation_en = (
        f"{strategy.label_en}: {len(chosen)} ETS with mean relevance {mean:.2f}; "
        f"needed themes covered {len(covered)}/{len(needed)} ({_themes_en(world, covered)})"
        + (f"; not covered: {_themes_en(world, missing)}" if missing else "")
        + f". Districts: {districts}. Rules check passed"
        + (f" (warnings: {', '.join(result.rule_ids('warning'))})." if result.warnings else ".")
    )
    return TeamProposal(
        strategy=strategy.key,
        label_it=strategy.label_it,
        label_en=strategy.label_en,
        composition=comp,
        members=tuple(members),
        needed_themes=tuple(sorted(needed)),
        covered_themes=covered,
        objective=objective,
        explanation_it=explanation_it,
        explanation_en=explanation_en,
        check=result,
    )
