"""Roadmap items as documents: each item is backed by a ``roadmap_item`` document, and a
municipal roadmap's items that name the schools are assigned to every school of the
municipality (a school's own ``roadmap_item`` document with ``assignment_of``).

Everything here runs inside the caller's transaction and costs a constant number of
queries per call plus one insert batch per created document.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from documents.models import Document, Organization, OrgKind, Roadmap, RoadmapItem
from workflow import clock
from workflow.engine.authoring import add_draft
from workflow.engine.machine import register_guard
from workflow.errors import RuleViolation

KIND = "roadmap_item"
ASSIGNER = "Назначено по муниципальной дорожной карте"

#: «ОО», «образовательные организации», «руководители ОО» (and «ОУ», its older name).
_SCHOOLS = (
    re.compile(r"(?<![А-ЯЁа-яё])О[ОУ](?![А-ЯЁа-яё])"),
    re.compile(r"образовательн\w*\s+(организац|учрежден)", re.IGNORECASE),
    re.compile(r"руководител\w*\s+(ОО|ОУ|образовательн|школ)", re.IGNORECASE),
)


def names_schools(responsible_text: str) -> bool:
    """Whether a municipal item's responsible names the schools (then each school does it)."""
    text = responsible_text or ""
    return any(p.search(text) for p in _SCHOOLS)


def item_fields(item: RoadmapItem) -> dict:
    return {"number": item.number or "", "activity": item.activity or "",
            "result": item.result_text or "", "notes": [], "report": ""}


def item_title(item: RoadmapItem) -> str:
    title = (item.activity or "").strip().split("\n")[0].strip()
    return (title or f"Пункт {item.number}")[:500]


def create_item_documents(session: Session, *, actor_id: int | None, actor_name: str,
                          org_id: int, items: Iterable[RoadmapItem],
                          municipal: bool = False) -> None:
    """The document of each item that has none (the item's own chain). A municipal item
    the schools carry out keeps its date on the schools' copies only: its own document is
    nobody's task (its status comes from the schools)."""
    for item in items:
        if item.document_id is not None:
            continue
        by_schools = municipal and names_schools(item.responsible_text)
        doc, _ = add_draft(session, actor_id=actor_id, actor_name=actor_name, kind=KIND,
                           org_id=org_id, title=item_title(item), fields=item_fields(item),
                           responsible_id=None if by_schools else item.responsible_user_id,
                           due=None if by_schools else item.due)
        item.document_id = doc.id


def assign_items(session: Session, items: list[RoadmapItem], school_ids: list[int], *,
                 actor_id: int | None = None, actor_name: str = ASSIGNER) -> int:
    """Give every school its copy of every item naming the schools; never twice (the
    unique (assignment_of, org_id) key backs this). Returns how many copies were made."""
    wanted = [i for i in items if names_schools(i.responsible_text)]
    if not wanted or not school_ids:
        return 0
    existing = set(session.execute(
        select(Document.assignment_of, Document.org_id)
        .where(Document.assignment_of.in_([i.id for i in wanted]),
               Document.org_id.in_(school_ids))).tuples())
    made = 0
    for item in wanted:
        for school_id in school_ids:
            if (item.id, school_id) in existing:
                continue
            add_draft(session, actor_id=actor_id, actor_name=actor_name, kind=KIND,
                      org_id=school_id, title=item_title(item), fields=item_fields(item),
                      due=item.due, assignment_of=item.id)
            made += 1
    return made


def schools_of(session: Session, municipality_id: int) -> list[int]:
    return list(session.scalars(select(Organization.id).where(
        Organization.parent_id == municipality_id, Organization.kind == OrgKind.school)
        .order_by(Organization.id)))


def assign_roadmap(session: Session, roadmap_id: int, *, actor_id: int | None = None,
                   actor_name: str = ASSIGNER) -> int:
    """Assign a municipal roadmap's items naming the schools to all its schools."""
    roadmap = session.get(Roadmap, roadmap_id)
    if roadmap is None:
        return 0
    items = list(session.scalars(select(RoadmapItem).where(
        RoadmapItem.roadmap_id == roadmap_id).order_by(RoadmapItem.position)))
    return assign_items(session, items, schools_of(session, roadmap.org_id),
                        actor_id=actor_id, actor_name=actor_name)


def assign_open_items_to_school(session: Session, school_id: int,
                                today: date | None = None) -> int:
    """A school added to a municipality gets the items still open in its municipality's
    roadmaps: roadmaps whose period has not ended, items whose due date has not passed
    (or that have none). Safe to call twice. Returns how many copies were made."""
    school = session.get(Organization, school_id)
    if school is None or school.kind is not OrgKind.school or school.parent_id is None:
        return 0
    today = today or clock.today()
    items = list(session.scalars(
        select(RoadmapItem).join(Roadmap, Roadmap.id == RoadmapItem.roadmap_id)
        .where(Roadmap.org_id == school.parent_id, Roadmap.period_end >= today,
               (RoadmapItem.due.is_(None)) | (RoadmapItem.due >= today))
        .order_by(RoadmapItem.roadmap_id, RoadmapItem.position)))
    return assign_items(session, items, [school_id])


@register_guard(KIND, "send_to_municipality")
def _only_assigned_items_go_up(ctx) -> None:
    if getattr(ctx.document, "assignment_of", None) is None:
        raise RuleViolation("Пункт собственной дорожной карты школы в управление не "
                            "направляется: он выполнен, когда утверждён.",
                            code="item_not_assigned")
