"""Administration API (api.md «Administration»): organisations, users, grants, deactivation,
invitations, journals and the administrative log — including the refusals."""

from __future__ import annotations

from sqlalchemy import select

from documents.models import AdminLogEntry, User
from tests.web.admin_helpers import link_in, token_of, wait_for_mail

SCHOOL = {"name": "Муниципальное бюджетное общеобразовательное учреждение «Школа № 77»",
          "short_name": "МБОУ «Школа № 77»", "founder": "Управление образования Тестовска",
          "place": "г. Тестовск", "head_name": "Новикова Анна Сергеевна",
          "head_position": "Директор", "inn": "7707083893", "address": "ул. Ленина, 1"}


def _log(rt, **where) -> list[AdminLogEntry]:
    with rt.db.read_session() as s:
        q = select(AdminLogEntry).order_by(AdminLogEntry.id)
        for k, v in where.items():
            q = q.where(getattr(AdminLogEntry, k) == v)
        return list(s.scalars(q))


def test_admin_creates_edits_and_deactivates_a_school(api, world, rt):
    admin = api.as_("sysadmin")
    resp = admin.post("/api/v1/organizations", json=SCHOOL)
    assert resp.status_code == 201, resp.get_json()
    school = resp.get_json()
    assert school["parent_id"] == world.orgs["muni"] and school["kind"] == "school"
    assert school["inn"] == "7707083893" and school["active"] is True
    listed = {o["id"] for o in admin.get("/api/v1/organizations").get_json()}
    assert school["id"] in listed
    resp = admin.patch(f"/api/v1/organizations/{school['id']}",
                       json={"head_name": "Петрова Анна Сергеевна", "place": "пос. Новый"})
    assert resp.status_code == 200 and resp.get_json()["place"] == "пос. Новый"
    resp = admin.patch(f"/api/v1/organizations/{school['id']}", json={"active": False})
    assert resp.get_json()["active"] is False
    refused = admin.post("/api/v1/users", json={
        "email": "late@school77.test", "full_name": "Опоздавший", "position": "",
        "grants": [{"role": "curator", "org_id": school["id"]}]})
    assert refused.status_code == 422
    assert refused.get_json()["error"]["code"] == "organization_inactive"
    actions = [(e.action, e.object_kind) for e in _log(rt, org_id=school["id"])]
    assert actions == [("create", "organization"), ("update", "organization"),
                       ("deactivate", "organization")]
    change = _log(rt, org_id=school["id"], action="update")[0].details
    assert change["place"] == "г. Тестовск → пос. Новый"


def test_organization_refusals(api, world):
    admin = api.as_("sysadmin")
    bad_inn = admin.post("/api/v1/organizations", json=dict(SCHOOL, inn="1234567890"))
    assert bad_inn.status_code == 400 and bad_inn.get_json()["error"]["code"] == "invalid_inn"
    no_name = admin.post("/api/v1/organizations", json=dict(SCHOOL, short_name=" "))
    assert no_name.status_code == 400
    assert "Краткое наименование" in no_name.get_json()["error"]["message"]
    # a name holds a letter: «-1» would go into every order's heading as it is
    for field in ("name", "short_name", "head_name"):
        digits = admin.patch(f"/api/v1/organizations/{world.orgs['school1']}",
                             json={field: "-1"})
        assert digits.status_code == 400, field
        error = digits.get_json()["error"]
        assert error["code"] == "invalid_name" and error["details"] == {"field": field}
        assert "должно содержать буквы" in error["message"]
    assert admin.patch(f"/api/v1/organizations/{world.orgs['school1']}",
                       json={"short_name": "СОШ № 1"}).status_code == 200
    # a school's director edits own requisites but creates nothing and never deactivates
    director = api.as_("director1")
    assert director.post("/api/v1/organizations", json=SCHOOL).status_code in (403, 404)
    own = director.patch(f"/api/v1/organizations/{world.orgs['school1']}",
                         json={"address": "ул. Мира, 5"})
    assert own.status_code == 200 and own.get_json()["address"] == "ул. Мира, 5"
    assert director.patch(f"/api/v1/organizations/{world.orgs['school1']}",
                          json={"active": False}).status_code == 403
    assert director.patch(f"/api/v1/organizations/{world.orgs['school2']}",
                          json={"address": "x"}).status_code == 404
    # another municipality's admin does not even see the school
    assert api.as_("officer2").patch(f"/api/v1/organizations/{world.orgs['school1']}",
                                     json={"address": "x"}).status_code == 404
    assert admin.patch(f"/api/v1/organizations/{world.orgs['muni']}",
                       json={"active": False}).status_code == 400


