"""Rete: the network explorer (filters, measures, the interactive picture, downloads)."""

from __future__ import annotations

import base64
import csv
import hashlib
import html
import io
import math
import re
import tempfile
from pathlib import Path
from typing import Any

import numpy as np
from flask import Blueprint, Response, current_app, render_template, request, send_file, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from matchmaker.domain import DomainError, Role
from matchmaker.network.ego import MAX_EGO_RADIUS, ego_network
from matchmaker.network.export import pseudonym
from matchmaker.network.labels import MEASURE_LABELS, SECTOR_LABELS, SUMMARY_LABELS
from matchmaker.network.render import COLOR_CHOICES, LAYOUT_CHOICES, SIZE_CHOICES, render_html
from matchmaker.network.report import network_report
from matchmaker.network.service import pseudonym_key, pseudonymised
from matchmaker.network.static import render_static
from matchmaker.registry import NotFound, district_choices, partnership_rounds, theme_choices
from web import db_session
from web.errors import error_response
from web.netquery import load_filtered_graphs

__all__ = ["bp", "graph_csp"]

bp = Blueprint("network", __name__)

_COLOR_LABELS = {
    "sector": _l("Settore"),
    "community": _l("Comunità (Louvain)"),
    "district": _l("Distretto"),
}
_LAYOUT_LABELS = {"force": _l("A forze"), "geo": _l("Geografica (sedi)")}
#: columns of /rete/misure.csv (stable English names, documented in measures_csv)
MEASURES_CSV_HEADER = ("measure", "label", "value")
_FILTER_ARGS = ("round", "measure", "district", "sector", "theme")
_EXPORTS = (("graphml", "GraphML"), ("gexf", "GEXF (Gephi)"), ("json", "JSON"), ("csv", "CSV"))
_INLINE_SCRIPT = re.compile(r"<script>(.*?)</script>", re.S)
_INLINE_STYLE = re.compile(r"<style>(.*?)</style>", re.S)
_STYLE_ATTR = re.compile(r'\sstyle="([^"]*)"')


@bp.errorhandler(NotFound)
def _not_found(exc: NotFound):
    return error_response(404, _("Nessun risultato: %(reason)s", reason=exc))


@bp.errorhandler(DomainError)
def _bad_filter(exc: DomainError):
    return error_response(400, _("Filtro non valido: %(reason)s", reason=exc))


def _hash(text: str) -> str:
    digest = hashlib.sha256(text.encode("utf-8")).digest()
    return "'sha256-" + base64.b64encode(digest).decode("ascii") + "'"


def graph_csp(page: str) -> str:
    """A Content-Security-Policy for a rendered picture: its own inline code, by hash.

    Scripts and style sheets load only from this origin; the page's inline script and
    style blocks (and its ``style`` attributes, the legend swatches) are allowed one by
    one by their SHA-256, so nothing injected later could run.
    """
    scripts = sorted({_hash(s) for s in _INLINE_SCRIPT.findall(page)})
    styles = sorted({_hash(s) for s in _INLINE_STYLE.findall(page)})
    attrs = sorted({_hash(html.unescape(s)) for s in _STYLE_ATTR.findall(page)})
    style_src = " ".join(["'self'", *styles, *(["'unsafe-hashes'", *attrs] if attrs else [])])
    return (
        f"default-src 'none'; script-src 'self' {' '.join(scripts)}; style-src {style_src}; "
        "img-src 'self' data:; font-src 'self'; base-uri 'none'; form-action 'none'; "
        "frame-ancestors 'self'"
    )


def _choice(name: str, choices: tuple[str, ...], default: str) -> str:
    value = request.args.get(name, default)
    return value if value in choices else default


def _filters() -> dict[str, str]:
    return {k: request.args[k] for k in _FILTER_ARGS if request.args.get(k)}


def _researcher() -> bool:
    return getattr(current_user, "role", None) == Role.RICERCATORE


def _key() -> bytes:
    settings = current_app.extensions["matchmaker"].settings
    key, _created = pseudonym_key(settings.instance_path, configured=settings.pseudonym_key)
    return key


def _pseudonymised(G):
    return pseudonymised(G, _key())


