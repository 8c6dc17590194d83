"""The researchers' notebooks: stored without outputs, run top to bottom, agree with the CLI.

Each notebook is executed once per module with nbclient in a ``python3`` kernel (ipykernel,
installed in the same virtual environment: jupyter_client starts it with this interpreter,
which a probe cell checks). 01 and 03 run as a researcher first opens them, without
``MATCHMAKER_DATABASE_URL`` (they build the bundled demo data set); 02 runs with the variable
pointing at a copy of the tests' demo database. The numbers each notebook prints as JSON in
its last cell are compared with ``matchmaker network metrics --json`` and ``matchmaker eval
--json`` on the same data, and with the figures quoted in the notebooks' Italian reading.
"""

from __future__ import annotations

import json
import os
import shutil
import sys
import time
from pathlib import Path

import nbformat
import pytest
from click.testing import CliRunner
from nbclient import NotebookClient
from nbformat.v4 import new_code_cell

from matchmaker.cli import main

pytestmark = pytest.mark.notebooks

ROOT = Path(__file__).resolve().parents[2]
NOTEBOOK_DIR = ROOT / "notebooks"
NOTEBOOKS = (
    "01_network_overview.ipynb",
    "02_circular_subsidiarity.ipynb",
    "03_matching_quality.ipynb",
)
EVAL_DIR = ROOT / "data" / "eval" / "dev"
CELL_TIMEOUT = 180  # seconds per cell; a whole notebook takes 10-40 s on 2 shared cores
PROBE = "__notebook_probe__"
#: modules the notebooks may import besides the standard library
ALLOWED_IMPORTS = {"matchmaker", "numpy", "matplotlib", "networkx"}


def _read(name: str) -> nbformat.NotebookNode:
    return nbformat.read(NOTEBOOK_DIR / name, as_version=4)


def _execute(name: str, workdir: Path, database_url: str | None) -> dict:
    """Run a notebook in a fresh kernel; return the executed notebook, its JSON and timing."""
    nb = _read(name)
    nb.cells.append(
        new_code_cell(
            "import json as _j, sys as _s\n"
            f"print({PROBE!r} + _j.dumps({{'executable': _s.executable, 'prefix': _s.prefix}}))"
        )
    )
    env = {k: v for k, v in os.environ.items() if not k.startswith("MATCHMAKER_")}
    # inline figures (PNG outputs), whatever MPLBACKEND the test process has
    env.update(
        {
            "HF_HUB_OFFLINE": "1",
            "TRANSFORMERS_OFFLINE": "1",
            "MPLBACKEND": "module://matplotlib_inline.backend_inline",
        }
    )
    if database_url:
        env["MATCHMAKER_DATABASE_URL"] = database_url
    client = NotebookClient(
        nb,
        timeout=CELL_TIMEOUT,
        kernel_name="python3",
        resources={"metadata": {"path": str(workdir)}},
    )
    started = time.perf_counter()
    client.execute(env=env)
    seconds = time.perf_counter() - started
    probe = json.loads(_stdout(nb.cells[-1]).split(PROBE, 1)[1])
    results = json.loads(_stdout(nb.cells[-2]).strip().splitlines()[-1])
    return {"nb": nb, "results": results, "probe": probe, "seconds": seconds}


def _stdout(cell: nbformat.NotebookNode) -> str:
    return "".join(o.get("text", "") for o in cell.get("outputs", []) if o.get("name") == "stdout")


def _markdown(nb: nbformat.NotebookNode) -> str:
    """All markdown text with whitespace collapsed (line breaks do not matter)."""
    return " ".join(" ".join(c.source for c in nb.cells if c.cell_type == "markdown").split())


def _it(x: float, digits: int) -> str:
    """A number as the Italian reading writes it: decimal comma."""
    return f"{x:.{digits}f}".replace(".", ",")


