"""The import/export pages (/dati): preview with the validation report, all-or-nothing
confirmation, exports equal to the library's, access limited to staff."""

from __future__ import annotations

import html
import io
import os
import re
import time
from pathlib import Path

import pytest
import sqlalchemy as sa

from matchmaker.ingest import export_kind
from matchmaker.storage import AuditEntry, Organisation
from web.views.data import UPLOAD_TTL_SECONDS

PASSWORD = "una-password-di-prova"
HOSTILE = "<script>alert(1)</script><img src=x onerror=alert(2)>"

BAD_CSV = (
    "denominazione,tipo,codice_fiscale,comune,temi\n"
    "Cooperativa Alfa,ets,97000019998,Torino,domiciliarita\n"
    "Associazione Beta,ets,97000019999,Torino,\n"
    "Gamma,astronave,97000039996,Paperopoli,\n"
)
GOOD_CSV = (
    "denominazione,tipo,codice_fiscale,comune,temi\n"
    "Cooperativa Alfa,ets,97000019998,Torino,domiciliarita\n"
    f'"{HOSTILE}",ets,97000029997,Novara,\n'
    "Impresa Gamma,impresa,97000039996,001272,\n"
)
BAD_ERRORS = [
    (
        "3",
        "codice_fiscale",
        "97000019999",
        "codice fiscale 97000019999 non valido: il carattere di controllo non corrisponde "
        "(codice probabilmente errato)",
    ),
    (
        "4",
        "tipo",
        "astronave",
        "valore non ammesso (ammessi: ente_gestore, ets, comune, unione_comuni, asl, impresa, "
        "altro)",
    ),
    (
        "4",
        "comune",
        "Paperopoli",
        "comune sconosciuto: né codice ISTAT né nome di un comune piemontese",
    ),
]


def _token(page: str) -> str:
    return re.search(r'name="csrf_token" (?:type="hidden" )?value="([^"]+)"', page).group(1)


def _login(client, email: str) -> None:
    token = _token(client.get("/accedi").get_data(as_text=True))
    r = client.post("/accedi", data={"email": email, "password": PASSWORD, "csrf_token": token})
    assert r.status_code == 302


def _count(db) -> int:
    with db.session() as s:
        return s.scalar(sa.select(sa.func.count()).select_from(Organisation))


def _upload(client, content: bytes, name: str, kind: str = "organisations", **extra):
    csrf = _token(client.get("/dati").get_data(as_text=True))
    data = {"csrf_token": csrf, "kind": kind, "file": (io.BytesIO(content), name), **extra}
    return client.post("/dati/importa", data=data, content_type="multipart/form-data")


def _table(page: str, cls: str) -> list[tuple[str, ...]]:
    block = re.search(rf'<table class="{cls}".*?</table>', page, re.S).group(0)
    body = block.split("<tbody>", 1)[1]
    rows = []
    for tr in re.findall(r"<tr[^>]*>(.*?)</tr>", body, re.S):
        cells = re.findall(r"<t[dh][^>]*>(.*?)</t[dh]>", tr, re.S)
        rows.append(tuple(html.unescape(re.sub(r"<[^>]+>", "", c)).strip() for c in cells))
    return rows


def _stats(page: str) -> dict[str, str]:
    found = re.findall(r'<span class="stat-n">([^<]*)</span> <span class="stat-l">([^<]*)<', page)
    return {label: n for n, label in found}


@pytest.fixture
def staff(demo_app, demo_accounts):
    client = demo_app.test_client()
    _login(client, demo_accounts["facilitatore"])
    return client


def test_page_shows_form_and_exports(staff):
    r = staff.get("/dati")
    page = r.get_data(as_text=True)
    assert r.status_code == 200
    assert 'enctype="multipart/form-data"' in page
    for label in ("Enti (organizzazioni)", "Distretti", "Partenariati (ATS e reti)"):
        assert "<option value=" in page
        assert label in page
    assert 'href="/dati/esporta?dati=organisations&amp;formato=csv"' in page
    assert 'href="/dati/esporta?dati=collaborations&amp;formato=xlsx"' in page
    assert 'href="/api/v1/network/export?format=graphml"' in page
    assert 'href="/api/v1/network/export?format=csv"' in page
    assert "/dati/backup" not in page  # administrators only


