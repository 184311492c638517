"""Registration journals per organisation: title, suffix, kinds, next number; a change is
logged; signing numbers documents from the configured journal; numbers restart each year."""

from __future__ import annotations

from sqlalchemy import select

from documents.models import AdminLogEntry, Document
from workflow import clock
from workflow.engine import journal


def test_defaults_then_put_suffix_and_next_number_drive_signing(api, world, rt, make_doc):
    school1 = world.orgs["school1"]
    director = api.as_("director1")
    listed = director.get(f"/api/v1/journals?org_id={school1}").get_json()
    od = next(j for j in listed if j["code"] == "od")
    assert od["suffix"] == "-од" and "order" in od["kinds"] and od["next_number"] == 1
    resp = director.put(f"/api/v1/journals?org_id={school1}", json=[
        {"code": "od", "title": "Приказы по основной деятельности", "suffix": "/1",
         "kinds": od["kinds"], "next_number": 45}])
    assert resp.status_code == 200, resp.get_json()
    assert next(j for j in resp.get_json() if j["code"] == "od")["next_number"] == 45
    doc_id = make_doc("signed")
    with rt.db.read_session() as s:
        assert s.get(Document, doc_id).registration_number == "45/1"
        entry = s.scalars(select(AdminLogEntry).where(AdminLogEntry.object_kind == "journal")
                          ).one()
        assert entry.org_id == school1 and entry.actor_name == "Пользователь director1"
        assert entry.details["suffix"] == "-од → /1"
    lower = director.put(f"/api/v1/journals?org_id={school1}", json=[
        {"code": "od", "title": "Приказы", "suffix": "/1", "kinds": ["order"],
         "next_number": 3}])
    assert lower.status_code == 422 and lower.get_json()["error"]["code"] == "number_in_use"
    # a new year starts again from 1 with the same suffix
    with rt.db.write_session() as s:
        assert journal.next_number(s, school1, clock.today().year + 1, "od") == "1/1"


def test_a_kind_moved_to_another_journal_is_numbered_there(api, world, rt, make_doc):
    school1 = world.orgs["school1"]
    admin = api.as_("sysadmin")
    resp = admin.put(f"/api/v1/journals?org_id={school1}", json=[
        {"code": "ls", "title": "Приказы по личному составу", "suffix": "-лс",
         "kinds": ["order"], "next_number": 12}])
    assert resp.status_code == 200
    by_code = {j["code"]: j for j in resp.get_json()}
    assert "order" in by_code["ls"]["kinds"] and "order" not in by_code["od"]["kinds"]
    with rt.db.read_session() as s:
        assert s.get(Document, make_doc("signed")).registration_number == "12-лс"
    bad = admin.put(f"/api/v1/journals?org_id={school1}", json=[
        {"code": "od", "title": "X", "suffix": "-од", "kinds": ["nonsense"]}])
    assert bad.status_code == 400
    assert api.as_("admin1").put(f"/api/v1/journals?org_id={school1}", json=[
        {"code": "od", "title": "X", "suffix": "-од", "kinds": []}]).status_code == 403
