"""Reading a list page's arguments: the page number and the sort key. Whatever a link or a
person types, the page answers with defaults, never an error."""

from __future__ import annotations

from collections.abc import Iterable

from flask import request

#: Pages beyond this are nonsense (and would overflow an OFFSET on SQLite).
MAX_PAGE = 100_000


def page_arg(name: str = "page") -> int:
    """A page number ≥ 1 from the query string (anything else: 1)."""
    raw = (request.args.get(name) or "").strip()
    if not raw.isdigit() or len(raw) > 6:
        return 1
    return min(max(int(raw), 1), MAX_PAGE)


def sort_arg(allowed: Iterable[str], name: str = "sort") -> str | None:
    """``key`` or ``-key`` when ``key`` is whitelisted; otherwise None (the default order)."""
    raw = (request.args.get(name) or "").strip()
    return raw if raw and raw.lstrip("-") in set(allowed) and raw.count("-") <= 1 \
        and not raw.endswith("-") else None
