"""The territory channel: closeness of the candidate's comuni to the places of the need.

It also filters (``territory="hard"``, ``radius_km``) and flags territorial public bodies
outside the named places (they may not join an ATS outside their territory).
"""

from __future__ import annotations

import numpy as np

from matchmaker.matching.channels.base import Bounded, Run, Scored
from matchmaker.matching.explain import TerritoryReason

__all__ = ["HARD_TERRITORY", "TERRITORIAL_PUBLIC", "Territory"]

#: closeness needed with ``territory="hard"`` (about 14 km, a neighbour, the named province)
HARD_TERRITORY = 0.5
#: kinds of public body flagged ``fuori_territorio`` far from the named places
TERRITORIAL_PUBLIC = ("comune", "unione_comuni", "asl")


class Territory(Bounded):
    """Best closeness over the candidate's comuni, in [0, 1]."""

    name = "territory"
    label = "territorio"
    default_weight = 1.0
    phase = "filter"

    def applies(self, run: Run) -> bool:
        return bool(run.context.places) and run.query.territory != "off"

    def scores(self, run: Run) -> Scored | None:
        if not self.applies(run):
            return None
        gazetteer, places, query = run.index.gazetteer, run.context.places, run.query
        closeness = gazetteer.closeness(places)
        raw = run.index.territory(closeness)
        if query.territory == "hard":
            run.allowed &= raw >= HARD_TERRITORY
        if query.radius_km is not None:
            distance = run.index.territory(gazetteer.distance_km(places), nearest=True)
            run.allowed &= distance <= query.radius_km
        public = run.index.kind_mask(TERRITORIAL_PUBLIC)  # within the alive slots, as allowed
        for slot in np.flatnonzero(public & run.allowed & (raw < HARD_TERRITORY)):
            run.flag(int(slot), "fuori_territorio")
        return Scored(raw, detail=closeness)

    def explain(self, run: Run, slot: int, scored: Scored) -> TerritoryReason:
        """The candidate's closest comune, described."""
        gazetteer, closeness = run.index.gazetteer, scored.detail
        score = float(scored.values[slot])  # type: ignore[index]
        comuni = run.index.places_of(slot)
        if comuni.size == 0:
            return TerritoryReason(round(score, 4), "nessun comune noto per questo ente")
        best = int(comuni[int(np.argmax(closeness[comuni]))])
        reason = gazetteer.describe(run.context.places, gazetteer.codes[best], closeness)[1]
        return TerritoryReason(round(score, 4), reason)
