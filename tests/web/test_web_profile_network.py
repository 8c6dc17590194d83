"""Profile pages: the collaboration network and the suggested partners; the network
explorer's measures as CSV."""

from __future__ import annotations

import csv
import html
import io
import re

import pytest
import sqlalchemy as sa

from matchmaker.storage import Collaboration, Organisation, PartnershipMember
from web import create_app

HOSTILE = "<script>alert(1)</script><img src=x onerror=alert(2)>"
ESCAPED = "&lt;script&gt;alert(1)&lt;/script&gt;&lt;img src=x onerror=alert(2)&gt;"
TORINO = "99000019994"  # Ente gestore: Comune di Torino – Servizi sociali
CASA_RAGAZZI = "99001699992"  # ETS, its partner in 2 ATS
ETS = "99001259995"  # Oltre il Limite APS: 7 declared collaborations, no shared ATS


@pytest.fixture
def prof_app(demo_database, demo_accounts, tmp_path):
    return create_app(
        {
            "TESTING": True,
            "MATCH_ENCODER": None,
            "WTF_CSRF_ENABLED": False,
            "RATELIMIT_ENABLED": False,
            "instance_path": str(tmp_path / "instance-prof"),
            "database_url": demo_database.url,
        }
    )


@pytest.fixture
def client_as(prof_app, demo_accounts):
    def signed_in(role: str):
        client = prof_app.test_client()
        r = client.post(
            "/accedi", data={"email": demo_accounts[role], "password": "una-password-di-prova"}
        )
        assert r.status_code == 302
        return client

    return signed_in


def _section(html: str, ident: str) -> str:
    start = html.index(f'id="{ident}"')
    return html[start : html.index("</section>", start)]


def _partner_rows(section: str) -> list[tuple[str, str, str, str]]:
    """(tax code, name, shared ATS, declared kinds) of every row of the partner tables."""
    return re.findall(
        r'<td><a href="/enti/(\w+)">([^<]*)</a><br><span class="hint">[^<]*</span></td>\s*'
        r'<td class="num">(\d+)</td>\s*<td>(?:<span class="hint">)?([^<]*)',
        section,
    )


def _expected_partners(database, tax_code: str) -> dict[str, int]:
    """Partner -> shared ATS, counted from the tables (declared ties count 0 ATS)."""
    with database.session() as s:
        me = s.scalar(sa.select(Organisation.id).where(Organisation.tax_code == tax_code))
        mine = sa.select(PartnershipMember.partnership_id).where(
            PartnershipMember.organisation_id == me
        )
        shared = dict(
            s.execute(
                sa.select(Organisation.tax_code, sa.func.count())
                .join(PartnershipMember, PartnershipMember.organisation_id == Organisation.id)
                .where(PartnershipMember.partnership_id.in_(mine), Organisation.id != me)
                .group_by(Organisation.tax_code)
            ).all()
        )
        for src, dst in s.execute(
            sa.select(Collaboration.source_id, Collaboration.target_id).where(
                sa.or_(Collaboration.source_id == me, Collaboration.target_id == me)
            )
        ):
            other = dst if src == me else src
            code = s.scalar(sa.select(Organisation.tax_code).where(Organisation.id == other))
            shared.setdefault(code, 0)
    return shared


def test_neighbourhood_lists_exact_partners_and_shared_ats(client_as, demo_database):
    r = client_as("facilitatore").get(f"/enti/{TORINO}")
    assert r.status_code == 200
    html = r.get_data(as_text=True)
    section = _section(html, "rete-ente")
    assert '<h3 id="partner-diretti">Partner diretti (44)</h3>' in section
    rows = _partner_rows(section)
    assert len(rows) == 44
    assert {code: int(n) for code, _, n, _ in rows} == _expected_partners(demo_database, TORINO)
    assert rows[0] == (CASA_RAGAZZI, "Associazione Casa dei Ragazzi APS", "2", "protocollo")
    counts = [int(n) for _, _, n, _ in rows]
    assert counts == sorted(counts, reverse=True)
    assert sum(counts) == 13
    assert "<summary>Mostra gli altri 34 partner</summary>" in section
    frame = 'src="/rete/grafo.html?centro=99000019994&amp;raggio=1"'
    assert frame in section
    assert '<option value="1" selected>Partner diretti</option>' in section


