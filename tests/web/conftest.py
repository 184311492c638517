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

from tests.web.admin_helpers import mailbox, restore_world  # noqa: E402,F401 - admin fixtures
