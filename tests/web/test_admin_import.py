"""Bulk onboarding from XLSX: preview with row-level Russian errors, all or nothing, the
e-mail (trimmed, case-insensitive) as the key, so a second upload changes nothing."""

from __future__ import annotations

import io

from openpyxl import load_workbook
from sqlalchemy import func, select

from documents.models import User
from tests.web.admin_helpers import xlsx


def _staff(n: int) -> list[list]:
    roles = ["Куратор", "Администратор школы", "куратор"]
    return [[f"Сотрудникова Мария {i:03d}", "Учитель", f"teacher{i:03d}@school.test",
             roles[i % 3]] for i in range(1, n + 1)]


def _users(rt) -> int:
    with rt.db.read_session() as s:
        return s.scalar(select(func.count()).select_from(User))


def _upload(client, org_id, data, dry_run=False):
    url = f"/api/v1/users/import?org_id={org_id}" + ("&dry_run=1" if dry_run else "")
    return client.post(url, data={"file": (io.BytesIO(data), "staff.xlsx")},
                       content_type="multipart/form-data")


def test_broken_row_57_of_200_creates_nothing_and_names_the_cell(api, world, rt):
    rows = _staff(200)
    rows[55][2] = "teacher056school.test"  # sheet row 57 (row 1 holds the headers)
    before = _users(rt)
    resp = _upload(api.as_("sysadmin"), world.orgs["school1"], xlsx(rows))
    assert resp.status_code == 400
    error = resp.get_json()["error"]
    assert error["code"] == "import_invalid"
    assert "Строка 57, ячейка C57" in error["message"] and "Ничего не создано" in error["message"]
    assert [(e["row"], e["cell"]) for e in error["details"]["errors"]] == [(57, "C57")]
    assert _users(rt) == before


def test_preview_then_import_then_the_same_file_again_changes_nothing(api, world, rt, mailbox):
    base = _users(rt)  # the world's users (and any another test left behind)
    rows = _staff(5)
    rows[1][2] = "  Teacher.TWO@School.TEST "  # spaces and capitals are fine
    data = xlsx(rows)
    admin, school1 = api.as_("director1"), world.orgs["school1"]
    preview = _upload(admin, school1, data, dry_run=True).get_json()
    assert preview["create"] == 5 and preview["errors"] == []
    assert preview["rows"][1]["email"] == "teacher.two@school.test"
    assert _users(rt) == base
    done = _upload(admin, school1, data)
    assert done.status_code == 201 and done.get_json()["created"] == 5
    assert sorted(m["to"][0] for m in mailbox) == sorted(
        ["teacher.two@school.test"] + [f"teacher{i:03d}@school.test" for i in (1, 3, 4, 5)])
    again = _upload(admin, school1, data)
    assert again.status_code == 201
    assert again.get_json()["created"] == 0 and again.get_json()["unchanged"] == 5
    assert len(mailbox) == 5 and _users(rt) == base + 5
    listed = admin.get(f"/api/v1/users?org_id={school1}&role=curator").get_json()
    assert "teacher.two@school.test" in {u["email"] for u in listed["items"]}


def test_duplicates_existing_users_formulas_and_roles_are_row_errors(api, world, rt):
    base = _users(rt)
    rows = _staff(7)
    rows[6][0] = "12345"  # row 8: no letter in the name
    rows[3][2] = "TEACHER001@school.test"  # row 5 repeats row 2
    rows[4][2] = "director2@test.local"  # a person of another school
    rows[5][0] = '=CONCATENATE("Иванов", " Иван")'  # row 7: a formula
    rows[2][3] = "admin"  # row 4: a municipal role in a school
    rows[1][2] = "ivan petrov@school.test"  # row 3: a space inside
    resp = _upload(api.as_("sysadmin"), world.orgs["school1"], xlsx(rows), dry_run=True)
    errors = {e["cell"]: e["message"] for e in resp.get_json()["errors"]}
    assert set(errors) == {"C3", "D4", "C5", "C6", "A7", "A8"}
    assert "нет ни одной буквы" in errors["A8"]
    assert "уже встречается в строке 2" in errors["C5"]
    assert "другой организации" in errors["C6"]
    assert "формула" in errors["A7"]
    assert "роль «admin» не подходит" in errors["D4"]
    assert "некорректный e-mail" in errors["C3"]
    assert _upload(api.as_("sysadmin"), world.orgs["school1"], xlsx(rows)).status_code == 400
    assert _users(rt) == base


def test_headers_template_and_refusals(api, world):
    admin = api.as_("sysadmin")
    bad = _upload(admin, world.orgs["school1"], xlsx(_staff(1), headers=("a", "b", "c", "d")))
    assert bad.status_code == 400 and bad.get_json()["error"]["code"] == "invalid_headers"
    junk = _upload(admin, world.orgs["school1"], b"not a spreadsheet")
    assert junk.status_code == 400 and junk.get_json()["error"]["code"] == "invalid_file"
    template = admin.get("/api/v1/users/import/template")
    ws = load_workbook(io.BytesIO(template.data)).active
    assert [c.value for c in ws[1]] == ["ФИО", "Должность", "E-mail", "Роль"]
    assert _upload(api.as_("curator1"), world.orgs["school1"], xlsx(_staff(1))).status_code == 403
    assert _upload(api.as_("director1"), world.orgs["school2"], xlsx(_staff(1))).status_code == 404
