"""In headless Chromium: the auditor finds who signed a given order in the journal, builds and
downloads the school's audit pack, and the pack verifies with plain python3. Screenshots go to
test-output/screenshots/audit-*.png."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
import zipfile

import pytest

from tests.web.test_browser_chain import Person, browser, live_server  # noqa: F401

pytestmark = pytest.mark.browser


def test_auditor_finds_the_signer_and_the_pack_verifies(browser, live_server, make_doc,  # noqa: F811
                                                        world, tmp_path, rt, actor):
    from documents.models import Document
    from workflow.engine.authoring import update_document
    from workflow.engine.transition import apply_event

    revised = make_doc("returned", title="О назначении наставников")
    apply_event(rt, revised, "revise", actor("admin1"))
    with rt.db.read_session() as s:
        lock = s.get(Document, revised).lock_version
    update_document(rt, actor("admin1"), revised, expected_version=lock, fields={
        "preamble": "В целях внедрения целевой модели наставничества",
        "clauses": [{"text": "Назначить наставников по списку.", "executor": "Директор",
                     "term": "до 01.12.2026"}]})
    target = make_doc("signed", title="Об утверждении положения о наставничестве")
    auditor = Person(browser, live_server, "auditor").login()
    page = auditor.page
    page.click("text=Аудит")
    page.wait_for_url(re.compile(r".*/audit/$"))
    page.fill("#f-doc", str(target))
    page.select_option("#f-event", "sign")
    page.click("button:has-text('Найти')")
    page.wait_for_selector("[data-test=event-row]")
    rows = page.locator("[data-test=event-row]")
    assert rows.count() == 1
    assert rows.first.locator("[data-test=actor]").inner_text() == "Пользователь director1"
    auditor.shot("audit-journal-signer")

    page.click("text=Пакет для проверки")
    page.select_option("#p-org", str(world.orgs["school1"]))
    auditor.shot("audit-pack-form")
    page.click("button:has-text('Сформировать')")
    page.wait_for_selector("[data-test=download]", timeout=60_000)
    auditor.shot("audit-pack-ready")
    with page.expect_download() as info:
        page.click("[data-test=download]")
    zip_path = tmp_path / "pack.zip"
    info.value.save_as(zip_path)
    folder = tmp_path / "pack"
    with zipfile.ZipFile(zip_path) as zf:
        zf.extractall(folder)
    assert (folder / "documents" / str(target) / "v1.docx").exists()
    python = shutil.which("python3") or sys.executable
    result = subprocess.run([python, str(folder / "verify_pack.py"), str(folder)],
                            capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stdout + result.stderr

    page.click("text=Цепочки истории")
    page.click("[data-test=verify-all]")
    page.wait_for_selector("[data-test=verify-ok]", timeout=60_000)
    auditor.shot("audit-verify-ok")
    page.click("text=Время на этапах")
    page.wait_for_selector("[data-test=stages]")
    auditor.shot("audit-time-in-stage")
    page.goto(f"{live_server}/audit/?document_id={revised}&event=revise")
    page.click("[data-test=event-row] >> text=v2")
    page.wait_for_selector("[data-test=text-diff]")
    assert "Назначить наставников по списку." in page.locator("[data-tag=add]").all_inner_texts()[0]
    auditor.shot("audit-compare")
    assert not auditor.errors, auditor.errors
