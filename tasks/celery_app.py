"""The Celery app. Workers build their Runtime lazily from the environment, on first use.

Run: ``celery -A tasks.celery_app worker`` and exactly one ``celery -A tasks.celery_app beat``.
"""

from __future__ import annotations

import logging
import os

from celery import Celery, signals

from tasks.schedule import SCHEDULE

#: Redis re-delivers an unacknowledged task after this many seconds; countdowns stay below it.
VISIBILITY_TIMEOUT = 3600


def configure(app: Celery, redis_url: str) -> Celery:
    app.conf.update(
        broker_url=redis_url,
        result_backend=None,
        task_ignore_result=True,
        task_serializer="json",
        accept_content=["json"],
        task_acks_late=True,
        task_reject_on_worker_lost=True,
        worker_prefetch_multiplier=1,
        broker_connection_timeout=2,
        broker_connection_retry_on_startup=True,
        broker_transport_options={"visibility_timeout": VISIBILITY_TIMEOUT,
                                  "socket_connect_timeout": 2, "socket_timeout": 5},
        beat_schedule=SCHEDULE,
        timezone="UTC",
        imports=("tasks.effect_tasks", "tasks.relay", "tasks.reminder_tasks",
                 "tasks.audit_tasks", "tasks.pair_tasks"),
    )
    return app


class QuietRelay(logging.Filter):
    """Celery's INFO lines about the outbox relay — beat sends it every 2 s and it mostly finds
    nothing: three lines a tick, ~130,000 a day in the journal. Kept: its runs that relayed
    something, and every warning or error (the relay's own «broker unavailable» included)."""

    TASK = "tasks.relay.relay_outbox"

    def filter(self, record: logging.LogRecord) -> bool:
        if record.levelno > logging.INFO or not record.name.startswith("celery"):
            return True
        message = record.getMessage()
        if self.TASK not in message:
            return True
        return " succeeded " in message and not message.endswith(": 0")


def _quiet_relay(**_kwargs) -> None:
    for handler in logging.getLogger().handlers:
        if not any(isinstance(f, QuietRelay) for f in handler.filters):
            handler.addFilter(QuietRelay())


signals.after_setup_logger.connect(_quiet_relay)  # text logs (Celery sets them up)

if os.environ.get("NASTAVNIK_LOG_FORMAT") == "json":

    @signals.setup_logging.connect
    def _json_logs(**_kwargs) -> None:
        """Workers and beat log JSON lines; effects carry the request id that caused them."""
        from workflow.observability import configure_logging

        configure_logging("json")
        _quiet_relay()


celery_app = configure(Celery("nastavnik"),
                       os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/0"))

_runtime = None


def runtime():
    """The worker's Runtime (database, files), created on first use from the environment."""
    global _runtime
    if _runtime is None:
        from workflow.runtime import Runtime, Settings

        _runtime = Runtime.create(Settings.from_env(effects_mode="celery"))
    return _runtime


def set_runtime(rt) -> None:
    """Tests and embedded callers hand in their own Runtime."""
    global _runtime
    _runtime = rt
