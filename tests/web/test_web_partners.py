"""Trova partner: the form, ranked and explained results, the shortlist, escaping."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Sequence

import numpy as np
import pytest
import sqlalchemy as sa

from matchmaker.storage import Organisation
from web import create_app

NEED = "assistenza domiciliare anziani non autosufficienti e sostegno ai caregiver"
HOSTILE = "<script>alert(1)</script>"


class _BagOfWords:
    """A deterministic encoder (hashed word stems): the sentence channel works, no model."""

    name = "fake-bow-64"
    dim = 64

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        for i, text in enumerate(texts):
            for word in re.findall(r"\w{3,}", text.lower()):
                out[i, int(hashlib.md5(word[:5].encode()).hexdigest(), 16) % self.dim] += 1.0
            out[i, 0] += 0.01
        return out / np.linalg.norm(out, axis=1, keepdims=True)


@pytest.fixture
def partners_app(demo_database, demo_accounts, tmp_path):
    """The demo app with a fake sentence encoder and CSRF on (tokens read from the pages)."""
    return create_app(
        {
            "TESTING": True,
            "MATCH_ENCODER": _BagOfWords(),
            "RATELIMIT_ENABLED": False,
            "instance_path": str(tmp_path / "instance-partners"),
            "database_url": demo_database.url,
        }
    )


def _token(html: str) -> str:
    return re.search(r'name="csrf_token" (?:type="hidden" )?value="([^"]+)"', html).group(1)


@pytest.fixture
def signed_in(partners_app, demo_accounts):
    client = partners_app.test_client()
    page = client.get("/accedi").get_data(as_text=True)
    r = client.post(
        "/accedi",
        data={
            "email": demo_accounts["facilitatore"],
            "password": "una-password-di-prova",
            "csrf_token": _token(page),
        },
    )
    assert r.status_code == 302
    return client


def _results(html: str) -> list[str]:
    return re.findall(r'<h3><a href="/enti/([0-9A-Z]+)">', html)


def test_anonymous_is_sent_to_sign_in(partners_app):
    r = partners_app.test_client().get("/trova-partner?text=anziani")
    assert r.status_code == 302
    assert r.headers["Location"].startswith("/accedi?next=/trova-partner")


def test_form_has_a_label_for_every_field(signed_in):
    r = signed_in.get("/trova-partner")
    html = r.get_data(as_text=True)
    assert r.status_code == 200
    assert "<h1>Trova partner</h1>" in html
    for name in ("text", "district", "kind", "territory", "radius_km", "prefer_newcomers"):
        assert f'<label for="{name}"' in html, name
    assert '<option selected value="ets">' in html
    assert "Risultati" not in html


def test_need_gives_ranked_explained_results(signed_in, demo_database):
    r = signed_in.get("/trova-partner", query_string={"text": NEED, "district": "DEMO-TO-01"})
    html = r.get_data(as_text=True)
    assert r.status_code == 200
    codes = _results(html)
    assert len(codes) == 15
    scores = [float(s.replace(",", ".")) for s in re.findall(r"Punteggio <strong>([\d,]+)", html)]
    assert len(scores) == 15
    assert scores == sorted(scores, reverse=True)
    assert html.count("<meter") >= 15 * 3
    assert "Frase più vicina: <mark>" in html
    assert 'class="chip"' in html
    assert "Territorio: " in html
    with demo_database.session() as s:
        kinds = set(s.scalars(sa.select(Organisation.kind).where(Organisation.tax_code.in_(codes))))
    assert {k.value for k in kinds} == {"ets"}


def test_invalid_input_is_reported_in_italian(signed_in):
    r = signed_in.get("/trova-partner", query_string={"text": " ", "radius_km": "-3"})
    html = r.get_data(as_text=True)
    assert r.status_code == 400
    assert "Descrivere il bisogno." in html
    assert "Tra 1 e 300 km." in html
    r = signed_in.get("/trova-partner", query_string={"text": NEED, "radius_km": "10"})
    assert r.status_code == 400
    assert "Il raggio richiede un distretto." in r.get_data(as_text=True)


def test_shortlist_add_and_remove(signed_in):
    page = signed_in.get("/trova-partner", query_string={"text": NEED}).get_data(as_text=True)
    first, second = _results(page)[:2]
    for code in (first, second):
        r = signed_in.post(
            "/trova-partner/lista",
            data={"tax_code": code, "csrf_token": _token(page), "next": "/trova-partner?text=x"},
        )
        assert r.status_code == 302
        assert r.headers["Location"] == "/trova-partner?text=x"
    html = signed_in.get("/trova-partner").get_data(as_text=True)
    assert "Lista dei partner (2)" in html
    panel = html.split('id="lista-titolo"')[1]
    assert re.findall(r'<li><a href="/enti/([0-9A-Z]+)">', panel) == [first, second]
    # twice the same organisation: still two
    signed_in.post("/trova-partner/lista", data={"tax_code": first, "csrf_token": _token(page)})
    assert "Lista dei partner (2)" in signed_in.get("/trova-partner").get_data(as_text=True)
    r = signed_in.post(
        "/trova-partner/lista/rimuovi", data={"tax_code": first, "csrf_token": _token(page)}
    )
    assert r.status_code == 302
    assert r.headers["Location"] == "/trova-partner"
    html = signed_in.get("/trova-partner").get_data(as_text=True)
    assert "Lista dei partner (1)" in html
    assert "tolto dalla lista" in html


def test_shortlist_needs_csrf_and_a_known_organisation(signed_in):
    r = signed_in.post("/trova-partner/lista", data={"tax_code": "99005009990"})
    assert r.status_code == 400
    page = signed_in.get("/trova-partner").get_data(as_text=True)
    r = signed_in.post(
        "/trova-partner/lista", data={"tax_code": "00000000000", "csrf_token": _token(page)}
    )
    assert r.status_code == 302
    html = signed_in.get("/trova-partner").get_data(as_text=True)
    assert "Nessun ente con codice fiscale 00000000000." in html
    assert "Lista dei partner (0)" in html
    # an open redirect through "next" is refused
    r = signed_in.post(
        "/trova-partner/lista",
        data={"tax_code": "1", "csrf_token": _token(page), "next": "https://example.org/"},
    )
    assert r.headers["Location"] == "/trova-partner"


def test_hostile_name_is_escaped(signed_in, demo_database):
    first = _results(
        signed_in.get("/trova-partner", query_string={"text": NEED}).get_data(as_text=True)
    )[0]
    with demo_database.session(actor="test") as s:
        s.scalars(
            sa.select(Organisation).where(Organisation.tax_code == first)
        ).one().name = HOSTILE
    signed_in.application.extensions["matchmaker"].match_engine.refresh(first)
    html = signed_in.get("/trova-partner", query_string={"text": NEED}).get_data(as_text=True)
    assert f'<a href="/enti/{first}">&lt;script&gt;alert(1)&lt;/script&gt;</a>' in html
    assert HOSTILE not in html
    page = html
    signed_in.post("/trova-partner/lista", data={"tax_code": first, "csrf_token": _token(page)})
    html = signed_in.get("/trova-partner").get_data(as_text=True)
    assert HOSTILE not in html
    assert html.count("&lt;script&gt;alert(1)&lt;/script&gt;") >= 2