def _options() -> dict[str, Any]:
    session = db_session()
    return {
        "rounds": partnership_rounds(session),
        "themes": theme_choices(session),
        "districts": district_choices(session),
        "sectors": list(SECTOR_LABELS.items()),
        "colors": [(c, _COLOR_LABELS[c]) for c in COLOR_CHOICES],
        "sizes": [(s, MEASURE_LABELS[s]) for s in SIZE_CHOICES],
        "layouts": [(lay, _LAYOUT_LABELS[lay]) for lay in LAYOUT_CHOICES],
    }


def _shown(value: object) -> str:
    if isinstance(value, bool):
        return _("sì") if value else _("no")
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return _("n.d.")
    if isinstance(value, float):
        return f"{value:.3f}".replace(".", ",")
    return f"{value:,}".replace(",", ".") if isinstance(value, int) else str(value)


def _summary(report: dict[str, Any]) -> list[tuple[str, str]]:
    return [(SUMMARY_LABELS.get(k, k), _shown(v)) for k, v in report["summary"].items()]


def _top(G, report: dict[str, Any], names: dict[str, str], limit: int = 10) -> list[dict]:
    ranked = sorted(report["nodes"].items(), key=lambda kv: (-kv[1]["betweenness"], str(kv[0])))
    out = []
    for v, m in ranked[:limit]:
        attrs = G.nodes[v]
        district = attrs.get("district") or next(iter(attrs.get("districts") or []), None)
        out.append(
            {
                "id": v,
                "name": attrs.get("name", v),
                "link": not _researcher(),
                "sector": SECTOR_LABELS.get(attrs.get("sector"), attrs.get("sector", "")),
                "district": names.get(district, district or "–"),
                "betweenness": _shown(float(m["betweenness"])),
                "degree": _shown(m["degree"]),
            }
        )
    return out


def _subsidiarity(report: dict[str, Any], names: dict[str, str]) -> list[dict]:
    tri = report["subsidiarity"]["triangles"]["by_district"]
    ats = (report["subsidiarity"]["ats"] or {}).get("by_district", {})
    rows = []
    for code in sorted(set(tri) | set(ats), key=lambda c: names.get(c, c)):
        t, a = tri.get(code, {}), ats.get(code, {})
        rows.append(
            {
                "district": names.get(code, code),
                "triangles": _shown(t.get("triangles")),
                "triangle_share": _shown(t.get("share")),
                "ats": _shown(a.get("ats")),
                "ats_share": _shown(a.get("share")),
            }
        )
    return rows


def _change(report: dict[str, Any]) -> list[dict]:
    rows = []
    for step in report.get("change") or []:
        c = step["counts"]
        rows.append(
            {
                "step": f"{step['from_round']} → {step['to_round']}",
                "newcomers": c["newcomers"],
                "left": c["left"],
                "kept": c["ties_kept"],
                "new": c["ties_new"],
                "dropped": c["ties_dropped"],
                "jaccard": _shown(float(step.get("edge_jaccard") or 0.0)),
            }
        )
    return rows


@bp.get("/rete")
def explorer():
    """Filters, the picture (in a frame), measures, communities, subsidiarity, change."""
    graphs = load_filtered_graphs()
    G = graphs.graph
    view = {
        "color": _choice("color", COLOR_CHOICES, "sector"),
        "size": _choice("size", SIZE_CHOICES, "degree"),
        "layout": _choice("layout", LAYOUT_CHOICES, "force"),
    }
    filters = _filters()
    report = None
    if G.number_of_nodes():
        if _researcher():
            G = _pseudonymised(G)
        report = _report(G, graphs)
    names = graphs.district_names
    return render_template(
        "network/explorer.html",
        options=_options(),
        filters=filters,
        view=view,
        nodes=G.number_of_nodes(),
        edges=G.number_of_edges(),
        summary=_summary(report) if report else [],
        top=_top(G, report, names) if report else [],
        agreement=(
            {k: _shown(v) for k, v in report["community_district_agreement"].items()}
            if report
            else None
        ),
        subsidiarity=_subsidiarity(report, names) if report else [],
        change=_change(report) if report else [],
        graph_url=url_for("network.graph", **filters, **view),
        measures_csv_url=url_for("network.measures_csv", **filters),
        exports=[
            *(
                (label, url_for("api.network_export", format=fmt, **filters))
                for fmt, label in _EXPORTS
            ),
            ("PNG", url_for("network.picture", **filters, **view)),
        ],
        pseudonyms=_researcher(),
    )


