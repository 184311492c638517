"""Fixtures of the browser-page tests."""

import pytest

from documents import schema
from tests.web.admin_helpers import mailbox  # noqa: F401 - admin fixtures
from tests.web.test_ui_pages import login
from workflow.runtime import Settings


@pytest.fixture()
def as_user(app, world):
    """A test client logged in through the login form as ``user``."""

    def make(user: str):
        c = app.test_client()
        assert login(c, user).status_code == 302
        return c

    return make

@pytest.fixture()
def empty_app(tmp_path):
    """An app on a new, empty database of its own (a real installation before its first run)."""
    from web import create_app

    settings = Settings(database_url=f"sqlite:///{tmp_path / 'fresh.db'}",
                        data_dir=tmp_path / "data")
    schema.upgrade(settings.database_url)
    # (no RATELIMIT_ENABLED=False here: the limiter is shared by every app of the process)
    app = create_app(settings, TESTING=True, RATELIMIT_KEY_PREFIX="first-run-test")
    yield app
    app.extensions["nastavnik"].db.dispose()


@pytest.fixture(autouse=True)
def _fresh_login_counters(app):
    """Login limits count per account across all ways in (and the app is session-wide):
    every test starts with clean counters."""
    from web.extensions import limiter

    with app.app_context():
        limiter.reset()
