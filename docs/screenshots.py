"""Screenshots of the real pages for the user guides, written to ``docs/img/``.

Builds the demo database in a temporary folder, creates one account per role, serves the
application with waitress on a free loopback port and drives Debian's chromium with
Playwright at 1366x768. Requests to any other host are blocked. Pages that do not exist yet
(or still show an empty placeholder) are skipped with a message; rerun the script when
they are ready.

Run from the repository root::

    .venv/bin/python docs/screenshots.py                 # every picture
    .venv/bin/python docs/screenshots.py --only rete     # some of them (names below)
    .venv/bin/python docs/screenshots.py --fast          # no semantic model (quicker)

Needs ``/usr/bin/chromium`` (``apt-get install chromium``) and the ``playwright`` package
(no browser download).
"""

from __future__ import annotations

import argparse
import contextlib
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-quic",
    "--no-first-run",
]
WIDTH, HEIGHT = 1366, 768
PASSWORD = "una-password-di-prova"  # noqa: S105 - demo accounts in a temporary database
NEED = "assistenza domiciliare ad anziani non autosufficienti e sollievo per i caregiver"
EMAILS = {
    "admin": "admin@example.org",
    "facilitatore": "facilitatore@example.org",
    "ente_gestore": "ente.gestore@example.org",
    "ets": "ets@example.org",
    "ricercatore": "ricercatore@example.org",
}


class Skip(Exception):
    """The page is not there (yet): skip the picture."""


# --- data and server ------------------------------------------------------------------------


def build(tmp: Path) -> tuple[str, dict[str, str]]:
    """The demo database with one account per role; returns its URL and useful codes."""
    import sqlalchemy as sa

    from matchmaker.accounts import create_user
    from matchmaker.ingest import build_demo_database
    from matchmaker.storage import Database, Organisation, Partnership

    url = f"sqlite:///{tmp / 'demo.sqlite3'}"
    build_demo_database(url)
    db = Database(url)
    with db.session(actor="screenshots") as s:
        first = sa.select(Organisation.tax_code).order_by(Organisation.tax_code)
        eg = s.scalars(first.where(Organisation.kind == "ente_gestore")).first()
        ets = s.scalars(first.where(Organisation.kind == "ets")).first()
        draft = s.scalars(
            sa.select(Partnership.code)
            .where(Partnership.status == "bozza")
            .order_by(Partnership.code)
        ).first()
        for role, email in EMAILS.items():
            org = {"ente_gestore": eg, "ets": ets}.get(role)
            create_user(s, email, "ente" if org else role, PASSWORD, org)
    db.dispose()
    return url, {"ente_gestore": eg, "ets": ets, "draft": draft or ""}


@contextlib.contextmanager
def serving(app):
    """Serve ``app`` with waitress on a free loopback port."""
    from waitress.server import create_server

    server = create_server(app, host="127.0.0.1", port=0, threads=4)
    port = server.socket.getsockname()[1]
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.close()
        thread.join(timeout=5)


# --- browser --------------------------------------------------------------------------------


class Shooter:
    """Opens one browser context per role and saves pictures."""

    def __init__(self, browser, base: str, out: Path) -> None:
        self.browser, self.base, self.out = browser, base, out
        self.pages: dict[str, object] = {}
        self.outside: list[str] = []
        self.saved: list[str] = []
        self.skipped: list[tuple[str, str]] = []

    def page(self, role: str | None, lang: str = "it-IT"):
        key = f"{role}:{lang}"
        if key not in self.pages:
            context = self.browser.new_context(
                viewport={"width": WIDTH, "height": HEIGHT}, locale=lang
            )
            context.route("**/*", self._guard)
            pg = context.new_page()
            pg.on("dialog", lambda d: d.dismiss())
            if role:
                pg.goto(self.base + "/accedi")
                pg.get_by_label("E-mail").fill(EMAILS[role])
                pg.get_by_label("Password").fill(PASSWORD)
                pg.get_by_role("button", name="Accedi").click()
                pg.wait_for_load_state("networkidle")
            self.pages[key] = pg
        return self.pages[key]

    def _guard(self, route) -> None:
        url = route.request.url
        host = urlsplit(url).hostname or ""
        if host in ("127.0.0.1", "localhost") or url.startswith(("data:", "blob:")):
            route.continue_()
        else:
            self.outside.append(url)
            route.abort()

    def go(self, pg, path: str) -> None:
        """Open ``path``; a missing page or an empty placeholder raises :class:`Skip`."""
        response = pg.goto(self.base + path)
        pg.wait_for_load_state("networkidle")
        if response is None or response.status >= 400:
            raise Skip(f"{path}: HTTP {response.status if response else '?'}")
        if pg.locator("main h1").count() == 0:
            raise Skip(f"{path}: placeholder page (no heading yet)")

    def save(
        self,
        name: str,
        pg,
        *,
        selector: str | None = None,
        full: bool = False,
        height: int | None = None,
    ) -> None:
        """Save ``docs/img/<name>.png``: the viewport, the top ``height`` pixels of the
        page, the whole page, or one element."""
        path = self.out / f"{name}.png"
        pg.wait_for_timeout(300)
        if selector:
            pg.locator(selector).first.screenshot(path=str(path))
        elif height:
            total = pg.evaluate("document.documentElement.scrollHeight")
            clip = {"x": 0, "y": 0, "width": WIDTH, "height": min(height, total)}
            pg.screenshot(path=str(path), full_page=True, clip=clip)
        else:
            pg.screenshot(path=str(path), full_page=full)
        _shrink(path)
        self.saved.append(name)
        print(f"  saved {path.relative_to(ROOT)}")

    def run(self, name: str, fn: Callable[[], None]) -> None:
        print(f"{name}:")
        try:
            fn()
        except Skip as exc:
            self.skipped.append((name, str(exc)))
            print(f"  skipped: {exc}")
        except Exception as exc:  # a changed page must not stop the other pictures
            self.skipped.append((name, f"{type(exc).__name__}: {exc}"))
            print(f"  skipped after an error: {type(exc).__name__}: {exc}")


