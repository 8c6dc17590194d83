"""ATS pages: list and filters, builder (save, validation, locking), live check, lifecycle,
access by role, "add to a draft ATS" from Trova partner, escaping."""

from __future__ import annotations

import re

import pytest
import sqlalchemy as sa

from matchmaker.storage import Organisation, Partnership, PartnershipMember
from matchmaker.storage.rules_models import AtsStatusChange

HOSTILE = "<script>alert(1)</script><img src=x onerror=alert(2)>"
IVREA = "DEMO-BOZZA-M1-EG-DISTRETTO"  # Ivrea: one Ente Gestore of the district is missing
IVREA_LEAD = "99000059990"  # Consorzio Socio-Assistenziale Ivrea-Pavone Canavese (capofila)
IVREA_MISSING = "99000069999"  # Consorzio dei Servizi Sociali Strambino e Comuni Associati
IVREA_ETS = ("99002199992", "99002209999")
PASSWORD = "una-password-di-prova"


def _token(html: str) -> str:
    return re.search(r'name="csrf_token" (?:type="hidden" )?value="([^"]+)"', html).group(1)


class Browser:
    """A test client signed in as one account, that sends the CSRF token of its pages."""

    def __init__(self, app, email: str) -> None:
        self.client = app.test_client()
        page = self.client.get("/accedi").get_data(as_text=True)
        r = self.client.post(
            "/accedi", data={"email": email, "password": PASSWORD, "csrf_token": _token(page)}
        )
        assert r.status_code == 302, email
        self.token = _token(self.client.get("/ats").get_data(as_text=True))

    def get(self, url: str, **kw):
        return self.client.get(url, **kw)

    def post(self, url: str, data=None, **kw):
        data = dict(data or {})
        if isinstance(data, dict):
            data.setdefault("csrf_token", self.token)
        return self.client.post(url, data=data, **kw)

    def post_json(self, url: str, payload):
        return self.client.post(url, json=payload, headers={"X-CSRFToken": self.token})


@pytest.fixture
def staff(demo_app, demo_accounts):
    return Browser(demo_app, demo_accounts["facilitatore"])


@pytest.fixture
def ente(demo_app, demo_accounts):
    return Browser(demo_app, demo_accounts["ente"])


@pytest.fixture
def ricercatore(demo_app, demo_accounts):
    return Browser(demo_app, demo_accounts["ricercatore"])


def _members(db, code: str) -> dict[str, str]:
    with db.session() as s:
        rows = s.execute(
            sa.select(Organisation.tax_code, PartnershipMember.role)
            .join(PartnershipMember.organisation)
            .join(PartnershipMember.partnership)
            .where(Partnership.code == code)
        )
        return {t: r.value for t, r in rows}


def _ats(db, code: str) -> tuple[str, int, str]:
    with db.session() as s:
        p = s.scalar(sa.select(Partnership).where(Partnership.code == code))
        return p.status.value, p.version, p.title


def _form(code_members: dict[str, str], **extra) -> dict:
    data = {
        "title": "Cantiere welfare – Distretto di Ivrea",
        "description": "assistenza domiciliare per anziani",
        "measure": "1",
        "call_round": "3",
        "districts": ["DEMO-TO-05"],
        "member": list(code_members),
        "azione": "salva",
    }
    data.update({f"role_{t}": r for t, r in code_members.items()})
    data.update(extra)
    return data


def _rules(html: str) -> list[str]:
    return re.findall(r'data-rule="([^"]+)"', html)


# --- list ----------------------------------------------------------------------------------


