"""«Мои задачи» rows: the state and the due date stay in one column at the right, whatever a
title's length; on a phone the title keeps its checkbox and the page does not scroll sideways,
and in the list of documents the longest state's name is seen whole."""

from __future__ import annotations

import pytest

from tests.web.test_browser_chain import Person, browser, live_server  # noqa: F401

pytestmark = pytest.mark.browser

TITLES = ("О наставничестве",
          ("О внедрении целевой модели наставничества педагогических работников и обучающихся "
           "в муниципальном бюджетном общеобразовательном учреждении"))


def _on_approval(api, world) -> None:
    admin = api.as_("admin1")
    for n, title in enumerate(TITLES):
        doc = admin.post("/api/v1/documents", json={
            "kind": "order", "org_id": world.orgs["school1"], "title": title,
            "due": "2030-12-0" + str(n + 1),
            "fields": {"clauses": [{"text": "Внедрить целевую модель наставничества."}]}})
        assert doc.status_code == 201, doc.get_json()
        body = doc.get_json()
        assert admin.post(f"/api/v1/documents/{body['id']}/events/submit",
                          json={"lock_version": body["lock_version"]}).status_code == 200


ROWS = """rows => rows.map(li => {
  const box = e => { if (!e) return null; const r = e.getBoundingClientRect();
                     return {top: r.top, left: r.left, right: Math.round(r.right),
                             bottom: r.bottom}; };
  const due = [...li.querySelectorAll('span, div')].filter(
      e => /^(\\d\\d\\.\\d\\d\\.\\d{4}|—)/.test(e.textContent.trim())
           && !e.querySelector('span, div')).pop();
  return {badge: box(li.querySelector('.badge')), due: box(due),
          link: box(li.querySelector('a.fw-semibold')),
          title: box(li.querySelector('a.fw-semibold').parentElement),
          check: box(li.querySelector('input[type=checkbox]'))}; })"""


def test_state_and_due_form_one_column_on_a_laptop(live_server, browser, api, world):  # noqa: F811
    _on_approval(api, world)
    person = Person(browser, live_server, "director1", viewport=(1366, 800)).login()
    rows = person.page.eval_on_selector_all("[data-section=to_approve] li", ROWS)
    assert len(rows) == 2
    assert len({r["badge"]["right"] for r in rows} | {r["due"]["right"] for r in rows}) == 1
    assert all(r["due"]["top"] >= r["badge"]["bottom"] for r in rows)  # the date under it
    assert not person.errors
    person.ctx.close()


def test_a_phone_keeps_the_checkbox_by_its_title(live_server, browser, api, world):  # noqa: F811
    _on_approval(api, world)
    person = Person(browser, live_server, "director1", viewport=(390, 900)).login()
    page = person.page
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    rows = page.eval_on_selector_all("[data-section=to_approve] li", ROWS)
    for r in rows:
        assert abs(r["check"]["top"] - r["link"]["top"]) < 8, r  # on the title's first line
        assert r["badge"]["top"] >= r["link"]["bottom"]  # the state goes under the title
    # the long title has the row's width, not what the state and the date leave of it
    assert max(r["title"]["right"] - r["title"]["left"] for r in rows) > 250, rows
    assert not person.errors
    person.ctx.close()


def test_a_state_is_seen_whole_in_the_list_on_a_phone(live_server, browser, api,  # noqa: F811
                                                            world):
    _on_approval(api, world)
    director = api.as_("director1")
    for doc in director.get("/api/v1/documents?state=on_approval").get_json()["items"]:
        for event in ("approve", "sign", "send_to_municipality"):  # the longest state's name
            version = director.get(f"/api/v1/documents/{doc['id']}").get_json()["lock_version"]
            assert director.post(f"/api/v1/documents/{doc['id']}/events/{event}",
                                 json={"lock_version": version}).status_code == 200
    person = Person(browser, live_server, "director1", viewport=(360, 900)).login()
    person.page.goto(f"{live_server}/documents")
    overflow = person.page.eval_on_selector_all("td .state-badge", """badges => badges.map(b => {
        const seen = b.closest('.table-responsive').getBoundingClientRect();
        return Math.round(b.getBoundingClientRect().right - seen.right); })""")
    assert overflow and max(overflow) <= 0, overflow
    assert not person.errors
    person.ctx.close()
