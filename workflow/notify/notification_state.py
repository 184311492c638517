"""Notifications that are no longer news (issue 13, defect 11): once a document moves on,
the earlier «ждёт вашего …» notices about it are put away (marked read, so they stay in the
archive), and the archive itself — what «Прочитать все» put away — can be read back."""

from __future__ import annotations

from sqlalchemy import and_, bindparam, func, select, update
from sqlalchemy.orm import Session

from documents.db import run_dml
from documents.models import Document, Notification, Organization
from workflow.engine import machine, steps
from workflow.engine.permissions import Actor

#: Archived notifications per page.
ARCHIVE_PER_PAGE = 50


_notices = Notification.__table__
_PUT_AWAY = (update(_notices)
             .where(_notices.c.document_id == bindparam("doc"), _notices.c.read_at.is_(None),
                    _notices.c.created_at <= bindparam("now"))
             .values(read_at=bindparam("now")))


def _put_away_stale(step: steps.Step) -> None:
    """Every earlier unread notice about this document is about a state it has left."""
    run_dml(step.session, _PUT_AWAY, {"doc": step.doc.id, "now": step.now})


for _event in machine.EVENTS:
    steps.register(_event, after=_put_away_stale)


def archive(session: Session, actor: Actor, page: int = 1,
            per_page: int = ARCHIVE_PER_PAGE) -> tuple[list[Notification], int, int]:
    """A page of the actor's read notifications, newest first: (rows, total, page shown —
    a page past the end shows the last one)."""
    mine = and_(Notification.user_id == actor.id, Notification.read_at.is_not(None))
    total = session.scalar(select(func.count(Notification.id)).where(mine)) or 0
    page = min(max(page, 1), max((total + per_page - 1) // per_page, 1))
    rows = list(session.scalars(
        select(Notification).where(mine)
        .order_by(Notification.created_at.desc(), Notification.id.desc())
        .offset((page - 1) * per_page).limit(per_page)))
    return rows, total, page


def organisations_of(session: Session, notifications) -> dict[int, str]:
    """{document id: its organisation's short name} for the notices shown (one query)."""
    ids = {n.document_id for n in notifications if n.document_id}
    if not ids:
        return {}
    rows = session.execute(select(Document.id, Organization.short_name, Organization.name)
                           .join(Organization, Organization.id == Document.org_id)
                           .where(Document.id.in_(ids)))
    return {r.id: r.short_name or r.name for r in rows}
