"""What the index reads of each organisation: text, kind, themes and places."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Iterator

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from matchmaker.matching.places import Gazetteer
from matchmaker.matching.text import profile_text, split_sentences, text_hash
from matchmaker.storage.models import District, Organisation, district_comune

__all__ = ["Profile", "district_comuni", "read_profiles"]


@dataclasses.dataclass(frozen=True)
class Profile:
    """One organisation as the matching index sees it."""

    org_id: int
    tax_code: str
    name: str
    kind: str
    sector: str
    text: str
    chunks: tuple[str, ...]
    themes: tuple[str, ...]
    comuni: tuple[str, ...]  # seat first, then served, district and named comuni
    districts: tuple[str, ...]

    @property
    def text_hash(self) -> str:
        return text_hash(self.text)


def district_comuni(session: Session, codes: Iterable[str]) -> dict[str, tuple[str, ...]]:
    """ISTAT codes of the comuni of each district code."""
    codes = list(codes)
    if not codes:
        return {}
    out: dict[str, list[str]] = {code: [] for code in codes}
    rows = session.execute(
        select(District.code, district_comune.c.comune_code)
        .join(district_comune, district_comune.c.district_id == District.id)
        .where(District.code.in_(codes))
    )
    for code, comune in rows:
        out[code].append(comune)
    return {k: tuple(sorted(v)) for k, v in out.items()}


def read_profiles(
    session: Session,
    gazetteer: Gazetteer,
    org_ids: Iterable[int] | None = None,
    *,
    batch: int = 2000,
) -> Iterator[Profile]:
    """Profiles of all organisations (or of ``org_ids``), in id order, read in batches."""
    stmt = (
        select(Organisation)
        .options(
            selectinload(Organisation.themes),
            selectinload(Organisation.comuni_served),
            selectinload(Organisation.districts).selectinload(District.comuni),
        )
        .order_by(Organisation.id)
        .execution_options(yield_per=batch)
    )
    if org_ids is not None:
        ids = list(org_ids)
        if not ids:
            return
        stmt = stmt.where(Organisation.id.in_(ids))
    for org in session.scalars(stmt):
        yield _profile(org, gazetteer)


def _profile(org: Organisation, gazetteer: Gazetteer) -> Profile:
    comuni: list[str] = []
    if org.seat_comune_code:
        comuni.append(org.seat_comune_code)
    comuni.extend(c.istat_code for c in org.comuni_served)
    for district in org.districts:
        comuni.extend(c.istat_code for c in district.comuni)
    comuni.extend(sorted(gazetteer.find(org.description or "").comuni))
    text = profile_text(org.name, org.description or "")
    return Profile(
        org_id=org.id,
        tax_code=org.tax_code,
        name=org.name,
        kind=str(getattr(org.kind, "value", org.kind)),
        sector=str(getattr(org.sector, "value", org.sector)),
        text=text,
        chunks=tuple(split_sentences(org.description or "")) or (org.name,),
        themes=tuple(t.code for t in org.themes),
        comuni=tuple(dict.fromkeys(comuni)),
        districts=tuple(d.code for d in org.districts),
    )
