"""A new user's first session in Debian's chromium, and a hostile name on every page.

The journey: sign in, search the directory (the result count follows the name typed and
the filter chosen), open a profile, open the network explorer, change colour and layout,
download the GraphML and find in it as many nodes as the page announces. Screenshots of
the pages no other test photographs are saved at 1366x768 and 768x1024.
"""

from __future__ import annotations

import re

import pytest
from a11y import NEED, PASSWORD, main_pages, settle, sign_in, wait_graph, wait_results

expect = pytest.importorskip("playwright.sync_api").expect

pytestmark = pytest.mark.browser

HOSTILE = "<script>alert(1)</script><img src=x onerror=alert(2)>"
TORINO = "DEMO-TO-01"
SIZES = [(1366, 768), (768, 1024)]
# screenshots saved by other tests (not overwritten here)
ELSEWHERE = {"home", "enti", "profilo", "modifica", "trova-partner", "rete", "distretto", "ats"}


def _shoot(page, artifacts_dir, name: str) -> None:
    """Full-page screenshots at both sizes; the page is left at 1366x768."""
    for width, height in SIZES:
        page.set_viewport_size({"width": width, "height": height})
        page.screenshot(path=str(artifacts_dir / f"{name}-{width}x{height}.png"), full_page=True)
    page.set_viewport_size({"width": 1366, "height": 768})


def _number(text: str) -> int:
    """An Italian-formatted integer ("1.234") as int."""
    return int(text.replace(".", ""))


def test_new_user_journey(guarded_page, demo_server, demo_accounts, artifacts_dir, tmp_path):
    import networkx as nx

    page, _watch = guarded_page(1366, 768)
    page.goto(demo_server + "/")
    page.get_by_role("link", name="Accedi").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Accedi")
    _shoot(page, artifacts_dir, "accedi")
    page.get_by_label("E-mail").fill(demo_accounts["facilitatore"])
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Accedi").click()
    page.wait_for_url(demo_server + "/")
    expect(page.get_by_role("link", name=demo_accounts["facilitatore"])).to_be_visible()

    # the directory: the count follows the words typed and the filter chosen
    page.get_by_role("link", name="Enti", exact=True).click()
    count = page.locator(".dir-count")
    expect(count).to_have_text("563 enti trovati · pagina 1 di 23.")
    page.get_by_label("Cerca per nome, descrizione o codice fiscale").fill("Torino")
    page.get_by_role("button", name="Cerca", exact=True).click()
    expect(count).to_have_text("66 enti trovati · pagina 1 di 3.")
    page.get_by_label("Tipo di ente").select_option(label="Ente del Terzo Settore")
    page.get_by_role("button", name="Cerca", exact=True).click()
    expect(count).to_have_text("51 enti trovati · pagina 1 di 3.")
    assert "q=Torino" in page.url
    assert "tipo=ets" in page.url
    rows = page.locator(".dir-table tbody tr")
    assert rows.count() == 25
    _shoot(page, artifacts_dir, "enti-ricerca")

    # a profile
    first = rows.first.get_by_role("link")
    name = first.inner_text()
    first.click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(name)
    expect(page.locator("dl.facts")).to_contain_text("Ente del Terzo Settore")

    # the network explorer: colour and layout redraw the frame
    page.get_by_role("link", name="Rete", exact=True).click()
    page.wait_for_url("**/rete")
    wait_graph(page)
    heading = page.get_by_role("heading", name=re.compile(r"^La rete: ")).inner_text()
    nodes, edges = map(
        _number, re.fullmatch(r"La rete: ([\d.]+) enti, ([\d.]+) legami", heading).groups()
    )
    page.get_by_label("Colore").select_option("district")
    page.get_by_label("Disposizione").select_option("geo")
    frame = page.frame_locator("#rete-grafo")
    expect(frame.locator(".meta")).to_contain_text("disposizione: geografica", timeout=30_000)
    expect(frame.locator(".meta")).to_contain_text("colore: distretto")
    wait_graph(page)
    assert "color=district" in page.url
    assert "layout=geo" in page.url

    # the GraphML download has the nodes and edges the page announces
    with page.expect_download() as info:
        page.get_by_role("link", name="GraphML").click()
    download = info.value
    target = tmp_path / download.suggested_filename
    download.save_as(target)
    assert target.suffix == ".graphml"
    G = nx.read_graphml(target)
    assert (G.number_of_nodes(), G.number_of_edges()) == (nodes, edges)


def test_other_pages_at_both_sizes(
    guarded_page, demo_server, demo_accounts, demo_database, artifacts_dir
):
    """The pages no other browser test photographs, signed in as an administrator."""
    page, _watch = guarded_page(1366, 768)
    sign_in(page, demo_server, demo_accounts["admin"])
    shot = []
    for name, path, wait in main_pages(demo_database):
        if name in ELSEWHERE:
            continue
        response = page.goto(demo_server + path)
        assert response.status == 200, f"{path}: HTTP {response.status}"
        if wait:
            wait(page)
        expect(page.get_by_role("heading", level=1)).to_have_count(1)
        settle(page)
        _shoot(page, artifacts_dir, name)
        shot.append(name)
    assert {"account", "utenti", "registro", "api"} <= set(shot)


