"""Embedded mode's stand-in for Celery beat: a daemon thread in the serving process that
retries due outbox effects and runs the periodic jobs, calling the same workflow services
the Celery tasks call."""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable

from workflow import clock
from workflow.engine.effects import claim_pending, run_effects

log = logging.getLogger(__name__)


def _outbox(rt) -> None:
    run_effects(rt, claim_pending(rt, limit=500))


def _reminders(rt) -> None:
    try:
        from workflow.notify.reminders import send_due_reminders
    except ImportError:  # the feature is optional for the scheduler
        return
    send_due_reminders(rt, clock.today())


def _audit_heads(rt) -> None:
    from workflow.audit.anchors import queue_daily_heads

    queue_daily_heads(rt)  # once a day per auditor: the outbox key holds the date


def _pairs(rt) -> None:
    from workflow.mentorship.pair_lifecycle import end_expired_pairs

    end_expired_pairs(rt)


#: (seconds between runs, job)
JOBS: list[tuple[float, Callable]] = [(30.0, _outbox), (3600.0, _reminders),
                                      (3600.0, _audit_heads), (3600.0, _pairs)]


def start(rt, stop: threading.Event | None = None) -> threading.Thread:
    stop = stop or threading.Event()
    jobs = list(JOBS)  # this thread's jobs, whatever JOBS becomes later
    last = {job: float("-inf") for _, job in jobs}  # each runs at once, then every N s

    def loop() -> None:
        while not stop.is_set():
            now = time.monotonic()
            for every, job in jobs:
                if now - last[job] >= every:
                    last[job] = now
                    try:
                        job(rt)
                    except Exception:  # a failing job must not stop the others
                        log.exception("embedded job %s failed", job.__name__)
            stop.wait(5)

    thread = threading.Thread(target=loop, name="nastavnik-embedded-jobs", daemon=True)
    thread.start()
    return thread
