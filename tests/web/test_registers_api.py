"""/api/v1 registers and pairs: shapes of api.md, errors, authorization, minors' data, XLSX."""

from __future__ import annotations

import io
from datetime import timedelta

import pytest
from openpyxl import Workbook, load_workbook
from sqlalchemy import func, select

from documents.models import Person, PersonalDataAccessLog
from tests.workflow.test_pairs_factories import TODAY, born, reference  # noqa: F401

pytestmark = pytest.mark.usefixtures("reference")
START, END = (TODAY + timedelta(days=1)).isoformat(), (TODAY + timedelta(days=90)).isoformat()
SIGNED = (TODAY - timedelta(days=3)).isoformat()


def add(client, org, **body):
    body.setdefault("category", "teacher")
    body.setdefault("full_name", "Иванова Анна Петровна")
    r = client.post("/api/v1/people", json={"org_id": org, **body})
    assert r.status_code == 201, r.get_json()
    return r.get_json()


def consent(client, person_id, **body):
    body.setdefault("kind", "personal_data")
    body.setdefault("signed_by", "self")
    body.setdefault("signed_on", SIGNED)
    return client.post("/api/v1/consents", json={"person_id": person_id, **body})


def test_reference_forms(api):
    forms = api.as_("admin1").get("/api/v1/reference/forms").get_json()
    codes = [f["code"] for f in forms]
    assert codes[:5] == ["student_student", "teacher_teacher", "college_student_student",
                         "employer_student", "employer_college_student"]
    assert {"traditional", "group", "virtual", "reverse", "situational", "speed",
            "short_term", "manager_subordinate"} <= set(codes)
    assert forms[0] == {"code": "student_student", "title": "ученик – ученик",
                        "track": "target_model"}
    assert api.as_("admin1").get("/api/v1/reference/role-models").status_code == 200


def test_create_and_list_people(api, world):
    c, org = api.as_("admin1"), world.orgs["school1"]
    teacher = add(c, org, position="учитель физики", experience_years=2)
    assert teacher["young_specialist"] is True and teacher["category"] == "teacher"
    add(c, org, full_name="Петров Пётр", category="student", grade="5А",
        birth_date=born(11).isoformat())
    body = c.get(f"/api/v1/people?org_id={org}").get_json()
    assert set(body) == {"items", "total", "page"} and body["total"] == 2 and body["page"] == 1
    only = c.get(f"/api/v1/people?org_id={org}&category=student").get_json()
    assert [p["full_name"] for p in only["items"]] == ["Петров Пётр"]
    assert only["items"][0]["minor"] is True


@pytest.mark.parametrize("body,status,code", [
    ({"category": "alien"}, 400, "invalid_category"),
    ({"full_name": ""}, 400, "invalid_full_name"),
    ({"full_name": "-1"}, 400, "invalid_name"),  # a name holds a letter
    ({"full_name": "*** 2026"}, 400, "invalid_name"),
    ({"experience_years": -1}, 400, "invalid_experience"),
    ({"birth_date": "31.12.2010"}, 400, "invalid_date"),
])
def test_bad_people(api, world, body, status, code):
    payload = {"org_id": world.orgs["school1"], "full_name": "Икс", "category": "teacher",
               **body}
    r = api.as_("admin1").post("/api/v1/people", json=payload)
    assert r.status_code == status and r.get_json()["error"]["code"] == code


def test_other_schools_people_are_404(api, world):
    own = add(api.as_("admin1"), world.orgs["school1"])
    other = api.as_("admin2")
    assert other.get(f"/api/v1/people/{own['id']}").status_code == 404
    assert other.get(f"/api/v1/people?org_id={world.orgs['school1']}").status_code == 404
    r = other.post("/api/v1/people", json={"org_id": world.orgs["school1"], "full_name": "Х",
                                           "category": "teacher"})
    assert r.status_code == 404
    assert api.as_("admin3").get(f"/api/v1/people/{own['id']}").status_code == 404
    # read-only roles of the municipality may read adults but not write
    assert api.as_("auditor").get(f"/api/v1/people/{own['id']}").status_code == 200
    r = api.as_("auditor").post("/api/v1/people", json={"org_id": world.orgs["school1"],
                                                        "full_name": "Х", "category": "teacher"})
    assert r.status_code == 403


