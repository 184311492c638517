"""The consumer: runs one outbox effect; idempotent by the outbox key, so a redelivery
changes nothing."""

from __future__ import annotations

from tasks.celery_app import celery_app, runtime
from workflow.engine.effects import run_effect


@celery_app.task(name="tasks.effect_tasks.run_effect", bind=True, acks_late=True,
                 autoretry_for=(Exception,), max_retries=5, retry_backoff=5,
                 retry_backoff_max=300, retry_jitter=True)
def run_effect_task(self, outbox_id: int) -> str:
    return run_effect(runtime(), outbox_id)
