"""/api/v1/compliance and the /compliance page: shape, authorization, exports, and the same
number of SQL queries for 3 and for 30 schools."""

from __future__ import annotations

import io
import re

import pytest
from docx import Document as DocxDocument
from openpyxl import load_workbook

from tests.conftest import PASSWORD
from tests.workflow.test_compliance import _generate, selects
from tests.workflow.test_pairs_factories import reference  # noqa: F401
from workflow import clock

CSRF = re.compile(r'name="csrf_token"(?: type="hidden")? value="([^"]+)"')


def login_client(app, email: str, password: str = PASSWORD):
    client = app.test_client()
    token = CSRF.search(client.get("/login").get_data(as_text=True)).group(1)
    r = client.post("/login", data={"email": email, "password": password, "csrf_token": token})
    assert r.status_code == 302, r.status_code
    return client


def test_shape_of_api_md(api, world, make_doc):
    make_doc("signed", kind="regulation", title="Положение",
             fields={"sections": [{"title": "Общие положения", "text": "Текст"}]})
    r = api.as_("officer").get(f"/api/v1/compliance?municipality_id={world.orgs['muni']}")
    assert r.status_code == 200
    body = r.get_json()
    assert set(body) == {"municipality_id", "schools_total", "schools_implementing",
                         "share_percent", "schools"}
    assert (body["schools_total"], body["schools_implementing"], body["share_percent"]) == \
        (2, 1, 50.0)
    school = next(s for s in body["schools"] if s["org_id"] == world.orgs["school1"])
    assert set(school) == {"org_id", "name", "implementing", "checkpoints", "overdue_items"}
    assert set(school["checkpoints"]) >= {"regulation", "roadmap", "pair_order",
                                          "incentive_scheme"}
    point = school["checkpoints"]["regulation"]
    assert set(point) == {"state", "document_id", "registration_number", "signed_at"}
    assert point["state"] == "signed" and point["signed_at"].endswith("Z")
    assert school["checkpoints"]["roadmap"] is None


@pytest.mark.parametrize("user,status", [("officer", 200), ("auditor", 200), ("sysadmin", 200),
                                         ("head", 200), ("director1", 404), ("admin1", 404),
                                         ("officer2", 404)])
def test_who_may_call(api, world, user, status):
    r = api.as_(user).get(f"/api/v1/compliance?municipality_id={world.orgs['muni']}")
    assert r.status_code == status
    if status != 200:
        assert r.get_json()["error"]["code"] == "not_found"


def test_missing_or_bad_parameter(api):
    for path in ("/api/v1/compliance", "/api/v1/compliance/export.xlsx",
                 "/api/v1/compliance/report.docx"):
        r = api.as_("officer").get(path)
        assert r.status_code == 400
        assert r.get_json()["error"] == {"code": "missing_parameter",
                                         "message": "Не указан параметр municipality_id.",
                                         "details": {"field": "municipality_id"}}
    assert api.as_("officer").get("/api/v1/compliance?municipality_id=x").status_code == 400
    assert api.as_("officer").client.get("/api/v1/compliance?municipality_id=1").status_code \
        == 401


def test_a_year_no_calendar_holds_is_refused_naming_it(api, world):
    """Found by the fuzzer: year=0 was a 500 (a date of year 0); the OpenAPI says 1900–2100."""
    muni, school = world.orgs["muni"], world.orgs["school1"]
    for path in (f"/api/v1/indicators?org_id={school}&year=0",
                 f"/api/v1/indicators?org_id={school}&year=2101",
                 f"/api/v1/compliance/report.docx?municipality_id={muni}&year=-5",
                 f"/api/v1/compliance/report.docx?municipality_id={muni}&year=99999"):
        r = api.as_("officer").get(path)
        assert r.status_code == 400, path
        assert r.get_json()["error"] == {"code": "invalid_parameter",
                                         "message": "Параметр year — год от 1900 до 2100.",
                                         "details": {"field": "year"}}
    assert api.as_("officer").get(f"/api/v1/indicators?org_id={school}&year=2026"
                                  ).status_code == 200
    this_year = api.as_("officer").get(f"/api/v1/indicators?org_id={school}").get_json()["year"]
    assert this_year == clock.today().year


def _queries(count_queries, fn) -> int:
    with count_queries() as statements:
        response = fn()
    assert response.status_code == 200
    return len(selects(statements))


