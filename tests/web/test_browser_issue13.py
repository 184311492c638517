"""Issue 13 in headless Chromium, clicked as people would: search in lower case (1), a
school's own monitoring (2), dates as DD.MM.YYYY (4), the last remark on top (5), a refused
register form keeping its input (6), a second tab's conflict (14) and «Подписать» asking
first (15). Screenshots at 1366 px and 390 px go to test-output/screenshots/issue13-*."""

from __future__ import annotations

import re

import pytest

from tests.web.test_browser_chain import Person, browser, live_server  # noqa: F401
from workflow import clock

pytestmark = pytest.mark.browser
ISO = re.compile(r"\b\d{4}-\d{2}-\d{2}\b")


def _shot(person: Person, name: str) -> None:
    person.shot(f"issue13-{name}")


def test_search_finds_lower_case_and_yo(live_server, browser, make_doc):  # noqa: F811
    make_doc(title="Положение о наставничестве")
    make_doc(title="О зачёте стажа наставникам")
    admin = Person(browser, live_server, "admin1").login()
    page = admin.page
    page.goto(live_server + "/documents")
    page.fill("input[name=q]", "положение")
    with page.expect_navigation():  # the search page, not the list it replaces
        page.keyboard.press("Enter")
    assert "Положение о наставничестве" in page.inner_text("main")
    page.goto(live_server + "/documents?q=ЗАЧЕТЕ")
    assert "О зачёте стажа наставникам" in page.inner_text("main")
    _shot(admin, "search-1366")
    admin.close()


def test_director_monitoring_shows_own_school(live_server, browser, make_doc):  # noqa: F811
    make_doc("signed", kind="regulation", title="Положение о наставничестве",
             fields={"sections": [{"title": "Общие положения", "text": "Текст"}]})
    for width, name in ((1366, "1366"), (390, "390")):
        director = Person(browser, live_server, "director1", viewport=(width, 844)).login()
        page = director.page
        page.goto(live_server + "/compliance/")
        assert "/compliance/school/" in page.url
        text = page.inner_text("main")
        assert "Положение о наставничестве" in text and "Показатели" in text
        assert not ISO.search(text), ISO.search(text)
        assert page.evaluate("document.documentElement.scrollWidth <= "
                             "document.documentElement.clientWidth + 1")
        _shot(director, f"director-monitoring-{name}")
        director.close()


def test_last_remark_on_top_in_tasks_and_on_the_edit_form(live_server, browser,  # noqa: F811
                                                            make_doc):
    doc = make_doc("on_approval", title="О закреплении наставников")
    director = Person(browser, live_server, "director1").login()
    director.open(doc)
    director.page.click("button[data-event=reject]")
    director.page.wait_for_selector("#remark-reject.show")
    director.page.fill("#comment-reject", "Уточните сроки в п. 2.")
    director.page.click("#remark-reject button[data-confirm]")
    director.page.wait_for_selector(".alert-success")
    admin = Person(browser, live_server, "admin1").login()
    assert "Уточните сроки в п. 2." in admin.page.inner_text("[data-test=task-remark]")
    _shot(admin, "task-remark-1366")
    admin.open(doc)
    banner = admin.page.inner_text("[data-test=last-remark]")
    assert "Уточните сроки в п. 2." in banner and "Пользователь director1" in banner
    assert not ISO.search(banner)
    admin.page.click("[data-test=edit]")
    assert "Уточните сроки" in admin.page.inner_text("[data-test=last-remark]")
    _shot(admin, "edit-remark-1366")
    for person in (director, admin):
        person.close()


def test_register_form_keeps_input_and_marks_the_field(live_server, browser, world):  # noqa: F811
    admin = Person(browser, live_server, "admin1", viewport=(390, 844)).login()
    page = admin.page
    page.goto(f"{live_server}/registers/?org_id={world.orgs['school1']}")
    page.fill("input[name=full_name]", "Смирнова Анна Петровна")
    form = "form[action$='/registers/people']"
    page.select_option(f"{form} select[name=category]", "teacher")
    page.fill("input[name=position]", "учитель математики")
    page.fill("input[name=experience_years]", "17")
    future = clock.today().replace(year=clock.today().year + 2)
    page.fill("input[name=birth_date]", future.isoformat())  # the date picker's own format
    page.click("form[action$='/registers/people'] button")
    page.wait_for_selector("[data-error=birth_date]")
    assert page.input_value("input[name=full_name]") == "Смирнова Анна Петровна"
    assert page.input_value("input[name=position]") == "учитель математики"
    assert page.input_value("input[name=experience_years]") == "17"
    assert page.input_value(f"{form} select[name=category]") == "teacher"
    error = page.locator("[data-error=birth_date]")
    error.scroll_into_view_if_needed()
    box, field = error.bounding_box(), page.locator("input[name=birth_date]").bounding_box()
    assert 0 <= box["y"] - (field["y"] + field["height"]) < 60  # right under the input
    _shot(admin, "register-error-390")
    admin.errors.remove("Failed to load resource: the server responded with a status of 400 "
                        "(BAD REQUEST)")  # the refused form is answered 400, as it should
    admin.close()


