"""Deadline reminders for roadmap items: 7 days and 1 day before each control date, on
overdue, and an escalation after 3 days overdue (the director of a school; the officers
and the head of a municipality for its own roadmap).

Exactly once per (item, occurrence, kind): each reminder is its own transaction that first
inserts its ``ReminderLog`` row — the unique key decides between two beats running at once
or a retried task — and only then writes notifications and sends the e-mail. A failed
e-mail rolls the row back, so the next run tries again.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from documents.models import (
    DocState,
    Document,
    Grant,
    Notification,
    Organization,
    OrgKind,
    ReminderLog,
    Roadmap,
    RoadmapItem,
    Role,
    User,
)
from workflow import clock
from workflow.engine.permissions import author_roles
from workflow.notify.mailer import send_mail
from workflow.roadmaps.items import names_schools
from workflow.roadmaps.reading import linked_docs
from workflow.roadmaps.status import item_status, occurrences

log = logging.getLogger(__name__)

ESCALATE_AFTER_DAYS = 3
KINDS = ("before_7", "before_1", "overdue", "escalation")


@dataclass(frozen=True)
class DueReminder:
    item_id: int
    roadmap_id: int
    org_id: int
    org_kind: OrgKind
    org_name: str
    number: str
    activity: str
    responsible_text: str
    occurrence: date
    kind: str
    roles: tuple[str, ...]
    user_ids: tuple[int, ...]
    #: The item document's responsible: the reminder goes to them when set.
    responsible_id: int | None = None
    #: The municipality a school's overdue item also escalates to.
    parent_id: int | None = None
    #: A school's copy of a municipal item (its ReminderLog is keyed by the document).
    document_id: int | None = None


def _covered(notes: list, since: date | None) -> bool:
    """A recurring item's occurrence counts as met when evidence was noted after the one before
    (on the day the note was written, in the product's zone)."""
    return any(since is None or _noted_on(n) >= since for n in notes)


def _noted_on(note: dict) -> date:
    try:
        return clock.local_date(datetime.fromisoformat(str(note.get("at", ""))))
    except ValueError:
        return date.min


#: States in which an item still waits for its responsible's work.
WAITING = (DocState.draft, DocState.returned)


def due_reminders(session, today: date) -> list[DueReminder]:
    """Every reminder that should exist by ``today`` (sent or not) for items still waiting
    for their responsible: items of a roadmap (their document in draft or returned) and
    schools' copies of municipal items. Three queries."""
    rows = session.execute(
        select(RoadmapItem, Roadmap.org_id, Organization.kind, Organization.short_name,
               Organization.parent_id, Document.state, Document.responsible_id)
        .join(Roadmap, Roadmap.id == RoadmapItem.roadmap_id)
        .join(Organization, Organization.id == Roadmap.org_id)
        .outerjoin(Document, Document.id == RoadmapItem.document_id)
        .where(RoadmapItem.due.is_not(None), RoadmapItem.done_at.is_(None))
        .order_by(RoadmapItem.id)).all()
    docs = linked_docs(session, [r[0].id for r in rows]) if rows else {}
    candidates = []
    for item, org_id, org_kind, org_name, parent_id, state, responsible_id in rows:
        if state is not None and state not in WAITING:
            continue
        if org_kind is OrgKind.municipality and names_schools(item.responsible_text):
            continue  # the schools carry it out: their copies are reminded
        if state is None and item_status(
                due=item.due, start=item.start, done_at=item.done_at, notes=[],
                docs=docs.get(item.id, []), org_kind=org_kind, today=today) == "done":
            continue
        candidates.append((item, {
            "item_id": item.id, "roadmap_id": item.roadmap_id, "org_id": org_id,
            "org_kind": org_kind, "org_name": org_name, "number": item.number,
            "activity": item.activity, "responsible_text": item.responsible_text,
            "roles": tuple(item.responsible_roles or ()),
            "user_ids": tuple(item.responsible_user_ids or ()),
            "responsible_id": responsible_id,
            "parent_id": parent_id if org_kind is OrgKind.school else None}))
    for doc, item, org_name, parent_id in session.execute(
            select(Document, RoadmapItem, Organization.short_name, Organization.parent_id)
            .join(RoadmapItem, RoadmapItem.id == Document.assignment_of)
            .join(Organization, Organization.id == Document.org_id)
            .where(Document.assignment_of.is_not(None), Document.state.in_(WAITING),
                   Document.due.is_not(None))
            .order_by(Document.id)):
        candidates.append((item, {
            "item_id": item.id, "roadmap_id": item.roadmap_id, "org_id": doc.org_id,
            "org_kind": OrgKind.school, "org_name": org_name, "number": item.number,
            "activity": item.activity, "responsible_text": item.responsible_text,
            "roles": tuple(r for r in item.responsible_roles or () if r != "municipal_officer"),
            "user_ids": (), "responsible_id": doc.responsible_id, "parent_id": parent_id,
            "document_id": doc.id}))
    out: list[DueReminder] = []
    for item, base in candidates:
        dates = occurrences(item.deadline, item.due)
        upcoming = [d for d in dates if d >= today]
        passed = [d for d in dates if d < today]

        def make(occurrence: date, kind: str, base: dict = base) -> DueReminder:
            return DueReminder(occurrence=occurrence, kind=kind, **base)

        if upcoming:
            left = (upcoming[0] - today).days
            if left <= 1:
                out.append(make(upcoming[0], "before_1"))
            elif left <= 7:
                out.append(make(upcoming[0], "before_7"))
        if passed:
            last = passed[-1]
            before = passed[-2] if len(passed) > 1 else None
            if len(dates) > 1 and _covered(item.notes or [], before):
                continue
            out.append(make(last, "overdue"))
            if (today - last).days >= ESCALATE_AFTER_DAYS:
                out.append(make(last, "escalation"))
    return out


def _people(session, org_ids: set[int]) -> dict[int, list[tuple[int, str, str, str]]]:
    """org id → [(user id, role, e-mail, name)] of active users."""
    out: dict[int, list[tuple[int, str, str, str]]] = {}
    if not org_ids:
        return out
    for r in session.execute(select(Grant.org_id, Grant.role, User.id, User.email,
                                    User.full_name).join(User, User.id == Grant.user_id)
                             .where(Grant.org_id.in_(org_ids), User.is_active.is_(True))):
        role = r.role.value if hasattr(r.role, "value") else r.role
        out.setdefault(r.org_id, []).append((r.id, role, r.email, r.full_name))
    return out


def recipients(reminder: DueReminder, people: list[tuple[int, str, str, str]],
               parent_people: list[tuple[int, str, str, str]] = ()) -> dict[int, str]:
    """user id → e-mail of the people a reminder goes to: the item document's responsible
    (else the roles and names the item gives, else the authors); an escalation goes to the
    director, and a school's to its municipality's officers too."""
    if reminder.kind == "escalation":
        if reminder.org_kind is OrgKind.municipality:
            wanted = {Role.municipal_officer.value, Role.director.value}
        else:
            wanted = {Role.director.value}
        chosen = {uid: email for uid, role, email, _ in people if role in wanted}
        chosen.update({uid: email for uid, role, email, _ in parent_people
                       if role == Role.municipal_officer.value})
        return chosen
    if reminder.responsible_id is not None:
        mine = {uid: email for uid, _role, email, _ in people if uid == reminder.responsible_id}
        if mine:
            return mine
    chosen = {uid: email for uid, role, email, _ in people
              if uid in reminder.user_ids or role in reminder.roles}
    if not chosen:
        authors = {r.value for r in author_roles(reminder.org_kind)}
        chosen = {uid: email for uid, role, email, _ in people if role in authors}
    return chosen


def _text(r: DueReminder, today: date) -> tuple[str, str]:
    activity = r.activity if len(r.activity) <= 160 else r.activity[:157] + "…"
    when = f"{r.occurrence:%d.%m.%Y}"
    left = (r.occurrence - today).days
    if r.kind == "before_7":
        subject = f"Срок пункта {r.number} дорожной карты — {when}"
        text = (f"До {when} (осталось дней: {left}) нужно выполнить пункт {r.number} "
                f"дорожной карты «{activity}».")
    elif r.kind == "before_1":
        subject = f"Срок пункта {r.number} дорожной карты — {'сегодня' if left <= 0 else 'завтра'}"
        text = (f"{'Сегодня' if left <= 0 else 'Завтра'}, {when}, истекает срок пункта "
                f"{r.number} дорожной карты «{activity}».")
    elif r.kind == "overdue":
        subject = f"Просрочен пункт {r.number} дорожной карты"
        text = f"Просрочен пункт {r.number} дорожной карты «{activity}»: срок был {when}."
    else:
        subject = f"{r.org_name}: пункт {r.number} дорожной карты просрочен"
        text = (f"{r.org_name}: пункт {r.number} дорожной карты «{activity}» просрочен более "
                f"чем на {ESCALATE_AFTER_DAYS} дня (срок {when}). "
                f"Ответственные: {r.responsible_text or 'не указаны'}.")
    return subject, text


def send_one(rt, reminder: DueReminder, people: dict[int, str], today: date,
             outside: frozenset[int] = frozenset()) -> str:
    """Insert-then-send in one transaction: "sent", "duplicate" or "nobody". Those in
    ``outside`` (the municipality's officers told of a school's overdue item) are sent to the
    school's compliance card, which lists its overdue items: the item's document stays the
    school's until it is sent."""
    if not people:
        return "nobody"
    subject, text = _text(reminder, today)
    if reminder.document_id is not None:
        url = f"/documents/{reminder.document_id}"
        key = f"roadmap-doc:{reminder.document_id}"
    else:
        url = f"/roadmaps/{reminder.roadmap_id}#item-{reminder.item_id}"
        key = f"roadmap:{reminder.item_id}"
    card = f"/compliance/school/{reminder.org_id}"
    urls = {uid: card if uid in outside else url for uid in people}
    with rt.db.write_session() as session:
        entry = ReminderLog(item_id=None if reminder.document_id else reminder.item_id,
                            document_id=reminder.document_id, occurrence=reminder.occurrence,
                            kind=reminder.kind, recipient_ids=sorted(people), emails_sent=0)
        try:
            with session.begin_nested():
                session.add(entry)
                session.flush()
        except IntegrityError:
            return "duplicate"
        for user_id in sorted(people):
            session.add(Notification(
                user_id=user_id, document_id=None, kind=f"roadmap_{reminder.kind}", text=text,
                url=urls[user_id], dedupe_key=(f"{key}:{reminder.occurrence}:"
                                               f"{reminder.kind}:u{user_id}")))
        session.flush()
        base = rt.settings.base_url.rstrip("/")
        sides = set(urls.values())
        links = f"{base}{sides.pop()}\n"
        if sides:  # one message still (sent once): a link for each side
            links = (f"Школе: {base}{url}\n"
                     f"Управлению образования: {base}{card}\n")
        entry.emails_sent = send_mail(rt.settings, list(people.values()), subject,
                                      f"{text}\n\n{links}")
    return "sent"


def send_due_reminders(rt, today: date | None = None) -> dict[str, int]:
    """The beat job: send every reminder due by ``today`` that has not gone out yet.
    Safe to run twice at once and to retry; returns counts for the log."""
    today = today or clock.today()
    with rt.db.read_session() as session:
        dues = due_reminders(session, today)
        people = _people(session, {d.org_id for d in dues} | {d.parent_id for d in dues
                                                               if d.parent_id})
    counts = {"sent": 0, "duplicate": 0, "nobody": 0, "failed": 0}
    for reminder in dues:
        own = people.get(reminder.org_id, [])
        chosen = recipients(reminder, own, people.get(reminder.parent_id, [])
                            if reminder.parent_id else [])
        try:
            outcome = send_one(rt, reminder, chosen, today,
                               outside=frozenset(chosen) - {uid for uid, *_ in own})
        except Exception:
            log.exception("reminder %s/%s/%s failed", reminder.item_id, reminder.occurrence,
                          reminder.kind)
            outcome = "failed"
        counts[outcome] += 1
    from workflow.notify.visa_reminders import send_visa_reminders  # overdue route stages

    for key, n in send_visa_reminders(rt, today).items():
        counts[key] += n
    # The same beat reminds those who have not read a signed order after 3 days.
    from workflow.notify import acquaintance

    for key, value in acquaintance.send_reminders(rt, today).items():
        counts[f"acquaintance_{key}"] = value
    return counts
