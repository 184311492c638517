"""Roadmaps through the API: the samples import to exactly their expected items, broken
files are refused naming the row and the cell, statuses derive, one-click acts."""

from __future__ import annotations

import io
import json
from datetime import date, timedelta

import pytest
from sqlalchemy import func, select

from documents.models import Document, Roadmap, RoadmapItem
from documents.roadmaps.export import roadmap_to_docx, roadmap_to_xlsx
from tests.samples import (
    OWN_ROADMAPS,
    own_roadmap_bytes,
    phrase_files,
    roadmap_dir,
    roadmap_periods,
)
from workflow import clock

PERIODS = roadmap_periods()
OWN, OWN_PERIOD = next(iter(OWN_ROADMAPS)), next(iter(OWN_ROADMAPS.values()))


def upload(client, org_id, data: bytes, name: str, period=("2026-09-01", "2027-08-31")):
    return client.post("/api/v1/roadmaps/import", data={
        "org_id": str(org_id), "period_start": period[0], "period_end": period[1],
        "file": (io.BytesIO(data), name)}, content_type="multipart/form-data")


def _count(rt, model) -> int:
    with rt.db.read_session() as s:
        return s.scalar(select(func.count()).select_from(model))


@pytest.mark.parametrize("stem", sorted(PERIODS))
@pytest.mark.parametrize("ext", ["docx", "xlsx"])
def test_samples_import_to_expected_items(api, world, stem, ext):
    folder = roadmap_dir(stem)
    expected = json.loads((folder / f"{stem}.expected.json").read_text())
    resp = upload(api.as_("curator1"), world.orgs["school1"],
                  (folder / f"{stem}.{ext}").read_bytes(), f"{stem}.{ext}", PERIODS[stem])
    assert resp.status_code == 201, resp.get_json()
    body = resp.get_json()
    got = [{k: i[k] for k in ("number", "activity", "deadline_text")} for i in body["items"]]
    assert got == [{k: i[k] for k in ("number", "activity", "deadline_text")}
                   for i in expected["items"]]
    assert all(i["deadline"]["text"] == i["deadline_text"] for i in body["items"])
    assert isinstance(body["warnings"], list)
    rm = api.as_("director1").get(f"/api/v1/roadmaps/{body['id']}").get_json()
    assert [s["number"] for s in rm["sections"]] == expected["sections"]
    assert set(rm) == {"id", "org_id", "title", "period_start", "period_end", "sections", "items"}
    assert set(rm["items"][0]) == {"id", "number", "section", "activity", "deadline_text",
                                   "deadline", "responsible_text", "result_text", "status",
                                   "document_ids", "document_id", "state"}
    assert rm["items"][0]["state"] == "draft" and rm["items"][0]["document_id"]
    assert rm["period_start"] == PERIODS[stem][0]
    # the roadmap document with its table in the snapshot
    docs = api.as_("curator1").get("/api/v1/documents?kind=roadmap").get_json()["items"]
    assert len(docs) == 1 and docs[0]["fields"]["roadmap_id"] == body["id"]


def test_deadline_dates_are_stored(rt, api, world):
    data = roadmap_to_docx({"title": "ДК", "sections": [{"number": "1", "title": "Раздел"}],
                            "items": [{"number": "1.1", "section": "1", "activity": "Приказ",
                                       "deadline_text": "до 01.10.2026"},
                                      {"number": "1.2", "section": "1", "activity": "Отчёт",
                                       "deadline_text": "Ежегодно до 15.10"}]})
    body = upload(api.as_("admin1"), world.orgs["school1"], data, "dk.docx").get_json()
    with rt.db.read_session() as s:
        items = s.scalars(select(RoadmapItem).where(RoadmapItem.roadmap_id == body["id"])
                          .order_by(RoadmapItem.position)).all()
        assert items[0].due == date(2026, 10, 1) and items[0].deadline["kind"] == "date"
        assert items[1].deadline["kind"] == "recurring"
        assert items[1].deadline["occurrences"] == ["2026-10-15"]


def test_warnings_not_rejections(api, world):
    data = roadmap_to_xlsx({"title": "ДК", "sections": [{"number": "1", "title": "Раздел"}],
                            "items": [{"number": "1.1", "section": "1", "activity": "Позже",
                                       "deadline_text": "до 01.03.2027"},
                                      {"number": "1.2", "section": "1", "activity": "Раньше",
                                       "deadline_text": "до 01.10.2026"},
                                      {"number": "1.2", "section": "1", "activity": "Дубль",
                                       "deadline_text": "до 01.10.2030"}]})
    resp = upload(api.as_("admin1"), world.orgs["school1"], data, "dk.xlsx")
    assert resp.status_code == 201
    messages = " ".join(w["message"] for w in resp.get_json()["warnings"])
    assert "не по порядку дат" in messages
    assert "вне периода" in messages
    assert "повторяется" in messages


