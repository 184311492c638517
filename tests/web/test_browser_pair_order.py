"""A pair order chooses its pairs from the school's list (mentor → mentees · form · term),
not by typing ids, and an unusable pair is refused when the draft is saved (issue 13,
defect 3) — in Chromium, as the school admin would do it."""

from __future__ import annotations

from datetime import timedelta

import pytest

from tests.web.test_browser_chain import Person, browser, live_server  # noqa: F401
from tests.workflow.test_pairs_factories import (  # noqa: F401 - fixture
    TODAY,
    ready_teacher,
    reference,
)
from workflow.mentorship import pairs

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("reference")]


def _pair(rt, admin, school, mentor_name, mentee_name):
    mentor = ready_teacher(rt, admin, school, full_name=mentor_name)
    mentee = ready_teacher(rt, admin, school, 1, False, full_name=mentee_name)
    return pairs.create_pair(rt, admin, org_id=school, mentor_id=mentor, mentee_ids=[mentee],
                             form="teacher_teacher", start=TODAY + timedelta(days=1),
                             end=TODAY + timedelta(days=120))


def test_pairs_are_chosen_from_a_list_and_checked_on_save(live_server, browser, rt,  # noqa: F811
                                                          world, actor):
    admin_actor, school = actor("admin1"), world.orgs["school1"]
    first = _pair(rt, admin_actor, school, "Смирнова Ксения", "Орлова Дарья")
    second = _pair(rt, admin_actor, school, "Васильев Олег", "Титов Павел")
    admin = Person(browser, live_server, "admin1").login()
    page = admin.page
    page.goto(f"{live_server}/documents/new/pair_order")
    assert "идентификатор" not in page.inner_text("main")
    options = page.locator("[data-test=pair-choice] option").all_inner_texts()
    assert len(options) == 2
    assert any("Смирнова Ксения → Орлова Дарья" in o and "учитель – учитель" in o
               for o in options)
    assert all(TODAY.strftime("%Y-%m-%d") not in o for o in options)
    page.fill("#title", "О закреплении наставнических пар")
    page.select_option("[data-test=pair-choice]", [str(first)])
    page.fill("#f-clauses-0-text", "Закрепить пары.")
    admin.shot("issue13-pair-order-form-1366")
    # Meanwhile the other pair is cancelled: the list offered it, the save refuses it.
    page.click("[data-test=save]")
    page.wait_for_selector(".alert-success")
    assert "Смирнова Ксения" in page.inner_text(".doc-card")
    pairs.cancel_pair(rt, admin_actor, second)
    page.click("[data-test=edit]")
    assert page.locator("[data-test=pair-choice] option").count() == 1  # only usable pairs
    page.evaluate("""() => { const s = document.querySelector('[data-test=pair-choice]');
        const o = document.createElement('option'); o.value = '%d'; o.selected = true;
        s.appendChild(o); }""" % second)  # a stale list still offering the cancelled pair
    page.click("[data-test=save]")
    page.wait_for_selector(".invalid-feedback")
    assert "действующих пар школы" in page.inner_text(".invalid-feedback")
    admin.shot("issue13-pair-order-refused-1366")
    admin.errors = [e for e in admin.errors if "status of 422" not in e
                    and "status of 400" not in e]
    admin.close()
