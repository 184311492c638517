"""The product's day is the schools' day (Moscow), not the server's: between 21:00 and
midnight UTC a server kept in UTC is still on the day before."""

from datetime import UTC, date, datetime

from documents import clock


def _at(moment: datetime):
    return clock.shifted(moment - datetime.now(UTC))


def test_today_is_the_day_in_moscow_late_in_the_utc_evening():
    with _at(datetime(2026, 12, 4, 22, 30, tzinfo=UTC)):
        assert clock.today() == date(2026, 12, 5)
    with _at(datetime(2026, 12, 4, 20, 30, tzinfo=UTC)):
        assert clock.today() == date(2026, 12, 4)


def test_today_does_not_follow_the_servers_zone(monkeypatch):
    import time

    monkeypatch.setenv("TZ", "America/New_York")
    time.tzset()
    try:
        with _at(datetime(2026, 12, 4, 22, 30, tzinfo=UTC)):
            assert clock.today() == date(2026, 12, 5)
    finally:
        monkeypatch.undo()
        time.tzset()

