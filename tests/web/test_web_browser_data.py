"""Import and export in a real browser: the error report, the confirmation, a download."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

pytest.importorskip("playwright.sync_api")

pytestmark = pytest.mark.browser

HOSTILE = "<script>alert(1)</script><img src=x onerror=alert(2)>"
BAD_CSV = (
    "denominazione,tipo,codice_fiscale,comune,temi\n"
    "Cooperativa Alfa,ets,97000019998,Torino,domiciliarita\n"
    f'"{HOSTILE}",ets,97000019999,Torino,\n'
    "Gamma,astronave,97000039996,Paperopoli,\n"
)
GOOD_CSV = (
    "denominazione,tipo,codice_fiscale,comune,temi\n"
    "Cooperativa Alfa,ets,97000019998,Torino,domiciliarita\n"
    f'"{HOSTILE}",ets,97000029997,Novara,\n'
    "Impresa Gamma,impresa,97000039996,001272,\n"
)


def _upload(page, name: str, content: str) -> None:
    page.get_by_label("Che cosa contiene il file").select_option(label="Enti (organizzazioni)")
    page.get_by_label("File da importare (CSV, XLSX o JSON)").set_input_files(
        {"name": name, "mimeType": "text/csv", "buffer": content.encode()}
    )
    page.get_by_role("button", name="Carica e controlla").click()
    page.wait_for_url("**/dati/importa")


def test_import_and_export_in_chromium(
    guarded_page, demo_server, demo_accounts, demo_database, artifacts_dir, tmp_path
):
    import sqlalchemy as sa

    from matchmaker.ingest import export_kind
    from matchmaker.storage import Organisation

    def count() -> int:
        with demo_database.session() as s:
            return s.scalar(sa.select(sa.func.count()).select_from(Organisation))

    before = count()
    page, _watch = guarded_page(1366, 768)
    page.goto(demo_server + "/accedi?next=/dati")
    page.get_by_label("E-mail").fill(demo_accounts["facilitatore"])
    page.get_by_label("Password").fill("una-password-di-prova")
    page.get_by_role("button", name="Accedi").click()
    page.wait_for_url("**/dati")
    page.screenshot(path=str(artifacts_dir / "data-1366x768.png"), full_page=True)
    page.set_viewport_size({"width": 768, "height": 1024})
    page.screenshot(path=str(artifacts_dir / "data-768x1024.png"), full_page=True)
    page.set_viewport_size({"width": 1366, "height": 768})

    # a file with errors: the report, nothing imported, no confirmation button
    _upload(page, "enti.csv", BAD_CSV)
    rows = page.locator("table.data-errors tbody tr")
    assert rows.count() == 3
    assert [rows.nth(i).locator("td").nth(0).inner_text() for i in range(3)] == ["3", "4", "4"]
    assert [rows.nth(i).locator("td").nth(1).inner_text() for i in range(3)] == [
        "codice_fiscale",
        "tipo",
        "comune",
    ]
    assert rows.nth(2).locator("td").nth(3).inner_text() == (
        "comune sconosciuto: né codice ISTAT né nome di un comune piemontese"
    )
    assert "Il file contiene errori: nulla è stato importato." in page.locator("main").inner_text()
    assert page.get_by_role("button", name="Conferma importazione").count() == 0
    preview = page.locator("table.data-preview")
    assert HOSTILE in preview.inner_text()
    assert preview.locator("img, script").count() == 0
    assert count() == before
    page.screenshot(path=str(artifacts_dir / "data-import-1366x768.png"), full_page=True)
    page.set_viewport_size({"width": 768, "height": 1024})
    page.screenshot(path=str(artifacts_dir / "data-import-768x1024.png"), full_page=True)
    page.set_viewport_size({"width": 1366, "height": 768})

    # the corrected file: preview, confirmation, summary
    page.get_by_role("link", name="Carica il file corretto").click()
    page.wait_for_url("**/dati")
    _upload(page, "enti.csv", GOOD_CSV)
    assert page.locator("table.data-errors").count() == 0
    assert "Nessun errore: il file può essere importato." in page.locator("main").inner_text()
    page.screenshot(path=str(artifacts_dir / "data-import-ok-1366x768.png"), full_page=True)
    assert count() == before
    page.get_by_role("button", name="Conferma importazione").click()
    page.wait_for_url("**/dati/esito")
    assert page.get_by_role("heading", level=1).inner_text() == "Importazione completata"
    stats = page.locator(".data-stats .stat")
    assert [stats.nth(i).inner_text().split() for i in range(2)] == [
        ["3", "righe", "lette"],
        ["3", "creati"],
    ]
    page.screenshot(path=str(artifacts_dir / "data-import-done-1366x768.png"), full_page=True)
    assert count() == before + 3

    # an export: the downloaded file is the library's export
    page.goto(demo_server + "/dati")
    with page.expect_download() as info:
        page.get_by_role("link", name="CSV – Enti (organizzazioni)").click()
    download = info.value
    assert re.fullmatch(r"enti-\d{4}-\d\d-\d\d\.csv", download.suggested_filename)
    with demo_database.session() as s:
        export_kind(s, "organisations", tmp_path / "expected.csv")
    assert Path(download.path()).read_bytes() == (tmp_path / "expected.csv").read_bytes()

    # a file over the size limit: a clear message on the page, the form to try again
    page.get_by_label("File da importare (CSV, XLSX o JSON)").set_input_files(
        {"name": "grande.csv", "mimeType": "text/csv", "buffer": b"x" * (20 * 1024 * 1024 + 1)}
    )
    page.get_by_role("button", name="Carica e controlla").click()
    page.wait_for_url("**/dati/importa")
    assert page.get_by_role("alert").inner_text() == (
        "Il file è troppo grande: il limite è di 20 MB. Dividere il file in più parti oppure "
        "togliere le colonne non necessarie, e caricarlo di nuovo."
    )
    assert page.get_by_role("button", name="Carica e controlla").count() == 1