def test_create_user_sends_one_invitation_and_the_link_works_once(api, world, rt, client,
                                                                   mailbox):
    admin = api.as_("sysadmin")
    resp = admin.post("/api/v1/users", json={
        "email": "  Ivan.Petrov@School77.RU ", "full_name": "Петров Иван Ильич",
        "position": "Учитель", "grants": [{"role": "curator", "org_id": world.orgs["school1"]}]})
    assert resp.status_code == 201, resp.get_json()
    user = resp.get_json()
    assert user["email"] == "ivan.petrov@school77.ru" and user["invitation_pending"]
    assert len(mailbox) == 1 and mailbox[0]["to"] == ["ivan.petrov@school77.ru"]
    link = link_in(mailbox[0])
    token = token_of(link)
    weak = client.post("/api/v1/auth/password-set", json={"token": token, "password": "qwerty12345"})
    assert weak.status_code == 400 and weak.get_json()["error"]["code"] == "weak_password"
    ok = client.post("/api/v1/auth/password-set",
                     json={"token": token, "password": "Lipa-v-cvetu-2026"})
    assert ok.status_code == 200
    again = client.post("/api/v1/auth/password-set",
                        json={"token": token, "password": "Lipa-v-cvetu-2027"})
    assert again.status_code == 422 and again.get_json()["error"]["code"] == "link_invalid"
    login = client.post("/api/v1/auth/token", json={"email": "IVAN.PETROV@school77.ru",
                                                    "password": "Lipa-v-cvetu-2026"})
    assert login.status_code == 200
    dup = admin.post("/api/v1/users", json={
        "email": "IVAN.PETROV@SCHOOL77.RU", "full_name": "Другой", "position": "",
        "grants": [{"role": "curator", "org_id": world.orgs["school1"]}]})
    assert dup.status_code == 409 and dup.get_json()["error"]["code"] == "duplicate_email"
    assert dup.get_json()["error"]["message"] == (
        "Пользователь с e-mail ivan.petrov@school77.ru уже есть.")


def test_school_director_manages_own_staff_with_school_roles_only(api, world):
    director = api.as_("director1")
    school1, muni = world.orgs["school1"], world.orgs["muni"]
    base = {"email": "teacher@school1.test", "full_name": "Учителева Ольга", "position": "Учитель"}
    assert director.post("/api/v1/users", json=dict(base, grants=[
        {"role": "admin", "org_id": school1}])).status_code == 400
    assert director.post("/api/v1/users", json=dict(base, grants=[
        {"role": "municipal_officer", "org_id": muni}])).status_code == 404
    assert director.post("/api/v1/users", json=dict(base, grants=[
        {"role": "curator", "org_id": world.orgs["school2"]}])).status_code == 404
    created = director.post("/api/v1/users", json=dict(base, grants=[
        {"role": "curator", "org_id": school1}]))
    assert created.status_code == 201
    uid = created.get_json()["id"]
    listed = director.get(f"/api/v1/users?org_id={school1}&role=curator&q=учителева")
    assert [u["id"] for u in listed.get_json()["items"]] == [uid]
    assert director.get(f"/api/v1/users?org_id={world.orgs['school2']}").status_code == 404
    assert api.as_("curator1").get(f"/api/v1/users?org_id={school1}").status_code == 403
    # another school's director does not see this person
    assert api.as_("director3").patch(f"/api/v1/users/{uid}",
                                      json={"position": "x"}).status_code == 404
    changed = director.patch(f"/api/v1/users/{uid}", json={
        "position": "Заместитель директора",
        "grants": [{"role": "school_admin", "org_id": school1}]})
    assert changed.status_code == 200
    assert changed.get_json()["grants"] == [{"role": "school_admin", "org_id": school1}]


