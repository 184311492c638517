"""Incremental verification: each organisation keeps the heads (seq, hash) a verification
found intact, so the next one only walks the events after the latest head — O(new events).

The latest checkpoint's row must still carry the hash it had; if it does not, the whole chain
is walked again against that head, which names the altered row.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from documents.models import AuditCheckpoint, HistoryEvent
from workflow import clock
from workflow.audit.chain import VerifyResult, tail_failure, verify_chain, walk


def latest(session: Session, org_id: int) -> AuditCheckpoint | None:
    return session.scalar(select(AuditCheckpoint).where(AuditCheckpoint.org_id == org_id)
                          .order_by(AuditCheckpoint.seq.desc(), AuditCheckpoint.id.desc())
                          .limit(1))


def verify(session: Session, org_id: int, *, full: bool = False, progress=None) -> VerifyResult:
    """Verify from the latest checkpoint (or from the start when ``full`` or none exists)."""
    cp = None if full else latest(session, org_id)
    if cp is None:
        return verify_chain(session, org_id, progress=progress)
    kept = session.scalar(select(HistoryEvent.hash).where(HistoryEvent.org_id == org_id,
                                                         HistoryEvent.seq == cp.seq))
    if kept != cp.hash:
        return verify_chain(session, org_id, cp.seq, cp.hash)
    w = walk(session, org_id, after_seq=cp.seq, prev_hash=cp.hash, progress=progress)
    if w.failure is not None:
        return w.failure
    bad = tail_failure(session, org_id, w.last_seq, w.checked)
    if bad is not None:
        return bad
    return VerifyResult(True, w.checked, head_seq=w.last_seq, head_hash=w.last_hash)


def record(session: Session, org_id: int, result: VerifyResult) -> AuditCheckpoint | None:
    """Keep the head an intact verification reached (nothing for a failed one)."""
    if not result.ok or not result.head_seq:
        return None
    cp = AuditCheckpoint(org_id=org_id, seq=result.head_seq, hash=result.head_hash,
                         verified_at=clock.now(), events_checked=result.events_checked)
    session.add(cp)
    session.flush()
    return cp


@dataclass(frozen=True)
class ChainStatus:
    org_id: int
    org_name: str
    head_seq: int | None  # last verified head
    head_hash: str | None
    verified_at: datetime | None
    events: int  # events in the chain now
    events_since: int


def statuses(session: Session, orgs: list) -> list[ChainStatus]:
    """Chain status of each organisation in two queries, whatever their number."""
    ids = [o.id for o in orgs]
    last = (select(AuditCheckpoint.org_id, func.max(AuditCheckpoint.id).label("id"))
            .where(AuditCheckpoint.org_id.in_(ids)).group_by(AuditCheckpoint.org_id).subquery())
    cps = {cp.org_id: cp for cp in session.scalars(
        select(AuditCheckpoint).join(last, last.c.id == AuditCheckpoint.id))}
    counts = dict(session.execute(select(HistoryEvent.org_id, func.max(HistoryEvent.seq))
                                  .where(HistoryEvent.org_id.in_(ids))
                                  .group_by(HistoryEvent.org_id)).all())
    out = []
    for org in orgs:
        cp, n = cps.get(org.id), counts.get(org.id) or 0
        out.append(ChainStatus(org.id, org.short_name or org.name, cp.seq if cp else None,
                               cp.hash if cp else None, cp.verified_at if cp else None, n,
                               n - (cp.seq if cp else 0)))
    return out


def chain_statuses(session: Session, actor) -> list[ChainStatus]:
    """The «Цепочки» page: every organisation the auditor reaches (403 for others)."""
    from documents.models import Organization
    from workflow.audit.scope import scoped_orgs

    ids = scoped_orgs(session, actor, None)
    orgs = session.scalars(select(Organization).where(Organization.id.in_(ids))
                           .order_by(Organization.kind.desc(), Organization.id)).all()
    return statuses(session, list(orgs))
