"""Dashboard map and district pages through the test client, on the demo data."""

from __future__ import annotations

import re

import sqlalchemy as sa

from matchmaker.storage import Organisation
from matchmaker.territory.maps import NO_DISTRICT_FILL

HOSTILE = "<script>alert(1)</script><img src=x onerror=alert(2)>"
TORINO = "DEMO-TO-01"


def _rows(html: str, table_id: str | None = None) -> list[str]:
    if table_id:
        html = re.search(rf'<table[^>]*id="{table_id}".*?</table>', html, re.S).group(0)
    body = re.search(r"<tbody>(.*?)</tbody>", html, re.S).group(1)
    return re.findall(r"<tr[ >].*?</tr>", body, re.S)


def _cells(row: str) -> list[str]:
    return [
        re.sub(r"<[^>]+>", "", c).strip()
        for c in re.findall(r"<t[dh][^>]*>(.*?)</t[dh]>", row, re.S)
    ]


def test_matrix_rows_of_the_district_pages():
    from web.authz import ROLES, allowed

    for endpoint in ("districts.index", "districts.detail"):
        assert allowed(endpoint, "GET", "anonimo", public_directory=True)
        assert not allowed(endpoint, "GET", "anonimo", public_directory=False)
        assert [r for r in ROLES if allowed(endpoint, "GET", r)] == [
            "admin",
            "facilitatore",
            "ente",
            "ricercatore",
        ]
        assert [r for r in ROLES if allowed(endpoint, "POST", r)] == []


def test_dashboard_draws_the_map_and_the_district_table(demo_app):
    r = demo_app.test_client().get("/")
    assert r.status_code == 200
    html = r.get_data(as_text=True)
    assert len(r.data) < 600_000
    svg = re.search(r'<svg class="map".*?</svg>', html, re.S).group(0)
    assert len(re.findall(r'<path d="M[^"]+" fill="#[0-9a-f]{6}" data-istat="\d{6}"', svg)) == 1178
    assert (
        len(re.findall(r'<a href="/distretti/DEMO-[A-Z]{2}-\d\d" class="map-district"', svg)) == 30
    )
    assert "<title>Torino (Distretto di Torino)</title>" in svg
    assert NO_DISTRICT_FILL not in svg  # every comune of the demo is in a district
    assert 'style="' not in html  # CSP: no inline styles
    assert 'href="/static/css/maps.css"' in html
    assert html.count('<li><svg class="swatch"') == 30
    rows = _rows(html.split('id="h-enti-distretto"')[1])
    assert len(rows) == 30
    torino = next(_cells(r) for r in rows if f'data-district="{TORINO}"' in r)
    assert torino == ["Distretto di Torino", "1", "51", "13", "4", "3 su 3"]
    bars = re.findall(r'<li class="bar-row[^"]*" data-theme="([a-z_]+)"', html)
    assert len(bars) == 41
    assert bars[:2] == ["poverta_esclusione", "giovani"]
    assert "Miagliano" in html  # named as not drawn
    # the existing content is kept
    assert html.count('class="chip"') == 41
    assert "Fonti dei dati" in html
    assert "ASL Città di Torino" in html


def test_dashboard_map_without_districts_is_grey_with_a_hint(client):
    html = client.get("/").get_data(as_text=True)
    svg = re.search(r'<svg class="map".*?</svg>', html, re.S).group(0)
    assert svg.count("data-istat=") == 1178
    assert len(re.findall(rf'fill="{NO_DISTRICT_FILL}"', svg)) == 1178
    assert "<a " not in svg
    assert "Nessun distretto registrato" in html
    assert "Enti per distretto" not in html
    assert "Nessun ente ha ancora indicato i temi" in html


def test_district_list(demo_app):
    html = demo_app.test_client().get("/distretti").get_data(as_text=True)
    rows = _rows(html)
    assert len(rows) == 30
    torino = next(_cells(r) for r in rows if f'data-district="{TORINO}"' in r)
    assert torino == [
        TORINO,
        "Distretto di Torino dimostrativo",
        "TO",
        "1",
        "872.367",
        "1",
        "51",
        "4",
    ]
    assert sum(int(_cells(r)[5]) for r in rows) == 50
    assert sum(int(_cells(r)[3].replace(".", "")) for r in rows) == 1179


