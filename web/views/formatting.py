"""How the pages show dates, numbers and counted nouns to people — one place for all pages.

Jinja filters (registered app-wide once, usable by every blueprint's templates):

- ``ru_date`` — ``03.12.2026`` from a date, a datetime (Moscow time) or an ISO string;
- ``ru_datetime`` — ``03.12.2026 14:05``;
- ``ru_dates`` — any ISO dates inside a text (an error message, a note) as DD.MM.YYYY;
- ``ru_number`` — ``1 234,5`` (no trailing ``,0``; ``—`` for None);
- ``ru_percent`` — ``33,3 %`` from a share already in percent;
- ``plural`` — ``42|plural("событие", "события", "событий")`` → ``42 события``;
- ``file_size`` — ``512 Б``, ``0,1 КБ``, ``2,4 МБ`` from a number of bytes.

``parse_date`` reads what people type in date inputs: DD.MM.YYYY (also D.M.YYYY) or ISO.
"""

from __future__ import annotations

import re
from datetime import date, datetime
from decimal import Decimal

from babel.numbers import format_decimal
from flask import Flask
from markupsafe import Markup

from workflow.clock import local

_ISO = re.compile(r"\b(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::\d{2}(?:\.\d+)?)?"
                  r"(?:Z|[+-]\d{2}:?\d{2})?)?\b")
_RU = re.compile(r"^\s*(\d{1,2})\.(\d{1,2})\.(\d{4})\s*$")
NBSP = "\u00a0"


def ru_date(value: date | datetime | str | None) -> str:
    if not value:
        return ""
    if isinstance(value, str):
        try:
            value = datetime.fromisoformat(value) if len(value) > 10 else date.fromisoformat(value)
        except ValueError:
            return ru_dates(value)
    if isinstance(value, datetime):
        return local(value).strftime("%d.%m.%Y")
    return value.strftime("%d.%m.%Y")


def ru_datetime(value: datetime | str | None) -> str:
    if not value:
        return ""
    if isinstance(value, str):
        try:
            value = datetime.fromisoformat(value)
        except ValueError:
            return ru_dates(value)
    return local(value).strftime("%d.%m.%Y %H:%M")


def ru_dates(text: object) -> str:
    """Every ISO date (or timestamp) inside ``text`` rewritten as DD.MM.YYYY."""
    if text is None:
        return ""
    value = str(text)

    def one(m: re.Match) -> str:
        try:
            return ru_date(m.group(0)) if m.group(4) else f"{m[3]}.{m[2]}.{m[1]}"
        except ValueError:
            return m.group(0)

    out = _ISO.sub(one, value)
    return Markup(out) if isinstance(text, Markup) else out


def parse_date(raw: object) -> date | None:
    """DD.MM.YYYY (or ISO YYYY-MM-DD) → date; empty → None; ValueError otherwise."""
    text = str(raw or "").strip()
    if not text:
        return None
    m = _RU.match(text)
    if m:
        return date(int(m[3]), int(m[2]), int(m[1]))
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
        return date.fromisoformat(text)
    raise ValueError(f"Дата «{text}» не распознана: укажите ДД.ММ.ГГГГ.")


def _locale() -> str:
    try:
        from flask_babel import get_locale

        return str(get_locale() or "ru")
    except (RuntimeError, ImportError):
        return "ru"


def ru_number(value: object, digits: int = 1, locale: str | None = None) -> str:
    """``20.0`` → ``20``, ``33.333`` → ``33,3``, ``1234`` → ``1 234``; None → ``—``."""
    if value is None or value == "":
        return "—"
    try:
        number = Decimal(str(value))
    except ArithmeticError:
        return str(value)
    fmt = "#,##0" + ("." + "#" * digits if digits > 0 else "")
    return format_decimal(number, format=fmt, locale=locale or _locale())


def ru_percent(value: object, digits: int = 1) -> str:
    if value is None or value == "":
        return "—"
    return f"{ru_number(value, digits)}{NBSP}%"


def plural_form(n: int) -> int:
    """Index of the Russian form: 0 — «1 событие», 1 — «2 события», 2 — «5 событий»."""
    n = abs(int(n))
    if n % 10 == 1 and n % 100 != 11:
        return 0
    if 2 <= n % 10 <= 4 and not 12 <= n % 100 <= 14:
        return 1
    return 2


def plural(n: object, one: str, few: str, many: str, with_number: bool = True) -> str:
    """``plural(42, "событие", "события", "событий")`` → ``42 события``; fractions take «few»
    (``1,5 года``). In the English interface, ``one`` for 1 and ``many`` otherwise."""
    try:
        number = Decimal(str(n))
    except ArithmeticError:
        return f"{n} {many}"
    if _locale().startswith("en"):
        # the words come translated (one → "document", few/many → "documents"): English
        # takes the singular for exactly one only — «21 документ» but "21 documents"
        word = one if number == 1 else many
    elif number != number.to_integral_value():
        word = few
    else:
        word = (one, few, many)[plural_form(int(number))]
    return f"{ru_number(number, 1)}{NBSP}{word}" if with_number else word


def file_size(size: object) -> str:
    """Bytes as people read them: ``512 Б``, ``0,1 КБ`` (never ``0.1``), ``2,4 МБ``."""
    try:
        n = int(size)  # type: ignore[call-overload]
    except (TypeError, ValueError):
        return "—"
    if n < 100:
        return f"{ru_number(n, 0)}{NBSP}Б"
    if n < 1024 * 1024:
        return f"{ru_number(Decimal(n) / 1024, 1)}{NBSP}КБ"
    return f"{ru_number(Decimal(n) / (1024 * 1024), 1)}{NBSP}МБ"


def numero(text: object) -> object:
    """A no-break space after «№», as Russian typesetting has it: «СОШ № 1» and «Приказ № 5»
    never break after the sign in a narrow column. For display only — a form's value keeps
    what the person typed."""
    if not isinstance(text, str):
        return text
    return text.replace("№ ", f"№{NBSP}")


FILTERS = {
    "ru_date": ru_date, "ru_datetime": ru_datetime, "ru_dates": ru_dates,
    "ru_number": ru_number, "ru_percent": ru_percent, "plural": plural,
    "file_size": file_size, "numero": numero,
}


def register(app: Flask) -> None:
    """Make the filters (and ``plural`` as a global) available to every template."""
    app.jinja_env.filters.update(FILTERS)
    app.jinja_env.globals.update(plural=plural, ru_number=ru_number, ru_percent=ru_percent)
