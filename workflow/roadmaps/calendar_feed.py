"""«Мои сроки» as an iCalendar feed (RFC 5545), for the logged-in user or through a secret,
revocable per-user link that calendar apps can poll without a session.

The text is written here by hand: CRLF line ends, lines folded at 75 octets without
splitting a UTF-8 character, TEXT values escaped (backslash, semicolon, comma, newline).
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import date, datetime, timedelta

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from documents.models import CalendarToken, User
from workflow import clock
from workflow.engine.permissions import Actor
from workflow.roadmaps.my_items import my_items
from workflow.roadmaps.status import STATUS_RU, occurrences

PRODID = "-//Nastavnik//Roadmap deadlines//RU"


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def issue_token(rt, actor: Actor) -> str:
    """A new feed secret for the actor; any previous link stops working."""
    token = secrets.token_urlsafe(32)
    now = clock.now()
    with rt.db.write_session() as session:
        session.execute(update(CalendarToken).where(CalendarToken.user_id == actor.id,
                                                    CalendarToken.revoked_at.is_(None))
                        .values(revoked_at=now))
        session.add(CalendarToken(user_id=actor.id, token_sha256=_hash(token), created_at=now))
    return token


def revoke_tokens(rt, actor: Actor) -> int:
    """Revoke the actor's feed links; returns how many were active."""
    with rt.db.write_session() as session:
        result = session.execute(update(CalendarToken).where(
            CalendarToken.user_id == actor.id, CalendarToken.revoked_at.is_(None))
            .values(revoked_at=clock.now()))
        return result.rowcount or 0


def has_token(session: Session, actor: Actor) -> bool:
    return session.scalar(select(CalendarToken.id).where(
        CalendarToken.user_id == actor.id, CalendarToken.revoked_at.is_(None)).limit(1)) is not None


def actor_for_token(session: Session, token: str) -> Actor | None:
    """The owner of an active feed link, or None (unknown, revoked, inactive user)."""
    if not token or len(token) > 200:
        return None
    user = session.scalar(select(User).join(CalendarToken, CalendarToken.user_id == User.id)
                          .where(CalendarToken.token_sha256 == _hash(token),
                                 CalendarToken.revoked_at.is_(None),
                                 User.is_active.is_(True)))
    return Actor.of(user) if user is not None else None


def escape_text(value: str) -> str:
    return (value.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,")
            .replace("\r\n", "\\n").replace("\n", "\\n").replace("\r", "\\n"))


def fold(line: str) -> str:
    """Split a content line into chunks of at most 75 octets, continuation lines starting
    with one space; never inside a UTF-8 sequence."""
    out: list[str] = []
    current, size, limit = "", 0, 75
    for char in line:
        width = len(char.encode())
        if size + width > limit:
            out.append(current)
            current, size, limit = " ", 1, 75
        current += char
        size += width
    out.append(current)
    return "\r\n".join(out)


def build_calendar(events: list[dict], name: str, now: datetime | None = None) -> str:
    """events: {"uid", "date", "summary", "description", "url"} (all-day)."""
    stamp = (now or clock.now()).strftime("%Y%m%dT%H%M%SZ")
    lines = ["BEGIN:VCALENDAR", "VERSION:2.0", f"PRODID:{PRODID}", "CALSCALE:GREGORIAN",
             "METHOD:PUBLISH", f"X-WR-CALNAME:{escape_text(name)}"]
    for event in events:
        day: date = event["date"]
        lines += ["BEGIN:VEVENT", f"UID:{event['uid']}", f"DTSTAMP:{stamp}",
                  f"DTSTART;VALUE=DATE:{day:%Y%m%d}",
                  f"DTEND;VALUE=DATE:{day + timedelta(days=1):%Y%m%d}",
                  f"SUMMARY:{escape_text(event['summary'])}",
                  f"DESCRIPTION:{escape_text(event['description'])}"]
        if event.get("url"):
            lines.append(f"URL:{event['url']}")
        lines += ["TRANSP:TRANSPARENT", "END:VEVENT"]
    lines.append("END:VCALENDAR")
    return "".join(fold(line) + "\r\n" for line in lines)


def calendar_for(session: Session, actor: Actor, base_url: str,
                 today: date | None = None) -> str:
    """The actor's open roadmap deadlines, one all-day event per control date."""
    today = today or clock.today()
    events = []
    for item in my_items(session, actor, today):
        url = f"{base_url.rstrip('/')}/roadmaps/{item['roadmap_id']}#item-{item['item_id']}"
        for day in occurrences(item["deadline"], item["due"]):
            events.append({
                "uid": f"roadmap-item-{item['item_id']}-{day:%Y%m%d}@nastavnik",
                "date": day, "summary": f"{item['number']} {item['activity']}",
                "description": f"Срок: {item['deadline'].get('text') or ''}. "
                               f"Статус: {STATUS_RU[item['status']]}.",
                "url": url})
    return build_calendar(events, "Мои сроки — Наставник")
