"""Fixtures of the web tests: the application on a copy of the demo database."""

from __future__ import annotations

import pytest

from web import create_app


@pytest.fixture
def demo_app(demo_database, tmp_path):
    """The app on the demo data, with the matching engine's semantic channel off (fast)."""
    from matchmaker.accounts import create_user

    with demo_database.session(actor="test") as s:
        create_user(s, "facilitatore@example.org", "facilitatore", "una-password-di-prova")
    return create_app(
        {
            "TESTING": True,
            "MATCH_ENCODER": None,
            "instance_path": str(tmp_path / "instance"),
            "database_url": demo_database.url,
        }
    )


@pytest.fixture
def staff_headers(demo_app, demo_database) -> dict[str, str]:
    from matchmaker.accounts import create_token

    with demo_database.session() as s:
        token, _ = create_token(s, "facilitatore@example.org")
    return {"Authorization": f"Bearer {token}"}


@pytest.fixture
def demo_accounts(demo_app, demo_database) -> dict[str, str]:
    """One account per role on the demo data (the ``ente`` one bound to an ETS)."""
    import sqlalchemy as sa

    from matchmaker.accounts import create_user
    from matchmaker.storage import Organisation

    emails = {
        "admin": "admin@example.org",
        "ente": "ente@example.org",
        "ricercatore": "ricercatore@example.org",
        "facilitatore": "facilitatore@example.org",
    }
    with demo_database.session(actor="test") as s:
        ets = s.scalars(
            sa.select(Organisation.tax_code)
            .where(Organisation.kind == "ets")
            .order_by(Organisation.tax_code)
        ).first()
        for role, email in emails.items():
            if role != "facilitatore":  # created by demo_app
                create_user(
                    s, email, role, "una-password-di-prova", ets if role == "ente" else None
                )
    return emails


@pytest.fixture
def demo_server(demo_app, serve_app):
    """The demo app served by waitress on a free loopback port."""
    with serve_app(demo_app) as url:
        yield url
