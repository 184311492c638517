"""The demo data loaded by ``make run``."""
