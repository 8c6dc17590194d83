"""Export the network for Gephi, igraph, R and spreadsheets, plainly or pseudonymised.

Formats: GraphML, GEXF (Gephi), JSON node-link (networkx/d3), CSV node and edge lists (a
ZIP archive, or a folder). List attributes (districts, ATS codes, rounds, years, kinds) are
written as ``;``-separated strings in GraphML, GEXF and CSV, as lists in JSON; missing
values (an unknown seat's ``lat``/``lon``) are left out of GraphML/GEXF and empty in CSV.
The edge attribute ``source`` (``ats``, ``collaboration``, ``both``) is written as
``tie_source`` in every format, since ``source``/``target`` name the tie's ends in CSV edge
lists and JSON node-link data.
CSV text cells that a spreadsheet would run as a formula (starting with ``=``, ``+``, ``-``,
``@``, tab or carriage return) are prefixed with ``'``.

Pseudonymised export, for researchers: organisations become ``org_`` followed by the first
16 hex digits of HMAC-SHA256(key, tax code), ATS codes ``ats_`` + HMAC of the code, so the
same key gives the same pseudonyms in every export (panels across rounds can be linked)
and nobody without the key can recover the tax code. Kept on nodes: ``kind``, ``sector``,
``district``, ``districts``, ``province`` and the measures passed in. Removed: tax code,
name, description, seat comune and its coordinates, and any contact data (e-mail, phone,
website, which the graph never carries anyway). Kept on edges: ``weight``, ``ats_count``,
``ats_weight``, ``collaboration_weight``, ``rounds``, ``years``, ``measures``, ``kinds``,
``source`` (exported as ``tie_source``), and the pseudonymised ATS codes.
"""

from __future__ import annotations

import csv
import hashlib
import hmac
import io
import json
import zipfile
from pathlib import Path

import networkx as nx

__all__ = [
    "FORMATS",
    "PSEUDONYM_NODE_FIELDS",
    "export_graph",
    "pseudonym",
    "pseudonymise",
    "to_csv_tables",
]

FORMATS = ("graphml", "gexf", "json", "csv")
#: node attributes kept by :func:`pseudonymise` (besides the measures passed in)
PSEUDONYM_NODE_FIELDS = ("kind", "sector", "district", "districts", "province")
_EDGE_FIELDS = (
    "weight",
    "ats_count",
    "ats_weight",
    "collaboration_weight",
    "ats",
    "rounds",
    "years",
    "measures",
    "kinds",
    "source",
    "tie_source",
)
_FORMULA_START = frozenset("=+-@\t\r")
_NODE_ORDER = (
    "tax_code",
    "name",
    "kind",
    "sector",
    "district",
    "districts",
    "comune",
    "comune_name",
    "province",
    "lat",
    "lon",
)


def pseudonym(key: bytes, value: str, prefix: str = "org_") -> str:
    """Stable keyed pseudonym of ``value``: ``prefix`` + 16 hex digits of HMAC-SHA256.

    Examples
    --------
    >>> pseudonym(b"k", "00000000001")
    'org_b99707803ad21a42'
    """
    digest = hmac.new(key, value.encode("utf-8"), hashlib.sha256).hexdigest()
    return prefix + digest[:16]


def pseudonymise(G: nx.Graph, key: bytes, measures: dict[str, dict] | None = None) -> nx.Graph:
    """A copy of ``G`` with pseudonymous node ids and only the fields listed above.

    Parameters
    ----------
    key : bytes
        Secret key of the HMAC; keep it to reproduce the same pseudonyms, never publish it.
        Must be at least 16 bytes.
    measures : dict, optional
        Measure name -> node -> value, added as node attributes (e.g. degree, betweenness).
    """
    if len(key) < 16:
        raise ValueError("la chiave di pseudonimizzazione deve avere almeno 16 byte")
    ids = {v: pseudonym(key, str(G.nodes[v].get("tax_code", v))) for v in G}
    if len(set(ids.values())) != len(ids):  # pragma: no cover - 64-bit collision
        raise ValueError("collisione di pseudonimi: usare un'altra chiave")
    H = nx.Graph(pseudonymised=True, pseudonym_method="HMAC-SHA256, 16 hex digits")
    for v, attrs in G.nodes(data=True):
        kept = {k: attrs[k] for k in PSEUDONYM_NODE_FIELDS if k in attrs}
        for name, values in (measures or {}).items():
            if v in values:
                kept[name] = values[v]
        H.add_node(ids[v], **kept)
    for u, v, attrs in G.edges(data=True):
        kept = {k: attrs[k] for k in _EDGE_FIELDS if k in attrs}
        if "ats" in kept:
            kept["ats"] = sorted(pseudonym(key, str(a), "ats_") for a in kept["ats"])
        H.add_edge(ids[u], ids[v], **kept)
    return H


