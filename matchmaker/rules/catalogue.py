"""The call's rules as data: read the TOML files of ``matchmaker/rules/calls``.

Each rule is one declarative record (:class:`Rule`): its id, the measure it belongs to, its
Italian and English text, the quoted paragraph of the call it comes from, its severity, and
the name and parameters of the generic check that evaluates it. Adding a call means adding
a TOML file, not code, as long as its rules use the checks of
:mod:`matchmaker.rules.checks`
(:class:`Rule` and :class:`Catalogue` themselves are in :mod:`matchmaker.rules.rule`).
"""

from __future__ import annotations

import functools
import tomllib
from collections.abc import Iterable, Mapping
from pathlib import Path
from types import MappingProxyType
from typing import Any

from matchmaker.domain import DomainError
from matchmaker.rules.checks import CHECKS
from matchmaker.rules.rule import SEVERITIES, Catalogue, Rule

__all__ = [
    "CALLS_DIR",
    "SEVERITIES",
    "Catalogue",
    "Rule",
    "default_catalogue",
    "load_catalogue",
]

CALLS_DIR = Path(__file__).resolve().parent / "calls"
_REQUIRED = ("id", "measure", "severity", "check", "text_it", "text_en", "source", "paragraph")


def _rule(raw: Mapping[str, Any], call: str, where: str) -> Rule:
    missing = [k for k in _REQUIRED if k not in raw]
    if missing:
        raise DomainError(f"{where}: campi mancanti {', '.join(missing)}", field=missing[0])
    if raw["severity"] not in SEVERITIES:
        raise DomainError(
            f"{where}: gravità {raw['severity']!r} non valida (error o warning)", field="severity"
        )
    params = raw.get("params", {})
    frozen = MappingProxyType(
        {k: tuple(v) if isinstance(v, list) else v for k, v in params.items()}
    )
    return Rule(
        id=str(raw["id"]),
        measure=int(raw["measure"]),
        severity=str(raw["severity"]),
        check=str(raw["check"]),
        text_it=str(raw["text_it"]).strip(),
        text_en=str(raw["text_en"]).strip(),
        source=str(raw["source"]),
        paragraph=str(raw["paragraph"]).strip(),
        params=frozen,
        complete=bool(raw.get("complete", True)),
        call=call,
    )


def load_catalogue(paths: Iterable[Path | str]) -> Catalogue:
    """Read rule files (TOML) into a :class:`Catalogue`.

    Parameters
    ----------
    paths : iterable of path
        TOML files, each with a ``[call]`` table and ``[[rule]]`` tables.

    Raises
    ------
    DomainError
        When a rule lacks a field, has an unknown severity or a duplicate id, or names a
        check that does not exist.
    """
    rules: list[Rule] = []
    measures: dict[int, dict[str, Any]] = {}
    for path in paths:
        path = Path(path)
        with path.open("rb") as fh:
            data = tomllib.load(fh)
        call = data.get("call", {})
        call_id = str(call.get("id", path.stem))
        for key, info in call.get("measures", {}).items():
            measures[int(key)] = dict(info)
        for i, raw in enumerate(data.get("rule", [])):
            rule = _rule(raw, call_id, f"{path.name}, regola {i + 1}")
            if rule.check not in CHECKS:
                raise DomainError(
                    f"{path.name}, regola {rule.id}: controllo sconosciuto {rule.check!r}",
                    field="check",
                    value=rule.check,
                )
            if any(r.id == rule.id for r in rules):
                raise DomainError(f"regola duplicata: {rule.id}", field="id", value=rule.id)
            rules.append(rule)
    return Catalogue(rules=tuple(rules), measures=MappingProxyType(measures))


@functools.lru_cache(maxsize=1)
def default_catalogue() -> Catalogue:
    """The rules shipped with matchmaker (every ``*.toml`` of ``CALLS_DIR``), cached."""
    return load_catalogue(sorted(CALLS_DIR.glob("*.toml")))
