"""``load_demo``: the deterministic illustrative data set on the real geography of Piemonte.

Everything it writes has ``is_illustrative=True`` and ``source`` starting with
"dati dimostrativi". Names are plausible but fictitious, tax codes come from the fictitious
range of :func:`~matchmaker.ingest.demo_orgs.fictitious_tax_code`, contacts use ``.example``
domains. See ``docs/formats.md`` (section "Dati dimostrativi").
"""

from __future__ import annotations

import dataclasses
import random
import time
from decimal import Decimal
from pathlib import Path

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from matchmaker.domain import CollaborationKind, MemberRole, OrgKind, PartnershipStatus
from matchmaker.ingest.demo_ats import DRAFT_RULES, DemoATS, plan_partnerships
from matchmaker.ingest.demo_geo import build_geography
from matchmaker.ingest.demo_orgs import DEMO_SOURCE, DemoOrg, plan_organisations
from matchmaker.ingest.demo_ties import DemoTie, plan_collaborations
from matchmaker.ingest.errors import IngestError
from matchmaker.reference import DEFAULT_REFERENCE_DIR, ReferenceData, read_reference
from matchmaker.rules.drafts import write_members
from matchmaker.storage.models import (
    Collaboration,
    Comune,
    District,
    Organisation,
    Partnership,
    Theme,
)

__all__ = [
    "DEMO_SEED",
    "DRAFT_RULES",
    "DemoPlan",
    "DemoReport",
    "build_demo_database",
    "load_demo",
    "plan_demo",
]

#: the default seed: the deadline of Misura 1's preliminary projects, 20/12/2017
DEMO_SEED = 20171220


@dataclasses.dataclass
class DemoPlan:
    """The whole illustrative data set as plain records, before it is written."""

    districts: list[dict[str, object]]
    organisations: list[DemoOrg]
    partnerships: list[DemoATS]
    collaborations: list[DemoTie]


@dataclasses.dataclass
class DemoReport:
    """How many records :func:`load_demo` wrote, and how long it took."""

    seed: int
    districts: int
    organisations: dict[str, int]
    partnerships: int
    members: int
    collaborations: int
    seconds: float

    @property
    def total_organisations(self) -> int:
        return sum(self.organisations.values())


def plan_demo(seed: int = DEMO_SEED, ref: ReferenceData | None = None) -> DemoPlan:
    """Build the illustrative data set in memory (deterministic for ``seed``)."""
    ref = ref or read_reference(DEFAULT_REFERENCE_DIR)
    rng = random.Random(seed)  # noqa: S311 - reproducible demo data, not security
    geo = build_geography(ref, seed)
    per_province: dict[str, int] = {}
    districts: list[dict[str, object]] = []
    names: dict[int, str] = {}
    for i, area in enumerate(geo.districts):
        per_province[area.province] = per_province.get(area.province, 0) + 1
        names[i] = f"Distretto di {geo.comuni[area.main].name}"
        districts.append(
            {
                "code": f"DEMO-{area.province}-{per_province[area.province]:02d}",
                "name": names[i],
                "comuni": sorted(area.comuni),
            }
        )
    orgs = plan_organisations(rng, geo, ref)
    partnerships = plan_partnerships(rng, geo, orgs, names)
    ties = plan_collaborations(rng, orgs)
    return DemoPlan(districts, orgs, partnerships, ties)


