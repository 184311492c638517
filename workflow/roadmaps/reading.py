"""Reading roadmaps back: one roadmap with derived statuses (a constant number of queries
whatever its size), the lists, exports, and the table in the roadmap document's DOCX."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from documents.models import (
    DocState,
    Document,
    Organization,
    OrgKind,
    Roadmap,
    RoadmapItem,
    RoadmapSection,
)
from workflow import clock
from workflow.engine.permissions import (
    Actor,
    author_roles,
    may_author,
    may_read_in,
    visible_org_ids,
)
from workflow.errors import NotFound
from workflow.files import rendering
from workflow.paging import Page, paginate
from workflow.roadmaps.status import (
    STATUS_RU,
    LinkedDoc,
    act_for,
    assigned_status,
    doc_fulfils,
    doc_status,
    item_status,
)

API_ITEM_KEYS = ("id", "number", "section", "activity", "deadline_text", "deadline",
                 "responsible_text", "result_text", "status", "document_ids", "document_id",
                 "state")


def visible_roadmap(session: Session, actor: Actor, roadmap_id: int):
    row = session.execute(
        select(Roadmap, Organization.kind, Organization.short_name, Organization.parent_id)
        .join(Organization, Organization.id == Roadmap.org_id)
        .where(Roadmap.id == roadmap_id)).first()
    if row is None or row[0].org_id not in visible_org_ids(session, actor):
        raise NotFound("Дорожная карта не найдена.", code="roadmap_not_found")
    return row


def linked_docs(session: Session, item_ids) -> dict[int, list[LinkedDoc]]:
    out: dict[int, list[LinkedDoc]] = {}
    for r in session.execute(select(Document.id, Document.kind, Document.state,
                                    Document.roadmap_item_id)
                             .where(Document.roadmap_item_id.in_(item_ids))
                             .order_by(Document.id)):
        state = r.state.value if hasattr(r.state, "value") else r.state
        out.setdefault(r.roadmap_item_id, []).append(LinkedDoc(r.id, r.kind, state))
    return out


def state_value(value) -> str | None:
    return value.value if hasattr(value, "value") else value


def assignments_of(session: Session, item_ids, today: date) -> dict[int, list[dict]]:
    """municipal item id → its schools' copies ``{"org_id", "document_id", "state",
    "status", "due", "sent"}`` by school; one query."""
    out: dict[int, list[dict]] = {}
    for r in session.execute(select(Document.assignment_of, Document.org_id, Document.id,
                                    Document.state, Document.due, Document.sent_at)
                             .where(Document.assignment_of.in_(item_ids))
                             .order_by(Document.org_id)):
        state = state_value(r.state)
        status = doc_status(state=state, assigned=True, due=r.due, start=None, today=today)
        out.setdefault(r.assignment_of, []).append(
            {"org_id": r.org_id, "document_id": r.id, "state": state, "status": status,
             "due": r.due, "sent": r.sent_at is not None})
    return out


def item_view(i, docs: list[LinkedDoc], org_kind: OrgKind, today: date,
               state: str | None = None, assignments: list[dict] | None = None) -> dict:
    if assignments:
        status = assigned_status(statuses=[a["status"] for a in assignments], due=i.due,
                                 start=i.start, today=today)
    elif state is not None:
        status = doc_status(state=state, assigned=False, due=i.due, start=i.start, today=today,
                            worked=bool(docs or i.notes))
    else:
        status = item_status(due=i.due, start=i.start, done_at=i.done_at, notes=i.notes or [],
                             docs=docs, org_kind=org_kind, today=today)
    act = act_for(i.result_text, i.activity)
    in_force = status != "done" and not assignments and any(
        d.state != DocState.cancelled.value and doc_fulfils(d.state, org_kind) for d in docs)
    return {
        "document_id": i.document_id, "state": state,
        "assignments": [{k: a[k] for k in ("org_id", "document_id", "state", "status")}
                        for a in assignments or []],
        "id": i.id, "number": i.number, "section": i.section, "activity": i.activity,
        "deadline_text": i.deadline_text, "deadline": i.deadline or {},
        "responsible_text": i.responsible_text, "result_text": i.result_text,
        "status": status, "document_ids": [d.id for d in docs],
        #: a linked act is in force, yet the item is not reported done
        "act_in_force": in_force,
        # for the pages
        "status_ru": STATUS_RU[status], "due": i.due, "start": i.start,
        "notes": i.notes or [], "done_by_name": i.done_by_name,
        "documents": [{"id": d.id, "kind": d.kind, "state": d.state} for d in docs],
        "act_kind": act[0] if act else None, "act_title": act[1] if act else None,
        "responsible_roles": i.responsible_roles or [],
        "responsible_user_ids": i.responsible_user_ids or [],
    }


def load_roadmap(session: Session, actor: Actor, roadmap_id: int,
                 today: date | None = None) -> dict:
    """The roadmap with its sections and items, statuses derived: four queries at most
    (plus one when the actor's grants reach schools), whatever the number of items."""
    today = today or clock.today()
    roadmap, org_kind, org_name, parent_id = visible_roadmap(session, actor, roadmap_id)
    sections = session.execute(select(RoadmapSection.number, RoadmapSection.title)
                               .where(RoadmapSection.roadmap_id == roadmap_id)
                               .order_by(RoadmapSection.position)).all()
    items = session.execute(select(RoadmapItem, Document.state, Document.sent_at)
                            .outerjoin(Document, Document.id == RoadmapItem.document_id)
                            .where(RoadmapItem.roadmap_id == roadmap_id)
                            .order_by(RoadmapItem.position)).all()
    item_ids = select(RoadmapItem.id).where(RoadmapItem.roadmap_id == roadmap_id).scalar_subquery()
    docs = linked_docs(session, item_ids)
    assigned = (assignments_of(session, item_ids, today)
                if org_kind is OrgKind.municipality else {})
    def opens(sent) -> bool:  # a municipal officer opens a school's act once it is sent
        return may_read_in(actor, roadmap.org_id, parent_id, sent=sent is not None)

    views = []
    for i, state, sent in items:
        view = item_view(i, docs.get(i.id, []), org_kind, today, state_value(state),
                         assigned.get(i.id))
        view["document_opens"] = bool(i.document_id) and opens(sent)
        views.append(view)
    document_opens = False
    if roadmap.document_id:  # asked of the database only for those who open sent acts only
        document_opens = opens(None) or opens(session.scalar(
            select(Document.sent_at).where(Document.id == roadmap.document_id)))
    return {
        "id": roadmap.id, "org_id": roadmap.org_id, "org_name": org_name,
        "org_kind": org_kind.value, "title": roadmap.title,
        "period_start": roadmap.period_start.isoformat(),
        "period_end": roadmap.period_end.isoformat(),
        "document_id": roadmap.document_id, "indicators": roadmap.indicators or [],
        "warnings": roadmap.warnings or [],
        "sections": [{"number": s.number, "title": s.title} for s in sections],
        "items": views, "document_opens": document_opens,
        "may_edit": bool(actor.roles_in(roadmap.org_id) & author_roles(org_kind)),
    }


def to_api_item(item: dict, municipal: bool = False) -> dict:
    out = {k: item[k] for k in API_ITEM_KEYS}
    if municipal:
        out["assignments"] = item["assignments"]
    return out


def get_roadmap(session: Session, actor: Actor, roadmap_id: int,
                today: date | None = None) -> dict:
    """``GET /roadmaps/{id}`` exactly as api.md describes it."""
    view = load_roadmap(session, actor, roadmap_id, today)
    keys = ("id", "org_id", "title", "period_start", "period_end", "sections")
    municipal = view["org_kind"] == OrgKind.municipality.value
    return {**{k: view[k] for k in keys},
            "items": [to_api_item(i, municipal) for i in view["items"]]}


def _roadmap_row(r) -> dict:
    return {"id": r.id, "org_id": r.org_id, "org_name": r.short_name, "title": r.title,
            "period_start": r.period_start.isoformat(), "period_end": r.period_end.isoformat(),
            "document_id": r.document_id}


def _roadmaps_query(session: Session, actor: Actor, org_id: int | None):
    orgs = visible_org_ids(session, actor)
    if org_id is not None:
        orgs &= {org_id}
    return (select(Roadmap.id, Roadmap.org_id, Roadmap.title, Roadmap.period_start,
                   Roadmap.period_end, Roadmap.document_id, Organization.short_name)
            .join(Organization, Organization.id == Roadmap.org_id)
            .where(Roadmap.org_id.in_(orgs)).order_by(Organization.short_name,
                                                       Roadmap.id.desc()))


def list_roadmaps(session: Session, actor: Actor, org_id: int | None = None) -> list[dict]:
    return [_roadmap_row(r) for r in session.execute(_roadmaps_query(session, actor, org_id))]


def roadmaps_page(session: Session, actor: Actor, page: int = 1, per_page: int = 50) -> Page:
    """One page of the roadmaps the actor sees (the list page)."""
    result = paginate(session, _roadmaps_query(session, actor, None), page, per_page, rows=True)
    result.items = [_roadmap_row(r) for r in result.items]
    return result


def authorable_orgs(session: Session, actor: Actor) -> list[dict]:
    """Organisations where the actor may import a roadmap (for the upload form)."""
    ids = [oid for _, oid in actor.grants]
    orgs = session.scalars(select(Organization).where(Organization.id.in_(ids))
                           .order_by(Organization.short_name)).all()
    return [{"id": o.id, "short_name": o.short_name} for o in orgs if may_author(actor, o)]


def export_roadmap(session: Session, actor: Actor, roadmap_id: int, fmt: str,
                   today: date | None = None) -> tuple[bytes, str, str]:
    """(bytes, file name, MIME type) of the roadmap as XLSX or DOCX, statuses included."""
    from documents.roadmaps.export import roadmap_to_docx, roadmap_to_xlsx

    view = load_roadmap(session, actor, roadmap_id, today)
    data = _export_dict(view)
    if fmt == "xlsx":
        return (roadmap_to_xlsx(data), f"roadmap-{roadmap_id}.xlsx",
                "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    if fmt == "docx":
        return (roadmap_to_docx(data), f"roadmap-{roadmap_id}.docx",
                "application/vnd.openxmlformats-officedocument.wordprocessingml.document")
    raise NotFound("Формат не поддерживается.", code="not_found")


def _export_dict(view: dict) -> dict:
    return {"title": view["title"], "period_start": view["period_start"],
            "period_end": view["period_end"], "sections": view["sections"],
            "indicators": view["indicators"],
            "items": [{k: i[k] for k in ("number", "section", "activity", "deadline_text",
                                         "responsible_text", "result_text", "status")}
                      for i in view["items"]]}


def _roadmap_snapshot(session: Session, doc: Document, _data: dict) -> dict:
    """The table of a roadmap document for its DOCX (plain data, read without an actor)."""
    roadmap_id = (doc.fields or {}).get("roadmap_id")
    roadmap = session.get(Roadmap, roadmap_id) if isinstance(roadmap_id, int) else None
    if roadmap is None or roadmap.org_id != doc.org_id:
        return {}
    sections = session.execute(select(RoadmapSection.number, RoadmapSection.title)
                               .where(RoadmapSection.roadmap_id == roadmap.id)
                               .order_by(RoadmapSection.position)).all()
    items = session.execute(
        select(RoadmapItem.number, RoadmapItem.section, RoadmapItem.activity,
               RoadmapItem.deadline_text, RoadmapItem.responsible_text,
               RoadmapItem.result_text).where(RoadmapItem.roadmap_id == roadmap.id)
        .order_by(RoadmapItem.position)).all()
    return {"roadmap": {
        "period_start": roadmap.period_start.isoformat(),
        "period_end": roadmap.period_end.isoformat(),
        "sections": [{"number": s.number, "title": s.title} for s in sections],
        "items": [dict(i._mapping) for i in items],
        "indicators": list(roadmap.indicators or []),
    }}


rendering.SNAPSHOT_EXTRAS["roadmap"] = _roadmap_snapshot
