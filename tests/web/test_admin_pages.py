"""«Администрирование» pages (Flask test client): schools, people, import, journals, the log,
the set-password link, reset and the first-run page — with their refusals."""

from __future__ import annotations

import re

from sqlalchemy import select

from documents.models import Organization, User
from tests.web.admin_helpers import confirm_staff, link_in, preview_staff, wait_for_mail
from tests.web.test_translations import switch_to_english
from tests.web.test_ui_pages import csrf_of, text

SCHOOL_FORM = {"name": "МБОУ «Средняя школа № 9 пос. Лесной»", "short_name": "МБОУ СШ № 9",
               "founder": "Управление образования Тестовска", "place": "пос. Лесной",
               "head_name": "Лесная Вера Павловна", "head_position": "Директор",
               "inn": "", "address": "пос. Лесной, ул. Школьная, 1"}


CSRF_VALUE = re.compile(r"<input[^>]*csrf_token[^>]*>")


def test_nav_item_only_for_administrators(as_user):
    assert 'data-test="nav-admin"' in text(as_user("sysadmin").get("/"))
    assert 'data-test="nav-admin"' in text(as_user("director1").get("/"))
    assert 'data-test="nav-admin"' not in text(as_user("curator1").get("/"))
    assert as_user("curator1").get("/admin/").status_code == 403


def test_admin_creates_school_edits_and_deactivates(as_user, rt):
    c = as_user("sysadmin")
    page = c.get("/admin/")
    assert "МБОУ «Школа № 1»" in text(page) and 'data-test="new-school"' in text(page)
    token = csrf_of(c, "/admin/orgs/new")
    bad = c.post("/admin/orgs/new", data=dict(SCHOOL_FORM, inn="123", csrf_token=token))
    assert bad.status_code == 400 and "ИНН должен состоять" in text(bad)
    ok = c.post("/admin/orgs/new", data=dict(SCHOOL_FORM, csrf_token=token))
    assert ok.status_code == 302
    with rt.db.read_session() as s:
        org = s.scalar(select(Organization).where(Organization.short_name == "МБОУ СШ № 9"))
    edit = c.post(f"/admin/orgs/{org.id}", data=dict(SCHOOL_FORM, place="пос. Сосновый",
                                                     csrf_token=token))
    assert edit.status_code == 302
    off = c.post(f"/admin/orgs/{org.id}/active", data={"active": "0", "csrf_token": token})
    assert off.status_code == 302
    with rt.db.read_session() as s:
        org = s.get(Organization, org.id)
        assert org.place == "пос. Сосновый" and not org.is_active
    assert "деактивирована" in text(c.get("/admin/"))
    # a school director edits own requisites, not another school's, and creates no school
    d = as_user("director1")
    assert d.get("/admin/orgs/new").status_code == 403
    assert d.get(f"/admin/orgs/{org.id}").status_code == 404


def test_users_page_create_edit_deactivate_and_reinvite(as_user, rt, world, mailbox):
    c = as_user("director1")
    school1 = world.orgs["school1"]
    listing = text(c.get(f"/admin/users?org_id={school1}&q=curator1"))
    assert "curator1@test.local" in listing and "admin1@test.local" not in listing
    form = text(c.get("/admin/users/new"))
    assert 'value="admin"' not in form and 'value="municipal_officer"' not in form
    token = csrf_of(c, "/admin/users/new")
    created = c.post("/admin/users/new", data={
        "csrf_token": token, "email": "Mentor@School1.test", "full_name": "Наставникова Юлия",
        "position": "Учитель", "org_id": school1, "role": "curator"})
    assert created.status_code == 302 and len(mailbox) == 1
    dup = c.post("/admin/users/new", data={
        "csrf_token": token, "email": "mentor@school1.TEST", "full_name": "Другая",
        "position": "", "org_id": school1, "role": "curator"})
    assert dup.status_code == 400 and "уже есть" in text(dup)
    with rt.db.read_session() as s:
        uid = s.scalar(select(User.id).where(User.email == "mentor@school1.test"))
    edit = c.post(f"/admin/users/{uid}", data={
        "csrf_token": token, "full_name": "Наставникова Юлия Петровна", "position": "Учитель",
        "keep": [f"curator:{school1}"], "add_org_id": school1, "add_role": "school_admin"})
    assert edit.status_code == 302
    page = text(c.get(f"/admin/users/{uid}"))
    assert "Наставникова Юлия Петровна" in page and "Администратор школы" in page
    assert c.post(f"/admin/users/{uid}/invite", data={"csrf_token": token}).status_code == 302
    assert len(mailbox) == 2
    off = c.post(f"/admin/users/{uid}/active", data={"csrf_token": token, "active": "0"},
                 follow_redirects=True)
    assert "деактивирован" in text(off)
    assert as_user("director2").get(f"/admin/users/{uid}").status_code == 404
    log = text(c.get(f"/admin/log?org_id={school1}"))  # the person by name, never an id
    assert "пользователь Наставникова Юлия Петровна" in log
    assert "роль: Наставникова Юлия Петровна" in log and f"№ {uid}" not in log
    assert "роль: Куратор" in log and "роль: curator" not in log  # the role's title


def test_last_admin_refused_on_the_page(as_user, world):
    c = as_user("sysadmin")
    token = csrf_of(c, "/admin/")
    me = world.users["sysadmin"]
    resp = c.post(f"/admin/users/{me}/active", data={"csrf_token": token, "active": "0"},
                  follow_redirects=True)
    assert "последнего администратора" in text(resp)