def _hostile_orgs(demo_database, page, url: str) -> tuple[list[str], str]:
    """Give the hostile name to an ETS of Torino among the Trova partner results, to the
    organisation with the highest betweenness (first in the Rete table) and to the lead
    of an ATS of Torino; returns their tax codes and that ATS's code."""
    import sqlalchemy as sa

    from matchmaker.domain import MemberRole
    from matchmaker.storage import District, Organisation, Partnership, PartnershipMember

    page.goto(url + "/rete")
    top = page.locator("table.top-betweenness tbody tr").first.get_by_role("link")
    codes = ["99001379991", top.get_attribute("href").rsplit("/", 1)[1]]
    with demo_database.session(actor="test") as s:
        ats, lead = s.execute(
            sa.select(Partnership.code, Organisation.tax_code)
            .join(Partnership.districts)
            .join(PartnershipMember, PartnershipMember.partnership_id == Partnership.id)
            .join(Organisation, Organisation.id == PartnershipMember.organisation_id)
            .where(District.code == TORINO, PartnershipMember.role == MemberRole.CAPOFILA)
            .order_by(Partnership.code)
        ).first()
        codes.append(lead)
        for org in s.scalars(sa.select(Organisation).where(Organisation.tax_code.in_(codes))):
            org.name = HOSTILE
    return codes, ats


def _shown_as_text(page, where: str, *, frame=None) -> None:
    scope = frame or page
    assert HOSTILE in scope.locator("body").inner_text(), f"{where}: name not shown"
    assert scope.locator("img[src=x]").count() == 0, f"{where}: <img> injected"
    for inner in page.frames[1:]:  # the graph frames (Rete, the profile's neighbourhood)
        inner.wait_for_load_state()
        assert inner.locator("img[src=x]").count() == 0, f"{where}: <img> injected in a frame"
    injected = scope.locator("script:not([src]):not([type='application/json'])")
    for i in range(injected.count()):
        assert "alert(" not in injected.nth(i).inner_text(), f"{where}: <script> injected"


def test_hostile_name_is_text_everywhere(guarded_page, demo_server, demo_accounts, demo_database):
    page, watch = guarded_page(1366, 768)
    sign_in(page, demo_server, demo_accounts["facilitatore"])
    codes, ats = _hostile_orgs(demo_database, page, demo_server)
    built = {name for name, _path, _wait in main_pages(demo_database)}
    later = []  # the new pages, once they exist
    if "distretto" in built:
        later += [("distretto", f"/distretti/{TORINO}")]
    if "ats" in built:
        later += [("ats", f"/ats?distretto={TORINO}"), ("ats-scheda", f"/ats/{ats}")]

    page.goto(demo_server + f"/enti?q={codes[0]}")
    expect(page.locator(".dir-count")).to_have_text("1 ente trovato.")
    _shown_as_text(page, "enti")
    expect(page.locator(".dir-table tbody a")).to_have_text(HOSTILE)

    for code in codes:
        page.goto(demo_server + f"/enti/{code}")
        expect(page.get_by_role("heading", level=1)).to_contain_text(HOSTILE)
        assert page.title().startswith(HOSTILE)
        _shown_as_text(page, f"profilo {code}")

    page.goto(demo_server + "/trova-partner")
    page.get_by_label("Bisogno da soddisfare").fill(NEED)
    page.get_by_label("Distretto").select_option(label="Distretto di Torino")
    page.get_by_role("button", name="Cerca partner").click()
    wait_results(page)
    _shown_as_text(page, "trova partner")
    expect(page.locator("ol.results h3").filter(has_text=HOSTILE)).to_have_count(1)

    page.goto(demo_server + "/rete")
    wait_graph(page)
    expect(page.locator("table.top-betweenness tbody tr").first.locator("a")).to_have_text(HOSTILE)
    _shown_as_text(page, "rete")
    frame = page.frame(url=re.compile(r"/rete/grafo\.html"))
    assert frame.locator("img[src=x]").count() == 0
    # the tooltip of the hostile node, shown by hovering it, is text
    page.locator("#rete-grafo").scroll_into_view_if_needed()
    box = page.locator("#rete-grafo").bounding_box()
    point = frame.evaluate(
        """(code) => {
            const net = window.matchmakerNetwork;
            const id = net.body.data.nodes.getIds({filter: n => n.tax_code === code})[0];
            net.focus(id, {scale: 1.5, animation: false});
            const p = net.canvasToDOM(net.getPosition(id));
            const r = document.getElementById('network').getBoundingClientRect();
            return {x: p.x + r.left, y: p.y + r.top};
        }""",
        codes[1],
    )
    page.mouse.move(box["x"] + point["x"] - 4, box["y"] + point["y"] - 4)
    page.mouse.move(box["x"] + point["x"], box["y"] + point["y"], steps=4)
    tooltip = frame.locator("div.vis-tooltip")
    expect(tooltip).to_be_visible(timeout=5_000)
    expect(tooltip).to_contain_text(HOSTILE)
    assert tooltip.locator("img").count() == 0

    for name, path in later:
        page.goto(demo_server + path)
        _shown_as_text(page, name)
    assert watch.dialogs == []
