"""The directory pages: search, filters, pagination, profiles and the profile forms."""

from __future__ import annotations

import math
import re

import pytest
import sqlalchemy as sa

from matchmaker.storage import Comune, Organisation, Partnership, PartnershipMember

PASSWORD = "una-password-di-prova"
HOSTILE = "<script>alert(1)</script><img src=x onerror=alert(1)>"


def _token(html: str) -> str:
    return re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', html).group(1)


def _login(client, email: str) -> None:
    token = _token(client.get("/accedi").get_data(as_text=True))
    r = client.post("/accedi", data={"email": email, "password": PASSWORD, "csrf_token": token})
    assert r.status_code == 302


def _count(html: str) -> int:
    if "Nessun ente trovato." in html:
        return 0
    found = re.search(r"([\d.]+) ent[ei] trovat[oi]", html)
    return int(found.group(1).replace(".", ""))


def _scalar(db, query):
    with db.session() as s:
        return s.scalar(query)


def _ente_tax(db) -> str:
    return _scalar(
        db,
        sa.select(Organisation.tax_code)
        .where(Organisation.kind == "ets")
        .order_by(Organisation.tax_code)
        .limit(1),
    )


def _form_fields(html: str) -> dict[str, object]:
    """The values a browser would submit from the profile form as rendered."""
    data: dict[str, object] = {"csrf_token": _token(html)}
    for name in ("name", "comune", "website", "email", "phone"):
        m = re.search(rf'id="{name}" name="{name}"[^>]*value="([^"]*)"', html) or re.search(
            rf'name="{name}"[^>]*value="([^"]*)"', html
        )
        data[name] = m.group(1) if m else ""
    data["version"] = re.search(r'id="version" name="version" type="hidden" value="(\d+)"', html)[1]
    for name in ("kind", "sector", "runts_section"):
        block = re.search(rf'<select[^>]*name="{name}".*?</select>', html, re.S).group(0)
        m = re.search(r'<option selected value="([^"]*)"', block)
        data[name] = m.group(1) if m else ""
    districts = re.search(r'<select[^>]*name="districts".*?</select>', html, re.S).group(0)
    data["districts"] = re.findall(r'<option selected value="([^"]*)"', districts)
    data["themes"] = re.findall(r'name="themes" value="([^"]*)" checked', html)
    data["description"] = re.search(r"<textarea[^>]*>\s*(.*?)</textarea>", html, re.S).group(1)
    return data


def test_matrix_rows_of_the_directory():
    from web.authz import ROLES, allowed

    assert [r for r in ROLES if allowed("directory.new", "POST", r)] == ["admin", "facilitatore"]
    assert [r for r in ROLES if allowed("directory.edit", "POST", r)] == [
        "admin",
        "facilitatore",
        "ente",
    ]
    assert allowed("directory.index", "GET", "anonimo", public_directory=True)
    assert not allowed("directory.profile", "GET", "anonimo", public_directory=False)
    assert allowed("directory.profile", "GET", "ricercatore", public_directory=False)


def test_search_finds_an_organisation_by_a_word_of_its_name(demo_app, demo_accounts):
    client = demo_app.test_client()
    _login(client, demo_accounts["ricercatore"])
    html = client.get("/enti").get_data(as_text=True)
    assert _count(html) == 563
    db = demo_app.extensions["matchmaker"].database
    with db.session() as s:
        org = s.scalars(sa.select(Organisation).order_by(Organisation.id).offset(7)).first()
        name, tax = org.name, org.tax_code
    word = max(name.split(), key=len)
    r = client.get("/enti", query_string={"q": word})
    assert r.status_code == 200
    html = r.get_data(as_text=True)
    assert f'href="/enti/{tax}"' in html
    pattern = f"%{word.lower()}%"
    expected = _scalar(
        db,
        sa.select(sa.func.count()).where(
            sa.or_(
                sa.func.lower(Organisation.name).like(pattern),
                sa.func.lower(Organisation.description).like(pattern),
            )
        ),
    )
    assert _count(html) == expected >= 1
    by_tax = client.get("/enti", query_string={"q": tax.lower()}).get_data(as_text=True)
    assert _count(by_tax) == 1
    assert f'href="/enti/{tax}"' in by_tax