def test_import_page_preview_errors_then_confirm(as_user, world, rt, mailbox):
    c = as_user("sysadmin")
    school2 = world.orgs["school2"]
    token = csrf_of(c, f"/admin/import?org_id={school2}")
    rows = [["Первая Анна", "Учитель", "first@s2.test", "Куратор"],
            ["Вторая Бэлла", "Учитель", "bad-mail", "Куратор"]]
    bad = preview_staff(c, school2, token, rows)
    assert bad.status_code == 400
    assert "Строка 3, ячейка C3: некорректный e-mail" in text(bad) and "Ничего не создано" \
        in text(bad)
    rows[1][2] = "second@s2.test"
    good = preview_staff(c, school2, token, rows)
    assert good.status_code == 200 and "будет создан" in text(good)
    done = confirm_staff(c, school2, token, good, follow_redirects=True)
    assert "Создано пользователей: 2" in text(done) and len(mailbox) == 2
    assert c.get("/admin/import/template.xlsx").status_code == 200
    assert as_user("director1").get(f"/admin/import?org_id={school2}").status_code == 404


def test_journals_and_log_pages(as_user, world):
    c = as_user("director1")
    school1 = world.orgs["school1"]
    token = csrf_of(c, f"/admin/journals?org_id={school1}")
    resp = c.post(f"/admin/journals?org_id={school1}", data={
        "csrf_token": token, "code": ["od", "ls"], "title_od": "Приказы по основной",
        "suffix_od": "-ОД", "kinds_od": ["order", "regulation"], "next_number_od": "7",
        "title_ls": "Приказы по личному составу", "suffix_ls": "-лс", "next_number_ls": "1"})
    assert resp.status_code == 302
    page = text(c.get(f"/admin/journals?org_id={school1}"))
    assert 'value="-ОД"' in page and 'value="7"' in page
    log = text(c.get(f"/admin/log?org_id={school1}"))
    assert "журнал регистрации" in log and "Пользователь director1" in log
    # the kinds by their titles, never a list of codes
    assert "виды документов: + Положение о наставничестве, − Приказ о закреплении" in log
    assert "'order'" not in log and "суффикс: -од → -ОД" in log
    switch_to_english(c, f"/admin/log?org_id={school1}")
    english = text(c.get(f"/admin/log?org_id={school1}"))
    assert "suffix: -од → -ОД" in english
    assert "kinds of documents: + Mentorship regulation, − Order assigning" in english
    assert "виды документов" not in english
    assert as_user("auditor").get("/admin/log").status_code == 200
    assert as_user("auditor").get("/admin/log.xlsx").status_code == 200
    assert as_user("curator1").get("/admin/log").status_code == 403
    school_admin = as_user("admin1")
    assert school_admin.get(f"/admin/journals?org_id={school1}").status_code == 200
    own_token = csrf_of(school_admin, f"/admin/journals?org_id={school1}")
    assert school_admin.post(f"/admin/journals?org_id={school1}",
                             data={"csrf_token": own_token}).status_code == 403


def test_set_password_page_reset_page_and_invalid_link(app, as_user, world, mailbox):
    c = app.test_client()
    token = csrf_of(c, "/password/reset")
    sent = c.post("/password/reset", data={"csrf_token": token, "email": "curator2@test.local"})
    ghost = c.post("/password/reset", data={"csrf_token": token, "email": "ghost@test.local"})
    assert sent.status_code == ghost.status_code == 202
    # the same page whether the e-mail exists or not (CSRF tokens carry their second)
    assert CSRF_VALUE.sub("", text(sent)) == CSRF_VALUE.sub("", text(ghost))
    link = link_in(wait_for_mail(mailbox, 1)[0]).split("127.0.0.1:5000", 1)[1]
    page = c.get(link)
    assert page.status_code == 200 and "Новый пароль" in text(page)
    weak = c.post(link, data={"csrf_token": csrf_of(c, link), "password": "1234567890",
                              "repeat": "1234567890"})
    assert weak.status_code == 400 and "распространён" in text(weak)
    ok = c.post(link, data={"csrf_token": csrf_of(c, link), "password": "Zelenyi-klen-2026",
                            "repeat": "Zelenyi-klen-2026"})
    assert ok.status_code == 302
    assert c.get(link).status_code == 410
    from tests.web.test_ui_pages import login

    assert login(app.test_client(), "curator2", "Zelenyi-klen-2026").status_code == 302


def test_first_run_page_only_when_empty_and_local(app):
    c = app.test_client()
    assert c.get("/first-run").status_code == 404  # users exist


def test_new_user_form_preselects_an_organisation_and_a_role_that_fit(as_user, world):
    c = as_user("sysadmin")
    selected = re.compile(r'<option selected value="([^"]+)">|<option value="([^"]+)" selected>')

    def chosen(url):
        return [a or b for a, b in selected.findall(text(c.get(url)))]

    org, role = chosen("/admin/users/new")
    assert int(org) in (world.orgs["school1"], world.orgs["school2"]) and role == "school_admin"
    assert chosen(f"/admin/users/new?org_id={world.orgs['muni']}") == [
        str(world.orgs["muni"]), "director"]


def test_an_address_without_the_organisation_opens_ones_own_or_the_list(as_user, world):
    # a school's admin typing /admin/journals gets their school's journals
    c = as_user("admin1")
    page = c.get("/admin/journals")
    named = text(c.get(f"/admin/journals?org_id={world.orgs['school1']}"))
    heading = re.search(r'<p class="text-muted">([^<.]+)\.', named).group(1)
    assert page.status_code == 200 and f'<p class="text-muted">{heading}.' in text(page)
    # the municipality's administrator has several: the list to choose from, and a word why
    chooser = as_user("sysadmin").get("/admin/import", follow_redirects=True)
    assert chooser.status_code == 200 and "Выберите организацию." in text(chooser)
    # someone with nothing to administer still gets the same answer as before
    assert as_user("curator1").get("/admin/import").status_code == 404
