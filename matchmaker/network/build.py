"""Graphs of the collaboration network: organisations, ATS, districts, sectors, rounds.

Nodes of the organisation graph are keyed by tax code and carry ``tax_code``, ``name``,
``kind``, ``sector``, ``district`` (the first of the organisation's districts by code, or
``""``), ``districts`` (all, as a list), ``comune``, ``comune_name``, ``province``, ``lat``
and ``lon`` (seat comune centroid, ``None`` when unknown). Edges carry:

``weight``
    number of shared ATS plus the summed weights of declared collaborations;
``ats_count``, ``ats``
    number and codes of the shared ATS;
``rounds``, ``years``, ``measures``
    call rounds, years and measures of the shared ATS and the years of the collaborations;
``kinds``
    kinds of the declared collaborations;
``source``
    ``"ats"``, ``"collaboration"`` or ``"both"``.

Filters on round, measure, theme and status select ATS; filters on district and sector
select organisations (ties are kept only between selected organisations); a year filter
selects ATS of that year and collaborations active in it (open bounds count as active).
A round filter without a year filter keeps the collaborations active in a year of the
selected rounds' ATS (none if those ATS have no year), so that a round's graph is a
snapshot of that period.
"""

from __future__ import annotations

import dataclasses
from itertools import combinations

import networkx as nx
from sqlalchemy.orm import Session

from matchmaker.network.aggregate import district_graph, sector_mixing_matrix
from matchmaker.network.data import AtsRecord, CollaborationRecord, NetworkData, OrgRecord
from matchmaker.network.data import load_network_data as _load

__all__ = [
    "NetworkFilter",
    "bipartite_graph",
    "district_graph",
    "organisation_graph",
    "projected_graph",
    "round_snapshots",
    "sector_mixing_matrix",
]


@dataclasses.dataclass(frozen=True)
class NetworkFilter:
    """Which ATS, collaborations and organisations enter a graph (empty = all)."""

    rounds: frozenset[int] = frozenset()
    years: frozenset[int] = frozenset()
    measures: frozenset[int] = frozenset()
    themes: frozenset[str] = frozenset()
    districts: frozenset[str] = frozenset()
    sectors: frozenset[str] = frozenset()
    statuses: frozenset[str] = frozenset()
    include_ats: bool = True
    include_collaborations: bool = True
    include_isolates: bool = False

    @classmethod
    def of(cls, **values: object) -> NetworkFilter:
        """Build a filter from scalars or iterables, e.g. ``NetworkFilter.of(rounds=1)``."""
        fields = {}
        for name, value in values.items():
            if value is None:
                continue
            if name.startswith("include_"):
                fields[name] = bool(value)
            elif isinstance(value, str | int):
                fields[name] = frozenset([value])
            else:
                fields[name] = frozenset(value)  # type: ignore[arg-type]
        return cls(**fields)

    def keeps_org(self, org: OrgRecord) -> bool:
        """Whether the organisation passes the sector and district filters."""
        if self.sectors and org.sector not in self.sectors:
            return False
        return not self.districts or bool(self.districts.intersection(org.districts))

    def keeps_ats(self, ats: AtsRecord) -> bool:
        """Whether the ATS passes the round, year, measure, status and theme filters."""
        return (
            self.include_ats
            and (not self.rounds or ats.call_round in self.rounds)
            and (not self.years or ats.year in self.years)
            and (not self.measures or ats.measure in self.measures)
            and (not self.statuses or ats.status in self.statuses)
            and (not self.themes or bool(self.themes.intersection(ats.themes)))
        )

    def keeps_collaboration(self, tie: CollaborationRecord) -> bool:
        """Whether the declared tie is active in one of the filtered years (or any)."""
        if not self.include_collaborations:
            return False
        if not self.years:
            return True
        low = tie.year_from if tie.year_from is not None else -(10**9)
        high = tie.year_to if tie.year_to is not None else 10**9
        return any(low <= y <= high for y in self.years)


def _data(source: Session | NetworkData) -> NetworkData:
    return source if isinstance(source, NetworkData) else _load(source)


