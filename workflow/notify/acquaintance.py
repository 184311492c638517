"""Electronic acquaintance with a signed order (api.md «Acquaintance»).

An order names the staff to acquaint (``fields.acquaintance_user_ids``). At signing each of
them is listed (one ``Acquaintance`` row), gets the task «Ознакомиться» in «Мои задачи», a
notification and an e-mail (through the outbox); one click on the document page confirms.
Three days after signing those who have not confirmed get one reminder — exactly once, by
the same insert-first ``ReminderLog`` key as the roadmap reminders.
"""

from __future__ import annotations

import hashlib
import logging
from datetime import date, timedelta

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from documents.models import (
    Acquaintance,
    DocState,
    Document,
    Grant,
    Notification,
    OutboxItem,
    User,
)
from documents.models.document import SIGNED_STATES
from documents.models.history import iso_utc
from documents.models.reminder import ReminderLog
from workflow import clock
from workflow.engine import steps
from workflow.engine.effects import enqueue, handler
from workflow.engine.permissions import Actor
from workflow.engine.transition import load_document
from workflow.errors import Forbidden, RuleViolation
from workflow.notify import reminder_log
from workflow.notify.mailer import send_mail

log = logging.getLogger(__name__)

ORDER_KINDS = ("order", "curator_order", "pair_order")
REMIND_AFTER_DAYS = 3
REMINDER_KIND = "acquaintance"
TASK = "Ознакомиться"


def listed_ids(fields: dict | None) -> list[int]:
    ids = (fields or {}).get("acquaintance_user_ids") or []
    return list(dict.fromkeys(i for i in ids if isinstance(i, int)))


def staff(session: Session, org_id: int, ids: list[int]) -> dict[int, User]:
    """The active users among ``ids`` who hold a role in the organisation (staff only:
    students and minors are never users, so they can never be listed)."""
    if not ids:
        return {}
    users = session.scalars(select(User).where(
        User.id.in_(ids), User.is_active.is_(True),
        User.id.in_(select(Grant.user_id).where(Grant.org_id == org_id))))
    return {u.id: u for u in users}


# --- transition steps ---------------------------------------------------------------------

def _check_listed(step: steps.Step) -> None:
    ids = listed_ids(step.doc.fields)
    found = staff(step.session, step.doc.org_id, ids)
    missing = [i for i in ids if i not in found]
    if missing:
        raise RuleViolation(
            "В списке ознакомления есть пользователи, которые не работают в организации: "
            + ", ".join(map(str, missing)) + ".", code="acquaintance_not_staff",
            details={"user_ids": missing})


def _list_on_sign(step: steps.Step) -> None:
    """Inside the sign transaction: list the people, give each the task and queue e-mail."""
    doc, session = step.doc, step.session
    users = staff(session, doc.org_id, listed_ids(doc.fields))
    if not users:
        return
    existing = {a.user_id: a for a in session.scalars(
        select(Acquaintance).where(Acquaintance.document_id == doc.id))}
    for uid, user in users.items():
        row = existing.get(uid)
        if row is None:
            session.add(Acquaintance(document_id=doc.id, user_id=uid, version=doc.version,
                                     user_name=user.full_name, position=user.position or "",
                                     listed_at=step.now))
        elif row.version != doc.version:  # a new signed version must be read again
            row.version, row.acknowledged_at, row.listed_at = doc.version, None, step.now
            row.user_name, row.position = user.full_name, user.position or ""
        session.add(Notification(
            user_id=uid, document_id=doc.id, kind="acquaintance",
            text=f"{TASK} с приказом «{doc.title}» № {doc.registration_number}.",
            url=f"/documents/{doc.id}", dedupe_key=f"ack:{doc.id}:v{doc.version}:u{uid}"))
    enqueue(session, f"doc:{doc.id}:v{doc.version}:acquaintance_mail", "acquaintance_mail",
            document_id=doc.id, version=doc.version)


steps.register("submit", kinds=ORDER_KINDS, check=_check_listed)
steps.register("sign", kinds=ORDER_KINDS, check=_check_listed, after=_list_on_sign)


