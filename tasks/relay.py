"""The outbox relay: hands committed effects to the workers. Publishing has a bounded retry
policy, so with Redis down the relay gives the rows back and tries again on its next tick;
no web request ever waits on Redis."""

from __future__ import annotations

import logging

from tasks.celery_app import celery_app, runtime
from tasks.effect_tasks import run_effect_task
from workflow.engine.effects import claim_pending, release

log = logging.getLogger(__name__)
PUBLISH_RETRY = {"max_retries": 2, "interval_start": 0, "interval_step": 0.5,
                 "interval_max": 1}


@celery_app.task(name="tasks.relay.relay_outbox", ignore_result=True)
def relay_outbox(limit: int = 200) -> int:
    rt = runtime()
    ids = claim_pending(rt, limit)
    for n, outbox_id in enumerate(ids):
        try:
            run_effect_task.apply_async(args=[outbox_id], retry=True, retry_policy=PUBLISH_RETRY)
        except Exception as exc:  # broker unreachable: give back what was not published
            log.warning("broker unavailable (%s); %d effects wait for the next tick", exc,
                        len(ids) - n)
            release(rt, ids[n:])
            return n
    return len(ids)
