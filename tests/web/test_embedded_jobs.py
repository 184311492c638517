"""Embedded mode retries a failed effect in the background thread, without Celery."""

import threading
import time

from sqlalchemy import select

from documents.models import OutboxItem
from tests.waiting import pause
from workflow.engine import effects


def test_failed_effect_is_retried_by_the_embedded_thread(rt, make_doc, monkeypatch):
    from web import embedded

    calls = []

    def flaky(rt_, session, item):
        calls.append(item.id)
        if len(calls) == 1:
            raise RuntimeError("временный сбой")

    monkeypatch.setitem(effects.HANDLERS, "notify", flaky)
    make_doc("on_approval")  # submit queues one notify effect; its first run fails
    with rt.db.write_session() as s:
        item = s.scalar(select(OutboxItem).where(OutboxItem.effect == "notify"))
        assert item.done_at is None and "временный сбой" in item.last_error
        item.available_at = item.created_at  # due now instead of after the backoff
    monkeypatch.setattr(embedded, "JOBS", [(0.1, embedded._outbox)])
    stop = threading.Event()
    thread = embedded.start(rt, stop)
    deadline = time.monotonic() + 10
    while len(calls) < 2 and time.monotonic() < deadline:
        pause(0.1)
    stop.set()
    thread.join(timeout=10)
    with rt.db.read_session() as s:
        item = s.scalar(select(OutboxItem).where(OutboxItem.effect == "notify"))
        assert item.done_at is not None and item.attempts == 2


def test_every_job_runs_as_soon_as_the_server_starts(rt, monkeypatch):
    """An hourly job (the deadline reminders) runs when the server starts, not an hour into
    the machine's uptime (the monotonic clock counts from boot: a freshly booted server sent
    no reminders for its first hour)."""
    from web import embedded

    ran = threading.Event()
    monkeypatch.setattr(embedded, "JOBS", [(3600.0, lambda rt_: ran.set())])
    monkeypatch.setattr(embedded.time, "monotonic", lambda: 5.0)  # booted 5 s ago
    stop = threading.Event()
    thread = embedded.start(rt, stop)
    try:
        assert ran.wait(10)
    finally:
        stop.set()
        thread.join(timeout=10)
