"""The web skeleton: home counts, error pages, health, secret key, config layering."""

from __future__ import annotations

import os
import stat

from web import create_app


def test_home_shows_reference_counts(client):
    r = client.get("/")
    assert r.status_code == 200
    html = r.get_data(as_text=True)
    assert '<html lang="it">' in html
    for n, label in [("1.179", "comuni"), ("8", "province"), ("12", "ASL"), ("41", "temi")]:
        assert f'<span class="stat-n">{n}</span> <span class="stat-l">{label}</span>' in html
    assert "Integrazione socio-sanitaria" in html  # the taxonomy is listed
    assert "ASL Città di Torino" in html
    assert "Dati dimostrativi" not in html  # nothing illustrative is loaded


def test_404_is_an_italian_page_or_problem_json(client):
    r = client.get("/non-esiste")
    assert r.status_code == 404
    assert "Pagina non trovata" in r.get_data(as_text=True)
    r = client.get("/non-esiste", headers={"Accept": "application/json"})
    assert r.status_code == 404
    assert r.mimetype == "application/problem+json"
    assert r.get_json()["title"] == "Pagina non trovata"


def test_health(client):
    r = client.get("/healthz")
    assert r.status_code == 200
    assert r.get_json()["status"] == "ok"


def test_uninitialised_database_gives_503_with_instructions(tmp_path):
    app = create_app(
        {
            "TESTING": True,
            "instance_path": str(tmp_path),
            "database_url": f"sqlite:///{tmp_path / 'vuoto.sqlite3'}",
        }
    )
    r = app.test_client().get("/")
    assert r.status_code == 503
    assert "eseguire `matchmaker init`" in r.get_data(as_text=True)


def test_unexpected_error_is_a_clean_500(app, monkeypatch):
    from web import authz

    @app.get("/guasto")
    def _boom():
        raise RuntimeError("guasto di prova")

    assert app.test_client().get("/guasto").status_code == 302  # not in the matrix: closed
    monkeypatch.setitem(authz.MATRIX, "_boom", authz.Access(read=frozenset(authz.ROLES)))

    r = app.test_client().get("/guasto")
    assert r.status_code == 500
    body = r.get_data(as_text=True)
    assert "Errore interno" in body
    assert "guasto di prova" not in body


def test_secret_key_is_generated_once_and_private(tmp_path, monkeypatch):
    monkeypatch.delenv("MATCHMAKER_SECRET_KEY", raising=False)
    cfg = {"instance_path": str(tmp_path / "inst"), "database_url": "sqlite://"}
    first = create_app(cfg)
    key_file = tmp_path / "inst" / "secret_key"
    assert stat.S_IMODE(os.stat(key_file).st_mode) == 0o600
    assert len(first.config["SECRET_KEY"]) == 64
    assert create_app(cfg).config["SECRET_KEY"] == first.config["SECRET_KEY"]


def test_config_layers(tmp_path, monkeypatch):
    inst = tmp_path / "inst"
    inst.mkdir()
    (inst / "config.py").write_text(
        "SECRET_KEY = 'dal-file'\nEMBEDDING_MODEL = 'dal-file'\nDATABASE_URL = 'sqlite://'\n"
    )
    monkeypatch.setenv("MATCHMAKER_INSTANCE_PATH", str(inst))
    monkeypatch.setenv("MATCHMAKER_EMBEDDING_MODEL", "da-env")
    monkeypatch.delenv("MATCHMAKER_SECRET_KEY", raising=False)
    monkeypatch.delenv("MATCHMAKER_DATABASE_URL", raising=False)
    app = create_app()
    settings = app.extensions["matchmaker"].settings
    assert app.config["SECRET_KEY"] == "dal-file"
    assert settings.embedding_model == "da-env"  # env beats the instance file
    assert settings.database_url == "sqlite://"
    app = create_app({"embedding_model": "dal-test"})
    assert app.extensions["matchmaker"].settings.embedding_model == "dal-test"