def _cli(*args: str) -> dict:
    # settings from the command line only, as in the notebooks' kernels
    unset = dict.fromkeys((k for k in os.environ if k.startswith("MATCHMAKER_")), None)
    result = CliRunner().invoke(main, list(args), env=unset, catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return json.loads(result.output)


@pytest.fixture(scope="module")
def demo_copy(demo_file: Path, tmp_path_factory: pytest.TempPathFactory) -> str:
    """URL of a private copy of the tests' demo database (the same data the notebooks build)."""
    target = tmp_path_factory.mktemp("notebook-db") / "demo.sqlite3"
    shutil.copyfile(demo_file, target)
    for suffix in ("-wal", "-shm"):
        if Path(f"{demo_file}{suffix}").exists():
            shutil.copyfile(f"{demo_file}{suffix}", f"{target}{suffix}")
    return f"sqlite:///{target}"


@pytest.fixture(scope="module")
def cli_network(demo_copy: str) -> dict:
    return _cli("--database-url", demo_copy, "network", "metrics", "--json")


@pytest.fixture(scope="module")
def cli_eval(tmp_path_factory: pytest.TempPathFactory) -> dict:
    return _cli(
        "--database-url",
        f"sqlite:///{tmp_path_factory.mktemp('eval') / 'unused.sqlite3'}",
        "eval",
        "--catalog",
        str(EVAL_DIR / "catalog.csv"),
        "--queries",
        str(EVAL_DIR / "queries.jsonl"),
        "--json",
    )


@pytest.fixture(scope="module")
def run01(tmp_path_factory) -> dict:
    return _execute(NOTEBOOKS[0], tmp_path_factory.mktemp("nb01"), None)


@pytest.fixture(scope="module")
def run02(tmp_path_factory, demo_copy: str) -> dict:
    return _execute(NOTEBOOKS[1], tmp_path_factory.mktemp("nb02"), demo_copy)


@pytest.fixture(scope="module")
def run03(tmp_path_factory) -> dict:
    return _execute(NOTEBOOKS[2], tmp_path_factory.mktemp("nb03"), None)


# --- the committed files ------------------------------------------------------------------


@pytest.mark.parametrize("name", NOTEBOOKS)
def test_committed_notebook_has_no_outputs(name):
    nb = _read(name)
    nbformat.validate(nb)
    assert nb.metadata["kernelspec"]["name"] == "python3"
    code = [c for c in nb.cells if c.cell_type == "code"]
    assert code
    for cell in code:
        assert cell.outputs == [], f"{name}, cella {cell.id}: output non rimosso"
        assert cell.execution_count is None, f"{name}, cella {cell.id}: execution_count"
    for cell in nb.cells:  # no execution timings either
        timing = {"execution", "ExecuteTime"} & set(cell.get("metadata", {}))
        assert not timing, f"{name}, cella {cell.id}: metadata {timing}"


@pytest.mark.parametrize("name", NOTEBOOKS)
def test_notebook_imports_only_matchmaker_and_the_plotting_stack(name):
    import ast

    roots = set()
    for cell in _read(name).cells:
        if cell.cell_type != "code":
            continue
        for node in ast.walk(ast.parse(cell.source)):
            if isinstance(node, ast.Import):
                roots |= {a.name.split(".")[0] for a in node.names}
            elif isinstance(node, ast.ImportFrom):
                roots.add((node.module or "").split(".")[0])
    third_party = roots - set(sys.stdlib_module_names)
    assert third_party <= ALLOWED_IMPORTS, third_party
    assert "matchmaker" in roots


@pytest.mark.parametrize("name", NOTEBOOKS)
def test_notebook_reads_the_database_url(name):
    sources = "\n".join(c.source for c in _read(name).cells if c.cell_type == "code")
    assert 'os.environ.get("MATCHMAKER_DATABASE_URL"' in sources


# --- executed -----------------------------------------------------------------------------


def _assert_ran_cleanly(run: dict) -> None:
    # the kernel is this virtual environment's interpreter, not another Python on the machine
    assert run["probe"]["prefix"] == sys.prefix
    assert Path(run["probe"]["executable"]).parent == Path(sys.executable).parent
    for cell in run["nb"].cells:
        for out in cell.get("outputs", []):
            assert out.output_type != "error", out
            if out.get("name") == "stderr":
                assert "Warning" not in out.text, f"cella {cell.id}: {out.text}"
    images = [
        o
        for c in run["nb"].cells
        for o in c.get("outputs", [])
        if o.output_type == "display_data" and "image/png" in o.data
    ]
    assert images, "the notebook drew no picture"


def test_01_network_overview_matches_the_cli(run01, cli_network):
    _assert_ran_cleanly(run01)
    r, summary = run01["results"], cli_network["summary"]
    assert "Origine: dati dimostrativi (seed 20171220)" in _stdout(run01["nb"].cells[3])
    assert (r["nodes"], r["edges"], r["communities"], r["max_k_core"]) == (562, 2444, 14, 11)
    for key in ("nodes", "edges", "communities", "max_k_core"):
        assert r[key] == summary[key], key
    for key in ("density", "modularity", "nmi_districts"):
        assert r[key] == pytest.approx(summary[key], rel=1e-9), key
    top = max(cli_network["nodes"].items(), key=lambda kv: kv[1]["betweenness"])[0]
    assert r["top_betweenness"] == top
    assert r["district_nodes"] == 30
    # the reading quotes the NMI of the demo data
    assert r["components"] == summary["components"] == 1  # "la rete è connessa"
    assert r["ari_districts"] == pytest.approx(summary["ari_districts"], rel=1e-9)
    md = _markdown(run01["nb"])
    assert f"NMI intorno a {_it(r['nmi_districts'], 2)}" in md
    assert f"L'ARI più basso ({_it(r['ari_districts'], 2)})" in md


def test_02_circular_subsidiarity_matches_the_cli(run02, cli_network):
    _assert_ran_cleanly(run02)
    r, cli = run02["results"], cli_network
    out = "".join(_stdout(c) for c in run02["nb"].cells)
    assert "Origine: database configurato (MATCHMAKER_DATABASE_URL)" in out
    summary = cli["summary"]
    for key in (
        "three_sector_ats_share",
        "three_sector_triangle_share",
        "e_i_sector",
        "e_i_district",
        "assortativity_district",
    ):
        assert r[key] == pytest.approx(summary[key], rel=1e-9), key
    ats = cli["subsidiarity"]["ats"]
    assert (r["three_sector_ats"], r["ats"]) == (1, 57)
    assert r["ats_share_by_district"] == {d: v["share"] for d, v in ats["by_district"].items()}
    assert r["ats_share_by_district"]["DEMO-TO-07"] == pytest.approx(1 / 3)
    by_group = cli["e_i"]["district"]["by_group"]
    assert r["e_i_by_district"] == pytest.approx({d: v["index"] for d, v in by_group.items()})
    assert r["liaison_by_sector"] == {
        s: v["liaison"] for s, v in cli["brokerage"]["by_sector"].items()
    }
    assert [
        {k: v for k, v in step.items() if k not in ("from", "to", "edge_jaccard")}
        for step in r["change"]
    ] == [step["counts"] for step in cli["change"]]
    assert [s["edge_jaccard"] for s in r["change"]] == pytest.approx(
        [s["edge_jaccard"] for s in cli["change"]]
    )


def test_02_reading_quotes_the_computed_numbers(run02):
    r, md = run02["results"], _markdown(run02["nb"])
    step = r["change"][0]
    quoted = [
        f"Solo {r['three_sector_ats']} ATS su {r['ats']}",
        f"solo {r['three_sector_triangles']} triangoli su {r['triangles']}",
        f"({r['market_nodes']} enti su {r['nodes']})",
        f"compaiono in {r['ats_with_market']} ATS su {r['ats']}",
        f"da {r['min_ats_per_district']} a {r['max_ats_per_district']} ATS",
        f"Il {_it(100 * r['public_third_sector_tie_share'], 1)}% del peso",
        f"il {_it(100 * r['third_sector_third_sector_tie_share'], 1)}% due enti",
        f"E-I per settore è {_it(r['e_i_sector'], 2)}",
        f"E-I per distretto ({_it(r['e_i_district'], 2)})",
        f"assortatività per distretto ({_it(r['assortativity_district'], 2)})",
        f"in {r['open_districts']} distretti su {r['districts']}",
        f"{r['liaison_by_sector']['third_sector']} dei {sum(r['liaison_by_sector'].values())}",
        f"({round(100 * r['public_itinerant_share'])}% dei loro ruoli)",
        f"entrano {step['newcomers']} enti ed escono {step['left']}",
        f"dei {r['edges_by_round']['1']} legami del round 1 ne restano {step['ties_kept']}",
        f"Jaccard dei legami {_it(step['edge_jaccard'], 3)}",
        f"nel round 3 ({r['edges_by_round']['3']})",
        f"solo {r['ats_by_round_status']['3']['bozza']} ATS in bozza",
        f"{r['collaboration_edges_by_round']['3']} dei suoi {r['edges_by_round']['3']} legami",
    ]
    missing = [q for q in quoted if q not in md]
    assert not missing, missing
    assert r["ats_by_round_status"]["3"] == {"bozza": 5}


def test_03_matching_quality_matches_the_cli(run03, cli_eval):
    _assert_ran_cleanly(run03)
    r = run03["results"]
    assert r["encoder"] == cli_eval["encoder"] == "use-m3"
    assert r["fused"] == cli_eval["channels"]["fused"]
    assert r["fused"]["ndcg@10"] == pytest.approx(0.8853)
    variants = {**cli_eval["channels"], **cli_eval["ablation"]}
    assert r["ndcg_by_variant"] == {name: m["ndcg@10"] for name, m in variants.items()}
    assert r["recall_by_variant"] == {name: m["recall@10"] for name, m in variants.items()}
    worst = sorted(cli_eval["queries"], key=lambda q: q["ndcg@10"])[:5]
    assert r["worst_queries"] == [q["id"] for q in worst]
    assert r["engine_check_ndcg"] == r["fused"]["ndcg@10"]
    assert r["sweep_points"] == 25
    assert r["catalogue_candidates"] == 437  # ETS and businesses of the demo data set


def test_03_reading_quotes_the_computed_numbers(run03):
    r, md = run03["results"], _markdown(run03["nb"])
    v, sweep = r["ndcg_by_variant"], r["sweep"]
    quoted = [
        f"Togliere i temi ({_it(v['fused-themes'], 3)}) o il territorio "
        f"({_it(v['fused-territory'], 3)})",
        f"semantic {_it(sweep['semantic']['2'], 3)}, sentence {_it(sweep['sentence']['2'], 3)}, "
        f"lexical {_it(sweep['lexical']['2'], 3)} con peso 2",
        f"(lexical = 0: {_it(v['fused-lexical'], 3)}) supera i pesi predefiniti "
        f"({_it(v['fused'], 3)}) di {_it(v['fused-lexical'] - v['fused'], 3)}",
    ]
    low = min(sweep[c][w] for c in ("themes", "territory") for w in ("1", "1.5", "2"))
    high = max(sweep[c][w] for c in ("themes", "territory") for w in ("1", "1.5", "2"))
    quoted.append(f"(da {_it(low, 3)} a {_it(high, 3)})")
    recall = r["recall_by_variant"]
    quoted.append(
        f"(recall@10 {_it(recall['fused'], 3)} con, {_it(recall['fused-lexical'], 3)} senza)"
    )
    quoted += r["worst_queries"][:4]  # the error analysis discusses the four worst needs
    missing = [q for q in quoted if q not in md]
    assert not missing, missing


def test_notebooks_run_within_the_time_budget(run01, run02, run03):
    # ~3 minutes each at most on 2 cores (they take 10-40 s); catches an accidental slow path
    for run in (run01, run02, run03):
        assert run["seconds"] < 180
