"""Creating and editing one organisation profile (forms and the JSON API).

The checks are the importer's own (:mod:`matchmaker.ingest`): a profile saved from a form or
the API is validated exactly like a row of an imported file, and errors name the field.
Edits carry the version the editor started from: a stale edit is refused, nothing is
overwritten (optimistic locking).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from matchmaker.contract.errors import ContractError, FieldError
from matchmaker.domain import DomainError
from matchmaker.ingest.errors import RowError
from matchmaker.ingest.fields import Lookups, Row
from matchmaker.ingest.kind_organisations import validate_organisation, write_organisations
from matchmaker.registry import NotFound, get_organisation
from matchmaker.storage import Database, Organisation

__all__ = [
    "PROFILE_FIELDS",
    "ProfileService",
    "ProfileValidationError",
    "SavedProfile",
    "StaleEdit",
    "profile_values",
    "save_organisation",
]

#: fields a profile form or API body may carry
PROFILE_FIELDS = (
    "name",
    "kind",
    "sector",
    "tax_code",
    "comune",
    "districts",
    "runts_section",
    "themes",
    "description",
    "website",
    "email",
    "phone",
)


class ProfileValidationError(ContractError):
    """One or more fields are not valid: ``row_errors`` lists them as the importer does
    (column, value, reasons), ``errors`` as field errors of the request contract."""

    def __init__(self, errors: list[RowError]) -> None:
        super().__init__(
            [
                FieldError(
                    field=e.column or "profilo",
                    type=e.kind,
                    message_it=e.reason_it,
                    message_en=e.reason_en,
                    value=e.value,
                )
                for e in errors
            ]
        )
        first = errors[0]
        self.args = (f"{first.column or 'profilo'}: {first.reason_it}",)
        self.row_errors = errors


class StaleEdit(DomainError):
    """The profile changed since the editor loaded it."""


def profile_values(org: Organisation) -> dict[str, Any]:
    """The editable fields of a profile, in the form :func:`save_organisation` takes."""
    return {
        "name": org.name,
        "kind": org.kind.value,
        "sector": org.sector.value,
        "tax_code": org.tax_code,
        "comune": org.seat_comune_code or "",
        "districts": [d.code for d in org.districts],
        "runts_section": org.runts_section.value if org.runts_section else "",
        "themes": [t.code for t in org.themes],
        "description": org.description,
        "website": org.website or "",
        "email": org.email or "",
        "phone": org.phone or "",
    }


def _cell(field: str, value: Any, errors: list[RowError]) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str | int | float):
        return str(value)
    if isinstance(value, list | tuple) and all(isinstance(v, str | int) for v in value):
        return ";".join(str(v) for v in value)
    errors.append(
        RowError(
            1, field, str(value)[:200], "tipo di valore non ammesso", "value of a type not allowed"
        )
    )
    return ""


def save_organisation(
    session: Session,
    data: Mapping[str, Any],
    *,
    tax_code: str | None = None,
    expected_version: int | None = None,
) -> tuple[Organisation, bool]:
    """Create a profile, or update the one with ``tax_code``; return it and whether created.

    Parameters
    ----------
    data : mapping
        Fields from :data:`PROFILE_FIELDS`; lists may be given as lists or ``;``-separated.
        On update, absent fields keep their value.
    tax_code : str, optional
        The profile to update; None creates one (``data["tax_code"]`` required).
    expected_version : int, optional
        Required on update: the ``version`` the editor loaded.

    Raises
    ------
    ProfileValidationError
        With every invalid field (Italian and English reasons).
    StaleEdit
        When the profile changed since ``expected_version``.
    NotFound
        When ``tax_code`` names no profile.
    """
    errors: list[RowError] = [
        RowError(1, key, "", "campo sconosciuto", "unknown field")
        for key in data
        if key not in PROFILE_FIELDS
    ]
    cells = {key: _cell(key, value, errors) for key, value in data.items() if key in PROFILE_FIELDS}
    existing: Organisation | None = None
    if tax_code is not None:
        existing = get_organisation(session, tax_code)
        if expected_version is None:
            raise DomainError(
                "versione mancante: ricaricare il profilo e riprovare", field="version"
            )
        if existing.version != expected_version:
            raise StaleEdit(
                f"il profilo è stato modificato da altri (versione {existing.version}, la sua "
                f"era {expected_version}): ricaricare la pagina, nessun dato è stato sovrascritto",
                field="version",
                value=expected_version,
                kind="conflict",
                en=f"the profile was changed by someone else (version {existing.version}, yours "
                f"was {expected_version}): reload the page, nothing was overwritten",
            )
        if cells.get("tax_code", existing.tax_code).upper() != existing.tax_code:
            errors.append(
                RowError(
                    1,
                    "tax_code",
                    cells["tax_code"],
                    "il codice fiscale non si può modificare",
                    "the tax code cannot be changed",
                    "conflict",
                )
            )
        current = {k: _cell(k, v, errors) for k, v in profile_values(existing).items()}
        cells = {**current, **cells}
    if errors:
        raise ProfileValidationError(errors)
    row = Row(1, cells, {k: k for k in PROFILE_FIELDS})
    lookups = Lookups(session)
    key, clean = validate_organisation(row, lookups, update=existing is not None)
    if row.errors:
        raise ProfileValidationError(row.errors)
    created, _updated, _same = write_organisations(session, [(key, clean)], lookups)
    org = session.scalar(select(Organisation).where(Organisation.tax_code == key))
    if org is None:  # pragma: no cover - written just above
        raise NotFound(f"nessun ente con codice fiscale {key}", field="tax_code")
    return org, bool(created)


@dataclasses.dataclass(frozen=True)
class SavedProfile:
    """What a save wrote: the profile's tax code, name and version, and whether it is new."""

    tax_code: str
    name: str
    version: int
    created: bool


class ProfileService:
    """Profile writes as committed units of work (the web pages and the API call this).

    Parameters
    ----------
    database : Database
    """

    def __init__(self, database: Database) -> None:
        self.database = database

    def save(
        self,
        data: Mapping[str, Any],
        *,
        tax_code: str | None = None,
        expected_version: int | None = None,
        actor: str,
    ) -> SavedProfile:
        """Create or update a profile (see :func:`save_organisation`), all or nothing.

        Raises
        ------
        ProfileValidationError, StaleEdit, NotFound
            As :func:`save_organisation`; a concurrent edit that lands first is a
            :class:`StaleEdit` too.
        """
        try:
            with self.database.session(actor=actor) as session:
                org, created = save_organisation(
                    session, data, tax_code=tax_code, expected_version=expected_version
                )
                session.flush()
                return SavedProfile(org.tax_code, org.name, org.version, created)
        except StaleDataError:
            raise StaleEdit(
                "il profilo è stato modificato da altri nel frattempo: ricaricare, "
                "nessun dato è stato sovrascritto",
                field="version",
                kind="conflict",
                en="the profile was changed by someone else meanwhile: reload, nothing was "
                "overwritten",
            ) from None
