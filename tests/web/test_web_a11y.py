"""axe-core (WCAG 2.1 A/AA) on every main page, and no horizontal scrolling on a tablet.

Each page is opened in Debian's chromium at 1366x768 and at 768x1024, signed in as an
administrator (every page is visible to that role) and, for the login page, anonymous.
A violation of impact serious or critical fails the test; the others are printed.
"""

from __future__ import annotations

import pytest
from a11y import (
    blocking,
    describe,
    horizontal_overflow,
    main_pages,
    overflowing_elements,
    run_axe,
    serve_axe,
    settle,
    sign_in,
)

pytestmark = pytest.mark.browser

SIZES = [(1366, 768), (768, 1024)]


def _check(page, name: str, report: list[str], failures: list[str], width: int) -> None:
    settle(page)
    violations = run_axe(page)
    serious = blocking(violations)
    others = [v for v in violations if v not in serious]
    if others:
        report.append(f"{name} @{width}: minor/moderate\n{describe(others)}")
    if serious:
        failures.append(f"{name} @{width}: serious/critical\n{describe(serious)}")
    if width == 768:
        extra = horizontal_overflow(page)
        if extra:
            failures.append(
                f"{name} @{width}: horizontal overflow of {extra}px: "
                + ", ".join(overflowing_elements(page))
            )


@pytest.mark.parametrize(("width", "height"), SIZES)
def test_main_pages_pass_axe_and_fit(
    guarded_page, demo_server, demo_accounts, demo_database, artifacts_dir, width, height
):
    report: list[str] = []
    failures: list[str] = []

    page, _watch = guarded_page(width, height)
    serve_axe(page)
    page.goto(demo_server + "/accedi")
    _check(page, "accedi", report, failures, width)

    sign_in(page, demo_server, demo_accounts["admin"])
    for name, path, wait in main_pages(demo_database):
        response = page.goto(demo_server + path)
        if response.status != 200:
            failures.append(f"{name}: {path} answered HTTP {response.status}")
            continue
        if wait:
            wait(page)
        _check(page, name, report, failures, width)

    response = page.goto(demo_server + "/enti/00000000000")  # the error page
    assert response.status == 404
    _check(page, "errore-404", report, failures, width)

    text = "\n\n".join(["SERIOUS/CRITICAL", *failures, "MINOR/MODERATE", *report])
    (artifacts_dir / f"axe-{width}x{height}.txt").write_text(text + "\n", encoding="utf-8")
    print(text)
    assert not failures, "\n\n".join(failures)
