"""Every item of a page's menus opens for the person it is shown to: the navigation bar and
its «Настройки» menu, and the tabs of «Администрирование» — nobody is offered a page that
answers «Доступ запрещён»."""

from __future__ import annotations

import re

import pytest

from tests.conftest import USERS

MENU_LINK = re.compile(r'<a class="(?:nav-link|dropdown-item)[^"]*" href="(/[^"#?]*)[^"]*"')


@pytest.mark.parametrize("user", sorted(USERS))
def test_every_menu_item_opens_for_its_person(as_user, user):
    c = as_user(user)
    pages, seen = ["/"], set()
    while pages:
        html = c.get(pages.pop()).get_data(as_text=True)
        for href in MENU_LINK.findall(html):
            if href in seen:
                continue
            seen.add(href)
            status = c.get(href).status_code
            assert status < 400, f"{user}: the menu offers {href}, which answers {status}"
            if href.startswith("/admin"):  # its tabs
                pages.append(href)
    assert "/documents" in seen
