"""The tamper-evident history: one hash chain per organisation, and its verifier.

``hash = sha256(canonical(event) + prev_hash)``. Appends to a chain are serialised: on
PostgreSQL by a transaction-scoped advisory lock, on SQLite by the write lock every write
use case takes (BEGIN IMMEDIATE); the unique (org_id, seq) constraint backs both.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import func, select, text
from sqlalchemy.orm import Session

from documents.models import Document, HistoryEvent
from documents.models.history import iso_utc

GENESIS = "0" * 64
_LOCK_NAMESPACE = 7301  # first key of pg_advisory_xact_lock(int, int) for history chains


def canonical(ev: HistoryEvent) -> bytes:
    body = {
        "org_id": ev.org_id,
        "seq": ev.seq,
        "document_id": ev.document_id,
        "at": iso_utc(ev.at),
        "actor_id": ev.actor_id,
        "actor_name": ev.actor_name,
        "event": ev.event,
        "from_state": ev.from_state,
        "to_state": ev.to_state,
        "version": ev.version,
        "comment": ev.comment or "",
        "content_sha256": ev.content_sha256,
    }
    if ev.on_behalf_of_id is not None:  # only deputies' events carry it: old hashes still hold
        body["on_behalf_of_id"] = ev.on_behalf_of_id
        body["on_behalf_of_name"] = ev.on_behalf_of_name or ""
    return json.dumps(body, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode()


def compute_hash(ev: HistoryEvent, prev_hash: str) -> str:
    return hashlib.sha256(canonical(ev) + prev_hash.encode()).hexdigest()


def append_event(session: Session, *, org_id: int, document_id: int, actor_id: int | None,
                 actor_name: str, event: str, from_state: str | None, to_state: str,
                 version: int, comment: str, content_sha256: str,
                 on_behalf_of: tuple[int, str] | None = None) -> HistoryEvent:
    """Append one event to the organisation's chain inside the caller's transaction."""
    if session.get_bind().dialect.name == "postgresql":
        session.execute(text("SELECT pg_advisory_xact_lock(:ns, :key)"),
                        {"ns": _LOCK_NAMESPACE, "key": org_id})
    last = session.execute(
        select(HistoryEvent.seq, HistoryEvent.hash)
        .where(HistoryEvent.org_id == org_id)
        .order_by(HistoryEvent.seq.desc())
        .limit(1)
    ).first()
    ev = HistoryEvent(
        org_id=org_id, seq=(last.seq + 1) if last else 1, document_id=document_id,
        at=datetime.now(UTC),
        actor_id=actor_id, actor_name=actor_name, event=event, from_state=from_state,
        to_state=to_state, version=version, comment=comment or "",
        content_sha256=content_sha256, prev_hash=last.hash if last else GENESIS,
        on_behalf_of_id=on_behalf_of[0] if on_behalf_of else None,
        on_behalf_of_name=on_behalf_of[1] if on_behalf_of else None,
    )
    ev.hash = compute_hash(ev, ev.prev_hash)
    session.add(ev)
    session.flush()
    return ev


@dataclass(frozen=True)
class VerifyResult:
    ok: bool
    events_checked: int
    first_bad_seq: int | None = None
    org_id: int | None = None
    reason: str | None = None

    def to_api(self) -> dict:
        if self.ok:
            return {"ok": True, "events_checked": self.events_checked}
        return {"ok": False, "first_bad_seq": self.first_bad_seq, "org_id": self.org_id,
                "reason": self.reason, "events_checked": self.events_checked}


def verify_chain(session: Session, org_id: int) -> VerifyResult:
    """Walk one organisation's chain and name the first event that does not hold."""
    expected_seq, prev_hash, checked = 1, GENESIS, 0
    rows = session.scalars(
        select(HistoryEvent).where(HistoryEvent.org_id == org_id)
        .order_by(HistoryEvent.seq).execution_options(yield_per=2000)
    )
    for ev in rows:
        checked += 1
        if ev.seq != expected_seq:
            return VerifyResult(False, checked, expected_seq, org_id,
                                f"Запись № {expected_seq} отсутствует (удалена): "
                                f"после № {expected_seq - 1} идёт № {ev.seq}.")
        if ev.prev_hash != prev_hash:
            return VerifyResult(False, checked, ev.seq, org_id,
                                f"Запись № {ev.seq} не ссылается на хеш предыдущей записи.")
        if compute_hash(ev, ev.prev_hash) != ev.hash:
            return VerifyResult(False, checked, ev.seq, org_id,
                                f"Запись № {ev.seq} изменена: её хеш не совпадает с содержимым.")
        prev_hash, expected_seq = ev.hash, expected_seq + 1
    # Every document write appends exactly one event and bumps lock_version once, so a chain
    # whose tail was deleted is shorter than its documents say.
    recorded = session.scalar(
        select(func.coalesce(func.sum(Document.lock_version + 1), 0))
        .where(Document.org_id == org_id)
    )
    if recorded != checked:
        return VerifyResult(False, checked, expected_seq, org_id,
                            f"В цепочке {checked} записей, а документы организации ссылаются на "
                            f"{recorded}: записи начиная с № {expected_seq} удалены.")
    return VerifyResult(True, checked)


def verify_orgs(session: Session, org_ids: list[int]) -> VerifyResult:
    total = 0
    for org_id in sorted(org_ids):
        result = verify_chain(session, org_id)
        total += result.events_checked
        if not result.ok:
            return VerifyResult(False, total, result.first_bad_seq, org_id, result.reason)
    return VerifyResult(True, total)
