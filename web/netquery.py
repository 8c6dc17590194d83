"""Network filters read from a request's query string (shared by the API and the pages)."""

from __future__ import annotations

from flask import request

from matchmaker.domain import DomainError
from matchmaker.network.build import NetworkFilter
from matchmaker.network.service import NetworkGraphs, load_graphs
from matchmaker.registry import NotFound
from web import db_session

__all__ = ["SECTORS", "int_args", "load_filtered_graphs", "network_filter", "str_args"]

SECTORS = ("public", "third_sector", "market")


def int_args(name: str, low: int, high: int) -> list[int]:
    """Integers of a repeatable or comma-separated query parameter, checked against a range."""
    out = []
    for raw in request.args.getlist(name):
        for part in raw.split(","):
            if not part.strip():
                continue
            try:
                value = int(part)
            except ValueError:
                raise DomainError(f"{name}: atteso un intero", field=name, value=part) from None
            if not low <= value <= high:
                raise DomainError(f"{name} deve essere tra {low} e {high}", field=name)
            out.append(value)
    return out


def str_args(name: str) -> list[str]:
    """Non-empty strings of a repeatable or comma-separated query parameter."""
    return [p.strip() for raw in request.args.getlist(name) for p in raw.split(",") if p.strip()]


def network_filter() -> NetworkFilter:
    """The :class:`NetworkFilter` the request's query string describes."""
    sectors = str_args("sector")
    for s in sectors:
        if s not in SECTORS:
            raise DomainError(f"settore sconosciuto {s!r}", field="sector", value=s)
    return NetworkFilter.of(
        rounds=int_args("round", 1, 1000),
        years=int_args("year", 1900, 2100),
        measures=int_args("measure", 1, 5),
        themes=str_args("theme"),
        districts=str_args("district"),
        sectors=sectors,
        include_collaborations=request.args.get("collaborations", "1") != "0",
    )


def load_filtered_graphs() -> NetworkGraphs:
    """The graphs of the request's filter; an unknown district or theme is a 404."""
    try:
        return load_graphs(db_session(), network_filter())
    except DomainError as exc:
        if exc.field != "filter":
            raise
        raise NotFound(str(exc), field="filter") from None
