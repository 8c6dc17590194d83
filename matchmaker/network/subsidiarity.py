"""Circular subsidiarity as network measures: three-sector ATS and triangles, E-I index,
attribute assortativity.

Circular subsidiarity (sussidiarietà circolare) asks public bodies, the third sector and
the market to take responsibility for the common good together. Two direct readings on a
network: the share of partnerships (ATS) whose members cover all three sectors, and the
share of closed triads (triangles) of ties that join one organisation of each sector.
"""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from collections.abc import Callable

import networkx as nx
import numpy as np

__all__ = [
    "SECTORS",
    "assortativity",
    "ats_sector_coverage",
    "e_i_index",
    "sector_triangles",
]

SECTORS = ("public", "third_sector", "market")
_ALL = frozenset(SECTORS)


def ats_sector_coverage(B: nx.Graph, sector: str = "sector") -> dict[str, object]:
    """Share of ATS whose members span all three sectors, overall and per district.

    An ATS counts in every district it is registered for (its ``districts`` attribute).

    Parameters
    ----------
    B : networkx.Graph
        Organisation-ATS graph from :func:`matchmaker.network.build.bipartite_graph`.

    Returns
    -------
    dict
        ``overall``: ``{"ats": n, "three_sector": k, "share": k/n}``; ``by_district``: the
        same per district code; ``ats``: per ATS code the sorted list of sectors present.

    References
    ----------
    Regione Piemonte (2017), WeCaRe strategy, D.G.R. 22-5076, principle of circular
    subsidiarity; Zamagni, S. (2014). Sussidiarietà circolare. In *Dizionario di economia
    civile*.
    """
    per_ats: dict[str, list[str]] = {}
    by_district: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    total = [0, 0]
    for node, attrs in sorted(B.nodes(data=True), key=lambda x: str(x[0])):
        if attrs.get("bipartite") != 1:
            continue
        present = {B.nodes[m].get(sector) for m in B[node]}
        full = present >= _ALL
        per_ats[attrs.get("code", node)] = sorted(s for s in present if s)
        total[0] += 1
        total[1] += full
        for d in attrs.get("districts") or ():
            by_district[d][0] += 1
            by_district[d][1] += full
    return {
        "overall": _share(*total, key="ats"),
        "by_district": {d: _share(*c, key="ats") for d, c in sorted(by_district.items())},
        "ats": per_ats,
    }


def sector_triangles(
    G: nx.Graph, sector: str = "sector", district: str = "district"
) -> dict[str, object]:
    """Share of triangles (three mutually tied organisations) that join all three sectors.

    A triangle counts in the district of each of its nodes (once per distinct district),
    so triangles that cross district lines count in every district they touch.

    Returns
    -------
    dict
        ``overall``: ``{"triangles": n, "three_sector": k, "share": k/n}``;
        ``by_district``: the same per district; ``composition``: counts of triangles by
        sorted sector triple, e.g. ``"public+third_sector+third_sector"``.

    Reference: Wasserman & Faust (1994), ch. 14 (triads); the three-sector reading follows
    the WeCaRe strategy (circular subsidiarity).
    """
    order = {v: i for i, v in enumerate(G)}
    total = [0, 0]
    by_district: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    composition: Counter[str] = Counter()
    nbrs = {v: {u for u in G[v] if order[u] > order[v]} for v in G}
    for u in G:
        for v in nbrs[u]:
            for w in nbrs[u] & nbrs[v]:
                sectors = tuple(sorted(str(G.nodes[x].get(sector)) for x in (u, v, w)))
                full = set(sectors) == _ALL
                composition["+".join(sectors)] += 1
                total[0] += 1
                total[1] += full
                for d in {G.nodes[x].get(district) for x in (u, v, w)} - {None, ""}:
                    by_district[d][0] += 1
                    by_district[d][1] += full
    return {
        "overall": _share(*total, key="triangles"),
        "by_district": {d: _share(*c, key="triangles") for d, c in sorted(by_district.items())},
        "composition": dict(sorted(composition.items())),
    }


def e_i_index(G: nx.Graph, attribute: str, weight: str | None = None) -> dict[str, object]:
    """Krackhardt-Stern E-I index of ties across vs. within groups of an attribute.

    ``EI = (E - I) / (E + I)`` where ``E`` counts ties between different groups and ``I``
    ties within a group: -1 means all ties stay inside groups, +1 all cross them. For a
    group ``g``, ``E`` and ``I`` count the ties of ``g``'s members (a tie inside ``g``
    counts once). Nodes with an empty attribute are left out with their ties.

    Reference: Krackhardt, D., & Stern, R. N. (1988). Informal networks and
    organizational crises: an experimental simulation. *Social Psychology Quarterly*,
    51(2), 123-140.

    Returns ``{"overall": float|None, "external": E, "internal": I, "by_group": {g:
    {"index", "external", "internal"}}}``; ``None`` when there is no tie.
    """
    ext = inn = 0.0
    groups: dict[str, list[float]] = defaultdict(lambda: [0.0, 0.0])
    for _, value in G.nodes(data=attribute):
        if value:
            groups[str(value)]
    for u, v, data in G.edges(data=True):
        a, b = G.nodes[u].get(attribute), G.nodes[v].get(attribute)
        if not a or not b:
            continue
        w = float(data.get(weight, 1.0)) if weight else 1.0
        a, b = str(a), str(b)
        if a == b:
            inn += w
            groups[a][1] += w
        else:
            ext += w
            groups[a][0] += w
            groups[b][0] += w
    return {
        "overall": _ei(ext, inn),
        "external": ext,
        "internal": inn,
        "by_group": {
            g: {"index": _ei(e, i), "external": e, "internal": i}
            for g, (e, i) in sorted(groups.items())
        },
    }


def assortativity(G: nx.Graph, attributes: tuple[str, ...] = ("sector", "district")) -> dict:
    """Newman's assortativity coefficients: categorical attributes and degree.

    ``r = (sum_i e_ii - sum_i a_i b_i) / (1 - sum_i a_i b_i)`` from the mixing matrix
    ``e`` of tie ends by group: 1 when ties stay within groups, 0 for random mixing,
    negative when ties prefer different groups. Unweighted. ``None`` when undefined: no
    tie, a single group among the tie ends, or (degree) the same degree at every tie end,
    as happens on small filtered networks; no warning is raised then.

    Reference: Newman, M. E. J. (2003). Mixing patterns in networks. *Physical Review E*,
    67, 026126.
    """
    ends = [v for e in G.edges() for v in e]
    out: dict[str, float | None] = {}
    for attr in attributes:
        values = {G.nodes[v].get(attr) for v in ends}
        out[attr] = (
            None
            if len(values) < 2
            else _defined(lambda a=attr: nx.attribute_assortativity_coefficient(G, a))
        )
    degrees = {G.degree(v) for v in ends}
    out["degree"] = (
        None if len(degrees) < 2 else _defined(lambda: nx.degree_assortativity_coefficient(G))
    )
    return out


def _defined(compute: Callable[[], float]) -> float | None:
    """The coefficient as a float, or None when it is 0/0 (silently, without a warning)."""
    with np.errstate(divide="ignore", invalid="ignore"):  # thread-local, unlike warnings
        value = float(compute())
    return value if math.isfinite(value) else None


def _share(n: int, k: int, *, key: str) -> dict[str, object]:
    return {key: n, "three_sector": k, "share": k / n if n else None}


def _ei(external: float, internal: float) -> float | None:
    total = external + internal
    return (external - internal) / total if total else None
