"""SVG maps of Piemonte: comune shapes projected to the plane, coloured by district.

The boundaries come from ``comuni_piemonte.geojson`` in the reference folder. They are
projected once per process (equirectangular, longitudes scaled by the cosine of the mean
latitude), rounded to half a pixel of an 800-pixel-wide map and written as compact SVG
path data. Rounding every vertex the same way keeps the borders that two comuni share
identical, so the map has no slivers and district outlines can be traced from the shared
edges. The functions return plain data (no markup): the web templates draw it.

Examples
--------
>>> m = build_map({"001272": ("TO-01", "Distretto di Torino")})
>>> len(m.paths), m.paths[0]["d"][:1]
(1178, 'M')
"""

from __future__ import annotations

import dataclasses
import functools
import json
import math
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from matchmaker.reference import DEFAULT_REFERENCE_DIR, read_reference

__all__ = [
    "NO_DISTRICT_FILL",
    "PALETTE",
    "UNITS_PER_PX",
    "WIDTH_PX",
    "MapData",
    "MapGeometry",
    "Shape",
    "build_map",
    "district_adjacency",
    "district_colours",
    "load_geometry",
]

#: nominal width of the whole-region map, in CSS pixels
WIDTH_PX = 800
#: plane units per pixel: coordinates are integers, so the precision is half a pixel
UNITS_PER_PX = 2
_PAD = 8  # plane units of margin around the region
_MIN_VIEW = 240  # smallest side of a zoomed view box, in plane units

#: categorical palette (ColorBrewer Set3 without its grey, plus two soft tones)
PALETTE: tuple[str, ...] = (
    "#8dd3c7",
    "#fdb462",
    "#bebada",
    "#fb8072",
    "#80b1d3",
    "#b3de69",
    "#fccde5",
    "#ffed6f",
    "#bc80bd",
    "#ccebc5",
    "#e5c494",
    "#9ecae1",
)
#: fill of comuni that belong to no district
NO_DISTRICT_FILL = "#d9dde1"

Point = tuple[int, int]
Box = tuple[int, int, int, int]


@dataclasses.dataclass(frozen=True)
class Shape:
    """One comune on the plane: SVG path data, bounding box and rings of integer points."""

    istat_code: str
    name: str
    province: str
    d: str
    bbox: Box
    rings: tuple[tuple[Point, ...], ...]


@dataclasses.dataclass(frozen=True)
class MapGeometry:
    """All comune shapes of the region and the projection that placed them."""

    width: int
    height: int
    lon0: float
    lat0: float
    kx: float
    ky: float
    shapes: dict[str, Shape]
    missing: tuple[tuple[str, str], ...]  # (istat code, name) of comuni without boundaries

    def project(self, lon: float, lat: float) -> tuple[float, float]:
        """Plane coordinates (units of half a pixel) of a longitude and latitude."""
        return (lon - self.lon0) * self.kx + _PAD, (self.lat0 - lat) * self.ky + _PAD


@dataclasses.dataclass(frozen=True)
class MapData:
    """What a template needs to draw a map.

    ``paths`` are dicts with ``istat_code``, ``name``, ``province``, ``district_code``,
    ``district_name``, ``d``, ``fill`` and ``focus`` (``None`` on the whole-region map,
    else whether the comune belongs to the focused district). ``groups`` holds the same
    dicts grouped by district (``code`` ``None`` for comuni in no district), ``outlines``
    the district borders as path data, ``legend`` one entry per district.
    """

    view_box: str
    width: int
    height: int
    paths: list[dict[str, Any]]
    groups: list[dict[str, Any]]
    outlines: list[dict[str, str]]
    legend: list[dict[str, Any]]
    missing: tuple[tuple[str, str], ...]

    @property
    def box(self) -> tuple[float, float, float, float]:
        """The view box as numbers: x, y, width, height."""
        x, y, w, h = (float(v) for v in self.view_box.split())
        return x, y, w, h


def load_geometry(reference_dir: Path | str = DEFAULT_REFERENCE_DIR) -> MapGeometry:
    """Read and project the comune boundaries of ``reference_dir`` (once per process)."""
    return _load_geometry(str(Path(reference_dir).resolve()))


