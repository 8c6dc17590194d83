"""One request contract: the models every request body and query is validated by.

- :mod:`~matchmaker.contract.limits`: every length and range, in one place;
- :mod:`~matchmaker.contract.models`: request bodies (match, ATS check and proposal, ATS
  drafts, members, status changes, organisation profiles);
- :mod:`~matchmaker.contract.queries`: query strings of the API's lists and network views;
- :mod:`~matchmaker.contract.errors`: field errors in Italian and English.

The web application validates with these models and generates its OpenAPI document from
them; the command line reads ``ats check`` files with them.
"""

from __future__ import annotations

import importlib
from typing import Any

# Names load on first use (PEP 562): ``matchmaker.contract.limits`` and ``.errors`` are
# plain modules, so the command line starts without pydantic until a command needs a model.
_SOURCES = {
    "ContractError": "errors",
    "FieldError": "errors",
    "field_path": "errors",
    **dict.fromkeys(
        (
            "REQUEST_MODELS",
            "AtsCheckRequest",
            "CompositionIn",
            "DraftIn",
            "DraftUpdate",
            "MatchRequest",
            "MemberAdd",
            "MemberIn",
            "OrganisationCreate",
            "OrganisationUpdate",
            "ProposeRequest",
            "StatusChangeIn",
            "given",
            "validate",
        ),
        "models",
    ),
}


def __getattr__(name: str) -> Any:
    module = _SOURCES.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(f"{__name__}.{module}"), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(__all__)


__all__ = sorted(_SOURCES)