def test_filters_narrow_the_count_like_sql(demo_app, demo_accounts):
    client = demo_app.test_client()
    _login(client, demo_accounts["facilitatore"])
    db = demo_app.extensions["matchmaker"].database
    ets = _scalar(db, sa.select(sa.func.count()).where(Organisation.kind == "ets"))
    html = client.get("/enti", query_string={"tipo": "ets"}).get_data(as_text=True)
    assert _count(html) == ets
    ets_to = _scalar(
        db,
        sa.select(sa.func.count())
        .select_from(Organisation)
        .join(Comune, Organisation.seat_comune_code == Comune.istat_code)
        .where(Organisation.kind == "ets", Comune.province_code == "TO"),
    )
    html = client.get("/enti", query_string={"tipo": "ets", "provincia": "TO"}).get_data(
        as_text=True
    )
    assert _count(html) == ets_to
    assert 0 < ets_to < ets < 563
    public = _scalar(db, sa.select(sa.func.count()).where(Organisation.sector == "public"))
    html = client.get("/enti", query_string={"settore": "public"}).get_data(as_text=True)
    assert _count(html) == public
    aps = _scalar(db, sa.select(sa.func.count()).where(Organisation.runts_section == "aps"))
    assert _count(client.get("/enti?runts=aps").get_data(as_text=True)) == aps
    # the filter keeps its value in the form
    assert '<option value="aps" selected>' in client.get("/enti?runts=aps").get_data(as_text=True)
    bad = client.get("/enti?tipo=nessuno")
    assert bad.status_code == 400
    assert "Filtro non valido" in bad.get_data(as_text=True)


def test_pagination(demo_app, demo_accounts):
    client = demo_app.test_client()
    _login(client, demo_accounts["ricercatore"])
    first = client.get("/enti").get_data(as_text=True)
    second = client.get("/enti?pagina=2").get_data(as_text=True)
    pages = math.ceil(563 / 25)
    assert f"563 enti trovati · pagina 1 di {pages}." in first
    assert f"pagina 2 di {pages}." in second
    rows1 = set(re.findall(r'<td><a href="/enti/(\w+)">', first))
    rows2 = set(re.findall(r'<td><a href="/enti/(\w+)">', second))
    assert len(rows1) == len(rows2) == 25
    assert not rows1 & rows2
    assert 'href="/enti?pagina=2"' in first
    assert "successiva" in first
    last = client.get(f"/enti?pagina={pages}").get_data(as_text=True)
    assert len(re.findall(r'<td><a href="/enti/(\w+)">', last)) == 563 - 25 * (pages - 1)
    assert "successiva" not in last
    # filters survive the page links
    filtered = client.get("/enti?tipo=ets").get_data(as_text=True)
    assert "tipo=ets" in re.search(r'href="([^"]*pagina=2[^"]*)"', filtered).group(1)


def test_profile_shows_ats_and_hides_contacts_by_role(demo_app, demo_accounts):
    db = demo_app.extensions["matchmaker"].database
    with db.session() as s:
        member = s.scalars(
            sa.select(PartnershipMember).join(Organisation).where(Organisation.email.is_not(None))
        ).first()
        org = member.organisation
        tax, email = org.tax_code, org.email
        n_ats = s.scalar(
            sa.select(sa.func.count(sa.distinct(PartnershipMember.partnership_id))).where(
                PartnershipMember.organisation_id == org.id
            )
        )
        code = s.get(Partnership, member.partnership_id).code
    client = demo_app.test_client()
    _login(client, demo_accounts["ricercatore"])
    html = client.get(f"/enti/{tax}").get_data(as_text=True)
    assert "ATS a cui ha partecipato" in html
    assert code in html
    assert len(re.findall(r"<td>(Capofila|Mandante)</td>", html)) == n_ats
    assert email not in html
    assert "Modifica</a>" not in html
    anonymous = demo_app.test_client().get(f"/enti/{tax}")
    assert anonymous.status_code == 200
    assert email not in anonymous.get_data(as_text=True)
    staff = demo_app.test_client()
    _login(staff, demo_accounts["facilitatore"])
    html = staff.get(f"/enti/{tax}").get_data(as_text=True)
    assert f'href="mailto:{email}"' in html
    assert "Modifica</a>" in html
    assert staff.get("/enti/NESSUNO").status_code == 404


def test_anonymous_follows_the_public_directory_setting(demo_app, demo_database, tmp_path):
    from web import create_app

    private = create_app(
        {
            "TESTING": True,
            "public_directory": False,
            "instance_path": str(tmp_path / "p"),
            "database_url": demo_database.url,
        }
    )
    r = private.test_client().get("/enti")
    assert r.status_code == 302
    assert "/accedi?next=" in r.headers["Location"]
    assert demo_app.extensions["matchmaker"].settings.public_directory is True
    html = demo_app.test_client().get("/enti").get_data(as_text=True)
    assert _count(html) == 563
    assert 'href="/enti"' in html


