"""Change between call rounds: who came, who left, which ties held.

Answers the question of the WeCaRe strategy about newcomers versus "the same partnerships
over and over" by comparing the node and edge sets of two snapshots (see
:func:`matchmaker.network.build.round_snapshots`).
"""

from __future__ import annotations

import itertools

import networkx as nx

__all__ = ["compare_graphs", "compare_rounds", "jaccard"]


def jaccard(a: set, b: set) -> float | None:
    """Jaccard similarity ``|A ∩ B| / |A ∪ B|`` (``None`` when both sets are empty).

    Reference: Jaccard, P. (1912). The distribution of the flora in the alpine zone.
    *New Phytologist*, 11(2), 37-50.
    """
    union = a | b
    return len(a & b) / len(union) if union else None


def compare_graphs(before: nx.Graph, after: nx.Graph) -> dict[str, object]:
    """Compare two snapshots of the network.

    Returns
    -------
    dict
        ``newcomers`` (nodes only in ``after``), ``left`` (only in ``before``), ``stayed``
        (both); ``ties_kept``, ``ties_new``, ``ties_dropped`` (undirected pairs as sorted
        2-lists); their counts in ``counts``; ``node_jaccard`` and ``edge_jaccard``; and
        ``new_ties_among_stayers``: new ties whose two ends were both present before (a
        re-arrangement of incumbents, as opposed to ties brought by newcomers).

    Reference: the edge-set Jaccard index as a measure of tie stability follows
    Snijders, T. A. B., van de Bunt, G. G., & Steglich, C. E. G. (2010). Introduction to
    stochastic actor-based models for network dynamics. *Social Networks*, 32(1), 44-60.
    """
    nb, na = set(before), set(after)
    eb, ea = _edges(before), _edges(after)
    kept, new, dropped = eb & ea, ea - eb, eb - ea
    among = {e for e in new if all(v in nb for v in e)}
    out: dict[str, object] = {
        "newcomers": sorted(na - nb, key=str),
        "left": sorted(nb - na, key=str),
        "stayed": sorted(na & nb, key=str),
        "ties_kept": _pairs(kept),
        "ties_new": _pairs(new),
        "ties_dropped": _pairs(dropped),
        "new_ties_among_stayers": _pairs(among),
        "node_jaccard": jaccard(nb, na),
        "edge_jaccard": jaccard(eb, ea),
    }
    out["counts"] = {
        key: len(out[key])  # type: ignore[arg-type]
        for key in (
            "newcomers",
            "left",
            "stayed",
            "ties_kept",
            "ties_new",
            "ties_dropped",
            "new_ties_among_stayers",
        )
    }
    return out


def compare_rounds(snapshots: dict[int, nx.Graph]) -> list[dict[str, object]]:
    """Compare each round with the previous one (rounds in increasing order).

    Each entry is :func:`compare_graphs` with ``from_round`` and ``to_round`` added.
    """
    rounds = sorted(snapshots)
    return [
        {"from_round": a, "to_round": b, **compare_graphs(snapshots[a], snapshots[b])}
        for a, b in itertools.pairwise(rounds)
    ]


def _edges(G: nx.Graph) -> set[frozenset]:
    return {frozenset((u, v)) for u, v in G.edges() if u != v}


def _pairs(edges: set[frozenset]) -> list[list]:
    return sorted((sorted(e, key=str) for e in edges), key=lambda p: [str(x) for x in p])