@functools.lru_cache(maxsize=4)
def _load_geometry(reference_dir: str) -> MapGeometry:
    directory = Path(reference_dir)
    with (directory / "comuni_piemonte.geojson").open(encoding="utf-8") as fh:
        features = json.load(fh)["features"]
    polygons = {f["properties"]["istat_code"]: _polygons(f["geometry"]) for f in features}
    points = [pt for polys in polygons.values() for poly in polys for ring in poly for pt in ring]
    lons = [p[0] for p in points]
    lats = [p[1] for p in points]
    lon0, lat0 = min(lons), max(lats)
    cos = math.cos(math.radians((min(lats) + max(lats)) / 2))
    k = (WIDTH_PX * UNITS_PER_PX - 2 * _PAD) / ((max(lons) - lon0) * cos)
    kx, ky = k * cos, k
    height = math.ceil((lat0 - min(lats)) * ky) + 2 * _PAD
    shapes: dict[str, Shape] = {}
    for f in features:
        props = f["properties"]
        rings = []
        for poly in polygons[props["istat_code"]]:
            for ring in poly:
                pts = _clean(
                    (round((lon - lon0) * kx) + _PAD, round((lat0 - lat) * ky) + _PAD)
                    for lon, lat in ring
                )
                if len(pts) >= 3:
                    rings.append(tuple(pts))
        if not rings:
            continue
        xs = [p[0] for r in rings for p in r]
        ys = [p[1] for r in rings for p in r]
        shapes[props["istat_code"]] = Shape(
            istat_code=props["istat_code"],
            name=props["name"],
            province=props.get("province", ""),
            d="".join(_ring_d(r) for r in rings),
            bbox=(min(xs), min(ys), max(xs), max(ys)),
            rings=tuple(rings),
        )
    missing = tuple(
        (c.istat_code, c.name)
        for c in read_reference(directory).comuni
        if c.istat_code not in shapes
    )
    return MapGeometry(
        width=WIDTH_PX * UNITS_PER_PX,
        height=height,
        lon0=lon0,
        lat0=lat0,
        kx=kx,
        ky=ky,
        shapes=shapes,
        missing=missing,
    )


def district_adjacency(
    assignment: Mapping[str, str], adjacency: Iterable[tuple[str, str]]
) -> dict[str, set[str]]:
    """Districts that touch: two districts are neighbours when two of their comuni are.

    ``assignment`` maps ISTAT codes to district codes; ``adjacency`` lists pairs of
    neighbouring comuni.
    """
    out: dict[str, set[str]] = {d: set() for d in assignment.values()}
    for a, b in adjacency:
        da, db = assignment.get(a), assignment.get(b)
        if da and db and da != db:
            out[da].add(db)
            out[db].add(da)
    return out


def district_colours(
    neighbours: Mapping[str, set[str]], palette: tuple[str, ...] = PALETTE
) -> dict[str, str]:
    """Greedy colouring: neighbouring districts never share a colour.

    Districts are coloured from the most connected down (ties by code); each takes the
    least used colour that none of its coloured neighbours has, so the palette is spread
    evenly. Raises ``ValueError`` if the palette is too small for the graph.
    """
    used: Counter[str] = Counter()
    out: dict[str, str] = {}
    for code in sorted(neighbours, key=lambda c: (-len(neighbours[c]), c)):
        taken = {out[n] for n in neighbours[code] if n in out}
        free = [c for c in palette if c not in taken]
        if not free:
            raise ValueError(f"palette too small to colour district {code}")
        colour = min(free, key=lambda c: (used[c], palette.index(c)))
        out[code] = colour
        used[colour] += 1
    return out


def build_map(
    districts: Mapping[str, tuple[str, str]],
    *,
    focus: str | None = None,
    margin: float = 0.12,
    reference_dir: Path | str = DEFAULT_REFERENCE_DIR,
) -> MapData:
    """The comuni of Piemonte coloured by district, whole or zoomed on one district.

    Parameters
    ----------
    districts : mapping
        ISTAT code -> (district code, district name). Comuni not in it are drawn grey.
    focus : str, optional
        A district code: the view box fits its comuni with ``margin`` (a share of the
        larger side) around them, only the comuni in view are returned and the others
        are marked ``focus=False`` (drawn faded). A district without comuni on the map
        gets the whole region, all faded.
    reference_dir : path
        Folder with ``comuni_piemonte.geojson`` and the adjacency table.
    """
    reference_dir = Path(reference_dir).resolve()
    geo = load_geometry(reference_dir)
    assignment = {code: d[0] for code, d in districts.items()}
    names = {d[0]: d[1] for d in districts.values()}
    colours = district_colours(
        district_adjacency(assignment, read_reference(reference_dir).adjacency)
    )
    if focus is not None:
        boxes = [s.bbox for c, s in geo.shapes.items() if assignment.get(c) == focus]
        view = _fit(boxes, margin) if boxes else (0, 0, geo.width, geo.height)
    else:
        view = (0, 0, geo.width, geo.height)
    paths = []
    for code in sorted(geo.shapes):
        shape = geo.shapes[code]
        if focus is not None and not _overlaps(shape.bbox, view):
            continue
        district = assignment.get(code)
        paths.append(
            {
                "istat_code": code,
                "name": shape.name,
                "province": shape.province,
                "district_code": district,
                "district_name": names.get(district) if district else None,
                "d": shape.d,
                "fill": colours[district] if district else NO_DISTRICT_FILL,
                "focus": None if focus is None else district == focus,
            }
        )
    grouped: dict[str | None, list[dict[str, Any]]] = defaultdict(list)
    for p in paths:
        grouped[p["district_code"]].append(p)
    groups = [
        {"code": c, "name": names.get(c) if c else None, "paths": grouped[c]}
        for c in sorted(grouped, key=lambda c: (c is not None, c or ""))
    ]
    counts = Counter(assignment[c] for c in geo.shapes if c in assignment)
    legend = [
        {"code": c, "name": names[c], "fill": colours[c], "comuni": counts.get(c, 0)}
        for c in sorted(names, key=lambda c: (names[c].casefold(), c))
    ]
    in_view = {p["district_code"] for p in paths if p["district_code"]}
    members: dict[str, list[str]] = defaultdict(list)
    for k, v in sorted(assignment.items()):
        members[v].append(k)
    outlines = [
        {"code": c, "d": _outline(str(reference_dir), tuple(members[c]))} for c in sorted(in_view)
    ]
    x, y, w, h = view
    return MapData(
        view_box=f"{x} {y} {w} {h}",
        width=geo.width,
        height=geo.height,
        paths=paths,
        groups=groups,
        outlines=[o for o in outlines if o["d"]],
        legend=legend,
        missing=tuple(m for m in geo.missing if focus is None or assignment.get(m[0]) == focus),
    )