def _shrink(path: Path, max_height: int = 1600) -> None:
    """Cut very long pages and store the picture with a 256-colour palette (smaller files)."""
    try:
        from PIL import Image
    except ImportError:  # pragma: no cover - Pillow comes with matplotlib
        return
    with Image.open(path) as im:
        im = im.convert("RGB")
        if im.height > max_height:
            im = im.crop((0, 0, im.width, max_height))
        im = im.quantize(colors=256, method=Image.Quantize.MEDIANCUT, dither=Image.Dither.NONE)
        im.save(path, optimize=True)


def _first_link(pg, selector: str) -> str:
    links = pg.locator(selector)
    if links.count() == 0:
        raise Skip(f"no link matching {selector!r}")
    href = links.first.get_attribute("href") or ""
    return urlsplit(href).path + (f"?{urlsplit(href).query}" if urlsplit(href).query else "")


# --- the pictures ---------------------------------------------------------------------------


def shots(sh: Shooter, codes: dict[str, str]) -> dict[str, Callable[[], None]]:
    """Name -> function taking that picture (the names are the files in ``docs/img``)."""

    def cruscotto():
        pg = sh.page("facilitatore")
        sh.go(pg, "/")
        sh.save("cruscotto", pg, height=1150)

    def accesso():
        pg = sh.page(None)
        sh.go(pg, "/accedi")
        sh.save("accesso", pg)

    def enti():
        pg = sh.page("facilitatore")
        sh.go(pg, "/enti?q=anziani&tipo=ets")
        sh.save("enti", pg)

    def profilo():
        pg = sh.page("facilitatore")
        sh.go(pg, f"/enti/{codes['ets']}")
        sh.save("profilo", pg)
        if pg.locator("#rete-ente").count():  # network neighbourhood
            pg.wait_for_timeout(3000)  # let the small network settle
            sh.save("profilo-rete", pg, selector="#rete-ente")
        if pg.locator("#partner-suggeriti").count():  # suggested partners
            sh.save("profilo-partner", pg, selector="#partner-suggeriti")

    def profilo_modifica():
        pg = sh.page("ets")
        sh.go(pg, f"/enti/{codes['ets']}/modifica")
        sh.save("profilo-modifica", pg, height=1500)

    def trova_partner():
        pg = sh.page("ente_gestore")
        sh.go(pg, "/trova-partner")
        pg.get_by_label("Bisogno da soddisfare").fill(NEED)
        pg.get_by_role("button", name="Cerca partner").click()
        pg.wait_for_selector("ol.results li.result", timeout=120_000)
        pg.locator("ol.results li.result").first.get_by_role("button").first.click()
        pg.wait_for_selector(".shortlist-items li")
        sh.save("trova-partner", pg, height=1250)
        sh.save("trova-partner-risultato", pg, selector="ol.results li.result")

    def rete():
        pg = sh.page("facilitatore")
        sh.go(pg, "/rete?layout=geo&size=betweenness")
        frame = pg.frame_locator("#rete-grafo")
        frame.locator("body[data-stabilized=true]").wait_for(timeout=60_000)
        sh.save("rete", pg, height=1000)
        sh.save("rete-grafo", pg, selector="#rete-grafo")
        if pg.locator("table.measures").count():
            sh.save("rete-misure", pg, selector="table.measures")

    def rete_ricercatore():
        pg = sh.page("ricercatore")
        sh.go(pg, "/rete?color=community")
        pg.frame_locator("#rete-grafo").locator("body[data-stabilized=true]").wait_for(
            timeout=60_000
        )
        sh.save("rete-ricercatore", pg, height=1100)

    def api_docs():
        pg = sh.page("ricercatore")
        sh.go(pg, "/api/v1/docs")
        sh.save("api-docs", pg)

    def account():
        pg = sh.page("ricercatore")
        sh.go(pg, "/account")
        sh.save("account", pg)

    def distretti():
        pg = sh.page("facilitatore")
        sh.go(pg, "/distretti")
        sh.save("distretti", pg)
        sh.go(pg, _first_link(pg, "main a[href^='/distretti/']"))
        sh.save("distretto", pg, height=1500)

    def ats():
        pg = sh.page("facilitatore")
        sh.go(pg, "/ats")
        sh.save("ats", pg)

    def ats_builder():
        pg = sh.page("facilitatore")
        sh.go(pg, "/ats")
        target = f"main a[href*='{codes['draft']}']" if codes["draft"] else "main a"
        if pg.locator(target).count() == 0:
            target = "main a[href^='/ats/']"
        sh.go(pg, _first_link(pg, target))
        sh.save("ats-verifica", pg, height=1300)
        fix = pg.locator("button.ats-fix")
        if fix.count():  # one-click fix: the check turns green
            fix.first.click()
            pg.wait_for_selector(".ats-verdict.ok", timeout=60_000)
            sh.save("ats-corretta", pg, height=1300)
        propose = pg.locator("#ats-propose")
        if propose.count() and propose.is_visible():  # team proposal
            propose.click()
            pg.wait_for_selector("#ats-proposals .ats-proposal", timeout=180_000)
            sh.save("ats-squadra", pg, selector="#ats-proposals")

    def ats_ente_gestore():
        pg = sh.page("ente_gestore")
        sh.go(pg, "/ats")
        sh.save("ats-ente-gestore", pg)

    def dati():
        pg = sh.page("facilitatore")
        sh.go(pg, "/dati")
        sh.save("dati", pg, height=1100)
        bad = sh.out.parent / "_enti_con_errori.csv"
        bad.write_text(
            "tax_code,name,kind,comune,themes\n"
            "99001259994,Associazione Esempio,ets,Torino,anziani\n"
            "99001259995,Cooperativa Esempio,ets,Comune Inesistente,\n"
            ",Fondazione Esempio,ets,Alba,\n",
            encoding="utf-8",
        )
        try:
            pg.get_by_label("Che cosa contiene il file").select_option("organisations")
            pg.get_by_label("File da importare (CSV, XLSX o JSON)").set_input_files(str(bad))
            pg.get_by_role("button", name="Carica e controlla").click()
            pg.wait_for_load_state("networkidle")
        finally:
            bad.unlink()
        if pg.locator("table.data-errors").count():
            sh.save("dati-controllo", pg, height=1100)

    def english():
        pg = sh.page("facilitatore")
        sh.go(pg, "/?lang=en")
        if pg.locator("main h1").inner_text().strip() == "Cruscotto":
            raise Skip("/?lang=en: the interface is not translated yet")
        sh.save("cruscotto-en", pg)
        sh.go(pg, "/?lang=it")

    return {
        "cruscotto": cruscotto,
        "accesso": accesso,
        "enti": enti,
        "profilo": profilo,
        "profilo-modifica": profilo_modifica,
        "trova-partner": trova_partner,
        "rete": rete,
        "rete-ricercatore": rete_ricercatore,
        "api-docs": api_docs,
        "account": account,
        "distretti": distretti,
        "ats": ats,
        "ats-verifica": ats_builder,
        "ats-ente-gestore": ats_ente_gestore,
        "dati": dati,
        "cruscotto-en": english,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", nargs="*", default=None, help="names of the pictures")
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "img")
    parser.add_argument("--fast", action="store_true", help="matching without the model")
    args = parser.parse_args(argv)
    if not Path(CHROMIUM).exists():
        print(f"{CHROMIUM} is missing (apt-get install chromium)", file=sys.stderr)
        return 2
    from playwright.sync_api import sync_playwright

    from web import create_app

    args.out.mkdir(parents=True, exist_ok=True)
    started = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="matchmaker-shots-") as tmpdir:
        tmp = Path(tmpdir)
        print("building the demo database ...")
        url, codes = build(tmp)
        config = {"instance_path": str(tmp / "instance"), "database_url": url}
        if args.fast:
            config["MATCH_ENCODER"] = None
        app = create_app(config)
        with serving(app) as base, sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            sh = Shooter(browser, base, args.out)
            todo = shots(sh, codes)
            for name in args.only or list(todo):
                if name not in todo:
                    parser.error(f"unknown picture {name!r} (known: {', '.join(todo)})")
                sh.run(name, todo[name])
            browser.close()
    elapsed = time.perf_counter() - started
    print(f"\n{len(sh.saved)} saved, {len(sh.skipped)} skipped in {elapsed:.0f} s")
    for name, why in sh.skipped:
        print(f"  skipped {name}: {why}")
    if sh.outside:
        print(f"blocked requests to other hosts: {sorted(set(sh.outside))}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
