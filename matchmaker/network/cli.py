"""``matchmaker network``: metrics, export and pictures of the collaboration network."""

from __future__ import annotations

import json
from pathlib import Path

import click

from matchmaker.network.labels import SUMMARY_LABELS

__all__ = ["network"]

_SUMMARY_LABELS = SUMMARY_LABELS

_FILTERS = [
    click.option("--round", "rounds", type=int, multiple=True, help="Call round (repeatable)."),
    click.option("--year", "years", type=int, multiple=True, help="Year (repeatable)."),
    click.option("--measure", "measures", type=int, multiple=True, help="Measure 1-5."),
    click.option("--theme", "themes", multiple=True, help="Theme code (repeatable)."),
    click.option("--district", "districts", multiple=True, help="District code (repeatable)."),
    click.option(
        "--sector",
        "sectors",
        type=click.Choice(["public", "third_sector", "market"]),
        multiple=True,
        help="Sector (repeatable).",
    ),
    click.option("--no-collaborations", is_flag=True, help="Only ATS co-membership ties."),
]


def _filters(fn):
    for option in reversed(_FILTERS):
        fn = option(fn)
    return fn


def _load(obj, kw: dict) -> tuple:
    from matchmaker.domain import DomainError
    from matchmaker.instance import SchemaNotReady, ensure_schema_ready
    from matchmaker.network.build import NetworkFilter
    from matchmaker.network.service import load_graphs

    try:
        ensure_schema_ready(obj.database.engine)
    except SchemaNotReady as exc:
        raise click.ClickException(str(exc)) from None
    flt = NetworkFilter.of(
        rounds=kw["rounds"],
        years=kw["years"],
        measures=kw["measures"],
        themes=kw["themes"],
        districts=kw["districts"],
        sectors=kw["sectors"],
        include_collaborations=not kw["no_collaborations"],
    )
    try:
        with obj.database.session() as session:
            g = load_graphs(session, flt)
    except DomainError as exc:
        raise click.ClickException(str(exc)) from None
    return g.graph, g.bipartite, g.snapshots, g.district_names


@click.group()
def network() -> None:
    """Collaboration network: metrics, exports (Gephi, R, igraph), pictures."""


@network.command()
@_filters
@click.option("--json", "as_json", is_flag=True, help="Print the full report as JSON.")
@click.option("--seed", default=42, show_default=True, help="Seed (Louvain, sampling).")
@click.pass_obj
def metrics(obj, as_json: bool, seed: int, **kw) -> None:
    """Compute the full metrics report (summary table, or everything with --json)."""
    from matchmaker.network.report import network_report

    G, B, snaps, _ = _load(obj, kw)
    report = network_report(G, B=B, snapshots=snaps if len(snaps) > 1 else None, seed=seed)
    if as_json:
        click.echo(json.dumps(report, ensure_ascii=False, indent=1, default=str))
        return
    click.echo(f"Rete: {G.number_of_nodes()} enti, {G.number_of_edges()} legami")
    width = max(len(label) for label in _SUMMARY_LABELS.values())
    for key, value in report["summary"].items():
        if isinstance(value, bool):
            shown = "sì" if value else "no"
        elif isinstance(value, float):
            shown = f"{value:.4f}"
        else:
            shown = "n.d." if value is None else str(value)
        click.echo(f"  {_SUMMARY_LABELS.get(key, key):<{width}}  {shown}  [{key}]")
    top = sorted(report["nodes"].items(), key=lambda kv: -kv[1]["betweenness"])[:10]
    click.echo("Enti con la maggiore intermediazione (betweenness):")
    for v, m in top:
        click.echo(f"  {m['betweenness']:.4f}  {G.nodes[v].get('name', v)}")
    for step in report["change"] or []:
        c = step["counts"]
        click.echo(
            f"Round {step['from_round']} -> {step['to_round']}: {c['newcomers']} nuovi, "
            f"{c['left']} usciti, legami {c['ties_kept']} mantenuti / {c['ties_new']} nuovi "
            f"/ {c['ties_dropped']} persi, Jaccard legami {step['edge_jaccard'] or 0:.3f}"
        )


@network.command()
@_filters
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["graphml", "gexf", "json", "csv"]),
    required=True,
    help="File format (csv: a .zip or a folder with nodes.csv and edges.csv).",
)
@click.option(
    "-o", "--output", type=click.Path(path_type=Path), required=True, help="File to write."
)
@click.option("--pseudonymise", is_flag=True, help="Keyed pseudonyms, no names or contacts.")
@click.option(
    "--key-file",
    type=click.Path(path_type=Path),
    help="Pseudonym key file (default: MATCHMAKER_PSEUDONYM_KEY, else instance/pseudonym_key).",
)
@click.pass_obj
def export(obj, fmt: str, output: Path, pseudonymise: bool, key_file: Path | None, **kw) -> None:
    """Export the organisation graph (GraphML, GEXF, JSON node-link, CSV)."""
    from matchmaker.network.export import export_graph
    from matchmaker.network.service import pseudonymised

    G, _, _, _ = _load(obj, kw)
    if pseudonymise:
        G = pseudonymised(G, _pseudonym_key(obj, key_file))
    path = export_graph(G, output, fmt)
    click.echo(f"Scritto {path}: {G.number_of_nodes()} enti, {G.number_of_edges()} legami")


@network.command()
@_filters
@click.option(
    "-o", "--output", type=click.Path(path_type=Path), required=True, help="HTML file to write."
)
@click.option(
    "--layout",
    type=click.Choice(["force", "geo"]),
    default="force",
    show_default=True,
    help="Force-directed, or geographic (seat comune centroids).",
)
@click.option(
    "--color",
    type=click.Choice(["sector", "community", "district"]),
    default="sector",
    show_default=True,
    help="What the node colour shows.",
)
@click.option(
    "--size",
    type=click.Choice(["degree", "betweenness", "pagerank"]),
    default="degree",
    show_default=True,
    help="Measure mapped to node size.",
)
@click.option("--png", type=click.Path(path_type=Path), help="Also write a static PNG/SVG.")
@click.option("--seed", default=42, show_default=True, help="Seed (Louvain, layout).")
@click.pass_obj
def render(obj, output: Path, layout: str, color: str, size: str, png, seed: int, **kw) -> None:
    """Write a standalone interactive HTML picture (works offline)."""
    from matchmaker.network.render import render_html
    from matchmaker.network.static import render_static

    G, _, _, names = _load(obj, kw)
    options = {"layout": layout, "color": color, "size": size, "seed": seed}
    render_html(G, output, district_names=names, **options)
    click.echo(f"Scritto {output}: {G.number_of_nodes()} enti, {G.number_of_edges()} legami")
    if png:
        render_static(G, png, **options)
        click.echo(f"Scritto {png}")


def _pseudonym_key(obj, key_file: Path | None) -> bytes:
    from matchmaker.domain import DomainError
    from matchmaker.network.service import pseudonym_key

    try:
        key, created = pseudonym_key(
            Path(obj.settings.instance_path),
            key_file=key_file,
            configured=obj.settings.pseudonym_key,
        )
    except DomainError as exc:
        raise click.ClickException(str(exc)) from None
    if created is not None:
        click.echo(f"Creata la chiave di pseudonimizzazione {created}: conservarla.", err=True)
    return key