def test_owning_ente_edits_its_profile_and_another_is_refused(demo_app, demo_accounts):
    db = demo_app.extensions["matchmaker"].database
    tax = _ente_tax(db)
    other = _scalar(
        db, sa.select(Organisation.tax_code).where(Organisation.tax_code != tax).limit(1)
    )
    client = demo_app.test_client()
    _login(client, demo_accounts["ente"])
    assert "Modifica</a>" in client.get(f"/enti/{tax}").get_data(as_text=True)
    form = _form_fields(client.get(f"/enti/{tax}/modifica").get_data(as_text=True))
    assert form["name"]
    assert form["kind"] == "ets"
    form["description"] = "Nuova descrizione: servizi di prossimità."
    form["phone"] = "011 123456"
    r = client.post(f"/enti/{tax}/modifica", data=form)
    assert r.status_code == 302
    assert r.headers["Location"] == f"/enti/{tax}"
    page = client.get(f"/enti/{tax}").get_data(as_text=True)
    assert "Aggiornato il profilo di" in page
    assert "servizi di prossimit" in page
    with db.session() as s:
        org = s.scalar(sa.select(Organisation).where(Organisation.tax_code == tax))
        assert org.phone == "011 123456"
        assert org.description == "Nuova descrizione: servizi di prossimità."
        assert org.version == int(form["version"]) + 1
        from matchmaker.storage import AuditEntry

        actors = s.scalars(
            sa.select(AuditEntry.actor).where(
                AuditEntry.entity == "organisation", AuditEntry.entity_key == tax
            )
        ).all()
        assert demo_accounts["ente"] in actors
    assert client.get(f"/enti/{other}/modifica").status_code == 403
    token = _token(client.get(f"/enti/{tax}/modifica").get_data(as_text=True))
    r = client.post(f"/enti/{other}/modifica", data={"csrf_token": token, "name": "x"})
    assert r.status_code == 403
    assert "Modifica</a>" not in client.get(f"/enti/{other}").get_data(as_text=True)
    assert client.get("/enti/nuovo").status_code == 403


def test_validation_errors_appear_next_to_their_fields(demo_app, demo_accounts):
    db = demo_app.extensions["matchmaker"].database
    tax = _ente_tax(db)
    client = demo_app.test_client()
    _login(client, demo_accounts["facilitatore"])
    form = _form_fields(client.get(f"/enti/{tax}/modifica").get_data(as_text=True))
    form.update(
        name="", comune="Paese Che Non Esiste", email="non-una-mail", themes=["tema_inventato"]
    )
    r = client.post(f"/enti/{tax}/modifica", data=form)
    assert r.status_code == 400
    html = r.get_data(as_text=True)
    assert "Il profilo non è stato salvato." in html
    for field in ("name", "comune", "email"):
        block = re.search(rf'<input[^>]*id="{field}".*?</div>', html, re.S).group(0)
        assert f'id="{field}-err"' in block, field
        assert 'aria-invalid="true"' in block
    comune = re.search(r'<p class="field-msg" id="comune-err">([^<]*)</p>', html).group(1)
    assert "comune sconosciuto" in comune
    assert re.search(r'id="themes-err">tema sconosciuto: tema_inventato</p>', html)
    assert 'value="Paese Che Non Esiste"' in html  # what was typed is kept
    # a new profile with a wrong tax-code checksum
    new = client.get("/enti/nuovo").get_data(as_text=True)
    r = client.post(
        "/enti/nuovo",
        data={"csrf_token": _token(new), "tax_code": "80087670017", "name": "Prova", "kind": "ets"},
    )
    assert r.status_code == 400
    msg = re.search(r'id="tax_code-err">([^<]*)</p>', r.get_data(as_text=True)).group(1)
    assert "il carattere di controllo non corrisponde" in msg
    assert _scalar(db, sa.select(sa.func.count()).select_from(Organisation)) == 563


def test_staff_creates_a_profile(demo_app, demo_accounts):
    client = demo_app.test_client()
    _login(client, demo_accounts["admin"])
    html = client.get("/enti/nuovo").get_data(as_text=True)
    assert '<datalist id="comuni-piemonte">' in html
    assert 'list="comuni-piemonte"' in html
    assert html.count("<option value=", html.index("comuni-piemonte")) >= 1179
    r = client.post(
        "/enti/nuovo",
        data={
            "csrf_token": _token(html),
            "tax_code": "80087670016",
            "name": "Associazione Prova Nuova",
            "kind": "ets",
            "runts_section": "odv",
            "comune": "Alba",
            "themes": re.findall(r'name="themes" value="([^"]+)"', html)[:2],
        },
    )
    assert r.status_code == 302
    assert r.headers["Location"] == "/enti/80087670016"
    page = client.get("/enti/80087670016").get_data(as_text=True)
    assert "Creato il profilo di Associazione Prova Nuova." in page
    assert "Alba (CN)" in page
    assert page.count('<li class="chip">') == 2


