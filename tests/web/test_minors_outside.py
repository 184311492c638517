"""Minors' names never reach readers outside their school (152-ФЗ); every read of a file
naming a minor is in the personal-data access log.

One signed pair order of school1, sent to the municipality, names two minors (a mentee and
a mentor of a student-student pair) in its appendix, its acquaintance list, its preamble
and its title. Then every file and page that can hold people is read as the municipal
officer and as another school's staff.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import shutil
import subprocess
import zipfile

import pytest
from sqlalchemy import select, update

from documents.docx import libreoffice_available
from documents.models import DocumentVersion, Notification, Person, PersonalDataAccessLog
from tests.conftest import ORDER_FIELDS
from tests.web.test_registers_api import END, START, _ready
from tests.workflow.test_pairs_factories import born, reference  # noqa: F401

pytestmark = pytest.mark.usefixtures("reference")
KID = "Орлова Дарья Сергеевна"
KID_MENTOR = "Зайцев Кирилл Андреевич"
TEACHER = "Наставникова Анна Петровна"
NAMES = ("Орлова", "Зайцев", "Дарья", "Кирилл")


def _docx_text(data: bytes) -> str:
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        return " ".join(z.read(n).decode("utf-8", "replace") for n in z.namelist()
                        if n.endswith(".xml"))


def _no_minor(text) -> None:
    if not isinstance(text, str):  # a response: JSON is \u-escaped, look at its values
        body = text.get_json(silent=True)
        text = (json.dumps(body, ensure_ascii=False) if body is not None
                else text.get_data(as_text=True))
    for name in NAMES:
        assert name not in text, f"{name!r} leaked"


@pytest.fixture()
def sent_order(api, world):
    c, org = api.as_("admin1"), world.orgs["school1"]
    teacher = _ready(c, org, mentor=True, full_name=TEACHER, experience_years=20)
    kid = _ready(c, org, category="student", full_name=KID, grade="7Б",
                 birth_date=born(13).isoformat())
    kid_mentor = _ready(c, org, category="student", full_name=KID_MENTOR, grade="10А",
                        birth_date=born(16).isoformat())
    young = _ready(c, org, full_name="Молодова Ольга Игоревна", experience_years=1)
    pairs = [c.post("/api/v1/pairs", json={"org_id": org, "mentor_id": mentor,
                                           "mentee_ids": [mentee], "form": form,
                                           "start": START, "end": END})
             for mentor, mentee, form in ((kid_mentor, kid, "student_student"),
                                          (teacher, young, "teacher_teacher"))]
    assert all(r.status_code == 201 for r in pairs), [r.get_json() for r in pairs]
    ids = [r.get_json()["id"] for r in pairs]
    doc = c.post("/api/v1/documents", json={
        "kind": "pair_order", "org_id": org, "title": f"О закреплении пары ({KID})",
        "fields": {"pair_ids": ids, "preamble": f"По заявлению законного представителя "
                                                f"{KID}", "acquaintance": [TEACHER, KID]}})
    return _sent(api, c, doc)["id"]


def _sent(api, c, created) -> dict:
    """A document just created by school1's admin, approved and signed by its director and
    sent to the municipality."""
    assert created.status_code == 201, created.get_json()
    doc = created.get_json()
    assert c.fire(doc, "submit").status_code == 200
    director = api.as_("director1")
    assert director.fire(doc, "approve").status_code == 200
    assert director.fire(doc, "sign").status_code == 200
    assert c.fire(doc, "send_to_municipality").status_code == 200
    return doc


def _logs(rt, user_id):
    with rt.db.read_session() as s:
        return [(log.action, log.person_ids) for log in s.scalars(
            select(PersonalDataAccessLog).where(PersonalDataAccessLog.actor_id == user_id)
            .order_by(PersonalDataAccessLog.id))]


def test_officer_gets_a_variant_without_minors_and_the_signed_file_is_unchanged(
        api, world, rt, sent_order):
    school = api.as_("admin1").get(f"/api/v1/documents/{sent_order}/docx")
    assert school.status_code == 200
    assert KID in _docx_text(school.data) and KID_MENTOR in _docx_text(school.data)
    officer = api.as_("officer").get(f"/api/v1/documents/{sent_order}/docx")
    assert officer.status_code == 200
    text = _docx_text(officer.data)
    _no_minor(text)
    assert "обучающийся 7Б класса" in text and "обучающийся 10А класса" in text
    assert TEACHER.split()[0] in text  # adults stay named
    with rt.db.read_session() as s:
        version = s.scalar(select(DocumentVersion).where(
            DocumentVersion.document_id == sent_order))
        assert version.file_sha256 == hashlib.sha256(school.data).hexdigest()
    again = api.as_("admin1").get(f"/api/v1/documents/{sent_order}/docx")
    assert again.data == school.data
    assert api.as_("officer").get(f"/api/v1/documents/{sent_order}/docx").data == officer.data


def test_every_read_by_the_school_and_auditor_is_logged_none_for_the_officer(
        api, world, rt, sent_order):
    api.as_("admin1").get(f"/api/v1/documents/{sent_order}/docx")
    api.as_("auditor").get(f"/api/v1/documents/{sent_order}/docx")
    api.as_("officer").get(f"/api/v1/documents/{sent_order}/docx")
    for user in ("admin1", "auditor"):
        logs = _logs(rt, world.users[user])
        assert logs and logs[-1][0] == f"read_document_file:{sent_order}"
        assert len(logs[-1][1]) >= 2
    assert not [a for a, _ in _logs(rt, world.users["officer"]) if "document_file" in a]


def test_json_search_and_notifications_for_the_officer_name_no_minor(api, world, sent_order):
    officer = api.as_("officer")
    for url in (f"/api/v1/documents/{sent_order}", f"/api/v1/documents/{sent_order}/versions",
                f"/api/v1/documents/{sent_order}/history", "/api/v1/documents"):
        r = officer.get(url)
        assert r.status_code == 200, url
        _no_minor(r)
    listing = officer.get("/api/v1/documents?q=закреплении")
    assert sent_order in [d["id"] for d in listing.get_json()["items"]]
    _no_minor(listing)
    school_view = api.as_("admin1").get(f"/api/v1/documents/{sent_order}").get_json()
    assert KID in school_view["title"]


def test_a_name_after_a_line_break_or_a_tab_is_hidden_in_json_too(api, world, sent_order):
    """In a JSON answer a line break is «\\n» — a name right after it still starts a word."""
    c = api.as_("admin1")
    created = c.post("/api/v1/documents", json={"kind": "order", "org_id": world.orgs["school1"],
                                               "title": "О проведении встречи",
                                               "fields": ORDER_FIELDS})
    doc = created.get_json()
    r = c.fire(doc, "submit", f"Список участников:\n{KID}\t{KID_MENTOR}")
    assert r.status_code == 200, r.get_json()
    director = api.as_("director1")
    assert director.fire(doc, "approve").status_code == 200
    assert director.fire(doc, "sign").status_code == 200
    assert c.fire(doc, "send_to_municipality").status_code == 200
    history = api.as_("officer").get(f"/api/v1/documents/{doc['id']}/history")
    assert history.status_code == 200
    comments = [e.get("comment") or "" for e in history.get_json()]
    assert any(t.startswith("Список участников:\n") for t in comments), comments
    _no_minor(history)


def test_officers_notifications_name_no_minor(rt, world, sent_order):
    with rt.db.read_session() as s:
        texts = s.scalars(select(Notification.text).where(
            Notification.user_id == world.users["officer"])).all()
        school = s.scalars(select(Notification.text).where(
            Notification.user_id == world.users["director1"])).all()
    assert texts and any("обучающийся 7Б класса" in t for t in texts)
    for text in texts:
        _no_minor(text)
    assert any(KID in t for t in school)  # the school's own people see its documents as is


def test_pages_and_preview_for_the_officer_name_no_minor(as_user, sent_order):
    officer = as_user("officer")
    for url in (f"/documents/{sent_order}", f"/documents/{sent_order}/preview", "/",
                "/documents?q=закреплении", "/roadmaps/calendar.ics"):
        r = officer.get(url)
        assert r.status_code == 200, url
        _no_minor(r)
        assert r.headers["Cache-Control"] == "no-store"


@pytest.mark.libreoffice
def test_pdf_preview_for_the_officer_names_no_minor(as_user, sent_order):
    if not libreoffice_available():
        pytest.skip("LibreOffice is not installed")
    r = as_user("officer").get(f"/documents/{sent_order}/pdf")
    assert r.status_code == 200 and r.data.startswith(b"%PDF")
    if shutil.which("pdftotext"):
        out = subprocess.run(["pdftotext", "-", "-"], input=r.data, capture_output=True,
                             check=True).stdout.decode()
        assert "обучающийся" in out
        _no_minor(out)


def test_registers_and_exports_for_the_officer_name_no_minor(api, world, sent_order):
    officer, org = api.as_("officer"), world.orgs["school1"]
    r = officer.get(f"/api/v1/people/export.xlsx?org_id={org}")
    if r.status_code == 200:
        _no_minor(_docx_text(r.data))
    _no_minor(officer.get(f"/api/v1/people?org_id={org}"))
    assert officer.get(f"/api/v1/pairs?org_id={org}").status_code == 404
    r = officer.get("/api/v1/compliance/export.xlsx")
    if r.status_code == 200:
        _no_minor(_docx_text(r.data))


def test_another_schools_staff_sees_nothing(api, sent_order):
    other = api.as_("admin2")
    for url in (f"/api/v1/documents/{sent_order}", f"/api/v1/documents/{sent_order}/docx",
                f"/api/v1/documents/{sent_order}/history"):
        r = other.get(url)
        assert r.status_code == 404
        assert r.get_json()["error"]["code"] == "not_found"
    _no_minor(other.get("/api/v1/documents?q=Орлова"))


def test_auditor_cannot_rerender(api, world, sent_order):
    r = api.as_("auditor").post(f"/api/v1/documents/{sent_order}/render")
    assert r.status_code == 403


def test_a_minor_added_later_is_hidden_from_the_next_read(api, world, sent_order):
    """The names an officer must not see are cached per worker by the register rows they
    come from: a minor added after the officer's last page is hidden on the next one."""
    officer = api.as_("officer")
    _no_minor(officer.get("/api/v1/documents"))  # the names of school1 are cached now
    c, org = api.as_("admin1"), world.orgs["school1"]
    _ready(c, org, category="student", full_name="Ласточкина Вера Олеговна", grade="5А",
           birth_date=born(11).isoformat())
    doc = c.post("/api/v1/documents", json={
        "kind": "order", "org_id": org, "title": "О поощрении Ласточкиной",
        "fields": {"clauses": [{"text": "Отметить успехи Ласточкина Вера Олеговна (5А)."}]}})
    doc = _sent(api, c, doc)
    seen = officer.get(f"/api/v1/documents/{doc['id']}")
    assert seen.status_code == 200
    text = json.dumps(seen.get_json(), ensure_ascii=False)
    assert "Ласточкина Вера" not in text and "обучающийся 5А класса" in text


