"""A corpus of hostile values in every field of every JSON route: each answer is a 4xx with
a named error code, never a 500, and nothing is written (every table's row count stays).

Values: control characters, a lone surrogate, a 1 MB string, 2^63, −1, year 0001 and a
JSON nested 1,000 levels deep; each replaces one field of an otherwise valid body.
"""

from __future__ import annotations

import json

import pytest
from sqlalchemy import func, inspect, select, table

from tests.web.test_registers_api import SIGNED, add
from tests.workflow.test_pairs_factories import reference  # noqa: F401

pytestmark = pytest.mark.usefixtures("reference")

NESTED = "\u0000NESTED"  # sent as 1,000 nested arrays (json.dumps cannot build them)
DEEP = "[" * 1000 + "]" * 1000
BAD = {
    "control": "Тест\u0001Тестов",
    "escape": "Тест\u001bТестов",
    "surrogate": "a\ud800b",
    "huge": "я" * 1_000_000,
    "int63": 2**63,
    "minus_one": -1,
    "year_0001": "0001-01-01",
    "nested": NESTED,
}
#: values that are fine for plain text fields (a title «-1» or «0001-01-01» is a title)
TEXT_OK = {"minus_one", "year_0001"}


def _routes(ids: dict) -> list[tuple[str, str, dict, set]]:
    """(method, url, valid body, text fields) of every JSON route."""
    org, doc, person = ids["org"], ids["doc"], ids["person"]
    return [
        ("post", "/api/v1/documents", {"kind": "order", "org_id": org, "title": "Приказ",
                                       "fields": {"clauses": [{"text": "Пункт."}]},
                                       "due": "2026-12-01"}, {"title", "kind"}),
        ("patch", f"/api/v1/documents/{doc}", {"lock_version": 0, "title": "Новый",
                                                "due": "2026-12-01"}, {"title"}),
        ("post", f"/api/v1/documents/{doc}/events/submit", {"lock_version": 99,
                                                             "comment": "ok"}, {"comment"}),
        ("post", "/api/v1/people", {"org_id": org, "full_name": "Петров Пётр",
                                    "category": "teacher", "position": "учитель",
                                    "experience_years": 3, "birth_date": "1990-01-01",
                                    "request": "помощь"},
         {"full_name", "category", "position", "request"}),
        ("post", f"/api/v1/people/{person}/requests", {"text": "запрос"}, {"text"}),
        ("post", "/api/v1/consents", {"person_id": person, "kind": "personal_data",
                                      "signed_by": "self", "signed_on": SIGNED},
         {"kind", "signed_by"}),
        ("post", "/api/v1/pairs", {"org_id": org, "mentor_id": person, "mentee_ids": [person],
                                   "form": "teacher_teacher", "start": "2026-09-01",
                                   "end": "2026-12-01", "role_model": "x"},
         {"form", "role_model"}),
        ("patch", f"/api/v1/schools/{org}/mentorship-settings",
         {"mentor_load_limit": 3, "programme_start": "2026-09-01"}, set()),
        ("post", "/api/v1/indicators", {"org_id": org, "year": 2026, "code": "x", "name": "y",
                                        "target": 1, "actual": 1, "source": "z"},
         {"code", "name", "source"}),
        ("post", "/api/v1/deadlines/parse", {"text": "до 1 мая 2026",
                                             "period": ["2026-01-01", "2026-12-31"]}, {"text"}),
        ("post", "/api/v1/auth/token", {"email": "nobody@test.local", "password": "x"},
         {"email"}),
    ]


def _counts(rt) -> dict[str, int]:
    with rt.db.read_session() as s:
        names = inspect(s.get_bind()).get_table_names()
        return {n: s.scalar(select(func.count()).select_from(table(n))) for n in names}


def _cases(routes):
    for method, url, body, text_fields in routes:
        for field in body:
            for kind, value in BAD.items():
                if field in text_fields and kind in TEXT_OK:
                    continue
                yield method, url, {**body, field: value}, f"{method} {url} {field}={kind}"


