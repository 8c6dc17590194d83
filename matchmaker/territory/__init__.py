"""The territory as the pages show it: district figures and the SVG maps of Piemonte.

- :mod:`~matchmaker.territory.districts`: per-district counts, the detail of one district
  (its Enti Gestori, ETS, themes covered and missing, ATS, ties);
- :mod:`~matchmaker.territory.maps`: the map of the comuni drawn from the reference borders.
"""

from __future__ import annotations

__all__: list[str] = []
