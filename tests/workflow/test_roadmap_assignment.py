"""A municipal roadmap is carried out by its schools: items naming the schools are assigned
to every school (each sees only its own copy), re-import does not duplicate, a school added
later gets the open items, and the progress matrix costs a constant number of queries."""

from __future__ import annotations

import uuid
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from documents.models import Document, Organization
from documents.roadmaps.export import roadmap_to_docx
from tests.conftest import PASSWORD, actor_of
from workflow import accounts, clock
from workflow.engine import queries
from workflow.roadmaps import importing, progress, reading

SCHOOLS = ["ОО", "образовательные организации", "Руководители ОО",
           "Управление образования, ОО", "руководители ОО, методисты"]
OFFICE = ["МКУ «Центр развития образования»", "Управление образования",
          "Специалист управления образования", "МКУ «Центр оценки качества»"]


def _d(days: int) -> str:
    return (clock.today() + timedelta(days=days)).strftime("%d.%m.%Y")


def municipal_docx(n_school: int = 5, n_office: int = 4, title: str = "Муниципальная ДК") -> bytes:
    items = []
    for n in range(n_school + n_office):
        responsible = (SCHOOLS[n % len(SCHOOLS)] if n < n_school
                       else OFFICE[(n - n_school) % len(OFFICE)])
        items.append({"number": f"1.{n + 1}", "section": "1",
                      "activity": f"Мероприятие {n + 1}", "deadline_text": f"до {_d(30 + n)}",
                      "responsible_text": responsible, "result_text": "Отчёт"})
    return roadmap_to_docx({"title": title, "sections": [{"number": "1", "title": "Раздел"}],
                            "items": items})


def period() -> tuple[str, str]:
    today = clock.today()
    return (today - timedelta(days=30)).isoformat(), (today + timedelta(days=300)).isoformat()


@pytest.fixture()
def district(rt):
    """A fresh municipality with three schools, its officer and each school's director."""
    tag = uuid.uuid4().hex[:6]
    out: dict = {"schools": [], "directors": []}
    with rt.db.write_session() as s:
        muni = accounts.create_organization(s, name=f"Район {tag}", short_name=f"Район {tag}",
                                            kind="municipality")
        out["muni"] = muni.id
        officer = accounts.create_user(s, email=f"officer-{tag}@test.local",
                                       full_name="Офицеров О.О.", password=PASSWORD)
        accounts.grant_role(s, officer.id, muni.id, "municipal_officer")
        out["officer"] = officer.id
        for n in range(3):
            school = accounts.create_organization(
                s, name=f"Школа {n + 1} {tag}", short_name=f"Школа {n + 1} {tag}",
                kind="school", parent_id=muni.id)
            director = accounts.create_user(s, email=f"dir{n}-{tag}@test.local",
                                            full_name=f"Директоров{n} Д.Д.", password=PASSWORD)
            accounts.grant_role(s, director.id, school.id, "director")
            out["schools"].append(school.id)
            out["directors"].append(director.id)
    out["tag"] = tag
    return out


def import_municipal(rt, district, data=None) -> dict:
    start, end = period()
    return importing.import_roadmap(rt, actor_of(rt, district["officer"]),
                                   org_id=district["muni"], data=data or municipal_docx(),
                                   filename="mdk.docx", period_start=start, period_end=end)


def _copies(rt, org_ids=None) -> int:
    with rt.db.read_session() as s:
        q = select(func.count(Document.id)).where(Document.assignment_of.is_not(None))
        if org_ids is not None:
            q = q.where(Document.org_id.in_(org_ids))
        return s.scalar(q)


def test_nine_items_five_naming_schools_three_schools_fifteen_copies(rt, district):
    result = import_municipal(rt, district)
    assert len(result["items"]) == 9
    assert _copies(rt) == 15
    for school_id, director_id in zip(district["schools"], district["directors"], strict=True):
        assert _copies(rt, [school_id]) == 5
        with rt.db.read_session() as s:
            seen, total = queries.list_documents(s, actor_of(rt, director_id),
                                                 kind="roadmap_item")
            # each school sees only its own copies, with the municipal item's due date
            assert {d.org_id for d in seen} == {school_id} and total == 5
            assert all(d.assignment_of and d.due for d in seen)
    with rt.db.read_session() as s:
        rm = reading.get_roadmap(s, actor_of(rt, district["officer"]), result["id"])
    named = [i for i in rm["items"] if i["assignments"]]
    assert len(named) == 5 and all(len(i["assignments"]) == 3 for i in named)
    assert {a["org_id"] for a in named[0]["assignments"]} == set(district["schools"])
    office = [i for i in rm["items"] if not i["assignments"]]
    # the office's own tasks: each item a document of the municipality
    assert len(office) == 4 and all(i["document_id"] and i["state"] == "draft" for i in office)


