"""Fixtures of the browser-page tests."""

import pytest

from tests.web.test_ui_pages import login


@pytest.fixture()
def as_user(app, world):
    """A test client logged in through the login form as ``user``."""

    def make(user: str):
        c = app.test_client()
        assert login(c, user).status_code == 302
        return c

    return make

from tests.web.admin_helpers import mailbox  # noqa: E402,F401 - admin fixtures

@pytest.fixture(autouse=True)
def _fresh_login_counters(app):
    """Login limits count per account across all ways in (and the app is session-wide):
    every test starts with clean counters."""
    from web.extensions import limiter

    with app.app_context():
        limiter.reset()
