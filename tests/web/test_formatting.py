"""One formatter for dates, numbers and counted nouns (issue 13, defects 4 and 10)."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from web.views.formatting import parse_date, plural, ru_date, ru_dates, ru_number, ru_percent

NB = "\u00a0"


def test_dates_read_as_people_write_them():
    assert ru_date(date(2026, 12, 3)) == "03.12.2026"
    assert ru_date("2026-12-03") == "03.12.2026"
    assert ru_date(datetime(2026, 12, 2, 22, 30, tzinfo=UTC)) == "03.12.2026"  # Moscow time
    assert ru_date("2026-12-02T22:30:00+00:00") == "03.12.2026"
    assert ru_date(None) == ""
    assert ru_dates("Срок 2026-12-03 истёк; подписан 2026-12-02T22:30:00Z") == \
        "Срок 03.12.2026 истёк; подписан 03.12.2026"


def test_date_inputs_accept_dd_mm_yyyy():
    assert parse_date("03.12.2026") == date(2026, 12, 3)
    assert parse_date(" 3.2.2027 ") == date(2027, 2, 3)
    assert parse_date("2026-12-03") == date(2026, 12, 3)
    assert parse_date("") is None
    with pytest.raises(ValueError, match="ДД.ММ.ГГГГ"):
        parse_date("12/03/2026")
    with pytest.raises(ValueError):
        parse_date("31.02.2026")


@pytest.mark.parametrize(("n", "text"), [
    (1, "1 событие"), (2, "2 события"), (5, "5 событий"), (11, "11 событий"),
    (21, "21 событие"), (22, "22 события"), (42, "42 события"), (112, "112 событий"),
    (1.5, "1,5 события"), (1000, "1 000 событий")])
def test_russian_plural(n, text):
    assert plural(n, "событие", "события", "событий") == text.replace(" ", NB).replace(
        f"1{NB}000", f"1{NB}000")


def test_years_and_numbers():
    assert plural(17, "год", "года", "лет") == f"17{NB}лет"
    assert plural(21, "год", "года", "лет") == f"21{NB}год"
    assert ru_number(20.0) == "20"
    assert ru_number(33.333) == "33,3"
    assert ru_number(None) == "—"
    assert ru_percent(33.333) == f"33,3{NB}%"
    assert ru_percent(20.0) == f"20{NB}%"


def test_filters_are_registered_for_every_template(app):
    with app.test_request_context():
        env = app.jinja_env
        for name in ("ru_date", "ru_datetime", "ru_dates", "ru_number", "ru_percent", "plural"):
            assert name in env.filters
        assert env.from_string('{{ 42|plural("событие", "события", "событий") }}').render() \
            == f"42{NB}события"
