"""Illustrative geography for the demo: districts and Enti Gestori built from real comuni.

The official list of the 30 Distretti della Coesione Sociale and of the Enti Gestori's comuni
has no open source, so the demo stands in for them with a deterministic partition of the real
comuni: about 30 districts of contiguous comuni inside each province (grown from the main
towns over the adjacency file, balanced by population), each split into 1-3 Enti Gestori.
Everything here is plain data; nothing touches the database.
"""

from __future__ import annotations

import dataclasses
import heapq
import math
import random

from matchmaker.reference import ComuneRecord, ReferenceData

__all__ = ["DISTRICTS_PER_PROVINCE", "Area", "Geography", "build_geography"]

#: how many illustrative districts each province gets (30 in all, by population)
DISTRICTS_PER_PROVINCE = {"TO": 12, "CN": 5, "AL": 4, "NO": 3, "AT": 2, "VC": 2, "BI": 1, "VB": 1}
#: a comune this large runs its own social services (it is an Ente Gestore on its own)
_CITY_EG = 45000


@dataclasses.dataclass
class Area:
    """A set of comuni: an illustrative district or the territory of one Ente Gestore."""

    province: str
    comuni: list[str]
    main: str  # ISTAT code of the most populous comune

    def population(self, pop: dict[str, int]) -> int:
        return sum(pop[c] for c in self.comuni)


@dataclasses.dataclass
class Geography:
    """Districts (in a stable order), the Enti Gestori areas of each, district adjacency."""

    districts: list[Area]
    enti_gestori: list[list[Area]]
    neighbours: list[list[int]]
    comuni: dict[str, ComuneRecord]
    adjacency: dict[str, list[str]]

    def district_of(self) -> dict[str, int]:
        return {c: i for i, d in enumerate(self.districts) for c in d.comuni}


def _dist(a: ComuneRecord, b: ComuneRecord) -> float:
    if a.lat is None or b.lat is None or a.lon is None or b.lon is None:
        return 1e9
    dx = (a.lon - b.lon) * math.cos(math.radians((a.lat + b.lat) / 2))
    return math.hypot(a.lat - b.lat, dx)


def _grow(
    members: list[str],
    seeds: list[str],
    comuni: dict[str, ComuneRecord],
    adjacency: dict[str, list[str]],
) -> list[list[str]]:
    """Partition ``members`` into contiguous regions grown from ``seeds``, balanced by
    population: the smallest region takes its nearest free neighbour first."""
    allowed = set(members)
    owner: dict[str, int] = {s: i for i, s in enumerate(seeds)}
    pop = [comuni[s].population or 0 for s in seeds]
    frontier: list[list[tuple[float, str]]] = [[] for _ in seeds]

    def push(region: int, code: str) -> None:
        for n in adjacency.get(code, ()):
            if n in allowed and n not in owner:
                heapq.heappush(frontier[region], (_dist(comuni[n], comuni[seeds[region]]), n))

    for i, s in enumerate(seeds):
        push(i, s)
    active = [(pop[i], i) for i in range(len(seeds))]
    heapq.heapify(active)
    while active:
        _, i = heapq.heappop(active)
        while frontier[i] and frontier[i][0][1] in owner:
            heapq.heappop(frontier[i])
        if not frontier[i]:
            continue
        _, code = heapq.heappop(frontier[i])
        owner[code] = i
        pop[i] += comuni[code].population or 0
        push(i, code)
        heapq.heappush(active, (pop[i], i))
    for code in sorted(allowed - set(owner)):  # islands: nearest seed, else smallest region
        near = [owner[n] for n in adjacency.get(code, ()) if n in owner]
        if near:
            owner[code] = near[0]
        elif comuni[code].lat is not None:
            owner[code] = min(
                range(len(seeds)), key=lambda r: _dist(comuni[code], comuni[seeds[r]])
            )
        else:
            owner[code] = min(range(len(seeds)), key=lambda r: pop[r])
        pop[owner[code]] += comuni[code].population or 0
    regions: list[list[str]] = [[] for _ in seeds]
    for code in sorted(owner):
        regions[owner[code]].append(code)
    return regions


