"""The tamper-evident history and what auditors do with it."""
