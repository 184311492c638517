"""The municipal roadmap carried out by schools: the officer's item × school matrix, a
school's report on one item (drill-down), and the XLSX of the matrix.

The matrix costs a constant number of queries whatever the number of items and schools:
the roadmap, its items, its schools, and every school's copy in one query.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import String, select, type_coerce
from sqlalchemy.orm import Session

from documents.models import Document, EvidenceFile, Organization, OrgKind, RoadmapItem
from workflow import clock
from workflow.engine.permissions import Actor, may_read
from workflow.errors import NotFound
from workflow.roadmaps.items import names_schools
from workflow.roadmaps.reading import state_value, visible_roadmap
from workflow.roadmaps.status import STATUS_RU, doc_status

#: The cell of a school that has not got the item at all (added after the import).
MISSING = "missing"
COLOURS = {"done": "green", "in_progress": "yellow", "overdue": "red", "planned": "grey",
           MISSING: "grey"}


def progress(session: Session, actor: Actor, roadmap_id: int,
             today: date | None = None) -> dict:
    """``GET /roadmaps/{id}/progress``: ``{"items": [{"item_id", "number", "activity",
    "due", "schools": [{"org_id", "status", "state"}], "done", "total"}]}`` plus, for the
    page, the schools with their counts."""
    today = today or clock.today()
    roadmap, org_kind, org_name, _parent = visible_roadmap(session, actor, roadmap_id)
    if org_kind is not OrgKind.municipality:
        raise NotFound("Дорожная карта не муниципальная: школ у неё нет.",
                       code="roadmap_not_municipal")
    items = session.execute(
        select(RoadmapItem.id, RoadmapItem.number, RoadmapItem.activity, RoadmapItem.due,
               RoadmapItem.responsible_text).where(RoadmapItem.roadmap_id == roadmap_id)
        .order_by(RoadmapItem.position)).all()
    schools = session.execute(
        select(Organization.id, Organization.short_name)
        .where(Organization.parent_id == roadmap.org_id, Organization.kind == OrgKind.school)
        .order_by(Organization.short_name, Organization.id)).all()
    cells: dict[tuple[int, int], dict] = {}
    for item_id, org_id, doc_id, state, due, sent in session.execute(
            select(Document.assignment_of, Document.org_id, Document.id,
                   type_coerce(Document.state, String), Document.due,
                   Document.sent_at.is_not(None))
            .join(RoadmapItem, RoadmapItem.id == Document.assignment_of)
            .where(RoadmapItem.roadmap_id == roadmap_id)).tuples():
        cells[(item_id, org_id)] = {
            "state": state, "document_id": doc_id, "sent": bool(sent),
            "status": doc_status(state=state, assigned=True, due=due, start=None, today=today)}
    school_ids = [s.id for s in schools]
    per_school = {sid: {"done": 0, "total": 0, "overdue": 0} for sid in school_ids}
    out_items = []
    for item in items:
        if not names_schools(item.responsible_text):
            continue
        row, done, total = [], 0, 0
        for sid in school_ids:
            cell = cells.get((item.id, sid))
            if cell is None:
                row.append({"org_id": sid, "status": MISSING, "state": None,
                            "document_id": None, "sent": False})
                continue
            status = cell["status"]
            total += 1
            counts = per_school[sid]
            counts["total"] += 1
            if status == "done":
                done += 1
                counts["done"] += 1
            elif status == "overdue":
                counts["overdue"] += 1
            cell["org_id"] = sid
            row.append(cell)
        out_items.append({"item_id": item.id, "number": item.number,
                          "activity": item.activity,
                          "due": item.due.isoformat() if item.due else None,
                          "schools": row, "done": done, "total": total})
    return {"roadmap_id": roadmap.id, "title": roadmap.title, "org_name": org_name,
            "items": out_items,
            "schools": [{"org_id": s.id, "name": s.short_name, **per_school[s.id]}
                        for s in schools]}


def to_api(view: dict) -> dict:
    return {"items": [{**{k: i[k] for k in ("item_id", "number", "activity", "due", "done",
                                            "total")},
                       "schools": [{k: c[k] for k in ("org_id", "status", "state")}
                                   for c in i["schools"]]} for i in view["items"]]}


def school_report(session: Session, actor: Actor, roadmap_id: int, item_id: int,
                  org_id: int, today: date | None = None) -> dict:
    """One school's copy of a municipal item: its report text, notes, evidence files and
    history state — what the officer opens from a matrix cell."""
    today = today or clock.today()
    roadmap, org_kind, _name, _parent = visible_roadmap(session, actor, roadmap_id)
    doc = session.scalar(select(Document).join(RoadmapItem, RoadmapItem.id == Document.assignment_of)
                         .where(Document.assignment_of == item_id, Document.org_id == org_id,
                                RoadmapItem.roadmap_id == roadmap_id))
    if doc is None or org_kind is not OrgKind.municipality:
        raise NotFound("Отчёт школы по этому пункту не найден.", code="report_not_found")
    files = session.execute(select(EvidenceFile.id, EvidenceFile.filename, EvidenceFile.size,
                                   EvidenceFile.mime).where(EvidenceFile.document_id == doc.id)
                            .order_by(EvidenceFile.id)).all()
    state = state_value(doc.state)
    status = doc_status(state=state, assigned=True, due=doc.due, start=None, today=today)
    if not may_read(actor, doc):  # the officer sees a report once the school sent it
        files, fields = [], {}
    else:
        fields = doc.fields or {}
    return {"document_id": doc.id, "org_id": org_id, "org_name": doc.organization.short_name,
            "title": doc.title, "state": state, "status": status, "status_ru": STATUS_RU[status],
            "report": fields.get("report", ""), "notes": fields.get("notes", []),
            "due": doc.due, "readable": may_read(actor, doc),
            "sent": doc.sent_at is not None,
            "files": [dict(f._mapping) for f in files], "roadmap_title": roadmap.title}


def progress_xlsx(view: dict) -> bytes:
    from documents.roadmaps.progress_xlsx import progress_to_xlsx

    return progress_to_xlsx(view, STATUS_RU)


def municipal_execution(session: Session, actor: Actor, municipality_id: int,
                        today: date | None = None) -> list[dict]:
    """Each municipal roadmap's execution by school, for the analytical report:
    ``[{"title", "items_total", "items_done", "schools": [{"name", "done", "total",
    "overdue"}]}]`` (only roadmaps with items the schools carry out)."""
    from documents.models import Roadmap

    out = []
    for rid in session.scalars(select(Roadmap.id).where(Roadmap.org_id == municipality_id)
                               .order_by(Roadmap.id)):
        view = progress(session, actor, rid, today)
        if not view["items"]:
            continue
        out.append({"title": view["title"], "items_total": len(view["items"]),
                    "items_done": sum(1 for i in view["items"]
                                      if i["total"] and i["done"] == i["total"]),
                    "schools": [{k: s[k] for k in ("name", "done", "total", "overdue")}
                                for s in view["schools"]]})
    return out