def test_errors_are_reported_and_nothing_is_written(staff, demo_database, demo_app):
    before = _count(demo_database)
    r = _upload(staff, BAD_CSV.encode(), "enti.csv")
    page = r.get_data(as_text=True)
    assert r.status_code == 400
    assert _table(page, "data-errors") == BAD_ERRORS
    assert _stats(page) == {"righe lette": "3", "righe valide": "1", "righe con errori": "2"}
    assert "Il file contiene errori: nulla è stato importato." in page
    assert "3 errori in 2 righe." in page
    assert "Conferma importazione" not in page
    # the preview shows the file's own headers and rows
    preview = _table(page, "data-preview")
    assert preview[0] == ("2", "Cooperativa Alfa", "ets", "97000019998", "Torino", "domiciliarita")
    assert [r[0] for r in preview] == ["2", "⚠ con errori: 3", "⚠ con errori: 4"]
    assert page.count('<tr class="data-row-bad">') == 2
    assert '<th scope="col">denominazione</th>' in page
    assert _count(demo_database) == before
    # the rejected file is not kept
    assert list((Path(demo_app.instance_path) / "uploads").iterdir()) == []
    with staff.session_transaction() as sess:
        assert "data_import" not in sess


def test_valid_csv_preview_then_confirm(staff, demo_database, demo_app, demo_accounts):
    before = _count(demo_database)
    r = _upload(staff, GOOD_CSV.encode(), "nuovi enti.csv")
    page = r.get_data(as_text=True)
    assert r.status_code == 200
    assert _stats(page) == {
        "righe lette": "3",
        "righe valide": "3",
        "righe con errori": "0",
        "da creare": "3",
        "da aggiornare": "0",
        "già uguali": "0",
    }
    assert "Nessun errore: il file può essere importato." in page
    assert 'class="data-errors"' not in page
    # the hostile name is shown as text, never as markup
    assert HOSTILE not in page
    assert html.escape(HOSTILE) in page
    assert _table(page, "data-preview")[1][1] == HOSTILE
    assert _count(demo_database) == before  # nothing written by the preview
    uploads = list((Path(demo_app.instance_path) / "uploads").iterdir())
    assert len(uploads) == 1
    assert uploads[0].suffix == ".csv"
    token = re.search(r'name="token" value="([^"]+)"', page).group(1)
    assert uploads[0].name == f"{token}.csv"

    r = staff.post("/dati/conferma", data={"csrf_token": _token(page), "token": token})
    assert r.status_code == 302
    assert r.headers["Location"] == "/dati/esito"
    assert _count(demo_database) == before + 3
    assert list((Path(demo_app.instance_path) / "uploads").iterdir()) == []
    page = staff.get("/dati/esito").get_data(as_text=True)
    assert "Il file «nuovi enti.csv» è stato importato." in page
    assert _stats(page) == {"righe lette": "3", "creati": "3", "aggiornati": "0", "già uguali": "0"}
    assert 'href="/enti"' in page
    with demo_database.session() as s:
        org = s.scalars(sa.select(Organisation).where(Organisation.tax_code == "97000029997"))
        org = org.one()
        assert org.name == HOSTILE
        assert org.seat_comune_code == "003106"
        actors = set(
            s.scalars(
                sa.select(AuditEntry.actor).where(
                    AuditEntry.entity == "organisation", AuditEntry.entity_key == "97000029997"
                )
            )
        )
    assert actors == {demo_accounts["facilitatore"]}
    # a second confirmation of the same token: nothing to confirm, nothing written
    r = staff.post("/dati/conferma", data={"csrf_token": _token(page), "token": token})
    assert r.status_code == 400
    assert "Non c&#39;è nessuna importazione da confermare" in r.get_data(as_text=True)
    assert _count(demo_database) == before + 3


