"""The tamper-evident history: one hash chain per organisation, and its verifier.

``hash = sha256(canonical(event) + prev_hash)``. Appends to a chain are serialised: on
PostgreSQL by a transaction-scoped advisory lock, on SQLite by the write lock every write
use case takes (BEGIN IMMEDIATE); the unique (org_id, seq) constraint backs both.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from types import SimpleNamespace

from sqlalchemy import func, insert, select, text
from sqlalchemy.orm import Session

from documents.db import run_dml, stream_rows
from documents.models import Document, HistoryEvent
from documents.models.history import iso_utc
from documents.write_batch import first_row
from workflow import clock

GENESIS = "0" * 64
_LOCK_NAMESPACE = 7301  # first key of pg_advisory_xact_lock(int, int) for history chains


#: What the hash covers, plus the link and the hash: rows are read as tuples (bounded memory).
CHAIN_COLUMNS = (HistoryEvent.org_id, HistoryEvent.seq, HistoryEvent.document_id, HistoryEvent.at,
                 HistoryEvent.actor_id, HistoryEvent.actor_name, HistoryEvent.event,
                 HistoryEvent.from_state, HistoryEvent.to_state, HistoryEvent.version,
                 HistoryEvent.comment, HistoryEvent.content_sha256, HistoryEvent.prev_hash,
                 HistoryEvent.hash, HistoryEvent.on_behalf_of_id, HistoryEvent.on_behalf_of_name)


_INSERT = insert(HistoryEvent.__table__).inline()  # no RETURNING: it may be batched
_LOCKED_HEAD = text("SELECT seq, hash FROM nastavnik_chain_head(CAST(:ns AS integer), "
                    "CAST(:org AS integer))")
_HAS_LOCKED_HEAD = text(
    "SELECT to_regprocedure('nastavnik_chain_head(integer, integer)') IS NOT NULL")
_HEAD = text("SELECT seq, hash FROM history_events WHERE org_id = :org ORDER BY seq DESC LIMIT 1")


def _has_locked_head(session: Session) -> bool:
    """Does this database have nastavnik_chain_head()? Asked once per pooled connection."""
    info = session.connection().info
    if "chain_head_fn" not in info:
        info["chain_head_fn"] = first_row(session, _HAS_LOCKED_HEAD, {})[0]
    return info["chain_head_fn"]


def canonical_dict(ev) -> dict:
    """The fields the hash covers (an ORM event or a row of CHAIN_COLUMNS)."""
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
    return body


def canonical(ev) -> bytes:
    body = canonical_dict(ev)
    return json.dumps(body, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode()


def compute_hash(ev, prev_hash: str) -> str:
    return hashlib.sha256(canonical(ev) + prev_hash.encode()).hexdigest()


def append_event(session: Session, *, org_id: int, document_id: int, actor_id: int | None,
                 actor_name: str, event: str, from_state: str | None, to_state: str,
                 version: int, comment: str, content_sha256: str,
                 on_behalf_of: tuple[int, str] | None = None) -> None:
    """Append one event to the organisation's chain inside the caller's transaction (plain
    statements on the session's connection: every transition ends here)."""
    connection = session.connection()
    if connection.dialect.name != "postgresql":
        # SQLite: the write lock of BEGIN IMMEDIATE already serialises appends
        last = connection.execute(_HEAD, {"org": org_id}).first()
    elif _has_locked_head(session):
        # the advisory lock, then the head, in one round trip (migration i14_transition_path)
        # (sent with the transition's writes queued before it: documents.write_batch)
        last = first_row(session, _LOCKED_HEAD, {"ns": _LOCK_NAMESPACE, "org": org_id})
    else:  # a database migrated only part of the way: the same, in two statements
        connection.execute(text("SELECT pg_advisory_xact_lock(:ns, :key)"),
                           {"ns": _LOCK_NAMESPACE, "key": org_id})
        last = connection.execute(_HEAD, {"org": org_id}).first()
    row = SimpleNamespace(
        org_id=org_id, seq=(last.seq + 1) if last else 1, document_id=document_id,
        at=clock.now(),
        actor_id=actor_id, actor_name=actor_name, event=event, from_state=from_state,
        to_state=to_state, version=version, comment=comment or "",
        content_sha256=content_sha256, prev_hash=last.hash if last else GENESIS,
        on_behalf_of_id=on_behalf_of[0] if on_behalf_of else None,
        on_behalf_of_name=on_behalf_of[1] if on_behalf_of else None,
    )
    row.hash = compute_hash(row, row.prev_hash)
    # a plain INSERT (the event is never changed after): no unit of work around one row
    run_dml(session, _INSERT, vars(row))


@dataclass(frozen=True)
class VerifyResult:
    ok: bool
    events_checked: int
    first_bad_seq: int | None = None
    org_id: int | None = None
    reason: str | None = None  # a Russian sentence, or "head_mismatch" / "truncated"
    message: str | None = None  # the Russian sentence for a head failure
    head_seq: int | None = None  # the last event that held (the verified head)
    head_hash: str | None = None

    def to_api(self) -> dict:
        if self.ok:
            return {"ok": True, "events_checked": self.events_checked}
        return {"ok": False, "first_bad_seq": self.first_bad_seq, "org_id": self.org_id,
                "reason": self.reason, "message": self.message or self.reason,
                "events_checked": self.events_checked}


@dataclass
class Walk:
    """What walking part of a chain found: the first failure, or the last event that held."""

    checked: int = 0
    last_seq: int = 0
    last_hash: str = GENESIS
    failure: VerifyResult | None = None
    hashes_at: dict = None  # seq -> hash for the seqs asked about


def walk(session: Session, org_id: int, *, after_seq: int = 0, prev_hash: str = GENESIS,
         want: frozenset[int] = frozenset(), progress=None) -> Walk:
    """Check the events after ``after_seq`` (whose hash is ``prev_hash``), streaming.

    A row whose content changed and whose hash was recomputed holds by itself; the next row
    still links to the old hash, and holds by itself too — so the altered row is the one
    before, and that is the row reported (not the next one).
    """
    w = Walk(last_seq=after_seq, last_hash=prev_hash, hashes_at={})
    expected_seq = after_seq + 1
    rows = stream_rows(session, select(*CHAIN_COLUMNS).where(
        HistoryEvent.org_id == org_id, HistoryEvent.seq > after_seq).order_by(HistoryEvent.seq),
        500)
    for ev in rows:
        w.checked += 1
        if ev.seq != expected_seq:
            w.failure = VerifyResult(False, w.checked, expected_seq, org_id,
                                     f"Запись № {expected_seq} отсутствует (удалена): "
                                     f"после № {expected_seq - 1} идёт № {ev.seq}.")
            break
        holds = compute_hash(ev, ev.prev_hash) == ev.hash
        if ev.prev_hash != w.last_hash:
            if holds and ev.seq > 1:
                bad = ev.seq - 1
                w.failure = VerifyResult(False, w.checked, bad, org_id,
                                         f"Запись № {bad} изменена: её хеш пересчитан, а "
                                         f"запись № {ev.seq} ссылается на прежний.")
            else:
                w.failure = VerifyResult(False, w.checked, ev.seq, org_id,
                                         f"Запись № {ev.seq} не ссылается на хеш "
                                         "предыдущей записи.")
            break
        if not holds:
            w.failure = VerifyResult(False, w.checked, ev.seq, org_id,
                                     f"Запись № {ev.seq} изменена: её хеш не совпадает "
                                     "с содержимым.")
            break
        if ev.seq in want:
            w.hashes_at[ev.seq] = ev.hash
        w.last_seq, w.last_hash, expected_seq = ev.seq, ev.hash, expected_seq + 1
        if progress is not None and w.checked % 1000 == 0:
            progress(w.checked)
    return w


def recorded_events(session: Session, org_id: int) -> int:
    """How many events the organisation's documents say exist (one per write, see below)."""
    return session.scalar(
        select(func.coalesce(func.sum(Document.lock_version + 1), 0))
        .where(Document.org_id == org_id)
    )


def tail_failure(session: Session, org_id: int, last_seq: int, checked: int) -> VerifyResult | None:
    # Every document write appends exactly one event and bumps lock_version once, so a chain
    # whose tail was deleted is shorter than its documents say.
    recorded = recorded_events(session, org_id)
    if recorded != last_seq:
        return VerifyResult(False, checked, last_seq + 1, org_id,
                            f"В цепочке {last_seq} записей, а документы организации ссылаются "
                            f"на {recorded}: записи начиная с № {last_seq + 1} удалены.")
    return None


def head_failure(org_id: int, checked: int, head_seq: int, head_hash: str, last_seq: int,
                 found_hash: str | None) -> VerifyResult | None:
    """Does the chain still reach the head someone kept, unchanged?"""
    if last_seq < head_seq:
        return VerifyResult(False, checked, last_seq + 1, org_id, "truncated",
                            f"Цепочка обрывается на записи № {last_seq}, а сохранённая вершина "
                            f"— № {head_seq}: записи с № {last_seq + 1} удалены.")
    if found_hash != head_hash:
        return VerifyResult(False, checked, head_seq, org_id, "head_mismatch",
                            f"Хеш записи № {head_seq} не совпадает с сохранённой вершиной: "
                            "история до неё переписана.")
    return None


def verify_chain(session: Session, org_id: int, head_seq: int | None = None,
                 head_hash: str | None = None, progress=None) -> VerifyResult:
    """Walk one organisation's chain and name the first event that does not hold; with a
    kept head (seq, hash), also fail when the chain no longer reaches it unchanged."""
    want = frozenset({head_seq}) if head_seq else frozenset()
    w = walk(session, org_id, want=want, progress=progress)
    if w.failure is not None and (not head_seq or w.failure.first_bad_seq <= head_seq):
        return w.failure
    if head_seq:
        found = w.hashes_at.get(head_seq) if w.failure is None or head_seq < w.failure.first_bad_seq \
            else None
        bad = head_failure(org_id, w.checked, head_seq, head_hash or "",
                           w.last_seq if w.failure is None else w.failure.first_bad_seq - 1,
                           found)
        if bad is not None:
            return bad
    if w.failure is not None:
        return w.failure
    bad = tail_failure(session, org_id, w.last_seq, w.checked)
    if bad is not None:
        return bad
    return VerifyResult(True, w.checked, head_seq=w.last_seq, head_hash=w.last_hash)


def verify_orgs(session: Session, org_ids: list[int], head_seq: int | None = None,
                head_hash: str | None = None) -> VerifyResult:
    total = 0
    for org_id in sorted(org_ids):
        result = verify_chain(session, org_id, head_seq, head_hash)
        total += result.events_checked
        if not result.ok:
            return VerifyResult(False, total, result.first_bad_seq, org_id, result.reason,
                                result.message)
    return VerifyResult(True, total)