def test_a_minor_renamed_by_any_writer_is_hidden_by_the_new_name(api, world, rt, sent_order):
    """What a worker kept of the registers is checked against their version on every read:
    a change made by any writer — here straight in the database — is seen on the next one."""
    officer = api.as_("officer")
    _no_minor(officer.get("/api/v1/documents"))  # the minors of the municipality are kept now
    with rt.db.write_session() as s:
        s.execute(update(Person).where(Person.full_name == KID)
                  .values(full_name="Светлова Дарья Сергеевна"))
    c = api.as_("admin1")
    doc = _sent(api, c, c.post("/api/v1/documents", json={
        "kind": "order", "org_id": world.orgs["school1"], "title": "О поощрении обучающихся",
        "fields": {"clauses": [{"text": "Отметить успехи Светлова Дарья Сергеевна (7Б)."}]}}))
    text = json.dumps(officer.get(f"/api/v1/documents/{doc['id']}").get_json(),
                      ensure_ascii=False)
    assert "Светлова" not in text and "обучающийся 7Б класса" in text


@pytest.mark.skipif(not os.environ.get("DATABASE_URL", "").startswith("postgresql"),
                    reason="registers are versioned by a PostgreSQL trigger")
def test_an_officer_page_reads_the_registers_only_after_they_change(api, world, sent_order,
                                                                    count_queries):
    officer = api.as_("officer")
    officer.get("/api/v1/documents")
    with count_queries() as statements:
        assert officer.get("/api/v1/documents").status_code == 200
    assert not [q for q in statements if "FROM people" in q], "the registers read again"
    _ready(api.as_("admin1"), world.orgs["school1"], category="student",
           full_name="Ласточкина Вера Олеговна", grade="5А", birth_date=born(11).isoformat())
    with count_queries() as statements:
        assert officer.get("/api/v1/documents").status_code == 200
    assert [q for q in statements if "FROM people" in q], "a changed register not read"


def test_the_scanner_skips_ascii_text_only_when_no_name_is_written_in_ascii():
    from workflow.mentorship.minors import NameScanner

    cyrillic = NameScanner([(KID, "student", "7Б")])
    assert cyrillic.redact("on_approval 2026-12-06") == "on_approval 2026-12-06"
    assert cyrillic.redact(f"Наставник: {KID}") == "Наставник: обучающийся 7Б класса"
    latin = NameScanner([("Smith John", "student", "5А")])
    assert latin.redact("mentee: Smith John") == "mentee: обучающийся 5А класса"