def test_update_option(staff, demo_database):
    with demo_database.session() as s:
        org = s.scalars(sa.select(Organisation).order_by(Organisation.tax_code)).first()
        tax, kind = org.tax_code, org.kind.value
    csv = f"tax_code,name,kind\n{tax},Nome nuovo,{kind}\n".encode()
    page = _upload(staff, csv, "a.csv").get_data(as_text=True)
    assert _table(page, "data-errors") == [
        (
            "2",
            "tax_code",
            tax,
            "esiste già un ente con questo codice fiscale (usare --update per aggiornarlo)",
        )
    ]
    r = _upload(staff, csv, "a.csv", update="y")
    page = r.get_data(as_text=True)
    assert r.status_code == 200
    assert _stats(page)["da aggiornare"] == "1"
    token = re.search(r'name="token" value="([^"]+)"', page).group(1)
    r = staff.post("/dati/conferma", data={"csrf_token": _token(page), "token": token})
    assert r.status_code == 302
    with demo_database.session() as s:
        assert s.scalar(sa.select(Organisation.name).where(Organisation.tax_code == tax)) == (
            "Nome nuovo"
        )


def test_xlsx_upload(staff, demo_database, tmp_path):
    import openpyxl

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["name", "kind", "tax_code", "comune"])
    ws.append(["Associazione Delta", "ets", "97000049995", "Asti"])
    ws.append(["Bad", "ets", "123", "Asti"])
    path = tmp_path / "enti.xlsx"
    wb.save(path)
    before = _count(demo_database)
    page = _upload(staff, path.read_bytes(), "enti.xlsx").get_data(as_text=True)
    errors = _table(page, "data-errors")
    assert [e[:3] for e in errors] == [("3", "tax_code", "123")]
    assert _table(page, "data-preview")[0] == (
        "2",
        "Associazione Delta",
        "ets",
        "97000049995",
        "Asti",
    )

    ws.delete_rows(3)
    wb.save(path)
    page = _upload(staff, path.read_bytes(), "enti.xlsx").get_data(as_text=True)
    assert _stats(page)["da creare"] == "1"
    token = re.search(r'name="token" value="([^"]+)"', page).group(1)
    r = staff.post("/dati/conferma", data={"csrf_token": _token(page), "token": token})
    assert r.status_code == 302
    assert _count(demo_database) == before + 1


def test_unreadable_file_and_bad_form(staff, demo_database):
    page = _upload(staff, BAD_CSV.encode(), "<img src=x onerror=alert(3)>.csv").get_data(
        as_text=True
    )
    assert "File «&lt;img src=x onerror=alert(3)&gt;.csv»" in page
    assert "<img src=x" not in page
    r = _upload(staff, b"", "vuoto.csv")
    page = r.get_data(as_text=True)
    assert r.status_code == 400
    assert "Il file non può essere letto: nulla è stato importato." in page
    r = _upload(staff, b"a,b\n1,2\n", "enti.pdf")
    assert r.status_code == 400
    assert "Il file deve essere .csv, .xlsx o .json." in r.get_data(as_text=True)
    csrf = _token(staff.get("/dati").get_data(as_text=True))
    r = staff.post("/dati/importa", data={"csrf_token": csrf, "kind": "organisations"})
    assert r.status_code == 400
    assert "Scegliere un file." in r.get_data(as_text=True)


