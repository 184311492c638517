"""The operator's commands of deploy/README.md (create-org, create-user, grant, verify-history)
on a database of their own: the administration pages' rules, the administrative log, and a
plain Russian reason — never a traceback — for every input they refuse."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from documents.models import AdminLogEntry, Grant, Organization, User

STRONG = "Zarechye-Shkola-2026"


def _run(app, *args):
    result = app.test_cli_runner().invoke(args=list(args))
    assert "Traceback" not in result.output
    return result


def _counts(app) -> tuple[int, int, int, int]:
    with app.extensions["nastavnik"].db.read_session() as s:
        return tuple(s.scalar(select(func.count()).select_from(m))
                     for m in (Organization, User, Grant, AdminLogEntry))


@pytest.fixture()
def region(empty_app):
    """A municipality, its school and a person without roles, made by the commands."""
    muni = _run(empty_app, "create-org", "--kind", "municipality",
                "--name", "Управление образования Заречного района", "--short-name", "УО")
    school = _run(empty_app, "create-org", "--kind", "school", "--parent-id", "1",
                  "--name", "МБОУ «СОШ № 1»", "--short-name", "СОШ № 1")
    user = _run(empty_app, "create-user", "--email", "Director@School1.test",
                "--full-name", "Иванова  Мария Петровна", "--position", "Директор",
                "--password", STRONG)
    assert [r.exit_code for r in (muni, school, user)] == [0, 0, 0]
    assert "id=1" in muni.output and "id=2" in school.output and "id=1" in user.output
    return empty_app


def test_an_installation_made_by_the_commands_is_used_in_the_browser_and_logged(region):
    granted = _run(region, "grant", "--user-id", "1", "--org-id", "2", "--role", "director")
    assert granted.exit_code == 0 and "Роль выдана" in granted.output
    again = _run(region, "grant", "--user-id", "1", "--org-id", "2", "--role", "director")
    assert again.exit_code == 0 and "уже есть" in again.output

    token = region.test_client().post("/api/v1/auth/token", json={
        "email": "director@school1.test", "password": STRONG})
    assert token.status_code == 200
    me = region.test_client().get(
        "/api/v1/me", headers={"Authorization": f"Bearer {token.get_json()['token']}"})
    assert me.get_json()["full_name"] == "Иванова Мария Петровна"
    assert [(g["org_id"], g["role"]) for g in me.get_json()["grants"]] == [(2, "director")]

    with region.extensions["nastavnik"].db.read_session() as s:
        log = [(e.actor_name, e.action, e.object_kind) for e in
               s.scalars(select(AdminLogEntry).order_by(AdminLogEntry.id))]
    assert log == [("система", "create", "organization"), ("система", "create", "organization"),
                   ("система", "create", "user"), ("система", "grant", "grant")]


@pytest.mark.parametrize(("args", "reason"), [
    (["grant", "--user-id", "1", "--org-id", "2", "--role", "nobody"], "Неизвестная роль"),
    (["grant", "--user-id", "1", "--org-id", "2", "--role", "municipal_officer"],
     "нельзя выдать в школе"),
    (["grant", "--user-id", "1", "--org-id", "1", "--role", "curator"],
     "нельзя выдать в муниципалитете"),
    (["grant", "--user-id", "99", "--org-id", "2", "--role", "director"], "не найден"),
    (["grant", "--user-id", "1", "--org-id", "99", "--role", "director"], "не найдена"),
    (["create-org", "--kind", "school", "--name", "Школа", "--short-name", "Ш"],
     "должна входить в муниципалитет"),
    (["create-org", "--kind", "school", "--parent-id", "2", "--name", "Школа",
      "--short-name", "Ш"], "должна входить в муниципалитет"),
    (["create-org", "--kind", "municipality", "--parent-id", "1", "--name", "М",
      "--short-name", "М"], "не входит в другую организацию"),
    (["create-org", "--kind", "municipality", "--name", " ", "--short-name", "М"],
     "Не заполнено поле"),
    (["create-user", "--email", "curator@school1.test", "--full-name", "Петров Пётр",
      "--password", "123"], "не короче 10"),
    (["create-user", "--email", "curator@school1.test", "--full-name", "Петров Пётр",
      "--password", "qwerty12345"], "распространён"),
    (["create-user", "--email", "not-an-email", "--full-name", "Петров Пётр",
      "--password", STRONG], "Некорректный e-mail"),
    (["create-user", "--email", "DIRECTOR@school1.test", "--full-name", "Двойник",
      "--password", STRONG], "уже есть"),
    (["create-user", "--email", "curator@school1.test", "--full-name", "   ",
      "--password", STRONG], "Укажите ФИО"),
    (["create-user", "--email", "curator@school1.test", "--full-name", "Петров Пётр",
      "--position", "Д" * 201, "--password", STRONG], "Должность длиннее"),
    (["verify-history", "--org-id", "99"], "не найдена"),
])
def test_a_refused_command_says_why_in_russian_and_writes_nothing(region, args, reason):
    before = _counts(region)
    result = _run(region, *args)
    assert result.exit_code == 1 and isinstance(result.exception, SystemExit)
    assert reason in result.output
    assert _counts(region) == before


@pytest.mark.parametrize("args", [
    ["grant", "--user-id", "1", "--org-id", "99999999999999999999", "--role", "director"],
    ["create-org", "--kind", "school", "--parent-id", "-5", "--name", "Ш", "--short-name", "Ш"],
    ["verify-history", "--org-id", "abc"],
])
def test_an_id_that_is_no_id_is_refused_before_the_database(region, args):
    before = _counts(region)
    result = _run(region, *args)
    assert result.exit_code == 2 and "Invalid value" in result.output
    assert _counts(region) == before


def test_a_database_out_of_reach_is_named_not_dumped(tmp_path):
    from web import create_app
    from workflow.runtime import Settings

    app = create_app(Settings(database_url=f"sqlite:///{tmp_path / 'missing' / 'x.db'}",
                              data_dir=tmp_path / "data"), TESTING=True)
    for args in (["migrate"], ["grant", "--user-id", "1", "--org-id", "1", "--role", "director"],
                 ["verify-history"]):
        result = _run(app, *args)
        assert result.exit_code == 1, result.output
        assert "база данных недоступна (проверьте DATABASE_URL)" in result.output
    app.extensions["nastavnik"].db.dispose()