def test_reimport_does_not_duplicate(rt, district):
    first = import_municipal(rt, district)
    again = import_municipal(rt, district)
    assert again["id"] == first["id"]
    assert _copies(rt) == 15


def test_school_added_later_gets_the_open_items(rt, district):
    import_municipal(rt, district)
    with rt.db.write_session() as s:
        late = accounts.create_organization(s, name=f"Новая школа {district['tag']}",
                                            short_name=f"Новая {district['tag']}",
                                            kind="school", parent_id=district["muni"])
        late_id = late.id
    assert _copies(rt, [late_id]) == 5
    assert _copies(rt) == 20
    # and the service is safe to call again (e.g. from the admin's school creation)
    from workflow.roadmaps.items import assign_open_items_to_school

    with rt.db.write_session() as s:
        assert assign_open_items_to_school(s, late_id) == 0
        assert s.get(Organization, late_id) is not None


def test_a_school_the_administrator_adds_later_gets_the_open_items(rt, district):
    from workflow.admin import organisations

    import_municipal(rt, district)
    with rt.db.write_session() as s:
        admin = accounts.create_user(s, email=f"admin-{district['tag']}@test.local",
                                     full_name="Админова А.А.", password=PASSWORD)
        accounts.grant_role(s, admin.id, district["muni"], "admin")
        admin_id = admin.id
    school = organisations.create_school(rt, actor_of(rt, admin_id), {
        "name": f"МБОУ «Школа № 9» {district['tag']}", "short_name": f"Школа № 9 {district['tag']}",
        "parent_id": district["muni"]})
    assert _copies(rt, [school["id"]]) == 5  # like the schools that were there at the import


def test_progress_matrix_constant_queries(rt, district, count_queries):
    result = import_municipal(rt, district)
    officer = actor_of(rt, district["officer"])
    with rt.db.read_session() as s, count_queries() as small:
        view = progress.progress(s, officer, result["id"])
    assert len(view["items"]) == 5 and all(i["total"] == 3 and i["done"] == 0
                                           for i in view["items"])
    assert {c["status"] for i in view["items"] for c in i["schools"]} == {"planned"}
    # more schools and more items: the same number of queries
    with rt.db.write_session() as s:
        for n in range(4):
            accounts.create_organization(s, name=f"Ещё {n} {district['tag']}",
                                         short_name=f"Ещё {n} {district['tag']}",
                                         kind="school", parent_id=district["muni"])
    bigger = import_municipal(rt, district, municipal_docx(12, 2, "Другая ДК"))
    with rt.db.read_session() as s, count_queries() as large:
        view = progress.progress(s, officer, bigger["id"])
    assert len(view["items"]) == 12 and len(view["schools"]) == 7
    assert len(large) == len(small)


def test_my_tasks_hold_items_near_their_date(rt, district):
    from workflow.notify.inbox import inbox

    import_municipal(rt, district)
    director = actor_of(rt, district["directors"][0])
    with rt.db.write_session() as s:  # the item names the director of school 1
        doc = s.scalar(select(Document).where(Document.org_id == district["schools"][0],
                                              Document.assignment_of.is_not(None))
                       .order_by(Document.id))
        doc.responsible_id = district["directors"][0]
        doc_id = doc.id
    with rt.db.read_session() as s:
        tasks = inbox(s, director).tasks
        assert [t.doc.id for t in tasks] == [doc_id]
        assert tasks[0].section == "drafts" and tasks[0].doc.due is not None
        # a month before the date it is not yet a task
        later = inbox(s, director, clock.today() - timedelta(days=60)).tasks
        assert later == []


def test_analytical_report_shows_the_roadmap_by_school(rt, district):
    import io

    from docx import Document as Docx

    from workflow.compliance import matrix

    import_municipal(rt, district)
    with rt.db.read_session() as s:
        data = matrix.analytical_report(s, actor_of(rt, district["officer"]), district["muni"],
                                        clock.today().year)
    doc = Docx(io.BytesIO(data))
    text = "\n".join(p.text for p in doc.paragraphs)
    assert "Исполнение муниципальной дорожной карты по образовательным организациям" in text
    assert "мероприятий, выполняемых ОО, — 5, выполнено всеми ОО — 0" in text
    cells = [c.text for t in doc.tables for r in t.rows for c in r.cells]
    assert f"Школа 1 {district['tag']}" in cells and "5. Выводы" in text
