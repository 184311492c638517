"""Russian formatting of dates and names as ГОСТ Р 7.0.97-2025 writes them in requisites."""

from __future__ import annotations

import datetime as dt
import re

from documents.clock import local_date

MONTHS_GENITIVE = (
    "января",
    "февраля",
    "марта",
    "апреля",
    "мая",
    "июня",
    "июля",
    "августа",
    "сентября",
    "октября",
    "ноября",
    "декабря",
)
BLANK_DATE = "«___» ____________ 20___ г."
BLANK_SHORT_DATE = "____________"
BLANK_NUMBER = "________"

# Characters XML 1.0 forbids; python-docx/lxml would refuse or silently drop them.
_XML_INVALID = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def strip_invalid(text: str) -> str:
    """Remove characters XML 1.0 cannot carry; other text is returned unchanged."""
    return _XML_INVALID.sub("", text) if _XML_INVALID.search(text) else text


def clean_text(value: object) -> str:
    """Turn user input into text safe for WordprocessingML (no control characters)."""
    if value is None:
        return ""
    text = value if isinstance(value, str) else str(value)
    return _XML_INVALID.sub("", text).replace("\r\n", "\n").replace("\r", "\n").strip()


def parse_date(value: object) -> dt.date | None:
    """Accept 'YYYY-MM-DD' (or an ISO datetime) and return a date, None if absent or bad."""
    if not value or not isinstance(value, str):
        return None
    if len(value) > 10:  # a moment: its day in the product's zone, if it says its offset
        try:
            moment = dt.datetime.fromisoformat(value)
        except ValueError:
            moment = None
        if moment is not None and moment.tzinfo is not None:
            return local_date(moment)
    try:
        return dt.date.fromisoformat(value[:10])
    except ValueError:
        return None


def short_date(value: object, blank: str = "") -> str:
    """«12.11.2026» — the form of the date requisite."""
    date = parse_date(value)
    if date is None:
        return clean_text(value) if value and isinstance(value, str) else blank
    return f"{date:%d.%m.%Y}"


def long_date(value: object, blank: str = "") -> str:
    """«12 ноября 2026 г.» — the verbal form used in text and in grifs."""
    date = parse_date(value)
    if date is None:
        return clean_text(value) if value and isinstance(value, str) else blank
    return f"{date.day} {MONTHS_GENITIVE[date.month - 1]} {date.year} г."


NBSP = "\u00a0"
_INITIALS = re.compile(r"([А-ЯЁA-Z])\.")


def _name_parts(full_name: object) -> tuple[str, list[str]]:
    """(surname, initials) of «Иванова Мария Петровна» or of an already abbreviated
    «Белова Н.Г.» / «Белова Н. Г.» — both initials are kept."""
    parts = clean_text(full_name).split()
    if not parts:
        return "", []
    surname, given = parts[0], parts[1:]
    initials: list[str] = []
    for name in given:
        letters = _INITIALS.findall(name)
        if letters and _INITIALS.sub("", name).strip() == "":
            initials += [f"{letter}." for letter in letters]
        elif name:
            initials.append(f"{name[0]}.")
    return surname, initials


def initials_first(full_name: object) -> str:
    """«Иванова Мария Петровна» → «М. П. Иванова» (signature and visa form), joined by
    non-breaking spaces so the name never breaks across lines."""
    surname, initials = _name_parts(full_name)
    return NBSP.join([*initials, surname]) if surname else ""


def surname_initials(full_name: object) -> str:
    """«Иванова Мария Петровна» → «Иванова М. П.» (lists and tables), non-breaking."""
    surname, initials = _name_parts(full_name)
    return NBSP.join([surname, *initials]) if surname else ""


def paragraphs(text: object) -> list[str]:
    """Split user text into paragraphs on line breaks, dropping empty lines."""
    return [line.strip() for line in clean_text(text).split("\n") if line.strip()]


def period_text(start: object, end: object) -> str:
    """«с 01.09.2026 по 31.05.2027», or whichever end is known."""
    first, last = short_date(start), short_date(end)
    if first and last:
        return f"с {first} по {last}"
    if first:
        return f"с {first}"
    if last:
        return f"по {last}"
    return ""


def years_text(start: object, end: object) -> str:
    """«2026–2028 годы» for a roadmap period, «2026 год» for one year."""
    first, last = parse_date(start), parse_date(end)
    if first and last and first.year != last.year:
        return f"{first.year}–{last.year} годы"
    single = first or last
    return f"{single.year} год" if single else ""
