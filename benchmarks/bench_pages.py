"""Page timings in a real browser: how long until each main page is usable.

The script builds the demo database, serves the application with its production server
(``matchmaker serve``: waitress, default settings, the real matching engine and model),
drives Debian's chromium through Playwright, signed in as a facilitator, and measures for
each page the wall time from the navigation (or the click) until the page is usable:

- dashboard ``/``, directory ``/enti``, a profile ``/enti/<cf>``: the ``load`` event, and
  every graph frame of the page laid out (``body[data-stabilized=true]``);
- matching: on Trova partner, from the click on «Cerca partner» until the results are shown;
- network explorer ``/rete`` with the whole demo network: until the graph frame is laid out
  (force layout, the default, and geographic layout, which needs no physics);
- the district, ATS and data pages, when the application has them.

The first visit of each page is reported apart ("cold": the first match loads the model and
builds the index, the first network page builds the graph); then ``--runs`` warm visits give
the median and the maximum. Side by side, the same documents are served as static files by
Python's ``http.server`` (the HTML the application sent, with every asset and frame it
loaded, saved during the first visit) and timed the same way: the difference between the two
columns is the application's own time, the static column is the browser's rendering alone.

Usage::

    .venv/bin/python benchmarks/bench_pages.py                # 5 warm runs per page
    .venv/bin/python benchmarks/bench_pages.py --runs 3 --json
"""

from __future__ import annotations

import argparse
import contextlib
import http.server
import json
import os
import platform
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import urlsplit

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")

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
EMAIL, PASSWORD = "misure@example.org", "password-delle-misure"
PROFILE = "99001369992"  # an ETS of Torino, in two ATS, with a network neighbourhood
NEED = "assistenza domiciliare anziani non autosufficienti e sostegno ai caregiver"
TARGET_S = 2.0
TIMEOUT_MS = 120_000


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _prepare(workdir: Path) -> tuple[dict[str, str], str]:
    import sqlalchemy as sa

    from matchmaker.accounts import create_user
    from matchmaker.ingest import build_demo_database
    from matchmaker.storage import Database, District

    url = f"sqlite:///{workdir / 'pages.sqlite3'}"
    build_demo_database(url)
    db = Database(url)
    with db.session(actor="bench") as s:
        create_user(s, EMAIL, "facilitatore", PASSWORD)
        torino = s.scalar(sa.select(District.code).where(District.name == "Distretto di Torino"))
    db.dispose()
    env = {
        **os.environ,
        "MATCHMAKER_DATABASE_URL": url,
        "MATCHMAKER_INSTANCE_PATH": str(workdir / "instance"),
        "HF_HUB_OFFLINE": "1",
        "TRANSFORMERS_OFFLINE": "1",
    }
    return env, torino


def _wait_port(port: int, seconds: float = 120) -> None:
    deadline = time.time() + seconds
    while time.time() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError(f"server not listening on port {port} after {seconds} s")


# --- what "usable" means ------------------------------------------------------------------


def _settled(page) -> None:
    """The load event has fired; every graph frame of the page has finished its layout."""
    page.wait_for_load_state("load", timeout=TIMEOUT_MS)
    for frame in page.frames[1:]:
        if frame.evaluate("() => document.body && document.body.hasAttribute('data-stabilized')"):
            frame.wait_for_selector(
                "body[data-stabilized=true]", state="attached", timeout=TIMEOUT_MS
            )


def _visit(page, url: str) -> float:
    start = time.perf_counter()
    response = page.goto(url, wait_until="load", timeout=TIMEOUT_MS)
    if response is None or response.status != 200:
        raise RuntimeError(f"{url}: HTTP {response.status if response else '?'}")
    _settled(page)
    return time.perf_counter() - start


def _html_s(page) -> float:
    """Seconds from the start of the current document's navigation until its HTML arrived
    (Navigation Timing ``responseEnd``): the server's share, without rendering."""
    return page.evaluate("() => performance.getEntriesByType('navigation')[0].responseEnd / 1000")


def _match(page, base: str) -> float:
    """Trova partner: type the need, then time the click until the results are shown."""
    page.goto(base + "/trova-partner", wait_until="load")
    page.get_by_label("Bisogno da soddisfare").fill(NEED)
    page.get_by_label("Distretto").select_option(label="Distretto di Torino")
    start = time.perf_counter()
    page.get_by_role("button", name="Cerca partner").click()
    page.wait_for_selector("ol.results li.result", timeout=TIMEOUT_MS)
    _settled(page)
    return time.perf_counter() - start


