"""Read-side queries: lists with filters and pagination, and records as plain dicts.

The web pages, the JSON API and the notebooks read organisations, districts, comuni,
themes and ATS through these functions, so that the three agree.
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Sequence
from typing import Any, Generic, TypeVar

from sqlalchemy import Select, func, or_, select
from sqlalchemy.orm import Session, selectinload

from matchmaker.domain import DomainError, OrgKind, RuntsSection, Sector
from matchmaker.storage import (
    Comune,
    District,
    Organisation,
    Partnership,
    PartnershipMember,
    Theme,
)
from matchmaker.storage.audit import jsonable

__all__ = [
    "MAX_PAGE",
    "MAX_PER_PAGE",
    "NotFound",
    "OrganisationFilter",
    "Page",
    "comune_dict",
    "district_dict",
    "get_district",
    "get_organisation",
    "get_partnership",
    "list_comuni",
    "list_districts",
    "list_organisations",
    "list_partnerships",
    "list_themes",
    "organisation_dict",
    "partnership_dict",
    "theme_dict",
]

MAX_PER_PAGE = 200
MAX_PAGE = 1_000_000
T = TypeVar("T")


class NotFound(DomainError):
    """No record with that key."""


@dataclasses.dataclass(frozen=True)
class Page(Generic[T]):
    """One page of a list."""

    items: list[T]
    page: int
    per_page: int
    total: int

    @property
    def pages(self) -> int:
        return max(1, math.ceil(self.total / self.per_page))

    def map(self, fn) -> Page[Any]:
        return Page([fn(i) for i in self.items], self.page, self.per_page, self.total)


def _paginate(session: Session, query: Select, page: int, per_page: int) -> Page[Any]:
    if not 1 <= page <= MAX_PAGE:
        raise DomainError(f"page deve essere tra 1 e {MAX_PAGE}", field="page", value=page)
    if not 1 <= per_page <= MAX_PER_PAGE:
        raise DomainError(
            f"per_page deve essere tra 1 e {MAX_PER_PAGE}", field="per_page", value=per_page
        )
    total = session.scalar(select(func.count()).select_from(query.order_by(None).subquery()))
    items = list(session.scalars(query.offset((page - 1) * per_page).limit(per_page)))
    return Page(items, page, per_page, total or 0)


# --- themes and comuni ---------------------------------------------------------------------


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
    return _paginate(session, query, page, per_page)


# --- districts -------------------------------------------------------------------------------


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
        raise NotFound(f"nessun distretto con codice {code}", field="code", value=code)
    return d


# --- organisations -------------------------------------------------------------------------


@dataclasses.dataclass(frozen=True)
class OrganisationFilter:
    """Filters of the directory; empty fields do not filter."""

    q: str = ""
    kinds: Sequence[str] = ()
    sectors: Sequence[str] = ()
    districts: Sequence[str] = ()
    provinces: Sequence[str] = ()
    themes: Sequence[str] = ()
    runts_sections: Sequence[str] = ()
    sort: str = "name"

    SORTS = ("name", "-name", "created", "-created", "kind")

    def validate(self) -> None:
        for field, values, enum in (
            ("kind", self.kinds, OrgKind),
            ("sector", self.sectors, Sector),
            ("runts_section", self.runts_sections, RuntsSection),
        ):
            allowed = {e.value for e in enum}
            for v in values:
                if v not in allowed:
                    raise DomainError(
                        f"valore non ammesso {v!r}: usare {', '.join(sorted(allowed))}",
                        field=field,
                        value=v,
                    )
        if self.sort not in self.SORTS:
            raise DomainError(
                f"ordinamento non ammesso {self.sort!r}: usare {', '.join(self.SORTS)}",
                field="sort",
                value=self.sort,
            )


def _organisation_query(flt: OrganisationFilter) -> Select:
    flt.validate()
    query = select(Organisation).options(
        selectinload(Organisation.themes),
        selectinload(Organisation.districts),
        selectinload(Organisation.seat),
    )
    if flt.q.strip():
        for word in flt.q.split()[:8]:
            pattern = f"%{word.lower()}%"
            query = query.where(
                or_(
                    func.lower(Organisation.name).like(pattern),
                    func.lower(Organisation.description).like(pattern),
                    Organisation.tax_code == word.upper(),
                )
            )
    if flt.kinds:
        query = query.where(Organisation.kind.in_(list(flt.kinds)))
    if flt.sectors:
        query = query.where(Organisation.sector.in_(list(flt.sectors)))
    if flt.runts_sections:
        query = query.where(Organisation.runts_section.in_(list(flt.runts_sections)))
    if flt.districts:
        query = query.where(Organisation.districts.any(District.code.in_(list(flt.districts))))
    if flt.provinces:
        provinces = [p.upper() for p in flt.provinces]
        query = query.where(Organisation.seat.has(Comune.province_code.in_(provinces)))
    if flt.themes:
        query = query.where(Organisation.themes.any(Theme.code.in_(list(flt.themes))))
    order = {
        "name": (Organisation.name, Organisation.id),
        "-name": (Organisation.name.desc(), Organisation.id),
        "created": (Organisation.created_at, Organisation.id),
        "-created": (Organisation.created_at.desc(), Organisation.id.desc()),
        "kind": (Organisation.kind, Organisation.name, Organisation.id),
    }[flt.sort]
    return query.order_by(*order)


def list_organisations(
    session: Session, flt: OrganisationFilter | None = None, page: int = 1, per_page: int = 50
) -> Page[Organisation]:
    """The directory: organisations matching ``flt``, one page at a time.

    ``q`` matches every word against the name or description (case-insensitive), or a
    whole tax code.
    """
    return _paginate(session, _organisation_query(flt or OrganisationFilter()), page, per_page)


def get_organisation(session: Session, tax_code: str) -> Organisation:
    org = session.scalar(select(Organisation).where(Organisation.tax_code == tax_code.upper()))
    if org is None:
        raise NotFound(
            f"nessun ente con codice fiscale {tax_code}", field="tax_code", value=tax_code
        )
    return org


def organisation_dict(org: Organisation, *, contacts: bool) -> dict[str, Any]:
    """An organisation as plain data; ``contacts`` adds e-mail and phone."""
    seat = org.seat
    out: dict[str, Any] = {
        "tax_code": org.tax_code,
        "name": org.name,
        "kind": org.kind.value,
        "sector": org.sector.value,
        "runts_section": org.runts_section.value if org.runts_section else None,
        "seat": {"istat_code": seat.istat_code, "name": seat.name, "province": seat.province_code}
        if seat
        else None,
        "districts": [d.code for d in org.districts],
        "themes": [t.code for t in org.themes],
        "description": org.description,
        "website": org.website,
        "is_illustrative": org.is_illustrative,
        "source": org.source,
        "version": org.version,
        "created_at": jsonable(org.created_at),
        "updated_at": jsonable(org.updated_at),
    }
    if contacts:
        out["email"] = org.email
        out["phone"] = org.phone
    return out


# --- partnerships ----------------------------------------------------------------------------


def list_partnerships(
    session: Session,
    *,
    measure: int | None = None,
    call_round: int | None = None,
    status: str | None = None,
    district: str | None = None,
    member: str | None = None,
    page: int = 1,
    per_page: int = 50,
) -> Page[Partnership]:
    """ATS, newest round first, with filters."""
    query = select(Partnership).options(
        selectinload(Partnership.members).selectinload(PartnershipMember.organisation),
        selectinload(Partnership.districts),
        selectinload(Partnership.themes),
    )
    if measure is not None:
        query = query.where(Partnership.measure == measure)
    if call_round is not None:
        query = query.where(Partnership.call_round == call_round)
    if status:
        query = query.where(Partnership.status == status)
    if district:
        query = query.where(Partnership.districts.any(District.code == district))
    if member:
        query = query.where(
            Partnership.members.any(
                PartnershipMember.organisation.has(Organisation.tax_code == member.upper())
            )
        )
    query = query.order_by(Partnership.call_round.desc(), Partnership.code)
    return _paginate(session, query, page, per_page)


def get_partnership(session: Session, code: str) -> Partnership:
    p = session.scalar(select(Partnership).where(Partnership.code == code))
    if p is None:
        raise NotFound(f"nessuna ATS con codice {code}", field="code", value=code)
    return p


def partnership_dict(p: Partnership) -> dict[str, Any]:
    return {
        "code": p.code,
        "title": p.title,
        "measure": p.measure,
        "round": p.call_round,
        "year": p.year,
        "status": p.status.value,
        "description": p.description,
        "budget_eur": jsonable(p.budget_eur),
        "districts": [d.code for d in p.districts],
        "themes": [t.code for t in p.themes],
        "members": [
            {
                "tax_code": m.organisation.tax_code,
                "name": m.organisation.name,
                "kind": m.organisation.kind.value,
                "role": m.role.value,
                "joined_on": jsonable(m.joined_on),
            }
            for m in p.members
        ],
        "is_illustrative": p.is_illustrative,
        "source": p.source,
        "version": p.version,
    }
