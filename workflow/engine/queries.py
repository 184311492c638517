"""Reading documents the way an actor may see them, and their API representation."""

from __future__ import annotations

from datetime import date

from sqlalchemy import and_, func, select
from sqlalchemy.orm import Session

from documents.models import (
    DocState,
    Document,
    DocumentRoute,
    DocumentVersion,
    HistoryEvent,
    Organization,
)
from documents.models.history import iso_utc
from documents.search import like_pattern
from workflow import clock
from workflow.engine import machine, txcache
from workflow.engine.permissions import Actor, document_filter, may_fire, visible_org_ids
from workflow.engine.transition import load_document
from workflow.errors import BadInput, NotFound

#: States in which a deadline still binds (nothing signed yet).
OPEN_STATES = (DocState.draft, DocState.on_approval, DocState.approved, DocState.returned)
MAX_PER_PAGE = 200


def available_events(actor: Actor, doc: Document) -> list[str]:
    from sqlalchemy.orm import object_session

    from workflow.engine.steps import authorize

    org, session = doc.organization, object_session(doc)
    return [
        event for event in machine.events_from(doc.kind, doc.state)
        if (authorize(session, actor, doc, event).allowed if session is not None
            else may_fire(actor, event, org))
        and not (event == "send_to_municipality" and org.parent_id is None)
        and not (event == "send_to_municipality" and doc.kind == "roadmap_item"
                 and doc.assignment_of is None)
    ]


def is_overdue(doc: Document, today: date) -> bool:
    if doc.kind == "roadmap_item":  # approved is done, unless a municipality awaits it
        done = doc.state is DocState.accepted or (
            doc.state is DocState.approved and doc.assignment_of is None)
        return doc.due is not None and doc.due < today and not done
    return doc.due is not None and doc.due < today and doc.state in OPEN_STATES


#: Rewrite a document's API view for a given actor (mentorship/minors.py: no minors' names
#: for readers outside the school).
API_REDACTORS: list = []
#: (session, actor, documents) -> None: read at once what the redactors will ask for each
#: document of a list.
LIST_PREFETCHERS: list = []


def document_to_api(doc: Document, actor: Actor, today: date | None = None) -> dict:
    out = _document_dict(doc, actor, today)
    if API_REDACTORS:
        from sqlalchemy.orm import object_session

        session = object_session(doc)
        for redact in API_REDACTORS:
            out = redact(session, actor, doc, out)
    return out


def _document_dict(doc: Document, actor: Actor, today: date | None = None) -> dict:
    today = today or clock.today()
    return {
        "id": doc.id,
        "kind": doc.kind,
        "org_id": doc.org_id,
        "title": doc.title,
        "state": doc.state.value,
        "version": doc.version,
        "lock_version": doc.lock_version,
        "fields": doc.fields,
        "registration_number": doc.registration_number,
        "signed_at": iso_utc(doc.signed_at),
        "responsible_id": doc.responsible_id,
        "due": doc.due.isoformat() if doc.due else None,
        "overdue": is_overdue(doc, today),
        "roadmap_item_id": doc.roadmap_item_id,
        "assignment_of": doc.assignment_of,
        "created_at": iso_utc(doc.created_at),
        "updated_at": iso_utc(doc.updated_at),
        "available_events": available_events(actor, doc),
    }


def get_document(session: Session, actor: Actor, document_id: int) -> Document:
    return load_document(session, actor, document_id)


