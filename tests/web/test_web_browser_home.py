"""The home page in a real browser, served by the production server."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.browser


@pytest.mark.parametrize(("width", "height"), [(1366, 768), (768, 1024)])
def test_home_in_chromium(page, artifacts_dir, width, height):
    page.set_viewport_size({"width": width, "height": height})
    response = page.goto(page.base_url + "/")
    assert response.status == 200
    stats = {
        page.locator(".stat-l").nth(i).inner_text(): page.locator(".stat-n").nth(i).inner_text()
        for i in range(4)
    }
    assert stats == {"comuni": "1.179", "province": "8", "ASL": "12", "temi": "41"}
    assert page.locator("html").get_attribute("lang") == "it"
    assert page.locator(".chip").count() == 41
    # the stylesheet is served locally and applied
    color = page.locator(".topbar").evaluate("e => getComputedStyle(e).backgroundColor")
    assert color == "rgb(8, 63, 99)"
    page.screenshot(path=str(artifacts_dir / f"home-{width}x{height}.png"), full_page=True)
