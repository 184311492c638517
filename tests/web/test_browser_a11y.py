"""Each role's main pages pass axe-core's WCAG 2.1 A and AA rules and its best practices in
Chromium — contrast included (the menu's dimmed sections read at 2.4:1, links and outline
buttons on the page's grey at 4.2:1, a report link in a green cell at 3.4:1; AA asks 4.5:1)."""

from __future__ import annotations

from pathlib import Path

import axe_playwright_python
import pytest

from tests.web.test_browser_chain import Person, browser, live_server  # noqa: F401

pytestmark = pytest.mark.browser

AXE = (Path(axe_playwright_python.__file__).parent / "axe.min.js").read_text(encoding="utf-8")
RULES = ("{runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', "
         "'best-practice']}}")


def _violations(page) -> list[str]:
    page.evaluate(AXE + "\n;0")  # through DevTools: the page's CSP allows no inline script
    found = page.evaluate(f"async () => (await axe.run(document, {RULES})).violations")
    return [f"{page.url}: {v['id']} ({v['impact']}) at {v['nodes'][0]['target']}: "
            f"{v['nodes'][0].get('failureSummary', '')[:200]}" for v in found]


def test_main_pages_of_each_role_pass_wcag_aa(
        live_server, browser, make_doc, rt, actor, world):  # noqa: F811
    from tests.workflow.test_reminders import make_roadmap

    on_approval = make_doc("on_approval")
    accepted = make_doc("accepted")
    roadmap = make_roadmap(rt, actor("admin1"), world.orgs["school1"], [
        {"number": "1.1", "activity": "Издание приказа", "deadline_text": "до 15.09.2026"}])
    pages = {
        None: ["/login"],
        "director1": ["/", "/documents", f"/documents/{on_approval}"],
        "admin1": ["/documents/new/order", f"/roadmaps/{roadmap['_id']}", "/registers/",
                   "/profile"],
        "officer": ["/compliance/", "/schools", f"/documents/{accepted}"],
        "auditor": ["/audit/", "/audit/chains", "/audit/time-in-stage"],
        "sysadmin": ["/admin/users/new", "/admin/log"],
    }
    problems: list[str] = []
    for user, urls in pages.items():
        person = Person(browser, live_server, user or "director1")
        if user:
            person.login()
        for url in urls:
            person.page.goto(live_server + url)
            problems += _violations(person.page)
        person.ctx.close()
    assert not problems, "\n".join(problems)
