"""The top menu on one line at 1280 and 1366 px — common school laptops — for the roles with
the most sections (the auditor's is the longest)."""

from __future__ import annotations

import pytest

from tests.web.test_browser_chain import Person, browser, live_server  # noqa: F401

pytestmark = pytest.mark.browser


@pytest.mark.parametrize(("user", "width"), [("auditor", 1280), ("officer", 1280),
                                             ("sysadmin", 1280), ("director1", 1280),
                                             ("auditor", 1366)])
def test_the_menu_fits_one_line(live_server, browser, user, width):  # noqa: F811
    person = Person(browser, live_server, user, viewport=(width, 800)).login()
    tops = person.page.eval_on_selector_all(
        "nav .navbar-nav > li", "items => items.map(li => Math.round(li.getBoundingClientRect().top))")
    assert len(tops) >= 5 and len(set(tops)) == 1, tops
    assert not person.errors
    person.ctx.close()
