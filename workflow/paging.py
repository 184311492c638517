"""Pages and column sorts of the lists people read (issue 13): one COUNT and one OFFSET
query per page, a page past the end shows the last one, sort keys come from a whitelist."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session


@dataclass
class Page:
    items: list = field(default_factory=list)
    total: int = 0
    page: int = 1
    per_page: int = 50


def last_page(total: int, per_page: int) -> int:
    return max((total + per_page - 1) // per_page, 1)


def paginate(session: Session, query: Select, page: int, per_page: int,
             rows: bool = False) -> Page:
    """``query`` (already ordered) cut to ``page``; ``rows`` keeps whole rows, not scalars."""
    total = session.scalar(select(func.count()).select_from(
        query.order_by(None).subquery())) or 0
    page = min(max(page, 1), last_page(total, per_page))
    cut = query.offset((page - 1) * per_page).limit(per_page)
    items = list(session.execute(cut).all() if rows else session.scalars(cut))
    return Page(items, total, page, per_page)


def sort_order(sort: str | None, columns: Mapping[str, Any], default: Sequence[Any],
               tiebreak: Sequence[Any] = ()) -> list:
    """ORDER BY for ``key``/``-key`` (descending) among ``columns``; unknown: ``default``."""
    key = (sort or "").lstrip("-")
    if key not in columns:
        return [*default, *tiebreak]
    column = columns[key]
    first = column.desc().nulls_last() if (sort or "").startswith("-") else \
        column.asc().nulls_last()
    return [first, *tiebreak]