def test_broken_date_refused_naming_row_and_cell_nothing_written(rt, api, world):
    data = roadmap_to_docx({"title": "ДК", "sections": [{"number": "1", "title": "Раздел"}],
                            "items": [{"number": "1.1", "section": "1", "activity": "Дело",
                                       "deadline_text": "до 01.10.2026"},
                                      {"number": "1.2", "section": "1", "activity": "Дело 2",
                                       "deadline_text": "до 31.02.2027"}]})
    resp = upload(api.as_("admin1"), world.orgs["school1"], data, "dk.docx")
    assert resp.status_code == 422
    err = resp.get_json()["error"]
    assert err["code"] == "roadmap_invalid_date"
    assert "Строка" in err["message"] and "«Сроки»" in err["message"]
    assert "31.02.2027" in err["message"]
    assert _count(rt, Roadmap) == 0 and _count(rt, RoadmapItem) == 0
    assert _count(rt, Document) == 0


@pytest.mark.parametrize("data,name,status", [
    (b"PK\x03\x04 broken zip", "dk.docx", 422),
    (b"just text", "dk.docx", 422),
    (b"", "dk.docx", 400),
])
def test_broken_files(rt, api, world, data, name, status):
    resp = upload(api.as_("admin1"), world.orgs["school1"], data, name)
    assert resp.status_code == status
    assert resp.get_json()["error"]["message"]
    assert _count(rt, Roadmap) == 0


def test_bad_period(api, world):
    data, _ = own_roadmap_bytes()
    client = api.as_("admin1")
    assert upload(client, world.orgs["school1"], data, "a.docx", ("2026-13-01", "2027-01-01")
                  ).status_code == 400
    assert upload(client, world.orgs["school1"], data, "a.docx", ("2027-09-01", "2026-01-01")
                  ).status_code == 422


def test_huge_file_413(api, world):
    resp = upload(api.as_("admin1"), world.orgs["school1"], b"PK" + b"0" * (11 * 1024 * 1024),
                  "big.docx")
    assert resp.status_code == 413
    assert resp.get_json()["error"]["code"] == "file_too_large"


def test_who_may_import(api, world):
    data, _ = own_roadmap_bytes()
    assert upload(api.as_("director1"), world.orgs["school1"], data, "a.docx").status_code == 403
    assert upload(api.as_("admin3"), world.orgs["school1"], data, "a.docx").status_code == 404
    assert upload(api.as_("officer"), world.orgs["school1"], data, "a.docx").status_code == 403
    assert upload(api.as_("officer"), world.orgs["muni"], data, "a.docx").status_code == 201


def test_foreign_roadmap_is_404(api, world):
    data, _ = own_roadmap_bytes()
    rid = upload(api.as_("admin1"), world.orgs["school1"], data, "a.docx").get_json()["id"]
    assert api.as_("admin3").get(f"/api/v1/roadmaps/{rid}").status_code == 404
    assert api.as_("officer2").get(f"/api/v1/roadmaps/{rid}").status_code == 404
    assert api.as_("auditor").get(f"/api/v1/roadmaps/{rid}").status_code == 200


def _small(api, world, items, org="school1", user="admin1"):
    data = roadmap_to_docx({"title": "ДК", "sections": [{"number": "1", "title": "Раздел"}],
                            "items": [dict(i, section="1") for i in items]})
    body = upload(api.as_(user), world.orgs[org], data, "dk.docx").get_json()
    return body["id"], {i["number"]: i for i in body["items"]}


def test_statuses_derive(api, world, make_doc):
    past = (clock.today() - timedelta(days=5)).strftime("%d.%m.%Y")
    future = (clock.today() + timedelta(days=40)).strftime("%d.%m.%Y")
    rid, items = _small(api, world, [
        {"number": "1.1", "activity": "Положение", "deadline_text": f"до {past}",
         "result_text": "Положение о наставничестве"},
        {"number": "1.2", "activity": "Отчёт", "deadline_text": f"до {past}"},
        {"number": "1.3", "activity": "План", "deadline_text": f"до {future}"},
        {"number": "1.4", "activity": "Сайт", "deadline_text": f"до {future}"},
    ])
    assert items["1.1"]["status"] == "overdue" and items["1.2"]["status"] == "overdue"
    assert items["1.3"]["status"] == "planned"
    make_doc("accepted", roadmap_item_id=items["1.1"]["id"])
    make_doc("draft", roadmap_item_id=items["1.3"]["id"])
    client = api.as_("curator1")
    resp = client.post(f"/api/v1/roadmaps/{rid}/items/{items['1.4']['id']}/evidence",
                       json={"comment": "Размещено на сайте", "done": True})
    # a note marked done is the execution report: submitted, done once confirmed
    assert resp.status_code == 201 and resp.get_json()["status"] == "in_progress"
    assert resp.get_json()["state"] == "on_approval"
    got = {i["number"]: i for i in client.get(f"/api/v1/roadmaps/{rid}").get_json()["items"]}
    # an accepted act linked to an item is evidence, not the confirmation itself
    assert got["1.1"]["status"] == "overdue" and len(got["1.1"]["document_ids"]) == 1
    assert got["1.2"]["status"] == "overdue"
    assert got["1.3"]["status"] == "in_progress"
    assert api.as_("director1").fire(got["1.4"]["document_id"], "approve").status_code == 200
    got = {i["number"]: i for i in client.get(f"/api/v1/roadmaps/{rid}").get_json()["items"]}
    assert got["1.4"]["status"] == "done" and got["1.4"]["state"] == "approved"
    assert api.as_("director1").post(
        f"/api/v1/roadmaps/{rid}/items/{items['1.2']['id']}/evidence",
        json={"comment": "x", "done": True}).status_code == 403
    assert client.post(f"/api/v1/roadmaps/{rid}/items/{items['1.2']['id']}/evidence",
                       json={"comment": "", "done": True}).status_code == 400


