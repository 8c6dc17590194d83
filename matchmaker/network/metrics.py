"""Centrality, cohesion and connectivity measures: pure functions on networkx graphs.

Every function takes the graph first and returns plain structures (dicts keyed by node,
numbers, lists). Weighted variants read the edge attribute ``weight``.
"""

from __future__ import annotations

import math
import random

import networkx as nx

from matchmaker.network._brandes import dependency_sums

__all__ = [
    "EXACT_BETWEENNESS_LIMIT",
    "articulation_points",
    "betweenness",
    "betweenness_error_bound",
    "bridges",
    "clustering",
    "components",
    "core_number",
    "degree",
    "eigenvector",
    "pagerank",
    "strength",
]

#: graphs with at most this many nodes get exact betweenness; larger ones are sampled
EXACT_BETWEENNESS_LIMIT = 5000
#: default number of source nodes sampled above the limit
DEFAULT_BETWEENNESS_SAMPLES = 300


def degree(G: nx.Graph) -> dict[object, int]:
    """Degree: the number of distinct partners of each organisation.

    Reference: Wasserman, S., & Faust, K. (1994). *Social Network Analysis*, §5.2.1.
    """
    return dict(G.degree())


def strength(G: nx.Graph, weight: str = "weight") -> dict[object, float]:
    """Strength: the sum of the weights of a node's ties (weighted degree).

    Reference: Barrat, A., Barthélemy, M., Pastor-Satorras, R., & Vespignani, A. (2004).
    The architecture of complex weighted networks. *PNAS*, 101(11), 3747-3752.
    """
    return {n: float(s) for n, s in G.degree(weight=weight)}


def betweenness_error_bound(n: int, k: int, delta: float = 0.05) -> float:
    """Additive error bound of source-sampled betweenness, for all nodes at once.

    Normalised betweenness is a mean over sources: ``b(v) = mean_{s != v} delta_s(v) /
    (n-2)``, each term in ``[0, 1]``. The estimate averages the same terms over the ``k``
    sampled sources (``k - 1`` when ``v`` is one of them), drawn uniformly without
    replacement. Hoeffding's inequality (which holds for sampling without replacement) and
    a union bound over the ``n`` nodes give, with probability at least ``1 - delta``, for
    every node::

        |b_hat(v) - b(v)| <= sqrt(ln(2n/delta) / (2(k-1)))

    The bound is worst-case and loose for the small values typical of real networks; it
    is 0 when ``k >= n`` (exact computation).

    References
    ----------
    Brandes, U., & Pich, C. (2007). Centrality estimation in large networks. *Int. J.
    Bifurcation and Chaos*, 17(7), 2303-2318. Hoeffding, W. (1963). Probability
    inequalities for sums of bounded random variables. *JASA*, 58(301), 13-30.
    """
    if k >= n or n < 3:
        return 0.0
    return math.sqrt(math.log(2 * n / delta) / (2 * max(k - 1, 1)))


def betweenness(
    G: nx.Graph,
    *,
    weight: str | None = None,
    exact_limit: int = EXACT_BETWEENNESS_LIMIT,
    samples: int = DEFAULT_BETWEENNESS_SAMPLES,
    seed: int = 42,
) -> dict[str, object]:
    """Normalised shortest-path betweenness, exact or sampled.

    ``b(v) = sum_{s != v != t} sigma_st(v) / sigma_st`` divided by ``(n-1)(n-2)/2``: the
    share of shortest paths between other pairs that pass through ``v``. Computed with
    Brandes' algorithm, exactly when ``G`` has at most ``exact_limit`` nodes, otherwise
    from ``samples`` source nodes drawn with ``seed`` (Brandes & Pich 2007) as networkx
    does (``random.Random(seed).sample(list(G), samples)``; same values as
    ``nx.betweenness_centrality(G, k=samples, seed=seed)``), with the error bound of
    :func:`betweenness_error_bound` at ``delta = 0.05``. Unweighted undirected graphs use
    a sparse-matrix form of Brandes' algorithm (:mod:`matchmaker.network._brandes`);
    weighted or directed ones use networkx.

    Parameters
    ----------
    weight : str, optional
        Edge attribute read as a *distance*; ``None`` (default) counts hops, which is the
        usual choice for co-membership ties whose weight is a strength, not a length.

    Returns
    -------
    dict
        ``values`` (node -> betweenness), ``exact`` (bool), ``samples`` (sources used),
        ``error_bound`` (additive bound holding for all nodes with probability 0.95).

    References
    ----------
    Freeman, L. C. (1977). A set of measures of centrality based on betweenness.
    *Sociometry*, 40(1), 35-41. Brandes, U. (2001). A faster algorithm for betweenness
    centrality. *J. Math. Sociology*, 25(2), 163-177.
    """
    n = G.number_of_nodes()
    exact = n <= exact_limit or samples >= n
    k = n if exact else max(2, samples)
    if weight is not None or G.is_directed():
        values = nx.betweenness_centrality(
            G, k=None if exact else k, normalized=True, weight=weight, seed=seed
        )
    elif exact:
        sums = dependency_sums(G, list(G))
        scale = 1 / ((n - 1) * (n - 2)) if n > 2 else 0.0
        values = {v: x * scale for v, x in sums.items()}
    else:
        sources = random.Random(seed).sample(list(G), k)  # noqa: S311 - sampling, not crypto
        sums = dependency_sums(G, sources)
        chosen = set(sources)
        values = {v: x / ((k - 1 if v in chosen else k) * (n - 2)) for v, x in sums.items()}
    return {
        "values": values,
        "exact": exact,
        "samples": k,
        "error_bound": betweenness_error_bound(n, k),
    }


