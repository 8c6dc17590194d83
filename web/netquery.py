"""Network filters read from a request's query string (shared by the API and the pages).

The query string is validated by :class:`matchmaker.contract.queries.NetworkQuery`, the
model the API's document describes.
"""

from __future__ import annotations

from flask import request

from matchmaker.contract import validate
from matchmaker.contract.queries import NetworkQuery, csv_items, query_values
from matchmaker.domain import DomainError
from matchmaker.network.build import NetworkFilter
from matchmaker.network.service import NetworkGraphs, load_graphs
from matchmaker.registry import NotFound
from web import db_session

__all__ = ["SECTORS", "load_filtered_graphs", "network_filter"]

SECTORS = ("public", "third_sector", "market")


def network_filter(model: type[NetworkQuery] = NetworkQuery) -> NetworkFilter:
    """The :class:`NetworkFilter` the request's query string describes."""
    q = validate(model, query_values(request.args, model))
    return NetworkFilter.of(
        rounds=[int(r) for r in csv_items(q.round)],
        years=[int(y) for y in csv_items(q.year)],
        measures=[int(m) for m in csv_items(q.measure)],
        themes=csv_items(q.theme),
        districts=csv_items(q.district),
        sectors=csv_items(q.sector),
        include_collaborations=q.collaborations != "0",
    )


def load_filtered_graphs(model: type[NetworkQuery] = NetworkQuery) -> NetworkGraphs:
    """The graphs of the request's filter; an unknown district or theme is a 404."""
    try:
        return load_graphs(db_session(), network_filter(model))
    except DomainError as exc:
        if exc.field != "filter":
            raise
        raise NotFound(str(exc), field="filter") from None
