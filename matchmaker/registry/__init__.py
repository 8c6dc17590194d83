"""The registry of actors: what the database holds, read for the pages, the API and notebooks.

- :mod:`~matchmaker.registry.organisations`: the directory of organisations (filters, pages,
  records as plain data);
- :mod:`~matchmaker.registry.partnerships`: stored ATS as read by the pages and the API;
- :mod:`~matchmaker.registry.places`: themes, comuni and districts;
- :mod:`~matchmaker.registry.profiles`: the one write path of an organisation's profile;
- :mod:`~matchmaker.registry.paging`: :class:`Page` and :class:`NotFound`.

Writes to an ATS go through :class:`matchmaker.rules.drafts.DraftService`.
"""

from __future__ import annotations

from matchmaker.registry.organisations import (
    OrganisationFilter,
    districts_of_enti_gestori,
    get_organisation,
    list_organisations,
    organisation_dict,
    organisation_labels,
    organisation_name,
    tax_code_of,
)
from matchmaker.registry.paging import MAX_PAGE, MAX_PER_PAGE, NotFound, Page, paginate
from matchmaker.registry.partnerships import (
    get_partnership,
    list_partnerships,
    partnership_dict,
    partnership_rounds,
)
from matchmaker.registry.places import (
    comune_choices,
    comune_dict,
    district_choices,
    district_dict,
    get_district,
    list_comuni,
    list_districts,
    list_themes,
    province_choices,
    theme_choices,
    theme_dict,
    theme_labels,
)

__all__ = [
    "MAX_PAGE",
    "MAX_PER_PAGE",
    "NotFound",
    "OrganisationFilter",
    "Page",
    "comune_choices",
    "comune_dict",
    "district_choices",
    "district_dict",
    "districts_of_enti_gestori",
    "get_district",
    "get_organisation",
    "get_partnership",
    "list_comuni",
    "list_districts",
    "list_organisations",
    "list_partnerships",
    "list_themes",
    "organisation_dict",
    "organisation_labels",
    "organisation_name",
    "paginate",
    "partnership_dict",
    "partnership_rounds",
    "province_choices",
    "tax_code_of",
    "theme_choices",
    "theme_dict",
    "theme_labels",
]