def _report(G, graphs) -> dict[str, Any]:
    snapshots = graphs.snapshots if len(graphs.snapshots) > 1 else None
    # a small filtered network may leave a coefficient undefined (0/0): shown as n.d.
    with np.errstate(invalid="ignore", divide="ignore"):
        return network_report(G, B=graphs.bipartite, snapshots=snapshots)


def _csv_value(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if value is None or (isinstance(value, float) and not math.isfinite(value)):
        return ""
    return repr(float(value)) if isinstance(value, float) else str(value)


@bp.get("/rete/misure.csv")
def measures_csv():
    """The table «Misure della rete» for the request's filters, as CSV (UTF-8, no BOM).

    One header row, then one row per measure in the order of the page. Columns (stable
    English names): ``measure``, the measure's key as in the report's ``summary`` (e.g.
    ``density``); ``label``, its Italian name as shown on the page; ``value``, the number
    with a decimal point and full precision, ``true``/``false`` for yes/no figures, empty
    when the measure is undefined on the filtered network.
    """
    graphs = load_filtered_graphs()
    report = _report(graphs.graph, graphs)
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(MEASURES_CSV_HEADER)
    for key, value in report["summary"].items():
        writer.writerow([key, SUMMARY_LABELS.get(key, key), _csv_value(value)])
    return Response(
        out.getvalue().encode("utf-8"),
        mimetype="text/csv",
        headers={
            "Content-Disposition": "attachment; filename=rete-misure.csv",
            "Content-Type": "text/csv; charset=utf-8",
        },
    )


def _shown_graph(graphs):
    """The graph to draw (pseudonymised for researchers), or None when it is empty."""
    if not graphs.graph.number_of_nodes():
        return None
    return _pseudonymised(graphs.graph) if _researcher() else graphs.graph


def _ego(graphs, centre: str):
    """The neighbourhood of ``centre`` to draw, and the node to highlight (or None, None)."""
    radius = int(_choice("raggio", tuple(str(r) for r in range(1, MAX_EGO_RADIUS + 1)), "1"))
    try:
        G = ego_network(graphs.graph, centre, radius)
    except KeyError:
        return None, None
    if not _researcher():
        return G, centre
    key = _key()
    return pseudonymised(G, key), pseudonym(key, centre)


@bp.get("/rete/grafo.html")
def graph():
    """The interactive picture alone (shown in a frame of the explorer).

    With ``centro=<codice fiscale>`` (and ``raggio=1`` or ``2``) it draws only that
    organisation's neighbourhood, the organisation as a star (the profile pages use it).
    """
    graphs = load_filtered_graphs()
    centre = (request.args.get("centro") or "").strip()
    highlight = None
    if centre:
        G, highlight = _ego(graphs, centre)
        if G is None:
            return error_response(404, _("L'ente non ha legami nella rete."))
    else:
        G = _shown_graph(graphs)
    if G is None:
        return error_response(404, _("Nessun ente corrisponde ai filtri scelti."))
    page = render_html(
        G,
        title=_("Rete di collaborazione dell'ente") if centre else _("Rete delle collaborazioni"),
        assets="static",
        static_url=url_for("static", filename="vendor/vis-network"),
        height="calc(100vh - 7rem)",
        color=_choice("color", COLOR_CHOICES, "sector"),
        size=_choice("size", SIZE_CHOICES, "degree"),
        layout=_choice("layout", LAYOUT_CHOICES, "force"),
        district_names=graphs.district_names,
        highlight=highlight,
    )
    response = Response(page, mimetype="text/html")
    response.headers["Content-Security-Policy"] = graph_csp(page)
    return response


@bp.get("/rete/grafo.png")
def picture():
    """The same picture as a PNG image (matplotlib), for reports."""
    graphs = load_filtered_graphs()
    G = _shown_graph(graphs)
    if G is None:
        return error_response(404, _("Nessun ente corrisponde ai filtri scelti."))
    with tempfile.TemporaryDirectory() as tmp:
        path = render_static(
            G,
            Path(tmp) / "rete.png",
            color=_choice("color", COLOR_CHOICES, "sector"),
            size=_choice("size", SIZE_CHOICES, "degree"),
            layout=_choice("layout", LAYOUT_CHOICES, "force"),
            labels=0 if _researcher() else 10,
            title=_("Rete delle collaborazioni"),
        )
        data = path.read_bytes()
    return send_file(
        io.BytesIO(data), mimetype="image/png", as_attachment=True, download_name="rete.png"
    )