def _node_attrs(org: OrgRecord) -> dict[str, object]:
    return {
        "tax_code": org.tax_code,
        "name": org.name,
        "kind": org.kind,
        "sector": org.sector,
        "district": org.districts[0] if org.districts else "",
        "districts": list(org.districts),
        "comune": org.comune or "",
        "comune_name": org.comune_name or "",
        "province": org.province or "",
        "lat": org.lat,
        "lon": org.lon,
    }


def organisation_graph(
    source: Session | NetworkData, filters: NetworkFilter | None = None
) -> nx.Graph:
    """Build the weighted organisation graph from ATS co-membership and declared ties.

    Parameters
    ----------
    source : Session or NetworkData
        A database session, or records made by hand or read once with
        :func:`matchmaker.network.data.load_network_data`.
    filters : NetworkFilter, optional
        Which ATS, collaborations and organisations to include.

    Returns
    -------
    networkx.Graph
        Undirected; node and edge attributes as described in the module docstring. The
        graph attribute ``filters`` records the filter as a dict.

    Examples
    --------
    >>> from matchmaker.network.data import AtsRecord, NetworkData, OrgRecord
    >>> orgs = [OrgRecord(t, t, "ets", "third_sector") for t in ("A", "B", "C")]
    >>> ats = AtsRecord("X", "x", 1, 1, 2018, "finanziato", ("A", "B", "C"))
    >>> G = organisation_graph(NetworkData(orgs, [ats]))
    >>> sorted(G.edges(data="weight"))
    [('A', 'B', 1.0), ('A', 'C', 1.0), ('B', 'C', 1.0)]
    """
    data = _data(source)
    flt = filters or NetworkFilter()
    collab_filter = flt
    if flt.rounds and not flt.years and flt.include_collaborations:
        period = {a.year for a in data.partnerships if a.call_round in flt.rounds and a.year}
        collab_filter = dataclasses.replace(
            flt, years=frozenset(period), include_collaborations=bool(period)
        )
    kept = {o.tax_code: o for o in data.organisations if flt.keeps_org(o)}
    G = nx.Graph(filters=_filter_dict(flt))
    if flt.include_isolates:
        for org in kept.values():
            G.add_node(org.tax_code, **_node_attrs(org))
    ties: dict[tuple[str, str], dict[str, object]] = {}

    def tie(u: str, v: str) -> dict[str, object]:
        key = (u, v) if u < v else (v, u)
        if key not in ties:
            ties[key] = {
                "ats_weight": 0.0,
                "collaboration_weight": 0.0,
                "ats": set(),
                "rounds": set(),
                "years": set(),
                "measures": set(),
                "kinds": set(),
            }
        return ties[key]

    for ats in data.partnerships:
        if not flt.keeps_ats(ats):
            continue
        members = sorted({m for m in ats.members if m in kept})
        for m in members:
            if m not in G:
                G.add_node(m, **_node_attrs(kept[m]))
        for u, v in combinations(members, 2):
            t = tie(u, v)
            t["ats_weight"] += 1.0
            t["ats"].add(ats.code)
            t["rounds"].add(ats.call_round)
            t["measures"].add(ats.measure)
            if ats.year is not None:
                t["years"].add(ats.year)
    for c in data.collaborations:
        if c.source == c.target or c.source not in kept or c.target not in kept:
            continue
        if not collab_filter.keeps_collaboration(c):
            continue
        for m in (c.source, c.target):
            if m not in G:
                G.add_node(m, **_node_attrs(kept[m]))
        t = tie(c.source, c.target)
        t["collaboration_weight"] += float(c.weight)
        t["kinds"].add(c.kind)
        for y in (c.year_from, c.year_to):
            if y is not None:
                t["years"].add(y)
    for (u, v), t in sorted(ties.items()):
        in_ats, in_collab = t["ats_weight"] > 0, t["collaboration_weight"] > 0
        G.add_edge(
            u,
            v,
            weight=t["ats_weight"] + t["collaboration_weight"],
            ats_count=int(t["ats_weight"]),
            ats_weight=t["ats_weight"],
            collaboration_weight=t["collaboration_weight"],
            ats=sorted(t["ats"]),
            rounds=sorted(t["rounds"]),
            years=sorted(t["years"]),
            measures=sorted(t["measures"]),
            kinds=sorted(t["kinds"]),
            source="both" if in_ats and in_collab else ("ats" if in_ats else "collaboration"),
        )
    return G