def test_list_and_filters(staff):
    html = staff.get("/ats").get_data(as_text=True)
    assert "57 ATS trovate" in html
    assert 'href="/ats/nuova"' in html
    html = staff.get("/ats?stato=bozza").get_data(as_text=True)
    assert "7 ATS trovate" in html
    html = staff.get("/ats?stato=bozza&round=3").get_data(as_text=True)
    assert "5 ATS trovate" in html
    html = staff.get("/ats?distretto=DEMO-TO-05&stato=bozza").get_data(as_text=True)
    assert "1 ATS trovata" in html
    assert f'href="/ats/{IVREA}"' in html
    html = staff.get("/ats?stato=inventato&round=x").get_data(as_text=True)
    assert "Stato sconosciuto: filtro ignorato." in html
    assert "Round: indicare un numero intero (filtro ignorato)." in html


def test_ricercatore_reads_only(ricercatore):
    html = ricercatore.get("/ats").get_data(as_text=True)
    assert 'href="/ats/nuova"' not in html
    assert ricercatore.get("/ats/nuova").status_code == 403
    html = ricercatore.get(f"/ats/{IVREA}").get_data(as_text=True)
    assert "Consultazione: il suo account non può modificare questa ATS." in html
    assert "Salva bozza" not in html
    assert "Passa a" not in html
    assert ricercatore.post(f"/ats/{IVREA}", _form({IVREA_LEAD: "capofila"})).status_code == 403


# --- the rule check ------------------------------------------------------------------------


@pytest.mark.parametrize(
    "rule",
    [
        "M1-EG-DISTRETTO",
        "M1-ETS-MIN",
        "M1-CAPOFILA-EG",
        "M1-PUBBLICI-TERRITORIO",
        "M1-NO-IMPRESE",
        "M1-ETS-MAX2",
        "M1-EG-UNA-ATS",
    ],
)
def test_demo_drafts_show_their_rule(staff, rule):
    html = staff.get(f"/ats/DEMO-BOZZA-{rule}").get_data(as_text=True)
    assert _rules(html) == [rule, "M1-MULTIDISTRETTO"]
    assert "Composizione non ammissibile" in html


def test_live_check_with_rule_text_and_fixes(staff):
    comp = {
        "measure": 1,
        "round": 3,
        "districts": ["DEMO-TO-05"],
        "members": [{"tax_code": IVREA_LEAD, "role": "capofila"}]
        + [{"tax_code": t, "role": "mandante"} for t in IVREA_ETS],
        "code": IVREA,
        "need": "anziani",
    }
    r = staff.post_json("/ats/verifica", comp)
    assert r.status_code == 200
    data = r.get_json()
    assert data["admissible"] is False
    assert [f["rule_id"] for f in data["findings"]] == ["M1-EG-DISTRETTO", "M1-MULTIDISTRETTO"]
    first = data["findings"][0]
    assert first["severity"] == "error"
    assert first["rule_text"] == (
        "L'ATS comprende tutti gli Enti Gestori di ciascun Distretto della Coesione Sociale "
        "in cui opera."
    )
    assert first["fixes"][0]["action"] == "add"
    assert first["fixes"][0]["tax_codes"] == [IVREA_MISSING]
    assert data["names"][IVREA_MISSING]["name"] == (
        "Consorzio dei Servizi Sociali Strambino e Comuni Associati"
    )
    comp["members"].append({"tax_code": IVREA_MISSING, "role": "mandante"})
    data = staff.post_json("/ats/verifica", comp).get_json()
    assert data["admissible"] is True
    assert [f["rule_id"] for f in data["findings"]] == ["M1-MULTIDISTRETTO"]
    assert data["errors"] == 0
    assert data["warnings"] == 1


def test_live_check_bad_input(staff, demo_app):
    r = staff.post_json("/ats/verifica", {"measure": 1, "round": 3, "districts": []})
    assert r.status_code == 422
    assert r.get_json() == {"error": "members: campo obbligatorio mancante", "field": "members"}
    r = staff.post_json("/ats/verifica", [1, 2])
    assert r.status_code == 400
    r = staff.client.post("/ats/verifica", json={"measure": 1})  # no CSRF token
    assert r.status_code == 400