def test_deactivation_kills_tokens_and_keeps_the_name(api, world, rt, client):
    admin = api.as_("sysadmin")
    uid = admin.post("/api/v1/users", json={
        "email": "leaving@school1.test", "full_name": "Уходящий Пётр", "position": "Учитель",
        "grants": [{"role": "school_admin", "org_id": world.orgs["school1"]}]}).get_json()["id"]
    from workflow import accounts

    token = accounts.issue_token(rt, uid)
    sid = accounts.start_session(rt, uid)
    assert client.get("/api/v1/me", headers={"Authorization": f"Bearer {token}"}
                      ).status_code == 200
    resp = admin.patch(f"/api/v1/users/{uid}", json={"active": False})
    assert resp.status_code == 200 and resp.get_json()["active"] is False
    assert client.get("/api/v1/me", headers={"Authorization": f"Bearer {token}"}
                      ).status_code == 401
    assert accounts.actor_for_session(rt.db, sid) is None
    with rt.db.read_session() as s:
        assert s.get(User, uid).full_name == "Уходящий Пётр"
    listed = admin.get(f"/api/v1/users?org_id={world.orgs['school1']}&active=false").get_json()
    assert [u["full_name"] for u in listed["items"]] == ["Уходящий Пётр"]
    assert admin.post(f"/api/v1/users/{uid}/invitation").status_code == 422


def test_last_admin_and_own_role_are_refused(api, world):
    admin = api.as_("sysadmin")
    me = world.users["sysadmin"]
    last = admin.patch(f"/api/v1/users/{me}", json={"active": False})
    assert last.status_code == 422 and last.get_json()["error"]["code"] == "last_admin"
    drop = admin.patch(f"/api/v1/users/{me}", json={"grants": [
        {"role": "municipal_officer", "org_id": world.orgs["muni"]}]})
    assert drop.status_code in (403, 422)
    raise_self = admin.patch(f"/api/v1/users/{me}", json={"grants": [
        {"role": "admin", "org_id": world.orgs["muni"]},
        {"role": "auditor", "org_id": world.orgs["muni"]}]})
    assert raise_self.status_code == 403 and raise_self.get_json()["error"]["code"] == "own_role"
    director = api.as_("director1")
    own = director.patch(f"/api/v1/users/{world.users['director1']}", json={"grants": [
        {"role": "director", "org_id": world.orgs["school1"]},
        {"role": "school_admin", "org_id": world.orgs["school1"]}]})
    assert own.status_code == 403 and own.get_json()["error"]["code"] == "own_role"
    # with a second admin the first may leave
    second = admin.post("/api/v1/users", json={
        "email": "admin-two@muni.test", "full_name": "Второй Админ", "position": "",
        "grants": [{"role": "admin", "org_id": world.orgs["muni"]}]})
    assert second.status_code == 201
    assert admin.patch(f"/api/v1/users/{second.get_json()['id']}",
                       json={"active": False}).status_code == 200


def test_password_reset_answers_the_same_and_mails_only_real_accounts(api, world, client,
                                                                        mailbox):
    real = client.post("/api/v1/auth/password-reset", json={"email": "Curator1@test.local"})
    ghost = client.post("/api/v1/auth/password-reset", json={"email": "ghost@test.local"})
    assert real.status_code == ghost.status_code == 202
    assert real.get_json() == ghost.get_json()
    wait_for_mail(mailbox, 1)
    assert [m["to"] for m in mailbox] == [["curator1@test.local"]]
    assert "Восстановление пароля" in mailbox[0]["subject"]


def test_admin_log_filters_and_export(api, world, rt):
    admin = api.as_("sysadmin")
    admin.post("/api/v1/organizations", json=SCHOOL)
    admin.patch(f"/api/v1/organizations/{world.orgs['school1']}", json={"address": "ул. Новая"})
    log = api.as_("auditor").get(f"/api/v1/admin/log?org_id={world.orgs['school1']}")
    assert log.status_code == 200
    items = log.get_json()["items"]
    assert [(i["action"], i["object_kind"], i["actor_name"]) for i in items] == [
        ("update", "organization", "Пользователь sysadmin")]
    everything = admin.get("/api/v1/admin/log?object_kind=organization").get_json()
    assert everything["total"] == 2
    assert api.as_("curator1").get(
        f"/api/v1/admin/log?org_id={world.orgs['school1']}").status_code == 403
    assert api.as_("officer2").get(
        f"/api/v1/admin/log?org_id={world.orgs['school1']}").status_code == 404
    export = admin.get("/api/v1/admin/log?format=xlsx")
    assert export.status_code == 200
    from io import BytesIO

    from openpyxl import load_workbook

    ws = load_workbook(BytesIO(export.data)).active
    assert ws["C2"].value in ("создание", "изменение") and ws.max_row == 3
    rows = {r[2]: r for r in ws.iter_rows(min_row=2, values_only=True)}
    assert rows["изменение"][4] == rows["изменение"][5] == "МБОУ «Школа № 1»"  # names, not ids


