"""Places named in text, and how close two sets of places are.

A :class:`Gazetteer` finds comuni (ISTAT names from ``data/reference``) and named areas
(:mod:`matchmaker.matching.areas`: provinces, valleys, historical regions) in Italian text,
and turns a set of places into a closeness score over all comuni of Piemonte:
1 for the same comune (or a comune of a named province), 0.9 for a bordering comune,
0.75 inside the province of a named area, otherwise ``exp(-km / scale)`` from the nearest
named place.
"""

from __future__ import annotations

import dataclasses
import functools
import re
from collections.abc import Iterable
from pathlib import Path

import numpy as np

from matchmaker.matching.areas import AREAS
from matchmaker.matching.text import fold
from matchmaker.reference import DEFAULT_REFERENCE_DIR, PROVINCES, read_reference

__all__ = ["Gazetteer", "PlaceSet", "gazetteer"]

_ADJACENT = 0.9
_AREA_PROVINCE = 0.75
_PREPOSITIONS = {
    "a", "ad", "di", "da", "in", "tra", "fra", "su", "per", "presso", "comune", "nel", "del",
}  # fmt: skip
_TOKEN = re.compile(r"[a-z0-9]+")
_CAPITALS = {fold(name) for _istat, name in PROVINCES.values()} | {"verbania"}
_VALLEYS = re.compile(
    r"\b(valli|valle|val)\s+([a-z][a-z']+)((?:\s*,\s*[a-z][a-z']+)*)(?:\s+e\s+([a-z][a-z']+))?"
)


@dataclasses.dataclass(frozen=True)
class PlaceSet:
    """Comuni (ISTAT codes) and provinces (sigle) found or declared, with their labels."""

    comuni: frozenset[str] = frozenset()
    provinces: frozenset[str] = frozenset()
    area_provinces: frozenset[str] = frozenset()
    labels: tuple[str, ...] = ()

    def __bool__(self) -> bool:
        return bool(self.comuni or self.provinces or self.area_provinces)

    def union(self, other: PlaceSet) -> PlaceSet:
        return PlaceSet(
            self.comuni | other.comuni,
            self.provinces | other.provinces,
            self.area_provinces | other.area_provinces,
            tuple(dict.fromkeys(self.labels + other.labels)),
        )


_FOLD_TABLE: dict[int, str] = {}


def _fold_aligned(text: str) -> str:
    """Fold character by character so that positions match the original text."""
    missing = {ch for ch in set(text) if ord(ch) not in _FOLD_TABLE}
    for ch in missing:
        f = fold(ch)
        _FOLD_TABLE[ord(ch)] = f[0] if f else " "
    return text.translate(_FOLD_TABLE)