def _seeds(members: list[str], k: int, comuni: dict[str, ComuneRecord]) -> list[str]:
    """The ``k`` most populous comuni that are far enough from one another."""
    ranked = sorted(members, key=lambda c: (-(comuni[c].population or 0), c))
    if k >= len(ranked):
        return ranked
    lats = [comuni[c].lat for c in members if comuni[c].lat is not None]
    lons = [comuni[c].lon for c in members if comuni[c].lon is not None]
    span = math.hypot(max(lats) - min(lats), (max(lons) - min(lons)) * 0.7) if lats else 1.0
    spacing = span / (math.sqrt(k) * 1.6)
    while True:
        chosen: list[str] = []
        for c in ranked:
            if all(_dist(comuni[c], comuni[s]) >= spacing for s in chosen):
                chosen.append(c)
                if len(chosen) == k:
                    return chosen
        spacing *= 0.8


def build_geography(ref: ReferenceData, seed: int) -> Geography:
    """Build the illustrative districts and Enti Gestori areas (deterministic for ``seed``)."""
    rng = random.Random(seed)  # noqa: S311 - reproducible demo data, not security
    comuni = {c.istat_code: c for c in ref.comuni}
    adjacency: dict[str, list[str]] = {}
    for a, b in ref.adjacency:
        adjacency.setdefault(a, []).append(b)
        adjacency.setdefault(b, []).append(a)
    for code in adjacency:
        adjacency[code].sort()
    pop = {c: comuni[c].population or 0 for c in comuni}
    districts: list[Area] = []
    for province, k in DISTRICTS_PER_PROVINCE.items():
        members = sorted(c for c, r in comuni.items() if r.province == province)
        if province == "TO":  # the city of Torino is a district and an Ente Gestore on its own
            city = max(members, key=lambda c: pop[c])
            districts.append(Area(province, [city], city))
            members.remove(city)
            k -= 1
        for region in _grow(members, _seeds(members, k, comuni), comuni, adjacency):
            main = max(region, key=lambda c: (pop[c], c))
            districts.append(Area(province, region, main))
    # how many Enti Gestori: 1 for single-comune districts, up to 3 for the widest ones
    order = sorted(range(len(districts)), key=lambda i: (-len(districts[i].comuni), i))
    n_eg = dict.fromkeys(range(len(districts)), 1)
    for rank, i in enumerate(order):
        if len(districts[i].comuni) > 1:
            n_eg[i] = 3 if rank < 6 else 2 if rank < 14 else 1
    enti_gestori: list[list[Area]] = []
    for i, district in enumerate(districts):
        members = list(district.comuni)
        parts: list[Area] = []
        big = [c for c in members if pop[c] >= _CITY_EG]
        if n_eg[i] >= 2 and big and len(members) > 1:
            city = max(big, key=lambda c: pop[c])
            parts.append(Area(district.province, [city], city))
            members.remove(city)
            n_eg[i] -= 1
        k = min(n_eg[i], len(members))
        for region in _grow(members, _seeds(members, k, comuni), comuni, adjacency):
            if region:
                parts.append(
                    Area(district.province, region, max(region, key=lambda c: (pop[c], c)))
                )
        rng.shuffle(parts)
        parts.sort(key=lambda a: -a.population(pop))  # the largest first: it leads the ATS
        enti_gestori.append(parts)
    of = {c: i for i, d in enumerate(districts) for c in d.comuni}
    neighbours = [
        sorted({of[n] for c in d.comuni for n in adjacency.get(c, ()) if of[n] != i})
        for i, d in enumerate(districts)
    ]
    return Geography(districts, enti_gestori, neighbours, comuni, adjacency)
