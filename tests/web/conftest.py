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
