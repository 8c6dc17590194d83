"""English as the second language: selection, the committed catalogue, translated pages."""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog
from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.mofile import read_mo, write_mo
from babel.messages.pofile import read_po
from markupsafe import Markup

ROOT = Path(__file__).resolve().parents[2]
TRANSLATIONS = ROOT / "web" / "translations"
POT = TRANSLATIONS / "messages.pot"
PO = TRANSLATIONS / "en" / "LC_MESSAGES" / "messages.po"
MO = TRANSLATIONS / "en" / "LC_MESSAGES" / "messages.mo"
RERUN = "run `make translations` and translate the new messages in " + str(PO.relative_to(ROOT))
PLACEHOLDER = re.compile(r"%\((\w+)\)[sd]")


def _read_po(path: Path) -> Catalog:
    with path.open("rb") as fh:
        return read_po(fh)


def _ids(catalog: Catalog) -> set:
    return {_hashable(m.id) for m in catalog if m.id}


def _hashable(value):
    """Plural messages come as lists from ``read_mo`` and as tuples from ``read_po``."""
    return tuple(value) if isinstance(value, list | tuple) else value


def _translated(message) -> bool:
    """Every form (one, or one per plural) has a non-empty translation."""
    strings = message.string if isinstance(message.string, list | tuple) else (message.string,)
    return all(strings)


def _html_lang(html: str) -> str:
    return re.search(r'<html lang="([a-z]+)">', html).group(1)


def _nav(html: str) -> list[str]:
    nav = re.search(r'<nav aria-label="[^"]+">(.*?)</nav>', html, re.S).group(1)
    return [re.sub(r"<[^>]+>", "", a).strip() for a in re.findall(r"<a [^>]*>.*?</a>", nav)]


# --- language selection --------------------------------------------------------------------


def test_italian_by_default_even_when_the_browser_asks_for_english(client):
    html = client.get("/", headers={"Accept-Language": "en-GB,en;q=0.9"}).get_data(as_text=True)
    assert _html_lang(html) == "it"
    assert _nav(html) == ["Cruscotto", "Distretti", "Enti", "Accedi"]
    assert '<a href="/?lang=en" hreflang="en" lang="en">English</a>' in html


def test_lang_en_switches_to_english_and_is_remembered(client):
    html = client.get("/?lang=en").get_data(as_text=True)
    assert _html_lang(html) == "en"
    assert _nav(html) == ["Dashboard", "Districts", "Organisations", "Sign in"]
    assert "Skip to content" in html
    with client.session_transaction() as session:
        assert session["lang"] == "en"
    login = client.get("/accedi", headers={"Accept-Language": "it"}).get_data(as_text=True)
    assert _html_lang(login) == "en"
    assert "<h1>Sign in</h1>" in login
    assert 'value="Sign in"' in login
    back = client.get("/accedi?lang=it").get_data(as_text=True)
    assert _html_lang(back) == "it"
    assert "<h1>Accedi</h1>" in back
    assert _html_lang(client.get("/").get_data(as_text=True)) == "it"


def test_unknown_language_falls_back_to_the_remembered_one(client):
    client.get("/?lang=en")
    assert _html_lang(client.get("/?lang=de").get_data(as_text=True)) == "en"
    with client.session_transaction() as session:
        assert session["lang"] == "en"


def test_login_error_in_english(client, accounts, login):
    client.get("/?lang=en")
    r = login("admin@example.org", "sbagliatissima")
    assert r.status_code == 400
    html = r.get_data(as_text=True)
    assert '<p class="field-msg" id="password-err">wrong e-mail or password</p>' in html
    assert "non corretti" not in html
    empty = login("", "")
    assert empty.status_code == 400
    assert "This field is required." in empty.get_data(as_text=True)
    no_token = client.post("/accedi", data={"email": "admin@example.org", "password": "x"})
    assert no_token.status_code == 400
    assert "CSRF token missing or expired: reload the page and try again." in no_token.get_data(
        as_text=True
    )


def test_login_error_in_italian_by_default(client, accounts, login):
    html = login("admin@example.org", "sbagliatissima").get_data(as_text=True)
    assert '<p class="field-msg" id="password-err">e-mail o password non corretti</p>' in html


