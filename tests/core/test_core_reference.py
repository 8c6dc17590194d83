"""Reference data: real Piemonte geography loaded idempotently."""

from __future__ import annotations

import sqlalchemy as sa

from matchmaker.reference import load_reference, read_reference
from matchmaker.storage import ASL, AuditEntry, Comune, ComuneAdjacency, Province, Theme

EXPECTED = {"province": 8, "asl": 12, "comune": 1179, "theme": 41, "comune_adjacency": 3414}


def _counts(session) -> dict[str, int]:
    return {
        m.__tablename__: session.scalar(sa.select(sa.func.count()).select_from(m))
        for m in (Province, ASL, Comune, Theme, ComuneAdjacency)
    }


def test_reference_load_is_idempotent(any_database):
    # the fixture already loaded once (through init_instance); load twice more
    with any_database.session() as s:
        assert _counts(s) == EXPECTED
        loads_before = s.scalar(
            sa.select(sa.func.count()).select_from(AuditEntry).where(AuditEntry.action == "load")
        )
        report = load_reference(s)
        assert not report.changed
        assert report.created == dict.fromkeys(EXPECTED, 0)
    with any_database.session() as s:
        load_reference(s)
        assert _counts(s) == EXPECTED
        loads_after = s.scalar(
            sa.select(sa.func.count()).select_from(AuditEntry).where(AuditEntry.action == "load")
        )
    assert (loads_before, loads_after) == (1, 1)


def test_reference_values(database):
    with database.session() as s:
        torino = s.get(Comune, "001272")
        assert (torino.name, torino.province_code, torino.asl_code) == ("Torino", "TO", "301")
        assert torino.population == 872367
        assert s.get(Comune, "096034").lat is None  # Miagliano has no geometry in the source
        assert s.get(Province, "VB").name == "Verbano-Cusio-Ossola"
        assert s.get(Theme, "poverta_educativa").label_en == "Educational poverty and children"
        by_asl = dict(
            s.execute(sa.select(Comune.asl_code, sa.func.count()).group_by(Comune.asl_code)).all()
        )
    # single-ASL provinces get their ASL; Torino city its own; the rest of TO and CN unknown
    assert by_asl == {
        "213": 187,
        "212": 116,
        "208": 87,
        "206": 82,
        "207": 74,
        "209": 74,
        "301": 1,
        None: 558,
    }


def test_changed_reference_file_updates_rows(database, tmp_path):
    ref = read_reference()
    src = ref_dir = tmp_path / "ref"
    ref_dir.mkdir()
    from matchmaker.reference import DEFAULT_REFERENCE_DIR

    for f in DEFAULT_REFERENCE_DIR.glob("*.csv"):
        (src / f.name).write_text(f.read_text(encoding="utf-8"), encoding="utf-8")
    themes = (src / "themes.csv").read_text(encoding="utf-8")
    (src / "themes.csv").write_text(
        themes.replace(
            "Salute mentale,Mental health", "Salute mentale e benessere psichico,Mental health"
        ),
        encoding="utf-8",
    )
    with database.session() as s:
        report = load_reference(s, src)
        assert report.updated["theme"] == 1
        assert sum(report.created.values()) == 0
        assert s.get(Theme, "salute_mentale").label_it == "Salute mentale e benessere psichico"
    assert len(ref.themes) == 41