def test_neighbourhood_of_declared_ties_only(client_as, demo_database):
    html = client_as("ente").get(f"/enti/{ETS}?raggio=2").get_data(as_text=True)
    section = _section(html, "rete-ente")
    rows = _partner_rows(section)
    assert len(rows) == 7
    assert {code: int(n) for code, _, n, _ in rows} == _expected_partners(demo_database, ETS)
    assert all(n == "0" for _, _, n, _ in rows)
    assert rows[0] == (TORINO, "Comune di Torino – Servizi sociali", "0", "protocollo")
    assert "<details" not in section
    assert 'src="/rete/grafo.html?centro=99001259995&amp;raggio=2"' in section
    assert '<option value="2" selected>' in section


def test_ego_picture_draws_the_neighbourhood(client_as):
    client = client_as("facilitatore")
    one = client.get(f"/rete/grafo.html?centro={TORINO}&raggio=1")
    assert one.status_code == 200
    page = one.get_data(as_text=True)
    assert "45 enti" in page  # the organisation and its 44 partners
    assert '"shape":"star"' in page
    assert page.count('"shape":"star"') == 1
    two = client.get(f"/rete/grafo.html?centro={TORINO}&raggio=2").get_data(as_text=True)
    n_two = int(re.search(r"(\d+) enti, \d+ legami", two).group(1))
    assert n_two > 45
    assert client.get("/rete/grafo.html?centro=00000000000").status_code == 404
    # an unknown radius falls back to 1
    three = client.get(f"/rete/grafo.html?centro={TORINO}&raggio=7").get_data(as_text=True)
    assert "45 enti" in three


def test_researcher_sees_a_pseudonymised_neighbourhood(client_as):
    page = client_as("ricercatore").get(f"/rete/grafo.html?centro={TORINO}").get_data(as_text=True)
    assert "45 enti" in page
    assert TORINO not in page
    assert "Comune di Torino" not in page
    assert page.count('"shape":"star"') == 1


def _suggestions(html: str) -> list[tuple[str, str, str]]:
    section = _section(html, "partner-suggeriti")
    return re.findall(
        r'<a href="/enti/(\w+)">([^<]*)</a>\s*<span class="hint">([^<]*)</span>', section
    )


def test_suggestions_are_of_the_other_kind(client_as, demo_database):
    client = client_as("facilitatore")
    with demo_database.session() as s:
        kinds = dict(s.execute(sa.select(Organisation.tax_code, Organisation.kind)).all())
    html = client.get(f"/enti/{TORINO}").get_data(as_text=True)
    found = _suggestions(html)
    assert len(found) == 5
    assert {kinds[code].value for code, _, _ in found} == {"ets"}
    assert {kind for _, _, kind in found} == {"Ente del Terzo Settore"}
    partners = set(_expected_partners(demo_database, TORINO))
    assert TORINO not in {code for code, _, _ in found}
    assert not partners & {code for code, _, _ in found}
    section = _section(html, "partner-suggeriti")
    assert len(re.findall(r"Punteggio <strong>\d,\d\d</strong>", section)) == 5
    assert section.count("<li>Temi in comune: ") + section.count("<li>Territorio: ") >= 5

    html = client.get(f"/enti/{ETS}").get_data(as_text=True)
    found = _suggestions(html)
    assert len(found) == 5
    assert {kinds[code].value for code, _, _ in found} == {"ente_gestore"}
    assert ETS not in {code for code, _, _ in found}
    assert not set(_expected_partners(demo_database, ETS)) & {code for code, _, _ in found}


def test_no_suggestions_for_other_kinds(client_as, demo_database):
    with demo_database.session() as s:
        impresa = s.scalar(
            sa.select(Organisation.tax_code)
            .where(Organisation.kind == "impresa")
            .order_by(Organisation.tax_code)
        )
    html = client_as("facilitatore").get(f"/enti/{impresa}").get_data(as_text=True)
    assert 'id="rete-ente"' in html
    assert 'id="partner-suggeriti"' not in html


