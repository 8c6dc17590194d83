"""Brokerage: Gould-Fernandez roles and Burt's structural holes.

Gould and Fernandez define brokerage on *directed* two-paths ``a -> b -> c`` where
``a`` and ``c`` are not tied (``a -> c`` absent) and ``b`` is the broker; the role depends
on the groups of the three nodes:

================  =========================  ====================
role              groups (a, b, c)           reading
================  =========================  ====================
coordinator       A A A                      broker inside its own group
itinerant         A B A                      outsider mediating inside a group
representative    A A B                      speaks for its group to another
gatekeeper        A B B                      controls access to its group
liaison           A B C                      joins two groups, belongs to neither
================  =========================  ====================

Our ties (co-membership in an ATS, declared collaborations) are undirected. We follow the
common practice for symmetric data of treating each tie as a reciprocated pair of arcs:
each open pair ``{a, c}`` of ``b``'s partners then yields the two two-paths ``a->b->c`` and
``c->b->a``. Consequences: coordinator, itinerant and liaison counts are twice the number
of open pairs of that kind, and representative and gatekeeper counts are always equal
(each pair where ``b`` shares its group with exactly one end gives one of each). Directed
graphs (``nx.DiGraph``) are counted on their arcs as in the original definition.

Reference: Gould, R. V., & Fernandez, R. M. (1989). Structures of mediation: a formal
approach to brokerage in transaction networks. *Sociological Methodology*, 19, 89-126.
"""

from __future__ import annotations

from collections import defaultdict

import networkx as nx
import numpy as np
from scipy import sparse

__all__ = ["ROLES", "brokerage_by_group", "gould_fernandez", "structural_holes"]

ROLES = ("coordinator", "itinerant", "representative", "gatekeeper", "liaison")


def gould_fernandez(G: nx.Graph, attribute: str) -> dict[object, dict[str, int]]:
    """Count the Gould-Fernandez brokerage roles of every node.

    Parameters
    ----------
    G : networkx.Graph or networkx.DiGraph
        Undirected ties are read as reciprocated arcs (see the module docstring).
    attribute : str
        Node attribute that defines the groups (``"sector"``, ``"district"``).

    Returns
    -------
    dict
        node -> ``{"coordinator": n, "itinerant": n, "representative": n, "gatekeeper":
        n, "liaison": n, "total": n}``.

    Examples
    --------
    >>> G = nx.path_graph(3)
    >>> nx.set_node_attributes(G, {0: "x", 1: "y", 2: "x"}, "g")
    >>> gould_fernandez(G, "g")[1]["itinerant"]
    2
    """
    directed = G.is_directed()
    out: dict[object, dict[str, int]] = {}
    group = {v: G.nodes[v].get(attribute) for v in G}
    succ = {v: set(G.successors(v)) if directed else set(G[v]) for v in G}
    for v in succ:
        succ[v].discard(v)
    pred = {v: set(G.predecessors(v)) - {v} for v in G} if directed else succ
    for b in G:
        counts = dict.fromkeys(ROLES, 0)
        gb = group[b]
        for a in pred[b]:
            ga = group[a]
            reach = succ[a]
            for c in succ[b]:
                if c == a or c in reach:
                    continue
                gc = group[c]
                if ga == gb == gc:
                    counts["coordinator"] += 1
                elif ga == gc:
                    counts["itinerant"] += 1
                elif ga == gb:
                    counts["representative"] += 1
                elif gb == gc:
                    counts["gatekeeper"] += 1
                else:
                    counts["liaison"] += 1
        counts["total"] = sum(counts[r] for r in ROLES)
        out[b] = counts
    return out


def brokerage_by_group(
    G: nx.Graph, attribute: str, roles: dict[object, dict[str, int]] | None = None
) -> dict[str, dict[str, int]]:
    """Sum the Gould-Fernandez role counts of the brokers in each group.

    ``roles`` may be passed to reuse a :func:`gould_fernandez` result computed with the
    same ``attribute``. Returns group -> role -> count (plus ``total`` and ``brokers``,
    the number of nodes with at least one brokerage two-path).
    """
    roles = roles if roles is not None else gould_fernandez(G, attribute)
    out: dict[str, dict[str, int]] = defaultdict(lambda: {**dict.fromkeys(ROLES, 0), "total": 0})
    brokers: dict[str, int] = defaultdict(int)
    for v, counts in roles.items():
        g = str(G.nodes[v].get(attribute) or "")
        for r in (*ROLES, "total"):
            out[g][r] += counts[r]
        brokers[g] += counts["total"] > 0
    return {g: {**out[g], "brokers": brokers[g]} for g in sorted(out)}


def structural_holes(G: nx.Graph, weight: str | None = "weight") -> dict[str, dict]:
    """Burt's constraint and effective size of every node.

    With mutual weights ``w_ij`` (``a_ij + a_ji``), ``p_ij = w_ij / sum_k w_ik`` (share of
    ``i``'s tie weight invested in ``j``) and ``m_jq = w_jq / max_k w_jk``:

    * constraint ``c_i = sum_{j in N(i)} (p_ij + sum_q p_iq p_qj)^2`` is high when ``i``'s
      partners are tied to each other (a closed, constraining ego network);
    * effective size ``e_i = sum_{j in N(i)} (1 - sum_q p_iq m_jq)`` is the number of
      partners minus their redundancy (for unweighted ties ``d_i - 2 t_i / d_i``, with
      ``t_i`` ties among the partners; Borgatti 1997).

    Computed with sparse matrices (``P @ P`` restricted to ties, and ``P * (A @ M)``):
    the same values as ``nx.constraint`` and ``nx.effective_size`` (and igraph's
    ``constraint``), which the tests check, without networkx's dense ``n x n`` matrix that
    makes its weighted effective size impossible beyond a few thousand nodes. Isolated
    nodes get ``None`` (undefined), as networkx's NaN.

    Reference: Burt, R. S. (1992). *Structural Holes: The Social Structure of
    Competition*. Harvard University Press; Borgatti, S. P. (1997). Structural holes:
    unpacking Burt's redundancy measures. *Connections*, 20(1), 35-38.

    Returns ``{"constraint": {...}, "effective_size": {...}}``.
    """
    nodes = list(G)
    if not nodes:
        return {"constraint": {}, "effective_size": {}}
    W = nx.to_scipy_sparse_array(G, nodelist=nodes, weight=weight, dtype=np.float64, format="csr")
    if G.is_directed():
        W = (W + W.T).tocsr()
    W.setdiag(0)
    W.eliminate_zeros()
    strength = np.asarray(W.sum(axis=1)).ravel()
    top = W.max(axis=1).toarray().ravel()
    with np.errstate(divide="ignore"):
        P = sparse.diags(np.where(strength > 0, 1 / strength, 0.0)) @ W
        M = sparse.diags(np.where(top > 0, 1 / top, 0.0)) @ W
    A = W.copy()
    A.data[:] = 1.0
    direct_indirect = P + (P @ P).multiply(A)
    constraint = np.asarray(direct_indirect.multiply(direct_indirect).sum(axis=1)).ravel()
    redundancy = np.asarray(P.multiply(A @ M).sum(axis=1)).ravel()
    degree = np.asarray(A.sum(axis=1)).ravel()
    isolated = degree == 0
    return {
        "constraint": {
            v: None if isolated[i] else float(constraint[i]) for i, v in enumerate(nodes)
        },
        "effective_size": {
            v: None if isolated[i] else float(degree[i] - redundancy[i])
            for i, v in enumerate(nodes)
        },
    }
