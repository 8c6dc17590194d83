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

from matchmaker.lazy import lazy_names

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


__getattr__, __dir__ = lazy_names(__name__, _SOURCES, globals())

__all__ = sorted(_SOURCES)
