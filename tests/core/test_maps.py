"""The SVG map of Piemonte: projection, compact paths, colouring by district, zoom."""

from __future__ import annotations

import itertools
import re

import pytest

from matchmaker.reference import read_reference
from matchmaker.territory.maps import (
    NO_DISTRICT_FILL,
    PALETTE,
    build_map,
    district_adjacency,
    district_colours,
    load_geometry,
)

TORINO = "001272"
_TOKEN = re.compile(r"[Mlz]|-?\d+")


def _rings(d: str) -> list[list[tuple[int, int]]]:
    """Absolute integer points of each closed ring of path data written by the module."""
    tokens = _TOKEN.findall(d)
    assert "".join(tokens) == d.replace(" ", ""), f"unexpected characters in {d[:60]!r}"
    rings: list[list[tuple[int, int]]] = []
    i = 0
    while i < len(tokens):
        assert tokens[i] == "M"
        x, y = int(tokens[i + 1]), int(tokens[i + 2])
        assert tokens[i + 3] == "l"
        ring = [(x, y)]
        i += 4
        while tokens[i] != "z":
            x, y = x + int(tokens[i]), y + int(tokens[i + 1])
            ring.append((x, y))
            i += 2
        rings.append(ring)
        i += 1
    return rings


def _by_province() -> dict[str, tuple[str, str]]:
    """Comuni grouped by province: eight 'districts' built from the reference data only."""
    return {c.istat_code: (c.province, f"Provincia {c.province}") for c in read_reference().comuni}


def test_geometry_has_every_comune_with_boundaries_and_is_loaded_once():
    geo = load_geometry()
    assert load_geometry() is geo  # cached per process
    assert len(geo.shapes) == 1178
    assert geo.missing == (("096034", "Miagliano"),)  # no geometry in the source
    assert (geo.width, geo.height) == (1600, 2107)
    assert sum(len(r) for s in geo.shapes.values() for r in s.rings) == 23_955


def test_every_path_is_valid_closed_and_inside_the_map():
    m = build_map({})
    assert len(m.paths) == 1178
    assert m.view_box == "0 0 1600 2107"
    for p in m.paths:
        rings = _rings(p["d"])
        assert rings, p["istat_code"]
        assert all(len(r) >= 3 for r in rings), p["istat_code"]
        for ring in rings:
            assert all(0 <= x <= m.width and 0 <= y <= m.height for x, y in ring)
            assert all(a != b for a, b in itertools.pairwise(ring))  # no repeats


def test_whole_region_svg_is_compact():
    m = build_map(_by_province())
    path_bytes = sum(len(p["d"]) for p in m.paths) + sum(len(o["d"]) for o in m.outlines)
    assert path_bytes < 160_000
    # with tags, fill, code and title each path costs ~110 bytes more: still < 600 KB
    assert path_bytes + 110 * len(m.paths) < 600_000


def test_torino_is_where_its_centroid_projects():
    geo = load_geometry()
    torino = next(c for c in read_reference().comuni if c.istat_code == TORINO)
    x, y = geo.project(torino.lon, torino.lat)
    x0, y0, x1, y1 = geo.shapes[TORINO].bbox
    assert x0 <= x <= x1
    assert y0 <= y <= y1
    assert x0 < 800
    assert y0 > 1000


def test_comuni_in_no_district_are_grey_and_have_no_legend():
    m = build_map({})
    assert {p["fill"] for p in m.paths} == {NO_DISTRICT_FILL}
    assert [g["code"] for g in m.groups] == [None]
    assert m.legend == []
    assert m.outlines == []
    assert all(p["focus"] is None and p["district_code"] is None for p in m.paths)


def test_neighbouring_districts_never_share_a_colour():
    districts = _by_province()
    m = build_map(districts)
    fill = {g["code"]: g["paths"][0]["fill"] for g in m.groups}
    assert all(len({p["fill"] for p in g["paths"]}) == 1 for g in m.groups)
    adjacency = district_adjacency(
        {k: v[0] for k, v in districts.items()}, read_reference().adjacency
    )
    assert adjacency["TO"] == {"AL", "AT", "BI", "CN", "VC"}
    pairs = [(a, b) for a, ns in adjacency.items() for b in ns]
    assert len(pairs) == 24  # 12 borders between provinces, each seen from both sides
    assert all(fill[a] != fill[b] for a, b in pairs)
    assert [entry["code"] for entry in m.legend] == sorted(fill, key=lambda c: f"provincia {c}")
    assert {entry["code"]: entry["comuni"] for entry in m.legend}["BI"] == 73  # Miagliano


def test_greedy_colouring_spreads_the_palette_and_refuses_a_small_one():
    triangle = {"a": {"b", "c"}, "b": {"a", "c"}, "c": {"a", "b"}}
    colours = district_colours(triangle)
    assert colours == {"a": PALETTE[0], "b": PALETTE[1], "c": PALETTE[2]}
    assert district_colours({"x": set(), "y": set()}) == {"x": PALETTE[0], "y": PALETTE[1]}
    with pytest.raises(ValueError, match="palette too small"):
        district_colours(triangle, palette=("#000000", "#ffffff"))


def test_zoom_fits_the_district_and_fades_the_others():
    geo = load_geometry()
    m = build_map(_by_province(), focus="AT")
    x, y, w, h = m.box
    at = [s for c, s in geo.shapes.items() if c.startswith("005")]
    assert all(x <= s.bbox[0] and s.bbox[2] <= x + w for s in at)
    assert all(y <= s.bbox[1] and s.bbox[3] <= y + h for s in at)
    assert sum(p["focus"] is True for p in m.paths) == 116  # the comuni of the province of Asti
    faded = [p for p in m.paths if p["focus"] is False]
    assert faded
    assert len(m.paths) < 1178
    assert {p["district_code"] for p in faded} == {"AL", "CN", "TO", "VC"}
    assert [o["code"] for o in m.outlines] == ["AL", "AT", "CN", "TO", "VC"]
    empty = build_map(_by_province(), focus="ZZ")  # a district without comuni
    assert empty.view_box == "0 0 1600 2107"
    assert len(empty.paths) == 1178
    assert not any(p["focus"] for p in empty.paths)


def test_a_one_comune_district_keeps_its_neighbours_in_view():
    districts = {TORINO: ("T", "Città"), **dict.fromkeys(("001090", "001156"), ("R", "Resto"))}
    m = build_map(districts, focus="T")
    geo = load_geometry()
    x, y, w, h = m.box
    torino = next(c for c in read_reference().comuni if c.istat_code == TORINO)
    px, py = geo.project(torino.lon, torino.lat)
    assert x < px < x + w
    assert y < py < y + h
    assert w >= 240
    assert h >= 240
    assert [p["istat_code"] for p in m.paths if p["focus"]] == [TORINO]
    # the outline of a lone comune is its own boundary, traced as one closed line
    outline = next(o["d"] for o in m.outlines if o["code"] == "T")
    tokens = _TOKEN.findall(outline)
    assert tokens.count("M") == 1
    assert (len(tokens) - 4) // 2 == len(geo.shapes[TORINO].rings[0])
    assert m.missing == ()
