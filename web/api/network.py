"""Network measures and exports through the API (researchers' read-only access)."""

from __future__ import annotations

import io
import json
import tempfile
from pathlib import Path

from flask import Response, current_app, send_file
from flask_login import current_user

from matchmaker.contract.queries import NetworkExportQuery, NetworkQuery
from matchmaker.domain import Role
from matchmaker.network.export import export_graph, pseudonym
from matchmaker.network.report import network_report
from matchmaker.network.service import pseudonym_key, pseudonymised
from web.api import bp, query
from web.api.spec import operation
from web.netquery import load_filtered_graphs

_MEDIA = {
    "graphml": ("application/graphml+xml", "rete.graphml"),
    "gexf": ("application/gexf+xml", "rete.gexf"),
    "json": ("application/json", "rete.json"),
    "csv": ("application/zip", "rete-csv.zip"),
}


def _researcher() -> bool:
    return getattr(current_user, "role", None) == Role.RICERCATORE


def _key() -> bytes:
    settings = current_app.extensions["matchmaker"].settings
    key, _ = pseudonym_key(settings.instance_path, configured=settings.pseudonym_key)
    return key


@bp.get("/network/metrics")
@operation(
    "Misure della rete di collaborazione (per i ricercatori con pseudonimi al posto dei "
    "codici fiscali)",
    response="NetworkMetrics",
    query=NetworkQuery,
    errors=(404, 422),
)
def network_metrics():
    """The full measures report of the (filtered) organisation network."""
    query(NetworkQuery)  # refuses unknown parameters
    graphs = load_filtered_graphs()
    report = network_report(
        graphs.graph,
        B=graphs.bipartite,
        snapshots=graphs.snapshots if len(graphs.snapshots) > 1 else None,
    )
    if _researcher():  # researchers see pseudonyms, never tax codes
        key = _key()
        report = json.loads(json.dumps(report, default=str))
        report = _replace_ids(report, {v: pseudonym(key, v) for v in graphs.graph})
    body = json.dumps(report, ensure_ascii=False, default=str)
    return Response(body, mimetype="application/json")


def _replace_ids(value, ids: dict[str, str]):
    if isinstance(value, dict):
        return {ids.get(k, k): _replace_ids(v, ids) for k, v in value.items()}
    if isinstance(value, list):
        return [_replace_ids(v, ids) for v in value]
    if isinstance(value, str):
        return ids.get(value, value)
    return value


@bp.get("/network/export")
@operation(
    "Esportazione della rete (GraphML, GEXF, JSON, CSV); pseudonimizzata per i ricercatori",
    query=NetworkExportQuery,
    errors=(404, 422),
    files=tuple(dict.fromkeys(media for media, _name in _MEDIA.values())),
)
def network_export():
    """The organisation graph as GraphML, GEXF, JSON node-link or CSV (zip)."""
    q = query(NetworkExportQuery)
    fmt = q.format
    G = load_filtered_graphs(NetworkExportQuery).graph
    if _researcher() or q.pseudonymise == "1":
        G = pseudonymised(G, _key())
    media, name = _MEDIA[fmt]
    with tempfile.TemporaryDirectory() as tmp:
        path = export_graph(G, Path(tmp) / ("rete.zip" if fmt == "csv" else name), fmt)
        data = path.read_bytes()
    return send_file(io.BytesIO(data), mimetype=media, as_attachment=True, download_name=name)
