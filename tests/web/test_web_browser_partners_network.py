"""Trova partner and Rete in a real browser: no request leaves the machine, no dialog."""

from __future__ import annotations

import pytest

expect = pytest.importorskip("playwright.sync_api").expect

pytestmark = pytest.mark.browser

HOSTILE = "<script>alert(1)</script><img src=x onerror=alert(2)>"
NEED = "assistenza domiciliare anziani non autosufficienti e sostegno ai caregiver"


def test_partners_and_network_in_chromium(
    guarded_page, demo_server, demo_accounts, demo_database, artifacts_dir
):
    import sqlalchemy as sa

    from matchmaker.storage import Organisation

    with demo_database.session(actor="test") as s:  # a hostile name among the results
        org = s.scalars(sa.select(Organisation).where(Organisation.tax_code == "99001379991"))
        org.one().name = HOSTILE
    page, _watch = guarded_page(1366, 768)
    page.goto(demo_server + "/accedi?next=/trova-partner")
    page.get_by_label("E-mail").fill(demo_accounts["facilitatore"])
    page.get_by_label("Password").fill("una-password-di-prova")
    page.get_by_role("button", name="Accedi").click()
    page.wait_for_url("**/trova-partner")

    page.get_by_label("Bisogno da soddisfare").fill(NEED)
    page.get_by_label("Distretto").select_option(label="Distretto di Torino")
    page.get_by_role("button", name="Cerca partner").click()
    page.wait_for_selector("ol.results li.result")
    assert page.locator("ol.results li.result").count() == 15
    assert page.locator("ol.results li.result").first.locator("meter").count() >= 2
    assert HOSTILE in page.locator("ol.results").inner_text()
    assert page.locator("ol.results img").count() == 0
    page.locator("ol.results li.result").nth(0).get_by_role(
        "button", name="Aggiungi alla lista"
    ).click()
    page.wait_for_selector(".shortlist-items li")
    assert page.locator("#lista-titolo").inner_text() == "Lista dei partner (1)"
    page.screenshot(path=str(artifacts_dir / "partners-1366x768.png"), full_page=True)
    page.set_viewport_size({"width": 768, "height": 1024})
    page.screenshot(path=str(artifacts_dir / "partners-768x1024.png"), full_page=True)
    page.set_viewport_size({"width": 1366, "height": 768})

    page.get_by_role("link", name="Rete", exact=True).click()
    page.wait_for_url("**/rete")
    frame = page.frame_locator("#rete-grafo")
    frame.locator("body[data-stabilized=true]").wait_for(timeout=30_000)
    assert frame.locator("canvas").count() == 1
    assert page.locator("table.measures tbody tr").count() == 25
    page.get_by_label("Colore").select_option("community")
    page.get_by_label("Disposizione").select_option("geo")
    page.wait_for_function("() => document.getElementById('rete-grafo').src.includes('layout=geo')")
    expect(frame.locator(".meta")).to_contain_text(
        "colore: comunità; dimensione: grado; disposizione: geografica", timeout=30_000
    )
    frame.locator("body[data-stabilized=true]").wait_for(timeout=30_000)
    assert "color=community" in page.url
    assert "layout=geo" in page.url
    page.screenshot(path=str(artifacts_dir / "rete-1366x768.png"), full_page=True)
    page.set_viewport_size({"width": 768, "height": 1024})
    page.screenshot(path=str(artifacts_dir / "rete-768x1024.png"), full_page=True)
