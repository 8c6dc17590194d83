"""Settings layering: defaults < mapping (instance file) < MATCHMAKER_* env < overrides."""

from __future__ import annotations

from pathlib import Path

import pytest

from matchmaker.config import Settings, SettingsError


def test_defaults_put_sqlite_in_the_instance_folder(tmp_path):
    s = Settings.load(environ={}, overrides={"instance_path": tmp_path})
    assert s.database_url == f"sqlite:///{tmp_path / 'matchmaker.sqlite3'}"
    assert s.secret_key is None
    assert s.reference_dir.name == "reference"
    assert (s.reference_dir / "comuni_piemonte.csv").is_file()


def test_layers_apply_in_order():
    mapping = {"DATABASE_URL": "sqlite:///from-file", "SECRET_KEY": "file", "LOAD_DEMO": False}
    env = {"MATCHMAKER_DATABASE_URL": "sqlite:///from-env", "MATCHMAKER_EMBEDDING_MODEL": "x"}
    s = Settings.load(mapping, env, overrides={"secret_key": "test"})
    assert s.database_url == "sqlite:///from-env"
    assert s.secret_key == "test"
    assert s.load_demo is False
    assert s.embedding_model == "x"


@pytest.mark.parametrize(("raw", "value"), [("1", True), ("sì", True), ("no", False), ("", False)])
def test_boolean_variables(raw, value):
    assert Settings.load(environ={"MATCHMAKER_PUBLIC_DIRECTORY": raw}).public_directory is value


def test_bad_boolean_names_the_variable():
    with pytest.raises(SettingsError, match="MATCHMAKER_LOAD_DEMO"):
        Settings.load(environ={"MATCHMAKER_LOAD_DEMO": "forse"})


def test_as_env_round_trips(tmp_path):
    s = Settings.load(environ={}, overrides={"instance_path": tmp_path, "secret_key": "k"})
    again = Settings.load(environ=s.as_env())
    assert again == s
    assert isinstance(again.instance_path, Path)
