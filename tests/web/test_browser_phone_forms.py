"""Lists on a phone (390 px): journals of registration and documents are cards, each value
named above it, nothing scrolled sideways; a journal's title field as wide as the screen."""

from __future__ import annotations

from datetime import date

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


def test_documents_are_cards_on_a_phone_and_their_order_is_chosen_above(
        live_server, browser, make_doc):  # noqa: F811
    for title in ("О плане встреч", "Об итогах конкурса", "О назначении наставников"):
        make_doc("draft", title=title, due=date(2027, 3, 1))
    person = Person(browser, live_server, "admin1", viewport=(390, 844)).login()
    page = person.page
    page.goto(live_server + "/documents")
    box = page.locator(".table-responsive")
    assert box.evaluate("el => el.scrollWidth - el.clientWidth") <= 1  # nothing cut off
    due = page.locator(".doc-table tbody tr").first.locator("td").nth(4)
    assert due.is_visible() and "01.03.2027" in due.inner_text()
    assert due.evaluate("el => getComputedStyle(el, '::before').content") == '"Срок"'
    page.select_option("[data-test=sort-select]", "title")
    page.click("form.filters button[type=submit]")
    page.wait_for_url("**sort=title**")
    titles = page.locator(".doc-table tbody tr td:first-child a").all_inner_texts()
    assert len(titles) > 1 and titles == sorted(titles, key=str.casefold)
    assert not person.errors
    person.ctx.close()


def test_a_roadmap_is_read_item_by_item_on_a_phone(
        live_server, browser, rt, actor, world):  # noqa: F811
    from tests.workflow.test_reminders import make_roadmap

    made = make_roadmap(rt, actor("admin1"), world.orgs["school1"], [
        {"number": "1.1", "activity": "Издание приказа о внедрении целевой модели",
         "deadline_text": "до 15.09.2026", "responsible_text": "Иванова М. П.",
         "result_text": "Приказ"}])
    person = Person(browser, live_server, "admin1", viewport=(390, 844)).login()
    page = person.page
    page.goto(f"{live_server}/roadmaps/{made['_id']}")
    box = page.locator(".table-responsive")
    assert box.evaluate("el => el.scrollWidth - el.clientWidth") <= 1  # nothing cut off
    status = page.locator(f"#item-{made['1.1']} td").nth(5)
    assert status.is_visible() and status.bounding_box()["x"] < 390
    assert status.evaluate("el => getComputedStyle(el, '::before').content") == '"Статус"'
    terms = page.locator(f"#item-{made['1.1']} td").nth(2).inner_text()
    assert terms.count("15.09.2026") == 1  # the date said once
    assert not person.errors
    person.ctx.close()


def test_registers_are_cards_on_a_phone(
        live_server, browser, rt, actor, world):  # noqa: F811
    from workflow.mentorship import registers

    registers.create_person(rt, actor("admin1"), org_id=world.orgs["school1"],
                            full_name="Петрова Анна Сергеевна", category="teacher",
                            position="учитель математики", experience_years=1)
    person = Person(browser, live_server, "admin1", viewport=(390, 844)).login()
    page = person.page
    page.goto(f"{live_server}/registers/?org_id={world.orgs['school1']}")
    people = page.locator("[data-test=people]")
    assert people.evaluate("el => el.parentElement.scrollWidth - el.parentElement.clientWidth"
                           ) <= 1  # nothing cut off
    row = people.locator("tbody tr").filter(has_text="Петрова Анна Сергеевна")
    grade = row.locator("td[data-label]").nth(1)
    assert grade.is_visible() and "учитель математики" in grade.inner_text()
    assert grade.evaluate("el => getComputedStyle(el, '::before').content") == \
        '"Класс / должность"'
    assert not person.errors
    person.ctx.close()


def test_the_municipalitys_schools_fit_a_phone(live_server, browser, make_doc):  # noqa: F811
    make_doc("under_municipal_review")
    person = Person(browser, live_server, "officer", viewport=(390, 844)).login()
    page = person.page
    page.goto(f"{live_server}/schools")
    box = page.locator(".table-responsive")
    assert box.evaluate("el => el.scrollWidth - el.clientWidth") <= 1  # every column in view
    waiting = page.locator("table.schools tbody tr").first.locator("td").nth(2)
    assert waiting.is_visible() and waiting.bounding_box()["x"] + 10 < 390
    assert not person.errors
    person.ctx.close()
