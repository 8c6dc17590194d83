"""English in a real browser: the footer switch, remembered across pages and sign-in."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.browser


def _nav(page) -> list[str]:
    return [t.strip() for t in page.locator("header nav a").all_inner_texts()]


def test_english_interface_in_chromium(guarded_page, demo_server, demo_accounts, artifacts_dir):
    page, _watch = guarded_page(1366, 768)  # the browser itself asks for Italian
    page.goto(demo_server + "/")
    assert page.locator("html").get_attribute("lang") == "it"
    assert _nav(page) == ["Cruscotto", "Distretti", "Enti", "Accedi"]

    page.locator("footer .lang-switch").get_by_role("link", name="English").click()
    page.wait_for_url("**/?lang=en")
    assert page.locator("html").get_attribute("lang") == "en"
    assert _nav(page) == ["Dashboard", "Districts", "Organisations", "Sign in"]
    assert page.locator("footer .lang-switch [aria-current=true]").inner_text() == "English"

    page.get_by_role("link", name="Sign in").click()  # no ?lang: remembered in the session
    page.wait_for_url("**/accedi")
    assert page.locator("h1").inner_text() == "Sign in"
    page.get_by_label("E-mail").fill(demo_accounts["facilitatore"])
    page.get_by_label("Password").fill("sbagliata-davvero")
    page.get_by_role("button", name="Sign in").click()
    assert page.locator("#password-err").inner_text() == "wrong e-mail or password"
    page.get_by_label("Password").fill("una-password-di-prova")
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(demo_server + "/")
    assert page.locator(".flash").inner_text() == "Signed in as facilitatore@example.org."
    assert _nav(page) == [
        "Dashboard",
        "Districts",
        "Organisations",
        "Find partners",
        "ATS",
        "Network",
        "Data",
        "facilitatore@example.org",
    ]
    page.screenshot(path=str(artifacts_dir / "home-en-1366x768.png"), full_page=True)

    page.get_by_role("link", name="Organisations", exact=True).click()
    page.wait_for_url("**/enti")
    assert page.locator("h1").inner_text().startswith("Organisations")
    assert page.get_by_label("Type of organisation").locator("option").all_inner_texts()[:3] == [
        "all",
        "Ente Gestore (social-services body)",
        "Third-sector organisation (ETS)",
    ]
    page.get_by_label("Type of organisation").select_option("ets")
    page.get_by_role("button", name="Search", exact=True).click()
    page.wait_for_url("**/enti?*tipo=ets*")
    assert page.locator("table.dir-table tbody tr").first.locator("td").nth(1).inner_text()
    assert "Third-sector organisation (ETS)" in page.locator("table.dir-table").inner_text()

    page.locator("footer .lang-switch").get_by_role("link", name="Italiano").click()
    page.wait_for_url("**lang=it*")
    assert page.locator("html").get_attribute("lang") == "it"
    assert page.locator("h1").inner_text().startswith("Enti")
    assert _nav(page)[0] == "Cruscotto"
