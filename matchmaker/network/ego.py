"""An organisation's neighbourhood in the collaboration network (its ego network).

Plain functions on the organisation graph of :func:`matchmaker.network.build.organisation_graph`:
the subgraph within a number of steps of one organisation, and the list of its direct
partners with what ties them (shared ATS, declared collaborations).
"""

from __future__ import annotations

import networkx as nx

__all__ = ["MAX_EGO_RADIUS", "direct_partners", "ego_network"]

#: the largest radius offered (two steps already reach most of a district)
MAX_EGO_RADIUS = 2


def ego_network(G: nx.Graph, centre: object, radius: int = 1) -> nx.Graph:
    """The organisations within ``radius`` ties of ``centre``, with the ties among them.

    Node and edge attributes are kept; the graph attribute ``ego`` records
    ``{"centre": centre, "radius": radius}``.

    Raises
    ------
    KeyError
        When ``centre`` is not in ``G`` (an organisation without ties is not in the
        organisation graph unless it was built with ``include_isolates``).
    ValueError
        When ``radius`` is not between 1 and :data:`MAX_EGO_RADIUS`.

    Reference: Wasserman & Faust (1994), §2.3 (ego-centred networks).
    """
    if centre not in G:
        raise KeyError(centre)
    if not 1 <= int(radius) <= MAX_EGO_RADIUS:
        raise ValueError(f"raggio: atteso un intero tra 1 e {MAX_EGO_RADIUS}, trovato {radius!r}")
    H = nx.ego_graph(G, centre, radius=int(radius)).copy()
    H.graph["ego"] = {"centre": centre, "radius": int(radius)}
    return H


def direct_partners(G: nx.Graph, centre: object) -> list[dict[str, object]]:
    """The organisations tied directly to ``centre``, most shared ATS first.

    Returns
    -------
    list of dict
        ``tax_code``, ``name``, ``kind``, ``ats_count`` (shared ATS), ``ats`` (their
        codes, sorted), ``kinds`` (kinds of declared collaborations, sorted) and
        ``weight``; ordered by shared ATS, then weight (both descending), then name.
        Empty when ``centre`` is not in ``G``.
    """
    if centre not in G:
        return []
    out = []
    for v, attrs in G[centre].items():
        node = G.nodes[v]
        out.append(
            {
                "tax_code": str(node.get("tax_code", v)),
                "name": str(node.get("name", v)),
                "kind": node.get("kind", ""),
                "ats_count": int(attrs.get("ats_count", 0) or 0),
                "ats": sorted(attrs.get("ats") or ()),
                "kinds": sorted(attrs.get("kinds") or ()),
                "weight": float(attrs.get("weight", 1.0)),
            }
        )
    out.sort(key=lambda p: (-p["ats_count"], -p["weight"], p["name"].casefold(), p["tax_code"]))
    return out
