"""The daily job that ends pairs whose term is over (idempotent: a finished pair stays so)."""

from __future__ import annotations

from tasks.celery_app import celery_app, runtime
from workflow.mentorship.pair_lifecycle import end_expired_pairs


@celery_app.task(name="tasks.pair_tasks.end_expired_pairs", ignore_result=True)
def end_expired_pairs_task() -> int:
    return end_expired_pairs(runtime())
