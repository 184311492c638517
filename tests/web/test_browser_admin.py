"""End to end in headless Chromium: the municipal admin creates a new school and uploads its
staff from XLSX; the new school admin and director open their invitation links (read from
the e-mails a local SMTP server caught), set passwords; the admin drafts the school's first
order, the director approves and signs it, and its DOCX carries the school's requisites.
Screenshots go to test-output/screenshots/admin-*.png."""

from __future__ import annotations

import io
import re
from dataclasses import replace

import pytest
from docx import Document as DocxDocument
from sqlalchemy import select

from documents.models import User
from tests.web.admin_helpers import link_in, xlsx
from tests.web.test_browser_chain import SHOTS, Person, browser, live_server  # noqa: F401

pytestmark = pytest.mark.browser

SCHOOL = {"#name": "Муниципальное бюджетное общеобразовательное учреждение «Лесновская "
                   "средняя школа»",
          "#short_name": "МБОУ «Лесновская СШ»",
          "#founder": "Управление образования администрации Тестовского района",
          "#place": "пос. Лесной", "#head_name": "Лесная Вера Павловна",
          "#head_position": "Директор", "#inn": "7707083893",
          "#address": "пос. Лесной, ул. Школьная, д. 1"}
STAFF = [["Лесная Вера Павловна", "Директор", "Director@Lesnoy-School.test", "Директор"],
         ["Полянская Ольга Игоревна", "Заместитель директора", "zam@lesnoy-school.test",
          "Администратор школы"],
         ["Березин Антон Сергеевич", "Учитель физики", "berezin@lesnoy-school.test", "Куратор"]]


def _set_password(person: Person, link: str, password: str, shot: str | None = None) -> None:
    page = person.page
    page.goto(link)
    assert "Добро пожаловать" in page.inner_text("h1")
    page.fill("#password", password)
    page.fill("#repeat", password)
    if shot:
        person.shot(shot)
    page.click("[data-test=set-password] button[type=submit]")
    page.wait_for_url(re.compile(r".*/login$"))


def _login(person: Person, email: str, password: str) -> None:
    person.page.fill("#email", email)
    person.page.fill("#password", password)
    person.page.click("button[type=submit]")
    person.page.wait_for_url(person.base + "/")


def test_new_school_onboarded_in_the_browser_signs_its_first_order(
        live_server, browser, world, rt, mailbox, tmp_path):  # noqa: F811
    base = live_server
    rt.settings = replace(rt.settings, base_url=base)  # links in e-mails point here

    # 1. The municipal admin creates the school.
    admin = Person(browser, base, "sysadmin").login()
    page = admin.page
    page.click("[data-test=nav-admin]")
    admin.shot("admin-01-administration")
    page.click("[data-test=new-school]")
    for selector, value in SCHOOL.items():
        page.fill(selector, value)
    admin.shot("admin-02-new-school")
    page.click("[data-test=save]")
    page.wait_for_selector(".alert-success")
    assert "Лесновская" in page.inner_text(".alert-success")

    # 2. … and uploads its staff from XLSX: preview, then create all with invitations.
    page.click("[data-test=import-link]")
    upload = tmp_path / "staff.xlsx"
    upload.write_bytes(xlsx(STAFF))
    page.set_input_files("#file", str(upload))
    page.click("[data-test=import-form] button[type=submit]")
    page.wait_for_selector("[data-test=preview]")
    assert page.locator("[data-test=preview] tbody tr").count() == 3
    admin.shot("admin-03-import-preview")
    page.click("[data-test=confirm]")
    page.wait_for_selector(".alert-success")
    assert "Создано пользователей: 3" in page.inner_text(".alert-success")
    admin.shot("admin-04-staff")
    assert sorted(m["to"][0] for m in mailbox) == [
        "berezin@lesnoy-school.test", "director@lesnoy-school.test", "zam@lesnoy-school.test"]
    links = {m["to"][0]: link_in(m) for m in mailbox}

    # 3. The new school admin and director open their links and set passwords.
    zam = Person(browser, base, "zam")
    _set_password(zam, links["zam@lesnoy-school.test"], "Zamestitel-Lesnoy-2026")
    _login(zam, "zam@lesnoy-school.test", "Zamestitel-Lesnoy-2026")
    director = Person(browser, base, "director")
    _set_password(director, links["director@lesnoy-school.test"], "Direktor-Lesnoy-2026",
                  shot="admin-05-set-password")
    director.page.goto(links["director@lesnoy-school.test"])
    assert director.page.locator("[data-test=link-invalid]").count() == 1  # used once
    director.shot("admin-06-link-used")
    director.errors = [e for e in director.errors if "410" not in e]  # that answer was meant
    director.page.goto(base + "/login")
    _login(director, "director@lesnoy-school.test", "Direktor-Lesnoy-2026")

    # 4. The school admin drafts the first order and submits it.
    with rt.db.read_session() as s:
        zam_id = s.scalar(select(User.id).where(User.email == "zam@lesnoy-school.test"))
    zp = zam.page
    zp.click("[data-test=new-document]")
    zp.click("a[data-kind=order]")
    zp.fill("#title", "О внедрении целевой модели наставничества")
    zp.select_option("#responsible_id", str(zam_id))
    zp.fill("#due", "2030-12-01")
    zp.fill("#f-preamble", "В соответствии с распоряжением Минпросвещения России от 25.12.2019 "
                           "№ Р-145")
    zp.fill("#f-clauses-0-text", "Внедрить целевую модель наставничества.")
    zp.click("[data-test=save]")
    zp.wait_for_selector(".alert-success")
    doc_id = int(re.search(r"/documents/(\d+)$", zp.url).group(1))
    zam.fire("submit")

    # 5. The new director approves and signs it; the DOCX has the school's requisites.
    director.open(doc_id)
    director.fire("approve")
    director.fire("sign")
    number = director.page.inner_text(".reg-number")
    assert "1-од" in number
    director.shot("admin-07-signed")
    response = director.page.request.get(f"{base}/documents/{doc_id}/docx")
    for _ in range(20):
        if response.status == 200:
            break
        director.page.wait_for_timeout(500)
        response = director.page.request.get(f"{base}/documents/{doc_id}/docx")
    assert response.status == 200
    (SHOTS / "admin-08-first-order.docx").write_bytes(response.body())
    docx = DocxDocument(io.BytesIO(response.body()))
    parts = [p.text for p in docx.paragraphs]
    for table in docx.tables:
        parts += [cell.text for row in table.rows for cell in row.cells]
    text = "\n".join(parts).replace("\xa0", " ")  # typography's NBSP read as spaces
    for expected in (SCHOOL["#founder"], "пос. Лесной", "Лесновская", "Лесная", "1-од"):
        assert expected in text, (expected, text[:1500])

    # 6. The admin sees the person (password set) and every step in the administrative log.
    with rt.db.read_session() as s:
        director_id = s.scalar(select(User.id).where(
            User.email == "director@lesnoy-school.test"))
    page.goto(f"{base}/admin/users/{director_id}")
    assert "приглашён" not in page.inner_text("main")
    admin.shot("admin-09-user")
    page.goto(f"{base}/admin/log")
    log_text = page.inner_text("[data-test=log]")
    assert "создание" in log_text and "импорт" in log_text and "установка пароля" in log_text
    admin.shot("admin-10-log")
    for person in (admin, zam, director):
        person.close()
