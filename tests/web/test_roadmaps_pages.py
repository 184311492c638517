"""Roadmap pages: preview → confirm, the table with badges and timeline, constant queries
for 20 vs 200 items, exports, the iCalendar feeds, the authz rows of the roadmap API."""

from __future__ import annotations

import io
import re
from datetime import date, timedelta

from docx import Document as Docx
from openpyxl import load_workbook
from sqlalchemy import func, select

from documents.models import Roadmap
from documents.roadmaps.export import roadmap_to_docx
from tests.samples import FIXTURES
from tests.web.test_ui_pages import csrf_of
from workflow import clock
from workflow.engine.transition import apply_event
from workflow.roadmaps import calendar_feed, importing, item_work, my_items, reading
from workflow.roadmaps.status import STATUS_RU

SAMPLE = FIXTURES / "roadmaps" / "roadmap_school_small.docx"


def big_roadmap(n: int, today: date | None = None) -> bytes:
    today = today or clock.today()
    items = []
    for k in range(n):
        due = today + timedelta(days=k * 3 - n)
        items.append({"number": f"{k // 10 + 1}.{k % 10 + 1}", "section": str(k // 10 + 1),
                      "activity": f"Мероприятие {k}", "deadline_text": f"до {due:%d.%m.%Y}",
                      "responsible_text": "кураторы" if k % 2 else "Директор ОУ",
                      "result_text": "Положение о наставничестве" if k % 7 == 0 else "Отчёт"})
    sections = [{"number": str(s + 1), "title": f"Раздел {s + 1}"} for s in range((n + 9) // 10)]
    return roadmap_to_docx({"title": "Дорожная карта", "sections": sections, "items": items})


def _import(rt, actor, world, data, period=None):
    today = clock.today()
    start, end = period or ((today - timedelta(days=800)).isoformat(),
                            (today + timedelta(days=800)).isoformat())
    return importing.import_roadmap(rt, actor("curator1"), org_id=world.orgs["school1"],
                                   data=data, filename="dk.docx", period_start=start,
                                   period_end=end)


def test_preview_then_confirm(rt, as_user, world):
    c = as_user("curator1")
    token = csrf_of(c, "/roadmaps/")
    r = c.post("/roadmaps/preview", data={
        "csrf_token": token, "org_id": str(world.orgs["school1"]),
        "period_start": "2025-09-01", "period_end": "2026-05-31",
        "file": (io.BytesIO(SAMPLE.read_bytes()), SAMPLE.name)},
        content_type="multipart/form-data")
    assert r.status_code == 200
    html = r.get_data(as_text=True)
    assert "Проверьте, как прочитана" in html and "Анкетирование обучающихся" in html
    with rt.db.read_session() as s:
        assert s.scalar(select(func.count()).select_from(Roadmap)) == 0
    sha = re.search(r'name="sha" value="([0-9a-f]{64})"', html).group(1)
    r = c.post("/roadmaps/confirm", data={
        "csrf_token": token, "sha": sha, "filename": SAMPLE.name,
        "org_id": str(world.orgs["school1"]), "period_start": "2025-09-01",
        "period_end": "2026-05-31"})
    assert r.status_code == 302
    page = c.get(r.headers["Location"]).get_data(as_text=True)
    assert any(title in page for title in STATUS_RU.values())
    assert "<svg" in page and 'data-test="roadmap-table"' in page
    assert "style=" not in page.split('data-test="timeline"')[1].split("</svg>")[0]
    # a broken upload: a flash message, no roadmap
    r = c.post("/roadmaps/preview", data={
        "csrf_token": token, "org_id": str(world.orgs["school1"]),
        "period_start": "2025-09-01", "period_end": "2026-05-31",
        "file": (io.BytesIO(b"nonsense"), "x.docx")}, content_type="multipart/form-data",
        follow_redirects=True)
    assert "не является документом" in r.get_data(as_text=True)


def test_page_and_api_queries_constant(rt, api, as_user, world, actor, count_queries, make_doc):
    small = _import(rt, actor, world, big_roadmap(20))
    large = _import(rt, actor, world, big_roadmap(200))
    make_doc("draft", roadmap_item_id=small["items"][0]["id"])
    make_doc("draft", roadmap_item_id=large["items"][0]["id"])
    client = api.as_("director1")
    page = as_user("director1")
    counts = {}
    for label, rid in (("small", small["id"]), ("large", large["id"])):
        client.get(f"/api/v1/roadmaps/{rid}")
        with count_queries() as q_api:
            assert client.get(f"/api/v1/roadmaps/{rid}").status_code == 200
        with count_queries() as q_page:
            assert page.get(f"/roadmaps/{rid}").status_code == 200
        counts[label] = (len(q_api), len(q_page))
    assert counts["small"] == counts["large"], counts
    assert counts["large"][0] <= 8, counts


def test_exports(rt, as_user, world, actor):
    rid = _import(rt, actor, world, big_roadmap(12))["id"]
    c = as_user("director1")
    r = c.get(f"/roadmaps/{rid}/export.xlsx")
    assert r.status_code == 200
    sheet = load_workbook(io.BytesIO(r.data)).active
    assert any("Мероприятие 3" == (row[1] or "") for row in sheet.iter_rows(values_only=True))
    r = c.get(f"/roadmaps/{rid}/export.docx")
    assert r.status_code == 200
    text = "\n".join(cell.text for t in Docx(io.BytesIO(r.data)).tables for row in t.rows
                     for cell in row.cells)
    assert "Мероприятие 11" in text
    assert as_user("admin2").get(f"/roadmaps/{rid}/export.docx").status_code == 404


def _events(ics: str) -> list[dict]:
    assert ics.startswith("BEGIN:VCALENDAR\r\n") and ics.endswith("END:VCALENDAR\r\n")
    assert all(len(line.encode()) <= 75 for line in ics.split("\r\n"))
    unfolded = ics.replace("\r\n ", "")
    events, current = [], None
    for line in unfolded.split("\r\n"):
        if line == "BEGIN:VEVENT":
            current = {}
        elif line == "END:VEVENT":
            events.append(current)
            current = None
        elif current is not None and ":" in line:
            key, value = line.split(":", 1)
            current[key] = value
    return events


def test_calendar_feeds(rt, as_user, world, actor, app):
    today = clock.today()
    data = roadmap_to_docx({"title": "ДК", "sections": [{"number": "1", "title": "Р"}], "items": [
        {"number": "1.1", "section": "1", "activity": "Длинное мероприятие; с запятой, "
         "точкой с запятой и переносом\nстроки — " + "очень " * 20,
         "deadline_text": f"до {today + timedelta(days=10):%d.%m.%Y}",
         "responsible_text": "кураторы"},
        {"number": "1.2", "section": "1", "activity": "Ежегодный отчёт",
         "deadline_text": "ежегодно до 15.10", "responsible_text": "кураторы"},
        {"number": "1.3", "section": "1", "activity": "Для директора",
         "deadline_text": f"до {today + timedelta(days=5):%d.%m.%Y}",
         "responsible_text": "Директор ОУ"},
    ]})
    _import(rt, actor, world, data, ((today - timedelta(days=400)).isoformat(),
                                     (today + timedelta(days=400)).isoformat()))
    c = as_user("curator1")
    r = c.get("/roadmaps/calendar.ics")
    assert r.status_code == 200 and r.headers["Content-Type"].startswith("text/calendar")
    events = _events(r.get_data(as_text=True))
    starts = sorted(e["DTSTART;VALUE=DATE"] for e in events)
    assert f"{today + timedelta(days=10):%Y%m%d}" in starts
    assert f"{today + timedelta(days=5):%Y%m%d}" not in starts  # the director's item
    assert sum(1 for e in events if e["SUMMARY"].startswith("1.2")) == 2  # each occurrence
    first = next(e for e in events if e["SUMMARY"].startswith("1.1"))
    assert "\\;" in first["SUMMARY"] and "\\," in first["SUMMARY"] and "\\n" in first["SUMMARY"]
    assert len({e["UID"] for e in events}) == len(events)
    # the tokenised link works without a session and stops after revocation
    token = calendar_feed.issue_token(rt, actor("curator1"))
    anon = app.test_client()
    r = anon.get(f"/roadmaps/calendar/{token}.ics")
    assert r.status_code == 200 and r.get_data(as_text=True).count("BEGIN:VEVENT") == len(events)
    assert anon.get("/roadmaps/calendar.ics").status_code in (302, 401)
    calendar_feed.revoke_tokens(rt, actor("curator1"))
    assert anon.get(f"/roadmaps/calendar/{token}.ics").status_code == 404
    assert anon.get("/roadmaps/calendar/nonsense.ics").status_code == 404
    # issuing through the page shows the link once
    page = c.post("/roadmaps/calendar/token", data={"csrf_token": csrf_of(c, "/roadmaps/")})
    url = re.search(r"/roadmaps/calendar/([A-Za-z0-9_-]+)\.ics", page.get_data(as_text=True))
    assert url and anon.get(f"/roadmaps/calendar/{url.group(1)}.ics").status_code == 200


def test_fold_never_splits_utf8():
    line = "SUMMARY:" + "ж" * 100
    folded = calendar_feed.fold(line)
    parts = folded.split("\r\n")
    assert all(len(p.encode()) <= 75 for p in parts)
    assert "".join(p[1:] if i else p for i, p in enumerate(parts)) == line


def test_my_deadlines(rt, world, actor):
    today = clock.today()
    data = roadmap_to_docx({"title": "ДК", "sections": [{"number": "1", "title": "Р"}], "items": [
        {"number": "1.1", "section": "1", "activity": "Просрочено",
         "deadline_text": f"до {today - timedelta(days=2):%d.%m.%Y}", "responsible_text": "кураторы"},
        {"number": "1.2", "section": "1", "activity": "Скоро",
         "deadline_text": f"до {today + timedelta(days=2):%d.%m.%Y}", "responsible_text": "кураторы"},
        {"number": "1.3", "section": "1", "activity": "Директору",
         "deadline_text": f"до {today + timedelta(days=1):%d.%m.%Y}", "responsible_text": "Директор"},
    ]})
    _import(rt, actor, world, data)
    with rt.db.read_session() as s:
        mine = my_items.my_deadlines(s, actor("curator1"), today, 10)
        theirs = my_items.my_deadlines(s, actor("director1"), today, 10)
        foreign = my_items.my_deadlines(s, actor("admin3"), today, 10)
    assert [d["number"] for d in mine] == ["1.1", "1.2"]
    assert mine[0]["overdue"] and mine[0]["status"] == "overdue"
    assert set(mine[0]) == {"item_id", "roadmap_id", "number", "activity", "due", "status",
                            "overdue"}
    assert [d["number"] for d in theirs] == ["1.3"]
    assert foreign == []


def test_index_page(as_user):
    c = as_user("curator1")
    html = c.get("/roadmaps/").get_data(as_text=True)
    assert "Загрузить дорожную карту" in html and "Мои сроки" in html
    assert "Загрузить дорожную карту" not in as_user("director1").get("/roadmaps/").get_data(
        as_text=True)


def roadmap_for_authz(rt, actor, world) -> dict:
    """A school1 roadmap whose first item's result is not an act (so POSTs change nothing)."""
    data = roadmap_to_docx({"title": "ДК", "sections": [{"number": "1", "title": "Р"}], "items": [
        {"number": "1.1", "section": "1", "activity": "Информирование",
         "deadline_text": "до 01.12.2026", "result_text": "Информация на сайте"}]})
    result = importing.import_roadmap(rt, actor("admin1"), org_id=world.orgs["school1"],
                                     data=data, filename="dk.docx", period_start="2026-09-01",
                                     period_end="2027-08-31")
    return {"id": result["id"], "item": result["items"][0]["id"]}


def test_officer_is_not_linked_to_a_schools_unsent_roadmap_acts(rt, as_user, world, actor):
    rid = _import(rt, actor, world, big_roadmap(3))["id"]
    links = re.compile(r'href="/documents/(\d+)"')
    director = links.findall(as_user("director1").get(f"/roadmaps/{rid}").get_data(as_text=True))
    page = as_user("officer").get(f"/roadmaps/{rid}")
    assert page.status_code == 200 and director  # the school's own people open its acts
    assert links.findall(page.get_data(as_text=True)) == []  # drafts: not the office's yet
    assert "пункт как документ" in page.get_data(as_text=True)


def test_my_deadlines_leave_out_an_item_whose_report_is_confirmed(rt, world, actor):
    """An item backed by its document is done once the report is approved: «Мои сроки» and
    the calendar feed no longer list it as overdue (they read its status as the roadmap's
    page does)."""
    today = clock.today()
    data = roadmap_to_docx({"title": "ДК", "sections": [{"number": "1", "title": "Р"}], "items": [
        {"number": "1.1", "section": "1", "activity": "Сделано",
         "deadline_text": f"до {today - timedelta(days=5):%d.%m.%Y}", "responsible_text": "кураторы"},
        {"number": "1.2", "section": "1", "activity": "Не сделано",
         "deadline_text": f"до {today - timedelta(days=4):%d.%m.%Y}", "responsible_text": "кураторы"},
    ]})
    result = _import(rt, actor, world, data)
    done = next(i for i in result["items"] if i["number"] == "1.1")
    item_work.add_evidence(rt, actor("curator1"), result["id"], done["id"], done=True,
                           text="Выполнено: протокол приложен.")
    apply_event(rt, done["document_id"], "approve", actor("director1"))
    with rt.db.read_session() as s:
        mine = my_items.my_deadlines(s, actor("curator1"), today, 10)
        page = [i for i in reading.load_roadmap(s, actor("curator1"), result["id"], today)[
            "items"] if i["number"] == "1.1"]
    assert page[0]["status"] == "done"
    assert [(d["number"], d["status"]) for d in mine] == [("1.2", "overdue")]