def test_every_field_refuses_hostile_values_and_writes_nothing(api, world, rt):
    admin = api.as_("admin1")
    ids = {"org": world.orgs["school1"],
           "person": add(admin, world.orgs["school1"], full_name="Учитель Иван")["id"]}
    r = admin.post("/api/v1/documents", json={"kind": "order", "org_id": ids["org"],
                                              "title": "Черновик", "fields": {
                                                  "clauses": [{"text": "Пункт."}]}})
    ids["doc"] = r.get_json()["id"]
    before = _counts(rt)
    problems = []
    for method, url, body, label in _cases(_routes(ids)):
        raw = json.dumps(body).replace(json.dumps(NESTED), DEEP)
        r = getattr(admin, method)(url, data=raw, content_type="application/json")
        error = (r.get_json(silent=True) or {}).get("error") or {}
        if not (400 <= r.status_code < 500 and error.get("code")):
            problems.append(f"{label}: {r.status_code} {str(r.get_data())[:200]}")
    assert not problems, "\n".join(problems)
    after = _counts(rt)
    assert after == before, {k: (before[k], after[k]) for k in before if before[k] != after[k]}


def test_refusal_names_the_field(api, world):
    admin = api.as_("admin1")
    for value, code in (("Тест\u0001Тестов", "invalid_characters"),
                        ("a\ud800b", "invalid_characters"), (2**63, "number_out_of_range")):
        r = admin.post("/api/v1/people", json={"org_id": world.orgs["school1"],
                                               "full_name": value, "category": "teacher"})
        assert r.status_code == 422
        assert r.get_json()["error"]["code"] == code
        assert r.get_json()["error"]["details"]["field"] == "full_name"
    r = admin.post("/api/v1/documents", json={"kind": "order", "org_id": world.orgs["school1"],
                                              "title": "Т", "fields": {"clauses": [
                                                  {"text": "строка\nи\tещё"},
                                                  {"text": "x\u0007"}]}})
    assert r.status_code == 422
    assert r.get_json()["error"]["details"]["field"] == "fields.clauses[1].text"


@pytest.mark.parametrize("url", [
    "/api/v1/documents/9223372036854775808", "/api/v1/documents/99999999999999999999999",
    "/api/v1/documents?org_id=9223372036854775808", "/api/v1/documents?page=9223372036854775807",
    "/api/v1/people?org_id=-9223372036854775809", "/api/v1/pairs/18446744073709551616",
    "/documents?page=99999999999999999999", "/documents?org_id=9223372036854775808",
])
def test_huge_integers_in_paths_and_queries_are_4xx(api, as_user, url):
    client = as_user("admin1") if not url.startswith("/api/") else api.as_("admin1")
    r = client.get(url)
    assert 400 <= r.status_code < 500, (url, r.status_code)


def test_deep_json_and_dates_out_of_range(api, world):
    admin = api.as_("admin1")
    deep = "[" * 1000 + "]" * 1000
    r = admin.post("/api/v1/people", data=f'{{"org_id": 1, "x": {deep}}}',
                   content_type="application/json")
    assert r.status_code == 400 and r.get_json()["error"]["code"] == "json_too_deep"
    person = add(admin, world.orgs["school1"], full_name="Учитель Пётр")
    for day in ("0001-01-01", "1000-01-01", "2101-01-01"):
        r = admin.post("/api/v1/consents", json={"person_id": person["id"],
                                                 "kind": "personal_data", "signed_by": "self",
                                                 "signed_on": day})
        assert r.status_code == 422, day
        assert r.get_json()["error"]["code"] == "date_out_of_range"


def test_dates_anywhere_in_a_body_are_bounded(api, world):
    r = api.as_("admin1").post("/api/v1/documents", json={
        "kind": "regulation", "org_id": world.orgs["school1"], "title": "Положение",
        "fields": {"sections": [{"title": "1", "text": "x"}],
                   "considered_by": {"protocol_date": "0001-01-01"}}})
    assert r.status_code == 422
    assert r.get_json()["error"]["details"]["field"] == "fields.considered_by.protocol_date"