def test_signed_in_pages_and_flash_in_english(client, accounts, login):
    client.get("/?lang=en")
    login("admin@example.org")
    home = client.get("/").get_data(as_text=True)
    assert "Signed in as admin@example.org." in home
    assert _nav(home)[-3:] == ["Users", "Audit log", "admin@example.org"]
    assert ">Sign out</button>" in home
    account = client.get("/account").get_data(as_text=True)
    assert "<h1>My account</h1>" in account
    assert "<dt>Role</dt><dd>Administrator</dd>" in account
    assert '<label for="confirm">Repeat the new password</label>' in account
    users = client.get("/admin/utenti").get_data(as_text=True)
    assert '<option value="ricercatore">Researcher (read only)</option>' in users
    assert "<td>Researcher</td>" in users
    audit = client.get("/admin/registro").get_data(as_text=True)
    assert '<th scope="col">When (UTC)</th>' in audit


def test_error_pages_in_english(client):
    client.get("/?lang=en")
    r = client.get("/non-esiste")
    assert r.status_code == 404
    html = r.get_data(as_text=True)
    assert '<p class="error-code">Error 404</p>' in html
    assert "<h1>Page not found</h1>" in html
    assert "Back to the dashboard" in html
    api = client.get("/api/v1/non-esiste", headers={"Accept": "application/json"})
    assert api.get_json()["title"] == "Page not found"


def test_error_page_in_italian_by_default(client):
    html = client.get("/non-esiste").get_data(as_text=True)
    assert "<h1>Pagina non trovata</h1>" in html
    assert '<p class="error-code">Errore 404</p>' in html


def test_directory_labels_from_the_library_are_translated(demo_app):
    client = demo_app.test_client()
    html = client.get("/enti?lang=en&tipo=ets").get_data(as_text=True)
    assert '<label for="f-tipo">Type of organisation</label>' in html
    assert '<option value="ente_gestore" >Ente Gestore (social-services body)</option>' in html
    assert '<option value="ets" selected>Third-sector organisation (ETS)</option>' in html
    assert "Voluntary organisation (ODV)" in html
    assert "Ente del Terzo Settore" not in html
    assert re.search(r"<td>Third-sector organisation \(ETS\)", html)
    themes = re.search(r'<select id="f-tema" name="tema">(.*?)</select>', html, re.S).group(1)
    assert '<option value="abitare" >Social housing and housing emergency</option>' in themes
    assert re.search(r"\d organisations found", html)
    italian = client.get("/enti?lang=it&tipo=ets").get_data(as_text=True)
    assert '<option value="ets" selected>Ente del Terzo Settore</option>' in italian


def test_every_library_label_is_listed_for_extraction():
    from web.i18n import DOMAIN_LABELS, ROLE_NAMES, library_labels

    assert library_labels() <= set(DOMAIN_LABELS)
    english = {m.id: m.string for m in _read_po(PO)}
    for label in (*DOMAIN_LABELS, *ROLE_NAMES.values()):
        assert english.get(label), label


def test_translate_label_leaves_unknown_and_empty_values_alone(app):
    from web.i18n import translate_label

    with app.test_request_context("/?lang=en"):
        assert translate_label("Ente gestore") == "Ente Gestore (social-services body)"
        assert translate_label("Distretto di Torino") == "Distretto di Torino"
        assert translate_label("") == ""
        assert translate_label(None) is None
        assert translate_label(Markup("Ente gestore")) == "Ente gestore"  # final HTML
    with app.test_request_context("/"):
        assert translate_label("Ente gestore") == "Ente gestore"


# --- the committed catalogue -----------------------------------------------------------------


def test_every_message_has_an_english_translation():
    catalog = _read_po(PO)
    missing = [m.id for m in catalog if m.id and not _translated(m)]
    fuzzy = [m.id for m in catalog if m.id and m.fuzzy]
    assert missing == [], RERUN
    assert fuzzy == [], "fuzzy translations are not compiled: review them and drop the flag"


