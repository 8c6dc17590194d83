"""Districts, partnerships and collaborations imports; the real partial data set."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

import pytest
from sqlalchemy import select

from matchmaker.config import PROJECT_ROOT
from matchmaker.domain import MemberRole, PartnershipStatus
from matchmaker.ingest import ImportValidationError, import_file
from matchmaker.storage import AuditEntry, Collaboration, District, Organisation, Partnership

ORGS = (
    "name,kind,tax_code,comune,comuni_served\n"
    "Consorzio Uno,ente_gestore,97000019998,001272,001272\n"
    "Consorzio Due,ente_gestore,97000029997,001156,001156;001164\n"
    "Rete APS,ets,97000039996,001156,\n"
    "Bottega Srl,impresa,97000049995,001156,\n"
)


def _file(tmp: Path, name: str, text: str) -> Path:
    path = tmp / name
    path.write_text(text, encoding="utf-8")
    return path


@pytest.fixture
def base(database, tmp_path):
    with database.session() as s:
        import_file(s, "organisations", _file(tmp_path, "o.csv", ORGS))
    return database


def test_districts_with_comuni_and_enti_gestori(base, tmp_path):
    text = (
        "codice,nome,comuni,enti_gestori\n"
        "D1,Distretto Uno,Torino,97000019998\n"
        "D2,Distretto Due,001156;Nichelino,97000029997\n"
    )
    with base.session() as s:
        assert import_file(s, "districts", _file(tmp_path, "d.csv", text)).created == 2
    with base.session() as s:
        d2 = s.scalar(select(District).where(District.code == "D2"))
        assert [c.name for c in d2.comuni] == ["Moncalieri", "Nichelino"]
        assert [o.name for o in d2.organisations] == ["Consorzio Due"]
    bad = "code,name,comuni,enti_gestori\nD3,Tre,,97000039996;97000109997\nD1,Uno bis,,\n"
    with pytest.raises(ImportValidationError) as info, base.session() as s:
        import_file(s, "districts", _file(tmp_path, "bad.csv", bad))
    reasons = [(e.row, e.reason_en) for e in info.value.errors]
    assert reasons == [
        (2, "organisation 97000039996 is not an Ente Gestore"),
        (
            2,
            "member not found: no organisation with tax code 97000109997 "
            "(import organisations first)",
        ),
        (3, "district D1 already exists (use --update to update it)"),
    ]


def test_partnerships_members_roles_and_update(base, tmp_path):
    header = (
        "code,title,measure,round,status,districts,lead_tax_code,member_tax_codes,themes,"
        "description,budget_eur\n"
    )
    text = header + (
        'ATS-1,Comunità,1,1,finanziato,,97000019998,97000029997;97000039996,abitare,"desc",'
        '"179.000,50"\n'
    )
    with base.session(actor="t") as s:
        assert import_file(s, "partnerships", _file(tmp_path, "p.csv", text)).created == 1
    with base.session() as s:
        p = s.scalar(select(Partnership))
        assert (p.status, p.budget_eur, p.call_round) == (
            PartnershipStatus.FINANZIATO,
            Decimal("179000.50"),
            1,
        )
        assert [(m.organisation.tax_code, m.role) for m in p.members] == [
            ("97000019998", MemberRole.CAPOFILA),
            ("97000029997", MemberRole.MANDANTE),
            ("97000039996", MemberRole.MANDANTE),
        ]
    swapped = header + "ATS-1,Comunità,1,1,finanziato,,97000029997,97000019998,abitare,desc,\n"
    with base.session(actor="t") as s:
        report = import_file(s, "partnerships", _file(tmp_path, "p2.csv", swapped), update=True)
    assert (report.created, report.updated) == (0, 1)
    with base.session() as s:
        p = s.scalar(select(Partnership))
        assert [(m.organisation.tax_code, m.role) for m in p.members] == [
            ("97000029997", MemberRole.CAPOFILA),
            ("97000019998", MemberRole.MANDANTE),
        ]
        assert p.budget_eur is None
    bad = header + "ATS-2,X,7,1,boh,ZZ,97000109997,97000019998;97000019998,,,-5\n"
    with pytest.raises(ImportValidationError) as info, base.session() as s:
        import_file(s, "partnerships", _file(tmp_path, "p3.csv", bad))
    assert sorted(e.column for e in info.value.errors) == [
        "budget_eur",
        "districts",
        "lead_tax_code",
        "measure",
        "member_tax_codes",
        "status",
    ]


def test_collaborations(base, tmp_path):
    header = "source_tax_code,target_tax_code,kind,year_from,year_to,weight,evidence\n"
    text = header + "97000039996,97000019998,convenzione,2019,2021,2.5,delibera 12/2019\n"
    with base.session() as s:
        assert import_file(s, "collaborations", _file(tmp_path, "c.csv", text)).created == 1
    with base.session() as s:
        c = s.scalar(select(Collaboration))
        assert (c.source.name, c.target.name, c.weight, c.year_to) == (
            "Rete APS",
            "Consorzio Uno",
            2.5,
            2021,
        )
    bad = header + (
        "97000039996,97000019998,convenzione,2019,,,\n97000039996,97000039996,rete,2022,2020,0,\n"
    )
    with pytest.raises(ImportValidationError) as info, base.session() as s:
        import_file(s, "collaborations", _file(tmp_path, "c2.csv", bad))
    assert [(e.row, e.column) for e in info.value.errors] == [
        (2, "source_tax_code"),
        (3, "target_tax_code"),
        (3, "year_to"),
        (3, "weight"),
    ]


def test_real_partial_dataset_imports_without_members(database):
    path = PROJECT_ROOT / "data" / "real" / "wecare_misura1_2018.json"
    records = json.loads(path.read_text(encoding="utf-8"))
    with database.session(actor="real") as s:
        report = import_file(s, "partnerships", path)
    assert report.created == len(records) == 7
    with database.session() as s:
        parts = s.scalars(select(Partnership).order_by(Partnership.code)).all()
        assert all(
            (p.measure, p.call_round, p.year, p.status)
            == (1, 1, 2018, PartnershipStatus.FINANZIATO)
            for p in parts
        )
        assert all(not p.members and not p.is_illustrative for p in parts)
        assert all("wecare_misura1_facts.md" in p.source for p in parts)
        cuneo = next(p for p in parts if p.code == "WECARE-M1-2018-CUNEO")
        assert cuneo.title == "Re&Ti – Risorse Educanti & Territori Inclusivi"
        assert "Proposta 80" in cuneo.description
        assert "cuneo24.it" in cuneo.source
        assert s.scalar(select(Organisation).limit(1)) is None  # no invented bodies
        assert len(s.scalars(select(AuditEntry).where(AuditEntry.actor == "real")).all()) == 7
