"""Interactive HTML pictures of the network with pyvis (the only module that uses pyvis).

pyvis shapes the nodes, edges and options for vis-network; the page around them is ours
(:mod:`matchmaker.network._template`), because pyvis' template fetches Bootstrap and, in
its "local" mode, vis-network from CDNs. The page needs no network access: vis-network is
either inlined (standalone file) or served by the web app from ``/static/vendor/``.
"""

from __future__ import annotations

import json
from pathlib import Path

import jinja2
import networkx as nx
import pyvis
from pyvis.edge import Edge
from pyvis.network import Network
from pyvis.node import Node

from matchmaker.network import communities as _communities
from matchmaker.network import metrics as _metrics
from matchmaker.network._template import PAGE
from matchmaker.network.labels import (
    MEASURE_LABELS,
    edge_tooltip,
    group_label,
    label,
    node_tooltip,
)
from matchmaker.network.layout import geo_positions, group_colours, node_groups, scaled_sizes

__all__ = [
    "COLOR_CHOICES",
    "LAYOUT_CHOICES",
    "SIZE_CHOICES",
    "VIS_ASSETS",
    "graph_payload",
    "payload_json",
    "render_html",
    "stabilization_iterations",
]

COLOR_CHOICES = ("sector", "community", "district")
SIZE_CHOICES = ("degree", "betweenness", "pagerank", "strength", "eigenvector")
LAYOUT_CHOICES = ("force", "geo")
#: vis-network files bundled with pyvis (copied to web/static/vendor/vis-network/)
VIS_ASSETS = Path(pyvis.__file__).parent / "templates" / "lib" / "vis-9.1.2"

_LEGEND_TITLES = {"sector": "settore", "community": "comunità", "district": "distretto"}
_CSP_INLINE = (
    "default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; img-src data:"
)
_CSP_STATIC = (
    "default-src 'none'; script-src 'self' 'unsafe-inline'; "
    "style-src 'self' 'unsafe-inline'; img-src 'self' data:"
)
_ENV = jinja2.Environment(autoescape=True, undefined=jinja2.StrictUndefined)


