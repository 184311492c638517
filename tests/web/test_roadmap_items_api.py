"""Every roadmap item is a document: a school's item goes draft → submit → approve by the
curator or director (or back with a remark, then again); a school's copy of a municipal
item goes on to the municipality like an act (return once, then accept); evidence files are
checked by content; acts are linked to items."""

from __future__ import annotations

import io
import zipfile
from datetime import timedelta

from documents.roadmaps.export import roadmap_to_docx
from workflow import clock

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
PDF = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def _d(days: int) -> str:
    return (clock.today() + timedelta(days=days)).strftime("%d.%m.%Y")


def _period() -> tuple[str, str]:
    today = clock.today()
    return (today - timedelta(days=30)).isoformat(), (today + timedelta(days=300)).isoformat()


def import_roadmap(client, org_id, items, title="ДК") -> dict:
    data = roadmap_to_docx({"title": title, "sections": [{"number": "1", "title": "Раздел"}],
                            "items": [dict(i, section="1") for i in items]})
    start, end = _period()
    resp = client.post(f"/api/v1/roadmaps/import?org_id={org_id}",
                       data={"file": (io.BytesIO(data), "dk.docx"), "period_start": start,
                             "period_end": end}, content_type="multipart/form-data")
    assert resp.status_code == 201, resp.get_json()
    return resp.get_json()


def items_of(client, rid) -> dict:
    return {i["number"]: i for i in client.get(f"/api/v1/roadmaps/{rid}").get_json()["items"]}


def report(client, doc_id, text="Выполнено: проведено совещание, протокол приложен."):
    doc = client.get(f"/api/v1/documents/{doc_id}").get_json()
    fields = dict(doc["fields"], report=text)
    resp = client.patch(f"/api/v1/documents/{doc_id}",
                        json={"lock_version": doc["lock_version"], "fields": fields})
    assert resp.status_code == 200, resp.get_json()


def upload(client, doc_id, data, name):
    return client.post(f"/api/v1/documents/{doc_id}/evidence",
                       data={"file": (io.BytesIO(data), name)},
                       content_type="multipart/form-data")


def test_school_item_chain_every_role_with_return_and_resubmission(api, world):
    rid = import_roadmap(api.as_("admin1"), world.orgs["school1"], [
        {"number": "1.1", "activity": "Совещание", "deadline_text": f"до {_d(20)}",
         "responsible_text": "кураторы"}])["id"]
    item = items_of(api.as_("curator1"), rid)["1.1"]
    doc_id = item["document_id"]
    assert item["state"] == "draft" and item["status"] == "planned"
    doc = api.as_("admin1").get(f"/api/v1/documents/{doc_id}").get_json()
    assert doc["kind"] == "roadmap_item" and doc["title"] == "Совещание"
    assert doc["fields"]["number"] == "1.1" and doc["due"]
    assert doc["available_events"] == ["submit"]
    # without a report nothing goes for confirmation
    assert api.as_("admin1").fire(doc_id, "submit").status_code == 422
    report(api.as_("admin1"), doc_id)
    for user in ("director1", "officer", "auditor"):
        assert api.as_(user).fire(doc_id, "submit", lock_version=0).status_code in (403, 404), user
    assert api.as_("admin3").get(f"/api/v1/documents/{doc_id}").status_code == 404
    assert api.as_("admin1").fire(doc_id, "submit").status_code == 200
    assert items_of(api.as_("admin1"), rid)["1.1"]["status"] == "in_progress"
    # the author cannot confirm; the director returns it with a remark
    assert api.as_("admin1").fire(doc_id, "approve").status_code == 403
    assert api.as_("director1").fire(doc_id, "reject").status_code == 422  # remark needed
    assert api.as_("director1").fire(doc_id, "reject", "Приложите протокол").status_code == 200
    assert api.as_("admin1").get(f"/api/v1/documents/{doc_id}").get_json()["state"] == "draft"
    # resubmitted with evidence, confirmed by the curator: done, never signed or numbered
    assert upload(api.as_("admin1"), doc_id, PDF, "протокол.pdf").status_code == 201
    assert api.as_("curator1").fire(doc_id, "submit").status_code == 200
    assert api.as_("officer").fire(doc_id, "approve", lock_version=0).status_code in (403, 404)
    assert api.as_("curator1").fire(doc_id, "approve").status_code == 200
    doc = api.as_("director1").get(f"/api/v1/documents/{doc_id}").get_json()
    assert doc["state"] == "approved" and doc["registration_number"] is None
    assert doc["available_events"] == []
    assert api.as_("director1").fire(doc_id, "sign").status_code in (404, 422)
    assert api.as_("director1").fire(doc_id, "send_to_municipality").status_code == 422
    got = items_of(api.as_("admin1"), rid)["1.1"]
    assert got["status"] == "done" and got["state"] == "approved"
    # a document may not be created as a roadmap item directly
    resp = api.as_("admin1").post("/api/v1/documents", json={
        "kind": "roadmap_item", "org_id": world.orgs["school1"], "title": "x", "fields": {}})
    assert resp.status_code == 422


