"""Saved filters on the documents list and the audit events journal (issue 13): a person
saves the current filter under a name, finds it above the list after a reload, deletes it;
nobody else sees or deletes it; names are checked with a message by the field."""

from __future__ import annotations

import re

from tests.web.test_ui_pages import csrf_of
from workflow import saved_filters


def _save(c, url: str, name: str, token: str | None = None):
    return c.post(url, data={"name": name, "csrf_token": token or csrf_of(c, url)})


def _links(html: str) -> dict[str, str]:
    return {name: href.replace("&amp;", "&") for href, name in re.findall(
        r'href="([^"]+)" data-test="saved-filter-link">([^<]+)<', html)}


def test_save_reload_follow_and_delete(as_user, make_doc):
    make_doc(title="Приказ о кураторе")
    c = as_user("admin1")
    r = _save(c, "/documents?kind=order&state=draft&sort=-due&page=3&junk=1", "Мои черновики")
    assert r.status_code == 302
    assert r.headers["Location"] == "/documents?kind=order&state=draft&sort=-due"  # no page
    html = c.get("/documents").get_data(as_text=True)
    assert _links(html) == {"Мои черновики": "/documents?kind=order&state=draft&sort=-due"}
    shown = c.get("/documents?kind=order&state=draft&sort=-due").get_data(as_text=True)
    assert "Приказ о кураторе" in shown and 'class="btn btn-secondary"' in shown  # active
    filter_id = re.search(r'data-saved-filter="(\d+)"', html).group(1)
    r = c.post(f"/saved-filters/{filter_id}/delete", data={"csrf_token": csrf_of(c, "/documents")})
    assert r.status_code == 302 and r.headers["Location"] == "/documents"
    assert _links(c.get("/documents").get_data(as_text=True)) == {}


def test_a_filter_belongs_to_its_owner(as_user):
    owner, other = as_user("admin1"), as_user("director1")
    _save(owner, "/documents?overdue=1", "Просроченные")
    html = owner.get("/documents").get_data(as_text=True)
    filter_id = re.search(r'data-saved-filter="(\d+)"', html).group(1)
    assert "Просроченные" not in other.get("/documents").get_data(as_text=True)
    r = other.post(f"/saved-filters/{filter_id}/delete",
                   data={"csrf_token": csrf_of(other, "/documents")})
    assert r.status_code == 404
    assert "Просроченные" in owner.get("/documents").get_data(as_text=True)  # still there
    assert other.post("/saved-filters/999999/delete",
                      data={"csrf_token": csrf_of(other, "/documents")}).status_code == 404


def test_delete_without_csrf_is_refused(as_user):
    c = as_user("admin1")
    _save(c, "/documents?overdue=1", "Просроченные")
    filter_id = re.search(r'data-saved-filter="(\d+)"',
                          c.get("/documents").get_data(as_text=True)).group(1)
    assert c.post(f"/saved-filters/{filter_id}/delete").status_code == 400
    assert c.post("/documents?overdue=1", data={"name": "Без токена"}).status_code == 400


def test_names_are_checked_by_the_field(as_user):
    c = as_user("admin1")
    for name, message in [("   ", "Укажите название фильтра."),
                          ("я" * 81, "не длиннее 80 символов"),
                          ("два\tслова", "управляющих символов")]:
        r = _save(c, "/documents?kind=order", name)
        html = r.get_data(as_text=True)
        assert r.status_code == 422, name
        assert re.search(r'data-error="name">[^<]*' + re.escape(message), html), name
        assert 'id="filter-name"' in html and "is-invalid" in html
    assert _save(c, "/documents", "я" * 80).status_code == 302  # 80 is fine


def test_at_most_twenty_and_the_same_name_replaces(as_user, rt, actor):
    for i in range(20):
        saved_filters.save_filter(rt, actor("admin1"), "documents", f"Фильтр {i:02d}",
                                  f"q=номер{i}")
    c = as_user("admin1")
    r = _save(c, "/documents?kind=order", "Двадцать первый")
    assert r.status_code == 422
    assert "Можно сохранить не больше 20 фильтров" in r.get_data(as_text=True)
    r = _save(c, "/documents?kind=plan", "Фильтр 05")  # replaces, does not add
    assert r.status_code == 302
    links = _links(c.get("/documents").get_data(as_text=True))
    assert len(links) == 20 and links["Фильтр 05"] == "/documents?kind=plan"


def test_audit_journal_saves_its_filter(as_user, make_doc):
    make_doc("on_approval")
    c = as_user("auditor")
    r = _save(c, "/audit/?event=submit&sort=actor&page=2", "Отправки")
    assert r.status_code == 302 and r.headers["Location"] == "/audit/?event=submit&sort=actor"
    html = c.get("/audit/").get_data(as_text=True)
    assert _links(html) == {"Отправки": "/audit/?event=submit&sort=actor"}
    assert "Отправки" not in as_user("admin1").get("/documents").get_data(as_text=True)
