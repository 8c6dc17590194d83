"""What the command line and the web application ask of the network package.

Loading the graphs for a filter, the pseudonym key, and the pseudonymised copy of a graph
live here once, so that ``matchmaker network`` and the API behave the same.
"""

from __future__ import annotations

import dataclasses
import secrets
from collections.abc import Mapping
from pathlib import Path

import networkx as nx
from sqlalchemy.orm import Session

from matchmaker.domain import DomainError
from matchmaker.network import metrics
from matchmaker.network.build import (
    NetworkFilter,
    bipartite_graph,
    organisation_graph,
    round_snapshots,
)
from matchmaker.network.data import NetworkData
from matchmaker.network.export import pseudonymise
from matchmaker.storage.snapshot_cache import snapshot_cache

__all__ = ["MIN_KEY_BYTES", "NetworkGraphs", "load_graphs", "pseudonym_key", "pseudonymised"]

MIN_KEY_BYTES = 16


@dataclasses.dataclass(frozen=True)
class NetworkGraphs:
    """The organisation graph of a filter, its organisation-ATS graph and round snapshots."""

    graph: nx.Graph
    bipartite: nx.Graph
    snapshots: dict[int, nx.Graph]
    district_names: dict[str, str]


def load_graphs(session: Session, flt: NetworkFilter | None = None) -> NetworkGraphs:
    """Build the graphs for ``flt`` from the database's snapshot.

    The records come from the engine's :class:`~matchmaker.storage.snapshot_cache.SnapshotCache`:
    read again only when the data changed, and straight through ``session`` when it has
    uncommitted writes of its own. Every filter applies to those records.

    Raises
    ------
    DomainError
        When no organisation is left after filtering.
    """
    flt = flt or NetworkFilter()
    data = snapshot_cache(session).view(session, NetworkData.from_snapshot)
    G = organisation_graph(data, flt)
    if G.number_of_nodes() == 0:
        raise DomainError("nessun ente nella rete con i filtri indicati", field="filter")
    names = {d.code: d.name for d in data.districts}
    return NetworkGraphs(G, bipartite_graph(data, flt), round_snapshots(data, flt), names)


def pseudonym_key(
    instance_path: Path, *, key_file: Path | None = None, configured: str | None = None
) -> tuple[bytes, Path | None]:
    """The key of the pseudonyms, and the file created for it (None when it existed).

    Order: ``key_file``, then the configured key (``MATCHMAKER_PSEUDONYM_KEY``), then
    ``instance_path/pseudonym_key``, created (random, mode 0600) on first use. The same key
    gives the same pseudonyms across exports; keep it secret.
    """
    created = None
    if key_file is not None:
        key = Path(key_file).read_bytes().strip()
    elif configured:
        key = configured.encode("utf-8")
    else:
        path = Path(instance_path) / "pseudonym_key"
        if not path.exists():
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(secrets.token_hex(32), encoding="utf-8")
            path.chmod(0o600)
            created = path
        key = path.read_bytes().strip()
    if len(key) < MIN_KEY_BYTES:
        raise DomainError(
            f"chiave di pseudonimizzazione troppo corta (minimo {MIN_KEY_BYTES} byte)",
            field="pseudonym_key",
        )
    return key, created


def pseudonymised(G: nx.Graph, key: bytes, extra: Mapping[str, dict] | None = None) -> nx.Graph:
    """``G`` with stable pseudonyms and no identifying attribute, plus degree and strength."""
    measures = {"degree": metrics.degree(G), "strength": metrics.strength(G), **(extra or {})}
    return pseudonymise(G, key, measures)
