"""Import of districts and declared collaborations, and helpers shared with partnerships."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from matchmaker.domain import CollaborationKind, OrgKind
from matchmaker.ingest.fields import Lookups, Row
from matchmaker.storage.models import Collaboration, District, Organisation

__all__ = [
    "validate_collaboration",
    "validate_district",
    "write_collaborations",
    "write_districts",
]

_Tick = Callable[[int], object] | None
_BATCH = 1000


def _exists_error(row: Row, col: str, what_it: str, what_en: str) -> None:
    row.error(
        col,
        row.raw(col),
        f"{what_it} esiste già (usare --update per aggiornarlo)",
        f"{what_en} already exists (use --update to update it)",
    )


def _org(row: Row, lk: Lookups, col: str, value: str | None = None) -> tuple[str, int] | None:
    """A tax code that must name an organisation already in the database."""
    raw = row.raw(col) if value is None else value
    probe = Row(row.number, {col: raw}, row.names)
    tax = probe.tax_code(col, required=False)
    row.errors.extend(probe.errors)
    if tax is None:
        return None
    if tax not in lk.org_ids:
        row.error(
            col,
            raw,
            f"ente non trovato: nessun ente con codice fiscale {tax} (importare prima gli enti)",
            f"member not found: no organisation with tax code {tax} (import organisations first)",
        )
        return None
    return tax, lk.org_ids[tax][0]


def _apply(obj: Any, values: dict[str, Any]) -> bool:
    changed = False
    for key, value in values.items():
        if getattr(obj, key) != value:
            setattr(obj, key, value)
            changed = True
    return changed


def _common(row: Row, clean: dict[str, Any]) -> None:
    if row.has("is_illustrative"):
        clean["is_illustrative"] = row.flag("is_illustrative")
    if row.has("source"):
        clean["source"] = row.text("source", 2000) or None


# --- districts -----------------------------------------------------------------------------


def validate_district(row: Row, lk: Lookups, update: bool) -> tuple[Any, dict[str, Any]]:
    """Parse and check one district row; key: the district code."""
    code = row.text("code", 32, required=True) or None
    if code in lk.districts and not update:
        _exists_error(row, "code", f"il distretto {code}", f"district {code}")
    clean: dict[str, Any] = {"name": row.text("name", 200, required=True)}
    if row.has("comuni"):
        codes = [row.comune(lk, "comuni", item) for item in row.items("comuni")]
        clean["comuni"] = sorted({c for c in codes if c})
    if row.has("enti_gestori"):
        egs = []
        for item in row.items("enti_gestori"):
            found = _org(row, lk, "enti_gestori", item)
            if found and lk.org_ids[found[0]][1] != OrgKind.ENTE_GESTORE.value:
                row.error(
                    "enti_gestori",
                    item,
                    f"l'ente {found[0]} non è un ente gestore",
                    f"organisation {found[0]} is not an Ente Gestore",
                )
            elif found:
                egs.append(found[1])
        clean["enti_gestori"] = sorted(set(egs))
    _common(row, clean)
    return code, clean


def write_districts(
    session: Session,
    items: list[tuple[Any, dict[str, Any]]],
    lk: Lookups,
    *,
    dry_run: bool = False,
    tick: _Tick = None,
) -> tuple[int, int, int]:
    """Create or update districts; return (created, updated, unchanged)."""
    created = updated = unchanged = 0
    eg_ids = {i for _, clean in items for i in clean.get("enti_gestori", ())}
    orgs = _orgs_by_id(session, eg_ids)
    with session.no_autoflush:
        for code, clean in items:
            obj = lk.districts.get(code)
            if obj is None:
                created += 1
                if dry_run:
                    continue
                obj = District(code=code, is_illustrative=False)
                session.add(obj)
                lk.districts[code] = obj
            changed = _apply(
                obj, {k: v for k, v in clean.items() if k not in ("comuni", "enti_gestori")}
            )
            if "comuni" in clean and [c.istat_code for c in obj.comuni] != clean["comuni"]:
                obj.comuni = [lk.comuni[c] for c in clean["comuni"]]
                changed = True
            if "enti_gestori" in clean:
                others = [o for o in obj.organisations if o.kind != OrgKind.ENTE_GESTORE]
                current = sorted(o.id for o in obj.organisations if o.kind == OrgKind.ENTE_GESTORE)
                if current != clean["enti_gestori"]:
                    obj.organisations = others + [orgs[i] for i in clean["enti_gestori"]]
                    changed = True
            if obj.id is not None:
                updated += changed
                unchanged += not changed
                if dry_run and changed:
                    session.expire(obj)
            if tick:
                tick(1)
    if not dry_run:
        session.flush()
    return created, updated, unchanged


def _orgs_by_id(session: Session, ids: Iterable[int]) -> dict[int, Organisation]:
    ids = list(ids)
    out: dict[int, Organisation] = {}
    for start in range(0, len(ids), _BATCH):
        chunk = ids[start : start + _BATCH]
        out.update(
            {
                o.id: o
                for o in session.scalars(select(Organisation).where(Organisation.id.in_(chunk)))
            }
        )
    return out


# --- collaborations ------------------------------------------------------------------------


def _collaboration_ids(lk: Lookups) -> dict[tuple[int, int, str, int | None], int]:
    cache = lk.__dict__.get("_collaborations")
    if cache is None:
        c = Collaboration
        cache = {
            (s, t, k.value if hasattr(k, "value") else k, y): i
            for i, s, t, k, y in lk.session.execute(
                select(c.id, c.source_id, c.target_id, c.kind, c.year_from)
            )
        }
        lk.__dict__["_collaborations"] = cache
    return cache


def validate_collaboration(row: Row, lk: Lookups, update: bool) -> tuple[Any, dict[str, Any]]:
    """Parse and check one declared tie; key: (source, target, kind, year_from)."""
    source = _org(row, lk, "source_tax_code")
    target = _org(row, lk, "target_tax_code")
    kind = row.choice("kind", CollaborationKind, required=True)
    if source and target and source == target:
        row.error(
            "target_tax_code",
            row.raw("target_tax_code"),
            "un ente non può collaborare con se stesso",
            "an organisation cannot collaborate with itself",
        )
    clean: dict[str, Any] = {"kind": kind}
    clean["year_from"] = row.integer("year_from", 1900, 2100) if row.has("year_from") else None
    if row.has("year_to"):
        clean["year_to"] = row.integer("year_to", 1900, 2100)
        if clean["year_from"] and clean["year_to"] and clean["year_to"] < clean["year_from"]:
            row.error(
                "year_to",
                row.raw("year_to"),
                "l'anno di fine precede l'anno di inizio",
                "the end year is before the start year",
            )
    if row.has("weight"):
        clean["weight"] = row.positive("weight", 1.0)
    if row.has("evidence"):
        clean["evidence"] = row.text("evidence", 5000) or None
    if row.has("is_illustrative"):
        clean["is_illustrative"] = row.flag("is_illustrative")
    if not (source and target and kind):
        return None, clean
    key = (source[1], target[1], kind.value, clean["year_from"])
    if key in _collaboration_ids(lk) and not update:
        _exists_error(row, "source_tax_code", "questa collaborazione", "this collaboration")
    clean["source_id"], clean["target_id"] = source[1], target[1]
    return key, clean


def write_collaborations(
    session: Session,
    items: list[tuple[Any, dict[str, Any]]],
    lk: Lookups,
    *,
    dry_run: bool = False,
    tick: _Tick = None,
) -> tuple[int, int, int]:
    """Create or update collaborations; return (created, updated, unchanged)."""
    created = updated = unchanged = 0
    known = _collaboration_ids(lk)
    batch: list[Collaboration] = []
    with session.no_autoflush:
        for key, clean in items:
            if key in known:
                obj = session.get(Collaboration, known[key])
                if _apply(obj, clean):
                    updated += 1
                    if dry_run:
                        session.expire(obj)
                else:
                    unchanged += 1
            else:
                created += 1
                if not dry_run:
                    batch.append(
                        Collaboration(**{"weight": 1.0, "is_illustrative": False, **clean})
                    )
            if tick:
                tick(1)
            if len(batch) >= _BATCH:
                session.add_all(batch)
                session.flush()
                batch = []
    if batch:
        session.add_all(batch)
    if not dry_run:
        session.flush()
    return created, updated, unchanged