def eigenvector(G: nx.Graph, weight: str | None = "weight") -> dict[object, float]:
    """Eigenvector centrality: the leading eigenvector of the (weighted) adjacency matrix.

    A node is central when its partners are central (Bonacich, P. (1972). Factoring and
    weighting approaches to status scores and clique identification. *J. Math.
    Sociology*, 2(1), 113-120). Non-negative, unit Euclidean length. On a disconnected
    graph the leading eigenvector of the whole matrix lives on the component with the
    largest leading eigenvalue (in practice the giant component; ties broken by size, then
    by smallest node): that component gets its Perron vector, every other node 0. Graphs
    without ties give 0 everywhere.
    """
    out = dict.fromkeys(G, 0.0)
    comps = sorted(
        (c for c in nx.connected_components(G) if len(c) > 1),
        key=lambda c: (-len(c), min(map(str, c))),
    )
    best: tuple[float, dict] | None = None
    for comp in comps:
        H = G.subgraph(comp)
        if best is not None and max(d for _, d in H.degree(weight=weight)) <= best[0]:
            continue  # the leading eigenvalue is at most the largest (weighted) degree
        A = nx.to_scipy_sparse_array(H, weight=weight, dtype=float)
        values, vectors = _leading(A)
        if best is None or values > best[0] + 1e-12:
            vec = abs(vectors)
            best = (values, dict(zip(H, (float(x) for x in vec / (vec @ vec) ** 0.5), strict=True)))
    if best is not None:
        out.update(best[1])
    return out


def _leading(A) -> tuple[float, object]:
    import numpy as np
    from scipy.sparse.linalg import eigsh

    n = A.shape[0]
    if n <= 3:
        vals, vecs = np.linalg.eigh(A.toarray())
        return float(vals[-1]), vecs[:, -1]
    vals, vecs = eigsh(A, k=1, which="LA", tol=1e-12, v0=np.ones(n))
    return float(vals[0]), vecs[:, 0]


def pagerank(G: nx.Graph, alpha: float = 0.85, weight: str | None = "weight") -> dict:
    """PageRank with damping ``alpha`` on the weighted graph (sums to 1).

    The stationary distribution of a random walk that follows a tie with probability
    proportional to its weight and, with probability ``1 - alpha``, jumps to a node drawn
    uniformly (isolated nodes jump uniformly too). Power iteration to an L1 change below
    ``n x 1e-12``.

    Reference: Brin, S., & Page, L. (1998). The anatomy of a large-scale hypertextual Web
    search engine. *Computer Networks and ISDN Systems*, 30(1-7), 107-117.
    """
    if G.number_of_nodes() == 0:
        return {}
    return nx.pagerank(G, alpha=alpha, weight=weight, tol=1e-12, max_iter=1000)


def clustering(G: nx.Graph) -> dict[str, object]:
    """Local clustering, its average and the global transitivity (unweighted).

    Local clustering ``C(v)`` is the share of pairs of ``v``'s partners that are tied
    themselves (0 for degree < 2); transitivity is ``3 x triangles / connected triples``.
    Reference: Watts, D. J., & Strogatz, S. H. (1998). Collective dynamics of
    'small-world' networks. *Nature*, 393, 440-442.

    Returns ``{"local": {...}, "average": float, "transitivity": float}``.
    """
    local = nx.clustering(G)
    avg = sum(local.values()) / len(local) if local else 0.0
    return {"local": local, "average": avg, "transitivity": nx.transitivity(G)}


def core_number(G: nx.Graph) -> dict[object, int]:
    """k-core number: the largest ``k`` such that the node is in a subgraph of minimum
    degree ``k``.

    Reference: Seidman, S. B. (1983). Network structure and minimum degree. *Social
    Networks*, 5(3), 269-287; Batagelj, V., & Zaversnik, M. (2003), O(m) algorithm.
    """
    if nx.number_of_selfloops(G):
        G = G.copy()
        G.remove_edges_from(nx.selfloop_edges(G))
    return nx.core_number(G)


def bridges(G: nx.Graph) -> list[tuple[object, object]]:
    """Ties whose removal disconnects their component (sorted pairs).

    Reference: Tarjan, R. E. (1974). A note on finding the bridges of a graph.
    *Information Processing Letters*, 2(6), 160-161.
    """
    return sorted(tuple(sorted(e, key=str)) for e in nx.bridges(G))


def articulation_points(G: nx.Graph) -> list[object]:
    """Organisations whose removal disconnects their component (cut vertices).

    Reference: Hopcroft, J., & Tarjan, R. (1973). Efficient algorithms for graph
    manipulation. *Communications of the ACM*, 16(6), 372-378.
    """
    return sorted(nx.articulation_points(G), key=str)


def components(G: nx.Graph) -> dict[str, object]:
    """Connected components: count, sizes (largest first), share of the largest, and the
    component index of every node (0 = largest).

    Reference: Wasserman & Faust (1994), §4.2.
    """
    comps = sorted(nx.connected_components(G), key=lambda c: (-len(c), min(map(str, c))))
    n = G.number_of_nodes()
    return {
        "count": len(comps),
        "sizes": [len(c) for c in comps],
        "giant_share": len(comps[0]) / n if comps else 0.0,
        "membership": {v: i for i, c in enumerate(comps) for v in c},
    }
