"""Audit jobs: the daily e-mail of chain heads to auditors (idempotent by day and auditor,
see workflow.audit.anchors) and nothing else — background verifications and packs reach the
workers as outbox effects (workflow.audit.jobs)."""

from __future__ import annotations

from datetime import date

from tasks.celery_app import celery_app, runtime
from workflow.audit.anchors import queue_daily_heads


@celery_app.task(name="tasks.audit_tasks.send_audit_heads", ignore_result=True)
def send_audit_heads(today: str | None = None) -> int:
    return queue_daily_heads(runtime(), date.fromisoformat(today) if today else None)
