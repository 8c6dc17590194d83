"""The matchmaker command: init, db-info, serve's refusal on an empty database."""

from __future__ import annotations

import json

from click.testing import CliRunner

from matchmaker.cli import main


def _run(url: str, *args: str):
    return CliRunner().invoke(main, ["--database-url", url, *args], catch_exceptions=False)


def test_init_is_idempotent_and_db_info_counts(any_url):
    first = _run(any_url, "init")
    assert first.exit_code == 0, first.output
    assert "Schema aggiornato: vuoto -> " in first.output
    assert "comune: 1179 righe inserite" in first.output
    second = _run(any_url, "init")
    assert second.exit_code == 0
    assert "Schema già aggiornato" in second.output
    assert "Dati di riferimento già presenti: nessuna modifica." in second.output

    info = json.loads(_run(any_url, "db-info", "--json").output)
    assert info["revision"] == info["head"]
    assert {k: info["tables"][k] for k in ("comune", "province", "asl", "theme")} == {
        "comune": 1179,
        "province": 8,
        "asl": 12,
        "theme": 41,
    }
    assert info["tables"]["comune_adjacency"] == 3414
    table = _run(any_url, "db-info").output
    assert "comune" in table
    assert "1179" in table


def test_serve_refuses_an_uninitialised_database(tmp_path):
    url = f"sqlite:///{tmp_path / 'empty.sqlite3'}"
    result = CliRunner().invoke(main, ["--database-url", url, "serve"])
    assert result.exit_code == 1
    assert "il database è vuoto: eseguire `matchmaker init`" in result.output


def test_db_info_on_empty_database_says_what_to_do(tmp_path):
    url = f"sqlite:///{tmp_path / 'empty.sqlite3'}"
    out = _run(url, "db-info").output
    assert "(schema assente)" in out
    assert "eseguire `matchmaker init`" in out


def test_password_is_masked(tmp_path):
    url = "postgresql+psycopg://user:segreta@127.0.0.1:1/nessuno"
    result = CliRunner().invoke(main, ["--database-url", url, "db-info"])
    assert "segreta" not in result.output