def test_organisation_search_and_proposal(staff):
    items = staff.get("/ats/enti?q=Strambino").get_json()["items"]
    assert IVREA_MISSING in [i["tax_code"] for i in items]
    assert staff.get("/ats/enti?q=S").get_json() == {"items": []}
    r = staff.post_json(
        "/ats/proponi", {"text": "anziani soli a domicilio", "district": "DEMO-TO-05", "round": 3}
    )
    assert r.status_code == 200
    proposals = r.get_json()["proposals"]
    assert 1 <= len(proposals) <= 3
    first = proposals[0]
    assert first["districts"] == ["DEMO-TO-05"]
    roles = {m["tax_code"]: m["role"] for m in first["members"]}
    assert roles[IVREA_LEAD] == "capofila"
    assert roles[IVREA_MISSING] == "mandante"
    r = staff.post_json("/ats/proponi", {"text": "", "district": "DEMO-TO-05", "round": 3})
    assert r.status_code == 422
    assert "descriva prima il bisogno" in r.get_json()["error"]


# --- saving --------------------------------------------------------------------------------


def test_create_draft_then_add_and_remove_members(staff, demo_database):
    r = staff.post(
        "/ats/nuova",
        _form({IVREA_LEAD: "capofila", IVREA_ETS[0]: "mandante"}, title="Nuova rete Ivrea"),
    )
    assert r.status_code == 302
    code = r.headers["Location"].rsplit("/", 1)[1]
    assert re.fullmatch(r"ATS-R3-\d{4}", code)
    assert _ats(demo_database, code)[0] == "bozza"
    assert _members(demo_database, code) == {IVREA_LEAD: "capofila", IVREA_ETS[0]: "mandante"}
    html = staff.get(f"/ats/{code}").get_data(as_text=True)
    assert "ATS «Nuova rete Ivrea» salvata in bozza" in html
    assert _rules(html) == ["M1-EG-DISTRETTO", "M1-MULTIDISTRETTO"]

    _, version, _ = _ats(demo_database, code)
    data = _form(
        {IVREA_LEAD: "capofila", IVREA_ETS[0]: "mandante"},
        title="Nuova rete Ivrea",
        version=str(version),
        add_tax_code=IVREA_MISSING,
    )
    assert staff.post(f"/ats/{code}", data).status_code == 302
    assert _members(demo_database, code) == {
        IVREA_LEAD: "capofila",
        IVREA_ETS[0]: "mandante",
        IVREA_MISSING: "mandante",
    }
    html = staff.get(f"/ats/{code}").get_data(as_text=True)
    assert "Modifiche salvate." in html
    assert _rules(html) == ["M1-MULTIDISTRETTO"]
    assert "Composizione ammissibile" in html

    # remove one, and move the capofila role to another Ente Gestore
    _, version, _ = _ats(demo_database, code)
    data = _form(
        {IVREA_LEAD: "mandante", IVREA_ETS[0]: "mandante", IVREA_MISSING: "capofila"},
        title="Nuova rete Ivrea",
        version=str(version),
        remove=[IVREA_ETS[0]],
    )
    assert staff.post(f"/ats/{code}", data).status_code == 302
    assert _members(demo_database, code) == {IVREA_LEAD: "mandante", IVREA_MISSING: "capofila"}
    html = staff.get(f"/ats/{code}").get_data(as_text=True)
    assert _rules(html) == ["M1-ETS-MIN", "M1-MULTIDISTRETTO"]


def test_validation_errors_write_nothing(staff, demo_database):
    status, version, title = _ats(demo_database, IVREA)
    before = _members(demo_database, IVREA)
    data = _form(
        {IVREA_LEAD: "capofila", IVREA_MISSING: "capofila", "99999999999": "mandante"},
        title="",
        version=str(version),
        call_round="zero",
        districts=["DEMO-TO-05", "NESSUNO"],
    )
    r = staff.post(f"/ats/{IVREA}", data)
    assert r.status_code == 400
    html = r.get_data(as_text=True)
    assert "La bozza non è stata salvata. Correggere:" in html
    assert "Titolo: indicare il titolo del progetto." in html
    assert "Round del bando: indicare un numero intero." in html
    assert "Distretti: codice NESSUNO sconosciuto." in html
    assert "Membri: nessun ente con codice fiscale 99999999999." in html
    assert "Membri: un solo capofila per ATS (ora sono 2:" in html
    assert _members(demo_database, IVREA) == before
    assert _ats(demo_database, IVREA) == (status, version, title)


