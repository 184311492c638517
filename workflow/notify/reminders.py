"""Deadline reminders for roadmap items: 7 days and 1 day before each control date, on
overdue, and an escalation after 3 days overdue (the director of a school; the officers
and the head of a municipality for its own roadmap).

Exactly once per (item, occurrence, kind): a run sends its reminders in groups — a school's
(or municipality's) items of one kind, a municipality's schools' escalations together — each
group one transaction that first inserts each reminder's ``ReminderLog`` row (the unique key
decides between two beats running at once or a retried task) and only then writes the
notifications and sends the e-mails: one per person, listing their items when there are
several. A failed e-mail rolls the group back, so the next run tries again.
"""

from __future__ import annotations

import hashlib
import logging
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import select

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
from workflow.notify import reminder_log
from workflow.notify import reminder_texts as texts
from workflow.notify.mailer import send_mail
from workflow.roadmaps.items import names_schools
from workflow.roadmaps.reading import linked_docs
from workflow.roadmaps.status import item_status, occurrences

log = logging.getLogger(__name__)

ESCALATE_AFTER_DAYS = texts.ESCALATE_AFTER_DAYS
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


def _group_key(r: DueReminder) -> tuple:
    """Reminders sent together: a school's (or municipality's) items of one kind; its
    escalations with every other school of its municipality, so an officer gets one notice."""
    if r.kind == "escalation":
        return (r.kind, r.parent_id or r.org_id)
    return (r.kind, r.org_id)


def _log_entry(r: DueReminder, people: dict[int, str]) -> ReminderLog:
    return ReminderLog(item_id=None if r.document_id else r.item_id, document_id=r.document_id,
                       occurrence=r.occurrence, kind=r.kind, recipient_ids=sorted(people),
                       emails_sent=0)


def _reminder_key(r: DueReminder) -> str:
    head = f"roadmap-doc:{r.document_id}" if r.document_id is not None else f"roadmap:{r.item_id}"
    return f"{head}:{r.occurrence}:{r.kind}"


def send_group(rt, group: list[tuple[DueReminder, dict[int, str], frozenset[int]]],
               today: date) -> dict[str, int]:
    """Send reminders of one group in one transaction — each (reminder, its recipients'
    e-mails by user id, those of them outside its organisation) — and count each reminder
    "sent", "duplicate" or "nobody". Each reminder's ``ReminderLog`` row is inserted first
    (the unique key decides between two beats); of those that are new, each person gets one
    notice and one e-mail: the reminder's own sentence, or a list when there are several.
    A failed e-mail rolls the whole group back, to be retried by the next run."""
    counts = {"sent": 0, "duplicate": 0, "nobody": 0}
    mine: dict[int, list[tuple[DueReminder, bool]]] = {}  # user → (reminder, outside?)
    entries: dict[DueReminder, ReminderLog] = {}
    emails: dict[int, str] = {}
    with rt.db.write_session() as session:
        for r, people, outside in group:
            if not people:
                counts["nobody"] += 1
                continue
            entry = _log_entry(r, people)
            if not reminder_log.claim(session, entry):
                counts["duplicate"] += 1
                continue
            counts["sent"] += 1
            entries[r] = entry
            emails.update(people)
            for uid in people:
                mine.setdefault(uid, []).append((r, uid in outside))
        letters: dict[tuple[str, str], list[int]] = {}
        base = rt.settings.base_url.rstrip("/")
        for uid in sorted(mine):
            items = [r for r, _ in mine[uid]]
            url = texts.link_for(mine[uid])
            if len(items) == 1:
                subject, text = texts.one(items[0], today)
                mail = text
                key = f"{_reminder_key(items[0])}:u{uid}"
            else:
                subject, text, mail = texts.digest(items, today)
                listed = ",".join(sorted(_reminder_key(r) for r in items))
                key = f"roadmap-digest:{hashlib.sha256(listed.encode()).hexdigest()[:32]}:u{uid}"
            session.add(Notification(user_id=uid, document_id=None, kind=f"roadmap_{items[0].kind}",
                                     text=text, url=url, dedupe_key=key))
            letters.setdefault((subject, f"{mail}\n\n{base}{url}\n"), []).append(uid)
        session.flush()
        mailed: set[int] = set()
        for (subject, body), uids in letters.items():
            if send_mail(rt.settings, [emails[uid] for uid in uids], subject, body):
                mailed.update(uids)
        for entry in entries.values():
            entry.emails_sent = len(mailed & set(entry.recipient_ids))
    return counts


def send_due_reminders(rt, today: date | None = None) -> dict[str, int]:
    """The beat job: send every reminder due by ``today`` that has not gone out yet.
    Safe to run twice at once and to retry; returns counts for the log."""
    today = today or clock.today()
    with rt.db.read_session() as session:
        dues = due_reminders(session, today)
        people = _people(session, {d.org_id for d in dues} | {d.parent_id for d in dues
                                                               if d.parent_id})
    groups: dict[tuple, list] = {}
    for reminder in dues:
        own = people.get(reminder.org_id, [])
        chosen = recipients(reminder, own, people.get(reminder.parent_id, [])
                            if reminder.parent_id else [])
        groups.setdefault(_group_key(reminder), []).append(
            (reminder, chosen, frozenset(chosen) - {uid for uid, *_ in own}))
    counts = {"sent": 0, "duplicate": 0, "nobody": 0, "failed": 0}
    for key, group in groups.items():
        try:
            for outcome, n in send_group(rt, group, today).items():
                counts[outcome] += n
        except Exception:  # one group's failure must not stop the others; retried next run
            log.exception("roadmap reminders %s failed", key)
            counts["failed"] += len(group)
    from workflow.notify.visa_reminders import send_visa_reminders  # overdue route stages

    for key, n in send_visa_reminders(rt, today).items():
        counts[key] += n
    # The same beat reminds those who have not read a signed order after 3 days.
    from workflow.notify import acquaintance

    for key, value in acquaintance.send_reminders(rt, today).items():
        counts[f"acquaintance_{key}"] = value
    return counts
