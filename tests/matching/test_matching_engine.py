"""Engine behaviour on the dev catalogue with a deterministic fake encoder."""

from __future__ import annotations

import numpy as np
import pytest
from sqlalchemy import func, select

from matchmaker.domain import CollaborationKind, MemberRole, OrgKind, PartnershipStatus
from matchmaker.matching import MatchEngine, MatchQuery
from matchmaker.matching.explain import DraftAts, NetworkReason, TerritoryReason
from matchmaker.storage import Collaboration, Organisation, Partnership, PartnershipMember
from matchmaker.storage.matching_models import ProfileEmbedding

NEED = "Mensa sociale e pasti caldi per persone senza casa a Vercelli"


def _org(session, tax_code: str) -> Organisation:
    return session.scalar(select(Organisation).where(Organisation.tax_code == tax_code))


def test_results_are_ranked_scored_and_explained(fake_engine: MatchEngine):
    results = fake_engine.search(MatchQuery(text=NEED, top_k=5))
    assert len(results) == 5
    assert {r.kind for r in results} == {"ets"}
    scores = [r.score for r in results]
    assert scores == sorted(scores, reverse=True)
    assert all(0.0 <= s <= 1.0 for s in scores)
    assert results[0].tax_code == "24224600023"  # Mensa del Borgo, Vercelli
    for r in results:
        assert set(r.channels) == {"semantic", "sentence", "lexical", "themes", "territory"}
        assert sum(r.channels.values()) == pytest.approx(r.score, abs=1e-3)
        exp = r.explanation
        assert list(exp.to_dict()) == [
            "channels", "shared_themes", "best_sentence", "territory", "network", "flags", "text"
        ]  # fmt: skip
        assert exp.channels == r.channels
        assert exp.best_sentence.text
        assert -1.0 <= exp.best_sentence.score <= 1.0
        assert exp.network is None
        assert exp.ats_in_bozza is None
        assert exp.text.endswith(".")
    top = results[0].explanation
    assert top.territory == TerritoryReason(1.0, "ha sede o opera a Vercelli, luogo indicato")
    assert top.to_dict()["territory"] == {
        "score": 1.0,
        "reason": "ha sede o opera a Vercelli, luogo indicato",
    }
    assert "sicurezza_alimentare" in {t.code for t in top.shared_themes}


def test_vectors_are_stored_per_model_hash_and_chunk(fake_engine: MatchEngine, fake_encoder):
    fake_engine.index  # noqa: B018
    with fake_engine.database.session() as session:
        rows = session.execute(select(ProfileEmbedding.model, func.count())).all()
        chunks0 = session.scalar(
            select(func.count()).where(ProfileEmbedding.chunk == 0).select_from(ProfileEmbedding)
        )
    labels = fake_engine.theme_space.labels
    assert fake_encoder.calls[-1] == labels  # theme labels, for theme inference
    assert rows == [("fake-bow-64", len(fake_encoder.encoded) - len(labels))]
    assert chunks0 == 80
    # a second engine on the same database reuses the stored vectors: nothing re-embedded
    again = type(fake_encoder)()
    MatchEngine(fake_engine.database, fake_engine.settings, encoder=again).index  # noqa: B018
    assert again.calls == [labels]  # only the theme labels