def test_optimistic_locking(staff, demo_database):
    _, version, _ = _ats(demo_database, IVREA)
    members = {IVREA_LEAD: "capofila", **dict.fromkeys(IVREA_ETS, "mandante")}
    assert staff.post(f"/ats/{IVREA}", _form(members, version=str(version))).status_code == 302
    stale = _form({**members, IVREA_MISSING: "mandante"}, version=str(version))
    r = staff.post(f"/ats/{IVREA}", stale)
    assert r.status_code == 409
    assert "L&#39;ATS è stata modificata da un&#39;altra persona" in r.get_data(as_text=True)
    assert IVREA_MISSING not in _members(demo_database, IVREA)


def test_verify_without_saving(staff, demo_database):
    _, version, _ = _ats(demo_database, IVREA)
    members = {IVREA_LEAD: "capofila", IVREA_MISSING: "mandante", **dict.fromkeys(IVREA_ETS)}
    data = _form({k: v or "mandante" for k, v in members.items()}, version=str(version))
    data["azione"] = "verifica"
    r = staff.post(f"/ats/{IVREA}", data)
    assert r.status_code == 200
    assert _rules(r.get_data(as_text=True)) == ["M1-MULTIDISTRETTO"]
    assert IVREA_MISSING not in _members(demo_database, IVREA)


# --- lifecycle -----------------------------------------------------------------------------


def test_transitions_and_history(staff, demo_database, demo_accounts):
    # illegal: bozza -> finanziato
    r = staff.post(f"/ats/{IVREA}/stato", {"stato": "finanziato"})
    assert r.status_code == 303
    html = staff.get(f"/ats/{IVREA}").get_data(as_text=True)
    assert "Passaggio di stato non consentito da «Bozza»." in html
    # legal but refused: the composition breaks M1-EG-DISTRETTO
    assert 'value="preliminare_presentato"' in html
    assert 'disabled aria-describedby="blocked-hint"' in html
    staff.post(f"/ats/{IVREA}/stato", {"stato": "preliminare_presentato"})
    html = staff.get(f"/ats/{IVREA}").get_data(as_text=True)
    assert "la composizione non rispetta le regole (M1-EG-DISTRETTO)" in html
    assert _ats(demo_database, IVREA)[0] == "bozza"
    # fix, then submit
    _, version, _ = _ats(demo_database, IVREA)
    members = {
        IVREA_LEAD: "capofila",
        IVREA_MISSING: "mandante",
        **dict.fromkeys(IVREA_ETS, "mandante"),
    }
    assert staff.post(f"/ats/{IVREA}", _form(members, version=str(version))).status_code == 302
    r = staff.post(
        f"/ats/{IVREA}/stato", {"stato": "preliminare_presentato", "nota": "prot. 12/2026"}
    )
    assert r.status_code == 303
    assert _ats(demo_database, IVREA)[0] == "preliminare_presentato"
    staff.post(f"/ats/{IVREA}/stato", {"stato": "ammesso_fase2", "nota": "D.D. 134"})
    with demo_database.session() as s:
        rows = s.execute(
            sa.select(AtsStatusChange.from_status, AtsStatusChange.to_status, AtsStatusChange.actor)
            .join(AtsStatusChange.partnership)
            .where(Partnership.code == IVREA)
            .order_by(AtsStatusChange.id)
        ).all()
    assert [(a.value, b.value, who) for a, b, who in rows] == [
        ("bozza", "preliminare_presentato", demo_accounts["facilitatore"]),
        ("preliminare_presentato", "ammesso_fase2", demo_accounts["facilitatore"]),
    ]
    html = staff.get(f"/ats/{IVREA}").get_data(as_text=True)
    assert "Bozza → Progetto preliminare presentato" in html
    assert "Progetto preliminare presentato → Ammesso alla fase 2" in html
    assert "prot. 12/2026" in html
    assert "D.D. 134" in html
    assert 'value="definitivo_presentato"' in html  # the only next status
    assert 'value="finanziato"' not in html


