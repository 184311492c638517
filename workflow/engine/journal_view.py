"""The registration journal as people read it: every registered document of an organisation
for a year — number, date, kind, title, signer — in registration order."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from documents.models import Document
from workflow.engine.permissions import Actor, document_filter
from workflow.engine.queries import get_organization


def registration_journal(session: Session, actor: Actor, org_id: int, year: int) -> dict:
    org = get_organization(session, actor, org_id)
    start, end = datetime(year, 1, 1, tzinfo=UTC), datetime(year + 1, 1, 1, tzinfo=UTC)
    rows = session.scalars(
        select(Document).where(document_filter(actor), Document.org_id == org.id,
                               Document.registration_number.is_not(None),
                               Document.signed_at >= start, Document.signed_at < end)
        .order_by(Document.signed_at, Document.id)).all()
    return {"org": org, "year": year, "rows": list(rows)}
