"""The journal of events across every document the caller may read (GET /audit/events and
the «Аудит» page): filters combine (organisation with its schools, person, kind, event,
document, period, text of remarks), paged and sortable, in a fixed number of queries; the
whole selection exports to XLSX row by row."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import Select, func, or_, select
from sqlalchemy.orm import Session

from documents.audit_xlsx import write_sheet
from documents.db import stream_rows
from documents.models import Document, HistoryEvent, Organization
from documents.models.history import iso_utc
from workflow import clock
from workflow.engine.permissions import Actor, document_filter
from workflow.engine.transition import EVENT_TITLES
from workflow.errors import BadInput

MAX_PER_PAGE = 200
EXPORT_LIMIT = 100_000
SORTS = {
    "-at": (HistoryEvent.at.desc(), HistoryEvent.id.desc()),
    "at": (HistoryEvent.at.asc(), HistoryEvent.id.asc()),
    "org": (HistoryEvent.org_id.asc(), HistoryEvent.seq.desc()),
    "actor": (HistoryEvent.actor_name.asc(), HistoryEvent.at.desc()),
    "event": (HistoryEvent.event.asc(), HistoryEvent.at.desc()),
    "kind": (Document.kind.asc(), HistoryEvent.at.desc()),
    "document": (HistoryEvent.document_id.asc(), HistoryEvent.seq.asc()),
    # the other way round, for the column titles of the journal page
    "-org": (HistoryEvent.org_id.desc(), HistoryEvent.seq.desc()),
    "-actor": (HistoryEvent.actor_name.desc(), HistoryEvent.at.desc()),
    "-event": (HistoryEvent.event.desc(), HistoryEvent.at.desc()),
    "-kind": (Document.kind.desc(), HistoryEvent.at.desc()),
    "-document": (HistoryEvent.document_id.desc(), HistoryEvent.seq.asc()),
}


@dataclass(frozen=True)
class EventFilter:
    org_id: int | None = None
    actor_id: int | None = None
    event: str | None = None
    kind: str | None = None
    document_id: int | None = None
    date_from: date | None = None
    date_to: date | None = None
    text: str | None = None
    sort: str = "-at"


@dataclass(frozen=True)
class EventRow:
    seq: int
    at: datetime
    org_id: int
    org_name: str
    document_id: int
    document_title: str
    kind: str
    actor_id: int | None
    actor_name: str
    event: str
    from_state: str | None
    to_state: str
    version: int
    comment: str
    hash: str

    def to_api(self) -> dict:
        return {"seq": self.seq, "at": iso_utc(self.at), "org_id": self.org_id,
                "document_id": self.document_id, "document_title": self.document_title,
                "kind": self.kind, "actor_id": self.actor_id, "actor_name": self.actor_name,
                "event": self.event, "from_state": self.from_state, "to_state": self.to_state,
                "version": self.version, "comment": self.comment, "hash": self.hash}


def _query(session: Session, actor: Actor, f: EventFilter) -> Select:
    if f.sort not in SORTS:
        raise BadInput("Неизвестный порядок сортировки.", code="invalid_sort")
    if f.date_from and f.date_to and f.date_from > f.date_to:
        raise BadInput("Начало периода позже его конца.", code="invalid_period")
    query = (select(HistoryEvent.seq, HistoryEvent.at, HistoryEvent.org_id,
                    Organization.short_name.label("org_name"), HistoryEvent.document_id,
                    Document.title.label("document_title"), Document.kind,
                    HistoryEvent.actor_id, HistoryEvent.actor_name, HistoryEvent.event,
                    HistoryEvent.from_state, HistoryEvent.to_state, HistoryEvent.version,
                    HistoryEvent.comment, HistoryEvent.hash)
             .join(Document, Document.id == HistoryEvent.document_id)
             .join(Organization, Organization.id == HistoryEvent.org_id)
             .where(document_filter(actor, session)))
    if f.org_id is not None:
        query = query.where(or_(HistoryEvent.org_id == f.org_id,
                                Organization.parent_id == f.org_id))
    if f.actor_id is not None:
        query = query.where(HistoryEvent.actor_id == f.actor_id)
    if f.event:
        query = query.where(HistoryEvent.event == f.event)
    if f.kind:
        query = query.where(Document.kind == f.kind)
    if f.document_id is not None:
        query = query.where(HistoryEvent.document_id == f.document_id)
    if f.date_from:
        query = query.where(HistoryEvent.at >= clock.day_start(f.date_from))
    if f.date_to:
        query = query.where(HistoryEvent.at < clock.day_end(f.date_to))
    if f.text and f.text.strip():
        query = query.where(HistoryEvent.comment.ilike(f"%{f.text.strip()}%"))
    return query


def search_events(session: Session, actor: Actor, f: EventFilter, page: int = 1,
                  per_page: int = 50) -> tuple[list[EventRow], int]:
    """One page of events and the total: two queries whatever the number of documents."""
    if page < 1 or not 1 <= per_page <= MAX_PER_PAGE:
        raise BadInput(f"page ≥ 1, per_page от 1 до {MAX_PER_PAGE}.", code="invalid_paging")
    if f.org_id is not None:
        from workflow.engine.queries import get_organization

        get_organization(session, actor, f.org_id)  # 404 for an organisation not seen
    query = _query(session, actor, f)
    total = session.scalar(select(func.count()).select_from(query.order_by(None).subquery()))
    rows = session.execute(query.order_by(*SORTS[f.sort])
                           .offset((page - 1) * per_page).limit(per_page)).all()
    return [EventRow(**row._mapping) for row in rows], total


def iter_events(session: Session, actor: Actor, f: EventFilter) -> Iterator[EventRow]:
    query = _query(session, actor, f).order_by(*SORTS[f.sort]).limit(EXPORT_LIMIT)
    for row in stream_rows(session, query, 2000):
        yield EventRow(**row._mapping)


HEADERS = ("Дата и время (UTC)", "Организация", "Документ №", "Документ", "Вид", "Событие",
           "Кто", "Из состояния", "В состояние", "Версия", "Замечание", "Хеш", "№ в цепочке")


def events_xlsx(session: Session, actor: Actor, f: EventFilter) -> bytes:
    from workflow.engine.kinds import get_kind

    def rows():
        for r in iter_events(session, actor, f):
            try:
                kind = get_kind(r.kind).title
            except Exception:  # noqa: BLE001 - an unknown kind keeps its code
                kind = r.kind
            yield (r.at, r.org_name, r.document_id, r.document_title, kind,
                   EVENT_TITLES.get(r.event, r.event), r.actor_name, r.from_state or "",
                   r.to_state, r.version, r.comment, r.hash, r.seq)

    return write_sheet("События", HEADERS, rows())
