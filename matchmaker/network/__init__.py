"""Collaboration-network analysis of WeCaRe organisations and ATS.

Modules with one job each: :mod:`~matchmaker.network.data` (plain records, read from the
database once), :mod:`~matchmaker.network.build` (graphs), :mod:`~matchmaker.network.metrics`
(centrality, cohesion), :mod:`~matchmaker.network.communities`,
:mod:`~matchmaker.network.subsidiarity`, :mod:`~matchmaker.network.brokerage`,
:mod:`~matchmaker.network.change`, :mod:`~matchmaker.network.report` (everything at once),
:mod:`~matchmaker.network.render` (interactive HTML, pyvis), :mod:`~matchmaker.network.static`
(matplotlib), :mod:`~matchmaker.network.export` and :mod:`~matchmaker.network.cli`.
"""

from __future__ import annotations

from matchmaker.network.build import (
    NetworkFilter,
    bipartite_graph,
    district_graph,
    organisation_graph,
    projected_graph,
    round_snapshots,
    sector_mixing_matrix,
)
from matchmaker.network.data import NetworkData, load_network_data
from matchmaker.network.export import export_graph, pseudonymise
from matchmaker.network.report import network_report

__all__ = [
    "NetworkData",
    "NetworkFilter",
    "bipartite_graph",
    "district_graph",
    "export_graph",
    "load_network_data",
    "network_report",
    "organisation_graph",
    "projected_graph",
    "pseudonymise",
    "round_snapshots",
    "sector_mixing_matrix",
]
