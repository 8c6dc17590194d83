"""The Distretti della Coesione Sociale as a facilitator sees them: actors, themes, ties.

An organisation is *active* in a district when the district is among its declared
districts, when its seat is one of the district's comuni, or when it serves one of them.
For ties, each organisation counts in one *home* district: its first declared district by
code or, without one, the first district of its seat (the network explorer groups
organisations the same way). The Misura 1 priority themes are the themes of group
``misura1_priorita`` in the taxonomy.
"""

from __future__ import annotations

import dataclasses
from collections import Counter, defaultdict
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from matchmaker.domain import OrgKind
from matchmaker.reference import DEFAULT_REFERENCE_DIR
from matchmaker.registry import NotFound, get_district, list_partnerships
from matchmaker.storage import (
    Collaboration,
    Comune,
    District,
    Organisation,
    Partnership,
    Theme,
)
from matchmaker.storage.models import (
    district_comune,
    organisation_comune,
    organisation_district,
    organisation_theme,
    partnership_district,
)
from matchmaker.territory.maps import MapData, build_map

__all__ = [
    "PRIORITY_GROUP",
    "DistrictDetail",
    "DistrictRow",
    "NotFound",
    "comune_districts",
    "district_detail",
    "district_map",
    "district_rows",
    "organisation_districts",
    "theme_counts",
]

#: theme group of the Misura 1 priorities
PRIORITY_GROUP = "misura1_priorita"


@dataclasses.dataclass(frozen=True)
class DistrictRow:
    """One district in the lists: its geography and how many actors are active in it."""

    code: str
    name: str
    is_illustrative: bool
    provinces: tuple[str, ...]
    comuni: int
    population: int
    enti_gestori: int
    ets: int
    others: int
    ats: int
    priorities_covered: tuple[str, ...]
    priorities_total: int


@dataclasses.dataclass(frozen=True)
class DistrictDetail:
    """Everything the district page shows; organisations and ATS are ORM objects."""

    district: District
    provinces: tuple[str, ...]
    comuni: list[Comune]
    population: int
    enti_gestori: list[Organisation]
    ets: list[Organisation]
    others: list[Organisation]
    themes_covered: list[dict[str, Any]]
    themes_missing: list[Theme]
    other_themes: list[dict[str, Any]]
    partnerships: list[Partnership]
    internal_ties: int
    cross_ties: list[dict[str, Any]]

    @property
    def cross_ties_total(self) -> int:
        return sum(t["ties"] for t in self.cross_ties)


def comune_districts(session: Session) -> dict[str, tuple[str, str]]:
    """ISTAT code -> (district code, district name); a comune in several takes the first."""
    out: dict[str, tuple[str, str]] = {}
    rows = session.execute(
        select(district_comune.c.comune_code, District.code, District.name)
        .join(District, District.id == district_comune.c.district_id)
        .order_by(District.code)
    )
    for comune, code, name in rows:
        out.setdefault(comune, (code, name))
    return out


def organisation_districts(session: Session) -> dict[int, set[str]]:
    """Organisation id -> codes of the districts it is active in (declared, seat, served)."""
    of_comune: dict[str, set[str]] = defaultdict(set)
    for comune, code in session.execute(
        select(district_comune.c.comune_code, District.code).join(
            District, District.id == district_comune.c.district_id
        )
    ):
        of_comune[comune].add(code)
    out: dict[int, set[str]] = defaultdict(set)
    for org_id, code in session.execute(
        select(organisation_district.c.organisation_id, District.code).join(
            District, District.id == organisation_district.c.district_id
        )
    ):
        out[org_id].add(code)
    for org_id, seat in session.execute(
        select(Organisation.id, Organisation.seat_comune_code).where(
            Organisation.seat_comune_code.is_not(None)
        )
    ):
        out[org_id].update(of_comune.get(seat, ()))
    for org_id, comune in session.execute(select(organisation_comune)):
        out[org_id].update(of_comune.get(comune, ()))
    return dict(out)


def theme_counts(session: Session) -> list[dict[str, Any]]:
    """Every theme of the taxonomy with the number of organisations citing it, most first."""
    cited = Counter(code for (code,) in session.execute(select(organisation_theme.c.theme_code)))
    themes = session.scalars(select(Theme)).all()
    rows = [
        {
            "code": t.code,
            "label_it": t.label_it,
            "label_en": t.label_en,
            "group": t.group,
            "organisations": cited.get(t.code, 0),
        }
        for t in themes
    ]
    rows.sort(key=lambda r: (-r["organisations"], r["label_it"]))
    return rows