# --- ente accounts ---------------------------------------------------------------------------


def _ente_tax_code(db) -> str:
    with db.session() as s:
        return s.scalars(
            sa.select(Organisation.tax_code)
            .where(Organisation.kind == "ets")
            .order_by(Organisation.tax_code)
        ).first()


def test_ente_edits_only_its_own_draft(ente, staff, demo_database):
    own = _ente_tax_code(demo_database)
    _, version, _ = _ats(demo_database, IVREA)
    members = {IVREA_LEAD: "capofila", **dict.fromkeys(IVREA_ETS, "mandante")}
    # not a member: 403 on save, on a transition and on "add to draft"
    assert ente.post(f"/ats/{IVREA}", _form(members, version=str(version))).status_code == 403
    assert ente.post(f"/ats/{IVREA}/stato", {"stato": "preliminare_presentato"}).status_code == 403
    r = ente.post("/ats/aggiungi-membro", {"ats": IVREA, "tax_code": own})
    assert r.status_code == 403
    assert own not in _members(demo_database, IVREA)
    html = ente.get(f"/ats/{IVREA}").get_data(as_text=True)
    assert "Consultazione: il suo account non può modificare questa ATS." in html
    # staff adds the ente's organisation: now the ente may edit, but not drop itself
    r = staff.post("/ats/aggiungi-membro", {"ats": IVREA, "tax_code": own, "next": "/ats"})
    assert r.status_code == 302
    assert own in _members(demo_database, IVREA)
    _, version, _ = _ats(demo_database, IVREA)
    r = ente.post(f"/ats/{IVREA}", _form(members, version=str(version)))
    assert r.status_code == 400
    assert "Membri: il suo ente deve restare tra i membri dell&#39;ATS." in r.get_data(as_text=True)
    r = ente.post(f"/ats/{IVREA}", _form({**members, own: "mandante"}, version=str(version)))
    assert r.status_code == 302
    html = ente.get(f"/ats/{IVREA}").get_data(as_text=True)
    assert "Salva bozza" in html
    assert 'value="preliminare_presentato"' in html  # an ente may submit its own draft
    r = ente.post(f"/ats/{IVREA}/stato", {"stato": "preliminare_presentato"})
    assert r.status_code == 303
    html = ente.get(f"/ats/{IVREA}").get_data(as_text=True)
    assert "la composizione non rispetta le regole (M1-EG-DISTRETTO)" in html
    assert ente.get("/ats/NESSUNA").status_code == 404
    # another draft stays out of reach
    other = "DEMO-BOZZA-M1-ETS-MIN"
    _, version, _ = _ats(demo_database, other)
    assert (
        ente.post(f"/ats/{other}", _form({own: "mandante"}, version=str(version))).status_code
        == 403
    )


def test_ente_creates_a_draft_only_with_itself(ente, demo_database):
    own = _ente_tax_code(demo_database)
    html = ente.get("/ats/nuova").get_data(as_text=True)
    assert f'name="member" value="{own}"' in html
    r = ente.post("/ats/nuova", _form({IVREA_LEAD: "capofila"}))
    assert r.status_code == 400
    assert "il suo ente deve far parte dell&#39;ATS che crea" in r.get_data(as_text=True)
    r = ente.post("/ats/nuova", _form({IVREA_LEAD: "capofila", own: "mandante"}))
    assert r.status_code == 302


# --- from Trova partner ------------------------------------------------------------------------


