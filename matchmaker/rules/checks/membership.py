"""The generic checks on who is in the ATS: districts, kinds, seat, capofila, territory.

Each reads its limits and kinds from ``rule.params`` and writes messages in Italian and
English that name the members and districts concerned. The checks across the round
(capacity, one project) and on eligibility are in :mod:`matchmaker.rules.checks.limits`.
Fixes are added afterwards by :mod:`matchmaker.rules.fixes`.
"""

from __future__ import annotations

from matchmaker.domain import KIND_LABELS, MemberRole
from matchmaker.rules.checks.registry import finding, kind_words, members_of, register
from matchmaker.rules.model import Composition, Finding
from matchmaker.rules.rule import Rule
from matchmaker.rules.world import World

__all__: list[str] = []


@register("manual")
def _manual(rule: Rule, comp: Composition, world: World) -> list[Finding]:
    """Rules that the data cannot show (a public selection was held...): no finding."""
    return []


@register("min_districts")
def _min_districts(rule: Rule, comp: Composition, world: World) -> list[Finding]:
    need = int(rule.params["min"])
    n = len(comp.districts)
    if n >= need:
        return []
    covers_it = {0: "non indica alcun distretto", 1: "copre un solo distretto"}.get(
        n, f"copre {n} distretti"
    )
    covers_en = {0: "names no district", 1: "covers a single district"}.get(
        n, f"covers {n} districts"
    )
    return [
        finding(
            rule,
            f"L'ATS {covers_it}. {rule.text_it}",
            f"The ATS {covers_en}. {rule.text_en}",
            districts=comp.districts,
        )
    ]


@register("all_district_members")
def _all_district_members(rule: Rule, comp: Composition, world: World) -> list[Finding]:
    present = set(comp.tax_codes)
    out = []
    for code in comp.districts:
        missing = tuple(t for t in world.districts[code].enti_gestori if t not in present)
        if missing:
            names = "; ".join(world.label(t) for t in missing)
            out.append(
                finding(
                    rule,
                    f"Mancano Enti Gestori del distretto {world.district_label(code)}: {names}.",
                    f"Enti Gestori of district {world.district_label(code)} are missing: {names}.",
                    tax_codes=missing,
                    districts=(code,),
                )
            )
    return out


@register("members_in_districts")
def _members_in_districts(rule: Rule, comp: Composition, world: World) -> list[Finding]:
    covered = set(comp.districts)
    out = []
    for tax_code, org, _role in members_of(rule, comp, world):
        if org.districts & covered:
            continue
        theirs = tuple(sorted(org.districts))
        where = ", ".join(world.district_label(d) for d in theirs) or "nessun distretto noto"
        where_en = ", ".join(world.district_label(d) for d in theirs) or "no known district"
        out.append(
            finding(
                rule,
                f"{world.label(tax_code)} afferisce a {where}, non a un distretto dell'ATS.",
                f"{world.label(tax_code)} belongs to {where_en}, not to a district of the ATS.",
                tax_codes=(tax_code,),
                districts=theirs,
            )
        )
    return out


@register("min_members")
def _min_members(rule: Rule, comp: Composition, world: World) -> list[Finding]:
    kinds = tuple(rule.params["kinds"])
    need = int(rule.params["min"])
    seat = bool(rule.params.get("seat_in_region", False))
    found = tuple(t for t, org, _ in members_of(rule, comp, world) if org.seat or not seat)
    if len(found) >= need:
        return []
    where_it = " con sede in Piemonte" if seat else ""
    where_en = " with a seat in Piemonte" if seat else ""
    return [
        finding(
            rule,
            f"L'ATS ha {len(found)} membri di tipo {kind_words(kinds)}{where_it}, "
            f"ne servono almeno {need}.",
            f"The ATS has {len(found)} members of kind {', '.join(kinds)}{where_en}; "
            f"at least {need} are needed.",
            tax_codes=found,
            districts=comp.districts,
            kinds=list(kinds),
            missing=need - len(found),
        )
    ]


@register("seat_in_region")
def _seat_in_region(rule: Rule, comp: Composition, world: World) -> list[Finding]:
    return [
        finding(
            rule,
            f"{world.label(tax_code)} non ha una sede registrata in un comune del Piemonte.",
            f"{world.label(tax_code)} has no recorded seat in a comune of Piemonte.",
            tax_codes=(tax_code,),
        )
        for tax_code, org, _role in members_of(rule, comp, world)
        if not org.seat
    ]


@register("capofila")
def _capofila(rule: Rule, comp: Composition, world: World) -> list[Finding]:
    kinds = tuple(rule.params["kinds"])
    leads = tuple(m.tax_code for m in comp.members if m.role == MemberRole.CAPOFILA)
    if not leads:
        return [
            finding(
                rule,
                "L'ATS non ha un capofila.",
                "The ATS has no capofila.",
                problem="none",
            )
        ]
    if len(leads) > 1:
        names = "; ".join(world.label(t) for t in leads)
        return [
            finding(
                rule,
                f"L'ATS ha {len(leads)} capofila ({names}): ne è ammesso uno solo.",
                f"The ATS has {len(leads)} capofila ({names}); only one is allowed.",
                tax_codes=leads,
                problem="many",
            )
        ]
    org = world.orgs[leads[0]]
    if org.kind.value in kinds:
        return []
    return [
        finding(
            rule,
            f"Il capofila {world.label(org.tax_code)} è {KIND_LABELS[org.kind]}, "
            f"deve essere {kind_words(kinds)}.",
            f"The capofila {world.label(org.tax_code)} is of kind {org.kind.value}; "
            f"it must be {' or '.join(kinds)}.",
            tax_codes=leads,
            problem="kind",
        )
    ]


@register("territorial")
def _territorial(rule: Rule, comp: Composition, world: World) -> list[Finding]:
    when = rule.params.get("when", "outside")
    covered = world.comuni_of(comp.districts)
    out = []
    for tax_code, org, _role in members_of(rule, comp, world):
        territory = world.territory(org)
        if territory is None:
            if when == "unknown":
                out.append(
                    finding(
                        rule,
                        f"Il territorio di {world.label(tax_code)} non è noto nei dati "
                        "(per le ASL di Torino e Cuneo manca la tabella comune-ASL): "
                        "verificare a mano che operi nei distretti dell'ATS.",
                        f"The territory of {world.label(tax_code)} is not known in the data "
                        "(the comune-ASL table is missing for the ASL of Torino and Cuneo): "
                        "check by hand that it works in the ATS's districts.",
                        tax_codes=(tax_code,),
                    )
                )
            continue
        if when == "outside" and not territory & covered:
            theirs = world.districts_of_comuni(territory)
            where = ", ".join(world.district_label(d) for d in theirs) or "nessun distretto"
            out.append(
                finding(
                    rule,
                    f"{world.label(tax_code)} opera fuori dai distretti dell'ATS "
                    f"(il suo territorio è in: {where}).",
                    f"{world.label(tax_code)} works outside the ATS's districts "
                    f"(its territory lies in: {where}).",
                    tax_codes=(tax_code,),
                    districts=theirs,
                )
            )
    return out
