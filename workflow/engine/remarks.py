"""The last remark on a returned document: who returned it, when and why — shown on top of
the document, on its task in «Мои задачи» and on the edit form (issue 13, defect 5)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from documents.models import HistoryEvent

#: Events that send a document back with a remark.
RETURNING = ("reject", "return_for_revision")


@dataclass(frozen=True)
class Remark:
    document_id: int
    event: str
    actor_name: str
    at: datetime
    comment: str


def last_remarks(session: Session, document_ids) -> dict[int, Remark]:
    """{document_id: the returning remark still to be dealt with} — the latest «reject» or
    «return_for_revision» with a comment and no «submit» after it; one query for all ids
    (documents the caller has already read-checked)."""
    ids = {int(i) for i in document_ids if i}
    if not ids:
        return {}
    rows = session.scalars(select(HistoryEvent)
                           .where(HistoryEvent.document_id.in_(ids),
                                  HistoryEvent.event.in_((*RETURNING, "submit")))
                           .order_by(HistoryEvent.document_id, HistoryEvent.id))
    out: dict[int, Remark] = {}
    for e in rows:
        if e.event == "submit":
            out.pop(e.document_id, None)
        elif e.comment:
            out[e.document_id] = Remark(e.document_id, e.event, e.actor_name, e.at, e.comment)
    return out
