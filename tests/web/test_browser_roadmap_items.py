"""In headless Chromium: the officer imports a municipal roadmap; school 1's admin reports
its item with an evidence file; the director approves and sends it; the officer returns it
once, then accepts; the progress matrix shows the cell green. Screenshots go to
test-output/screenshots/ (roadmap-items-*.png)."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest

from documents.roadmaps.export import roadmap_to_docx
from tests.web.test_browser_chain import SHOTS, Person, browser, live_server  # noqa: F401
from workflow import clock

pytestmark = pytest.mark.browser

PNG = (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00"
       b"\x00\x1f\x15\xc4\x89\x00\x00\x00\rIDATx\x9cc\xf8\x0f\x00\x00\x01\x01\x00\x05\x18\xd8N"
       b"\x00\x00\x00\x00IEND\xaeB`\x82")


def _roadmap_file(tmp_path) -> str:
    due = (clock.today() + timedelta(days=10)).strftime("%d.%m.%Y")
    data = roadmap_to_docx({"title": "Муниципальная дорожная карта наставничества",
                            "sections": [{"number": "1", "title": "Организация"}], "items": [
        {"number": "1.1", "section": "1", "activity": "Провести педсовет о наставничестве",
         "deadline_text": f"до {due}", "responsible_text": "Руководители ОО",
         "result_text": "Протокол педсовета"},
        {"number": "1.2", "section": "1", "activity": "Семинар для кураторов",
         "deadline_text": f"до {due}", "responsible_text": "МКУ «Центр развития образования»",
         "result_text": "Семинар"}]})
    path = tmp_path / "municipal.docx"
    path.write_bytes(data)
    return str(path)


def test_municipal_item_reported_returned_accepted_in_the_browser(live_server, browser, world,  # noqa: F811
                                                                   tmp_path):
    base = live_server
    today = clock.today()
    # 1. The officer imports the municipal roadmap (preview, then confirm).
    officer = Person(browser, base, "officer").login()
    page = officer.page
    page.goto(base + "/roadmaps/")
    page.select_option("#rm-org", str(world.orgs["muni"]))
    page.set_input_files("#rm-file", _roadmap_file(tmp_path))
    page.fill("#rm-start", (today - timedelta(days=30)).isoformat())
    page.fill("#rm-end", (today + timedelta(days=300)).isoformat())
    page.click("[data-test=roadmap-upload] button[type=submit]")
    page.wait_for_selector("[data-test=confirm-import]")
    officer.shot("roadmap-items-01-import-preview")
    page.click("[data-test=confirm-import]")
    page.wait_for_selector("[data-test=roadmap-table]")
    roadmap_id = int(re.search(r"/roadmaps/(\d+)", page.url).group(1))
    assert "Выполняют школы: 0 из 2" in page.inner_text("[data-test=roadmap-table]")
    officer.shot("roadmap-items-02-municipal-roadmap")

    # 2. School 1's admin finds the item in «Мои задачи», writes the report, attaches a file.
    admin = Person(browser, base, "admin1").login()
    page = admin.page
    drafts = page.locator("[data-section=drafts]")
    assert "Провести педсовет о наставничестве" in drafts.inner_text()
    admin.shot("roadmap-items-03-admin-tasks")
    drafts.locator("a", has_text="Провести педсовет о наставничестве").click()
    page.wait_for_selector("[data-test=item-report]")
    doc_id = int(re.search(r"/documents/(\d+)$", page.url).group(1))
    evidence = tmp_path / "протокол.png"
    evidence.write_bytes(PNG)
    page.set_input_files("[data-test=item-report] input[type=file]", str(evidence))
    page.click("[data-test=upload-evidence]")
    page.wait_for_selector(".alert-success")
    assert "протокол.png" in page.inner_text("[data-test=evidence-files]")
    page.click("[data-test=edit]")
    page.fill("#f-report", "Педсовет проведён 10 ноября, протокол № 3 приложен.")
    admin.submit("[data-test=save]")
    page.wait_for_selector(".alert-success")
    admin.shot("roadmap-items-04-report-with-evidence")
    admin.fire("submit")

    # 3. The director approves it and sends it to the municipality.
    director = Person(browser, base, "director1").login()
    assert "Провести педсовет" in director.page.inner_text("[data-section=to_approve]")
    director.open(doc_id)
    director.fire("approve")
    director.shot("roadmap-items-05-director-approved")
    director.fire("send_to_municipality")

    # 4. The officer opens the school's report from the matrix and returns it once.
    page = officer.page
    page.goto(f"{base}/roadmaps/{roadmap_id}/progress")
    cell = page.locator(f"[data-test=progress-matrix] tbody td[data-org='{world.orgs['school1']}']")
    assert cell.get_attribute("data-colour") == "yellow"
    cell.locator("a").click()
    page.wait_for_selector("[data-test=school-report]")
    assert "протокол № 3" in page.inner_text("[data-test=school-report]")
    assert "протокол.png" in page.inner_text("[data-test=school-report]")
    officer.shot("roadmap-items-06-school-report")
    page.click("[data-test=open-report]")
    page.click("button[data-event=return_for_revision]")
    page.fill("#comment-return_for_revision", "Приложите список участников педсовета.")
    page.click("button[data-confirm=return_for_revision]")
    page.wait_for_selector(".alert-success")

    # 5. The school revises and sends it again; the officer accepts.
    admin.open(doc_id)
    admin.fire("revise")
    admin.fire("submit")
    director.open(doc_id)
    director.fire("approve")
    director.fire("send_to_municipality")
    officer.open(doc_id)
    officer.fire("accept")
    officer.shot("roadmap-items-07-accepted")

    # 6. The matrix shows school 1 green, school 2 not started, counts per item and school.
    page.goto(f"{base}/roadmaps/{roadmap_id}/progress")
    matrix = page.locator("[data-test=progress-matrix]")
    assert matrix.locator(f"tbody td[data-org='{world.orgs['school1']}']").first \
        .get_attribute("data-colour") == "green"
    assert matrix.locator(f"tbody td[data-org='{world.orgs['school2']}']").first \
        .get_attribute("data-colour") == "grey"
    assert page.inner_text("[data-test=item-count]") == "1 из 2"
    officer.shot("roadmap-items-08-matrix-green")
    for person in (officer, admin, director):
        person.close()
    assert (SHOTS / "roadmap-items-08-matrix-green.png").exists()