def test_officer_cannot_read_minors_auditor_can_and_is_logged(api, world, rt):
    c, org = api.as_("admin1"), world.orgs["school1"]
    kid = add(c, org, full_name="Малышев Саша", category="student", grade="3А")
    add(c, org, full_name="Взрослая Учительница")
    officer = api.as_("officer")
    listing = officer.get(f"/api/v1/people?org_id={org}").get_json()
    assert [p["full_name"] for p in listing["items"]] == ["Взрослая Учительница"]
    assert officer.get(f"/api/v1/people/{kid['id']}").status_code == 404
    assert officer.get(f"/api/v1/pairs?org_id={org}").status_code == 404
    auditor = api.as_("auditor")
    assert auditor.get(f"/api/v1/people/{kid['id']}").get_json()["full_name"] == "Малышев Саша"
    assert auditor.get(f"/api/v1/people?org_id={org}").get_json()["total"] == 2
    with rt.db.read_session() as s:
        logs = s.scalars(select(PersonalDataAccessLog).order_by(PersonalDataAccessLog.id)).all()
    auditor_logs = [(log.action, log.person_ids) for log in logs
                    if log.actor_id == world.users["auditor"]]
    assert auditor_logs == [("read_person", [kid["id"]]), ("list_people", [kid["id"]])]
    assert not [log for log in logs if log.actor_id == world.users["officer"]]


def test_consent_rules_over_http(api, world):
    c, org = api.as_("admin1"), world.orgs["school1"]
    kid = add(c, org, full_name="Сидоров Миша", category="student", grade="6Б",
              birth_date=born(12).isoformat())
    r = consent(c, kid["id"])
    assert r.status_code == 422
    err = r.get_json()["error"]
    assert err["code"] == "representative_required" and "законный представитель" in err["message"]
    r = consent(c, kid["id"], signed_by="legal_representative",
                representative_name="Сидорова Елена Викторовна")
    assert r.status_code == 201
    assert r.get_json()["representative_name"] == "Сидорова Елена Викторовна"
    assert consent(c, kid["id"], kind="unknown").status_code == 400
    r = consent(c, kid["id"], signed_on=(TODAY + timedelta(days=3)).isoformat())
    assert r.status_code == 422


def _ready(c, org, category="teacher", mentor=False, **kw):
    p = add(c, org, category=category, **kw)
    if p["minor"]:
        assert consent(c, p["id"], signed_by="legal_representative",
                       representative_name="Родитель").status_code == 201
    else:
        assert consent(c, p["id"]).status_code == 201
    if mentor:
        assert consent(c, p["id"], kind="mentoring_duty").status_code == 201
    return p["id"]


def test_pairs_over_http(api, world):
    c, org = api.as_("admin1"), world.orgs["school1"]
    mentor = _ready(c, org, mentor=True, full_name="Наставник Иван", experience_years=20)
    mentee = _ready(c, org, full_name="Молодой Пётр", experience_years=1)
    body = {"org_id": org, "mentor_id": mentor, "mentee_ids": [mentee],
            "form": "teacher_teacher", "role_model": "experienced_young", "start": START,
            "end": END}
    r = c.post("/api/v1/pairs", json=body)
    assert r.status_code == 201, r.get_json()
    pair = r.get_json()
    assert pair["status"] == "planned" and pair["mentor"]["id"] == mentor
    r = c.post("/api/v1/pairs", json={**body, "mentor_id": _ready(c, org, mentor=True)})
    assert r.status_code == 422
    assert r.get_json()["error"]["code"] == "mentee_already_paired"
    assert "Молодой Пётр" in r.get_json()["error"]["message"]
    r = c.post("/api/v1/pairs", json={**body, "form": "virtual", "start": END, "end": START})
    assert r.get_json()["error"]["code"] == "dates_reversed"
    no_consent = add(c, org, full_name="Без Согласия", experience_years=1)
    r = c.post("/api/v1/pairs", json={**body, "form": "virtual", "mentee_ids": [no_consent["id"]]})
    assert r.status_code == 422 and "Без Согласия" in r.get_json()["error"]["message"]
    assert c.post("/api/v1/pairs", json={**body, "start": "2026-13-01"}).status_code == 400
    listing = c.get(f"/api/v1/pairs?org_id={org}").get_json()
    assert listing["total"] == 1 and listing["items"][0]["id"] == pair["id"]
    assert api.as_("admin2").get(f"/api/v1/pairs/{pair['id']}").status_code == 404
    r = api.as_("admin2").post("/api/v1/pairs", json=body)
    assert r.status_code == 404


