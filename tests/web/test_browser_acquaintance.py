"""In headless Chromium: the listed curator finds «Ознакомиться» in «Мои задачи», confirms
with one click on the order's page, and the director sees who has not read it yet.
Screenshots go to test-output/screenshots/acquaintance-*.png."""

from __future__ import annotations

import pytest

from tests.conftest import ORDER_FIELDS
from tests.web.test_browser_chain import Person, browser, live_server  # noqa: F401

pytestmark = pytest.mark.browser


def test_curator_confirms_and_director_sees_who_has_not_read(browser, live_server,  # noqa: F811
                                                             make_doc, world):
    fields = dict(ORDER_FIELDS, acquaintance_user_ids=[world.users["curator1"],
                                                       world.users["admin1"]])
    doc = make_doc("signed", fields=fields)
    curator = Person(browser, live_server, "curator1").login()
    assert curator.page.locator('[data-section="to_acknowledge"]').count() == 1
    curator.shot("acquaintance-1-my-tasks")
    curator.open(doc)
    curator.page.click('[data-test="acknowledge"]')
    curator.page.wait_for_selector('[data-acknowledged="yes"]')
    curator.shot("acquaintance-2-confirmed")
    assert curator.page.locator('[data-test="acknowledge"]').count() == 0
    director = Person(browser, live_server, "director1").login()
    director.open(doc)
    badge = director.page.locator('[data-test="unread-count"]').inner_text()
    assert "1 из 2" in badge
    assert director.page.locator('[data-acknowledged="no"]').count() == 1
    director.shot("acquaintance-3-director")
    assert not curator.errors and not director.errors
