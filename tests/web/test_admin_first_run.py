"""The first run of a real installation, on a database of its own: `flask create-admin` and
the first-run page (only while no user exists, only from localhost)."""

from __future__ import annotations

import re

from sqlalchemy import select

from documents.models import AdminLogEntry, Grant, Organization, User
from tests.web.test_translations import switch_to_english
from workflow.runtime import Runtime

CSRF = re.compile(r'name="csrf_token"(?: type="hidden")? value="([^"]+)"')


def _rt(app) -> Runtime:
    return app.extensions["nastavnik"]


def test_create_admin_command(empty_app):
    runner = empty_app.test_cli_runner()
    args = ["create-admin", "--municipality", "Управление образования Заречного района",
            "--short-name", "УО Заречного района", "--email", "Chief@Zarechye.test",
            "--full-name", "Главная Ирина Олеговна"]
    weak = runner.invoke(args=args + ["--password", "qwerty12345"])
    assert weak.exit_code == 1 and "распространён" in weak.output
    ok = runner.invoke(args=args + ["--password", "Zarechye-Uprava-2026"])
    assert ok.exit_code == 0, ok.output
    with _rt(empty_app).db.read_session() as s:
        user = s.scalar(select(User))
        assert user.email == "chief@zarechye.test"
        grant = s.scalar(select(Grant))
        assert grant.role.value == "admin"
        assert s.get(Organization, grant.org_id).kind.value == "municipality"
        assert {e.object_kind for e in s.scalars(select(AdminLogEntry))} == {
            "organization", "user", "grant"}
    again = runner.invoke(args=args + ["--password", "Zarechye-Uprava-2026"])
    assert again.exit_code == 1 and "уже настроена" in again.output


def test_first_run_page_from_localhost_only_and_only_once(empty_app):
    c = empty_app.test_client()
    remote = c.get("/first-run", environ_base={"REMOTE_ADDR": "10.1.2.3"})
    assert remote.status_code == 404
    proxied = c.get("/first-run", headers={"X-Forwarded-For": "203.0.113.9"})
    assert proxied.status_code == 404
    page = c.get("/first-run")
    assert page.status_code == 200 and "Первый запуск" in page.get_data(as_text=True)
    token = CSRF.search(page.get_data(as_text=True)).group(1)
    data = {"csrf_token": token, "name": "Управление образования Заречного района",
            "short_name": "УО Заречного района", "founder": "Администрация района",
            "place": "г. Заречный", "head_name": "", "head_position": "Начальник",
            "inn": "", "address": "", "admin_email": "chief@zarechye.test",
            "admin_name": "Главная Ирина Олеговна", "password": "Zarechye-Uprava-2026",
            "repeat": "Zarechye-Uprava-2026"}
    created = c.post("/first-run", data=data)
    assert created.status_code == 302
    assert c.get("/first-run").status_code == 404
    login = c.post("/api/v1/auth/token", json={"email": "chief@zarechye.test",
                                               "password": "Zarechye-Uprava-2026"})
    assert login.status_code == 200
    assert login.get_json()["user"]["grants"][0]["role"] == "admin"
    # the administrative log names who did it and what was made in the page's language
    form = c.get("/login").get_data(as_text=True)
    c.post("/login", data={"csrf_token": CSRF.search(form).group(1), "next": "",
                           "email": "chief@zarechye.test", "password": "Zarechye-Uprava-2026"})
    russian = c.get("/admin/log").get_data(as_text=True)
    assert "<td>система</td>" in russian and "вид: муниципалитет" in russian
    assert "роль: Администратор муниципалитета" in russian
    switch_to_english(c, "/admin/log")
    english = c.get("/admin/log").get_data(as_text=True)
    assert "<td>system</td>" in english and "kind: municipality" in english
    assert "role: Municipality administrator" in english
