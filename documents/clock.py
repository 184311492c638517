"""The product's clock. Every service asks it — never ``datetime.now()`` or ``date.today()``
directly — so tests, the demo and an operator checking "what happens next month" can move
time for the whole product at once.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, date, datetime, timedelta

_offset = timedelta(0)


def now() -> datetime:
    """The current moment, timezone-aware (UTC)."""
    return datetime.now(UTC) + _offset


def today() -> date:
    """Today's date where the server runs (schools read dates in their local day)."""
    return (datetime.now() + _offset).date()


def set_offset(delta: timedelta) -> None:
    """Run the product ``delta`` ahead of (or behind) the system clock."""
    global _offset
    _offset = delta


@contextmanager
def shifted(delta: timedelta) -> Iterator[None]:
    """The clock ``delta`` away from the system clock for the duration of the block."""
    before = _offset
    set_offset(before + delta)
    try:
        yield
    finally:
        set_offset(before)
