"""Settings, layered: defaults, then a mapping (an instance file), then ``MATCHMAKER_*`` env.

Every setting is a field of :class:`Settings`; its environment variable is its name in upper
case with the ``MATCHMAKER_`` prefix (``database_url`` -> ``MATCHMAKER_DATABASE_URL``).
"""

from __future__ import annotations

import dataclasses
import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any

__all__ = ["ENV_PREFIX", "PROJECT_ROOT", "Settings", "SettingsError"]

ENV_PREFIX = "MATCHMAKER_"
PROJECT_ROOT = Path(__file__).resolve().parent.parent
_TRUE = {"1", "true", "yes", "on", "si", "sì"}
_FALSE = {"0", "false", "no", "off", ""}


class SettingsError(ValueError):
    """A setting has a value of the wrong form."""


@dataclasses.dataclass(frozen=True)
class Settings:
    """What an instance of matchmaker is configured with.

    Attributes
    ----------
    instance_path : Path
        Folder for the instance's own files: the SQLite database, the generated secret key,
        the instance ``config.py``. Default: ``./instance``.
    database_url : str
        SQLAlchemy URL. Default: SQLite file ``matchmaker.sqlite3`` in ``instance_path``.
        PostgreSQL: ``postgresql+psycopg://user@host:5432/dbname``.
    secret_key : str or None
        Flask session key. When unset, the web application generates one into
        ``instance_path/secret_key`` on first start.
    reference_dir : Path
        Folder of the reference data (comuni, ASL, themes). Default: ``data/reference``.
    embedding_model : str
        sentence-transformers model name or local path; empty for the bundled offline model.
    embedding_device : str
        Torch device for the encoder (``cpu``).
    embedding_backend : str
        Semantic channel of matching: ``auto`` (sentence-transformers when
        ``embedding_model`` is set, else ``use-m3``), ``use-m3``, ``sentence-transformers``
        or ``none``. See docs/matching.md.
    match_weights : str
        Fusion weights overriding the defaults, e.g. ``"territory=1,network=0"``
        (channels: semantic, sentence, lexical, themes, territory, network).
    load_demo : bool
        Whether ``matchmaker init --demo`` style start-ups load the illustrative data set.
    public_directory : bool
        Whether anonymous visitors may browse the public directory of organisations.
    pseudonym_key : str or None
        Key of the stable pseudonyms in researchers' network exports; when unset, one is
        generated into ``instance_path/pseudonym_key``.
    https : bool
        The instance is served over HTTPS behind a reverse proxy: session cookies are marked
        Secure, HSTS is sent and ``X-Forwarded-*`` headers of one proxy are trusted.
    ratelimit_storage_url : str
        Where login rate limits are counted (``memory://``, or ``redis://host:6379`` when
        several server processes share the limits).
    login_rate_limit : str
        Sign-in attempts allowed per client address (Flask-Limiter syntax).
    """

    instance_path: Path = dataclasses.field(default_factory=lambda: Path.cwd() / "instance")
    database_url: str = ""
    secret_key: str | None = None
    reference_dir: Path = PROJECT_ROOT / "data" / "reference"
    embedding_model: str = ""
    embedding_device: str = "cpu"
    embedding_backend: str = "auto"
    match_weights: str = ""
    load_demo: bool = True
    public_directory: bool = True
    pseudonym_key: str | None = None
    https: bool = False
    ratelimit_storage_url: str = "memory://"
    login_rate_limit: str = "10 per minute"

    def __post_init__(self) -> None:
        object.__setattr__(self, "instance_path", Path(self.instance_path))
        object.__setattr__(self, "reference_dir", Path(self.reference_dir))
        if not self.database_url:
            url = f"sqlite:///{self.instance_path / 'matchmaker.sqlite3'}"
            object.__setattr__(self, "database_url", url)

    @classmethod
    def field_names(cls) -> list[str]:
        """Names of all settings, in declaration order."""
        return [f.name for f in dataclasses.fields(cls)]

    @classmethod
    def load(
        cls,
        mapping: Mapping[str, Any] | None = None,
        environ: Mapping[str, str] | None = None,
        overrides: Mapping[str, Any] | None = None,
    ) -> Settings:
        """Build settings: defaults, then ``mapping``, then ``MATCHMAKER_*``, then ``overrides``.

        Keys of ``mapping`` and ``overrides`` may be field names in any case, with or without
        the prefix; unknown keys are ignored so that a Flask config can be passed as it is.
        ``mapping`` is typically an instance configuration file, ``overrides`` a test mapping.
        """
        environ = os.environ if environ is None else environ
        values: dict[str, Any] = {}
        names = {name.upper(): name for name in cls.field_names()}

        def merge(source: Mapping[str, Any]) -> None:
            for key, value in source.items():
                name = names.get(key.upper().removeprefix(ENV_PREFIX))
                if name is not None and value is not None:
                    values[name] = value

        merge(mapping or {})
        merge({ENV_PREFIX + k: environ[ENV_PREFIX + k] for k in names if ENV_PREFIX + k in environ})
        merge(overrides or {})
        types = {f.name: f.type for f in dataclasses.fields(cls)}
        return cls(**{k: _coerce(k, v, types[k]) for k, v in values.items()})

    def as_env(self) -> dict[str, str]:
        """The settings as ``MATCHMAKER_*`` variables (for a child process)."""
        out = {}
        for name in self.field_names():
            value = getattr(self, name)
            if value is None:
                continue
            if isinstance(value, bool):
                value = "1" if value else "0"
            out[ENV_PREFIX + name.upper()] = str(value)
        return out


def _coerce(name: str, value: Any, annotation: str) -> Any:
    if "bool" in annotation and isinstance(value, str):
        low = value.strip().lower()
        if low in _TRUE:
            return True
        if low in _FALSE:
            return False
        raise SettingsError(
            f"{ENV_PREFIX}{name.upper()}: atteso un valore sì/no, trovato {value!r}"
        )
    if annotation.startswith("Path"):
        return Path(value).expanduser()
    return value