def test_pair_order_signing_activates_pairs_over_http(api, world):
    c, org = api.as_("admin1"), world.orgs["school1"]
    mentor = _ready(c, org, mentor=True)
    pair = c.post("/api/v1/pairs", json={
        "org_id": org, "mentor_id": mentor, "mentee_ids": [_ready(c, org, experience_years=0)],
        "form": "teacher_teacher", "start": START, "end": END}).get_json()
    doc = c.post("/api/v1/documents", json={
        "kind": "pair_order", "org_id": org, "title": "О закреплении наставнических пар",
        "fields": {"pair_ids": [pair["id"]]}}).get_json()
    assert c.fire(doc, "submit").status_code == 200
    director = api.as_("director1")
    assert director.fire(doc, "approve").status_code == 200
    assert director.fire(doc, "sign").status_code == 200
    assert c.get(f"/api/v1/pairs/{pair['id']}").get_json()["status"] == "active"
    assert c.post(f"/api/v1/pairs/{pair['id']}/finish").get_json()["status"] == "finished"


def _xlsx(rows) -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.append(["ФИО", "Категория", "Класс", "Должность", "Педагогический стаж, лет",
               "Дата рождения", "Запрос"])
    for row in rows:
        ws.append(row)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def _import(client, org, data: bytes):
    return client.post("/api/v1/people/import",
                       data={"org_id": str(org), "file": (io.BytesIO(data), "reestr.xlsx")},
                       content_type="multipart/form-data")


def test_xlsx_import_all_or_nothing_and_export(api, world, rt):
    c, org = api.as_("admin1"), world.orgs["school1"]
    good = [["Смирнова Ксения", "педагог", "", "учитель математики", 24, "", ""],
            ["Попов Артём", "обучающийся", "7Б", "", None, "12.03.2013", "Олимпиада"]]
    bad = good + [["Орлова Дарья", "педагог", "", "учитель", 1, "31.02.1990", ""]]
    r = _import(c, org, _xlsx(bad))
    assert r.status_code == 422
    message = r.get_json()["error"]["message"]
    assert "строка 4" in message and "Дата рождения" in message and "F4" in message
    with rt.db.read_session() as s:
        assert s.scalar(select(func.count()).select_from(Person)) == 0
    r = _import(c, org, _xlsx(bad[:2] + [["Икс", "марсианин", "", "", None, "", ""]]))
    assert r.status_code == 422 and "B4" in r.get_json()["error"]["message"]
    assert _import(c, org, b"not a workbook").status_code == 422
    r = _import(c, org, _xlsx(good))
    assert r.status_code == 201 and r.get_json() == {"created": 2}
    assert api.as_("admin2").get(f"/api/v1/people/export.xlsx?org_id={org}").status_code == 404
    r = c.get(f"/api/v1/people/export.xlsx?org_id={org}")
    assert r.status_code == 200
    ws = load_workbook(io.BytesIO(r.data)).active
    names = sorted(row[0] for row in ws.iter_rows(min_row=2, values_only=True))
    assert names == ["Попов Артём", "Смирнова Ксения"]


def test_school_settings(api, world):
    org = world.orgs["school1"]
    c = api.as_("admin1")
    assert c.get(f"/api/v1/schools/{org}/mentorship-settings").get_json()[
        "mentor_load_limit"] == 3
    r = c.patch(f"/api/v1/schools/{org}/mentorship-settings",
              json={"mentor_load_limit": 2, "programme_start": "2026-09-01",
                    "programme_end": "2027-05-31"})
    assert r.status_code == 200 and r.get_json()["programme_end"] == "2027-05-31"
    r = c.patch(f"/api/v1/schools/{org}/mentorship-settings",
              json={"programme_start": "2027-09-01"})
    assert r.status_code == 422
    assert api.as_("admin2").patch(f"/api/v1/schools/{org}/mentorship-settings",
                                 json={"mentor_load_limit": 5}).status_code == 404


def test_registers_page(app, world, api):
    from tests.web.test_compliance_api import login_client

    add(api.as_("admin1"), world.orgs["school1"], full_name="Страничная Анна")
    c = login_client(app, "admin1@test.local")
    page = c.get(f"/registers/?org_id={world.orgs['school1']}")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "Страничная Анна" in html and "<script>" not in html
    outsider = login_client(app, "admin2@test.local")
    assert outsider.get(f"/registers/?org_id={world.orgs['school1']}").status_code == 404
