"""The process: document kinds, state machines, permissions, the transition service, audit."""
