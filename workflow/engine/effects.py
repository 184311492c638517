"""The transactional outbox: producers add rows inside their transaction; consumers run each
effect once, keyed by (document, version, effect), whether called inline or by a worker."""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import timedelta

from sqlalchemy import bindparam, select, text
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from documents.models import OutboxItem
from documents.write_batch import Later, later
from workflow import clock, observability

log = logging.getLogger(__name__)

Handler = Callable[["Runtime", Session, OutboxItem], Callable[[], object] | None]  # noqa: F821
HANDLERS: dict[str, Handler] = {}
MAX_ATTEMPTS = 5


def handler(effect: str) -> Callable[[Handler], Handler]:
    def decorator(fn: Handler) -> Handler:
        HANDLERS[effect] = fn
        return fn

    return decorator


def _traced(payload: dict | None) -> dict:
    """The payload with the id of the request that caused the effect (for the logs)."""
    payload = dict(payload or {})
    rid = observability.current_request_id()
    if rid and "request_id" not in payload:
        payload["request_id"] = rid
    return payload


def enqueue(session: Session, key: str, effect: str, *, document_id: int | None = None,
            version: int | None = None, payload: dict | None = None) -> OutboxItem | None:
    """Add an outbox row unless one with this key exists; returns the new row or None."""
    if session.scalar(select(OutboxItem.id).where(OutboxItem.key == key)) is not None:
        return None
    item = OutboxItem(key=key, effect=effect, document_id=document_id, version=version,
                      payload=_traced(payload))
    try:
        with session.begin_nested():
            session.add(item)
    except IntegrityError:
        return None
    return item


def enqueue_later(session: Session, key: str, effect: str, *, document_id: int | None = None,
                  version: int | None = None, payload: dict | None = None) -> Later:
    """Like :func:`enqueue` in one statement (INSERT … ON CONFLICT DO NOTHING RETURNING id),
    for the hot path of transitions: sent with the transaction's other writes
    (documents.write_batch); its ``row`` holds the new id once sent (None: the key existed)."""
    now = clock.now()
    return later(session, _ENQUEUE_SQL, {
        "key": key, "effect": effect, "document_id": document_id, "version": version,
        "payload": _traced(payload), "created_at": now, "available_at": now})


def _enqueue_stmt():
    """INSERT … ON CONFLICT (key) DO NOTHING RETURNING id as text: the dialects' own
    ``on_conflict_do_nothing`` constructs carry no cache key, so SQLAlchemy compiled that
    INSERT again on every transition; a text statement is compiled once."""
    cols = OutboxItem.__table__.c
    names = ("key", "effect", "document_id", "version", "payload", "created_at",
             "available_at")
    return text(
        'INSERT INTO outbox ("key", effect, document_id, version, payload, created_at, '
        "available_at, attempts) VALUES (:key, :effect, :document_id, :version, :payload, "
        ':created_at, :available_at, 0) ON CONFLICT ("key") DO NOTHING RETURNING id'
    ).bindparams(*(bindparam(n, type_=cols[n].type) for n in names)).columns(cols["id"])


_ENQUEUE_SQL = _enqueue_stmt()


def _retry_at(item: OutboxItem):
    return clock.now() + timedelta(seconds=min(300, 5 * 2 ** item.attempts))


def _failed(session: Session, item: OutboxItem, exc: Exception) -> None:
    """Record a failed attempt: the error, the next try after a backoff, given up after
    MAX_ATTEMPTS."""
    log.exception("effect %s failed", item.key)
    item.last_error = f"{type(exc).__name__}: {exc}"[:2000]
    item.available_at = _retry_at(item)
    if item.attempts >= MAX_ATTEMPTS:
        item.done_at = clock.now()
    session.commit()


def run_effect(rt, outbox_id: int) -> str:
    """Run one effect exactly once: "done", "skipped" (already done) or "failed" (raises).

    A handler that sends something out of the system (a mail with a link to what it wrote)
    returns that sending as a callable: it runs after the handler's writes are committed, so
    the link works the moment it arrives. The row stays undone until the sending succeeded
    (a crash in between sends again on the retry: at least once)."""
    with rt.db.write_session() as session:
        item = session.scalar(
            select(OutboxItem).where(OutboxItem.id == outbox_id).with_for_update(skip_locked=True)
        )
        if item is None or item.done_at is not None:
            return "skipped"
        token = observability.request_id.set((item.payload or {}).get("request_id"))
        fn = HANDLERS.get(item.effect)
        if fn is None:
            item.last_error = f"unknown effect {item.effect}"
            item.done_at = clock.now()
            observability.request_id.reset(token)
            return "failed"
        try:
            try:
                with session.begin_nested():
                    deliver = fn(rt, session, item)
            finally:
                item.attempts += 1  # written with the outcome: one UPDATE fewer
            if deliver is not None:
                item.available_at = _retry_at(item)  # not claimed again while it sends
                session.commit()
                deliver()
        except Exception as exc:  # recorded for the retry and the document page
            _failed(session, item, exc)
            observability.request_id.reset(token)
            raise
        item.done_at = clock.now()
        item.last_error = None
        done = {"effect": item.effect, "outbox_id": item.id, "attempt": item.attempts,
                "key": item.key, "request_id": observability.current_request_id()}
    log.info("effect %s done", done["key"], extra=done)
    observability.request_id.reset(token)
    return "done"


def run_effects(rt, outbox_ids: list[int]) -> None:
    """Embedded mode: run effects now; a failure is recorded and never reaches the user."""
    for outbox_id in outbox_ids:
        try:
            run_effect(rt, outbox_id)
        except Exception:  # noqa: BLE001 - recorded on the outbox row by run_effect
            pass


def claim_pending(rt, limit: int = 100) -> list[int]:
    """Mark due, undispatched rows as dispatched and return their ids (the relay's step)."""
    now = clock.now()
    with rt.db.write_session() as session:
        rows = session.scalars(
            select(OutboxItem)
            .where(OutboxItem.done_at.is_(None), OutboxItem.available_at <= now,
                   (OutboxItem.dispatched_at.is_(None))
                   | (OutboxItem.dispatched_at
                      < now - timedelta(seconds=getattr(rt.settings, "redispatch_after", 600))))
            .order_by(OutboxItem.id)
            .limit(limit)
            .with_for_update(skip_locked=True)
        ).all()
        for row in rows:
            row.dispatched_at = now
        return [row.id for row in rows]


def release(rt, outbox_ids: list[int]) -> None:
    """Give rows back to the relay when handing them to the broker failed."""
    with rt.db.write_session() as session:
        for row in session.scalars(select(OutboxItem).where(OutboxItem.id.in_(outbox_ids))):
            row.dispatched_at = None
