"""The reminder beat job as a Celery task: a retried (redelivered) task and two tasks at
once send each reminder exactly once."""

from __future__ import annotations

import os
import time
from datetime import date

import pytest
from sqlalchemy import func, select

from documents.models import Notification, ReminderLog
from tests.waiting import pause
from tests.workflow.test_reminders import TODAY, _d, make_roadmap

REDIS_URL = os.environ.get("REDIS_URL")


@pytest.fixture()
def items(rt, world, actor):
    return make_roadmap(rt, actor("curator1"), world.orgs["school1"], [
        {"number": "1.1", "activity": "Через неделю", "deadline_text": f"до {_d(7)}"},
        {"number": "1.2", "activity": "Давно", "deadline_text": f"до {_d(-4)}",
         "responsible_text": "Директор ОУ"},
    ])


def _counts(rt) -> tuple[int, int]:
    with rt.db.read_session() as s:
        return (s.scalar(select(func.count()).select_from(ReminderLog)),
                s.scalar(select(func.count()).select_from(Notification)
                         .where(Notification.kind.like("roadmap_%"))))  # reminders only


def test_retried_task_sends_nothing_twice(rt, items):
    from tasks import celery_app as module
    from tasks.reminder_tasks import send_due_reminders_task

    module.set_runtime(rt)
    try:
        first = send_due_reminders_task.apply(args=[TODAY.isoformat()]).get()
        again = send_due_reminders_task.apply(args=[TODAY.isoformat()]).get()
    finally:
        module.set_runtime(None)
    assert first["sent"] == 3 and again["sent"] == 0 and again["duplicate"] == 3
    assert _counts(rt)[0] == 3


def test_beat_entry_and_import():
    from tasks.celery_app import celery_app
    from tasks.schedule import SCHEDULE

    assert SCHEDULE["roadmap-reminders"]["task"] == "tasks.reminder_tasks.send_due_reminders"
    assert "tasks.reminder_tasks" in celery_app.conf.imports


@pytest.mark.redis
def test_two_tasks_through_a_real_worker(rt, items):
    if not REDIS_URL:
        pytest.skip("REDIS_URL is not set")
    from celery.contrib.testing.worker import start_worker

    from tasks import celery_app as module
    from tasks.celery_app import celery_app, configure
    from tasks.reminder_tasks import send_due_reminders_task

    if celery_app.conf.broker_url != REDIS_URL:
        configure(celery_app, REDIS_URL)
    celery_app.conf.task_default_queue = f"test-{os.getpid()}"  # one queue per process: Celery caches it
    module.set_runtime(rt)
    try:
        with start_worker(celery_app, pool="threads", concurrency=2, perform_ping_check=False,
                          loglevel="WARNING", shutdown_timeout=30):
            for _ in range(2):
                send_due_reminders_task.apply_async(args=[TODAY.isoformat()])
            deadline = time.monotonic() + 30
            while _counts(rt)[0] < 3 and time.monotonic() < deadline:
                pause(0.2)
            pause(1.0)  # let the second task finish too
    finally:
        module.set_runtime(None)
    logs, notes = _counts(rt)
    assert logs == 3
    # before_7 → curator1 + admin1 (author roles); overdue + escalation → director1, and the
    # escalation of an overdue school item reaches the municipal officer too
    assert notes == 5
    assert date.fromisoformat(TODAY.isoformat()) == TODAY
