"""A person's own roadmap deadlines: the items they answer for, across their organisations."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from documents.models import (
    Document,
    Organization,
    OrgKind,
    Roadmap,
    RoadmapItem,
)
from workflow import clock
from workflow.engine.permissions import Actor, author_roles
from workflow.roadmaps.reading import assignments_of, item_view, linked_docs, state_value


def responsible_for(actor: Actor, org_id: int, org_kind: OrgKind, roles: list,
                    user_ids: list) -> bool:
    """Named by surname, holding a named role, or — when the item names nobody the system
    recognises — one of the organisation's author roles."""
    if actor.id in (user_ids or []):
        return True
    mine = {r.value for r in actor.roles_in(org_id)}
    if mine & set(roles or []):
        return True
    return not roles and not user_ids and bool(mine & {r.value for r in author_roles(org_kind)})


def my_items(session: Session, actor: Actor, today: date) -> list[dict]:
    """Open items with a date the actor answers for, in their own organisations, by due."""
    org_ids = list(actor.org_ids)
    if not org_ids:
        return []
    rows = session.execute(
        select(RoadmapItem, Organization.kind, Roadmap.org_id, Document.state)
        .join(Roadmap, Roadmap.id == RoadmapItem.roadmap_id)
        .join(Organization, Organization.id == Roadmap.org_id)
        .outerjoin(Document, Document.id == RoadmapItem.document_id)
        .where(Roadmap.org_id.in_(org_ids), RoadmapItem.due.is_not(None),
               RoadmapItem.done_at.is_(None))
        .order_by(RoadmapItem.due, RoadmapItem.id)).all()
    mine = [(i, kind, state) for i, kind, org_id, state in rows
            if responsible_for(actor, org_id, kind, i.responsible_roles, i.responsible_user_ids)]
    docs = linked_docs(session, [i.id for i, _, _ in mine]) if mine else {}
    municipal = [i.id for i, kind, _ in mine if kind is OrgKind.municipality]
    assigned = assignments_of(session, municipal, today) if municipal else {}
    out = []
    for item, kind, state in mine:  # the status the roadmap's page shows
        data = item_view(item, docs.get(item.id, []), kind, today, state_value(state),
                         assigned.get(item.id))
        if data["status"] == "done":
            continue
        out.append({"item_id": item.id, "roadmap_id": item.roadmap_id, "number": item.number,
                    "activity": item.activity, "due": item.due, "status": data["status"],
                    "overdue": data["status"] == "overdue", "deadline": item.deadline or {}})
    return out


def my_deadlines(session: Session, actor: Actor, today: date | None = None,
                 limit: int = 10) -> list[dict]:
    """«Мои сроки» for the inbox: ``{item_id, roadmap_id, number, activity, due, status,
    overdue}``, overdue first then by date."""
    today = today or clock.today()
    items = my_items(session, actor, today)
    items.sort(key=lambda d: (not d["overdue"], d["due"]))
    return [{k: d[k] for k in ("item_id", "roadmap_id", "number", "activity", "due", "status",
                               "overdue")} for d in items[:limit]]
