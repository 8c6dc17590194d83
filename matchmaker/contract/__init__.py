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

from matchmaker.contract.errors import ContractError, FieldError, field_path
from matchmaker.contract.models import (
    REQUEST_MODELS,
    AtsCheckRequest,
    CompositionIn,
    DraftIn,
    DraftUpdate,
    MatchRequest,
    MemberAdd,
    MemberIn,
    OrganisationCreate,
    OrganisationUpdate,
    ProposeRequest,
    StatusChangeIn,
    given,
    validate,
)

__all__ = [
    "REQUEST_MODELS",
    "AtsCheckRequest",
    "CompositionIn",
    "ContractError",
    "DraftIn",
    "DraftUpdate",
    "FieldError",
    "MatchRequest",
    "MemberAdd",
    "MemberIn",
    "OrganisationCreate",
    "OrganisationUpdate",
    "ProposeRequest",
    "StatusChangeIn",
    "field_path",
    "given",
    "validate",
]
