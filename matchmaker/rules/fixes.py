"""Concrete proposals that would resolve a finding.

:class:`FixAdvisor` turns each finding into :class:`~matchmaker.rules.model.Fix` objects:
the missing Enti Gestori of a district by name, third-sector candidates (from the candidate
source, with capacity left in the round), which member to drop or replace when a limit is
exceeded, the district a territorial body belongs to, the district to add for an Ente
Gestore outside the ATS's districts.
"""

from __future__ import annotations

from collections.abc import Callable

from matchmaker.domain import MemberRole, OrgKind
from matchmaker.rules.apply import apply_fix, has_capacity
from matchmaker.rules.candidates import CandidateRequest, CandidateSource
from matchmaker.rules.catalogue import Catalogue, Rule
from matchmaker.rules.model import Composition, Finding, Fix
from matchmaker.rules.world import World

__all__ = ["DEFAULT_NEED", "FixAdvisor", "apply_fix", "has_capacity"]

#: need text used to rank candidates when the user gave none (the Misura 1 priority themes)
DEFAULT_NEED = (
    "integrazione socio-sanitaria; sostegno alle responsabilità genitoriali; "
    "contrasto alla povertà e all'esclusione sociale"
)
_MAX_CANDIDATES = 5


class FixAdvisor:
    """Builds fixes for findings.

    Parameters
    ----------
    world : World
    catalogue : Catalogue
    candidates : CandidateSource, optional
        Ranks third-sector candidates; without it, fixes that need candidates only say
        what kind of member to add.
    need : str
        The project's need, to rank candidates (default: the Misura 1 priority themes).
    """

    def __init__(
        self,
        world: World,
        catalogue: Catalogue,
        candidates: CandidateSource | None = None,
        need: str = "",
    ) -> None:
        self.world = world
        self.catalogue = catalogue
        self.candidates = candidates
        self.need = need.strip() or DEFAULT_NEED
        self._builders: dict[str, Callable[[Rule, Finding, Composition], list[Fix]]] = {
            "min_districts": self._min_districts,
            "all_district_members": self._all_district_members,
            "members_in_districts": self._members_in_districts,
            "min_members": self._min_members,
            "seat_in_region": self._remove_or_review,
            "capofila": self._capofila,
            "territorial": self._territorial,
            "max_partnerships": self._max_partnerships,
            "one_project": self._one_project,
            "forbidden_members": self._remove_or_review,
            "allowed_members": self._remove_or_review,
        }

    def advise(self, rule: Rule, finding: Finding, comp: Composition) -> tuple[Fix, ...]:
        """The fixes for one finding; an error always gets at least a ``review`` fix."""
        builder = self._builders.get(rule.check)
        fixes = list(builder(rule, finding, comp)) if builder else []
        if not fixes and finding.is_error:  # nothing specific: say what the rule asks
            fixes.append(
                Fix(
                    "review",
                    f"Rivedere la composizione: {rule.text_it}",
                    f"Review the composition: {rule.text_en}",
                )
            )
        return tuple(fixes)

    # --- candidates -----------------------------------------------------------------

    def candidates_for(
        self, comp: Composition, kinds: tuple[str, ...], exclude: tuple[str, ...] = ()
    ) -> list[tuple[str, float]]:
        """Ranked (tax code, score) of organisations that could join, capacity respected."""
        if self.candidates is None:
            return []
        lead = next((m.tax_code for m in comp.members if m.role == MemberRole.CAPOFILA), None)
        request = CandidateRequest(
            text=self.need,
            districts=comp.districts,
            kinds=kinds,
            top_k=2 * _MAX_CANDIDATES,
            exclude_tax_codes=tuple(sorted(set(comp.tax_codes) | set(exclude))),
            for_tax_code=lead,
            call_round=comp.call_round,
            measure=comp.measure,
        )
        out = []
        present = set(comp.tax_codes) | set(exclude)
        for cand in self.candidates(request):
            org = self.world.orgs.get(cand.tax_code)
            if org is None or cand.tax_code in present or org.kind.value not in kinds:
                continue
            if not org.seat or not has_capacity(cand.tax_code, comp, self.world, self.catalogue):
                continue
            out.append((cand.tax_code, float(cand.score)))
            if len(out) == _MAX_CANDIDATES:
                break
        return out

    def _candidate_fix(self, comp: Composition, kinds: tuple[str, ...], exclude=()) -> list[Fix]:
        ranked = self.candidates_for(comp, kinds, exclude)
        if not ranked:
            return []
        names = "; ".join(f"{self.world.label(t)} ({s:.2f})" for t, s in ranked)
        return [
            Fix(
                "add_one",
                f"Candidati con capacità residua nel bando, in ordine di pertinenza: {names}.",
                f"Candidates with capacity left in the call, by relevance: {names}.",
                tax_codes=tuple(t for t, _ in ranked),
                details={"scores": {t: round(s, 4) for t, s in ranked}},
            )
        ]

    # --- builders ---------------------------------------------------------------------

    def _min_districts(self, rule: Rule, finding: Finding, comp: Composition) -> list[Fix]:
        w = self.world
        if not comp.districts:
            theirs = sorted({d for t in comp.tax_codes if t in w.orgs for d in w.orgs[t].districts})
            if not theirs:
                return []
            names = ", ".join(w.district_label(d) for d in theirs)
            return [
                Fix(
                    "add_district",
                    f"Indicare i distretti degli Enti Gestori presenti: {names}.",
                    f"Name the districts of the Enti Gestori present: {names}.",
                    districts=tuple(theirs),
                )
            ]
        neighbours = sorted(set().union(*(w.district_neighbours(d) for d in comp.districts)))
        free = [
            d
            for d in neighbours
            if d not in comp.districts
            and w.districts[d].enti_gestori
            and all(has_capacity(t, comp, w, self.catalogue) for t in w.districts[d].enti_gestori)
        ]
        if not free:
            return []
        names = ", ".join(w.district_label(d) for d in free)
        return [
            Fix(
                "add_district",
                f"Distretti confinanti i cui Enti Gestori non sono ancora in un'ATS: {names}.",
                f"Neighbouring districts whose Enti Gestori are not yet in an ATS: {names}.",
                districts=tuple(free),
            )
        ]

    def _all_district_members(self, rule: Rule, finding: Finding, comp: Composition) -> list[Fix]:
        w = self.world
        names = "; ".join(w.label(t) for t in finding.tax_codes)
        fixes = [
            Fix(
                "add",
                f"Aggiungere come mandanti gli Enti Gestori mancanti: {names}.",
                f"Add the missing Enti Gestori as mandanti: {names}.",
                tax_codes=finding.tax_codes,
                districts=finding.districts,
            )
        ]
        if len(comp.districts) > 1:
            label = w.district_label(finding.districts[0])
            fixes.append(
                Fix(
                    "remove_district",
                    f"Oppure togliere il distretto {label} dall'ATS.",
                    f"Or remove district {label} from the ATS.",
                    districts=finding.districts,
                )
            )
        return fixes

    def _members_in_districts(self, rule: Rule, finding: Finding, comp: Composition) -> list[Fix]:
        w = self.world
        tax_code = finding.tax_codes[0]
        fixes = []
        if finding.districts:
            names = ", ".join(w.district_label(d) for d in finding.districts)
            fixes.append(
                Fix(
                    "add_district",
                    f"Aggiungere all'ATS il distretto di {w.name(tax_code)}: {names} "
                    "(con tutti i suoi Enti Gestori).",
                    f"Add {w.name(tax_code)}'s district to the ATS: {names} "
                    "(with all its Enti Gestori).",
                    districts=finding.districts,
                )
            )
        fixes.append(self._remove(tax_code))
        return fixes

    def _min_members(self, rule: Rule, finding: Finding, comp: Composition) -> list[Fix]:
        kinds = tuple(rule.params["kinds"])
        fixes = self._candidate_fix(comp, kinds)
        if not fixes:
            fixes.append(
                Fix(
                    "review",
                    f"Aggiungere almeno {finding.details.get('missing', 1)} membri di tipo "
                    f"{', '.join(kinds)}: nessun candidato disponibile nei dati.",
                    f"Add at least {finding.details.get('missing', 1)} members of kind "
                    f"{', '.join(kinds)}: no candidate is available in the data.",
                )
            )
        return fixes

    def _remove(self, tax_code: str) -> Fix:
        label = self.world.label(tax_code)
        return Fix(
            "remove",
            f"Togliere {label} dall'ATS.",
            f"Remove {label} from the ATS.",
            tax_codes=(tax_code,),
        )

    def _remove_or_review(self, rule: Rule, finding: Finding, comp: Composition) -> list[Fix]:
        fixes = [self._remove(t) for t in finding.tax_codes]
        if rule.check == "seat_in_region":
            fixes.append(
                Fix(
                    "review",
                    "Se la sede è in Piemonte, registrarla nell'anagrafica dell'ente.",
                    "If the seat is in Piemonte, record it in the organisation's profile.",
                    tax_codes=finding.tax_codes,
                )
            )
        if rule.check == "forbidden_members":
            fixes.append(
                Fix(
                    "review",
                    "Le imprese possono partecipare alle Misure 3 (welfare aziendale) e 4 "
                    "(imprese a impatto sociale).",
                    "Businesses may take part in Misure 3 (company welfare) and 4 "
                    "(social-impact enterprises).",
                    tax_codes=finding.tax_codes,
                )
            )
        return fixes

    def _capofila(self, rule: Rule, finding: Finding, comp: Composition) -> list[Fix]:
        w = self.world
        kinds = set(rule.params["kinds"])
        eligible = [t for t in comp.tax_codes if w.orgs[t].kind.value in kinds]
        if not eligible:
            pool = [t for d in comp.districts for t in w.districts[d].enti_gestori]
            if OrgKind.ENTE_GESTORE.value in kinds and pool:
                names = "; ".join(w.label(t) for t in pool)
                return [
                    Fix(
                        "add",
                        f"Aggiungere gli Enti Gestori dei distretti e nominarne uno "
                        f"capofila: {names}.",
                        f"Add the districts' Enti Gestori and make one of them capofila: {names}.",
                        tax_codes=tuple(pool),
                    )
                ]
            return []
        names = "; ".join(w.label(t) for t in eligible)
        return [
            Fix(
                "set_capofila",
                f"Nominare capofila uno solo tra: {names} (gli altri membri mandanti).",
                f"Make exactly one of these capofila: {names} (the others mandanti).",
                tax_codes=tuple(eligible),
            )
        ]

    def _territorial(self, rule: Rule, finding: Finding, comp: Composition) -> list[Fix]:
        w = self.world
        tax_code = finding.tax_codes[0]
        if rule.params.get("when") == "unknown":
            return [
                Fix(
                    "review",
                    f"Registrare i comuni serviti da {w.name(tax_code)} per verificarne "
                    "il territorio.",
                    f"Record the comuni served by {w.name(tax_code)} to verify its territory.",
                    tax_codes=(tax_code,),
                )
            ]
        fixes = [self._remove(tax_code)]
        if finding.districts:
            names = ", ".join(w.district_label(d) for d in finding.districts)
            fixes.append(
                Fix(
                    "add_district",
                    f"{w.name(tax_code)} appartiene a: {names}. Può aderire a un'ATS di quel "
                    "territorio, oppure l'ATS può estendersi a quel distretto con i suoi Enti "
                    "Gestori.",
                    f"{w.name(tax_code)} belongs to: {names}. It can join an ATS of that "
                    "territory, or the ATS can extend to that district with its Enti Gestori.",
                    tax_codes=(tax_code,),
                    districts=finding.districts,
                )
            )
        return fixes

    def _max_partnerships(self, rule: Rule, finding: Finding, comp: Composition) -> list[Fix]:
        w = self.world
        tax_code = finding.tax_codes[0]
        org = w.orgs[tax_code]
        others = ", ".join(finding.details.get("other_ats", []))
        fixes = [self._remove(tax_code)]
        if org.kind == OrgKind.ENTE_GESTORE:
            fixes.append(
                Fix(
                    "review",
                    f"{w.name(tax_code)} è già nell'ATS {others}: il suo distretto può entrare "
                    "in quell'ATS (ATS multi-distretto) invece di presentarne un'altra.",
                    f"{w.name(tax_code)} is already in ATS {others}: its district can join "
                    "that ATS (multi-district ATS) instead of presenting another one.",
                    tax_codes=(tax_code,),
                    details={"other_ats": finding.details.get("other_ats", [])},
                )
            )
        else:
            for fix in self._candidate_fix(comp, (org.kind.value,), exclude=(tax_code,)):
                fixes.append(
                    Fix(
                        "replace",
                        f"Sostituire {w.name(tax_code)} con un altro ente. {fix.message_it}",
                        f"Replace {w.name(tax_code)} with another body. {fix.message_en}",
                        tax_codes=fix.tax_codes,
                        details={"replaces": tax_code, **fix.details},
                    )
                )
        return fixes

    def _one_project(self, rule: Rule, finding: Finding, comp: Composition) -> list[Fix]:
        others = ", ".join(finding.details.get("other_ats", []))
        return [
            Fix(
                "review",
                f"Integrare la proposta nel progetto già presentato ({others}) oppure ritirare "
                "uno dei due progetti.",
                f"Merge the proposal into the project already presented ({others}) or "
                "withdraw one of the two.",
                details={"other_ats": finding.details.get("other_ats", [])},
            )
        ]