@handler("acquaintance_mail")
def _mail(rt, session: Session, item: OutboxItem) -> None:
    doc = session.get(Document, item.document_id)
    rows = session.execute(
        select(User.email).join(Acquaintance, Acquaintance.user_id == User.id)
        .where(Acquaintance.document_id == item.document_id,
               Acquaintance.acknowledged_at.is_(None))).scalars().all()
    if doc is None or not rows:
        return
    url = f"{rt.settings.base_url.rstrip('/')}/documents/{doc.id}"
    send_mail(rt.settings, list(rows), f"{TASK}: приказ № {doc.registration_number}",
              f"Подписан приказ «{doc.title}» № {doc.registration_number}. Ознакомьтесь "
              f"с ним и подтвердите ознакомление на странице документа:\n\n{url}\n")


# --- use cases ----------------------------------------------------------------------------

def _row_to_api(row: Acquaintance) -> dict:
    return {"user_id": row.user_id, "name": row.user_name, "position": row.position,
            "acknowledged_at": iso_utc(row.acknowledged_at)}


def acknowledge(rt, actor: Actor, document_id: int) -> dict:
    """The listed person confirms they have read the signed order; a second call changes
    nothing and answers the same."""
    with rt.db.write_session() as session:
        doc = load_document(session, actor, document_id)
        row = session.scalar(select(Acquaintance).where(
            Acquaintance.document_id == doc.id, Acquaintance.user_id == actor.id))
        if row is None:
            if actor.id in listed_ids(doc.fields) and doc.state.value not in SIGNED_STATES:
                raise RuleViolation("Ознакомиться можно только с подписанным приказом.",
                                    code="not_signed")
            raise Forbidden("Вас нет в списке ознакомления с этим документом.",
                            code="not_in_acquaintance_list")
        if doc.state is DocState.cancelled:
            raise RuleViolation("Приказ отменён.", code="document_cancelled")
        session.execute(update(Acquaintance).where(
            Acquaintance.id == row.id, Acquaintance.acknowledged_at.is_(None))
            .values(acknowledged_at=clock.now()))
        session.execute(update(Notification).where(
            Notification.user_id == actor.id, Notification.document_id == doc.id,
            Notification.kind.in_(("acquaintance", "acquaintance_reminder")),
            Notification.read_at.is_(None)).values(read_at=clock.now()))
        session.flush()
        session.refresh(row)
        return _row_to_api(row)


def acquaintance_list(session: Session, actor: Actor, document_id: int) -> list[dict]:
    """Who must read the order and when each confirmed: the listed rows once signed, the
    planned list (nobody confirmed) before."""
    doc = load_document(session, actor, document_id)
    if doc.kind not in ORDER_KINDS:
        return []  # only an order is signed with a list (see the steps below)
    rows = session.scalars(select(Acquaintance).where(Acquaintance.document_id == doc.id)
                           .order_by(Acquaintance.user_name, Acquaintance.id)).all()
    if rows:
        return [_row_to_api(r) for r in rows]
    users = staff(session, doc.org_id, listed_ids(doc.fields))
    return [{"user_id": u.id, "name": u.full_name, "position": u.position or "",
             "acknowledged_at": None}
            for u in sorted(users.values(), key=lambda u: u.full_name)]


def pending_document_ids(session: Session, actor: Actor) -> select:
    """SQL of the documents the actor still has to read («Ознакомиться» tasks)."""
    return select(Acquaintance.document_id).where(Acquaintance.user_id == actor.id,
                                                  Acquaintance.acknowledged_at.is_(None))


# --- the reminder -------------------------------------------------------------------------

