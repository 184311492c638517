"""Acting on a roadmap item: evidence notes and the act an item names, created from it."""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from documents.models import (
    Document,
    Organization,
    RoadmapItem,
)
from workflow import clock
from workflow.engine.authoring import create_document
from workflow.engine.permissions import Actor, may_author
from workflow.errors import BadInput, Conflict, Forbidden, NotFound, RuleViolation
from workflow.roadmaps.reading import load_roadmap, visible_roadmap
from workflow.roadmaps.status import (
    act_for,
)

MAX_NUMBER = 20
MAX_NOTE = 2000


def item_for_write(session: Session, actor: Actor, roadmap_id: int, item_id: int):
    roadmap, _org_kind, _name, _parent = visible_roadmap(session, actor, roadmap_id)
    item = session.get(RoadmapItem, item_id)
    if item is None or item.roadmap_id != roadmap_id:
        raise NotFound("Пункт дорожной карты не найден.", code="roadmap_item_not_found")
    org = session.get(Organization, roadmap.org_id)
    if not may_author(actor, org):
        raise Forbidden("Отмечать выполнение пунктов этой дорожной карты вам не разрешено.",
                        code="roadmap_not_allowed")
    return roadmap, item, org


def add_evidence(rt, actor: Actor, roadmap_id: int, item_id: int, *, text: object,
                 done: object = False, today: date | None = None) -> dict:
    """An evidence note on an item (kept on the item and in its document); ``done`` makes
    the note the execution report and submits the item for confirmation."""
    from workflow.engine.authoring import update_document
    from workflow.engine.transition import apply_event

    if not isinstance(text, str) or not text.strip():
        with rt.db.read_session() as session:
            item_for_write(session, actor, roadmap_id, item_id)
        raise BadInput("Опишите, чем подтверждается выполнение (поле comment).",
                       code="missing_comment")
    if len(text) > MAX_NOTE:
        raise BadInput(f"Комментарий длиннее {MAX_NOTE} символов.", code="invalid_field")
    if not isinstance(done, bool):
        raise BadInput("Поле done: true или false.", code="invalid_field")
    now = clock.now()
    note = {"at": now.isoformat(timespec="seconds"), "by": actor.full_name, "text": text.strip()}
    with rt.db.write_session() as session:
        _roadmap, item, _org = item_for_write(session, actor, roadmap_id, item_id)
        item.notes = [*(item.notes or []), {**note, "done": done}]
        doc = session.get(Document, item.document_id) if item.document_id else None
        doc_id = doc.id if doc is not None else None
        editable = doc is not None and doc.state.value == "draft"
        lock, fields = (doc.lock_version, dict(doc.fields or {})) if doc is not None else (0, {})
    if editable:
        fields["notes"] = [*fields.get("notes", []), note]
        if done:
            fields["report"] = text.strip()
        update_document(rt, actor, doc_id, expected_version=lock, fields=fields)
        if done:
            apply_event(rt, doc_id, "submit", actor)
    with rt.db.read_session() as session:
        view = load_roadmap(session, actor, roadmap_id, today)
    return next(i for i in view["items"] if i["id"] == item_id)


def create_item_document(rt, actor: Actor, roadmap_id: int, item_id: int) -> int:
    """One click: the act an item's result names, as a draft linked to the item."""
    with rt.db.read_session() as session:
        roadmap, item, org = item_for_write(session, actor, roadmap_id, item_id)
        act = act_for(item.result_text, item.activity)
        if act is None:
            raise RuleViolation("Результат этого пункта — не документ: создать его нельзя. "
                                "Отметьте выполнение комментарием.", code="item_not_an_act")
        kind, title = act
        existing = session.scalar(select(Document.id).where(
            Document.roadmap_item_id == item_id, Document.kind == kind,
            Document.state != "cancelled"))
        if existing is not None:
            raise Conflict(f"Документ по этому пункту уже создан (№ {existing}).",
                           code="item_document_exists", details={"document_id": existing})
        fields: dict[str, Any] = {}
        if kind == "roadmap":
            fields = {"period_start": roadmap.period_start.isoformat(),
                      "period_end": roadmap.period_end.isoformat(), "roadmap_id": roadmap.id}
        org_id = org.id
    return create_document(rt, actor, kind=kind, org_id=org_id, title=title, fields=fields,
                           roadmap_item_id=item_id, due=item.due)