def list_documents(session: Session, actor: Actor, *, org_id: int | None = None,
                   kind: str | None = None, state: str | None = None, overdue: bool = False,
                   q: str | None = None, responsible_id: int | None = None, page: int = 1,
                   per_page: int = 50, today: date | None = None,
                   sort: str | None = None) -> tuple[list[Document], int]:
    if page < 1 or not 1 <= per_page <= MAX_PER_PAGE:
        raise BadInput(f"page ≥ 1, per_page от 1 до {MAX_PER_PAGE}.", code="invalid_paging")
    query = select(Document).where(document_filter(actor, session))
    if org_id is not None:
        query = query.where(Document.org_id == org_id)
    if kind:
        query = query.where(Document.kind == kind)
    if state:
        try:
            query = query.where(Document.state == DocState(state))
        except ValueError:
            raise BadInput(f"Неизвестное состояние «{state}».", code="invalid_state") from None
    if responsible_id is not None:
        query = query.where(Document.responsible_id == responsible_id)
    if overdue:
        query = query.where(Document.due < (today or clock.today()),
                            Document.state.in_(OPEN_STATES))
    if q:
        query = query.where(Document.search_text.like(like_pattern(q), escape="\\"))
    # One statement: which documents make the page (read by their ids alone, so only those
    # are joined to their organisation and route, not every match), how many match (counted
    # once, as an InitPlan) and the route of each document on approval (what its available
    # events depend on) — no second and third round trip.
    order = _order(sort)
    page_ids = (query.with_only_columns(Document.id).order_by(*order)
                .offset((page - 1) * per_page).limit(per_page).subquery())
    count = select(func.count()).select_from(query.subquery())
    found = session.execute(
        select(Document, DocumentRoute, count.scalar_subquery().label("total"))
        .join(page_ids, page_ids.c.id == Document.id)
        .outerjoin(DocumentRoute, and_(DocumentRoute.document_id == Document.id,
                                       Document.state == DocState.on_approval))
        .order_by(*order)).all()
    rows = [r[0] for r in found]
    if found:
        total = found[0].total
        cache = txcache.rows(session)
        for doc, route, _total in found:
            if doc.state is DocState.on_approval:
                cache.setdefault(("route", doc.id), route)
    else:  # a page past the end
        total = session.scalar(count)
    prefetch_for_events(session, actor, rows)
    return rows, total


def prefetch_for_events(session: Session, actor: Actor, docs: list[Document]) -> None:
    """What :func:`available_events` and the redactors read for each document (its route,
    whom the actor stands in for there, the school's minors), read for a whole list at
    once."""
    from workflow.engine.substitutions import may_stand_in, prefetch_absences
    from workflow.engine.visas import prefetch_routes

    if docs:
        prefetch_routes(session, [d.id for d in docs if d.state is DocState.on_approval])
        if may_stand_in(actor):
            prefetch_absences(session, actor.id, {d.org_id for d in docs})
        for prefetch in LIST_PREFETCHERS:
            prefetch(session, actor, docs)


#: Sortable columns of document lists: «title», «-due» (descending), …
SORTS = {"title": Document.title, "due": Document.due, "state": Document.state,
         "updated": Document.updated_at, "number": Document.registration_number}


def _order(sort: str | None) -> list:
    """ORDER BY for a ``sort`` key (unknown keys: newest changes first)."""
    key = (sort or "").lstrip("-")
    if key not in SORTS:
        return [Document.updated_at.desc(), Document.id.desc()]
    column = SORTS[key]
    first = column.desc().nulls_last() if (sort or "").startswith("-") else \
        column.asc().nulls_last()
    return [first, Document.id.desc()]


def document_history(session: Session, actor: Actor, document_id: int) -> list[HistoryEvent]:
    load_document(session, actor, document_id)
    return list(session.scalars(select(HistoryEvent).where(
        HistoryEvent.document_id == document_id).order_by(HistoryEvent.seq)))


def document_versions(session: Session, actor: Actor, document_id: int) -> list[DocumentVersion]:
    load_document(session, actor, document_id)
    return list(session.scalars(select(DocumentVersion).where(
        DocumentVersion.document_id == document_id).order_by(DocumentVersion.number)))


def list_organizations(session: Session, actor: Actor) -> list[Organization]:
    ids = visible_org_ids(session, actor)
    return list(session.scalars(select(Organization).where(Organization.id.in_(ids))
                                .order_by(Organization.kind.desc(), Organization.id)))


def get_organization(session: Session, actor: Actor, org_id: int) -> Organization:
    org = session.get(Organization, org_id)
    if org is None or org_id not in visible_org_ids(session, actor):
        raise NotFound("Организация не найдена.", code="organization_not_found")
    return org


def document_refs(session: Session, actor: Actor, ids) -> dict[int, dict]:
    """How pages name documents they link to: kind, title, registration number, state —
    only the documents ``actor`` may read, in one query."""
    wanted = {int(i) for i in ids if i}
    if not wanted:
        return {}
    rows = session.execute(select(Document.id, Document.kind, Document.title,
                                  Document.registration_number, Document.state)
                           .where(Document.id.in_(wanted), document_filter(actor)))
    return {r.id: {"id": r.id, "kind": r.kind, "title": r.title,
                   "registration_number": r.registration_number,
                   "state": r.state.value if hasattr(r.state, "value") else r.state}
            for r in rows}
