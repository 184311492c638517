"""The beat job for roadmap deadline reminders. Exactly-once is the service's business (the
ReminderLog key), so running it twice at once or retrying it sends nothing twice."""

from __future__ import annotations

from datetime import date

from tasks.celery_app import celery_app, runtime
from workflow.notify.reminders import send_due_reminders


class RemindersFailed(RuntimeError):
    """Some reminders could not be sent (SMTP down): retry; the sent ones are skipped."""


@celery_app.task(name="tasks.reminder_tasks.send_due_reminders", bind=True, acks_late=True,
                 autoretry_for=(RemindersFailed,), max_retries=5, retry_backoff=60,
                 retry_backoff_max=1800, retry_jitter=True, ignore_result=True)
def send_due_reminders_task(self, today: str | None = None) -> dict:
    counts = send_due_reminders(runtime(), date.fromisoformat(today) if today else None)
    if counts.get("failed"):
        raise RemindersFailed(f"{counts['failed']} reminders failed")
    return counts