# --- static snapshots ---------------------------------------------------------------------


class Snapshot:
    """The responses of the application's pages, saved to be served as static files."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.files: dict[str, tuple[str, str]] = {}  # url path (+query) -> (file, type)

    @staticmethod
    def record(page, origin: str):
        """Start keeping the page's GET responses from ``origin``: (listener, list)."""
        seen: list = []

        def keep(response) -> None:
            if response.request.method == "GET" and response.url.startswith(origin):
                seen.append(response)

        page.on("response", keep)
        return keep, seen

    def save(self, responses: list, origin: str) -> None:
        for response in responses:
            if response.status != 200:
                continue
            try:
                body = response.body()
            except Exception:  # a response without a body (redirect, aborted)
                continue
            parts = urlsplit(response.url)
            key = parts.path + (f"?{parts.query}" if parts.query else "")
            name = f"f{len(self.files):04d}"
            (self.root / name).write_bytes(body)
            ctype = response.headers.get("content-type", "application/octet-stream")
            self.files[key] = (name, ctype)
            self.files.setdefault(parts.path, (name, ctype))

    def serve(self) -> tuple[http.server.ThreadingHTTPServer, str]:
        files, root = self.files, self.root

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                parts = urlsplit(self.path)
                key = parts.path + (f"?{parts.query}" if parts.query else "")
                found = files.get(key) or files.get(parts.path)
                if found is None:
                    self.send_error(404)
                    return
                data = (root / found[0]).read_bytes()
                self.send_response(200)
                self.send_header("Content-Type", found[1])
                self.send_header("Content-Length", str(len(data)))
                self.send_header("Cache-Control", "max-age=3600")
                self.end_headers()
                # the browser may move on, cutting a request short: not an error here
                with contextlib.suppress(BrokenPipeError, ConnectionResetError):
                    self.wfile.write(data)

            def log_message(self, *args) -> None:
                pass

        server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        return server, f"http://127.0.0.1:{server.server_address[1]}"


# --- the run ------------------------------------------------------------------------------


def _pages(base: str, torino: str) -> list[tuple[str, str]]:
    """(label, path); the newer pages only when the application answers them."""
    import urllib.request

    pages = [
        ("Cruscotto /", "/"),
        ("Enti /enti", "/enti"),
        ("Trova partner (ricerca)", "MATCH"),  # first: its cold run loads the model
        (f"Profilo /enti/{PROFILE}", f"/enti/{PROFILE}"),
        ("Rete /rete (rete completa)", "/rete"),
        ("Rete /rete?layout=geo (disposizione geografica)", "/rete?layout=geo"),
    ]
    for label, path in [
        ("Distretti /distretti", "/distretti"),
        (f"Distretto /distretti/{torino}", f"/distretti/{torino}"),
        ("ATS /ats", "/ats"),
        ("Nuova ATS /ats/nuova", "/ats/nuova"),
        ("Dati /dati", "/dati"),
    ]:
        try:  # anonymous: 200 or a redirect to the login page mean the page exists
            with urllib.request.urlopen(base + path, timeout=60) as r:
                exists = r.status == 200
        except Exception as exc:  # 404 of a page not built yet
            exists = getattr(exc, "code", None) in (401, 403)
        if exists:
            pages.append((label, path))
    return pages


