"""Applying a fix to a composition, and whether a body has capacity left in a round."""

from __future__ import annotations

import dataclasses

from matchmaker.domain import MemberRole
from matchmaker.rules.catalogue import Catalogue
from matchmaker.rules.model import Composition, Fix, Member
from matchmaker.rules.world import World

__all__ = ["apply_fix", "has_capacity"]


def has_capacity(
    tax_code: str, comp: Composition, world: World, catalogue: Catalogue, extra: int = 1
) -> bool:
    """Whether ``tax_code`` can join ``extra`` more ATS of the composition's round.

    Reads the ``max_partnerships`` rules of the composition's measure: an organisation of a
    kind they name has capacity when its counted ATS (drafts excluded) plus ``extra`` stay
    within the limit.
    """
    org = world.orgs.get(tax_code)
    if org is None:
        return False
    for rule in catalogue.for_measure(comp.measure):
        if rule.check != "max_partnerships" or org.kind.value not in rule.params["kinds"]:
            continue
        used = world.counted_partnerships(
            tax_code,
            comp.measure,
            comp.call_round,
            exclude_code=comp.code,
            ignore_statuses=rule.params.get("ignore_statuses", ("bozza",)),
        )
        if len(used) + extra > int(rule.params["max"]):
            return False
    return True


def apply_fix(comp: Composition, fix: Fix, choice: int = 0) -> Composition:
    """The composition with ``fix`` applied (``choice``: which candidate of an ``add_one``).

    ``add`` adds all the named bodies as mandanti, ``add_one`` and ``replace`` add the
    ``choice``-th candidate (``replace`` also removes the member it replaces), ``remove``
    removes the named members, ``set_capofila`` makes the ``choice``-th named member the only
    capofila, ``add_district``/``remove_district`` change the districts; ``review`` changes
    nothing (it asks for a human decision).
    """
    members = list(comp.members)
    districts = list(comp.districts)
    present = {m.tax_code for m in members}

    def add(codes: tuple[str, ...]) -> None:
        for code in codes:
            if code not in present:
                members.append(Member(code, MemberRole.MANDANTE))
                present.add(code)

    if fix.action == "add":
        add(fix.tax_codes)
    elif fix.action in ("add_one", "replace") and fix.tax_codes:
        if fix.action == "replace":
            members = [m for m in members if m.tax_code != fix.details.get("replaces")]
            present = {m.tax_code for m in members}
        add((fix.tax_codes[min(choice, len(fix.tax_codes) - 1)],))
    elif fix.action == "remove":
        members = [m for m in members if m.tax_code not in fix.tax_codes]
    elif fix.action == "set_capofila" and fix.tax_codes:
        lead = fix.tax_codes[min(choice, len(fix.tax_codes) - 1)]
        members = [
            Member(m.tax_code, MemberRole.CAPOFILA if m.tax_code == lead else MemberRole.MANDANTE)
            for m in members
        ]
    elif fix.action == "add_district":
        districts += [d for d in fix.districts if d not in districts]
    elif fix.action == "remove_district":
        districts = [d for d in districts if d not in fix.districts]
    return dataclasses.replace(comp, members=tuple(members), districts=tuple(districts))
