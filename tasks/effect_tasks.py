"""The consumer: runs outbox effects; idempotent by the outbox key, so a redelivery changes
nothing."""

from __future__ import annotations

from tasks.celery_app import celery_app, runtime
from workflow.engine.effects import release, run_effect


@celery_app.task(name="tasks.effect_tasks.run_effects", acks_late=True,
                 autoretry_for=(Exception,), max_retries=5, retry_backoff=5,
                 retry_backoff_max=300, retry_jitter=True)
def run_effects_task(outbox_ids: list[int]) -> int:
    """A batch from the relay (one task for many effects: each task is a publish, a delivery
    and an acknowledgement through Redis, and a worker's bookkeeping). Each effect runs in a
    transaction of its own, as :func:`run_effect_task` runs one; one that fails is recorded
    on its row (the error, the next try after a backoff) and given back to the relay, while
    the rest of the batch still runs. Should giving back fail too (the database gone), the
    batch is retried, and what is done by then is skipped."""
    rt = runtime()
    failed = []
    for outbox_id in outbox_ids:
        try:
            run_effect(rt, outbox_id)
        except Exception:  # noqa: BLE001 - recorded on the row by run_effect, sent again
            failed.append(outbox_id)
    if failed:
        release(rt, failed)
    return len(outbox_ids) - len(failed)


@celery_app.task(name="tasks.effect_tasks.run_effect", bind=True, acks_late=True,
                 autoretry_for=(Exception,), max_retries=5, retry_backoff=5,
                 retry_backoff_max=300, retry_jitter=True)
def run_effect_task(self, outbox_id: int) -> str:
    """One effect (tasks published one by one before batches; kept for those in flight)."""
    return run_effect(runtime(), outbox_id)
