"""The HTML picture in a real browser (Debian's chromium through Playwright): it loads
nothing from the network, runs no script from the data, and at 2,000 nodes the physics
stabilises within its bounded iterations and then stops."""

from __future__ import annotations

import random
import time

import networkx as nx
import pytest

from matchmaker.network.build import organisation_graph
from matchmaker.network.render import render_html

pytestmark = pytest.mark.browser


@pytest.fixture
def file_page(browser):
    """A page of the shared ``browser`` (tests/conftest.py) recording requests, dialogs
    and script errors."""
    context = browser.new_context(viewport={"width": 1200, "height": 900})
    page = context.new_page()
    page.requests = []  # type: ignore[attr-defined]
    page.dialogs = []  # type: ignore[attr-defined]
    page.errors = []  # type: ignore[attr-defined]
    page.on("request", lambda r: page.requests.append(r.url))
    page.on("dialog", lambda d: (page.dialogs.append(d.message), d.dismiss()))
    page.on("pageerror", lambda e: page.errors.append(str(e)))
    yield page
    context.close()


def test_hostile_names_are_shown_as_text(file_page, network_data, tmp_path):
    page = file_page
    out = tmp_path / "n.html"
    render_html(organisation_graph(network_data), out, color="district")
    page.goto(out.as_uri())
    page.wait_for_selector("body[data-stabilized=true]", timeout=30_000)
    assert page.dialogs == []
    assert page.errors == []
    assert [u for u in page.requests if not u.startswith("file:")] == []
    # the tooltip of the hostile node holds its name as text, not as elements
    network_id = page.evaluate(
        "() => window.matchmakerNetwork.body.data.nodes.get()"
        ".find(n => n.tax_code === '00000000004').id"
    )
    pos = page.evaluate(
        f"() => window.matchmakerNetwork.canvasToDOM("
        f"window.matchmakerNetwork.getPositions([{network_id}])[{network_id}])"
    )
    box = page.locator("#network").bounding_box()
    page.mouse.move(box["x"] + pos["x"], box["y"] + pos["y"])
    tooltip = page.locator("div.vis-tooltip")
    tooltip.wait_for(state="visible", timeout=10_000)
    assert tooltip.inner_text().startswith("<script>alert('x')</script> ODV")
    assert page.locator("div.vis-tooltip script, div.vis-tooltip b").count() == 0
    assert page.dialogs == []


def test_two_thousand_nodes_stabilise_then_stop(file_page, tmp_path):
    page = file_page
    rng = random.Random(1)
    G = nx.powerlaw_cluster_graph(2000, 3, 0.3, seed=1)
    for v in G:
        G.nodes[v].update(
            name=f"<img src=x onerror=alert({v})>Ente {v}",
            sector=rng.choice(["public", "third_sector", "market"]),
            district=f"D{v % 30:02d}",
        )
    out = tmp_path / "big.html"
    render_html(G, out)
    start = time.perf_counter()
    page.goto(out.as_uri())
    page.wait_for_selector("body[data-stabilized=true]", timeout=90_000)
    elapsed = time.perf_counter() - start
    assert page.evaluate("window.matchmakerNetwork.physics.physicsEnabled") is False
    assert page.evaluate("window.matchmakerNetwork.body.data.nodes.length") == 2000
    assert page.dialogs == []
    assert page.errors == []
    assert [u for u in page.requests if not u.startswith("file:")] == []
    assert elapsed < 60, f"stabilisation took {elapsed:.1f} s"