def test_confirm_without_pending_upload(staff, demo_database):
    before = _count(demo_database)
    csrf = _token(staff.get("/dati").get_data(as_text=True))
    r = staff.post("/dati/conferma", data={"csrf_token": csrf, "token": "x" * 32})
    page = r.get_data(as_text=True)
    assert r.status_code == 400
    assert "il file caricato è scaduto o è già stato importato o annullato" in page
    # a token that was valid, but whose file has expired (removed)
    page = _upload(staff, GOOD_CSV.encode(), "enti.csv").get_data(as_text=True)
    token = re.search(r'name="token" value="([^"]+)"', page).group(1)
    for f in (Path(staff.application.instance_path) / "uploads").iterdir():
        f.unlink()
    r = staff.post("/dati/conferma", data={"csrf_token": csrf, "token": token})
    assert r.status_code == 400
    assert "Nulla è stato importato; caricare di nuovo il file." in r.get_data(as_text=True)
    # a file left waiting longer than the time limit
    page = _upload(staff, GOOD_CSV.encode(), "enti.csv").get_data(as_text=True)
    token = re.search(r'name="token" value="([^"]+)"', page).group(1)
    (waiting,) = (Path(staff.application.instance_path) / "uploads").iterdir()
    old = time.time() - UPLOAD_TTL_SECONDS - 1
    os.utime(waiting, (old, old))
    r = staff.post("/dati/conferma", data={"csrf_token": csrf, "token": token})
    assert r.status_code == 400
    assert "il file caricato è scaduto" in r.get_data(as_text=True)
    assert not waiting.exists()
    assert _count(demo_database) == before


def test_confirm_revalidates(staff, demo_database):
    """Data changed between preview and confirm: the new error is reported, nothing written."""
    page = _upload(staff, GOOD_CSV.encode(), "enti.csv").get_data(as_text=True)
    token = re.search(r'name="token" value="([^"]+)"', page).group(1)
    with demo_database.session(actor="test") as s:  # someone else creates one of the three
        from matchmaker.ingest import import_file

        path = Path(staff.application.instance_path) / "uploads" / f"{token}.csv"
        other = path.with_name("other.csv")
        other.write_text(GOOD_CSV.splitlines()[0] + "\n" + GOOD_CSV.splitlines()[3] + "\n")
        import_file(s, "organisations", other)
        other.unlink()
    before = _count(demo_database)
    r = staff.post("/dati/conferma", data={"csrf_token": _token(page), "token": token})
    page = r.get_data(as_text=True)
    assert r.status_code == 409
    assert "nel frattempo i dati sono cambiati" in page
    assert [e[:2] for e in _table(page, "data-errors")] == [("4", "codice_fiscale")]
    assert _count(demo_database) == before


def test_cancel_deletes_the_file(staff, demo_database):
    page = _upload(staff, GOOD_CSV.encode(), "enti.csv").get_data(as_text=True)
    token = re.search(r'name="token" value="([^"]+)"', page).group(1)
    r = staff.post("/dati/annulla", data={"csrf_token": _token(page), "token": token})
    assert r.status_code == 302
    assert list((Path(staff.application.instance_path) / "uploads").iterdir()) == []
    page = staff.get("/dati").get_data(as_text=True)
    assert "Importazione annullata: nulla è stato importato." in page


def test_too_large(staff, demo_app):
    from werkzeug.test import EnvironBuilder

    csrf = _token(staff.get("/dati").get_data(as_text=True))
    big = io.BytesIO(b"x" * (20 * 1024 * 1024 + 10))
    builder = EnvironBuilder(
        path="/dati/importa",
        method="POST",
        data={"csrf_token": csrf, "kind": "organisations", "file": (big, "grande.csv")},
    )
    environ = builder.get_environ()  # a body this large is spooled to a temporary file
    try:
        r = staff.open(environ)
    finally:
        environ["wsgi.input"].close()
        builder.close()
    assert r.status_code == 413
    page = r.get_data(as_text=True)
    assert "Il file è troppo grande: il limite è di 20 MB." in page
    assert 'enctype="multipart/form-data"' in page  # the form, to try again


@pytest.mark.parametrize("kind", ["organisations", "districts", "partnerships", "collaborations"])
def test_export_csv_equals_library(staff, demo_database, tmp_path, kind):
    r = staff.get(f"/dati/esporta?dati={kind}&formato=csv")
    assert r.status_code == 200
    assert r.mimetype == "text/csv"
    names = {"organisations": "enti", "districts": "distretti", "partnerships": "partenariati"}
    name = names.get(kind, "collaborazioni")
    disposition = r.headers["Content-Disposition"]
    assert re.fullmatch(rf"attachment; filename={name}-\d{{4}}-\d\d-\d\d\.csv", disposition)
    with demo_database.session() as s:
        export_kind(s, kind, tmp_path / "x.csv")
    assert r.data == (tmp_path / "x.csv").read_bytes()


