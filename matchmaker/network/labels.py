"""Plain-text labels, tooltips and legend entries of the pictures (Italian UI text).

Everything returned here is text, not markup: the HTML page shows it with ``innerText``
(tooltips), on a canvas (labels) or through Jinja2 autoescaping (legend).
"""

from __future__ import annotations

import networkx as nx

from matchmaker.domain import KIND_LABELS

__all__ = [
    "MEASURE_LABELS",
    "SECTOR_LABELS",
    "SUMMARY_LABELS",
    "edge_tooltip",
    "group_label",
    "label",
    "node_tooltip",
]

SECTOR_LABELS = {"public": "Pubblico", "third_sector": "Terzo settore", "market": "Mercato"}
MEASURE_LABELS = {
    "degree": "Grado",
    "strength": "Forza",
    "betweenness": "Intermediazione",
    "pagerank": "PageRank",
    "eigenvector": "Autovettore",
}

#: Italian names of the figures in ``network_report(...)["summary"]``
SUMMARY_LABELS = {
    "nodes": "Enti",
    "edges": "Legami",
    "density": "Densità",
    "average_degree": "Grado medio",
    "components": "Componenti connesse",
    "giant_component_share": "Quota nella componente maggiore",
    "average_clustering": "Clustering medio",
    "transitivity": "Transitività",
    "max_k_core": "k-core massimo",
    "bridges": "Ponti",
    "articulation_points": "Punti di articolazione",
    "betweenness_exact": "Intermediazione esatta",
    "betweenness_samples": "Sorgenti usate (intermediazione)",
    "betweenness_error_bound": "Limite d'errore (intermediazione)",
    "communities": "Comunità (Louvain)",
    "modularity": "Modularità",
    "nmi_districts": "NMI comunità/distretti",
    "ari_districts": "ARI comunità/distretti",
    "three_sector_triangle_share": "Triangoli dei tre settori (quota)",
    "three_sector_ats_share": "ATS dei tre settori (quota)",
    "e_i_sector": "Indice E-I per settore",
    "e_i_district": "Indice E-I per distretto",
    "assortativity_sector": "Assortatività per settore",
    "assortativity_district": "Assortatività per distretto",
    "assortativity_degree": "Assortatività per grado",
}


def label(name: object) -> str:
    """A node label: the name on one line, at most 40 characters."""
    text = " ".join(str(name).split())
    return text if len(text) <= 40 else text[:39] + "…"


def _fmt(x: object) -> str:
    if isinstance(x, float):
        return f"{x:.4g}"
    return str(x)


def node_tooltip(
    v: object,
    attrs: dict,
    measures: dict[str, dict],
    group: str,
    color: str,
    names: dict[str, str],
) -> str:
    """Tooltip of a node: name, kind, sector, districts, seat, community, measures."""
    districts = attrs.get("districts") or ([attrs["district"]] if attrs.get("district") else [])
    lines = [
        " ".join(str(attrs.get("name", v)).split()),
        f"Tipo: {KIND_LABELS.get(attrs.get('kind'), attrs.get('kind', ''))}",
        f"Settore: {SECTOR_LABELS.get(attrs.get('sector'), attrs.get('sector', ''))}",
        "Distretto: " + (", ".join(_district(d, names) for d in districts) or "nessuno"),
    ]
    if attrs.get("comune_name"):
        lines.append(f"Sede: {attrs['comune_name']}")
    if color == "community":
        lines.append(f"Comunità: {group}")
    for key in ("degree", "betweenness", "pagerank", "strength", "eigenvector"):
        if key in measures and v in measures[key]:
            lines.append(f"{MEASURE_LABELS[key]}: {_fmt(measures[key][v])}")
    return "\n".join(lines)


def edge_tooltip(G: nx.Graph, u: object, v: object, attrs: dict) -> str:
    """Tooltip of a tie: its ends, shared ATS, collaboration kinds, years, weight."""
    lines = [f"{label(G.nodes[u].get('name', u))} — {label(G.nodes[v].get('name', v))}"]
    if attrs.get("ats_count"):
        lines.append(f"ATS condivise: {attrs['ats_count']} ({', '.join(attrs.get('ats', []))})")
    if attrs.get("kinds"):
        lines.append(f"Collaborazioni: {', '.join(attrs['kinds'])}")
    if attrs.get("years"):
        lines.append(f"Anni: {min(attrs['years'])}–{max(attrs['years'])}")
    lines.append(f"Peso: {_fmt(float(attrs.get('weight', 1.0)))}")
    return "\n".join(lines)


def _district(code: str, names: dict[str, str]) -> str:
    return f"{code} {names[code]}" if code in names and names[code] != code else code


def group_label(group: str, color: str, names: dict[str, str] | None = None) -> str:
    """Legend entry of a group (sector, district with its name, or community)."""
    names = names or {}
    if color == "sector":
        return SECTOR_LABELS.get(group, group or "non indicato")
    if color == "district":
        return _district(group, names) if group else "senza distretto"
    return f"comunità {group}"