def test_placeholders_are_kept_in_every_translation():
    for message in _read_po(PO):
        if not message.id:
            continue
        ids = message.id if isinstance(message.id, tuple) else (message.id,)
        strings = message.string if isinstance(message.string, tuple | list) else (message.string,)
        if not any(strings):  # untranslated: reported by the test above
            continue
        wanted = sorted(set(PLACEHOLDER.findall(ids[0])))
        for string in strings:
            assert sorted(set(PLACEHOLDER.findall(string))) == wanted, message.id
            assert string.count("%") - 2 * string.count("%%") == len(PLACEHOLDER.findall(string)), (
                message.id,
                "stray %",
            )


def test_committed_mo_is_the_compiled_po():
    po = _read_po(PO)
    compiled = io.BytesIO()
    write_mo(compiled, po)
    compiled.seek(0)
    with MO.open("rb") as fh:
        committed = read_mo(fh)
    fresh = read_mo(compiled)

    def as_dict(catalog: Catalog) -> dict:
        return {_hashable(m.id): _hashable(m.string) for m in catalog if m.id}

    assert as_dict(committed) == as_dict(fresh), RERUN
    assert len(as_dict(committed)) == len([m for m in po if m.id and _translated(m)]), RERUN


def test_template_is_up_to_date_with_the_sources():
    with (ROOT / "babel.cfg").open(encoding="utf-8") as fh:
        method_map, options_map = parse_mapping_cfg(fh, str(ROOT / "babel.cfg"))
    keywords = dict(DEFAULT_KEYWORDS, lazy_gettext=None, _l=None, operation=None)
    extracted = Catalog()
    for filename, lineno, message, comments, context in extract_from_dir(
        str(ROOT),
        method_map,
        options_map,
        keywords=keywords,
        directory_filter=lambda path: _in_web(Path(path)),
    ):
        extracted.add(message, None, [(filename, lineno)], auto_comments=comments, context=context)
    template = _read_po(POT)
    assert _ids(extracted) - _ids(template) == set(), RERUN
    assert _ids(template) - _ids(extracted) == set(), RERUN
    assert _ids(_read_po(PO)) == _ids(template), RERUN


def _in_web(path: Path) -> bool:
    relative = path.resolve().relative_to(ROOT)
    return relative.parts[:1] == ("web",) and not relative.name.startswith(".")


@pytest.mark.parametrize("path", [POT, PO, MO])
def test_catalogue_files_are_shipped(path):
    assert path.is_file()
    setup = (ROOT / "setup.cfg").read_text(encoding="utf-8")
    assert "translations/*/LC_MESSAGES/*" in setup


def test_profile_form_errors_in_english(demo_app, demo_accounts):
    client = demo_app.test_client()
    client.get("/?lang=en")

    def token(path: str) -> str:
        page = client.get(path).get_data(as_text=True)
        return re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)

    client.post(
        "/accedi",
        data={
            "email": demo_accounts["facilitatore"],
            "password": "una-password-di-prova",
            "csrf_token": token("/accedi"),
        },
    )
    r = client.post(
        "/enti/nuovo",
        data={"csrf_token": token("/enti/nuovo"), "name": "", "kind": "ets", "comune": "Nessuno"},
    )
    assert r.status_code == 400
    html = r.get_data(as_text=True)
    assert "<strong>The profile was not saved.</strong>" in html
    assert '<p class="field-msg" id="name-err">required field is missing</p>' in html
    assert "unknown comune: neither an ISTAT code nor the name of a comune of Piemonte" in html
    assert "obbligatorio" not in html


def test_profile_and_numbers_follow_the_language(demo_app):
    client = demo_app.test_client()
    english = client.get("/?lang=en").get_data(as_text=True)
    assert '<span class="stat-n">1,179</span>' in english
    italian = client.get("/?lang=it").get_data(as_text=True)
    assert '<span class="stat-n">1.179</span>' in italian
    profile = client.get("/enti/99004679991?lang=en").get_data(as_text=True)
    assert "<dd>Third-sector organisation (ETS)</dd>" in profile
    assert "Ente del Terzo Settore" not in profile
    assert "Social housing and housing emergency" in profile
