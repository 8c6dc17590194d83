"""Aggregates of the organisation graph: the district graph and the sector mixing matrix.

Re-exported by :mod:`matchmaker.network.build`.
"""

from __future__ import annotations

from collections import defaultdict

import networkx as nx

__all__ = ["SECTORS", "district_graph", "sector_mixing_matrix"]

SECTORS = ("public", "third_sector", "market")


def district_graph(G: nx.Graph, names: dict[str, str] | None = None) -> nx.Graph:
    """Collapse the organisation graph onto districts.

    Each organisation counts in its ``district`` attribute (its first district by code);
    organisations without a district are left out. Node attributes: ``name``,
    ``organisations`` (count), ``internal_weight`` (weight of ties inside the district),
    ``lat``/``lon`` (mean of the members' seats). Edge ``weight``: summed weight of the
    ties between the two districts; ``ties``: their number.
    """
    names = names or {}
    D = nx.Graph()
    coords: dict[str, list[tuple[float, float]]] = defaultdict(list)
    for _, attrs in G.nodes(data=True):
        d = attrs.get("district") or ""
        if not d:
            continue
        if d not in D:
            D.add_node(d, name=names.get(d, d), organisations=0, internal_weight=0.0)
        D.nodes[d]["organisations"] += 1
        if attrs.get("lat") is not None and attrs.get("lon") is not None:
            coords[d].append((attrs["lat"], attrs["lon"]))
    for d in D:
        pts = coords.get(d)
        D.nodes[d]["lat"] = sum(p[0] for p in pts) / len(pts) if pts else None
        D.nodes[d]["lon"] = sum(p[1] for p in pts) / len(pts) if pts else None
    for u, v, w in G.edges(data="weight", default=1.0):
        du, dv = G.nodes[u].get("district") or "", G.nodes[v].get("district") or ""
        if not du or not dv:
            continue
        if du == dv:
            D.nodes[du]["internal_weight"] += w
        elif D.has_edge(du, dv):
            D[du][dv]["weight"] += w
            D[du][dv]["ties"] += 1
        else:
            D.add_edge(du, dv, weight=w, ties=1)
    return D


def sector_mixing_matrix(
    G: nx.Graph, attribute: str = "sector", weight: str | None = "weight"
) -> dict[str, object]:
    """Symmetric matrix of tie weight (or tie counts) between groups of an attribute.

    Returns ``{"groups": [...], "matrix": [[...]], "share": [[...]]}``: ``matrix[i][j]`` is
    the summed weight of ties between group ``i`` and group ``j`` (each tie counted once,
    in both cells when ``i != j``), and ``share`` the same divided by the total tie weight
    (so the upper triangle including the diagonal sums to 1).
    """
    present = {a for _, a in G.nodes(data=attribute) if a is not None}
    groups = [s for s in SECTORS if s in present] if attribute == "sector" else []
    groups += sorted(present - set(groups), key=str)
    index = {g: i for i, g in enumerate(groups)}
    matrix = [[0.0] * len(groups) for _ in groups]
    total = 0.0
    for u, v, w in G.edges(data=weight, default=1.0) if weight else G.edges(data=True):
        w = w if weight else 1.0
        i, j = index[G.nodes[u][attribute]], index[G.nodes[v][attribute]]
        matrix[i][j] += w
        if i != j:
            matrix[j][i] += w
        total += w
    share = [[x / total if total else 0.0 for x in row] for row in matrix]
    return {"groups": groups, "matrix": matrix, "share": share}