def load_demo(session: Session, seed: int = DEMO_SEED) -> DemoReport:
    """Write the illustrative data set into the session (the caller commits).

    Parameters
    ----------
    session : Session
        A session on a database with the schema and the reference data (``matchmaker init``).
    seed : int
        Seed of the generator: the same seed gives the same data.

    Returns
    -------
    DemoReport

    Raises
    ------
    IngestError
        When the reference data is missing or the demo data (or records with its codes)
        is already there.
    """
    started = time.perf_counter()
    plan = plan_demo(seed)
    comuni = {c.istat_code: c for c in session.scalars(select(Comune))}
    if len(comuni) == 0:
        raise IngestError(
            "dati di riferimento assenti: eseguire prima `matchmaker init`",
            "reference data missing: run `matchmaker init` first",
        )
    codes = [str(d["code"]) for d in plan.districts]
    taxes = [o.tax_code for o in plan.organisations]
    clash = session.scalar(
        select(func.count()).select_from(District).where(District.code.in_(codes))
    )
    clash = (clash or 0) + sum(
        session.scalar(
            select(func.count())
            .select_from(Organisation)
            .where(Organisation.tax_code.in_(taxes[i : i + 500]))
        )
        or 0
        for i in range(0, len(taxes), 500)
    )
    if clash:
        raise IngestError(
            "i dati dimostrativi (o record con gli stessi codici) sono già presenti",
            "the demo data (or records with the same codes) is already in the database",
        )
    themes = {t.code: t for t in session.scalars(select(Theme))}
    districts = [
        District(
            code=d["code"],
            name=d["name"],
            comuni=[comuni[c] for c in d["comuni"]],  # type: ignore[union-attr]
            is_illustrative=True,
            source=DEMO_SOURCE,
        )
        for d in plan.districts
    ]
    session.add_all(districts)
    orgs: dict[str, Organisation] = {}
    for o in plan.organisations:
        orgs[o.tax_code] = Organisation(
            kind=OrgKind(o.kind),
            sector=o.sector,
            name=o.name,
            tax_code=o.tax_code,
            seat_comune_code=o.seat,
            runts_section=o.runts_section,
            description=o.description,
            website=o.website,
            email=o.email,
            is_illustrative=True,
            source=o.source,
            districts=[districts[d] for d in o.districts],
            themes=[themes[t] for t in o.themes],
            comuni_served=[comuni[c] for c in o.comuni_served],
        )
    session.add_all(orgs.values())
    members = 0
    for p in plan.partnerships:
        ats = Partnership(
            code=p.code,
            title=p.title,
            measure=p.measure,
            call_round=p.call_round,
            year=p.year,
            status=PartnershipStatus(p.status),
            description=p.description,
            budget_eur=Decimal(p.budget_eur) if p.budget_eur is not None else None,
            is_illustrative=True,
            source=p.source,
            themes=[themes[t] for t in p.themes],
            districts=[districts[d] for d in p.districts],
        )
        session.add(ats)
        write_members(session, ats, [(orgs[t], MemberRole(r)) for t, r in p.members])
        members += len(p.members)
    session.add_all(
        Collaboration(
            source=orgs[t.source],
            target=orgs[t.target],
            kind=CollaborationKind(t.kind),
            year_from=t.year_from,
            year_to=t.year_to,
            weight=t.weight,
            evidence=t.evidence,
            is_illustrative=True,
        )
        for t in plan.collaborations
    )
    session.flush()
    kinds: dict[str, int] = {}
    for o in plan.organisations:
        kinds[o.kind] = kinds.get(o.kind, 0) + 1
    return DemoReport(
        seed=seed,
        districts=len(districts),
        organisations=kinds,
        partnerships=len(plan.partnerships),
        members=members,
        collaborations=len(plan.collaborations),
        seconds=time.perf_counter() - started,
    )


def build_demo_database(
    url: str, seed: int = DEMO_SEED, *, reference_dir: Path | None = None
) -> DemoReport:
    """Create a database at ``url`` with schema, reference data and the demo data set.

    Meant for tests: build one SQLite file per test session, then copy the file for each
    test (see ``tests/ingest/conftest.py``).
    """
    from matchmaker.config import Settings
    from matchmaker.instance import init_instance
    from matchmaker.storage.db import Database

    overrides: dict[str, object] = {"database_url": url}
    if reference_dir is not None:
        overrides["reference_dir"] = reference_dir
    settings = Settings.load(environ={}, overrides=overrides)
    db = Database(url)
    try:
        init_instance(db, settings)
        with db.session(actor="matchmaker demo") as session:
            return load_demo(session, seed)
    finally:
        db.dispose()
