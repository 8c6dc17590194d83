"""axe-core accessibility checks in a Playwright page (npm package in tests/js).

The app's Content-Security-Policy (``script-src 'self'``) stays on: axe is offered to the
browser as a script of the page's own origin (``/__axe-core__/axe.min.js``), answered by a
Playwright route from ``tests/js/node_modules`` and never reaching the server, then added
as a ``<script src>`` to every frame of the page (the Rete graph is in a frame).
"""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urlsplit

import pytest

AXE_JS = Path(__file__).resolve().parents[1] / "js" / "node_modules" / "axe-core" / "axe.min.js"
AXE_PATH = "/__axe-core__/axe.min.js"
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
BLOCKING = ("serious", "critical")


def axe_source() -> str:
    """The axe-core script; skips the test when ``npm ci`` was not run."""
    if not AXE_JS.exists():
        pytest.skip(f"{AXE_JS} missing: run `npm ci --prefix tests/js` (make install-test)")
    return AXE_JS.read_text(encoding="utf-8")


def serve_axe(page) -> None:
    """Answer ``AXE_PATH`` on any local origin with the axe-core script (once per page)."""
    source = axe_source()
    page.route(
        f"**{AXE_PATH}",
        lambda route: route.fulfill(status=200, content_type="application/javascript", body=source),
    )


def settle(page, timeout_ms: int = 15_000) -> None:
    """Wait until no region is updating (``aria-busy="true"``) and no CSS transition or
    animation runs: a live region dimmed while it reloads is not what the user reads."""
    page.wait_for_function(
        """() => !document.querySelector('[aria-busy="true"]')
            && document.getAnimations().every(a => a.playState !== 'running')""",
        timeout=timeout_ms,
    )


def run_axe(page, tags: list[str] | None = None) -> list[dict]:
    """Inject axe into every frame of ``page`` and return the violations of ``tags``.

    Each violation is axe's dict (``id``, ``impact``, ``help``, ``nodes`` with ``target``
    and ``failureSummary``). ``serve_axe(page)`` must have been called before.
    """
    for frame in page.frames:
        parts = urlsplit(frame.url)
        if parts.scheme not in ("http", "https"):
            continue
        if not frame.evaluate("() => typeof window.axe !== 'undefined'"):
            frame.add_script_tag(url=f"{parts.scheme}://{parts.netloc}{AXE_PATH}")
    result = page.evaluate(
        """async (tags) => {
            const r = await axe.run(document, {
                runOnly: {type: 'tag', values: tags},
                resultTypes: ['violations'],
            });
            return r.violations.map(v => ({
                id: v.id, impact: v.impact, help: v.help, helpUrl: v.helpUrl,
                nodes: v.nodes.map(n => ({
                    target: n.target, html: n.html, failureSummary: n.failureSummary,
                })),
            }));
        }""",
        tags or WCAG_TAGS,
    )
    return result


def describe(violations: list[dict], limit: int = 5) -> str:
    """A readable summary: one line per rule, then its first offending elements."""
    lines = []
    for v in violations:
        lines.append(f"[{v['impact']}] {v['id']}: {v['help']} ({len(v['nodes'])} elementi)")
        for node in v["nodes"][:limit]:
            summary = (node["failureSummary"] or "").replace("\n", " ")
            lines.append(f"    {' > '.join(map(str, node['target']))}: {summary[:300]}")
    return "\n".join(lines)


def blocking(violations: list[dict]) -> list[dict]:
    """The violations of impact serious or critical."""
    return [v for v in violations if v["impact"] in BLOCKING]


def horizontal_overflow(page) -> int:
    """How many CSS pixels the document is wider than the viewport (0 when none)."""
    return page.evaluate(
        "() => Math.max(0, document.documentElement.scrollWidth - window.innerWidth)"
    )


def overflowing_elements(page, limit: int = 8) -> list[str]:
    """Elements whose right edge passes the viewport (to explain an overflow)."""
    return page.evaluate(
        """(limit) => {
            const out = [];
            const w = document.documentElement.clientWidth;
            for (const el of document.body.querySelectorAll('*')) {
                const r = el.getBoundingClientRect();
                if (r.right > w + 1 && r.width > 0) {
                    const cls = el.className && typeof el.className === 'string'
                        ? '.' + el.className.trim().split(/\\s+/).join('.') : '';
                    out.push(`${el.tagName.toLowerCase()}${el.id ? '#' + el.id : ''}${cls}`
                        + ` right=${Math.round(r.right)}`);
                    if (out.length >= limit) break;
                }
            }
            return out;
        }""",
        limit,
    )


# --- the main pages, shared by the accessibility and scenario tests ----------------------

PASSWORD = "una-password-di-prova"
PROFILE = "99001369992"  # an ETS of Torino in two ATS of the demo data
NEED = "assistenza domiciliare anziani non autosufficienti e sostegno ai caregiver"


def wait_graph(page) -> None:
    frame = page.frame_locator("#rete-grafo")
    frame.locator("body[data-stabilized=true]").wait_for(timeout=60_000)


def wait_results(page) -> None:
    page.wait_for_selector("ol.results li.result")


# (name, path, wait for the page to be complete)
PAGES = [
    ("home", "/", None),
    ("enti", "/enti", None),
    ("profilo", f"/enti/{PROFILE}", None),
    ("modifica", f"/enti/{PROFILE}/modifica", None),
    (
        "trova-partner",
        "/trova-partner?text=" + NEED.replace(" ", "+") + "&district={torino}",
        wait_results,
    ),
    ("rete", "/rete", wait_graph),
    ("account", "/account", None),
    ("utenti", "/admin/utenti", None),
    ("registro", "/admin/registro", None),
    ("api", "/api/v1/docs", None),
]
# pages being built: checked once their views render their own template
NEW_PAGES = [  # (name, path): pages with a second page checked after them
    ("distretti", "/distretti"),
    ("ats", "/ats"),
    ("dati", "/dati"),
]


def sign_in(page, url: str, email: str) -> None:
    page.goto(url + "/accedi")
    page.get_by_label("E-mail").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Accedi").click()
    page.wait_for_url(url + "/")


def _district_codes(demo_database) -> dict[str, str]:
    import sqlalchemy as sa

    from matchmaker.storage import District

    with demo_database.session() as s:
        return dict(s.execute(sa.select(District.name, District.code)).all())


def main_pages(demo_database) -> list[tuple[str, str, object]]:
    """The main pages, the district, ATS and data pages, a district and a new ATS."""
    torino = _district_codes(demo_database)["Distretto di Torino"]
    pages = [(name, path.format(torino=torino), wait) for name, path, wait in PAGES]
    for name, path in NEW_PAGES:
        pages.append((name, path, None))
        if name == "distretti":
            pages.append(("distretto", f"/distretti/{torino}", None))
        if name == "ats":
            pages.append(("ats-nuova", "/ats/nuova", None))
    return pages
