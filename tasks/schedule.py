"""Periodic jobs as data (one beat process runs them; every job is idempotent anyway)."""

SCHEDULE = {
    "relay-outbox": {"task": "tasks.relay.relay_outbox", "schedule": 2.0},
    "roadmap-reminders": {"task": "tasks.reminder_tasks.send_due_reminders",
                          "schedule": 3600.0},
    "audit-heads-mail": {"task": "tasks.audit_tasks.send_audit_heads", "schedule": 86400.0},
    "pairs-end": {"task": "tasks.pair_tasks.end_expired_pairs", "schedule": 3600.0},
}
