"""One write path: the same ATS written through every door is stored the same way.

The builder page (an HTML form), the JSON API, the importer (a CSV file) and the library's
:class:`DraftService` are given the same composition; the stored ATS (title, description,
measure, round, status, districts, members with their roles in order) must be identical,
and every one of them must have gone through ``write_members``.
"""

from __future__ import annotations

import re

import pytest
import sqlalchemy as sa

from matchmaker.domain import MemberRole, Viewer
from matchmaker.ingest.service import DataService
from matchmaker.rules.draft_service import DraftService
from matchmaker.rules.drafts import Draft
from matchmaker.rules.model import Member
from matchmaker.storage import AuditEntry, Partnership

LEAD = "99000059990"  # Consorzio Socio-Assistenziale Ivrea-Pavone Canavese
OTHER_EG = "99000069999"  # Consorzio dei Servizi Sociali Strambino e Comuni Associati
ETS = ("99002199992", "99002209999")
TITLE = "Rete per gli anziani soli – Canavese"
DESCRIPTION = "Assistenza domiciliare e sostegno ai caregiver di anziani soli."
MEMBERS = [(LEAD, "capofila"), (OTHER_EG, "mandante"), (ETS[0], "mandante"), (ETS[1], "mandante")]


def _token(html: str) -> str:
    return re.search(r'name="csrf_token" (?:type="hidden" )?value="([^"]+)"', html).group(1)


def _stored(db, code: str) -> tuple:
    with db.session() as s:
        p = s.scalar(sa.select(Partnership).where(Partnership.code == code))
        return (
            p.title,
            p.description,
            p.measure,
            p.call_round,
            p.status.value,
            [d.code for d in p.districts],
            [(m.organisation.tax_code, m.role.value) for m in p.members],
        )


def _signed_in(app, email: str):
    """A test client signed in through the sign-in form."""
    client = app.test_client()
    page = client.get("/accedi").get_data(as_text=True)
    data = {"email": email, "password": "una-password-di-prova", "csrf_token": _token(page)}
    assert client.post("/accedi", data=data).status_code == 302
    return client


def _via_builder(app, accounts) -> str:
    client = _signed_in(app, accounts["facilitatore"])
    form = {
        "csrf_token": _token(client.get("/ats/nuova").get_data(as_text=True)),
        "title": TITLE,
        "description": DESCRIPTION,
        "measure": "1",
        "call_round": "3",
        "districts": ["DEMO-TO-05"],
        "member": [t for t, _r in MEMBERS],
        "azione": "salva",
        **{f"role_{t}": r for t, r in MEMBERS},
    }
    r = client.post("/ats/nuova", data=form)
    assert r.status_code == 302, r.get_data(as_text=True)[:500]
    return r.headers["Location"].rsplit("/", 1)[1]


def _via_api(app, headers) -> str:
    r = app.test_client().post(
        "/api/v1/partnerships",
        headers=headers,
        json={
            "title": TITLE,
            "description": DESCRIPTION,
            "measure": 1,
            "round": 3,
            "districts": ["DEMO-TO-05"],
            "members": [{"tax_code": t, "role": r} for t, r in MEMBERS],
        },
    )
    assert r.status_code == 201, r.get_json()
    assert r.get_json()["members"][0] == {
        "tax_code": LEAD,
        "name": "Consorzio Socio-Assistenziale Ivrea-Pavone Canavese",
        "kind": "ente_gestore",
        "role": "capofila",
        "joined_on": None,
    }
    return r.get_json()["code"]


def _via_import(db, tmp_path) -> str:
    path = tmp_path / "ats.csv"
    mandanti = ";".join(t for t, r in MEMBERS if r == "mandante")
    path.write_text(
        "code,title,description,measure,round,status,districts,lead_tax_code,member_tax_codes\n"
        f'IMP-1,{TITLE},{DESCRIPTION},1,3,bozza,DEMO-TO-05,{LEAD},"{mandanti}"\n',
        encoding="utf-8",
    )
    report = DataService(db).import_file("partnerships", path, actor="import@example.org")
    assert (report.created, report.updated) == (1, 0)
    return "IMP-1"


def _via_library(db) -> str:
    draft = Draft(
        title=TITLE,
        description=DESCRIPTION,
        measure=1,
        call_round=3,
        districts=("DEMO-TO-05",),
        members=tuple(Member(t, MemberRole(r)) for t, r in MEMBERS),
    )
    service = DraftService(db)
    return service.create(draft, actor="lib@example.org", viewer=Viewer(role=None))


def test_every_door_stores_the_same_ats(
    demo_app, demo_database, demo_accounts, staff_headers, tmp_path
):
    codes = {
        "builder": _via_builder(demo_app, demo_accounts),
        "api": _via_api(demo_app, staff_headers),
        "import": _via_import(demo_database, tmp_path),
        "library": _via_library(demo_database),
    }
    assert len(set(codes.values())) == 4
    stored = {door: _stored(demo_database, code) for door, code in codes.items()}
    expected = (TITLE, DESCRIPTION, 1, 3, "bozza", ["DEMO-TO-05"], MEMBERS)
    assert stored == dict.fromkeys(codes, expected)
    # each write is in the audit log under its author, one entry per member
    with demo_database.session() as s:
        ids = dict(s.execute(sa.select(Partnership.code, Partnership.id)).all())
        for door, actor in (
            ("builder", demo_accounts["facilitatore"]),
            ("api", "facilitatore@example.org"),
            ("import", "import@example.org"),
            ("library", "lib@example.org"),
        ):
            keys = s.scalars(
                sa.select(AuditEntry.entity_key).where(
                    AuditEntry.entity == "partnership_member",
                    AuditEntry.actor == actor,
                    AuditEntry.entity_key.like(f"{ids[codes[door]]}:%"),
                )
            ).all()
            assert len(keys) == len(MEMBERS), door


@pytest.mark.parametrize("door", ["api", "builder"])
def test_a_refused_ats_writes_nothing(demo_app, demo_database, demo_accounts, staff_headers, door):
    """Two capofila: refused with the field named, by both doors, and nothing stored."""
    with demo_database.session() as s:
        before = s.scalar(sa.select(sa.func.count()).select_from(Partnership))
    members = [(LEAD, "capofila"), (OTHER_EG, "capofila")]
    if door == "api":
        r = demo_app.test_client().post(
            "/api/v1/partnerships",
            headers=staff_headers,
            json={
                "title": TITLE,
                "round": 3,
                "districts": ["DEMO-TO-05"],
                "members": [{"tax_code": t, "role": r} for t, r in members],
            },
        )
        assert r.status_code == 422
        assert [(e["field"], e["type"]) for e in r.get_json()["errors"]] == [
            ("members", "conflict")
        ]
    else:
        client = _signed_in(demo_app, demo_accounts["facilitatore"])
        form = {
            "csrf_token": _token(client.get("/ats/nuova").get_data(as_text=True)),
            "title": TITLE,
            "call_round": "3",
            "districts": ["DEMO-TO-05"],
            "member": [t for t, _r in members],
            **{f"role_{t}": r for t, r in members},
        }
        r = client.post("/ats/nuova", data=form)
        assert r.status_code == 400
        assert "Membri: un solo capofila per ATS (ora sono 2:" in r.get_data(as_text=True)
    with demo_database.session() as s:
        assert s.scalar(sa.select(sa.func.count()).select_from(Partnership)) == before