def to_csv_tables(G: nx.Graph) -> tuple[str, str]:
    """Node and edge lists as CSV text (``id`` first; edges ``source,target`` first)."""
    G = _renamed(G)
    node_fields = _fields((a for _, a in G.nodes(data=True)), _NODE_ORDER)
    edge_fields = _fields((a for _, _, a in G.edges(data=True)), _EDGE_FIELDS)
    nodes, edges = io.StringIO(), io.StringIO()
    w = csv.writer(nodes, lineterminator="\n")
    w.writerow(["id", *node_fields])
    for v, attrs in G.nodes(data=True):
        w.writerow([v, *(_cell(attrs.get(f)) for f in node_fields)])
    w = csv.writer(edges, lineterminator="\n")
    w.writerow(["source", "target", *edge_fields])
    for u, v, attrs in G.edges(data=True):
        w.writerow([u, v, *(_cell(attrs.get(f)) for f in edge_fields)])
    return nodes.getvalue(), edges.getvalue()


def export_graph(G: nx.Graph, path: str | Path, fmt: str | None = None) -> Path:
    """Write ``G`` to ``path`` in ``fmt`` (default: from the suffix).

    ``csv`` writes ``nodes.csv`` and ``edges.csv`` into a ZIP archive when ``path`` ends
    in ``.zip``, otherwise into the folder ``path`` (created if needed).

    Returns the path written.
    """
    path = Path(path)
    G = _renamed(G)
    fmt = (fmt or path.suffix.lstrip(".")).lower()
    if fmt == "zip":
        fmt = "csv"
    if fmt not in FORMATS:
        raise ValueError(f"formato sconosciuto: {fmt!r} (scegliere tra {', '.join(FORMATS)})")
    if fmt == "json":
        data = nx.node_link_data(G, edges="edges")
        path.write_text(json.dumps(data, ensure_ascii=False, indent=1, default=str), "utf-8")
    elif fmt == "csv":
        nodes, edges = to_csv_tables(G)
        if path.suffix.lower() == ".zip":
            with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
                zf.writestr("nodes.csv", nodes)
                zf.writestr("edges.csv", edges)
        else:
            path.mkdir(parents=True, exist_ok=True)
            (path / "nodes.csv").write_text(nodes, "utf-8")
            (path / "edges.csv").write_text(edges, "utf-8")
    else:
        flat = _flat(G)
        if fmt == "graphml":
            nx.write_graphml(flat, path)
        else:
            nx.write_gexf(flat, path)
    return path


def _renamed(G: nx.Graph) -> nx.Graph:
    """Copy whose edge attribute ``source`` is called ``tie_source``."""
    H = G.copy()
    for _, _, attrs in H.edges(data=True):
        if "source" in attrs:
            attrs["tie_source"] = attrs.pop("source")
    return H


def _flat(G: nx.Graph) -> nx.Graph:
    """Copy with scalar attributes only: lists joined by ``;``, ``None`` dropped."""
    H = nx.Graph()
    H.graph.update(
        {k: _scalar(v) for k, v in G.graph.items() if v is not None and not isinstance(v, dict)}
    )
    for v, attrs in G.nodes(data=True):
        H.add_node(str(v), **{k: _scalar(x) for k, x in attrs.items() if x is not None})
    for u, v, attrs in G.edges(data=True):
        H.add_edge(str(u), str(v), **{k: _scalar(x) for k, x in attrs.items() if x is not None})
    return H


def _scalar(x: object) -> object:
    if isinstance(x, list | tuple | set | frozenset):
        return ";".join(str(i) for i in x)
    if isinstance(x, bool | int | float | str):
        return x
    return str(x)


def _cell(x: object) -> object:
    if x is None:
        return ""
    x = _scalar(x)
    if isinstance(x, str) and x[:1] in _FORMULA_START:
        return "'" + x  # a spreadsheet would run it as a formula (CSV injection)
    return x


def _fields(rows, preferred: tuple[str, ...]) -> list[str]:
    seen: dict[str, None] = {}
    for attrs in rows:
        for k in attrs:
            seen.setdefault(k, None)
    return [f for f in preferred if f in seen] + sorted(f for f in seen if f not in preferred)
