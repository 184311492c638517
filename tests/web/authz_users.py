"""The users of the authorization matrix and the helper that writes a row of it."""

USERS = ["admin1", "curator1", "director1", "officer", "auditor", "sysadmin", "head",
         "admin3", "officer2", "anon"]


def row(default: int, **overrides: int) -> dict[str, int]:
    """Expected status for every user: ``default`` unless overridden."""
    out = {u: default for u in USERS}
    out.update(overrides)
    return out