def test_district_page_of_torino(demo_app):
    client = demo_app.test_client()
    r = client.get(f"/distretti/{TORINO}")
    assert r.status_code == 200
    html = r.get_data(as_text=True)
    assert "<h1>Distretto di Torino" in html
    svg = re.search(r'<svg class="map map-zoom".*?</svg>', html, re.S).group(0)
    assert (
        len(re.findall(r'<a href="/distretti/DEMO-TO-01" class="map-district is-focus"', svg)) == 1
    )
    assert svg.count('data-istat="001272"') == 1
    assert 'class="is-faded"' in svg
    assert "Miagliano" not in html  # not in this district
    eg = re.search(r'<ul class="org-list" id="enti-gestori">(.*?)</ul>', html, re.S).group(1)
    assert eg.count("<li>") == 1
    assert len(_rows(html, "ets")) == 51
    assert html.count('<li class="tag tag-ok">') == 3
    assert 'id="temi-mancanti"' not in html
    assert len(_rows(html, "ats")) == 4
    assert "181 collaborazioni tra enti del distretto, 37 con enti di altri distretti." in html
    ties = [_cells(r) for r in _rows(html, "legami")]
    assert ties[0] == ["Distretto di Rivoli", "15"]
    assert sum(int(t[1]) for t in ties) == 37


def test_a_district_with_missing_priorities_lists_them(demo_app):
    html = demo_app.test_client().get("/distretti/DEMO-AT-01").get_data(as_text=True)
    missing = re.search(r'<ul class="theme-tags" id="temi-mancanti">(.*?)</ul>', html, re.S).group(
        1
    )
    assert missing.count("<li") == 2
    assert "Integrazione socio-sanitaria" in missing


def test_a_district_without_comuni_or_actors_has_a_page(demo_app):
    from matchmaker.storage import District

    db = demo_app.extensions["matchmaker"].database
    with db.session(actor="test") as s:
        s.add(District(code="VUOTO", name="Distretto vuoto"))
    html = demo_app.test_client().get("/distretti/VUOTO").get_data(as_text=True)
    assert "<h1>Distretto vuoto</h1>" in html
    assert "Nessun ente gestore registrato per questo distretto." in html
    assert "Nessun ETS attivo nel distretto." in html
    assert "Nessuna ATS registrata per questo distretto." in html
    assert "0 collaborazioni tra enti del distretto, 0 con enti di altri distretti." in html
    assert html.count('class="is-faded"') == 1178
    assert html.count('<li class="tag tag-gap">') == 3
    rows = _rows(demo_app.test_client().get("/distretti").get_data(as_text=True))
    assert len(rows) == 31


def test_unknown_district_is_an_italian_404(demo_app):
    r = demo_app.test_client().get("/distretti/NESSUNO")
    assert r.status_code == 404
    html = r.get_data(as_text=True)
    assert "Pagina non trovata" in html
    assert "Nessun distretto con codice «NESSUNO»." in html


def test_anonymous_is_refused_unless_the_directory_is_public(demo_database, tmp_path):
    from web import create_app

    private = create_app(
        {
            "TESTING": True,
            "public_directory": False,
            "instance_path": str(tmp_path / "p"),
            "database_url": demo_database.url,
        }
    )
    client = private.test_client()
    for path in ("/distretti", f"/distretti/{TORINO}"):
        r = client.get(path)
        assert r.status_code == 302
        assert "/accedi?next=" in r.headers["Location"]
    html = client.get("/").get_data(as_text=True)  # the dashboard stays public
    svg = re.search(r'<svg class="map".*?</svg>', html, re.S).group(0)
    assert svg.count("data-istat=") == 1178
    assert 'href="/distretti' not in html  # no links to pages the visitor cannot open


def test_signed_in_user_sees_the_private_district_pages(demo_database, demo_accounts, tmp_path):
    from web import create_app

    private = create_app(
        {
            "TESTING": True,
            "public_directory": False,
            "instance_path": str(tmp_path / "p"),
            "database_url": demo_database.url,
        }
    )
    client = private.test_client()
    html = client.get("/accedi").get_data(as_text=True)
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', html).group(1)
    data = {"email": demo_accounts["ricercatore"], "password": "una-password-di-prova"}
    assert client.post("/accedi", data={**data, "csrf_token": token}).status_code == 302
    assert client.get(f"/distretti/{TORINO}").status_code == 200
    assert 'href="/distretti/DEMO-TO-01"' in client.get("/").get_data(as_text=True)


def test_hostile_name_is_shown_as_text_on_the_district_page(demo_app):
    db = demo_app.extensions["matchmaker"].database
    with db.session(actor="test") as s:
        org = s.scalars(
            sa.select(Organisation)
            .where(Organisation.kind == "ets", Organisation.districts.any(code=TORINO))
            .order_by(Organisation.id)
        ).first()
        org.name = HOSTILE
    html = demo_app.test_client().get(f"/distretti/{TORINO}").get_data(as_text=True)
    assert "&lt;script&gt;alert(1)&lt;/script&gt;&lt;img src=x onerror=alert(2)&gt;" in html
    assert "<script>alert(1)" not in html
    assert "<img src=x" not in html
