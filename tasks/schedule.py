"""Periodic jobs as data (one beat process runs them; every job is idempotent anyway)."""

SCHEDULE = {
    "relay-outbox": {"task": "tasks.relay.relay_outbox", "schedule": 2.0},
}
