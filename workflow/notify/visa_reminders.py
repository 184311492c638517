"""Overdue visas: when the current stage of a route passes its due date, the people still to
act are reminded («overdue»), and after ESCALATE_AFTER_DAYS more the head of the organisation
(«escalation»). Exactly once per (document, round, stage, kind), as for roadmap items: the
``VisaReminderLog`` row is inserted first and its unique key decides."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import select

from documents.models import (
    DocState,
    Document,
    DocumentRoute,
    Grant,
    Notification,
    Role,
    RouteVisa,
    User,
    VisaReminderLog,
)
from workflow.engine import routes
from workflow.engine.visas import SECRETARY_ROLES, _slot_matches
from workflow.notify import reminder_log
from workflow.notify.mailer import send_mail
from workflow.notify.reminders import ESCALATE_AFTER_DAYS

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class VisaReminder:
    document_id: int
    round: int
    stage: int
    kind: str  # overdue | escalation
    title: str
    stage_title: str
    due: date
    user_ids: tuple[int, ...]


def due_visa_reminders(session, today: date) -> list[VisaReminder]:
    rows = session.execute(select(DocumentRoute, Document).join(
        Document, Document.id == DocumentRoute.document_id).where(
        Document.state == DocState.on_approval, DocumentRoute.status == "in_progress")).all()
    out = []
    for route, doc in rows:
        stage = route.stages[route.current] if route.current < len(route.stages) else None
        due = routes.stage_due(route, stage) if stage else None
        if due is None or due >= today:
            continue
        grants = session.execute(select(Grant.user_id, Grant.role).where(
            Grant.org_id == doc.org_id)).all()
        done = set(session.scalars(select(RouteVisa.participant_id).where(
            RouteVisa.document_id == doc.id, RouteVisa.round == route.round,
            RouteVisa.stage == route.current)))
        if routes.is_collegial(stage):
            waiting = {u for u, r in grants if r in SECRETARY_ROLES}
        else:
            waiting = {u for u, r in grants if u not in done and any(
                _slot_matches(s, u, frozenset({r})) for s in stage.get("participants") or [])}
        base = {"document_id": doc.id, "round": route.round, "stage": route.current,
                "title": doc.title, "stage_title": stage.get("title", ""), "due": due}
        out.append(VisaReminder(kind="overdue", user_ids=tuple(sorted(waiting)), **base))
        if today > due + timedelta(days=ESCALATE_AFTER_DAYS):
            heads = {u for u, r in grants if r is Role.director}
            out.append(VisaReminder(kind="escalation", user_ids=tuple(sorted(heads)), **base))
    return out


def send_one(rt, r: VisaReminder) -> str:
    if not r.user_ids:
        return "nobody"
    when = f"{r.due:%d.%m.%Y}"
    text = (f"Согласование «{r.title}»: этап «{r.stage_title}» просрочен (срок {when})."
            if r.kind == "overdue" else
            f"Согласование «{r.title}» стоит на этапе «{r.stage_title}» более "
            f"{ESCALATE_AFTER_DAYS} дней после срока ({when}).")
    url = f"/documents/{r.document_id}"
    with rt.db.write_session() as session:
        entry = VisaReminderLog(document_id=r.document_id, round=r.round, stage=r.stage,
                                kind=r.kind, recipient_ids=list(r.user_ids), emails_sent=0)
        if not reminder_log.claim(session, entry):
            return "duplicate"
        for user_id in r.user_ids:
            session.add(Notification(
                user_id=user_id, document_id=r.document_id, kind=f"visa_{r.kind}", text=text,
                url=url, dedupe_key=f"visa:{r.document_id}:{r.round}:{r.stage}:{r.kind}:u{user_id}"))
        emails = list(session.scalars(select(User.email).where(User.id.in_(r.user_ids))))
        session.flush()
        body = f"{text}\n\n{rt.settings.base_url.rstrip('/')}{url}\n"
        entry.emails_sent = send_mail(rt.settings, emails, f"Просрочено согласование: {r.title}",
                                      body)
    return "sent"


def send_visa_reminders(rt, today: date) -> dict[str, int]:
    with rt.db.read_session() as session:
        dues = due_visa_reminders(session, today)
    counts = {"sent": 0, "duplicate": 0, "nobody": 0, "failed": 0}
    for reminder in dues:
        try:
            outcome = send_one(rt, reminder)
        except Exception:  # one failure must not stop the others; retried next beat
            log.exception("visa reminder %s/%s failed", reminder.document_id, reminder.kind)
            outcome = "failed"
        counts[outcome] += 1
    return counts
