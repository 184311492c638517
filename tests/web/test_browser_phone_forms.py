"""Journals of registration on a phone (390 px): each journal a card, its title field as wide
as the screen allows and named above it, nothing scrolled sideways inside the form."""

from __future__ import annotations

import pytest

from tests.web.test_browser_chain import Person, browser, live_server  # noqa: F401

pytestmark = pytest.mark.browser


def test_journals_are_cards_on_a_phone(live_server, browser):  # noqa: F811
    person = Person(browser, live_server, "admin1", viewport=(390, 844)).login()
    page = person.page
    page.goto(live_server + "/admin/journals")
    box = page.locator(".table-responsive")
    assert box.evaluate("el => el.scrollWidth - el.clientWidth") <= 1
    title = page.locator("input.journal-title").first
    assert title.bounding_box()["width"] > 300
    cell = page.locator("td[data-label]").nth(1)
    label = cell.evaluate("el => getComputedStyle(el, '::before').content")
    assert label == '"Название"'
    assert not person.errors
    person.ctx.close()
