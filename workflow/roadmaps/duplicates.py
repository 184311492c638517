"""The same roadmap imported twice (issue 13, defect 8): an organisation's roadmap with the
same period and the same items (numbers and activities, whitespace and case aside) is the
same roadmap — the import asks before making a second one with every deadline twice."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from documents.models import Roadmap, RoadmapItem
from documents.search import fold


def _signature(items) -> tuple:
    return tuple((fold(number), fold(activity)) for number, activity in items)


def find_duplicate(session: Session, org_id: int, period: tuple[date, date],
                   rows: list[dict]) -> dict | None:
    """The existing roadmap this import would repeat, or None."""
    wanted = _signature((r["number"], r["activity"]) for r in rows)
    candidates = session.scalars(select(Roadmap).where(
        Roadmap.org_id == org_id, Roadmap.period_start == period[0],
        Roadmap.period_end == period[1]).order_by(Roadmap.id)).all()
    for roadmap in candidates:
        items = session.execute(select(RoadmapItem.number, RoadmapItem.activity)
                                .where(RoadmapItem.roadmap_id == roadmap.id)
                                .order_by(RoadmapItem.position)).all()
        if _signature(items) == wanted:
            return {"id": roadmap.id, "title": roadmap.title,
                    "created_at": roadmap.created_at, "items": len(items)}
    return None