def test_a_profile_save_updates_suggestions_without_rebuild(fake_engine: MatchEngine, fake_encoder):
    query = MatchQuery(text="laboratori di apicoltura urbana con arnie didattiche", top_k=3)
    before = fake_engine.search(query)
    assert "95894090026" not in [r.tax_code for r in before]
    index_before = fake_engine.index
    fake_encoder.calls.clear()
    with fake_engine.database.session(actor="test") as session:
        org = _org(session, "95894090026")  # Nonni in Rete APS
        org.description = "Laboratori di apicoltura urbana: arnie didattiche sui tetti."
    after = fake_engine.search(query)
    assert fake_engine.index is index_before  # no rebuild
    assert after[0].tax_code == "95894090026"
    assert after[0].explanation.best_sentence.text == (
        "Laboratori di apicoltura urbana: arnie didattiche sui tetti."
    )
    # only that profile was re-embedded: its whole text and its one sentence, once
    assert fake_encoder.calls[0] == [
        "Nonni in Rete APS. Laboratori di apicoltura urbana: arnie didattiche sui tetti.",
        "Laboratori di apicoltura urbana: arnie didattiche sui tetti.",
    ]
    assert len(fake_encoder.calls) == 2  # the profile batch, then the query
    with fake_engine.database.session() as session:
        org_id = _org(session, "95894090026").id
        stored = session.scalars(
            select(ProfileEmbedding.text).where(ProfileEmbedding.organisation_id == org_id)
        ).all()
    assert len(stored) == 2  # old rows of this profile were replaced


def test_new_and_deleted_profiles_follow_writes(fake_engine: MatchEngine):
    query = MatchQuery(text="ippoterapia con cavalli per bambini autistici", top_k=1)
    fake_engine.search(query)
    with fake_engine.database.session() as session:
        session.add(
            Organisation(
                kind=OrgKind.ETS,
                sector="third_sector",
                name="Centro Ippico Solidale ODV",
                tax_code="00518460019",
                seat_comune_code="001272",
                description="Ippoterapia con cavalli per bambini autistici e le loro famiglie.",
            )
        )
    assert fake_engine.search(query)[0].tax_code == "00518460019"
    with fake_engine.database.session() as session:
        session.delete(_org(session, "00518460019"))
    assert fake_engine.search(query)[0].tax_code != "00518460019"


def test_explicit_refresh_by_tax_code(fake_engine: MatchEngine, dev_database):
    fake_engine.index  # noqa: B018
    with dev_database.engine.begin() as conn:  # a write that bypasses the ORM session hooks
        conn.execute(
            Organisation.__table__.update()
            .where(Organisation.tax_code == "95894090026")
            .values(description="Scuola di falegnameria per ragazzi.")
        )
    assert fake_engine.refresh("95894090026") == 1
    top = fake_engine.search(MatchQuery(text="falegnameria per ragazzi", top_k=1))
    assert top[0].tax_code == "95894090026"


def test_kinds_and_reciprocal_search(fake_engine: MatchEngine):
    results = fake_engine.search(
        MatchQuery(text="anziani non autosufficienti a domicilio", kinds=("ente_gestore",))
    )
    assert len(results) == 3
    assert {r.kind for r in results} == {"ente_gestore"}
    # an ETS asking for Enti Gestori: its own profile is the query and it is excluded
    asked = fake_engine.search(
        MatchQuery(for_tax_code="14255500044", kinds=("ets", "ente_gestore"), top_k=80)
    )
    assert "14255500044" not in [r.tax_code for r in asked]
    assert len(asked) == 73


def test_exclusions_and_empty_queries(fake_engine: MatchEngine):
    first = fake_engine.search(MatchQuery(text=NEED, top_k=1))[0].tax_code
    again = fake_engine.search(MatchQuery(text=NEED, top_k=1, exclude_tax_codes=(first,)))
    assert again[0].tax_code != first
    with pytest.raises(ValueError, match="richiesta vuota"):
        fake_engine.search(MatchQuery(text="  "))
    with pytest.raises(ValueError, match="nessun ente con codice fiscale 00000000000"):
        fake_engine.search(MatchQuery(text=NEED, for_tax_code="00000000000"))
    with pytest.raises(ValueError, match="territory"):
        MatchQuery(text=NEED, territory="vicino")  # type: ignore[arg-type]


