"""What another tab or person changed while a page was open (issue 13, defect 14): the
history events of a document after the last one the page showed, in words."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from documents.models import HistoryEvent
from workflow.engine.permissions import Actor
from workflow.engine.transition import load_document


def last_event_id(session: Session, document_id: int) -> int:
    return session.scalar(select(HistoryEvent.id).where(HistoryEvent.document_id == document_id)
                          .order_by(HistoryEvent.id.desc()).limit(1)) or 0


def changes_since(session: Session, actor: Actor, document_id: int,
                  seen_event_id: int | None) -> list[HistoryEvent]:
    """Events after ``seen_event_id`` (the newest the page had); the last one when unknown."""
    load_document(session, actor, document_id)
    query = select(HistoryEvent).where(HistoryEvent.document_id == document_id)
    if seen_event_id:
        return list(session.scalars(query.where(HistoryEvent.id > seen_event_id)
                                    .order_by(HistoryEvent.id)))
    last = session.scalar(query.order_by(HistoryEvent.id.desc()).limit(1))
    return [last] if last else []
