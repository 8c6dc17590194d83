"""Names of a package that load their module on first use (PEP 562).

A package whose ``__init__`` would otherwise import heavy modules (scikit-learn, pydantic)
declares where each public name lives and gets the ``__getattr__`` and ``__dir__`` that
import that module only when the name is first read, so that the command line starts fast.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Mapping
from typing import Any

__all__ = ["lazy_names"]


def lazy_names(
    package: str, sources: Mapping[str, str], namespace: dict[str, Any]
) -> tuple[Callable[[str], Any], Callable[[], list[str]]]:
    """``(__getattr__, __dir__)`` for ``package``: ``sources`` maps each public name to the
    submodule that defines it; a name read once is kept in ``namespace`` (the package's
    globals)."""

    def __getattr__(name: str) -> Any:
        module = sources.get(name)
        if module is None:
            raise AttributeError(f"module {package!r} has no attribute {name!r}")
        value = getattr(importlib.import_module(f"{package}.{module}"), name)
        namespace[name] = value
        return value

    def __dir__() -> list[str]:
        return sorted(sources)

    return __getattr__, __dir__