def test_territory_soft_hard_and_radius(fake_engine: MatchEngine):
    text = "doposcuola e sostegno allo studio ad Alessandria"
    soft = fake_engine.search(MatchQuery(text=text, top_k=71))
    assert len(soft) == 71
    hard = fake_engine.search(MatchQuery(text=text, top_k=71, territory="hard"))
    assert hard
    assert all(r.explanation.territory.score >= 0.5 for r in hard)
    assert len(hard) < len(soft)
    near = fake_engine.search(MatchQuery(text=text, top_k=71, radius_km=30))
    assert {r.tax_code for r in near} <= {r.tax_code for r in soft}
    assert "10199200063" in {r.tax_code for r in near}  # Alessandria
    assert "95894090026" not in {r.tax_code for r in near}  # Vercelli, ~55 km
    off = fake_engine.search(MatchQuery(text=text, top_k=3, territory="off"))
    assert all("territory" not in r.channels and r.explanation.territory is None for r in off)


def _ats(session, code: str, members: list[Organisation], *, call_round=1, measure=1, status=None):
    ats = Partnership(
        code=code,
        title=f"ATS {code}",
        measure=measure,
        call_round=call_round,
        status=status or PartnershipStatus.FINANZIATO,
    )
    session.add(ats)
    session.flush()
    for i, org in enumerate(members):
        role = MemberRole.CAPOFILA if i == 0 else MemberRole.MANDANTE
        session.add(PartnershipMember(partnership_id=ats.id, organisation_id=org.id, role=role))
    return ats


def test_capacity_is_flagged_or_excluded(fake_engine: MatchEngine):
    with fake_engine.database.session() as session:
        eg = session.scalars(
            select(Organisation).where(Organisation.kind == OrgKind.ENTE_GESTORE)
        ).first()
        mensa = _org(session, "24224600023")
        _ats(session, "A1", [eg, mensa])
        _ats(session, "A2", [eg, mensa])
        _ats(session, "A3", [eg, mensa], call_round=2)
    query = MatchQuery(text=NEED, top_k=3, call_round=1, measure=1)
    results = fake_engine.search(query)
    assert results[0].tax_code == "24224600023"
    assert results[0].flags == ["capienza_esaurita"]
    assert "capienza_esaurita" in results[0].explanation.flags
    assert "già in due ATS" in results[0].explanation.text
    assert all(r.flags == [] for r in results[1:])
    other_round = fake_engine.search(MatchQuery(text=NEED, top_k=1, call_round=2, measure=1))
    assert other_round[0].flags == []
    dropped = fake_engine.search(
        MatchQuery(text=NEED, top_k=3, call_round=1, measure=1, exclude_at_capacity=True)
    )
    assert "24224600023" not in [r.tax_code for r in dropped]


def test_network_ties_and_newcomers(fake_engine: MatchEngine):
    with fake_engine.database.session() as session:
        asker = session.scalars(
            select(Organisation).where(Organisation.kind == OrgKind.ENTE_GESTORE)
        ).first()
        asker_code = asker.tax_code
        friend, other = _org(session, "24224600023"), _org(session, "81729000042")
        session.add(
            Collaboration(source_id=asker.id, target_id=friend.id, kind=CollaborationKind.RETE)
        )
        _ats(session, "B1", [asker, other], status=PartnershipStatus.CONCLUSO)
    tied = fake_engine.search(MatchQuery(text=NEED, for_tax_code=asker_code, top_k=80))
    by_code = {r.tax_code: r for r in tied}
    assert by_code["24224600023"].explanation.network == NetworkReason(
        1.0, "ha già collaborato con l'ente richiedente"
    )
    assert by_code["81729000042"].explanation.network.score == 1.0
    assert by_code["19651000010"].explanation.network.score == 0.0
    fresh = fake_engine.search(
        MatchQuery(text=NEED, for_tax_code=asker_code, top_k=80, prefer_newcomers=True)
    )
    by_code = {r.tax_code: r for r in fresh}
    assert by_code["24224600023"].explanation.network.score == 0.0
    assert by_code["19651000010"].explanation.network == NetworkReason(
        1.0, "nuovo ingresso: non ha ancora partecipato ad alcuna ATS"
    )
    assert by_code["24224600023"].channels["network"] == 0.0