def test_anonymous_sees_the_profile_but_no_network(prof_app):
    assert prof_app.extensions["matchmaker"].settings.public_directory is True
    r = prof_app.test_client().get(f"/enti/{TORINO}")
    assert r.status_code == 200
    html = r.get_data(as_text=True)
    assert "<h1>Comune di Torino – Servizi sociali" in html
    for hidden in (
        'id="rete-ente"',
        'id="partner-suggeriti"',
        "grafo.html",
        "Partner diretti",
        "Partner suggeriti</h2>",
        "Punteggio",
        "profilo.js",
    ):
        assert hidden not in html
    assert "sono visibili agli utenti registrati" in html
    assert '<a href="/accedi?next=/enti/99000019994">Accedi</a>' in html
    graph = prof_app.test_client().get(f"/rete/grafo.html?centro={TORINO}")
    assert graph.status_code == 302
    assert graph.headers["Location"].startswith("/accedi")


def test_hostile_names_are_escaped(client_as, demo_database):
    first = "99001319997"  # Ente La Soglia, the first suggestion for Torino
    with demo_database.session(actor="test") as s:  # before the engine reads the profiles
        for code in (CASA_RAGAZZI, first):
            org = s.scalars(sa.select(Organisation).where(Organisation.tax_code == code)).one()
            org.name = HOSTILE
    client = client_as("facilitatore")
    html = client.get(f"/enti/{TORINO}").get_data(as_text=True)
    assert HOSTILE not in html
    assert "<img" not in html
    network = _section(html, "rete-ente")
    assert f'<a href="/enti/{CASA_RAGAZZI}">{ESCAPED}</a>' in network
    suggested = _suggestions(html)
    assert (first, ESCAPED, "Ente del Terzo Settore") in suggested
    # the partner's own profile: its name in the frame title and the neighbourhood
    html = client.get(f"/enti/{CASA_RAGAZZI}").get_data(as_text=True)
    assert HOSTILE not in html
    assert f'title="Grafo della rete di collaborazione di {ESCAPED}"' in html
    page = client.get(f"/rete/grafo.html?centro={CASA_RAGAZZI}").get_data(as_text=True)
    assert HOSTILE not in page
    assert "\\u003cscript\\u003ealert(1)\\u003c/script\\u003e" in page


def _csv(client, query: str) -> list[list[str]]:
    r = client.get("/rete/misure.csv" + query)
    assert r.status_code == 200
    assert r.headers["Content-Type"] == "text/csv; charset=utf-8"
    assert r.headers["Content-Disposition"] == "attachment; filename=rete-misure.csv"
    return list(csv.reader(io.StringIO(r.data.decode("utf-8"))))


def test_measures_csv_follows_the_filters(client_as):
    client = client_as("ricercatore")
    rows = _csv(client, "?round=1")
    assert rows[0] == ["measure", "label", "value"]
    assert len(rows) == 26
    values = {key: value for key, _, value in rows[1:]}
    labels = {key: label for key, label, _ in rows[1:]}
    assert values["nodes"] == "494"
    assert values["edges"] == "1384"
    assert values["betweenness_exact"] == "true"
    assert labels["density"] == "Densità"
    assert float(values["density"]) == pytest.approx(1384 / (494 * 493 / 2))
    page = client.get("/rete?round=1").get_data(as_text=True)
    assert '<a href="/rete/misure.csv?round=1" download id="misure-csv">Scarica CSV</a>' in page
    table = page.split('<table class="measures">')[1].split("</table>")[0]
    shown = re.findall(r'<th scope="row">([^<]+)</th><td class="num">', table)
    assert [html.unescape(label) for label in shown] == [label for _, label, _ in rows[1:]]

    rows = _csv(client, "?round=1&sector=market&district=DEMO-TO-01")
    assert rows[0] == ["measure", "label", "value"]
    assert len(rows) == 26
    small = {key: value for key, _, value in rows[1:]}
    assert int(small["nodes"]) < 494
    assert client.get("/rete/misure.csv?district=NESSUNO").status_code == 404
    assert client.get("/rete/misure.csv?round=abc").status_code == 400


def test_measures_csv_needs_sign_in(prof_app):
    r = prof_app.test_client().get("/rete/misure.csv")
    assert r.status_code == 302
    assert r.headers["Location"].startswith("/accedi")
