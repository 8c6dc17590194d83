"""Rete: the network explorer page, its picture endpoint and its Content-Security-Policy."""

from __future__ import annotations

import re

import pytest
import sqlalchemy as sa

from matchmaker.storage import Organisation
from web import create_app
from web.views.network import graph_csp

HOSTILE = "<script>alert(1)</script>"


@pytest.fixture
def net_app(demo_database, demo_accounts, tmp_path):
    return create_app(
        {
            "TESTING": True,
            "MATCH_ENCODER": None,
            "WTF_CSRF_ENABLED": False,
            "RATELIMIT_ENABLED": False,
            "instance_path": str(tmp_path / "instance-net"),
            "database_url": demo_database.url,
        }
    )


def _client(app, email: str):
    client = app.test_client()
    r = client.post("/accedi", data={"email": email, "password": "una-password-di-prova"})
    assert r.status_code == 302
    return client


@pytest.fixture
def client_as(net_app, demo_accounts):
    return lambda role: _client(net_app, demo_accounts[role])


def test_anonymous_is_sent_to_sign_in(net_app):
    for url in ("/rete", "/rete/grafo.html"):
        r = net_app.test_client().get(url)
        assert r.status_code == 302
        assert r.headers["Location"].startswith("/accedi?next=/rete")


def test_round_one_measures_table(client_as):
    r = client_as("facilitatore").get("/rete?round=1")
    html = r.get_data(as_text=True)
    assert r.status_code == 200
    table = html.split('<table class="measures">')[1].split("</table>")[0]
    rows = dict(re.findall(r'<th scope="row">([^<]+)</th><td class="num">([^<]+)</td>', table))
    assert rows["Enti"] == "494"
    assert len(rows) == 25
    assert {"Densità", "Modularità", "NMI comunità/distretti", "Ponti"} <= set(rows)
    top = html.split('<table class="top-betweenness">')[1].split("</table>")[0]
    assert len(re.findall(r'<a href="/enti/\w+">', top)) == 10
    frame = 'src="/rete/grafo.html?round=1&amp;color=sector&amp;size=degree&amp;layout=force"'
    assert frame in html
    for fmt in ("graphml", "gexf", "json", "csv"):
        assert f'href="/api/v1/network/export?format={fmt}&amp;round=1"' in html
    assert "Il confronto richiede almeno due bandi" in html
    assert '<option value="1" selected>1</option>' in html


def test_all_rounds_show_change(client_as):
    html = client_as("ricercatore").get("/rete").get_data(as_text=True)
    change = html.split('<table class="change">')[1].split("</table>")[0]
    assert re.findall(r'<th scope="row">(\d → \d)</th>', change) == ["1 → 2", "2 → 3"]
    # researchers see pseudonyms, never tax codes or links to profiles
    top = html.split('<table class="top-betweenness">')[1].split("</table>")[0]
    assert "/enti/" not in top


def test_graph_is_local_and_allowed_by_its_own_policy(client_as):
    r = client_as("ente").get("/rete/grafo.html?round=1&color=community&layout=geo&size=pagerank")
    page = r.get_data(as_text=True)
    assert r.status_code == 200
    assert r.mimetype == "text/html"
    assert '<script src="/static/vendor/vis-network/vis-network.min.js"></script>' in page
    assert "http://" not in page
    assert "https://" not in page
    csp = r.headers["Content-Security-Policy"]
    assert csp == graph_csp(page)
    assert "'unsafe-inline'" not in csp
    assert "http" not in csp
    assert re.search(r"script-src 'self' 'sha256-[A-Za-z0-9+/=]+';", csp)
    assert "disposizione: geografica" in page


def test_graph_options_and_filters(client_as):
    client = client_as("facilitatore")
    assert client.get("/rete/grafo.html?color=nessuno").status_code == 200  # falls back
    assert client.get("/rete?round=abc").status_code == 400
    assert client.get("/rete/grafo.html?district=NESSUNO").status_code == 404
    r = client.get("/rete?round=1&sector=market&district=DEMO-TO-01")
    assert r.status_code == 200


def test_hostile_name_is_escaped(client_as, demo_database):
    client = client_as("facilitatore")
    html = client.get("/rete?round=1").get_data(as_text=True)
    top = html.split('<table class="top-betweenness">')[1]
    first = re.search(r'<a href="/enti/(\w+)">', top).group(1)
    with demo_database.session(actor="test") as s:
        s.scalars(
            sa.select(Organisation).where(Organisation.tax_code == first)
        ).one().name = HOSTILE
    html = client.get("/rete?round=1").get_data(as_text=True)
    assert f'<a href="/enti/{first}">&lt;script&gt;alert(1)&lt;/script&gt;</a>' in html
    assert HOSTILE not in html
    page = client.get("/rete/grafo.html?round=1").get_data(as_text=True)
    assert HOSTILE not in page
    assert "\\u003cscript\\u003ealert(1)\\u003c/script\\u003e" in page


def test_png_download_and_theme_filter(client_as):
    client = client_as("facilitatore")
    html = client.get("/rete?round=1&theme=anziani_non_autosufficienza").get_data(as_text=True)
    assert '<option value="anziani_non_autosufficienza" selected>' in html
    png = "/rete/grafo.png?round=1&amp;theme=anziani_non_autosufficienza&amp;color=sector"
    assert f'href="{png}&amp;size=degree&amp;layout=force"' in html
    r = client.get("/rete/grafo.png?round=1&theme=anziani_non_autosufficienza&layout=geo")
    assert r.status_code == 200
    assert r.mimetype == "image/png"
    assert r.data[:8] == b"\x89PNG\r\n\x1a\n"
    assert r.headers["Content-Disposition"] == "attachment; filename=rete.png"
