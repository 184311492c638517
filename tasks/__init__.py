"""Celery: the outbox relay, effect consumers and periodic jobs (distributed mode)."""
