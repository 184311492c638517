"""The document engine: kinds, state machines, permissions, the transition service, journals, the outbox."""