def measure(runs: int) -> dict:
    from playwright.sync_api import sync_playwright

    result: dict = {"runs": runs, "pages": []}
    with tempfile.TemporaryDirectory() as tmp:
        workdir = Path(tmp)
        t0 = time.perf_counter()
        env, torino = _prepare(workdir)
        result["build_demo_s"] = round(time.perf_counter() - t0, 1)
        port = _free_port()
        log = (workdir / "server.log").open("w")
        server = subprocess.Popen(
            [sys.executable, "-m", "matchmaker.cli", "serve", "--port", str(port)],
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        base = f"http://127.0.0.1:{port}"
        snap_dir = workdir / "static"
        snap_dir.mkdir()
        snapshot = Snapshot(snap_dir)
        static_server = None
        try:
            _wait_port(port)
            with sync_playwright() as pw:
                browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
                result["chromium"] = browser.version
                context = browser.new_context(
                    viewport={"width": 1366, "height": 768}, locale="it-IT"
                )
                page = context.new_page()
                page.goto(base + "/accedi")
                page.get_by_label("E-mail").fill(EMAIL)
                page.get_by_label("Password").fill(PASSWORD)
                page.get_by_role("button", name="Accedi").click()
                page.wait_for_url(base + "/")

                rows = []
                for label, path in _pages(base, torino):
                    listener, seen = snapshot.record(page, base)
                    if path == "MATCH":
                        cold = _match(page, base)
                        static_path = page.url[len(base) :]
                    else:
                        cold = _visit(page, base + path)
                        static_path = path
                    page.remove_listener("response", listener)
                    snapshot.save(seen, base)
                    warm, html = [], []
                    for _ in range(runs):
                        warm.append(
                            _match(page, base) if path == "MATCH" else _visit(page, base + path)
                        )
                        html.append(_html_s(page))
                    print(f"{label}: cold {cold:.2f} s, warm {warm}", file=sys.stderr)
                    rows.append(
                        {
                            "page": label,
                            "path": static_path,
                            "cold_s": cold,
                            "warm_s": warm,
                            "html_s": html,
                        }
                    )
                context.close()

                static_server, static_base = snapshot.serve()
                context = browser.new_context(
                    viewport={"width": 1366, "height": 768}, locale="it-IT"
                )
                page = context.new_page()
                for row in rows:
                    times = [_visit(page, static_base + row["path"]) for _ in range(runs + 1)]
                    row["static_s"] = times[1:]  # the first fills the browser's cache
                context.close()
                browser.close()
        finally:
            if static_server is not None:
                static_server.shutdown()
            server.terminate()
            server.wait(timeout=30)
            log.close()
    for row in rows:
        result["pages"].append(
            {
                "page": row["page"],
                "cold_s": round(row["cold_s"], 3),
                "warm_median_s": round(statistics.median(row["warm_s"]), 3),
                "warm_max_s": round(max(row["warm_s"]), 3),
                "html_median_s": round(statistics.median(row["html_s"]), 3),
                "static_median_s": round(statistics.median(row["static_s"]), 3),
                "static_max_s": round(max(row["static_s"]), 3),
                "under_target": max(row["warm_s"]) < TARGET_S,
            }
        )
    return result


def machine() -> dict:
    return {
        "date": datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "python": platform.python_version(),
        "cpus": os.cpu_count(),
        "cpu": _cpu_name(),
        "load_average": [round(x, 2) for x in os.getloadavg()],
        "platform": platform.platform(),
    }


def _cpu_name() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "?"


def _s(value: float) -> str:
    return f"{value:.2f} s".replace(".", ",") if value >= 1 else f"{value * 1000:.0f} ms"


def print_table(report: dict) -> None:
    m = report["machine"]
    print(
        f"{m['date']} · Python {m['python']} · {m['cpus']} CPU ({m['cpu']}) · "
        f"load {m['load_average']} · Chromium {report['chromium']} · "
        f"{report['runs']} warm runs per page · demo database built in {report['build_demo_s']} s"
    )
    print()
    print(
        "| page | first visit (cold) | app median | app max | of which HTML | static median "
        "| static max "
        f"| < {TARGET_S:.0f} s |"
    )
    print("|---|---:|---:|---:|---:|---:|---:|:---:|")
    for p in report["pages"]:
        print(
            f"| {p['page']} | {_s(p['cold_s'])} | **{_s(p['warm_median_s'])}** | "
            f"{_s(p['warm_max_s'])} | {_s(p['html_median_s'])} | {_s(p['static_median_s'])} | "
            f"{_s(p['static_max_s'])} | "
            f"{'yes' if p['under_target'] else 'NO'} |"
        )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5, help="warm runs per page (default 5)")
    parser.add_argument("--json", action="store_true", help="print the report as JSON")
    args = parser.parse_args()
    if not Path(CHROMIUM).exists():
        print(f"{CHROMIUM} not found (apt-get install chromium)", file=sys.stderr)
        return 2
    report = measure(args.runs)
    report["machine"] = machine()
    if args.json:
        print(json.dumps(report, indent=2, ensure_ascii=False))
    else:
        print_table(report)
    return 0 if all(p["under_target"] for p in report["pages"]) else 1


if __name__ == "__main__":
    sys.exit(main())
