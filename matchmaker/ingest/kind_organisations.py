"""Import of organisations: validation of one row, and writing the valid rows."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from matchmaker.domain import DomainError, OrgKind, RuntsSection, Sector, sector_for_kind
from matchmaker.ingest.fields import Lookups, Row
from matchmaker.storage.models import Organisation

__all__ = ["validate_organisation", "write_organisations"]

KIND_ALIASES = {
    "ente_gestore_delle_funzioni_socio_assistenziali": "ente_gestore",
    "gestore": "ente_gestore",
    "consorzio": "ente_gestore",
    "terzo_settore": "ets",
    "ente_del_terzo_settore": "ets",
    "unione": "unione_comuni",
    "unione_di_comuni": "unione_comuni",
    "unione_montana": "unione_comuni",
    "pmi": "impresa",
    "azienda": "impresa",
}
RUNTS_ALIASES = {
    "organizzazione_di_volontariato": "odv",
    "associazione_di_promozione_sociale": "aps",
    "cooperativa_sociale": "impresa_sociale",
    "fondazione": "ente_filantropico",
    "mutuo_soccorso": "societa_mutuo_soccorso",
    "altro": "altro_ets",
}
SECTOR_ALIASES = {"pubblico": "public", "terzo_settore": "third_sector", "mercato": "market"}
_SCALARS = (
    "name",
    "kind",
    "sector",
    "seat_comune_code",
    "runts_section",
    "description",
    "website",
    "email",
    "phone",
    "is_illustrative",
    "source",
)
_LISTS = ("districts", "themes", "comuni_served")
_BATCH = 2000


def validate_organisation(row: Row, lk: Lookups, update: bool) -> tuple[Any, dict[str, Any]]:
    """Parse and check one row; return its key (the tax code) and the clean fields present."""
    tax = row.tax_code("tax_code")
    clean: dict[str, Any] = {"tax_code": tax}
    existing = lk.org_ids.get(tax) if tax else None
    if existing and not update:
        row.error(
            "tax_code",
            tax or "",
            "esiste già un ente con questo codice fiscale (usare --update per aggiornarlo)",
            "an organisation with this tax code already exists (use --update to update it)",
            "conflict",
        )
    clean["name"] = row.text("name", 300, required=True)
    kind = row.choice("kind", OrgKind, aliases=KIND_ALIASES, required=True)
    clean["kind"] = kind
    declared = row.choice("sector", Sector, aliases=SECTOR_ALIASES) if row.has("sector") else None
    if kind is not None:
        try:
            clean["sector"] = sector_for_kind(kind, declared)
        except DomainError as exc:
            row.error(
                "sector", row.raw("sector"), str(exc), "sector contradicts the kind", "conflict"
            )
    if row.has("comune"):
        clean["seat_comune_code"] = row.comune(lk, "comune")
    if row.has("runts_section"):
        section = row.choice("runts_section", RuntsSection, aliases=RUNTS_ALIASES)
        if section is not None and kind is not None and kind != OrgKind.ETS:
            row.error(
                "runts_section",
                row.raw("runts_section"),
                "la sezione RUNTS si indica solo per gli ETS",
                "a RUNTS section applies to ETS only",
                "conflict",
            )
        clean["runts_section"] = section
    if row.has("districts"):
        clean["districts"] = row.codes("districts", lk.districts, "distretto", "district")
    if row.has("themes"):
        clean["themes"] = row.codes("themes", lk.themes, "tema", "theme")
    if row.has("comuni_served"):
        served = [row.comune(lk, "comuni_served", item) for item in row.items("comuni_served")]
        clean["comuni_served"] = sorted({c for c in served if c})
    if row.has("description"):
        clean["description"] = row.text("description", 20000, strip=False)
    if row.has("website"):
        clean["website"] = row.optional("website", 300)
    if row.has("email"):
        clean["email"] = row.email("email")
    if row.has("phone"):
        clean["phone"] = row.optional("phone", 40)
    if row.has("is_illustrative"):
        clean["is_illustrative"] = row.flag("is_illustrative")
    if row.has("source"):
        clean["source"] = row.text("source", 2000) or None
    return tax, clean


def _apply(obj: Organisation, clean: dict[str, Any], lk: Lookups) -> bool:
    changed = False
    for key in _SCALARS:
        if key in clean and getattr(obj, key) != clean[key]:
            setattr(obj, key, clean[key])
            changed = True
    related = {
        "districts": (lk.districts, lambda d: d.code),
        "themes": (lk.themes, lambda t: t.code),
        "comuni_served": (lk.comuni, lambda c: c.istat_code),
    }
    for key, (objects, code_of) in related.items():
        if key in clean:
            wanted = [objects[c] for c in clean[key]]
            if sorted(map(code_of, getattr(obj, key))) != sorted(map(code_of, wanted)):
                setattr(obj, key, wanted)
                changed = True
    return changed


def write_organisations(
    session: Session,
    items: Iterable[tuple[Any, dict[str, Any]]],
    lk: Lookups,
    *,
    dry_run: bool = False,
    tick: Callable[[int], object] | None = None,
) -> tuple[int, int, int]:
    """Create or update the organisations; return (created, updated, unchanged).

    In a dry run nothing is added to the session and changes to existing records are computed
    on objects that are expired afterwards (their pending changes discarded).
    """
    created = updated = unchanged = 0
    items = list(items)
    new = [(k, c) for k, c in items if k not in lk.org_ids]
    old = [(k, c) for k, c in items if k in lk.org_ids]
    for start in range(0, len(new), _BATCH):
        batch = []
        for tax, clean in new[start : start + _BATCH]:
            created += 1
            if dry_run:
                continue
            values = {"description": "", "is_illustrative": False}
            values.update((k, v) for k, v in clean.items() if k in _SCALARS)
            obj = Organisation(tax_code=tax, **values)
            _apply(obj, clean, lk)
            batch.append(obj)
        if batch:
            session.add_all(batch)
            session.flush()
            for obj in batch:
                lk.org_ids[obj.tax_code] = (obj.id, obj.kind.value)
                session.expunge(obj)
        if tick:
            tick(len(new[start : start + _BATCH]))
    with session.no_autoflush:
        for start in range(0, len(old), _BATCH):
            chunk = dict(old[start : start + _BATCH])
            objs = session.scalars(
                select(Organisation)
                .where(Organisation.tax_code.in_(list(chunk)))
                .options(
                    selectinload(Organisation.districts),
                    selectinload(Organisation.themes),
                    selectinload(Organisation.comuni_served),
                )
            ).all()
            for obj in objs:
                if _apply(obj, chunk[obj.tax_code], lk):
                    updated += 1
                    if dry_run:
                        session.expire(obj)
                else:
                    unchanged += 1
            if not dry_run:
                session.flush()
            if tick:
                tick(len(chunk))
    if dry_run:  # the back-references of District.organisations too
        for district in lk.districts.values():
            session.expire(district, ["organisations"])
    return created, updated, unchanged
