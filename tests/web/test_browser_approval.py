"""In headless Chromium: a положение goes педсовет protocol → профком → director → approving
order → signed, as the people involved click it. Screenshots go to
test-output/screenshots/approval-*.png."""

from __future__ import annotations

import re

import pytest

from tests.web.test_browser_chain import Person, browser, live_server  # noqa: F401
from workflow import clock

pytestmark = pytest.mark.browser

SECTIONS = {"sections": [{"title": "Общие положения", "text": "Настоящее Положение "
                          "определяет порядок наставничества."}]}


def _protocol(person: Person, number: str, shot: str) -> None:
    page = person.page
    page.fill("#p-number", number)
    page.fill("#p-date", clock.today().strftime("%d.%m.%Y"))
    person.shot(shot)
    page.click("[data-test=record-protocol]")
    page.wait_for_selector(".alert-success")


def test_regulation_through_council_union_director_and_order(live_server, browser,  # noqa: F811
                                                             make_doc):
    base = live_server
    doc_id = make_doc("draft", kind="regulation", fields=SECTIONS,
                      title="Положение о наставничестве")
    admin = Person(browser, base, "admin1").login()
    admin.open(doc_id)
    admin.fire("submit")
    admin.shot("approval-01-submitted")
    assert "Педагогический совет" in admin.page.inner_text("[data-test=route]")
    _protocol(admin, "3", "approval-02-council-form")
    _protocol(admin, "12", "approval-03-union-form")
    route = admin.page.inner_text("[data-test=route]")
    assert "Протокол от" in route and "№ 12" in route

    director = Person(browser, base, "director1").login()
    assert "Положение о наставничестве" in director.page.inner_text(
        "[data-section=to_approve]")
    director.open(doc_id)
    director.shot("approval-04-director")
    director.fire("approve")
    assert "утверждён" in director.page.inner_text(".state-badge")

    admin.open(doc_id)
    admin.page.click("[data-test=approve-by-order]")
    admin.page.wait_for_selector("[data-test=appendices]")
    order_id = int(re.search(r"/documents/(\d+)$", admin.page.url).group(1))
    assert "Об утверждении Положения о наставничестве" in admin.page.inner_text("h1")
    admin.shot("approval-05-order-draft")
    admin.fire("submit")

    director.open(order_id)
    director.fire("approve")
    director.fire("sign")
    number = director.page.inner_text(".reg-number")
    director.shot("approval-06-order-signed")

    admin.open(doc_id)
    approved = admin.page.inner_text("[data-test=approved-by]")
    assert "Утверждён приказом" in approved and number.split()[1] in approved
    assert "подписан" in admin.page.inner_text(".state-badge")
    admin.shot("approval-07-regulation-signed")
    for person in (admin, director):
        person.close()
