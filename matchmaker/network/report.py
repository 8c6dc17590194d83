"""The full metrics report of a network: every measure of the package in one structure.

The report is plain data (dicts, lists, numbers, strings) ready for ``json.dumps``; the
CLI prints it, the web app shows it, notebooks read it.
"""

from __future__ import annotations

import time
from collections.abc import Callable

import networkx as nx

from matchmaker.network import brokerage, change, communities, metrics, subsidiarity
from matchmaker.network.aggregate import sector_mixing_matrix

__all__ = ["network_report"]


def network_report(
    G: nx.Graph,
    *,
    B: nx.Graph | None = None,
    snapshots: dict[int, nx.Graph] | None = None,
    seed: int = 42,
    exact_betweenness_limit: int = metrics.EXACT_BETWEENNESS_LIMIT,
    betweenness_samples: int = metrics.DEFAULT_BETWEENNESS_SAMPLES,
) -> dict[str, object]:
    """Compute every measure on the organisation graph ``G``.

    Parameters
    ----------
    G : networkx.Graph
        Organisation graph (:func:`matchmaker.network.build.organisation_graph`).
    B : networkx.Graph, optional
        Organisation-ATS graph, for the share of three-sector ATS.
    snapshots : dict, optional
        Round -> graph (:func:`matchmaker.network.build.round_snapshots`), for change
        between rounds.
    seed : int
        Seed of Louvain and of sampled betweenness.

    Returns
    -------
    dict
        ``summary`` (network-level figures), ``nodes`` (node -> per-node measures),
        ``communities`` (lists of nodes), ``bridges``, ``articulation_points``,
        ``subsidiarity``, ``e_i``, ``assortativity``, ``brokerage``, ``mixing``,
        ``change`` (when snapshots are given) and ``timings`` (seconds per section).
    """
    timings: dict[str, float] = {}

    def timed(name: str, fn: Callable[[], object]) -> object:
        start = time.perf_counter()
        value = fn()
        timings[name] = time.perf_counter() - start
        return value

    deg = timed("degree", lambda: metrics.degree(G))
    stren = timed("strength", lambda: metrics.strength(G))
    btw = timed(
        "betweenness",
        lambda: metrics.betweenness(
            G, exact_limit=exact_betweenness_limit, samples=betweenness_samples, seed=seed
        ),
    )
    eig = timed("eigenvector", lambda: metrics.eigenvector(G))
    pr = timed("pagerank", lambda: metrics.pagerank(G))
    clu = timed("clustering", lambda: metrics.clustering(G))
    core = timed("k_core", lambda: metrics.core_number(G))
    brid = timed("bridges", lambda: metrics.bridges(G))
    arts = timed("articulation_points", lambda: metrics.articulation_points(G))
    comps = timed("components", lambda: metrics.components(G))
    comms = timed("louvain", lambda: communities.louvain(G, seed=seed))
    modq = timed("modularity", lambda: communities.modularity(G, comms))
    agree = timed("district_agreement", lambda: communities.district_agreement(G, comms))
    tri = timed("sector_triangles", lambda: subsidiarity.sector_triangles(G))
    ats = timed("ats_sector_coverage", lambda: subsidiarity.ats_sector_coverage(B)) if B else None
    ei = timed(
        "e_i_index",
        lambda: {a: subsidiarity.e_i_index(G, a) for a in ("sector", "district")},
    )
    assort = timed("assortativity", lambda: subsidiarity.assortativity(G))
    gf_sector = timed("brokerage_sector", lambda: brokerage.gould_fernandez(G, "sector"))
    gf_district = timed("brokerage_district", lambda: brokerage.gould_fernandez(G, "district"))
    holes = timed("structural_holes", lambda: brokerage.structural_holes(G))
    mixing = timed("mixing", lambda: sector_mixing_matrix(G))
    changes = timed("change", lambda: change.compare_rounds(snapshots)) if snapshots else None

    membership = communities.community_membership(comms)
    arts_set = set(arts)
    nodes = {
        v: {
            "degree": deg[v],
            "strength": stren[v],
            "betweenness": btw["values"][v],
            "eigenvector": eig[v],
            "pagerank": pr[v],
            "clustering": clu["local"][v],
            "k_core": core[v],
            "component": comps["membership"][v],
            "community": membership[v],
            "articulation_point": v in arts_set,
            "constraint": holes["constraint"][v],
            "effective_size": holes["effective_size"][v],
            "brokerage_sector": gf_sector[v],
            "brokerage_district": gf_district[v],
        }
        for v in G
    }
    n, m = G.number_of_nodes(), G.number_of_edges()
    summary = {
        "nodes": n,
        "edges": m,
        "density": nx.density(G) if n > 1 else 0.0,
        "average_degree": 2 * m / n if n else 0.0,
        "components": comps["count"],
        "giant_component_share": comps["giant_share"],
        "average_clustering": clu["average"],
        "transitivity": clu["transitivity"],
        "max_k_core": max(core.values(), default=0),
        "bridges": len(brid),
        "articulation_points": len(arts),
        "betweenness_exact": btw["exact"],
        "betweenness_samples": btw["samples"],
        "betweenness_error_bound": btw["error_bound"],
        "communities": len(comms),
        "modularity": modq,
        "nmi_districts": agree["nmi"],
        "ari_districts": agree["ari"],
        "three_sector_triangle_share": tri["overall"]["share"],
        "three_sector_ats_share": ats["overall"]["share"] if ats else None,
        "e_i_sector": ei["sector"]["overall"],
        "e_i_district": ei["district"]["overall"],
        "assortativity_sector": assort["sector"],
        "assortativity_district": assort["district"],
        "assortativity_degree": assort["degree"],
    }
    return {
        "summary": summary,
        "nodes": nodes,
        "communities": [sorted(c, key=str) for c in comms],
        "bridges": [list(e) for e in brid],
        "articulation_points": arts,
        "community_district_agreement": agree,
        "subsidiarity": {"triangles": tri, "ats": ats},
        "e_i": ei,
        "assortativity": assort,
        "brokerage": {
            "by_sector": brokerage.brokerage_by_group(G, "sector", gf_sector),
            "by_district": brokerage.brokerage_by_group(G, "district", gf_district),
        },
        "mixing": mixing,
        "change": changes,
        "timings": timings,
    }