def bipartite_graph(
    source: Session | NetworkData, filters: NetworkFilter | None = None
) -> nx.Graph:
    """Build the two-mode graph of organisations and the ATS they belong to.

    Organisation nodes are keyed by tax code with ``bipartite=0`` and the attributes of
    :func:`organisation_graph`; ATS nodes are keyed ``"ats:<code>"`` with ``bipartite=1``,
    ``code``, ``title``, ``measure``, ``call_round``, ``year``, ``status``, ``themes``,
    ``districts`` and ``capofila``. Edges carry ``role`` (``capofila`` or ``mandante``).
    Collaborations are not part of this graph.

    Reference: Breiger, R. L. (1974). The duality of persons and groups. *Social Forces*,
    53(2), 181-190.
    """
    data = _data(source)
    flt = filters or NetworkFilter()
    kept = {o.tax_code: o for o in data.organisations if flt.keeps_org(o)}
    B = nx.Graph(filters=_filter_dict(flt))
    for ats in data.partnerships:
        if not flt.keeps_ats(ats):
            continue
        members = sorted({m for m in ats.members if m in kept})
        if not members:
            continue
        node = f"ats:{ats.code}"
        B.add_node(
            node,
            bipartite=1,
            code=ats.code,
            title=ats.title,
            measure=ats.measure,
            call_round=ats.call_round,
            year=ats.year,
            status=ats.status,
            themes=list(ats.themes),
            districts=list(ats.districts),
            capofila=ats.capofila or "",
        )
        for m in members:
            if m not in B:
                B.add_node(m, bipartite=0, **_node_attrs(kept[m]))
            B.add_edge(m, node, role="capofila" if m == ats.capofila else "mandante")
    return B


def projected_graph(B: nx.Graph, method: str = "count") -> nx.Graph:
    """Project the organisation-ATS graph onto organisations.

    Parameters
    ----------
    B : networkx.Graph
        A graph from :func:`bipartite_graph`.
    method : {"count", "newman"}
        ``count``: weight = number of shared ATS; ``newman``: each ATS with ``k`` members
        adds ``1 / (k - 1)`` to each pair (Newman, M. E. J. (2001). Scientific collaboration
        networks. II. *Physical Review E*, 64, 016132).
    """
    orgs = [n for n, b in B.nodes(data="bipartite") if b == 0]
    if method == "count":
        return nx.bipartite.weighted_projected_graph(B, orgs)
    if method == "newman":
        return nx.bipartite.collaboration_weighted_projected_graph(B, orgs)
    raise ValueError(f"metodo di proiezione sconosciuto: {method!r} (count o newman)")


def round_snapshots(
    source: Session | NetworkData, filters: NetworkFilter | None = None
) -> dict[int, nx.Graph]:
    """One organisation graph per call round, for comparisons over time.

    Each snapshot is :func:`organisation_graph` filtered on one round: the ATS of that
    round and the declared collaborations active in any year of its ATS. Other filters
    apply as given; a ``rounds`` filter restricts which rounds are returned.
    """
    data = _data(source)
    flt = filters or NetworkFilter()
    out = {}
    for r in sorted({a.call_round for a in data.partnerships}):
        if flt.rounds and r not in flt.rounds:
            continue
        G = organisation_graph(data, dataclasses.replace(flt, rounds=frozenset([r])))
        G.graph["call_round"] = r
        out[r] = G
    return out


def _filter_dict(flt: NetworkFilter) -> dict[str, object]:
    out: dict[str, object] = {}
    for f in dataclasses.fields(flt):
        value = getattr(flt, f.name)
        out[f.name] = sorted(value, key=str) if isinstance(value, frozenset) else value
    return out
