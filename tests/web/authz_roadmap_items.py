"""Authorisation rows of roadmap items as documents: the new routes (progress, links,
evidence files) and the item chain — who may fire which event on a school's item, a
school's copy of a municipal item and the municipality's own item.

Events are fired with a stale lock_version: whoever may fire gets 409 and nothing changes,
so one set of objects (``item_ctx``) serves every row."""

from __future__ import annotations

from datetime import timedelta

from documents.roadmaps.export import roadmap_to_docx
from tests.web.authz_table import SCHOOL_DOC
from tests.web.authz_users import row
from workflow import clock
from workflow.engine.authoring import update_document
from workflow.engine.transition import apply_event
from workflow.roadmaps import evidence, importing, reading

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32


def _docx(items: list[dict]) -> bytes:
    due = (clock.today() + timedelta(days=30)).strftime("%d.%m.%Y")
    return roadmap_to_docx({"title": "ДК", "sections": [{"number": "1", "title": "Р"}],
                            "items": [dict(i, section="1", deadline_text=f"до {due}")
                                      for i in items]})


def _walk(rt, actor, doc_id: int, steps: list[tuple[str, str]]) -> None:
    if steps:
        with rt.db.read_session() as s:
            from documents.models import Document

            doc = s.get(Document, doc_id)
            lock, fields = doc.lock_version, dict(doc.fields)
        update_document(rt, actor(steps[0][0]), doc_id, expected_version=lock,
                        fields=dict(fields, report="Выполнено."))
    for user, event in steps:
        apply_event(rt, doc_id, event, actor(user))


def item_ctx(rt, actor, world) -> dict:
    """School1's own items (draft, on approval), school1's copies of a municipal roadmap
    (draft with a file, on approval, under municipal review) and the office's own item."""
    period = ((clock.today() - timedelta(days=10)).isoformat(),
              (clock.today() + timedelta(days=300)).isoformat())
    school = importing.import_roadmap(
        rt, actor("admin1"), org_id=world.orgs["school1"], filename="dk.docx",
        data=_docx([{"number": "1", "activity": "Отчёт"}, {"number": "2", "activity": "План"}]),
        period_start=period[0], period_end=period[1])
    muni = importing.import_roadmap(
        rt, actor("officer"), org_id=world.orgs["muni"], filename="mdk.docx",
        data=_docx([{"number": str(n), "activity": f"Пункт {n}", "responsible_text": "ОО"}
                    for n in (1, 2, 3)]
                   + [{"number": "4", "activity": "Свод", "responsible_text": "МКУ «Центр»"}]),
        period_start=period[0], period_end=period[1])
    with rt.db.read_session() as s:
        view = reading.get_roadmap(s, actor("officer"), muni["id"])
    copies = [next(a["document_id"] for a in i["assignments"]
                   if a["org_id"] == world.orgs["school1"]) for i in view["items"][:3]]
    own = school["items"]
    _walk(rt, actor, own[0]["document_id"], [("admin1", "submit")])
    _walk(rt, actor, copies[1], [("admin1", "submit")])
    _walk(rt, actor, copies[2], [("admin1", "submit"), ("director1", "approve"),
                                 ("director1", "send_to_municipality")])
    _walk(rt, actor, view["items"][3]["document_id"], [("officer", "submit")])
    file_row = evidence.add_file(rt, actor("admin1"), copies[0], data=PNG, filename="фото.png")
    return {"roadmap": muni["id"], "school_roadmap": school["id"],
            "school_item": own[0]["id"], "own_on_approval": own[0]["document_id"],
            "own_draft": own[1]["document_id"], "copy_draft": copies[0],
            "copy_on_approval": copies[1], "copy_under_review": copies[2],
            "office_on_approval": view["items"][3]["document_id"], "file": file_row["id"]}


def _i(key: str):
    return lambda c: c["items"][key]


ROADMAP_ITEM_ROWS = {
    ("GET", "/api/v1/roadmaps/<int:roadmap_id>/progress"): (
        lambda c: f"/api/v1/roadmaps/{c['items']['roadmap']}/progress", None,
        row(404, officer=200, auditor=200, sysadmin=200, head=200, anon=401)),
    ("POST", "/api/v1/roadmaps/<int:roadmap_id>/items/<int:item_id>/links"): (
        lambda c: (f"/api/v1/roadmaps/{c['items']['school_roadmap']}/items/"
                   f"{c['items']['school_item']}/links"), {"document_id": "x"},
        row(403, admin1=400, curator1=400, head=404, admin3=404, officer2=404, anon=401)),
    ("POST", "/api/v1/documents/<int:document_id>/evidence"): (
        lambda c: f"/api/v1/documents/{c['items']['copy_draft']}/evidence", None,
        dict(SCHOOL_DOC, admin1=400, curator1=400, director1=403, auditor=403, sysadmin=403)),
    ("GET", "/api/v1/documents/<int:document_id>/evidence"): (
        lambda c: f"/api/v1/documents/{c['items']['copy_draft']}/evidence", None, SCHOOL_DOC),
    ("GET", "/api/v1/documents/<int:document_id>/evidence/<int:file_id>"): (
        lambda c: f"/api/v1/documents/{c['items']['copy_draft']}/evidence/{c['items']['file']}",
        None, SCHOOL_DOC),
}

#: A school document that is not sent: the school, the muni auditor and admin read it.
_UNSENT = dict(SCHOOL_DOC)
#: (document key in item_ctx, event) → expected status per user (409 = allowed).
ITEM_CHAIN = {
    ("own_draft", "submit"): dict(_UNSENT, admin1=409, curator1=409, director1=403,
                                  auditor=403, sysadmin=403),
    ("own_on_approval", "approve"): dict(_UNSENT, admin1=403, curator1=409, director1=409,
                                         auditor=403, sysadmin=403),
    ("own_on_approval", "reject"): dict(_UNSENT, admin1=403, curator1=409, director1=409,
                                        auditor=403, sysadmin=403),
    ("copy_draft", "submit"): dict(_UNSENT, admin1=409, curator1=409, director1=403,
                                   auditor=403, sysadmin=403),
    ("copy_on_approval", "approve"): dict(_UNSENT, admin1=403, curator1=403, director1=409,
                                          auditor=403, sysadmin=403),
    ("copy_on_approval", "reject"): dict(_UNSENT, admin1=403, curator1=403, director1=409,
                                         auditor=403, sysadmin=403),
    ("copy_under_review", "accept"): dict(SCHOOL_DOC, admin1=403, curator1=403,
                                          director1=403, auditor=403, sysadmin=403,
                                          officer=409),
    ("copy_under_review", "return_for_revision"): dict(
        SCHOOL_DOC, admin1=403, curator1=403, director1=403, auditor=403, sysadmin=403,
        officer=409),
    ("office_on_approval", "approve"): row(404, officer=409, auditor=403, sysadmin=403,
                                           head=403, anon=401),
    ("office_on_approval", "reject"): row(404, officer=409, auditor=403, sysadmin=403,
                                          head=403, anon=401),
}