def district_rows(session: Session) -> list[DistrictRow]:
    """All districts by code, with the counts of the district list and the dashboard."""
    districts = session.scalars(
        select(District).options(selectinload(District.comuni)).order_by(District.code)
    ).all()
    active = organisation_districts(session)
    kinds = dict(session.execute(select(Organisation.id, Organisation.kind)).all())
    themes_of = _themes_of(session)
    priorities = _priorities(session)
    per: dict[str, Counter[str]] = defaultdict(Counter)
    covered: dict[str, set[str]] = defaultdict(set)
    for org_id, codes in active.items():
        kind = _kind_column(kinds.get(org_id))
        for code in codes:
            per[code][kind] += 1
            covered[code].update(themes_of.get(org_id, set()) & set(priorities))
    ats = Counter(
        code
        for (code,) in session.execute(
            select(District.code).join(
                partnership_district, partnership_district.c.district_id == District.id
            )
        )
    )
    return [
        DistrictRow(
            code=d.code,
            name=d.name,
            is_illustrative=d.is_illustrative,
            provinces=tuple(sorted({c.province_code for c in d.comuni})),
            comuni=len(d.comuni),
            population=sum(c.population or 0 for c in d.comuni),
            enti_gestori=per[d.code]["ente_gestore"],
            ets=per[d.code]["ets"],
            others=per[d.code]["other"],
            ats=ats.get(d.code, 0),
            priorities_covered=tuple(p for p in priorities if p in covered[d.code]),
            priorities_total=len(priorities),
        )
        for d in districts
    ]


def district_detail(session: Session, code: str) -> DistrictDetail:
    """The page of one district; raises :class:`NotFound` for an unknown code."""
    district = get_district(session, code)
    comuni = list(district.comuni)
    active = organisation_districts(session)
    ids = [org_id for org_id, codes in active.items() if code in codes]
    orgs = session.scalars(
        select(Organisation)
        .where(Organisation.id.in_(ids))
        .options(selectinload(Organisation.seat), selectinload(Organisation.themes))
        .order_by(Organisation.name, Organisation.id)
    ).all()
    by_kind: dict[str, list[Organisation]] = defaultdict(list)
    for org in orgs:
        by_kind[_kind_column(org.kind)].append(org)
    cited = Counter(t.code for org in orgs for t in org.themes)
    themes = session.scalars(select(Theme).order_by(Theme.label_it)).all()
    priorities = [t for t in themes if t.group == PRIORITY_GROUP]
    covered = [
        {"theme": t, "organisations": cited[t.code]} for t in priorities if cited.get(t.code)
    ]
    others = [
        {"theme": t, "organisations": cited[t.code]}
        for t in themes
        if t.group != PRIORITY_GROUP and cited.get(t.code)
    ]
    others.sort(key=lambda r: (-r["organisations"], r["theme"].label_it))
    partnerships = list_partnerships(session, district=code, per_page=200).items
    internal, cross = _ties(session, code)
    return DistrictDetail(
        district=district,
        provinces=tuple(sorted({c.province_code for c in comuni})),
        comuni=comuni,
        population=sum(c.population or 0 for c in comuni),
        enti_gestori=by_kind["ente_gestore"],
        ets=by_kind["ets"],
        others=by_kind["other"],
        themes_covered=covered,
        themes_missing=[t for t in priorities if not cited.get(t.code)],
        other_themes=others,
        partnerships=partnerships,
        internal_ties=internal,
        cross_ties=cross,
    )


def district_map(
    session: Session,
    focus: str | None = None,
    reference_dir: Path | str = DEFAULT_REFERENCE_DIR,
) -> MapData:
    """The map of the region coloured by the database's districts (zoomed on ``focus``)."""
    return build_map(comune_districts(session), focus=focus, reference_dir=reference_dir)


# --- helpers -----------------------------------------------------------------------------


def _kind_column(kind: object) -> str:
    value = getattr(kind, "value", kind)
    if value in (OrgKind.ENTE_GESTORE.value, OrgKind.ETS.value):
        return str(value)
    return "other"


def _themes_of(session: Session) -> dict[int, set[str]]:
    out: dict[int, set[str]] = defaultdict(set)
    for org_id, theme in session.execute(select(organisation_theme)):
        out[org_id].add(theme)
    return out


def _priorities(session: Session) -> list[str]:
    return list(
        session.scalars(
            select(Theme.code).where(Theme.group == PRIORITY_GROUP).order_by(Theme.label_it)
        )
    )


def _home_districts(session: Session) -> dict[int, str]:
    """Organisation id -> its home district code (first declared, else first of its seat)."""
    home: dict[int, str] = {}
    for org_id, code in session.execute(
        select(organisation_district.c.organisation_id, District.code)
        .join(District, District.id == organisation_district.c.district_id)
        .order_by(District.code)
    ):
        home.setdefault(org_id, code)
    for org_id, code in session.execute(
        select(Organisation.id, District.code)
        .join(district_comune, district_comune.c.comune_code == Organisation.seat_comune_code)
        .join(District, District.id == district_comune.c.district_id)
        .order_by(District.code)
    ):
        home.setdefault(org_id, code)
    return home


def _ties(session: Session, code: str) -> tuple[int, list[dict[str, Any]]]:
    """Collaborations inside district ``code`` and from it to each other district."""
    home = _home_districts(session)
    internal = 0
    cross: Counter[str] = Counter()
    for source, target in session.execute(select(Collaboration.source_id, Collaboration.target_id)):
        a, b = home.get(source), home.get(target)
        if a == code and b == code:
            internal += 1
        elif a == code and b:
            cross[b] += 1
        elif b == code and a:
            cross[a] += 1
    names = dict(session.execute(select(District.code, District.name)).all())
    rows = [{"code": c, "name": names.get(c, c), "ties": n} for c, n in cross.items()]
    rows.sort(key=lambda r: (-r["ties"], r["code"]))
    return internal, rows
