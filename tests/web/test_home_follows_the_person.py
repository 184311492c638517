"""What a page's navigation and «Мои задачи» know about the person is read with the person at
the start of each request (accounts.actor_for_session): it follows the person's changes from
the next page on, in a session that was open before them."""

from __future__ import annotations

import re
from datetime import timedelta

from tests.conftest import ORDER_FIELDS
from tests.web.test_ui_pages import login
from workflow import clock


def _client(app, user):
    client = app.test_client()
    assert login(client, user).status_code == 302
    return client


def _home(client) -> str:
    return client.get("/").get_data(as_text=True)


def test_a_deputy_gets_the_absent_directors_tasks_from_the_next_page(app, world, make_doc):
    make_doc("approved", title="Приказ о закреплении наставников")
    curator = _client(app, "curator1")  # signed in before the substitution is named
    assert 'data-section="to_sign"' not in _home(curator)

    director = _client(app, "director1")
    page = director.get("/substitutions").get_data(as_text=True)
    today = clock.today()
    resp = director.post(f"/substitutions?org_id={world.orgs['school1']}", data={
        "csrf_token": re.search(r'name="csrf_token" value="([^"]+)"', page).group(1),
        "absent_id": world.users["director1"], "deputy_id": world.users["curator1"],
        "start": today.strftime("%d.%m.%Y"),
        "end": (today + timedelta(days=7)).strftime("%d.%m.%Y"), "reason": "Отпуск"})
    assert resp.status_code == 302

    page = _home(curator)
    assert 'data-section="to_sign"' in page and "Приказ о закреплении наставников" in page


def test_an_order_to_read_is_a_task_until_it_is_read(app, api, world, make_doc):
    fields = dict(ORDER_FIELDS, acquaintance_user_ids=[world.users["curator1"]])
    doc = make_doc("signed", fields=fields, title="Приказ об организации наставничества")
    curator = _client(app, "curator1")
    page = _home(curator)
    assert 'data-section="to_acknowledge"' in page and "Приказ об организации" in page

    assert api.as_("curator1").post(f"/api/v1/documents/{doc}/acknowledge").status_code == 200
    assert 'data-section="to_acknowledge"' not in _home(curator)


def test_administration_by_role_and_kind_of_organisation(app, world):
    assert 'data-test="nav-admin"' in _home(_client(app, "auditor"))  # a municipality's auditor
    assert 'data-test="nav-admin"' in _home(_client(app, "admin1"))  # a school's admin
    assert 'data-test="nav-admin"' not in _home(_client(app, "officer"))


def test_an_auditor_with_nothing_to_do_is_pointed_to_the_audit_log(app, world):
    assert 'data-test="to-audit"' in _home(_client(app, "auditor"))
    assert 'data-test="to-audit"' not in _home(_client(app, "officer"))