def stabilization_iterations(n: int) -> int:
    """Bounded number of physics iterations before the layout is frozen.

    1,000 for small graphs, fewer as the graph grows (about 60,000 node-steps in all),
    never fewer than 100: at 2,000 nodes 100 iterations of Barnes-Hut. Graphs of more
    than 150 nodes start from their geographic positions (:func:`graph_payload`), so the
    physics only untangles a layout that is already spread out.
    """
    return max(100, min(1000, 60_000 // max(n, 1)))


def graph_payload(
    G: nx.Graph,
    *,
    color: str = "sector",
    size: str = "degree",
    layout: str = "force",
    measures: dict[str, dict] | None = None,
    communities: dict[object, int] | None = None,
    district_names: dict[str, str] | None = None,
    seed: int = 42,
    highlight: object | None = None,
) -> dict[str, object]:
    """Nodes, edges, vis-network options and legend of the picture, as plain data.

    Parameters
    ----------
    G : networkx.Graph
        Organisation graph (:func:`matchmaker.network.build.organisation_graph`).
    color : {"sector", "community", "district"}
        What the node colour (and vis-network ``group``) shows.
    size : {"degree", "betweenness", "pagerank", "strength", "eigenvector"}
        Measure mapped to node size (area grows with the value).
    layout : {"force", "geo"}
        ``force``: physics (Barnes-Hut) stabilises for a bounded number of iterations,
        then stops (from the geographic positions when there are more than 150 nodes);
        ``geo``: fixed positions from the seats' coordinates, no physics.
    measures : dict, optional
        Precomputed measure name -> node -> value (e.g. from the metrics report); degree,
        PageRank and the ``size`` measure are computed when missing (betweenness only
        when it is the size: it is the costly one).
    communities : dict, optional
        node -> community index; computed with Louvain (``seed``) when needed.
    highlight : node, optional
        A node drawn as a star with a thick border (e.g. the centre of an ego network).

    Returns
    -------
    dict
        ``nodes``, ``edges``, ``options`` (for ``vis.Network``) and ``legend`` (label,
        colour, count). Node ``label`` and ``title`` are plain text: the page shows them
        as text, never as HTML.
    """
    if color not in COLOR_CHOICES:
        raise ValueError(f"colore sconosciuto: {color!r} (scegliere tra {COLOR_CHOICES})")
    if size not in SIZE_CHOICES:
        raise ValueError(f"misura sconosciuta: {size!r} (scegliere tra {SIZE_CHOICES})")
    if layout not in LAYOUT_CHOICES:
        raise ValueError(f"disposizione sconosciuta: {layout!r} (force o geo)")
    measures = dict(measures or {})
    for name in {"degree", "pagerank", size}:
        if name not in measures:
            measures[name] = _measure(G, name)
    if color == "community" and communities is None:
        communities = _communities.community_membership(_communities.louvain(G, seed=seed))
    groups = node_groups(G, color, communities)
    colours = group_colours(groups, color)
    names = district_names or {}
    sizes = scaled_sizes({v: measures[size].get(v) for v in G}, 6.0, 36.0)
    n = G.number_of_nodes()
    net = Network(directed=False, cdn_resources="in_line")
    ids = {v: i for i, v in enumerate(G)}
    # geo: fixed positions; force on larger graphs: the physics starts from the map, which
    # needs far fewer iterations than a random start (the full demo network: 2.8 -> ~1.6 s)
    seeded = layout == "force" and n > 150
    pos = geo_positions(G) if layout == "geo" or seeded else {}
    for v, attrs in G.nodes(data=True):
        options: dict[str, object] = {
            "title": node_tooltip(v, attrs, measures, groups[v], color, names),
            "color": colours.get(groups[v], "#9e9e9e"),
            "size": round(sizes[v], 2),
            "group": groups[v],
            "tax_code": str(attrs.get("tax_code", v)),
        }
        if v in pos:
            options["x"], options["y"] = round(pos[v][0], 1), round(pos[v][1], 1)
            options["physics"] = layout != "geo"
        text = label(attrs.get("name", v))
        shape = "dot"
        if highlight is not None and v == highlight:
            shape, options["borderWidth"] = "star", 3
        # Node/Edge objects are appended directly: Network.add_node/add_edge scan lists
        # (quadratic), and a networkx Graph has no duplicate to guard against.
        node = Node(ids[v], shape, label=text, font_color=False, **options)
        net.nodes.append(node.options)
        net.node_ids.append(ids[v])
    for u, v, attrs in G.edges(data=True):
        edge = Edge(
            ids[u],
            ids[v],
            False,
            value=float(attrs.get("weight", 1.0)),
            title=edge_tooltip(G, u, v, attrs),
            dashes=attrs.get("source") == "collaboration",
        )
        net.edges.append(edge.options)
    options = _options(n, layout, seed, G.number_of_edges())
    net.options = options
    nodes, edges, *_ = net.get_network_data()
    counts: dict[str, int] = {}
    for g in groups.values():
        counts[g] = counts.get(g, 0) + 1
    legend = [
        {"label": group_label(g, color, names), "color": colours[g], "count": counts[g]}
        for g in sorted(counts, key=lambda g: (g == "", -counts[g], g))
    ]
    return {"nodes": nodes, "edges": edges, "options": options, "legend": legend}


def payload_json(payload: dict[str, object]) -> str:
    """JSON text safe inside an HTML ``<script>`` element: ``<``, ``>``, ``&`` and the
    JavaScript line separators are written as ``\\uXXXX`` escapes, so no data value can
    close the element or open a tag."""
    text = json.dumps(payload, ensure_ascii=False, separators=(",", ":"), allow_nan=False)
    for ch, esc in (
        ("<", "\\u003c"),
        (">", "\\u003e"),
        ("&", "\\u0026"),
        ("\u2028", "\\u2028"),
        ("\u2029", "\\u2029"),
    ):
        text = text.replace(ch, esc)
    return text


def render_html(
    G: nx.Graph,
    path: str | Path | None = None,
    *,
    title: str = "Rete delle collaborazioni",
    assets: str = "inline",
    static_url: str = "/static/vendor/vis-network",
    height: str = "80vh",
    **payload_options: object,
) -> str:
    """Render the interactive picture as a complete HTML page (and write it to ``path``).

    Parameters
    ----------
    assets : {"inline", "static"}
        ``inline``: vis-network's JS and CSS are embedded, the file works offline on its
        own (a Content-Security-Policy forbids any request); ``static``: they are loaded
        from ``static_url`` (the web app serves them from ``web/static/vendor/``).
    **payload_options
        Passed to :func:`graph_payload` (``color``, ``size``, ``layout``, ``measures``,
        ``communities``, ``district_names``, ``seed``, ``highlight``).
    """
    if assets not in ("inline", "static"):
        raise ValueError(f"assets sconosciuto: {assets!r} (inline o static)")
    payload = graph_payload(G, **payload_options)  # type: ignore[arg-type]
    inline = assets == "inline"
    color = str(payload_options.get("color", "sector"))
    size = str(payload_options.get("size", "degree"))
    layout = str(payload_options.get("layout", "force"))
    html = _ENV.from_string(PAGE).render(
        title=title,
        description=(
            f"{G.number_of_nodes()} enti, {G.number_of_edges()} legami; colore: "
            f"{_LEGEND_TITLES[color]}; dimensione: {MEASURE_LABELS[size].lower()}; "
            f"disposizione: {'geografica' if layout == 'geo' else 'a forze'}."
        ),
        legend=payload["legend"],
        legend_title=_LEGEND_TITLES[color],
        payload=payload_json(payload),
        inline=inline,
        vis_js=_asset("vis-network.min.js") if inline else "",
        vis_css=_asset("vis-network.css") if inline else "",
        static_url=static_url.rstrip("/"),
        csp=_CSP_INLINE if inline else _CSP_STATIC,
        height=height,
    )
    if path is not None:
        Path(path).write_text(html, encoding="utf-8")
    return html


def _asset(name: str) -> str:
    text = (VIS_ASSETS / name).read_text(encoding="utf-8")
    # an inline <script> ends at the first "</script": the minified library has none
    if "</script" in text.lower():  # pragma: no cover - guard for a future pyvis
        raise RuntimeError(f"{name} contiene '</script>': non si può includere in linea")
    return text


def _measure(G: nx.Graph, name: str) -> dict:
    if name == "betweenness":
        return _metrics.betweenness(G)["values"]
    return getattr(_metrics, name)(G)


def _options(n: int, layout: str, seed: int, m: int = 0) -> dict[str, object]:
    physics = layout == "force" and n > 1
    # "dynamic" curves add one physics support node per tie: affordable on small pictures
    # only (an ego network of 139 nodes and 548 ties took 20-40 s to settle with them)
    smooth: bool | dict[str, object] = (
        True if n + m <= 150 else ({"type": "continuous"} if n <= 300 else False)
    )
    return {
        "autoResize": True,
        "layout": {"randomSeed": seed, "improvedLayout": n <= 150},
        "nodes": {"shape": "dot", "font": {"size": 12, "strokeWidth": 3}},
        "edges": {
            "color": {"color": "#9e9e9e", "opacity": 0.6, "highlight": "#333333"},
            "smooth": smooth,
            "scaling": {"min": 1, "max": 8},
        },
        "interaction": {
            "hover": True,
            "tooltipDelay": 150,
            "hideEdgesOnDrag": n > 500,
            "navigationButtons": False,
        },
        "physics": {
            "enabled": physics,
            "solver": "barnesHut",
            "barnesHut": {
                "gravitationalConstant": -8000,
                "springLength": 120,
                "springConstant": 0.02,
                "avoidOverlap": 0.1,
            },
            "stabilization": {
                "enabled": physics,
                "iterations": stabilization_iterations(n),
                "updateInterval": 25,
                "fit": True,
            },
        },
    }
