"""The reference records as the pages and the API list them: themes, comuni, districts."""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session, selectinload

from matchmaker.domain import OrgKind
from matchmaker.registry.paging import NotFound, Page, paginate
from matchmaker.storage import Comune, District, Province, Theme

__all__ = [
    "comune_choices",
    "comune_dict",
    "district_choices",
    "district_dict",
    "get_district",
    "list_comuni",
    "list_districts",
    "list_themes",
    "province_choices",
    "theme_choices",
    "theme_dict",
    "theme_labels",
]


def theme_dict(t: Theme) -> dict[str, Any]:
    return {"code": t.code, "label_it": t.label_it, "label_en": t.label_en, "group": t.group}


def list_themes(session: Session) -> list[Theme]:
    return list(session.scalars(select(Theme).order_by(Theme.group, Theme.code)))


def comune_dict(c: Comune) -> dict[str, Any]:
    return {
        "istat_code": c.istat_code,
        "name": c.name,
        "province": c.province_code,
        "lat": c.lat,
        "lon": c.lon,
        "area_km2": c.area_km2,
        "population": c.population,
        "asl": c.asl_code,
    }


def list_comuni(
    session: Session,
    *,
    province: str | None = None,
    q: str | None = None,
    page: int = 1,
    per_page: int = 50,
) -> Page[Comune]:
    """Comuni by ISTAT code, optionally of one province or whose name starts with ``q``."""
    query = select(Comune).order_by(Comune.istat_code)
    if province:
        query = query.where(Comune.province_code == province.upper())
    if q:
        query = query.where(func.lower(Comune.name).startswith(q.strip().lower(), autoescape=True))
    return paginate(session, query, page, per_page)


def district_dict(d: District, *, with_comuni: bool = False) -> dict[str, Any]:
    out: dict[str, Any] = {
        "code": d.code,
        "name": d.name,
        "is_illustrative": d.is_illustrative,
        "enti_gestori": [
            {"tax_code": o.tax_code, "name": o.name}
            for o in sorted(d.organisations, key=lambda o: o.name)
            if o.kind == OrgKind.ENTE_GESTORE
        ],
        "comuni_count": len(d.comuni),
    }
    if with_comuni:
        out["comuni"] = [c.istat_code for c in d.comuni]
    return out


def list_districts(session: Session) -> list[District]:
    return list(
        session.scalars(
            select(District)
            .options(selectinload(District.organisations), selectinload(District.comuni))
            .order_by(District.code)
        )
    )


def get_district(session: Session, code: str) -> District:
    d = session.scalar(select(District).where(District.code == code))
    if d is None:
        raise NotFound(
            f"nessun distretto con codice {code}",
            field="code",
            value=code,
            kind="reference",
            en=f"no district with code {code}",
        )
    return d


def district_choices(session: Session) -> list[tuple[str, str]]:
    """(code, name) of every district, by name: the options of a district menu."""
    return [
        tuple(r)
        for r in session.execute(select(District.code, District.name).order_by(District.name))
    ]


def theme_choices(session: Session) -> list[tuple[str, str]]:
    """(code, Italian label) of every theme, by label."""
    rows = session.execute(select(Theme.code, Theme.label_it).order_by(Theme.label_it))
    return [tuple(r) for r in rows]


def theme_labels(session: Session, language: str = "it") -> dict[str, str]:
    """Theme code -> label in ``language`` (``it`` or ``en``)."""
    column = Theme.label_en if language == "en" else Theme.label_it
    return dict(session.execute(select(Theme.code, column)).all())


def province_choices(session: Session) -> list[tuple[str, str]]:
    """(code, name) of the provinces, by name."""
    rows = session.execute(select(Province.code, Province.name).order_by(Province.name))
    return [tuple(r) for r in rows]


def comune_choices(session: Session) -> list[tuple[str, str]]:
    """(name, province) of every comune, by name: the suggestions of a comune field."""
    rows = session.execute(select(Comune.name, Comune.province_code).order_by(Comune.name))
    return [tuple(r) for r in rows]