class Gazetteer:
    """Place names of Piemonte and distances between comuni.

    Parameters
    ----------
    reference_dir : Path or str
        Folder of the reference data (``comuni_piemonte.csv``, adjacency).
    scale_km : float
        Distance at which closeness falls to 1/e.
    """

    def __init__(self, reference_dir: Path | str = DEFAULT_REFERENCE_DIR, scale_km: float = 20.0):
        ref = read_reference(Path(reference_dir))
        self.scale_km = scale_km
        self.codes = [c.istat_code for c in ref.comuni]
        self.index = {code: i for i, code in enumerate(self.codes)}
        self.names = {c.istat_code: c.name for c in ref.comuni}
        self.province_of = np.array([c.province for c in ref.comuni])
        lat = np.array([c.lat if c.lat is not None else np.nan for c in ref.comuni])
        lon = np.array([c.lon if c.lon is not None else np.nan for c in ref.comuni])
        self._dist = np.nan_to_num(_haversine_matrix(lat, lon), nan=1e4)
        self._neighbours: dict[int, list[int]] = {}
        for a, b in ref.adjacency:
            ia, ib = self.index.get(a), self.index.get(b)
            if ia is not None and ib is not None:
                self._neighbours.setdefault(ia, []).append(ib)
                self._neighbours.setdefault(ib, []).append(ia)
        self._patterns: dict[str, tuple[str, str]] = {}  # token key -> (kind, key)
        by_name = {_key(c.name): c.istat_code for c in ref.comuni}
        for key, code in by_name.items():
            self._patterns[key] = ("comune", code)
        self._areas: dict[str, tuple[tuple[str, ...], tuple[str, ...], str]] = {}
        for variants, (provinces, anchors) in AREAS.items():
            codes = tuple(by_name[_key(a)] for a in anchors)
            for variant in variants:
                self._areas[_key(variant)] = (provinces, codes, variants[0])
                self._patterns[_key(variant)] = ("area", _key(variant))
        self._first_words = {key.split()[0] for key in self._patterns}
        self._max_words = max(len(key.split()) for key in self._patterns)

    # -- finding places -------------------------------------------------------------------

    def find(self, text: str) -> PlaceSet:
        """Places named in ``text``.

        Comune names must be capitalised as in the text of a name and, when they are the
        first word of a sentence, be a provincial capital; names of five letters or fewer
        that are also common words (``Re``, ``Sale``, ``Alba``...) count only after a
        preposition. Enumerations of valleys ("valli Stura, Grana e Maira") are expanded.
        """
        if not text:
            return PlaceSet()
        folded = _fold_aligned(text)
        tokens = [(m.group(), m.start(), m.end()) for m in _TOKEN.finditer(folded)]
        comuni: set[str] = set()
        provinces: set[str] = set()
        area_provinces: set[str] = set()
        labels: list[str] = []
        i = 0
        while i < len(tokens):
            if tokens[i][0] not in self._first_words:
                i += 1
                continue
            hit = None
            for length in range(min(self._max_words, len(tokens) - i), 0, -1):
                key = " ".join(t[0] for t in tokens[i : i + length])
                hit = self._patterns.get(key)
                if hit is not None:
                    break
            if hit is None:
                i += 1
                continue
            kind, value = hit
            start, end = tokens[i][1], tokens[i + length - 1][2]
            original = text[start:end]
            previous = tokens[i - 1][0] if i else None
            if kind == "comune":
                if original[:1].isupper() and _plausible(key, folded[:start], previous):
                    comuni.add(value)
                    labels.append(self.names[value])
            else:
                self._add_area(value, comuni, provinces, area_provinces)
                labels.append(original)
            i += length
        for match in _VALLEYS.finditer(folded):
            rest = re.findall(r"[a-z][a-z']+", match.group(3) or "")
            for word in [match.group(2), *rest, match.group(4)]:
                if word and f"valle {word}" in self._areas:
                    self._add_area(f"valle {word}", comuni, provinces, area_provinces)
                    labels.append(f"Valle {word.capitalize()}")
        return PlaceSet(
            frozenset(comuni),
            frozenset(provinces),
            frozenset(area_provinces),
            tuple(dict.fromkeys(labels)),
        )

    def _add_area(self, key: str, comuni: set, provinces: set, area_provinces: set) -> None:
        area_prov, anchors, _label = self._areas[key]
        if anchors:
            comuni.update(anchors)
            area_provinces.update(area_prov)
        else:
            provinces.update(area_prov)

    def comuni_of_provinces(self, provinces: Iterable[str]) -> np.ndarray:
        """Indices of the comuni of the given provinces."""
        return np.flatnonzero(np.isin(self.province_of, list(provinces)))

    # -- closeness --------------------------------------------------------------------------

    def closeness(self, places: PlaceSet) -> np.ndarray:
        """Closeness in [0, 1] of every comune (reference order) to the nearest place."""
        out = np.zeros(len(self.codes), dtype=np.float32)
        named = [self.index[c] for c in places.comuni if c in self.index]
        if named:
            out = np.exp(-self._dist[named].min(axis=0) / self.scale_km).astype(np.float32)
            neighbours = [j for i in named for j in self._neighbours.get(i, ())]
            out[neighbours] = np.maximum(out[neighbours], _ADJACENT)
            out[named] = 1.0
        if places.area_provinces:
            inside = self.comuni_of_provinces(places.area_provinces)
            out[inside] = np.maximum(out[inside], _AREA_PROVINCE)
        if places.provinces:
            inside = self.comuni_of_provinces(places.provinces)
            row = np.exp(-self._dist[inside].min(axis=0) / self.scale_km)
            row[inside] = 1.0
            np.maximum(out, row, out=out)
        return out

    def distance_km(self, places: PlaceSet) -> np.ndarray:
        """Distance in km of every comune to the nearest named comune or province."""
        out = np.full(len(self.codes), np.inf, dtype=np.float32)
        for code in places.comuni:
            i = self.index.get(code)
            if i is not None:
                np.minimum(out, self._dist[i], out=out)
        provinces = places.provinces | places.area_provinces
        if provinces:
            inside = self.comuni_of_provinces(provinces)
            if places.provinces:
                own = self.comuni_of_provinces(places.provinces)
                np.minimum(out, self._dist[own].min(axis=0), out=out)
                out[own] = 0.0
            del inside
        return out

    def describe(
        self, places: PlaceSet, comune_code: str, closeness: np.ndarray | None = None
    ) -> tuple[float, str]:
        """Closeness of one comune to ``places`` and the Italian reason for it.

        ``closeness`` is ``self.closeness(places)`` when the caller already has it.
        """
        i = self.index.get(comune_code)
        if i is None or not places:
            return 0.0, ""
        name = self.names[comune_code]
        if comune_code in places.comuni:
            return 1.0, f"ha sede o opera {_at(name)}, luogo indicato"
        province = self.province_of[i]
        if province in places.provinces:
            return 1.0, f"{name} è nella provincia di {PROVINCES[province][1]}, indicata"
        best, best_code = np.inf, None
        for code in places.comuni:
            j = self.index.get(code)
            if j is not None and self._dist[i, j] < best:
                best, best_code = self._dist[i, j], code
        score = float((self.closeness(places) if closeness is None else closeness)[i])
        if best_code is not None and i in self._neighbours.get(self.index[best_code], ()):
            return score, f"{name} confina con {self.names[best_code]}"
        if province in places.area_provinces and score <= _AREA_PROVINCE + 1e-6:
            return score, f"{name} è nella provincia dell'area indicata"
        if best_code is not None and np.isfinite(best):
            return score, f"{name} è a {best:.0f} km da {self.names[best_code]}"
        return score, f"{name} è fuori dall'area indicata"