def send_reminders(rt, today: date | None = None) -> dict[str, int]:
    """One reminder per signed order, three days after signing, to those who have not read
    it; a person with several such orders of one organisation gets one notice and one
    e-mail naming them all. Insert-then-notify in one transaction per organisation: the
    unique key of ``ReminderLog`` decides, order by order, between two beats running at once."""
    today = today or clock.today()
    # Signed on or before today − 3 days (the day of signing counts as day 0).
    cutoff = clock.day_start(today - timedelta(days=REMIND_AFTER_DAYS - 1))
    with rt.db.read_session() as session:
        docs = session.execute(
            select(Document.org_id, Document.id, Document.title, Document.registration_number,
                   Document.signed_at)
            .where(Document.id.in_(select(Acquaintance.document_id).where(
                Acquaintance.acknowledged_at.is_(None))),
                Document.signed_at.is_not(None), Document.signed_at < cutoff,
                Document.state != DocState.cancelled)
            .order_by(Document.org_id, Document.id)).all()
    by_org: dict[int, list] = {}
    for org_id, *doc in docs:
        by_org.setdefault(org_id, []).append(doc)
    counts = {"sent": 0, "duplicate": 0, "failed": 0}
    for org_id, orders in by_org.items():
        try:
            for outcome, n in _remind_orders(rt, orders).items():
                counts[outcome] += n
        except Exception:  # one school's failure (its e-mail) must not stop the others
            log.exception("acquaintance reminders of organisation %s failed", org_id)
            counts["failed"] += len(orders)
    return counts


def _reminder_words(mine: list[tuple[int, str, str | None, date]],
                    base: str) -> tuple[str, str, str, str]:
    """(notice, its link, e-mail subject, e-mail body) of one person's unread orders."""
    if len(mine) == 1:
        doc_id, title, number, signed_on = mine[0]
        text = (f"Напоминание: ознакомьтесь с приказом «{title}» № {number} — он подписан "
                f"{signed_on:%d.%m.%Y}.")
        url = f"/documents/{doc_id}"
        return (text, url, f"Напоминание: {TASK.lower()} с приказом № {number}",
                f"{text}\n\n{base}{url}\n")
    head = f"Напоминание: ознакомьтесь с приказами ({len(mine)})"
    listed = [(doc_id, f"№ {number} «{title}» от {signed_on:%d.%m.%Y}")
              for doc_id, title, number, signed_on in mine]
    text = f"{head}: " + "; ".join(line for _, line in listed) + "."
    body = f"{head}:\n" + "".join(f"— {line}: {base}/documents/{doc_id}\n"
                                   for doc_id, line in listed)
    # «Мои задачи» lists what is to read
    return text, "/", f"Напоминание: {TASK.lower()} с приказами ({len(mine)})", body


def _remind_orders(rt, orders: list) -> dict[str, int]:
    counts = {"sent": 0, "duplicate": 0}
    unread: dict[int, list[tuple[int, str, str | None, date]]] = {}  # user → their orders
    emails: dict[int, str] = {}
    entries: list[ReminderLog] = []
    with rt.db.write_session() as session:
        for doc_id, title, number, signed_at in orders:
            signed_on = clock.local_date(signed_at)
            people = session.execute(
                select(User.id, User.email).join(Acquaintance, Acquaintance.user_id == User.id)
                .where(Acquaintance.document_id == doc_id, Acquaintance.acknowledged_at.is_(None),
                       User.is_active.is_(True))).all()
            entry = ReminderLog(item_id=None, document_id=doc_id, occurrence=signed_on,
                                kind=REMINDER_KIND, recipient_ids=sorted(p.id for p in people),
                                emails_sent=0)
            if not reminder_log.claim(session, entry):
                counts["duplicate"] += 1
                continue
            counts["sent"] += 1
            entries.append(entry)
            for uid, email in people:
                emails[uid] = email
                unread.setdefault(uid, []).append((doc_id, title, number, signed_on))
        base = rt.settings.base_url.rstrip("/")
        letters = []
        for uid, mine in sorted(unread.items()):
            text, url, subject, body = _reminder_words(mine, base)
            ids = ",".join(f"{doc_id}:{signed_on}" for doc_id, _t, _n, signed_on in mine)
            if len(mine) > 1:
                ids = hashlib.sha256(ids.encode()).hexdigest()[:32]
            session.add(Notification(
                user_id=uid, document_id=mine[0][0] if len(mine) == 1 else None,
                kind="acquaintance_reminder", text=text, url=url,
                dedupe_key=f"ack-remind:{ids}:u{uid}"))
            letters.append((uid, subject, body))
        session.flush()
        mailed = {uid for uid, subject, body in letters
                  if send_mail(rt.settings, [emails[uid]], subject, body)}
        for entry in entries:
            entry.emails_sent = len(mailed & set(entry.recipient_ids))
    return counts
