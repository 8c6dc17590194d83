"""The dashboard map and a district page in a real browser: click a comune, reach its district."""

from __future__ import annotations

import pytest
from a11y import blocking, describe, run_axe, serve_axe

pytestmark = pytest.mark.browser

TORINO = "001272"


def test_dashboard_map_and_district_page(guarded_page, demo_server, artifacts_dir):
    page, _watch = guarded_page(1366, 768)
    serve_axe(page)
    page.goto(demo_server + "/")
    svg = page.locator("svg.map")
    assert svg.get_attribute("data-paths") == "1178"
    assert page.locator("svg.map path[data-istat]").count() == 1178
    assert page.locator("svg.map a.map-district").count() == 30
    assert page.locator(".map-legend li").count() == 30
    assert page.locator("table.district-table tbody tr").count() == 30
    box = svg.bounding_box()
    assert box["width"] > 450
    assert box["height"] > 500
    # each comune is coloured by its district (fill attribute, no inline style)
    assert page.locator(f'path[data-istat="{TORINO}"]').get_attribute("fill").startswith("#")
    assert page.locator("[style]").count() == 0
    serious = blocking(run_axe(page))
    assert not serious, describe(serious)
    page.screenshot(path=str(artifacts_dir / "dashboard-map-1366x768.png"), full_page=True)
    page.set_viewport_size({"width": 768, "height": 1024})
    assert page.evaluate("document.documentElement.scrollWidth") <= 768
    serious = blocking(run_axe(page))
    assert not serious, describe(serious)
    page.screenshot(path=str(artifacts_dir / "dashboard-map-768x1024.png"), full_page=True)
    page.set_viewport_size({"width": 1366, "height": 768})

    page.locator(f'path[data-istat="{TORINO}"]').click()
    page.wait_for_url("**/distretti/DEMO-TO-01")
    assert page.locator("h1").inner_text() == "Distretto di Torino dimostrativo"
    zoom = page.locator("svg.map-zoom")
    assert zoom.locator("a.is-focus path").count() == 1  # the district of Torino is one comune
    assert zoom.locator("path.is-faded").count() > 0
    serious = blocking(run_axe(page))
    assert not serious, describe(serious)
    page.screenshot(path=str(artifacts_dir / "district-1366x768.png"), full_page=True)
    page.set_viewport_size({"width": 768, "height": 1024})
    assert page.evaluate("document.documentElement.scrollWidth") <= 768
    serious = blocking(run_axe(page))
    assert not serious, describe(serious)
    page.screenshot(path=str(artifacts_dir / "district-768x1024.png"), full_page=True)

    # a neighbouring district is one click away on the zoomed map
    page.locator("table#legami tbody tr a").first.click()
    page.wait_for_url("**/distretti/DEMO-TO-07")
    assert page.locator("h1").inner_text().startswith("Distretto di Rivoli")
    page.get_by_role("link", name="Distretti", exact=True).first.click()
    page.wait_for_url("**/distretti")
    assert page.locator("table.district-table tbody tr").count() == 30
    serious = blocking(run_axe(page))
    assert not serious, describe(serious)
