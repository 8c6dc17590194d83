"""Static pictures (PNG, SVG, PDF) of the network with matplotlib, for reports and notebooks.

Uses the non-interactive Agg backend through :class:`matplotlib.figure.Figure` (no pyplot
state, no display needed). Labels are drawn as plain text: ``$`` is escaped so that names
are never parsed as mathtext.
"""

from __future__ import annotations

import math
from pathlib import Path

import networkx as nx
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.collections import LineCollection
from matplotlib.figure import Figure
from matplotlib.lines import Line2D

from matchmaker.network import communities as _communities
from matchmaker.network import metrics as _metrics
from matchmaker.network.labels import group_label
from matchmaker.network.layout import (
    geo_positions,
    group_colours,
    node_groups,
    scaled_sizes,
    spring_positions,
)

__all__ = ["render_static"]


def render_static(
    G: nx.Graph,
    path: str | Path,
    *,
    color: str = "sector",
    size: str = "degree",
    layout: str = "force",
    measures: dict[str, dict] | None = None,
    communities: dict[object, int] | None = None,
    labels: int = 10,
    title: str | None = None,
    seed: int = 42,
    dpi: int = 150,
) -> Path:
    """Draw the network to an image file; the format follows the suffix (.png, .svg, .pdf).

    Parameters
    ----------
    color, size, layout
        As in :func:`matchmaker.network.render.graph_payload`; the force layout is
        Fruchterman-Reingold with ``seed`` (Fruchterman, T. M. J., & Reingold, E. M.
        (1991). Graph drawing by force-directed placement. *Software: Practice and
        Experience*, 21(11), 1129-1164).
    labels : int
        Number of nodes labelled with their name: the largest by the ``size`` measure.

    Returns
    -------
    pathlib.Path
        The file written.
    """
    path = Path(path)
    values = (measures or {}).get(size)
    if values is None:
        if size == "betweenness":
            values = _metrics.betweenness(G)["values"]
        else:
            values = getattr(_metrics, size)(G)
    if color == "community" and communities is None:
        communities = _communities.community_membership(_communities.louvain(G, seed=seed))
    groups = node_groups(G, color, communities)
    colours = group_colours(groups, color)
    pos = geo_positions(G) if layout == "geo" else spring_positions(G, seed=seed)
    nodes = list(G)
    biggest = max(20.0, min(300.0, 300.0 * math.sqrt(50 / max(len(nodes), 1))))
    scaled = scaled_sizes({v: values.get(v) for v in nodes}, 4.0, biggest)
    fig = Figure(figsize=(10, 9), dpi=dpi)
    FigureCanvasAgg(fig)
    ax = fig.add_subplot()
    ax.set_axis_off()
    ax.set_aspect("equal")
    segments = [(pos[u], pos[v]) for u, v in G.edges()]
    widths = [0.3 + 0.4 * math.log1p(float(w)) for _, _, w in G.edges(data="weight", default=1)]
    ax.add_collection(LineCollection(segments, colors="#9e9e9e", linewidths=widths, alpha=0.5))
    sizes = [scaled[v] for v in nodes]
    ax.scatter(
        [pos[v][0] for v in nodes],
        [pos[v][1] for v in nodes],
        s=sizes,
        c=[colours.get(groups[v], "#9e9e9e") for v in nodes],
        edgecolors="#333333",
        linewidths=0.4,
        zorder=2,
    )
    ranked = sorted(nodes, key=lambda v: (-(values.get(v, 0.0) or 0.0), str(v)))[:labels]
    for v in ranked:
        name = " ".join(str(G.nodes[v].get("name", v)).split())[:40]
        ax.annotate(
            _plain(name), pos[v], fontsize=7, zorder=3, xytext=(4, 4), textcoords="offset points"
        )
    ax.invert_yaxis()
    ax.autoscale_view()
    counts: dict[str, int] = {}
    for g in groups.values():
        counts[g] = counts.get(g, 0) + 1
    shown = sorted(counts, key=lambda g: (g == "", -counts[g], g))[:20]
    handles = [
        Line2D(
            [],
            [],
            marker="o",
            linestyle="",
            markersize=7,
            color=colours[g],
            label=_plain(f"{group_label(g, color)} ({counts[g]})"),
        )
        for g in shown
    ]
    ax.legend(
        handles=handles, loc="upper left", fontsize=7, frameon=False, bbox_to_anchor=(1.0, 1.0)
    )
    ax.set_title(_plain(title or f"Rete: {G.number_of_nodes()} enti, {G.number_of_edges()} legami"))
    fig.savefig(path, bbox_inches="tight")
    return path


def _plain(text: str) -> str:
    return text.replace("$", r"\$")
