"""Without a mail server (SMTP_HOST empty, as deploy/nastavnik.env.example leaves it) an
invitation reaches nobody: the administrator is handed the one-time link instead — on the
page (once), in the API answer — to pass on in person; it works like a mailed one."""

from __future__ import annotations

import re

from sqlalchemy import select

from documents.models import AdminLogEntry, OutboxItem, PasswordToken, User
from tests.web.admin_helpers import confirm_staff, preview_staff, token_of
from tests.web.test_ui_pages import csrf_of, text

GOOD = "Berezovaya-roscha-42"
LINK = re.compile(r'value="(https?://[^"]+/password/set/[A-Za-z0-9_\-]+)"')


def _links(resp) -> list[str]:
    return LINK.findall(text(resp))


def _signs_in(app, email: str, password: str = GOOD) -> bool:
    return app.test_client().post("/api/v1/auth/token", json={
        "email": email, "password": password}).status_code == 200


def test_the_api_answers_the_link_and_it_sets_the_password(api, app, world, rt):
    resp = api.as_("sysadmin").post("/api/v1/users", json={
        "email": "new.teacher@school.test", "full_name": "Новая Учительница",
        "position": "Учитель", "grants": [{"role": "curator", "org_id": world.orgs["school1"]}]})
    assert resp.status_code == 201
    link = resp.get_json()["invitation_link"]
    assert app.test_client().post("/api/v1/auth/password-set", json={
        "token": token_of(link), "password": GOOD}).status_code == 200
    assert _signs_in(app, "new.teacher@school.test")
    with rt.db.read_session() as s:
        assert s.scalar(select(OutboxItem).where(OutboxItem.effect == "password_link")) is None
        entry = s.scalar(select(AdminLogEntry).where(AdminLogEntry.action == "invite"))
        assert entry.details["handed_over"] is True


def test_with_a_mail_server_the_link_goes_by_mail_and_not_in_the_answer(api, world, mailbox):
    resp = api.as_("sysadmin").post("/api/v1/users", json={
        "email": "mailed@school.test", "full_name": "Почтовая Анна", "position": "",
        "grants": [{"role": "curator", "org_id": world.orgs["school1"]}]})
    assert resp.status_code == 201 and "invitation_link" not in resp.get_json()
    again = api.as_("sysadmin").post(f"/api/v1/users/{resp.get_json()['id']}/invitation")
    assert again.get_json() == {"status": "sent"}


def test_the_page_shows_the_link_once_and_a_new_one_replaces_it(as_user, app, world, rt):
    c = as_user("director1")
    school1 = world.orgs["school1"]
    assert 'data-test="no-mail"' in text(c.get("/admin/users/new"))
    token = csrf_of(c, "/admin/users/new")
    created = c.post("/admin/users/new", data={
        "csrf_token": token, "email": "Mentor@School1.test", "full_name": "Наставникова Юлия",
        "position": "Учитель", "org_id": school1, "role": "curator"})
    assert created.status_code == 200 and "Почта в системе не настроена" in text(created)
    [first] = _links(created)
    with rt.db.read_session() as s:
        uid = s.scalar(select(User.id).where(User.email == "mentor@school1.test"))
        assert first.rsplit("/", 1)[1] not in str(s.scalars(select(PasswordToken)).all())
    assert not _links(c.get(f"/admin/users/{uid}"))  # shown once, not kept on the page

    again = c.post(f"/admin/users/{uid}/invite", data={"csrf_token": token})
    [second] = _links(again)
    assert second != first
    used_up = app.test_client().post("/api/v1/auth/password-set", json={
        "token": token_of(first), "password": GOOD})
    assert used_up.status_code == 422
    assert app.test_client().post("/api/v1/auth/password-set", json={
        "token": token_of(second), "password": GOOD}).status_code == 200
    assert _signs_in(app, "mentor@school1.test")


def test_an_import_hands_over_a_link_per_person(as_user, world):
    c = as_user("sysadmin")
    school2 = world.orgs["school2"]
    token = csrf_of(c, f"/admin/import?org_id={school2}")
    rows = [["Первая Анна", "Учитель", "first@s2.test", "Куратор"],
            ["Вторая Бэлла", "Учитель", "second@s2.test", "Куратор"]]
    done = confirm_staff(c, school2, token, preview_staff(c, school2, token, rows))
    page = text(done)
    assert done.status_code == 200 and "Создано пользователей: 2" in page
    assert len(set(_links(done))) == 2
    assert page.index("first@s2.test") < page.index("second@s2.test")


def test_asking_for_a_reset_sends_people_to_their_administrator(app, mailbox, rt):
    from dataclasses import replace

    assert 'data-test="reset-no-mail"' not in text(app.test_client().get("/password/reset"))
    rt.settings = replace(rt.settings, smtp_host="")
    page = app.test_client().get("/password/reset")
    assert page.status_code == 200 and 'data-test="reset-no-mail"' in text(page)
    assert "<form" not in text(page).split("<main", 1)[-1].split("</main>")[0]
