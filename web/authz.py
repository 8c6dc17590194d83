"""The authorisation matrix: who may read and who may write each page, in one place.

Every endpoint of the application must appear here; an endpoint that does not is refused
to everyone (fail closed), and a test checks that none is missing. Reading is GET/HEAD;
writing is any other method. Row-level limits (an ``ente`` account edits only its own
organisation and its own draft ATS) are checked by the views with :func:`owns`.
"""

from __future__ import annotations

import dataclasses

from matchmaker.domain import Role

__all__ = [
    "ANONYMOUS",
    "MATRIX",
    "ROLES",
    "Access",
    "allowed",
    "owns",
]

ANONYMOUS = "anonimo"
ROLES: tuple[str, ...] = (ANONYMOUS, *(r.value for r in Role))
_EVERYONE = frozenset(ROLES)
_SIGNED_IN = frozenset(r.value for r in Role)
_ADMIN = frozenset({Role.ADMIN.value})
_STAFF = frozenset({Role.ADMIN.value, Role.FACILITATORE.value})
_NONE: frozenset[str] = frozenset()


@dataclasses.dataclass(frozen=True)
class Access:
    """Roles allowed to read (GET/HEAD) and to write (other methods) one endpoint.

    ``public_read`` marks pages that anonymous visitors may read only when the instance
    enables the public directory (setting ``public_directory``).
    """

    read: frozenset[str] = _NONE
    write: frozenset[str] = _NONE
    public_read: bool = False


MATRIX: dict[str, Access] = {
    "static": Access(read=_EVERYONE),
    "main.home": Access(read=_EVERYONE),
    "main.health": Access(read=_EVERYONE),
    "auth.login": Access(read=_EVERYONE, write=_EVERYONE),
    "auth.logout": Access(write=_SIGNED_IN),
    "auth.account": Access(read=_SIGNED_IN, write=_SIGNED_IN),
    "admin.users": Access(read=_ADMIN, write=_ADMIN),
    "admin.audit": Access(read=_ADMIN),
    # directory pages (an ``ente`` account edits only its own profile: checked by the view)
    "directory.index": Access(public_read=True),
    "directory.profile": Access(public_read=True),
    "directory.edit": Access(read=_STAFF | {Role.ENTE.value}, write=_STAFF | {Role.ENTE.value}),
    "directory.new": Access(read=_STAFF, write=_STAFF),
    # Trova partner (shortlist in the session) and the network explorer
    "partners.search": Access(read=_SIGNED_IN),
    "partners.shortlist_add": Access(write=_SIGNED_IN),
    "partners.shortlist_remove": Access(write=_SIGNED_IN),
    "network.explorer": Access(read=_SIGNED_IN),
    "network.graph": Access(read=_SIGNED_IN),
    "network.picture": Access(read=_SIGNED_IN),
    # districts (web/views/districts.py)
    "districts.index": Access(public_read=True),
    "districts.detail": Access(public_read=True),
    # --- districts: add rows here ---
    # ATS builder (web/views/ats.py); an ``ente`` account edits only its own draft ATS
    "ats.index": Access(read=_SIGNED_IN),
    "ats.new": Access(read=_STAFF | {Role.ENTE.value}, write=_STAFF | {Role.ENTE.value}),
    "ats.edit": Access(read=_SIGNED_IN, write=_STAFF | {Role.ENTE.value}),
    "ats.transition": Access(write=_STAFF | {Role.ENTE.value}),
    "ats.add_member": Access(write=_STAFF | {Role.ENTE.value}),
    "ats.check": Access(write=_SIGNED_IN),
    "ats.organisations": Access(read=_SIGNED_IN),
    "ats.propose": Access(write=_STAFF | {Role.ENTE.value}),
    # --- ats: add rows here ---
    # import/export pages for facilitators (web/views/data.py)
    "data.index": Access(read=_STAFF),
    "data.upload": Access(write=_STAFF),
    "data.confirm": Access(write=_STAFF),
    "data.cancel": Access(write=_STAFF),
    "data.result": Access(read=_STAFF),
    "data.export": Access(read=_STAFF),
    "data.backup_download": Access(read=_ADMIN),
    # --- data: add rows here ---
    # measures of the network explorer as CSV (web/views/network.py)
    "network.measures_csv": Access(read=_SIGNED_IN),
    # JSON API: reference data is public, the directory follows the instance's setting
    "api.openapi": Access(read=_EVERYONE),
    "api.docs": Access(read=_EVERYONE),
    "api.themes": Access(read=_EVERYONE),
    "api.comuni": Access(read=_EVERYONE),
    "api.districts": Access(read=_EVERYONE),
    "api.district": Access(read=_EVERYONE),
    "api.organisations": Access(public_read=True),
    "api.organisation": Access(public_read=True),
    "api.create_organisation": Access(write=_STAFF),
    "api.update_organisation": Access(write=_STAFF | {Role.ENTE.value}),
    "api.match": Access(write=_SIGNED_IN),
    "api.ats_check": Access(write=_SIGNED_IN),
    "api.ats_propose": Access(write=_STAFF | {Role.ENTE.value}),
    "api.network_metrics": Access(read=_SIGNED_IN),
    "api.network_export": Access(read=_SIGNED_IN),
    "api.partnerships": Access(read=_SIGNED_IN),
    "api.partnership": Access(read=_SIGNED_IN),
    # ATS writes: an ``ente`` account only its own drafts (checked by DraftService)
    "api.create_partnership": Access(write=_STAFF | {Role.ENTE.value}),
    "api.update_partnership": Access(write=_STAFF | {Role.ENTE.value}),
    "api.add_partnership_member": Access(write=_STAFF | {Role.ENTE.value}),
    "api.remove_partnership_member": Access(write=_STAFF | {Role.ENTE.value}),
    "api.partnership_status": Access(write=_STAFF | {Role.ENTE.value}),
}


def allowed(
    endpoint: str | None, method: str, role: str, *, public_directory: bool = False
) -> bool:
    """Whether ``role`` may call ``endpoint`` with ``method`` (unknown endpoints: never)."""
    access = MATRIX.get(endpoint or "")
    if access is None:
        return False
    if method in ("GET", "HEAD", "OPTIONS"):
        if access.public_read and role == ANONYMOUS:
            return public_directory
        return role in access.read or (access.public_read and role in _SIGNED_IN)
    return role in access.write


def owns(user: object, organisation_id: int | None) -> bool:
    """Row-level rule: staff may edit any record, an ``ente`` account only its own."""
    role = getattr(user, "role", None)
    if role in (Role.ADMIN, Role.FACILITATORE):
        return True
    return (
        role == Role.ENTE
        and organisation_id is not None
        and (getattr(user, "organisation_id", None) == organisation_id)
    )
