"""The normalised search text: case-folded, «ё» read as «е», whitespace collapsed.

SQLite's ``lower()``/``LIKE`` fold only ASCII and PostgreSQL's depend on the collation, so the
text people search in is folded in Python on write (``Document.search_text``) and the query
is folded the same way; a plain ``LIKE`` then matches on both databases."""

from __future__ import annotations

import re

_SPACES = re.compile(r"\s+")


def fold(text: object) -> str:
    """«Положение  о  НАСТАВНИЧЕСТВЕ, ёлка» → «положение о наставничестве, елка»."""
    value = str(text or "").casefold().replace("ё", "е")
    return _SPACES.sub(" ", value).strip()


def document_search_text(title: object, registration_number: object = None) -> str:
    return fold(f"{title or ''} {registration_number or ''}")[:1000]


def like_pattern(query: object) -> str:
    """A ``LIKE`` pattern (escape character ``\\``) matching the folded query anywhere."""
    folded = fold(query)
    escaped = folded.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"
