"""The transition service: one call applies one event to one document, atomically.

1. permission (403), 2. validity and guards (422), 3. in one transaction: a conditional
UPDATE on ``lock_version`` (0 rows → 409), the history event, outbox rows; 4. effects run
after commit.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from sqlalchemy import and_, bindparam, exists, select, update
from sqlalchemy.orm import Session
from sqlalchemy.orm.attributes import set_committed_value

from documents.models import Appendix, Document, DocumentRoute, DocumentVersion, Grant, Role
from documents.search import document_search_text
from documents.write_batch import Later, deferred, finish, rowcount
from workflow import clock
from workflow.audit.chain import append_event
from workflow.engine import machine, txcache
from workflow.engine.effects import enqueue_later
from workflow.engine.permissions import Actor, may_read
from workflow.engine.steps import Step, authorize, steps_for
from workflow.errors import Conflict, Forbidden, NotFound
from workflow.files.rendering import request_preview

EVENT_TITLES = {
    "create": "Создан",
    "edit": "Изменён",
    "submit": "Отправлен на утверждение",
    "approve": "Утверждён",
    "reject": "Возвращён на доработку директором",
    "sign": "Подписан и зарегистрирован",
    "send_to_municipality": "Направлен в управление образования",
    "accept": "Принят управлением образования",
    "return_for_revision": "Возвращён управлением на доработку",
    "revise": "Взят на доработку (новая версия)",
    "cancel": "Отменён",
    "recall": "Отозван автором с согласования",
    "visa": "Виза согласования",
    "protocol": "Решение коллегиального органа",
    "attach_appendix": "Добавлено приложение",
}

#: Who is told after each event (roles in the document's organisation or its parent).
NOTIFY = {
    "submit": ((Role.director,), False),
    "approve": ((Role.director,), False),
    "sign": ((Role.school_admin,), False),
    "reject": ((Role.school_admin, Role.curator), False),
    "send_to_municipality": ((Role.municipal_officer,), True),
    "accept": ((Role.school_admin, Role.director), False),
    "return_for_revision": ((Role.school_admin, Role.curator, Role.director), False),
}


def load_document(session: Session, actor: Actor, document_id: int) -> Document:
    doc = session.get(Document, document_id)
    if doc is None or not may_read(actor, doc):
        raise NotFound("Документ не найден.", code="document_not_found")
    return doc


#: The document, its organisation (joined by the mapping), its route, its current version and
#: whether it is an order's appendix or has appendices, in one statement: everything a
#: transition reads about the document before it writes, and a document page before it shows
#: it (an act no order lists has no approving order, an order without appendices none to list).
_WITH_CONTEXT = (select(Document, DocumentRoute, DocumentVersion,
                        exists().where(Appendix.document_id == Document.id).label("listed"),
                        exists().where(Appendix.order_id == Document.id).label("lists"))
                 .outerjoin(DocumentRoute, DocumentRoute.document_id == Document.id)
                 .outerjoin(DocumentVersion, and_(DocumentVersion.document_id == Document.id,
                                                  DocumentVersion.number == Document.version))
                 .where(Document.id == bindparam("document_id")))


def load_with_context(session: Session, actor: Actor, document_id: int) -> Document:
    """Like :func:`load_document`, with the route, the current version and the appendix flags
    read in the same statement and kept for the rest of the transaction (see txcache)."""
    row = session.execute(_WITH_CONTEXT, {"document_id": document_id}).first()
    if row is None or not may_read(actor, row.Document):
        raise NotFound("Документ не найден.", code="document_not_found")
    doc = row.Document
    cache = txcache.rows(session)
    cache[("route", doc.id)] = row.DocumentRoute
    if row.DocumentVersion is not None:
        cache[("version", doc.id, doc.version)] = row.DocumentVersion
    cache[("is_appendix", doc.id)] = bool(row.listed)
    cache[("has_appendices", doc.id)] = bool(row.lists)
    return doc


def current_version(session: Session, doc: Document) -> DocumentVersion:
    cache = txcache.rows(session)
    key = ("version", doc.id, doc.version)
    if key not in cache:
        cache[key] = session.scalar(select(DocumentVersion).where(
            DocumentVersion.document_id == doc.id, DocumentVersion.number == doc.version))
    return cache[key]


_CLAIMS: dict[tuple[str, ...], Any] = {}


def _claim_statement(columns: tuple[str, ...]):
    """The conditional UPDATE writing ``columns``, built once per set of columns (an event
    writes the same columns every time), with bound parameters for the values."""
    stmt = _CLAIMS.get(columns)
    if stmt is None:
        table = Document.__table__
        stmt = (update(table)
                .where(table.c.id == bindparam("_id"),
                       table.c.lock_version == bindparam("_expected"))
                .values({c: bindparam(f"v_{c}", type_=table.c[c].type) for c in columns}))
        _CLAIMS[columns] = stmt
    return stmt


def claim(session: Session, doc: Document, expected: int, values: dict | None = None) -> None:
    """Take the document for this transaction, writing ``values`` with the same conditional
    UPDATE, or raise 409 if someone changed it first."""
    values = dict(values or {}, lock_version=expected + 1, updated_at=clock.now())
    if "title" in values or "registration_number" in values:
        values["search_text"] = document_search_text(
            values.get("title", doc.title),
            values.get("registration_number", doc.registration_number))
    changed = rowcount(session, _claim_statement(tuple(sorted(values))),
                       {"_id": doc.id, "_expected": expected,
                        **{f"v_{k}": v for k, v in values.items()}})
    if changed != 1:
        raise Conflict("Документ уже изменён другим пользователем. Обновите страницу.",
                       code="stale_lock_version")
    for key, value in values.items():
        set_committed_value(doc, key, value)


def notify_effect(session: Session, doc: Document, event: str, actor_id: int) -> list[Later]:
    """The notice of ``event`` to those who act next (the one who fired it is not told)."""
    rule = NOTIFY.get(event)
    if rule is None:
        return []
    roles, in_parent = rule
    org_id = doc.organization.parent_id if in_parent else doc.org_id
    if org_id is None:
        return []
    return [enqueue_later(
        session, f"doc:{doc.id}:v{doc.version}:notify:{event}:{doc.lock_version}", "notify",
        document_id=doc.id, version=doc.version,
        payload={"event": event, "org_id": org_id, "roles": [r.value for r in roles],
                 "title": doc.title, "state": doc.state.value, "actor_id": actor_id})]


def apply_event(rt, document_id: int, event: str, actor: Actor, comment: str = "",
                expected_version: int | None = None, extra: dict | None = None,
                answer: Callable[[Session, Document], Any] | None = None) -> Any:
    """Fire ``event`` on a document as ``actor``; returns the document id, or with ``answer``
    what ``answer(session, doc)`` returns, called after every write of the transition and
    before the commit — the document as committed, without reading it again."""
    if event not in machine.EVENTS:
        raise NotFound(f"Неизвестное действие «{event}».", code="unknown_event")
    comment = (comment or "").strip()
    with rt.db.write_session() as session:
        doc = load_with_context(session, actor, document_id)
        verdict = authorize(session, actor, doc, event, extra)
        if not verdict.allowed:
            raise Forbidden("У вас нет права выполнять это действие с документом.",
                            code="event_not_allowed")
        if expected_version is not None and expected_version != doc.lock_version:
            # The caller acted on an outdated copy: refresh first, whatever the state is now.
            raise Conflict("Документ уже изменён другим пользователем. Обновите страницу.",
                           code="stale_lock_version")
        step = Step(rt=rt, session=session, doc=doc, event=event, actor=actor,
                    comment=comment, now=clock.now(),
                    on_behalf_of=verdict.on_behalf_of, extra=dict(extra or {}))
        registered = steps_for(event, doc.kind)
        for s in registered:
            if s.check:
                s.check(step)
        from_state = doc.state
        ctx = machine.TransitionContext(state=from_state, document=doc, comment=comment,
                                        extra={"session": session, "actor": actor})
        step.to_state = machine.fire(doc.kind, event, ctx)
        step.version = current_version(session, doc)
        step.content_hash = step.version.content_sha256
        values: dict = {"state": step.to_state}
        for s in registered:
            if s.values:
                values.update(s.values(step))
        claim(session, doc, doc.lock_version if expected_version is None else expected_version,
              values)
        # The writes after the claim go out in two round trips on PostgreSQL: with the read of
        # the chain's head, and with the COMMIT (documents.write_batch).
        with deferred(session):
            for s in registered:
                if s.after:
                    s.after(step)
            append_event(session, org_id=doc.org_id, document_id=doc.id, actor_id=actor.id,
                         actor_name=actor.full_name, event=step.history_event or event,
                         from_state=from_state.value, to_state=step.to_state.value,
                         version=doc.version, comment=comment,
                         content_sha256=step.content_hash, on_behalf_of=step.on_behalf_of)
            notices = notify_effect(session, doc, step.history_event or event, actor.id)
            outbox = list(step.outbox)
            if event == "revise":
                preview = request_preview(session, doc, current_version(session, doc))
                outbox += [preview.id] if preview else []
            result = document_id if answer is None else answer(session, doc)
            finish(session)
    rt.after_commit(outbox + [n.row.id for n in notices if n.row is not None])
    return result


def responsible_ok(session: Session, user_id: int, org_id: int) -> bool:
    return session.scalar(select(Grant.id).where(Grant.user_id == user_id,
                                                 Grant.org_id == org_id).limit(1)) is not None