def test_add_to_draft_from_trova_partner(staff, demo_database):
    html = staff.get("/trova-partner").get_data(as_text=True)
    assert "Aggiungi a un" not in html  # no results, empty shortlist: no form
    staff.post("/trova-partner/lista", {"tax_code": IVREA_MISSING})
    staff.post("/trova-partner/lista", {"tax_code": IVREA_ETS[0]})
    html = staff.get("/trova-partner").get_data(as_text=True)
    assert html.count('action="/ats/aggiungi-membro"') == 2
    assert (
        f'<option value="{IVREA}">Cantiere welfare – Distretto di Ivrea ({IVREA})</option>' in html
    )
    assert 'href="/ats/nuova?lista=1"' in html

    r = staff.post(
        "/ats/aggiungi-membro",
        {"ats": IVREA, "tax_code": IVREA_MISSING, "next": "/trova-partner?text=x"},
    )
    assert r.status_code == 302
    assert r.headers["Location"] == "/trova-partner?text=x"
    assert _members(demo_database, IVREA)[IVREA_MISSING] == "mandante"
    html = staff.get("/trova-partner").get_data(as_text=True)
    assert (
        "«Consorzio dei Servizi Sociali Strambino e Comuni Associati» aggiunto all&#39;ATS "
        "«Cantiere welfare – Distretto di Ivrea»: la composizione ora è ammissibile."
    ) in html
    staff.post("/ats/aggiungi-membro", {"ats": IVREA, "tax_code": IVREA_MISSING})
    assert "fa già parte dell&#39;ATS" in staff.get("/trova-partner").get_data(as_text=True)
    staff.post("/ats/aggiungi-membro", {"ats": "DEMO-BOZZA-M1-ETS-MIN", "tax_code": "12"})
    assert "Nessun ente con codice fiscale 12." in staff.get("/trova-partner").get_data(
        as_text=True
    )
    with demo_database.session() as s:
        funded = s.scalar(sa.select(Partnership.code).where(Partnership.status == "finanziato"))
    staff.post("/ats/aggiungi-membro", {"ats": funded, "tax_code": IVREA_MISSING})
    assert "non è in bozza" in staff.get("/trova-partner").get_data(as_text=True)

    # searching in a district: the drafts covering it come first in the select
    html = staff.get("/trova-partner?text=anziani&district=DEMO-TO-05").get_data(as_text=True)
    first = re.search(r'<select id="ats-r-[^"]+" name="ats">\s*<option value="([^"]+)"', html)
    assert first.group(1) == IVREA

    # a new draft from the shortlist: its members are filled in, nothing is saved yet
    html = staff.get("/ats/nuova?lista=1").get_data(as_text=True)
    assert f'name="member" value="{IVREA_MISSING}"' in html
    assert f'name="member" value="{IVREA_ETS[0]}"' in html
    assert 'value="DEMO-TO-05" checked' in html  # the Ente Gestore's district


# --- escaping ------------------------------------------------------------------------------


def test_hostile_names_are_text(staff, demo_database):
    with demo_database.session(actor="test") as s:
        org = s.scalar(sa.select(Organisation).where(Organisation.tax_code == IVREA_ETS[0]))
        org.name = HOSTILE
    escaped = "&lt;script&gt;alert(1)&lt;/script&gt;&lt;img src=x onerror=alert(2)&gt;"
    html = staff.get(f"/ats/{IVREA}").get_data(as_text=True)
    assert HOSTILE not in html
    assert escaped in html
    assert "<img" not in html
    # the JSON island for the script cannot close its <script> element
    island = re.search(r'<script type="application/json" id="ats-data">(.*?)</script>', html, re.S)
    assert "<" not in island.group(1)
    staff.post("/trova-partner/lista", {"tax_code": IVREA_ETS[0]})
    html = staff.get("/trova-partner").get_data(as_text=True)
    assert HOSTILE not in html
    assert escaped in html