# --- helpers -----------------------------------------------------------------------------


def _polygons(geometry: dict[str, Any]) -> list[list[list[list[float]]]]:
    if geometry["type"] == "Polygon":
        return [geometry["coordinates"]]
    if geometry["type"] == "MultiPolygon":
        return geometry["coordinates"]
    return []


def _clean(points: Iterable[Point]) -> list[Point]:
    """Drop repeated points and the closing point of a ring."""
    out: list[Point] = []
    for p in points:
        if not out or p != out[-1]:
            out.append(p)
    while len(out) > 1 and out[-1] == out[0]:
        out.pop()
    return out


def _ring_d(ring: tuple[Point, ...]) -> str:
    """A closed ring as ``M x y l dx dy ... z``."""
    return _line_d(list(ring)) + "z"


def _fit(boxes: list[Box], margin: float) -> tuple[int, int, int, int]:
    x0 = min(b[0] for b in boxes)
    y0 = min(b[1] for b in boxes)
    x1 = max(b[2] for b in boxes)
    y1 = max(b[3] for b in boxes)
    pad = max(round(max(x1 - x0, y1 - y0) * margin), 12)
    x0, y0, x1, y1 = x0 - pad, y0 - pad, x1 + pad, y1 + pad
    # at least _MIN_VIEW units on each side: a small district keeps its neighbours in view
    for lo, hi in ((0, 2), (1, 3)):
        box = [x0, y0, x1, y1]
        short = _MIN_VIEW - (box[hi] - box[lo])
        if short > 0:
            box[lo] -= short // 2
            box[hi] += short - short // 2
        x0, y0, x1, y1 = box
    # never taller than 1.25 times the width: tall districts get room at the sides
    w, h = x1 - x0, y1 - y0
    if h > w * 1.25:
        extra = round(h / 1.25) - w
        x0, x1 = x0 - extra // 2, x1 + extra - extra // 2
    elif w > h * 1.6:
        extra = round(w / 1.6) - h
        y0, y1 = y0 - extra // 2, y1 + extra - extra // 2
    return x0, y0, x1 - x0, y1 - y0


def _overlaps(a: Box, view: tuple[int, int, int, int]) -> bool:
    x, y, w, h = view
    return a[0] <= x + w and a[2] >= x and a[1] <= y + h and a[3] >= y


@functools.lru_cache(maxsize=512)
def _outline(reference_dir: str, codes: tuple[str, ...]) -> str:
    """Border of a group of comuni: the ring edges not shared by two comuni of the group."""
    geo = _load_geometry(reference_dir)
    edges: Counter[tuple[Point, Point]] = Counter()
    for code in codes:
        shape = geo.shapes.get(code)
        if shape is None:
            continue
        for ring in shape.rings:
            for a, b in zip(ring, ring[1:] + ring[:1], strict=True):
                edges[(a, b) if a <= b else (b, a)] += 1
    border = [e for e, n in edges.items() if n == 1]
    return _chain(border)


def _chain(segments: list[tuple[Point, Point]]) -> str:
    """Join segments into polylines and write them as path data."""
    nexts: dict[Point, list[Point]] = defaultdict(list)
    for a, b in segments:
        nexts[a].append(b)
        nexts[b].append(a)
    seen: set[tuple[Point, Point]] = set()
    parts: list[str] = []
    for a, b in sorted(segments):
        if (a, b) in seen:
            continue
        line = [a]
        cur, nxt = a, b
        while True:
            key = (cur, nxt) if cur <= nxt else (nxt, cur)
            if key in seen:
                break
            seen.add(key)
            line.append(nxt)
            options = [p for p in nexts[nxt] if ((nxt, p) if nxt <= p else (p, nxt)) not in seen]
            if not options:
                break
            cur, nxt = nxt, options[0]
        parts.append(_line_d(line))
    return "".join(parts)


def _line_d(line: list[Point]) -> str:
    """A polyline as ``M x y l dx dy ...``: integers, no redundant separators."""
    x, y = line[0]
    out = [f"M{x} {y}l"]
    for i, (px, py) in enumerate(line[1:]):
        dx, dy = px - x, py - y
        sep = "" if i == 0 or dx < 0 else " "
        out.append(f"{sep}{dx}{'' if dy < 0 else ' '}{dy}")
        x, y = px, py
    return "".join(out)
