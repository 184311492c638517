"""The transition service: one call applies one event to one document, atomically.

1. permission (403), 2. validity and guards (422), 3. in one transaction: a conditional
UPDATE on ``lock_version`` (0 rows → 409), the history event, outbox rows; 4. effects run
after commit.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime

from sqlalchemy import select, update
from sqlalchemy.orm import Session
from sqlalchemy.orm.attributes import set_committed_value

from documents.models import DocState, Document, DocumentVersion, Grant, Role, Visa
from documents.models.document import RenderStatus
from workflow import journal, machine
from workflow.audit import append_event
from workflow.effects import enqueue_id
from workflow.errors import Conflict, Forbidden, NotFound, RuleViolation
from workflow.kinds import KINDS, check_complete
from workflow.permissions import Actor, may_fire, may_read
from workflow.rendering import freeze_signed, request_preview

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


#: Hooks run inside the sign transaction, per kind (e.g. a signed pair order activates pairs).
ON_SIGNED: dict[str, list[Callable[[Session, Document], None]]] = {}


def load_document(session: Session, actor: Actor, document_id: int) -> Document:
    doc = session.get(Document, document_id)
    if doc is None or not may_read(actor, doc):
        raise NotFound("Документ не найден.", code="document_not_found")
    return doc


def current_version(session: Session, doc: Document) -> DocumentVersion:
    return session.scalar(select(DocumentVersion).where(
        DocumentVersion.document_id == doc.id, DocumentVersion.number == doc.version))


def claim(session: Session, doc: Document, expected: int, values: dict | None = None) -> None:
    """Take the document for this transaction, writing ``values`` with the same conditional
    UPDATE, or raise 409 if someone changed it first."""
    values = dict(values or {}, lock_version=expected + 1, updated_at=datetime.now(UTC))
    result = session.execute(
        update(Document)
        .where(Document.id == doc.id, Document.lock_version == expected)
        .values(**values)
        .execution_options(synchronize_session=False)
    )
    if result.rowcount != 1:
        raise Conflict("Документ уже изменён другим пользователем. Обновите страницу.",
                       code="stale_lock_version")
    for key, value in values.items():
        set_committed_value(doc, key, value)


def notify_effect(session: Session, doc: Document, event: str) -> list[int]:
    rule = NOTIFY.get(event)
    if rule is None:
        return []
    roles, in_parent = rule
    org_id = doc.organization.parent_id if in_parent else doc.org_id
    if org_id is None:
        return []
    item_id = enqueue_id(session, f"doc:{doc.id}:v{doc.version}:notify:{event}:{doc.lock_version}",
                         "notify", document_id=doc.id, version=doc.version,
                         payload={"event": event, "org_id": org_id,
                                  "roles": [r.value for r in roles], "title": doc.title,
                                  "state": doc.state.value})
    return [item_id] if item_id else []


def apply_event(rt, document_id: int, event: str, actor: Actor, comment: str = "",
                expected_version: int | None = None) -> int:
    """Fire ``event`` on a document as ``actor``; returns the document id."""
    if event not in machine.EVENTS:
        raise NotFound(f"Неизвестное действие «{event}».", code="unknown_event")
    comment = (comment or "").strip()
    with rt.db.write_session() as session:
        doc = load_document(session, actor, document_id)
        org = doc.organization
        if not may_fire(actor, event, org):
            raise Forbidden("У вас нет права выполнять это действие с документом.",
                            code="event_not_allowed")
        if expected_version is not None and expected_version != doc.lock_version:
            # The caller acted on an outdated copy: refresh first, whatever the state is now.
            raise Conflict("Документ уже изменён другим пользователем. Обновите страницу.",
                           code="stale_lock_version")
        if event == "submit":
            check_complete(doc.kind, doc.fields)
        if event == "send_to_municipality" and org.parent_id is None:
            raise RuleViolation("У организации нет вышестоящего органа управления образованием.",
                                code="no_municipality")
        from_state = doc.state
        ctx = machine.TransitionContext(state=from_state, document=doc, comment=comment,
                                        extra={"session": session, "actor": actor})
        to_state = machine.fire(doc.kind, event, ctx)
        content_hash = _apply(rt, session, doc, event, actor, comment, to_state,
                              doc.lock_version if expected_version is None else expected_version)
        append_event(session, org_id=doc.org_id, document_id=doc.id, actor_id=actor.id,
                     actor_name=actor.full_name, event=event, from_state=from_state.value,
                     to_state=to_state.value, version=doc.version, comment=comment,
                     content_sha256=content_hash)
        outbox = notify_effect(session, doc, event)
        if event == "revise":
            preview = request_preview(session, doc, current_version(session, doc))
            outbox += [preview.id] if preview else []
    rt.after_commit(outbox)
    return document_id


def _apply(rt, session: Session, doc: Document, event: str, actor: Actor, comment: str,
           to_state: DocState, expected: int) -> str:
    """Claim the row with everything the event means in one conditional UPDATE, then write
    the rows that hang off it; returns the content hash for the history."""
    now = datetime.now(UTC)
    values: dict = {"state": to_state}
    if event == "approve":
        values["approved_at"] = now
    elif event == "reject":
        values["approved_at"] = None
    elif event == "sign":
        values.update(signed_at=now, signer_id=actor.id, signer_name=actor.full_name,
                      registration_number=journal.next_number(
                          session, doc.org_id, now.year, KINDS[doc.kind].journal))
    elif event == "send_to_municipality":
        values["sent_at"] = doc.sent_at or now
    elif event == "revise":
        values.update(version=doc.version + 1, registration_number=None, signed_at=None,
                      signer_id=None, signer_name=None, approved_at=None)
    version = current_version(session, doc)
    claim(session, doc, expected, values)
    content_hash = version.content_sha256
    if event in ("approve", "reject"):
        session.add(Visa(document_id=doc.id, version=doc.version, user_id=actor.id,
                         user_name=actor.full_name, position=actor.position,
                         outcome="approved" if event == "approve" else "rejected",
                         comment=comment, at=now))
    elif event == "sign":
        version.registration_number, version.signed_at = doc.registration_number, now
        content_hash = freeze_signed(rt, session, doc, version)
        for hook in ON_SIGNED.get(doc.kind, ()):
            hook(session, doc)
    elif event == "revise":
        session.add(DocumentVersion(document_id=doc.id, number=doc.version, title=doc.title,
                                    fields=doc.fields, content_sha256=version.content_sha256,
                                    created_by_name=actor.full_name,
                                    render_status=RenderStatus.none))
        session.flush()
    return content_hash


def responsible_ok(session: Session, user_id: int, org_id: int) -> bool:
    return session.scalar(select(Grant.id).where(Grant.user_id == user_id,
                                                 Grant.org_id == org_id).limit(1)) is not None
