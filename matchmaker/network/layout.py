"""Positions and colours shared by the interactive and the static pictures.

The geographic layout projects each organisation's seat (comune centroid, WGS84) with an
equirectangular projection centred on the network (x scaled by the cosine of the mean
latitude, so that distances are right at Piemonte's latitude); organisations sharing a
comune are spread on a small golden-angle spiral around it, and organisations without a
known seat are lined up below the map.
"""

from __future__ import annotations

import math
from collections import defaultdict

import networkx as nx
from matplotlib import colormaps
from matplotlib.colors import to_hex

__all__ = [
    "OTHER_COLOUR",
    "SECTOR_COLOURS",
    "geo_positions",
    "group_colours",
    "node_groups",
    "scaled_sizes",
    "spring_positions",
]

SECTOR_COLOURS = {"public": "#1f77b4", "third_sector": "#2ca02c", "market": "#ff7f0e"}
OTHER_COLOUR = "#9e9e9e"
_GOLDEN = math.pi * (3 - math.sqrt(5))
_PALETTE = [to_hex(colormaps[name](i)) for name in ("tab20", "tab20b", "tab20c") for i in range(20)]


def geo_positions(
    G: nx.Graph, *, width: float = 2000.0, spread: float = 14.0
) -> dict[object, tuple[float, float]]:
    """Screen positions (x right, y down) from the nodes' ``lat``/``lon`` attributes.

    Parameters
    ----------
    width : float
        Width of the projected extent in screen units (height follows the aspect).
    spread : float
        Step of the spiral on which co-located organisations are placed.

    Returns
    -------
    dict
        node -> ``(x, y)``; every node gets a position.
    """
    located = {
        v: (float(a["lat"]), float(a["lon"]))
        for v, a in G.nodes(data=True)
        if a.get("lat") is not None and a.get("lon") is not None
    }
    pos: dict[object, tuple[float, float]] = {}
    if located:
        lats = [p[0] for p in located.values()]
        lons = [p[1] for p in located.values()]
        lat0 = (min(lats) + max(lats)) / 2
        lon0 = (min(lons) + max(lons)) / 2
        k = math.cos(math.radians(lat0))
        extent = max((max(lons) - min(lons)) * k, max(lats) - min(lats), 1e-6)
        scale = width / extent
        seats: dict[tuple[float, float], list] = defaultdict(list)
        for v in sorted(located, key=str):
            seats[located[v]].append(v)
        for (lat, lon), nodes in seats.items():
            cx, cy = (lon - lon0) * k * scale, -(lat - lat0) * scale
            for i, v in enumerate(nodes):
                r = spread * math.sqrt(i)
                pos[v] = (cx + r * math.cos(i * _GOLDEN), cy + r * math.sin(i * _GOLDEN))
        bottom = max(y for _, y in pos.values()) + 80
        left = min(x for x, _ in pos.values())
    else:
        bottom, left = 0.0, -width / 2
    missing = sorted((v for v in G if v not in pos), key=str)
    per_row = max(1, int(width // 30))
    for i, v in enumerate(missing):
        pos[v] = (left + 30 * (i % per_row), bottom + 30 * (i // per_row))
    return pos


def spring_positions(G: nx.Graph, *, seed: int = 42, scale: float = 1000.0) -> dict:
    """Force-directed positions (Fruchterman-Reingold, fixed seed), scaled to screen units."""
    if G.number_of_nodes() == 0:
        return {}
    raw = nx.spring_layout(G, seed=seed, weight="weight", iterations=50)
    return {v: (float(x) * scale, float(-y) * scale) for v, (x, y) in raw.items()}


def node_groups(
    G: nx.Graph, color: str, communities: dict[object, int] | None = None
) -> dict[object, str]:
    """The group label of every node for a colouring: sector, district or community."""
    if color == "sector":
        return {v: str(a.get("sector") or "") for v, a in G.nodes(data=True)}
    if color == "district":
        return {v: str(a.get("district") or "") for v, a in G.nodes(data=True)}
    if color == "community":
        if communities is None:
            raise ValueError("colorazione per comunità: servono le comunità (communities)")
        return {v: str(communities[v]) for v in G}
    raise ValueError(f"colorazione sconosciuta: {color!r} (sector, community o district)")


def group_colours(groups: dict[object, str], color: str) -> dict[str, str]:
    """A colour per group: fixed for sectors, a 60-colour palette for the largest other
    groups (by size, then name), grey for the rest and for nodes without a group."""
    if color == "sector":
        return {g: SECTOR_COLOURS.get(g, OTHER_COLOUR) for g in set(groups.values())}
    sizes: dict[str, int] = defaultdict(int)
    for g in groups.values():
        sizes[g] += 1
    ordered = sorted((g for g in sizes if g), key=lambda g: (-sizes[g], g))
    out = {g: (_PALETTE[i] if i < len(_PALETTE) else OTHER_COLOUR) for i, g in enumerate(ordered)}
    out[""] = OTHER_COLOUR
    return out


def scaled_sizes(
    values: dict[object, float | None], low: float, high: float
) -> dict[object, float]:
    """Map a measure to sizes in ``[low, high]``: min-max scaled, then square root, so
    that the drawn *area* grows linearly with the value (missing values count as the
    minimum; all sizes are ``low`` when every value is equal)."""
    clean = {v: float(x) if x is not None else None for v, x in values.items()}
    present = [x for x in clean.values() if x is not None]
    lo, hi = (min(present), max(present)) if present else (0.0, 0.0)
    span = hi - lo
    return {
        v: low + (high - low) * math.sqrt(((x if x is not None else lo) - lo) / span)
        if span > 0
        else low
        for v, x in clean.items()
    }
