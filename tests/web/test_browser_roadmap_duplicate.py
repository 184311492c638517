"""Importing the same roadmap twice is noticed and asked about (issue 13, defect 8)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from documents.models import Roadmap
from tests.web.test_browser_chain import Person, browser, live_server  # noqa: F401
from tests.web.test_roadmaps_pages import big_roadmap
from workflow import clock
from workflow.errors import Conflict
from workflow.roadmaps import importing

pytestmark = pytest.mark.browser


def _count(rt) -> int:
    with rt.db.read_session() as s:
        return s.scalar(select(func.count()).select_from(Roadmap))


def test_a_second_import_of_the_same_roadmap_asks(live_server, browser, rt, world,  # noqa: F811
                                                  tmp_path, actor):
    today = clock.today()
    path = tmp_path / "dk.docx"
    path.write_bytes(big_roadmap(6, today))
    start, end = today - timedelta(days=30), today + timedelta(days=300)
    curator = Person(browser, live_server, "curator1").login()
    page = curator.page

    def upload() -> None:
        page.goto(live_server + "/roadmaps/")
        page.select_option("#rm-org", str(world.orgs["school1"]))
        page.set_input_files("#rm-file", str(path))
        page.fill("#rm-start", start.isoformat())
        page.fill("#rm-end", end.isoformat())
        page.click("#rm-file >> xpath=ancestor::form//button[@type='submit']")
        page.wait_for_selector("[data-test=confirm-import]")

    upload()
    assert page.locator("[data-test=duplicate]").count() == 0
    page.click("[data-test=confirm-import]")
    page.wait_for_selector("[data-test=roadmap-table]")
    assert _count(rt) == 1
    upload()  # the same file again
    warning = page.inner_text("[data-test=duplicate]")
    assert "уже загружена" in warning and "6\u00a0пунктов" in warning
    assert today.strftime("%d.%m.%Y") in warning
    curator.shot("issue13-roadmap-duplicate-1366")
    page.click("[data-test=confirm-import]")  # not ticked: the browser does not send it
    assert _count(rt) == 1
    page.check("[data-test=allow-duplicate]")
    page.click("[data-test=confirm-import]")
    page.wait_for_selector("[data-test=roadmap-table]")
    assert _count(rt) == 2
    curator.close()
    # The service refuses a confirmation that did not say yes (a forged or stale form).
    preview = importing.preview_import(rt, actor("curator1"), org_id=world.orgs["school1"],
                                      data=path.read_bytes(), filename="dk.docx",
                                      period_start=start.isoformat(),
                                      period_end=end.isoformat())
    assert preview["duplicate"] is not None
    with pytest.raises(Conflict) as exc:
        importing.confirm_import(rt, actor("curator1"), org_id=world.orgs["school1"],
                                sha=preview["sha"], filename="dk.docx",
                                period_start=start.isoformat(), period_end=end.isoformat())
    assert exc.value.code == "roadmap_duplicate"
