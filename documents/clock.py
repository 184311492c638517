"""The product's clock. Every service asks it — never ``datetime.now()`` or ``date.today()``
directly — so tests, the demo and an operator checking "what happens next month" can move
time for the whole product at once.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

#: The zone whose calendar the product's days follow: "today" (deadlines, overdue, the
#: day's journal) and every date and time the pages show. Not the server's zone: a server
#: kept in UTC would otherwise start the schools' day three hours late.
ZONE = ZoneInfo("Europe/Moscow")

_offset = timedelta(0)


def now() -> datetime:
    """The current moment, timezone-aware (UTC)."""
    return datetime.now(UTC) + _offset


def today() -> date:
    """Today's date in :data:`ZONE`, whatever zone the server runs in."""
    return now().astimezone(ZONE).date()


def local(moment: datetime) -> datetime:
    """``moment`` in :data:`ZONE` (a naive moment is taken as UTC)."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(ZONE)


def local_date(moment: datetime) -> date:
    """The day ``moment`` falls on in :data:`ZONE`."""
    return local(moment).date()


def day_start(day: date) -> datetime:
    """The moment ``day`` begins in :data:`ZONE`, in UTC (the stored timestamps' zone; SQLite
    keeps their wall-clock time only). The first and last days a date can hold give the
    first and last moments (a filter «from 0001-01-01» means «from the beginning»)."""
    try:
        return datetime.combine(day, time.min, ZONE).astimezone(UTC)
    except OverflowError:
        return (datetime.min if day.year == 1 else datetime.max).replace(tzinfo=UTC)


def day_end(day: date) -> datetime:
    """The moment the day after ``day`` begins (the end of ``day``, exclusive)."""
    return day_start(day + timedelta(days=1)) if day < date.max else datetime.max.replace(
        tzinfo=UTC)


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