def test_same_number_of_queries_for_3_and_30_schools(app, api, rt, count_queries):
    from tests.conftest import ApiClient
    from workflow import accounts

    counts = {}
    for size in (3, 30):
        states = [("signed", True), ("draft", False), (None, False)] * (size // 3)
        mid, _, officer = _generate(rt, states)
        user_id = officer.id
        client = ApiClient(app.test_client(), accounts.issue_token(rt, user_id))
        api_n = _queries(count_queries, lambda c=client, m=mid: c.get(
            f"/api/v1/compliance?municipality_id={m}"))
        assert client.get(f"/api/v1/compliance?municipality_id={mid}").get_json()[
            "schools_total"] == size
        email = rt.db.session.execute(
            __import__("sqlalchemy").text("SELECT email FROM users WHERE id = :i"),
            {"i": user_id}).scalar()
        rt.db.session.remove()
        browser = login_client(app, email, "x" * 12)
        page_n = _queries(count_queries, lambda b=browser, m=mid: b.get(
            f"/compliance/?municipality_id={m}"))
        counts[size] = (api_n, page_n)
    assert counts[3] == counts[30], counts


def test_page_exports_and_drill_down(app, world, make_doc):
    doc = make_doc("accepted", kind="regulation", title="Положение о наставничестве",
                   fields={"sections": [{"title": "Общие положения", "text": "Текст"}]})
    c = login_client(app, "officer@test.local")
    html = c.get(f"/compliance/?municipality_id={world.orgs['muni']}").get_data(as_text=True)
    assert "<svg" in html and "50\u00a0%" in html and f"/documents/{doc}" in html
    assert "<script>" not in html and "style=" not in html
    detail = c.get(f"/compliance/school/{world.orgs['school1']}")
    assert detail.status_code == 200 and "Положение о наставничестве" in detail.get_data(
        as_text=True)
    assert c.get(f"/compliance/school/{world.orgs['school3']}").status_code == 404
    xlsx = c.get(f"/compliance/export.xlsx?municipality_id={world.orgs['muni']}")
    ws = load_workbook(io.BytesIO(xlsx.data)).active
    assert "N = 50" in ws["A2"].value
    report = c.get(f"/compliance/report.docx?municipality_id={world.orgs['muni']}")
    assert report.status_code == 200
    text = "\n".join(p.text for p in DocxDocument(io.BytesIO(report.data)).paragraphs)
    assert "ИНФОРМАЦИОННО-АНАЛИТИЧЕСКИЙ ОТЧЁТ" in text and "N = A / B × 100 % = 1 / 2" in text
    assert login_client(app, "director1@test.local").get(
        f"/compliance/?municipality_id={world.orgs['muni']}").status_code == 404


def test_api_exports(api, world):
    officer = api.as_("officer")
    r = officer.get(f"/api/v1/compliance/export.xlsx?municipality_id={world.orgs['muni']}")
    assert r.status_code == 200 and r.mimetype.endswith("spreadsheetml.sheet")
    r = officer.get(f"/api/v1/compliance/report.docx?municipality_id={world.orgs['muni']}")
    assert r.status_code == 200 and r.mimetype.endswith("wordprocessingml.document")
    r = api.as_("admin1").get(f"/api/v1/compliance/report.docx?municipality_id="
                              f"{world.orgs['muni']}")
    assert r.status_code == 404


def test_drill_down_links_only_acts_the_reader_opens(app, world, make_doc):
    fields = {"sections": [{"title": "Общие положения", "text": "Текст"}]}
    draft = make_doc("draft", kind="regulation", title="Положение (проект)", fields=fields)
    sent = make_doc("accepted", kind="regulation", title="Положение (принято)", fields=fields)
    url = f"/compliance/school/{world.orgs['school1']}"
    officer = login_client(app, "officer@test.local").get(url).get_data(as_text=True)
    assert f'href="/documents/{sent}"' in officer and f'href="/documents/{draft}"' not in officer
    assert "Положение (проект)" in officer and 'data-test="not-sent"' in officer
    director = login_client(app, "director1@test.local").get(url).get_data(as_text=True)
    assert f'href="/documents/{draft}"' in director and 'data-test="not-sent"' not in director


def test_the_matrix_links_only_acts_the_reader_opens(app, world, make_doc):
    fields = {"sections": [{"title": "Общие положения", "text": "Текст"}]}
    draft = make_doc("draft", kind="regulation", title="Положение (проект)", fields=fields)
    url = f"/compliance/?municipality_id={world.orgs['muni']}"
    officer = login_client(app, "officer@test.local").get(url).get_data(as_text=True)
    assert "черновик" in officer and f'href="/documents/{draft}"' not in officer
    auditor = login_client(app, "auditor@test.local").get(url).get_data(as_text=True)
    assert f'href="/documents/{draft}"' in auditor
