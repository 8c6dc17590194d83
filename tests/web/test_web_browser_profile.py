"""A profile's network and suggested partners, and the sortable measures of Rete, in a real
browser: no request leaves the machine, no dialog, no CSP violation."""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path

import pytest

expect = pytest.importorskip("playwright.sync_api").expect

pytestmark = pytest.mark.browser

HOSTILE = "<script>alert(1)</script><img src=x onerror=alert(2)>"
TORINO = "99000019994"
CASA_RAGAZZI = "99001699992"


def _number(text: str) -> float | None:
    text = text.strip()
    if not re.fullmatch(r"-?[\d.]+(,\d+)?", text):
        return None
    return float(text.replace(".", "").replace(",", "."))


def test_profile_network_and_sortable_measures(
    guarded_page, demo_server, demo_accounts, demo_database, artifacts_dir
):
    import sqlalchemy as sa

    from matchmaker.storage import Organisation

    with demo_database.session(actor="test") as s:  # a hostile name among the partners
        org = s.scalars(sa.select(Organisation).where(Organisation.tax_code == CASA_RAGAZZI))
        org.one().name = HOSTILE
    page, _watch = guarded_page(1366, 768)
    page.goto(demo_server + f"/accedi?next=/enti/{TORINO}")
    page.get_by_label("E-mail").fill(demo_accounts["facilitatore"])
    page.get_by_label("Password").fill("una-password-di-prova")
    page.get_by_role("button", name="Accedi").click()
    page.wait_for_url(f"**/enti/{TORINO}")

    frame = page.frame_locator("#ego-grafo")
    frame.locator("body[data-stabilized=true]").wait_for(timeout=30_000)
    assert frame.locator("canvas").count() == 1
    expect(frame.locator(".meta")).to_contain_text("45 enti")
    assert page.locator("#partner-diretti").inner_text() == "Partner diretti (44)"
    first = page.locator("#rete-ente table.partner-list tbody tr").first
    assert first.locator("td").first.inner_text().startswith(HOSTILE)
    assert first.locator("td.num").inner_text() == "2"
    assert page.locator("#rete-ente img").count() == 0
    suggestions = page.locator("ol.suggestions li.suggestion")
    assert suggestions.count() == 5
    assert suggestions.first.locator("a").get_attribute("href").startswith("/enti/")
    assert "Punteggio" in suggestions.first.inner_text()
    page.screenshot(path=str(artifacts_dir / "profile-1366x768.png"), full_page=True)

    page.get_by_label("Ampiezza della rete").select_option("2")
    page.wait_for_function("() => document.getElementById('ego-grafo').src.includes('raggio=2')")
    expect(frame.locator(".meta")).to_contain_text("139 enti, 548 legami", timeout=30_000)
    frame.locator("body[data-stabilized=true]").wait_for(timeout=30_000)
    assert "raggio=2" in page.url
    page.set_viewport_size({"width": 768, "height": 1024})
    page.screenshot(path=str(artifacts_dir / "profile-768x1024.png"), full_page=True)
    page.set_viewport_size({"width": 1366, "height": 768})

    # Rete: the measures table sorts by a column, by mouse and by keyboard
    page.goto(demo_server + "/rete?round=1")
    table = page.locator("table.measures")
    rows = table.locator("tbody tr")
    assert rows.count() == 25
    assert rows.first.locator("th").inner_text() == "Enti"
    value_header = table.locator("thead th").nth(1)
    assert value_header.get_attribute("aria-sort") == "none"
    value_header.get_by_role("button", name="Valore").click()
    assert value_header.get_attribute("aria-sort") == "ascending"
    values = [_number(t) for t in rows.locator("td").all_inner_texts()]
    numbers = [v for v in values if v is not None]
    assert numbers == sorted(numbers)
    assert values[: len(numbers)] == numbers  # "sì", "n.d." after the numbers
    assert rows.first.locator("td").inner_text() != "494"
    value_header.get_by_role("button", name="Valore").click()
    assert value_header.get_attribute("aria-sort") == "descending"
    assert rows.first.locator("th").inner_text() == "Legami"
    assert rows.first.locator("td").inner_text() == "1.384"
    name_header = table.locator("thead th").nth(0)
    name_header.get_by_role("button", name="Misura").focus()
    page.keyboard.press("Enter")
    assert name_header.get_attribute("aria-sort") == "ascending"
    assert value_header.get_attribute("aria-sort") == "none"
    labels = rows.locator("th").all_inner_texts()
    assert labels[0] == "ARI comunità/distretti"
    assert labels == sorted(labels, key=str.casefold)

    top = page.locator("table.top-betweenness")
    degree_header = top.locator("thead th").nth(3)
    degree_header.get_by_role("button").click()
    degrees = [int(t) for t in top.locator("tbody td.num:nth-child(4)").all_inner_texts()]
    assert degrees == sorted(degrees)

    with page.expect_download() as info:
        page.get_by_role("link", name="Scarica CSV").click()
    download = info.value
    assert download.suggested_filename == "rete-misure.csv"
    text = Path(download.path()).read_text(encoding="utf-8")
    lines = list(csv.reader(io.StringIO(text)))
    assert lines[0] == ["measure", "label", "value"]
    assert len(lines) == 26
    assert lines[1] == ["nodes", "Enti", "494"]
    page.screenshot(path=str(artifacts_dir / "rete-sorted-1366x768.png"), full_page=True)
