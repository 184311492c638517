"""Audit anchoring: the head (seq, hash) of an organisation's chain, handed out so anyone who
kept one can later check the chain still reaches it unchanged (``verify`` with a head), and
e-mailed to the auditors once a day through the outbox (one message per auditor and day)."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from documents.models import Grant, HistoryEvent, Organization, OutboxItem, Role, User
from documents.models.history import iso_utc
from workflow import clock
from workflow.audit.chain import GENESIS
from workflow.engine import effects
from workflow.engine.permissions import Actor
from workflow.engine.queries import get_organization


def head_of(session: Session, org_id: int) -> dict:
    row = session.execute(select(HistoryEvent.seq, HistoryEvent.hash, HistoryEvent.at)
                          .where(HistoryEvent.org_id == org_id)
                          .order_by(HistoryEvent.seq.desc()).limit(1)).first()
    if row is None:
        return {"org_id": org_id, "seq": 0, "hash": GENESIS, "at": None}
    return {"org_id": org_id, "seq": row.seq, "hash": row.hash, "at": iso_utc(row.at)}


def head(session: Session, actor: Actor, org_id: int | None) -> dict:
    """GET /audit/head: the head of an organisation the caller sees (404 otherwise)."""
    if org_id is None:
        from workflow.errors import BadInput

        raise BadInput("Укажите организацию (org_id).", code="missing_parameter")
    get_organization(session, actor, org_id)
    return head_of(session, org_id)


def heads_for(session: Session, user_id: int) -> list[tuple[Organization, dict]]:
    """Heads of every organisation an auditor reaches (own grants and their schools)."""
    direct = set(session.scalars(select(Grant.org_id).where(Grant.user_id == user_id,
                                                            Grant.role == Role.auditor)))
    orgs = session.scalars(select(Organization).where(
        Organization.id.in_(direct) | Organization.parent_id.in_(direct))
        .order_by(Organization.id)).all()
    return [(org, head_of(session, org.id)) for org in orgs]


def queue_daily_heads(rt, today: date | None = None) -> int:
    """Queue today's heads e-mail for every active auditor; idempotent by (day, user)."""
    day = (today or clock.today()).isoformat()
    ids: list[int] = []
    with rt.db.write_session() as session:
        users = session.scalars(select(User.id).join(Grant, Grant.user_id == User.id)
                                .where(Grant.role == Role.auditor, User.is_active.is_(True))
                                .distinct()).all()
        for user_id in users:
            item = effects.enqueue(session, f"audit_heads:{day}:{user_id}", "audit_heads_mail",
                                   payload={"user_id": user_id, "day": day})
            if item is not None:
                session.flush()
                ids.append(item.id)
    rt.after_commit(ids)
    return len(ids)


def heads_mail_body(day: str, heads: list[tuple[Organization, dict]]) -> str:
    lines = [f"Вершины цепочек истории на {day[8:10]}.{day[5:7]}.{day[:4]}.",
             "Сохраните это письмо: по вершине любой может проверить, что история до неё",
             "не переписана и не укорочена (GET /api/v1/audit/verify?org_id=&head_seq=&head_hash=).",
             ""]
    for org, h in heads:
        lines.append(f"{org.short_name or org.name} (org_id={org.id}): "
                     f"запись № {h['seq']}, хеш {h['hash']}")
    return "\n".join(lines) + "\n"


@effects.handler("audit_heads_mail")
def _send_heads(rt, session: Session, item: OutboxItem) -> None:
    from workflow.notify.mailer import send_mail

    user = session.get(User, item.payload["user_id"])
    if user is None or not user.is_active:
        return
    heads = heads_for(session, user.id)
    if heads:
        send_mail(rt.settings, [user.email], "Наставник: вершины цепочек истории",
                  heads_mail_body(item.payload["day"], heads))
