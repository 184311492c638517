"""Exactly once for reminders: a reminder's log row is inserted before anything is sent, and
its unique key decides between two beats running at once or a retried task."""

from __future__ import annotations

from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session


def claim(session: Session, entry) -> bool:
    """Insert ``entry`` (a ``ReminderLog`` or ``VisaReminderLog``) in a savepoint: True when
    this run sends the reminder, False when another already did (the transaction goes on)."""
    try:
        with session.begin_nested():
            session.add(entry)
            session.flush()
    except IntegrityError:
        return False
    return True