def test_stale_edit_is_refused_and_the_first_edit_kept(demo_app, demo_accounts):
    db = demo_app.extensions["matchmaker"].database
    tax = _ente_tax(db)
    first, second = demo_app.test_client(), demo_app.test_client()
    _login(first, demo_accounts["facilitatore"])
    _login(second, demo_accounts["admin"])
    form1 = _form_fields(first.get(f"/enti/{tax}/modifica").get_data(as_text=True))
    form2 = _form_fields(second.get(f"/enti/{tax}/modifica").get_data(as_text=True))
    form1["description"] = "Prima modifica."
    assert first.post(f"/enti/{tax}/modifica", data=form1).status_code == 302
    form2["description"] = "Seconda modifica, da rifiutare."
    r = second.post(f"/enti/{tax}/modifica", data=form2)
    assert r.status_code == 409
    html = r.get_data(as_text=True)
    assert "il profilo è stato modificato da altri" in html
    assert "nessun dato è stato sovrascritto" in html
    with db.session() as s:
        org = s.scalar(sa.select(Organisation).where(Organisation.tax_code == tax))
        assert org.description == "Prima modifica."
        assert org.version == int(form1["version"]) + 1


def test_hostile_name_is_escaped(demo_app, demo_accounts):
    db = demo_app.extensions["matchmaker"].database
    tax = _ente_tax(db)
    with db.session(actor="test") as s:
        s.scalar(sa.select(Organisation).where(Organisation.tax_code == tax)).name = HOSTILE
    client = demo_app.test_client()
    _login(client, demo_accounts["facilitatore"])
    escaped = "&lt;script&gt;alert(1)&lt;/script&gt;&lt;img src=x onerror=alert(1)&gt;"
    pages = [
        client.get("/enti", query_string={"q": "script"}).get_data(as_text=True),
        client.get(f"/enti/{tax}").get_data(as_text=True),
        client.get(f"/enti/{tax}/modifica").get_data(as_text=True),
    ]
    for html in pages:
        assert escaped in html or "&lt;script&gt;alert(1)&lt;/script&gt;" in html
        assert "<script>alert(1)" not in html
        assert "<img src=x" not in html
    assert escaped in pages[0]
    assert escaped in pages[1]
    q = client.get("/enti", query_string={"q": HOSTILE}).get_data(as_text=True)
    assert "<script>alert(1)" not in q


@pytest.mark.browser
def test_directory_and_profile_in_chromium(guarded_page, demo_server, demo_accounts, artifacts_dir):
    for width, height in ((1366, 768), (768, 1024)):
        page, _watch = guarded_page(width, height)
        assert page.goto(demo_server + "/enti").status == 200
        assert page.locator("html").get_attribute("lang") == "it"
        page.get_by_label("Cerca per nome, descrizione o codice fiscale").fill("cooperativa")
        page.get_by_label("Tipo di ente").select_option("ets")
        page.get_by_role("button", name="Cerca").click()
        page.wait_for_load_state()
        assert "q=cooperativa" in page.url
        assert "tipo=ets" in page.url
        count = page.locator(".dir-count").inner_text()
        assert re.search(r"\d+ ent[ei] trovat[oi]", count), count
        page.screenshot(path=str(artifacts_dir / f"directory-{width}x{height}.png"), full_page=True)
        link = page.locator(".dir-table tbody a").first
        name = link.inner_text()
        link.click()
        page.wait_for_load_state()
        assert page.locator("h1").inner_text().startswith(name)
        assert page.get_by_role("heading", name="ATS a cui ha partecipato").is_visible()
        page.screenshot(
            path=str(artifacts_dir / f"profile-public-{width}x{height}.png"), full_page=True
        )
        # signed in as a facilitator: the contacts and the edit form
        page.goto(demo_server + "/accedi")
        page.get_by_label("E-mail").fill(demo_accounts["facilitatore"])
        page.get_by_label("Password").fill(PASSWORD)
        page.get_by_role("button", name="Accedi").click()
        page.wait_for_load_state()
        page.goto(demo_server + "/enti")
        page.locator(".dir-table tbody a").first.click()
        page.get_by_role("link", name="Modifica").click()
        page.wait_for_load_state()
        assert page.get_by_label("Comune della sede").get_attribute("list") == "comuni-piemonte"
        page.get_by_label("Denominazione").fill("")
        page.get_by_role("button", name="Salva").click()
        page.wait_for_load_state()
        assert page.locator("#name-err").is_visible()
        page.screenshot(
            path=str(artifacts_dir / f"profile-edit-{width}x{height}.png"), full_page=True
        )