def test_second_tab_conflict_says_what_changed(live_server, browser, make_doc):  # noqa: F811
    doc = make_doc("on_approval", title="О наставничестве в 2027 году")
    director = Person(browser, live_server, "director1").login()
    tab1, tab2 = director.page, director.ctx.new_page()
    tab1.goto(f"{live_server}/documents/{doc}")
    tab2.goto(f"{live_server}/documents/{doc}")
    tab2.click("button[data-event=approve]")
    tab2.wait_for_selector(".alert-success")
    tab1.click("button[data-event=approve]")
    tab1.wait_for_selector(".alert-danger")
    text = tab1.inner_text(".alert-danger")
    assert "Пользователь director1" in text and "Утверждён" in text and "утверждён" in text
    assert not ISO.search(text)
    assert tab1.locator("button[data-event=sign]").count() == 1  # the page shows the news
    director.shot("issue13-conflict-1366", full=False)
    director.close()


def test_sign_asks_with_the_number_and_a_preview(live_server, browser, make_doc):  # noqa: F811
    make_doc("signed", title="Первый приказ")
    doc = make_doc("approved", title="Второй приказ")
    director = Person(browser, live_server, "director1").login()
    director.open(doc)
    page = director.page
    page.click("button[data-event=sign]")
    page.wait_for_selector("#confirm-sign.show")
    number = page.inner_text("[data-test=sign-number]")
    assert "№ 2-од" in number and clock.today().strftime("%d.%m.%Y") in number
    assert page.get_attribute("[data-test=sign-preview]", "href") == f"/documents/{doc}/preview"
    director.shot("issue13-sign-confirm-1366", full=False)
    page.click("#confirm-sign .btn-outline-secondary")  # «Отмена» signs nothing
    page.wait_for_selector("#confirm-sign", state="hidden")
    page.reload()
    assert "утверждён" in page.inner_text(".state-badge")
    page.click("button[data-event=sign]")
    page.wait_for_selector("#confirm-sign.show")
    page.click("#confirm-sign button[data-confirm=sign]")
    page.wait_for_selector(".alert-success")
    assert "№ 2-од" in page.inner_text(".reg-number")
    director.close()


def test_director_signs_many_at_once_with_a_summary(live_server, browser, make_doc,  # noqa: F811
                                                      rt, actor):
    from workflow.engine.transition import apply_event

    docs = [make_doc("approved", title=f"Приказ о наставничестве № {n}") for n in (1, 2, 3)]
    for width in (390, 1366):
        director = Person(browser, live_server, "director1", viewport=(width, 844)).login()
        page = director.page
        boxes = page.locator("[data-section=to_sign] input[name=doc]")
        if width == 390:  # the phone only looks: the list and its boxes fit the screen
            assert boxes.count() == 3 and page.evaluate(
                "document.documentElement.scrollWidth <= document.documentElement.clientWidth")
            _shot(director, "bulk-inbox-390")
            director.close()
            continue
        for i in range(boxes.count()):
            boxes.nth(i).check()
        _shot(director, "bulk-inbox-1366")
        page.click("[data-section=to_sign] [data-test=bulk-submit]")
        page.wait_for_selector("[data-test=bulk-confirm]")
        assert "№ 1-од" in page.inner_text("[data-test=bulk-numbers]")
        assert page.locator("[data-test=bulk-confirm] li").count() == 3
        _shot(director, "bulk-confirm-1366")
        # Meanwhile the third one is signed from another place: it must be refused alone.
        apply_event(rt, docs[2], "sign", actor("director1"))
        page.click("[data-test=bulk-go]")
        page.wait_for_selector("[data-test=bulk-summary]")
        summary = page.inner_text("[data-test=bulk-summary]")
        assert "2\u00a0документа" in summary and "отказано: 1" in summary
        done = page.inner_text("[data-test=bulk-done]")
        assert "№ 2-од" in done and "№ 3-од" in done
        refused = page.inner_text("[data-test=bulk-refused]")
        assert "Приказ о наставничестве № 3" in refused and "изменён" in refused
        _shot(director, "bulk-result-1366")
        director.close()
