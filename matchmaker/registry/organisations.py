"""The directory of organisations: filters, one page at a time, and a record as plain data."""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from typing import Any

from sqlalchemy import Select, func, or_, select
from sqlalchemy.orm import Session, selectinload

from matchmaker.domain import DomainError, OrgKind, RuntsSection, Sector
from matchmaker.registry.paging import NotFound, Page, paginate
from matchmaker.storage import Comune, District, Organisation, Theme
from matchmaker.storage.audit import jsonable

__all__ = [
    "OrganisationFilter",
    "districts_of_enti_gestori",
    "get_organisation",
    "list_organisations",
    "organisation_dict",
    "organisation_labels",
    "organisation_name",
    "tax_code_of",
]


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
    return paginate(session, _organisation_query(flt or OrganisationFilter()), page, per_page)


def get_organisation(session: Session, tax_code: str, *, fresh: bool = False) -> Organisation:
    """The organisation with ``tax_code`` (``fresh``: read again, e.g. after another
    session wrote it); :class:`NotFound` when there is none."""
    query = select(Organisation).where(Organisation.tax_code == tax_code.upper())
    if fresh:
        query = query.execution_options(populate_existing=True)
    org = session.scalar(query)
    if org is None:
        raise NotFound(
            f"nessun ente con codice fiscale {tax_code}",
            field="tax_code",
            value=tax_code,
            kind="reference",
            en=f"no organisation with tax code {tax_code}",
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


def organisation_labels(
    session: Session, tax_codes: Sequence[str]
) -> dict[str, tuple[str, OrgKind]]:
    """Name and kind of each of ``tax_codes`` that exists."""
    if not tax_codes:
        return {}
    rows = session.execute(
        select(Organisation.tax_code, Organisation.name, Organisation.kind).where(
            Organisation.tax_code.in_(list(tax_codes))
        )
    )
    return {tax: (name, OrgKind(kind)) for tax, name, kind in rows}


def organisation_name(session: Session, tax_code: str) -> str | None:
    """The name of the organisation with this tax code, or None."""
    return session.scalar(select(Organisation.name).where(Organisation.tax_code == tax_code))


def tax_code_of(session: Session, organisation_id: int | None) -> str | None:
    """The tax code of the organisation with this id, or None."""
    if organisation_id is None:
        return None
    return session.scalar(select(Organisation.tax_code).where(Organisation.id == organisation_id))


def districts_of_enti_gestori(session: Session, tax_codes: Sequence[str]) -> list[str]:
    """Codes of the districts of the Enti Gestori among ``tax_codes``, sorted."""
    if not tax_codes:
        return []
    orgs = session.scalars(
        select(Organisation)
        .where(Organisation.tax_code.in_(list(tax_codes)))
        .where(Organisation.kind == OrgKind.ENTE_GESTORE)
        .options(selectinload(Organisation.districts))
    )
    return sorted({d.code for o in orgs for d in o.districts})