def _at(name: str) -> str:
    """Italian "a"/"ad" before a place name."""
    return f"ad {name}" if name[:1].lower() == "a" else f"a {name}"


def _key(name: str) -> str:
    """A place name as lookup key: folded words joined by single spaces."""
    return " ".join(_TOKEN.findall(fold(name)))


def _plausible(key: str, before: str, previous: str | None) -> bool:
    """Whether a capitalised single-word comune name is used as a place name here."""
    if " " in key:
        return True
    before = before.rstrip()
    if (not before or before[-1] in ".!?:;") and key not in _CAPITALS:
        return False  # a capitalised first word is not evidence of a place name
    return len(key) > 5 or previous in _PREPOSITIONS


def _haversine_matrix(lat: np.ndarray, lon: np.ndarray) -> np.ndarray:
    la, lo = np.radians(lat), np.radians(lon)
    dlat = la[:, None] - la[None, :]
    dlon = lo[:, None] - lo[None, :]
    a = np.sin(dlat / 2) ** 2 + np.cos(la)[:, None] * np.cos(la)[None, :] * np.sin(dlon / 2) ** 2
    return (2 * 6371.0 * np.arcsin(np.sqrt(np.clip(a, 0, 1)))).astype(np.float32)


@functools.lru_cache(maxsize=4)
def gazetteer(reference_dir: Path | str = DEFAULT_REFERENCE_DIR) -> Gazetteer:
    """The gazetteer of a reference folder, built once per process."""
    return Gazetteer(reference_dir)
