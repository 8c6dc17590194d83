"""Import of partnerships (ATS) and their members."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from matchmaker.domain import MemberRole, PartnershipStatus
from matchmaker.ingest.fields import Lookups, Row
from matchmaker.ingest.kind_links import _BATCH, _apply, _common, _exists_error, _org, _Tick
from matchmaker.rules.drafts import write_members
from matchmaker.storage.models import Partnership

__all__ = ["validate_partnership", "write_partnerships"]


# --- partnerships --------------------------------------------------------------------------


def validate_partnership(row: Row, lk: Lookups, update: bool) -> tuple[Any, dict[str, Any]]:
    """Parse and check one ATS row; key: the partnership code."""
    code = row.text("code", 40, required=True) or None
    if code and not update and code in _partnership_ids(lk):
        _exists_error(row, "code", f"l'ATS {code}", f"partnership {code}")
    clean: dict[str, Any] = {
        "title": row.text("title", 300, required=True),
        "measure": row.integer("measure", 1, 5, required=True),
    }
    if row.has("round"):
        clean["call_round"] = row.integer("round", 1, 99) or 1
    if row.has("status"):
        clean["status"] = row.choice("status", PartnershipStatus, default=PartnershipStatus.BOZZA)
    if row.has("districts"):
        clean["districts"] = row.codes("districts", lk.districts, "distretto", "district")
    lead = _org(row, lk, "lead_tax_code") if row.has("lead_tax_code") else None
    members: list[tuple[int, MemberRole]] = [(lead[1], MemberRole.CAPOFILA)] if lead else []
    if row.has("member_tax_codes"):
        for item in row.items("member_tax_codes"):
            found = _org(row, lk, "member_tax_codes", item)
            if found and any(found[1] == m for m, _ in members):
                row.error(
                    "member_tax_codes",
                    item,
                    f"ente ripetuto nell'ATS: {found[0]}",
                    f"organisation listed twice in the partnership: {found[0]}",
                )
            elif found:
                members.append((found[1], MemberRole.MANDANTE))
    if row.has("lead_tax_code") or row.has("member_tax_codes"):
        clean["members"] = members
    if row.has("themes"):
        clean["themes"] = row.codes("themes", lk.themes, "tema", "theme")
    if row.has("description"):
        clean["description"] = row.text("description", 20000, strip=False)
    if row.has("budget_eur"):
        clean["budget_eur"] = row.decimal("budget_eur")
    if row.has("year"):
        clean["year"] = row.integer("year", 2000, 2100)
    _common(row, clean)
    return code, clean


def _partnership_ids(lk: Lookups) -> dict[str, int]:
    cache = lk.__dict__.get("_partnerships")
    if cache is None:
        cache = dict(lk.session.execute(select(Partnership.code, Partnership.id)).all())
        lk.__dict__["_partnerships"] = cache
    return cache


def write_partnerships(
    session: Session,
    items: list[tuple[Any, dict[str, Any]]],
    lk: Lookups,
    *,
    dry_run: bool = False,
    tick: _Tick = None,
) -> tuple[int, int, int]:
    """Create or update ATS and their members; return (created, updated, unchanged)."""
    created = updated = unchanged = 0
    known = _partnership_ids(lk)
    existing = (
        {
            p.code: p
            for p in session.scalars(
                select(Partnership)
                .where(Partnership.code.in_([c for c, _ in items if c in known]))
                .options(selectinload(Partnership.members), selectinload(Partnership.themes))
            )
        }
        if any(c in known for c, _ in items)
        else {}
    )
    with session.no_autoflush:
        for code, clean in items:
            obj = existing.get(code)
            scalars = {
                k: v for k, v in clean.items() if k not in ("districts", "themes", "members")
            }
            if obj is None:
                created += 1
                if dry_run:
                    continue
                values = {
                    "call_round": 1,
                    "status": PartnershipStatus.BOZZA,
                    "description": "",
                    "is_illustrative": False,
                    **scalars,
                }
                obj = Partnership(code=code, **values)
                session.add(obj)
                changed = True
            else:
                changed = _apply(obj, scalars)
            if "themes" in clean and [t.code for t in obj.themes] != sorted(clean["themes"]):
                obj.themes = [lk.themes[c] for c in clean["themes"]]
                changed = True
            if "districts" in clean and [d.code for d in obj.districts] != sorted(
                clean["districts"]
            ):
                obj.districts = [lk.districts[c] for c in clean["districts"]]
                changed = True
            if "members" in clean:
                current = [(m.organisation_id, m.role) for m in obj.members]
                if current != clean["members"]:
                    changed = True
                    if not dry_run:
                        write_members(session, obj, clean["members"])
            if obj.id is not None:
                updated += changed
                unchanged += not changed
                if dry_run and changed:
                    session.expire(obj)
            if tick:
                tick(1)
            if not dry_run and (created + updated) % _BATCH == 0:
                session.flush()
    if not dry_run:
        session.flush()
    return created, updated, unchanged
