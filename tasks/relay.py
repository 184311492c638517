"""The outbox relay: hands committed effects to the workers. Publishing has a bounded retry
policy, so with Redis down the relay gives the rows back and tries again on its next tick;
no web request ever waits on Redis."""

from __future__ import annotations

import logging

from tasks.celery_app import celery_app, runtime
from tasks.effect_tasks import run_effects_task
from workflow.engine.effects import claim_pending, release

log = logging.getLogger(__name__)
PUBLISH_RETRY = {"max_retries": 2, "interval_start": 0, "interval_step": 0.5,
                 "interval_max": 1}


#: Effects per task (each task is a publish, a delivery and an acknowledgement).
BATCH = 20


def batches(ids: list[int], size: int = BATCH) -> list[list[int]]:
    """``ids`` in tasks of at most ``size``, and at least two when there are two (a region
    runs two or more workers: a small tick keeps both busy)."""
    size = max(1, min(size, -(-len(ids) // 2)))
    return [ids[n:n + size] for n in range(0, len(ids), size)]


@celery_app.task(name="tasks.relay.relay_outbox", ignore_result=True)
def relay_outbox(limit: int = 200) -> int:
    rt = runtime()
    ids = claim_pending(rt, limit)
    published = 0
    for batch in batches(ids):
        try:
            run_effects_task.apply_async(args=[batch], retry=True, retry_policy=PUBLISH_RETRY)
        except Exception as exc:  # broker unreachable: give back what was not published
            log.warning("broker unavailable (%s); %d effects wait for the next tick", exc,
                        len(ids) - published)
            release(rt, ids[published:])
            return published
        published += len(batch)
    return published