def test_template_upload_is_in_the_admin_log(rt, world, actor, api):
    from tests.workflow.test_templates import custom_template
    from workflow.files import templates

    row = templates.upload_template(rt, actor("sysadmin"), "order", world.orgs["school1"],
                                    "свой.docx", custom_template())
    items = api.as_("auditor").get(
        f"/api/v1/admin/log?org_id={world.orgs['school1']}&object_kind=template"
    ).get_json()["items"]
    assert [(i["action"], i["object_id"], i["details"]["filename"]) for i in items] == [
        ("create", row.id, "свой.docx")]


def test_the_log_details_name_roles_and_kinds_by_their_titles():
    from workflow.admin.log import details_text

    assert details_text({"user": "Иванова А. А.", "role": "director"}) == (
        "пользователь: Иванова А. А.; роль: Директор")
    assert details_text({"kind": "pair_order", "filename": "свой.docx"}) == (
        "вид: Приказ о закреплении наставнических пар; файл: свой.docx")
    assert details_text({"name": "Тестовый МР", "kind": "municipality"}) == (
        "наименование: Тестовый МР; вид: муниципалитет")
    # a journal created: its values alone (an older entry wrote «None → …»)
    for kinds in (["order", "roadmap_item"], "None → ['order', 'roadmap_item']"):
        assert details_text({"code": "od", "kinds": kinds, "next_number": 1}) == (
            "журнал: od; виды документов: Приказ, Пункт дорожной карты; следующий номер: 1")
    # a change of kinds: those added and those taken away
    assert details_text({"kinds": "['order', 'programme'] → ['roadmap_item', 'order']"}) == (
        "виды документов: + Пункт дорожной карты, − Программа наставничества")


UTC_STAMP = r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$"


def test_log_and_substitution_timestamps_are_utc_with_a_z(api, world):
    """api.md: timestamps ISO 8601 UTC (they went out without the zone)."""
    import re

    from workflow import clock

    admin = api.as_("sysadmin")
    admin.patch(f"/api/v1/organizations/{world.orgs['school2']}", json={"address": "ул. Лесная"})
    items = admin.get(f"/api/v1/admin/log?org_id={world.orgs['school2']}").get_json()["items"]
    assert items and all(re.match(UTC_STAMP, i["at"]) for i in items)
    director = api.as_("director1")
    today = clock.today().isoformat()
    made = director.post("/api/v1/substitutions", json={
        "org_id": world.orgs["school1"], "absent_id": world.users["director1"],
        "deputy_id": world.users["curator1"], "start": today, "end": today, "reason": "Отпуск"})
    assert made.status_code == 201, made.get_json()
    assert director.delete(f"/api/v1/substitutions/{made.get_json()['id']}").status_code == 200
    listed = director.get(f"/api/v1/substitutions?org_id={world.orgs['school1']}").get_json()
    ended = [s for s in listed if s["id"] == made.get_json()["id"]]
    assert ended and re.match(UTC_STAMP, ended[0]["ended_at"])


def test_a_users_name_holds_a_letter(api, world):
    admin = api.as_("sysadmin")
    bad = admin.post("/api/v1/users", json={
        "email": "digits@school.test", "full_name": "007", "position": "Учитель",
        "grants": [{"role": "curator", "org_id": world.orgs["school1"]}]})
    assert bad.status_code == 400 and bad.get_json()["error"]["code"] == "invalid_name"
    assert "«ФИО»" in bad.get_json()["error"]["message"]
    user = admin.post("/api/v1/users", json={
        "email": "agent@school.test", "full_name": "Бондарев Джеймс 007", "position": "Учитель",
        "grants": [{"role": "curator", "org_id": world.orgs["school1"]}]})
    assert user.status_code == 201
    renamed = admin.patch(f"/api/v1/users/{user.get_json()['id']}", json={"full_name": "—"})
    assert renamed.status_code == 400 and renamed.get_json()["error"]["code"] == "invalid_name"
