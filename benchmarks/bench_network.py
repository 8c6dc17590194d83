"""Benchmark of the network analysis: full metrics report with networkx vs igraph, and HTML.

For the demo network (``matchmaker.ingest.demo.build_demo_database``) and for generated
networks of 1,000, 10,000 and 100,000 organisations, in one run:

- build time of the organisation graph, the organisation-ATS graph and round snapshots;
- time of the full metrics report (:func:`matchmaker.network.report.network_report`), per
  section, with networkx;
- time of the measures that igraph also has, computed with igraph on the same graph
  (degree, strength, betweenness, eigenvector, PageRank, clustering, k-core, bridges,
  articulation points, components, Louvain + modularity, assortativity, constraint); the
  ratio matchmaker / igraph over that common set is the figure to record. matchmaker's
  betweenness is Brandes' algorithm in sparse-matrix form (scipy), the rest networkx; the
  time of plain ``nx.betweenness_centrality`` is given next to it (up to 10,000 nodes).
  Above 5,000 nodes betweenness is sampled (same 300 sources in both: igraph computes
  subset betweenness from those sources);
- for sampled betweenness, the largest error against igraph's exact betweenness when the
  graph has at most 10,000 nodes (the measured error next to the documented bound);
- the time and size of the standalone HTML picture (vis-network inlined).

Generated networks imitate the demo: 30 districts, ~15% public bodies, ~70% ETS, ~15%
businesses; about one ATS of 4-10 members per 10 organisations (80% of members from the
lead's district), three call rounds, and about 1.5 declared collaborations per
organisation, mostly within a district.

Run: ``.venv/bin/python benchmarks/bench_network.py [--sizes 1000,10000,100000]``
"""

from __future__ import annotations

import argparse
import os
import platform
import random
import sys
import tempfile
import time
import warnings
from pathlib import Path

import igraph as ig
import networkx as nx

from matchmaker.network import metrics
from matchmaker.network.build import bipartite_graph, organisation_graph, round_snapshots
from matchmaker.network.data import (
    AtsRecord,
    CollaborationRecord,
    DistrictRecord,
    NetworkData,
    OrgRecord,
)
from matchmaker.network.render import render_html
from matchmaker.network.report import network_report

COMMON = (
    "degree",
    "strength",
    "betweenness",
    "eigenvector",
    "pagerank",
    "clustering",
    "k_core",
    "bridges",
    "articulation_points",
    "components",
    "louvain",
    "modularity",
    "assortativity",
    "structural_holes",
)