def test_one_click_document(api, world):
    due = (clock.today() + timedelta(days=60)).strftime("%d.%m.%Y")
    rid, items = _small(api, world, [
        {"number": "1.1", "activity": "Разработка положения", "deadline_text": f"до {due}",
         "result_text": "Положение о наставничестве"},
        {"number": "1.2", "activity": "Издание приказа о внедрении ЦМН",
         "deadline_text": f"до {due}", "result_text": "Приказ ОО"},
        {"number": "1.3", "activity": "Стимулирование", "deadline_text": f"до {due}",
         "result_text": "Положение о мотивации наставников"},
        {"number": "1.4", "activity": "Информирование", "deadline_text": f"до {due}",
         "result_text": "Информация на сайте"},
    ])
    client = api.as_("curator1")
    url = f"/api/v1/roadmaps/{rid}/items/{{}}/documents"
    resp = client.post(url.format(items["1.1"]["id"]))
    assert resp.status_code == 201, resp.get_json()
    doc = resp.get_json()
    assert doc["kind"] == "regulation" and doc["state"] == "draft"
    assert client.post(url.format(items["1.2"]["id"])).get_json()["kind"] == "order"
    assert client.post(url.format(items["1.3"]["id"])).get_json()["kind"] == "incentive_scheme"
    assert client.post(url.format(items["1.4"]["id"])).status_code == 422
    assert client.post(url.format(items["1.1"]["id"])).status_code == 409
    got = {i["number"]: i for i in client.get(f"/api/v1/roadmaps/{rid}").get_json()["items"]}
    assert got["1.1"]["document_ids"] == [doc["id"]]
    assert got["1.1"]["status"] == "in_progress"
    assert api.as_("director1").post(url.format(items["1.2"]["id"])).status_code == 403


def test_deadline_parse_endpoint(api, app):
    client = api.as_("director1")
    resp = client.post("/api/v1/deadlines/parse",
                       json={"text": "до 30 октября 2020 г.", "period": ["2020-06-01", "2021-05-31"]})
    assert resp.status_code == 200
    assert resp.get_json() == {"text": "до 30 октября 2020 г.", "kind": "date", "start": None,
                               "due": "2020-10-30", "occurrences": []}
    assert client.post("/api/v1/deadlines/parse",
                       json={"text": "май", "period": ["2020-06-01"]}).status_code == 400
    assert client.post("/api/v1/deadlines/parse",
                       json={"text": "май", "period": ["x", "2021-01-01"]}).status_code == 400
    assert app.test_client().post("/api/v1/deadlines/parse",
                                  json={"text": "май", "period": ["2020-06-01", "2021-05-31"]}
                                  ).status_code == 401


def test_phrases_through_the_api(api):
    cases = [c for f in phrase_files() for c in json.loads(f.read_text())["cases"]]
    client = api.as_("curator1")
    for case in cases:
        got = client.post("/api/v1/deadlines/parse",
                          json={"text": case["text"], "period": case["period"]}).get_json()
        assert got["kind"] == case["kind"], case
        if "due" in case:
            assert got["due"] == case["due"], case


def test_roadmap_document_docx_has_the_table(rt, api, world):
    from documents.models import DocumentVersion
    from workflow.files import rendering

    data, _ = own_roadmap_bytes()
    body = upload(api.as_("admin1"), world.orgs["school1"], data, "a.docx", OWN_PERIOD).get_json()
    with rt.db.read_session() as s:
        doc = s.get(Document, body["document_id"])
        version = s.scalar(select(DocumentVersion).where(DocumentVersion.document_id == doc.id))
        snap = rendering.snapshot(s, doc, version)
        assert len(snap["roadmap"]["items"]) == 7
        from docx import Document as Docx

        rendered = Docx(io.BytesIO(rendering.render_version(s, doc, version)))
    text = "\n".join(c.text for t in rendered.tables for r in t.rows for c in r.cells)
    assert "Анкетирование обучающихся и педагогов" in text