def test_no_semantic_backend_still_ranks(dev_database, settings):
    engine = MatchEngine(dev_database, settings, encoder=None)
    results = engine.search(MatchQuery(text=NEED, top_k=3))
    assert results[0].tax_code == "24224600023"
    assert set(results[0].channels) == {"lexical", "themes", "territory"}
    assert results[0].explanation.best_sentence is None
    assert np.isclose(sum(results[0].channels.values()), results[0].score, atol=1e-3)


def test_a_change_of_model_re_embeds_and_keeps_models_apart(fake_engine: MatchEngine):
    fake_engine.index  # noqa: B018 - vectors of model fake-bow-64

    class OtherModel(type(fake_engine.encoder)):
        name = "fake-bow-64-v2"

    other = OtherModel()
    engine = MatchEngine(fake_engine.database, fake_engine.settings, encoder=other)
    assert engine.search(MatchQuery(text=NEED, top_k=1))[0].tax_code == "24224600023"
    profile_calls = other.calls[:-2]  # then the theme labels and the query
    assert sum(len(c) for c in profile_calls) == sum(
        1 + len(p.chunks) for p in engine.index.profiles
    )
    with fake_engine.database.session() as session:
        counts = dict(
            session.execute(
                select(ProfileEmbedding.model, func.count()).group_by(ProfileEmbedding.model)
            ).all()
        )
    assert counts["fake-bow-64"] == counts["fake-bow-64-v2"]


def test_update_flow_on_any_database(any_database, fake_encoder):
    """The same save-then-search flow on SQLite and, when configured, PostgreSQL."""
    from matchmaker.config import PROJECT_ROOT
    from matchmaker.ingest import import_file

    with any_database.session() as session:
        import_file(session, "organisations", PROJECT_ROOT / "data/eval/dev/catalog.csv")
    engine = MatchEngine(any_database, encoder=fake_encoder)
    assert engine.search(MatchQuery(text=NEED, top_k=1))[0].tax_code == "24224600023"
    with any_database.session() as session:
        _org(session, "95894090026").description = "Mensa sociale e pasti caldi a Vercelli."
    top = engine.search(MatchQuery(text=NEED, top_k=2))
    assert "95894090026" in [r.tax_code for r in top]


def test_ets_looking_for_enti_gestori_sees_their_draft_ats(fake_engine: MatchEngine):
    with fake_engine.database.session() as session:
        leads = session.scalars(
            select(Organisation)
            .where(Organisation.kind == OrgKind.ENTE_GESTORE)
            .order_by(Organisation.tax_code)
        ).all()
        _ats(session, "BOZZA-1", [leads[0]], status=PartnershipStatus.BOZZA)
        _ats(session, "CHIUSA-1", [leads[1]], status=PartnershipStatus.CONCLUSO)
        first, second = leads[0].tax_code, leads[1].tax_code
    results = fake_engine.search(
        MatchQuery(for_tax_code="24224600023", kinds=("ente_gestore",), top_k=3)
    )
    by_code = {r.tax_code: r for r in results}
    assert set(by_code) == {first, second, leads[2].tax_code}
    assert by_code[first].explanation.ats_in_bozza == (DraftAts("BOZZA-1", "ATS BOZZA-1"),)
    assert by_code[first].to_dict()["explanation"]["ats_in_bozza"] == [
        {"code": "BOZZA-1", "title": "ATS BOZZA-1"}
    ]
    assert by_code[second].explanation.ats_in_bozza == ()
    assert list(by_code[second].explanation.to_dict())[-1] == "ats_in_bozza"


def test_closed_engine_stops_listening(dev_database, settings, fake_encoder):
    from sqlalchemy import event

    engine = MatchEngine(dev_database, settings, encoder=fake_encoder)
    factory = dev_database.sessionmaker
    listeners = engine._finalizer.peek()[2][1]
    assert [name for name, _fn in listeners] == [
        "after_flush",
        "after_commit",
        "after_soft_rollback",
    ]
    assert all(event.contains(factory, name, fn) for name, fn in listeners)
    engine.close()
    assert not any(event.contains(factory, name, fn) for name, fn in listeners)
    assert engine._index is None
