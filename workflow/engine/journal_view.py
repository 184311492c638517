"""The registration journal as people read it: every registered document of an organisation
for a year — number, date, kind, title, signer — in registration order."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from documents.models import Document
from workflow import clock
from workflow.engine.permissions import Actor, document_filter
from workflow.engine.queries import get_organization
from workflow.paging import paginate, sort_order

#: Columns the journal sorts by (``-key``: descending); by default, registration order.
JOURNAL_SORTS = {"number": Document.registration_number, "date": Document.signed_at,
                 "kind": Document.kind, "title": Document.title, "signer": Document.signer_name}
PER_PAGE = 100
#: Rows of the printable whole-year journal (a school registers a few hundred a year).
WHOLE_YEAR = 10_000


def registration_journal(session: Session, actor: Actor, org_id: int, year: int,
                         page: int = 1, per_page: int = PER_PAGE,
                         sort: str | None = None) -> dict:
    org = get_organization(session, actor, org_id)
    start, end = clock.day_start(date(year, 1, 1)), clock.day_start(date(year + 1, 1, 1))
    query = select(Document).where(document_filter(actor), Document.org_id == org.id,
                                   Document.registration_number.is_not(None),
                                   Document.signed_at >= start, Document.signed_at < end)
    order = sort_order(sort, JOURNAL_SORTS, [Document.signed_at], [Document.id])
    result = paginate(session, query.order_by(*order), page, per_page)
    return {"org": org, "year": year, "rows": result.items, "total": result.total,
            "page": result.page, "per_page": per_page}