def generate(n: int, seed: int = 1) -> NetworkData:
    """A synthetic WeCaRe-like network of ``n`` organisations (deterministic)."""
    rng = random.Random(seed)
    districts = [DistrictRecord(f"D{i:02d}", f"Distretto {i}") for i in range(30)]
    centres = [(44.2 + 2.2 * rng.random(), 7.0 + 2.0 * rng.random()) for _ in districts]
    orgs, by_district = [], [[] for _ in districts]
    for i in range(n):
        d = rng.randrange(len(districts))
        r = rng.random()
        kind, sector = (
            ("ente_gestore", "public")
            if r < 0.05
            else ("comune", "public")
            if r < 0.15
            else ("ets", "third_sector")
            if r < 0.85
            else ("impresa", "market")
        )
        lat, lon = centres[d]
        tax = f"{i:011d}"
        orgs.append(
            OrgRecord(
                tax,
                f"Ente {i}",
                kind,
                sector,
                (districts[d].code,),
                lat=lat + rng.gauss(0, 0.08),
                lon=lon + rng.gauss(0, 0.08),
            )
        )
        by_district[d].append(tax)
    everyone = [o.tax_code for o in orgs]
    ats = []
    for a in range(max(1, n // 10)):
        d = rng.randrange(len(districts))
        pool = by_district[d] or everyone
        size = rng.randint(4, 10)
        members = {rng.choice(pool) if rng.random() < 0.8 else rng.choice(everyone)}
        while len(members) < min(size, n):
            members.add(rng.choice(pool) if rng.random() < 0.8 else rng.choice(everyone))
        members = tuple(sorted(members))
        rnd = rng.randint(1, 3)
        ats.append(
            AtsRecord(
                f"ATS-{a}",
                f"Progetto {a}",
                1,
                rnd,
                2016 + 2 * rnd,
                "finanziato",
                members,
                capofila=members[0],
                districts=(districts[d].code,),
            )
        )
    ties = []
    for _ in range(int(1.5 * n)):
        d = rng.randrange(len(districts))
        pool = by_district[d] if len(by_district[d]) > 1 else everyone
        u = rng.choice(pool)
        v = rng.choice(pool) if rng.random() < 0.85 else rng.choice(everyone)
        if u != v:
            y = rng.randint(2015, 2022)
            ties.append(CollaborationRecord(u, v, "rete", y, y + rng.randint(0, 3)))
    return NetworkData(orgs, ats, ties, districts)


def igraph_measures(G: nx.Graph, seed: int, samples: int) -> tuple[float, dict[str, float]]:
    """The common measures with igraph; returns (total seconds, per-measure seconds)."""
    nodes = list(G)
    index = {v: i for i, v in enumerate(nodes)}
    H = ig.Graph(n=len(nodes), edges=[(index[u], index[v]) for u, v in G.edges()])
    H.es["weight"] = [w for _, _, w in G.edges(data="weight", default=1.0)]
    H.vs["sector"] = [G.nodes[v]["sector"] for v in nodes]
    H.vs["district"] = [G.nodes[v]["district"] or "-" for v in nodes]
    n = len(nodes)
    exact = n <= metrics.EXACT_BETWEENNESS_LIMIT or samples >= n
    sources = None if exact else random.Random(seed).sample(nodes, samples)
    random.seed(seed)  # igraph's Louvain uses Python's random generator
    t: dict[str, float] = {}

    def timed(name, fn):
        start = time.perf_counter()
        value = fn()
        t[name] = time.perf_counter() - start
        return value

    timed("degree", H.degree)
    timed("strength", lambda: H.strength(weights="weight"))
    if exact:
        timed("betweenness", lambda: H.betweenness(directed=False))
    else:
        timed(
            "betweenness",
            lambda: H.betweenness(directed=False, sources=[index[s] for s in sources]),
        )
    timed("eigenvector", lambda: H.eigenvector_centrality(weights="weight"))
    # ARPACK: igraph's default PRPACK took ~1.3 s on these weighted graphs even at 1,000 nodes
    timed("pagerank", lambda: H.pagerank(weights="weight", implementation="arpack"))
    timed(
        "clustering",
        lambda: (H.transitivity_local_undirected(mode="zero"), H.transitivity_undirected()),
    )
    timed("k_core", H.coreness)
    timed("bridges", H.bridges)
    timed("articulation_points", H.articulation_points)
    timed("components", H.connected_components)
    comm = timed("louvain", lambda: H.community_multilevel(weights="weight"))
    timed("modularity", lambda: H.modularity(comm.membership, weights="weight"))
    timed(
        "assortativity",
        lambda: (
            H.assortativity_nominal([hash(s) % 1000 for s in H.vs["sector"]], directed=False),
            H.assortativity_degree(directed=False),
        ),
    )
    timed("structural_holes", lambda: H.constraint(weights="weight"))
    return sum(t.values()), t


def sampled_error(G: nx.Graph, report: dict) -> float | None:
    """Largest |sampled - exact| normalised betweenness, exact from igraph."""
    if report["summary"]["betweenness_exact"] or G.number_of_nodes() > 10_000:
        return None
    nodes = list(G)
    index = {v: i for i, v in enumerate(nodes)}
    H = ig.Graph(n=len(nodes), edges=[(index[u], index[v]) for u, v in G.edges()])
    n = len(nodes)
    exact = H.betweenness(directed=False)
    scale = (n - 1) * (n - 2) / 2
    return max(
        abs(report["nodes"][v]["betweenness"] - exact[i] / scale) for i, v in enumerate(nodes)
    )


def run(label: str, data: NetworkData, html_dir: Path, seed: int = 42) -> dict:
    start = time.perf_counter()
    G = organisation_graph(data)
    B = bipartite_graph(data)
    snaps = round_snapshots(data)
    build = time.perf_counter() - start
    start = time.perf_counter()
    report = network_report(G, B=B, snapshots=snaps, seed=seed)
    full = time.perf_counter() - start
    nx_common = sum(report["timings"][k] for k in COMMON)
    samples = report["summary"]["betweenness_samples"]
    ig_total, ig_times = igraph_measures(G, seed, samples)
    error = sampled_error(G, report)
    pure = None
    if G.number_of_nodes() <= 10_000:  # plain networkx Brandes, for comparison
        start = time.perf_counter()
        k = None if report["summary"]["betweenness_exact"] else samples
        nx.betweenness_centrality(G, k=k, seed=seed)
        pure = time.perf_counter() - start
    path = html_dir / f"{label}.html"
    start = time.perf_counter()
    render_html(G, path, size="degree")
    html_time = time.perf_counter() - start
    row = {
        "label": label,
        "nodes": G.number_of_nodes(),
        "edges": G.number_of_edges(),
        "build_s": build,
        "report_s": full,
        "nx_common_s": nx_common,
        "igraph_common_s": ig_total,
        "ratio": nx_common / ig_total if ig_total else float("nan"),
        "betweenness": "exact" if report["summary"]["betweenness_exact"] else f"k={samples}",
        "bound": report["summary"]["betweenness_error_bound"],
        "error": error,
        "nx_betweenness_s": pure,
        "html_s": html_time,
        "html_mb": path.stat().st_size / 1e6,
        "nx_sections": report["timings"],
        "ig_sections": ig_times,
    }
    path.unlink()
    return row


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", default="1000,10000,100000")
    parser.add_argument("--no-demo", action="store_true")
    args = parser.parse_args()
    # igraph warns that eigenvector centrality is not meaningful on disconnected graphs
    warnings.filterwarnings("ignore", category=RuntimeWarning, module=__name__)
    warm = nx.karate_club_graph()
    nx.set_node_attributes(warm, "public", "sector")
    nx.set_node_attributes(warm, "D", "district")
    igraph_measures(warm, 1, 10)  # first calls load PRPACK etc.: keep them out of the timings
    print(
        f"# bench_network — Python {platform.python_version()}, {os.cpu_count()} CPU, "
        f"networkx {nx.__version__}, igraph {ig.__version__}"
    )
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        if not args.no_demo:
            from matchmaker.ingest.demo import build_demo_database
            from matchmaker.network.data import load_network_data
            from matchmaker.storage import Database

            url = f"sqlite:///{tmp / 'demo.sqlite3'}"
            build_demo_database(url)
            db = Database(url)
            with db.session() as session:
                data = load_network_data(session)
            db.dispose()
            rows.append(run("demo", data, tmp))
            _print(rows[-1])
        for n in (int(s) for s in args.sizes.split(",") if s):
            start = time.perf_counter()
            data = generate(n)
            print(
                f"  generated {n} organisations in {time.perf_counter() - start:.1f} s", flush=True
            )
            rows.append(run(f"gen{n}", data, tmp))
            _print(rows[-1])
    print()
    print(
        "| network | nodes | edges | build s | full report s | common measures s | same with "
        "igraph s | ratio | betweenness | its time s (plain networkx s) | bound | measured "
        "error | HTML s | HTML MB |"
    )
    print("|---|---:|---:|---:|---:|---:|---:|---:|---|---:|---:|---:|---:|---:|")
    for r in rows:
        err = f"{r['error']:.4f}" if r["error"] is not None else "–"
        pure = f"{r['nx_betweenness_s']:.2f}" if r["nx_betweenness_s"] is not None else "–"
        print(
            f"| {r['label']} | {r['nodes']:,} | {r['edges']:,} | {r['build_s']:.2f} | "
            f"{r['report_s']:.2f} | {r['nx_common_s']:.2f} | {r['igraph_common_s']:.3f} | "
            f"{r['ratio']:.1f}× | {r['betweenness']} | {r['nx_sections']['betweenness']:.2f} "
            f"({pure}) | {r['bound']:.3f} | {err} | {r['html_s']:.2f} | {r['html_mb']:.1f} |"
        )
    return 0


def _print(r: dict) -> None:
    top = sorted(r["nx_sections"].items(), key=lambda kv: -kv[1])[:6]
    print(
        f"{r['label']}: {r['nodes']} nodes {r['edges']} edges; report {r['report_s']:.2f} s; "
        f"common nx {r['nx_common_s']:.2f} s vs igraph {r['igraph_common_s']:.3f} s "
        f"(x{r['ratio']:.1f}); html {r['html_s']:.2f} s {r['html_mb']:.1f} MB",
        flush=True,
    )
    print("   slowest networkx sections: " + ", ".join(f"{k} {v:.2f}s" for k, v in top), flush=True)
    print(
        "   igraph sections: "
        + ", ".join(
            f"{k} {v:.3f}s" for k, v in sorted(r["ig_sections"].items(), key=lambda kv: -kv[1])[:6]
        ),
        flush=True,
    )


if __name__ == "__main__":
    sys.exit(main())