def test_export_xlsx(staff, demo_database):
    import openpyxl

    r = staff.get("/dati/esporta?dati=districts&formato=xlsx")
    assert r.status_code == 200
    assert r.headers["Content-Disposition"].endswith(".xlsx")
    ws = openpyxl.load_workbook(io.BytesIO(r.data)).active
    rows = list(ws.iter_rows(values_only=True))
    assert rows[0] == ("code", "name", "comuni", "enti_gestori", "is_illustrative", "source")
    assert len(rows) == 31
    assert staff.get("/dati/esporta?dati=districts&formato=pdf").status_code == 404
    assert staff.get("/dati/esporta?dati=utenti&formato=csv").status_code == 404
    assert staff.get("/dati/esporta").status_code == 404


def test_backup_for_admin_only(demo_app, demo_accounts, staff):
    import zipfile

    assert staff.get("/dati/backup").status_code == 403
    admin = demo_app.test_client()
    _login(admin, demo_accounts["admin"])
    assert "/dati/backup" in admin.get("/dati").get_data(as_text=True)
    r = admin.get("/dati/backup")
    assert r.status_code == 200
    assert re.fullmatch(
        r"attachment; filename=matchmaker-backup-\d{4}-\d\d-\d\d\.zip",
        r.headers["Content-Disposition"],
    )
    assert "manifest.json" in zipfile.ZipFile(io.BytesIO(r.data)).namelist()


@pytest.mark.parametrize("role", ["ricercatore", "ente"])
def test_other_roles_refused(demo_app, demo_accounts, demo_database, role):
    client = demo_app.test_client()
    _login(client, demo_accounts[role])
    before = _count(demo_database)
    for url in (
        "/dati",
        "/dati/esito",
        "/dati/esporta?dati=organisations&formato=csv",
        "/dati/backup",
    ):
        assert client.get(url).status_code == 403, url
    csrf = _token(client.get("/account").get_data(as_text=True))
    data = {
        "csrf_token": csrf,
        "kind": "organisations",
        "file": (io.BytesIO(GOOD_CSV.encode()), "a.csv"),
    }
    r = client.post("/dati/importa", data=data, content_type="multipart/form-data")
    assert r.status_code == 403
    assert client.post("/dati/conferma", data={"csrf_token": csrf}).status_code == 403
    assert _count(demo_database) == before


def test_anonymous_refused(demo_app, demo_database):
    client = demo_app.test_client()
    r = client.get("/dati")
    assert r.status_code == 302
    assert "/accedi" in r.headers["Location"]
    assert client.get("/dati/esporta?dati=organisations&formato=csv").status_code == 302
    r = client.post(
        "/dati/importa",
        data={"kind": "organisations", "file": (io.BytesIO(GOOD_CSV.encode()), "a.csv")},
        content_type="multipart/form-data",
    )
    assert r.status_code == 401


def test_csrf_required(staff, demo_database):
    before = _count(demo_database)
    r = staff.post(
        "/dati/importa",
        data={"kind": "organisations", "file": (io.BytesIO(GOOD_CSV.encode()), "a.csv")},
        content_type="multipart/form-data",
    )
    assert r.status_code == 400
    assert _count(demo_database) == before


def test_reasons_follow_the_language(staff):
    staff.get("/dati?lang=en")
    page = _upload(staff, BAD_CSV.encode(), "enti.csv").get_data(as_text=True)
    assert [e[3] for e in _table(page, "data-errors")] == [
        "invalid tax code (length, format or check digit)",
        "value not allowed (allowed: ente_gestore, ets, comune, unione_comuni, asl, impresa, "
        "altro)",
        "unknown comune: neither an ISTAT code nor the name of a comune of Piemonte",
    ]