def test_responsible_person_reports_the_item(api, world):
    rid = import_roadmap(api.as_("admin1"), world.orgs["school1"], [
        {"number": "2.1", "activity": "Отчёт директора", "deadline_text": f"до {_d(20)}"}])["id"]
    doc_id = items_of(api.as_("admin1"), rid)["2.1"]["document_id"]
    # a director is no author: not until the item names them responsible
    assert api.as_("director1").fire(doc_id, "submit").status_code == 403
    doc = api.as_("admin1").get(f"/api/v1/documents/{doc_id}").get_json()
    assert api.as_("admin1").patch(f"/api/v1/documents/{doc_id}", json={
        "lock_version": doc["lock_version"],
        "responsible_id": world.users["director1"]}).status_code == 200
    report(api.as_("director1"), doc_id)
    assert api.as_("director1").fire(doc_id, "submit").status_code == 200
    assert api.as_("curator1").fire(doc_id, "approve").status_code == 200


def test_municipal_item_through_school_and_officer(api, world):
    rid = import_roadmap(api.as_("officer"), world.orgs["muni"], [
        {"number": "1", "activity": "Провести педсовет о наставничестве",
         "deadline_text": f"до {_d(25)}", "responsible_text": "Руководители ОО"},
        {"number": "2", "activity": "Свод отчётов", "deadline_text": f"до {_d(40)}",
         "responsible_text": "МКУ «Центр развития образования»"}], title="Муниципальная ДК")["id"]
    municipal = items_of(api.as_("officer"), rid)
    assert len(municipal["1"]["assignments"]) == 2 and municipal["2"]["assignments"] == []
    mine = {a["org_id"]: a["document_id"] for a in municipal["1"]["assignments"]}
    doc1, doc2 = mine[world.orgs["school1"]], mine[world.orgs["school2"]]
    # each school sees its own copy only; the school cannot see the municipal roadmap
    assert api.as_("admin2").get(f"/api/v1/documents/{doc1}").status_code == 404
    assert api.as_("admin1").get(f"/api/v1/roadmaps/{rid}").status_code == 404
    assert api.as_("officer2").get(f"/api/v1/roadmaps/{rid}/progress").status_code == 404
    # evidence files: checked by content and size
    admin = api.as_("admin1")
    assert upload(admin, doc1, b"just text pretending", "отчёт.pdf").status_code == 422
    assert upload(admin, doc1, PNG, "фото.png").status_code == 201
    assert upload(admin, doc1, PNG * (11 * 1024 * 1024 // len(PNG)), "big.png").status_code == 413
    assert upload(api.as_("admin2"), doc1, PNG, "x.png").status_code == 404
    listed = admin.get(f"/api/v1/documents/{doc1}/evidence").get_json()["items"]
    assert [f["filename"] for f in listed] == ["фото.png"] and listed[0]["mime"] == "image/png"
    report(admin, doc1)
    assert admin.fire(doc1, "submit").status_code == 200
    assert api.as_("curator1").fire(doc1, "approve").status_code == 403  # its director only
    assert api.as_("director1").fire(doc1, "approve").status_code == 200
    # not sent yet: the officer does not read the report
    assert api.as_("officer").get(f"/api/v1/documents/{doc1}").status_code == 404
    assert api.as_("director1").fire(doc1, "send_to_municipality").status_code == 200
    officer = api.as_("officer")
    assert officer.get(f"/api/v1/documents/{doc1}/evidence/{listed[0]['id']}").data == PNG
    assert api.as_("officer2").fire(doc1, "accept", lock_version=0).status_code == 404
    assert officer.fire(doc1, "return_for_revision").status_code == 422  # remark needed
    assert officer.fire(doc1, "return_for_revision", "Нет протокола").status_code == 200
    assert admin.fire(doc1, "revise").status_code == 200
    assert admin.fire(doc1, "submit").status_code == 200
    assert api.as_("director1").fire(doc1, "approve").status_code == 200
    assert api.as_("admin1").fire(doc1, "send_to_municipality").status_code == 200
    assert officer.fire(doc1, "accept").status_code == 200
    progress = officer.get(f"/api/v1/roadmaps/{rid}/progress").get_json()
    assert len(progress["items"]) == 1
    row = progress["items"][0]
    assert set(row) == {"item_id", "number", "activity", "due", "schools", "done", "total"}
    cells = {c["org_id"]: c for c in row["schools"]}
    assert cells[world.orgs["school1"]] == {"org_id": world.orgs["school1"], "status": "done",
                                            "state": "accepted"}
    assert cells[world.orgs["school2"]]["status"] == "planned"
    assert (row["done"], row["total"]) == (1, 2)
    # the municipal item is done only when every school's report is accepted
    assert items_of(officer, rid)["1"]["status"] == "in_progress"
    report(api.as_("admin2"), doc2)
    assert api.as_("admin2").fire(doc2, "submit").status_code == 200
    assert api.as_("director2").fire(doc2, "approve").status_code == 200
    assert api.as_("director2").fire(doc2, "send_to_municipality").status_code == 200
    assert officer.fire(doc2, "accept").status_code == 200
    assert items_of(officer, rid)["1"]["status"] == "done"
    xlsx = officer.get(f"/api/v1/roadmaps/{rid}/progress?format=xlsx")
    assert xlsx.status_code == 200
    with zipfile.ZipFile(io.BytesIO(xlsx.data)) as z:
        assert "xl/workbook.xml" in z.namelist()
    # the municipality's own item: the officer reports and confirms it
    own = municipal["2"]["document_id"]
    report(officer, own)
    assert officer.fire(own, "submit").status_code == 200
    assert officer.fire(own, "approve").status_code == 200
    assert items_of(officer, rid)["2"]["status"] == "done"


def test_link_an_existing_document(api, world, make_doc):
    rid = import_roadmap(api.as_("admin1"), world.orgs["school1"], [
        {"number": "1.1", "activity": "Положение", "deadline_text": f"до {_d(20)}",
         "result_text": "Положение о наставничестве"}])["id"]
    item = items_of(api.as_("admin1"), rid)["1.1"]
    doc = make_doc("draft")
    url = f"/api/v1/roadmaps/{rid}/items/{item['id']}/links"
    assert api.as_("director1").post(url, json={"document_id": doc}).status_code == 403
    assert api.as_("admin1").post(url, json={"document_id": "x"}).status_code == 400
    assert api.as_("admin1").post(url, json={"document_id": 10 ** 9}).status_code == 404
    resp = api.as_("admin1").post(url, json={"document_id": doc})
    assert resp.status_code == 200 and resp.get_json() == {"item_id": item["id"],
                                                           "document_id": doc}
    got = items_of(api.as_("admin1"), rid)["1.1"]
    assert got["document_ids"] == [doc] and got["status"] == "in_progress"
    foreign = make_doc("draft", org="school2", author="admin2")
    assert api.as_("admin1").post(url, json={"document_id": foreign}).status_code == 404


def test_link_page_and_progress_pages(api, world, make_doc, as_user):
    rid = import_roadmap(api.as_("admin1"), world.orgs["school1"], [
        {"number": "1.1", "activity": "Положение", "deadline_text": f"до {_d(20)}"}])["id"]
    item = items_of(api.as_("admin1"), rid)["1.1"]
    doc = make_doc("draft")
    page = as_user("admin1")
    shown = page.get(f"/roadmaps/{rid}").get_data(as_text=True)
    assert 'data-test="link-document"' in shown and f'value="{doc}"' in shown
    page.post(f"/roadmaps/{rid}/items/{item['id']}/link",
              data={"document_id": str(doc), "csrf_token": _csrf(page, f"/roadmaps/{rid}")})
    assert items_of(api.as_("admin1"), rid)["1.1"]["document_ids"] == [doc]
    # the municipal progress page and its XLSX; a school's roadmap has no such page
    mid = import_roadmap(api.as_("officer"), world.orgs["muni"], [
        {"number": "1", "activity": "Педсовет", "deadline_text": f"до {_d(20)}",
         "responsible_text": "ОО"}], title="МДК")["id"]
    officer = as_user("officer")
    html = officer.get(f"/roadmaps/{mid}/progress").get_data(as_text=True)
    assert 'data-test="progress-matrix"' in html and html.count('data-colour="grey"') == 2
    assert officer.get(f"/roadmaps/{mid}/progress.xlsx").status_code == 200
    assert officer.get(f"/roadmaps/{rid}/progress").status_code == 404
    assert as_user("admin1").get(f"/roadmaps/{mid}/progress").status_code == 404


def _csrf(client, url: str) -> str:
    import re

    html = client.get(url).get_data(as_text=True)
    found = re.search(r'name="csrf_token" value="([^"]+)"', html)
    return found.group(1) if found else ""


def test_an_item_whose_act_is_in_force_asks_to_be_marked_done(api, world, make_doc, as_user):
    rid = import_roadmap(api.as_("admin1"), world.orgs["school1"], [
        {"number": "1.1", "activity": "Издание приказа", "deadline_text": f"до {_d(-3)}",
         "result_text": "Приказ о внедрении"}])["id"]
    item = items_of(api.as_("admin1"), rid)["1.1"]
    order = make_doc("accepted")
    url = f"/api/v1/roadmaps/{rid}/items/{item['id']}/links"
    assert api.as_("admin1").post(url, json={"document_id": order}).status_code == 200
    page = as_user("admin1")
    row = _item_row(page.get(f"/roadmaps/{rid}").get_data(as_text=True), item["id"])
    assert 'data-status="overdue"' in row  # the report is still to be confirmed…
    assert "Документ по пункту вступил в силу — отметьте пункт выполненным." in row
    assert "<details class=\"mt-1\" open>" in row  # …and its form is open
    page.post(f"/roadmaps/{rid}/items/{item['id']}/evidence",
              data={"comment": "Приказ принят управлением", "done": "1",
                    "csrf_token": _csrf(page, f"/roadmaps/{rid}")})
    assert api.as_("director1").post(f"/api/v1/documents/{item['document_id']}/events/approve",
                                     json={"lock_version": _lock(api, item["document_id"])}
                                     ).status_code == 200
    row = _item_row(page.get(f"/roadmaps/{rid}").get_data(as_text=True), item["id"])
    assert 'data-status="done"' in row and "вступил в силу" not in row


def _item_row(html: str, item_id: int) -> str:
    start = html.index(f'id="item-{item_id}"')
    return html[start:html.index("</tr>", start)]


def _lock(api, doc_id: int) -> int:
    return api.as_("admin1").get(f"/api/v1/documents/{doc_id}").get_json()["lock_version"]
