"""The range of dates the product accepts from people (1900–2100): anything else is a typo
or a probe, refused with 422 naming the field rather than stored."""

from __future__ import annotations

from datetime import date

from workflow.errors import RuleViolation

MIN_DATE = date(1900, 1, 1)
MAX_DATE = date(2100, 12, 31)


def sane_date(day: date, field: str) -> date:
    if not MIN_DATE <= day <= MAX_DATE:
        raise RuleViolation(f"Поле {field}: дата {day.isoformat()} вне допустимого диапазона "
                            f"({MIN_DATE.year}–{MAX_DATE.year}).", code="date_out_of_range",
                            details={"field": field})
    return day
