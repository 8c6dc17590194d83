"""The ATS builder in a real browser: from Trova partner to a submitted ATS, checked live."""

from __future__ import annotations

import pytest

expect = pytest.importorskip("playwright.sync_api").expect

pytestmark = pytest.mark.browser

HOSTILE = "<script>alert(1)</script><img src=x onerror=alert(2)>"
NEED = "assistenza domiciliare anziani non autosufficienti e sostegno ai caregiver"
IVREA = "DEMO-BOZZA-M1-EG-DISTRETTO"
MISSING = "Consorzio dei Servizi Sociali Strambino e Comuni Associati"


def _shots(page, artifacts_dir, name: str) -> None:
    page.set_viewport_size({"width": 1366, "height": 768})
    page.screenshot(path=str(artifacts_dir / f"{name}-1366x768.png"), full_page=True)
    page.set_viewport_size({"width": 768, "height": 1024})
    page.screenshot(path=str(artifacts_dir / f"{name}-768x1024.png"), full_page=True)
    page.set_viewport_size({"width": 1366, "height": 768})


def test_ats_builder_in_chromium(
    guarded_page, demo_server, demo_accounts, demo_database, artifacts_dir
):
    import sqlalchemy as sa

    from matchmaker.storage import Organisation, Partnership, PartnershipMember

    with demo_database.session(actor="test") as s:  # a hostile name among the members
        s.scalar(
            sa.select(Organisation).where(Organisation.tax_code == "99002199992")
        ).name = HOSTILE
        members = set(
            s.scalars(
                sa.select(Organisation.tax_code)
                .join(PartnershipMember.organisation)
                .join(PartnershipMember.partnership)
                .where(Partnership.code == IVREA)
            )
        )
        extra = s.scalars(  # a third-sector body to add and remove through the search box
            sa.select(Organisation)
            .where(Organisation.kind == "ets", Organisation.tax_code.not_in(members))
            .order_by(Organisation.tax_code.desc())
        ).first()
        extra_code, extra_name = extra.tax_code, extra.name

    page, _watch = guarded_page(1366, 768)
    page.goto(demo_server + "/accedi?next=/trova-partner")
    page.get_by_label("E-mail").fill(demo_accounts["facilitatore"])
    page.get_by_label("Password").fill("una-password-di-prova")
    page.get_by_role("button", name="Accedi").click()
    page.wait_for_url("**/trova-partner")

    # Trova partner: two candidates go into the Ivrea draft
    page.get_by_label("Bisogno da soddisfare").fill(NEED)
    page.get_by_label("Distretto").select_option(label="Distretto di Ivrea")
    page.get_by_role("button", name="Cerca partner").click()
    page.wait_for_selector("ol.results li.result")
    added = []
    for i in range(page.locator("ol.results li.result").count()):
        item = page.locator("ol.results li.result").nth(i)
        code = item.locator("form.ats-add-form input[name=tax_code]").get_attribute("value")
        if code in members:
            continue
        item.get_by_label("ATS in bozza").select_option(IVREA)
        item.get_by_role("button", name="Aggiungi a un'ATS in bozza").click()
        expect(page.locator(".flash-ok")).to_contain_text("aggiunto all'ATS")
        added.append(code)
        if len(added) == 2:
            break
    assert len(added) == 2

    # the list, filtered on drafts
    page.goto(demo_server + "/ats")
    page.get_by_label("Stato").select_option("bozza")
    page.get_by_role("button", name="Filtra").click()
    expect(page.locator("h2.ats-count")).to_have_text("7 ATS trovate")
    _shots(page, artifacts_dir, "ats-list")

    # the builder: red, with the one-click fix
    page.get_by_role("link", name="Cantiere welfare – Distretto di Ivrea").click()
    page.wait_for_url(f"**/ats/{IVREA}")
    expect(page.locator("#ats-members-body tr")).to_have_count(len(members) + 2)
    assert HOSTILE in page.locator("#ats-members-body").inner_text()
    assert page.locator("img").count() == 0
    fix = page.get_by_role("button", name=f"Aggiungi {MISSING}")
    expect(fix).to_be_visible()
    verdict = page.locator("#ats-check .ats-verdict")
    expect(verdict).to_have_class("ats-verdict ko")
    expect(verdict).to_contain_text("Composizione non ammissibile")
    expect(page.locator("#ats-check .ats-finding.error")).to_have_attribute(
        "data-rule", "M1-EG-DISTRETTO"
    )
    expect(page.locator("#ats-check .ats-finding.error .ats-rule-text")).to_have_text(
        "L'ATS comprende tutti gli Enti Gestori di ciascun Distretto della Coesione Sociale "
        "in cui opera."
    )
    _shots(page, artifacts_dir, "ats-builder")

    page.evaluate("window.__sameDocument = true")
    fix.click()
    expect(verdict).to_have_class("ats-verdict ok")
    expect(verdict).to_contain_text("Composizione ammissibile")
    expect(page.locator("#ats-members-body")).to_contain_text(MISSING)

    # search, add and remove a member: the check follows, still without reloading
    page.get_by_label("Aggiungi un ente: cerchi per nome o codice fiscale").fill(extra_code)
    page.locator("#ats-search-results button.ats-result").first.click()
    expect(page.locator("#ats-members-body tr")).to_have_count(len(members) + 4)
    expect(page.locator("#ats-members-body")).to_contain_text(extra_name)
    page.locator(f"#ats-members-body tr[data-tax-code='{extra_code}'] button").click()
    expect(page.locator("#ats-members-body tr")).to_have_count(len(members) + 3)
    expect(verdict).to_have_class("ats-verdict ok")
    assert page.evaluate("window.__sameDocument") is True
    _shots(page, artifacts_dir, "ats-builder-ok")

    # save, then submit the preliminary project: the history shows who did it and when
    page.get_by_role("button", name="Salva bozza").click()
    expect(page.locator(".flash-ok")).to_have_text("Modifiche salvate.")
    expect(page.locator("#ats-members-body tr")).to_have_count(len(members) + 3)
    page.get_by_label("Nota (facoltativa)").fill("Protocollo 12/2026")
    page.get_by_role("button", name="Passa a «Progetto preliminare presentato»").click()
    expect(page.locator(".flash-ok")).to_have_text(
        "Stato cambiato in «Progetto preliminare presentato»."
    )
    history = page.locator(".ats-history li")
    expect(history).to_have_count(1)
    expect(history).to_contain_text("Bozza → Progetto preliminare presentato")
    expect(history).to_contain_text(demo_accounts["facilitatore"])
    expect(history).to_contain_text("Protocollo 12/2026")
    expect(page.get_by_role("button", name="Passa a «Ammesso alla fase 2»")).to_be_enabled()
    _shots(page, artifacts_dir, "ats-builder-history")
