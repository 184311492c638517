"""Normalising a deadline phrase and finding the date-like pieces in it.

Roadmaps are typed by hand: «До 10.12. 2022 г.», «До 15. 10», non-breaking spaces,
en/em dashes, «г.г.»/«гг.». Normalising first lets one small set of patterns read all
of those variants; the scanner then yields tokens in text order with the gaps between
them, because the words between tokens («-», «по», «,») decide ranges versus lists.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date

_MONTHS: tuple[tuple[str, int], ...] = (
    (r"январ[а-я]*|янв\.?", 1),
    (r"феврал[а-я]*|фев\.?", 2),
    (r"март[а-я]*|мар\.", 3),
    (r"апрел[а-я]*|апр\.?", 4),
    (r"ма[йяе]", 5),
    (r"июн[а-я]*", 6),
    (r"июл[а-я]*", 7),
    (r"август[а-я]*|авг\.?", 8),
    (r"сентябр[а-я]*|сент?\.?", 9),
    (r"октябр[а-я]*|окт\.?", 10),
    (r"ноябр[а-я]*|нояб?\.?", 11),
    (r"декабр[а-я]*|дек\.?", 12),
)
_MONTH_RE = "|".join(f"(?:{pattern})" for pattern, _ in _MONTHS)
_MONTH_COMPILED = [(re.compile(rf"^(?:{p})$"), n) for p, n in _MONTHS]
_ROMAN = {"i": 1, "ii": 2, "iii": 3, "iv": 4, "1": 1, "2": 2, "3": 3, "4": 4,
          "перв": 1, "втор": 2, "треть": 3, "четверт": 4}
_ORD = r"(iv|iii|ii|i|[1-4]|перв[а-я]*|втор[а-я]*|треть[а-я]*|четверт[а-я]*)(?:\s*-?\s*(?:й|е|ое|ом|м))?"
_YEAR_TAIL = r"(?:\s*(?:г\s*г|гг|г|года|году|год))?"

_PATTERNS: tuple[tuple[str, str], ...] = (
    ("school", r"(?<!\d)((?:19|20)\d\d)\s*[-/]\s*((?:19|20)?\d\d)\s*(?:г\s*г|гг|г)?\s*уч"),
    ("dmy", r"(?<![\d.])(\d{1,2})\.(\d{1,2})\.((?:19|20)\d\d|\d\d)(?![\d])"),
    ("dm", r"(?<![\d.])(\d{1,2})\.(\d{1,2})(?![\d]|\.\d)"),
    ("dnamed", rf"(?<!\d)(\d{{1,2}})\s+({_MONTH_RE})(?:\s+((?:19|20)\d\d))?(?![а-я])"),
    ("quarter", rf"(?<![а-я\d]){_ORD}\s*(?:квартал[а-я]*|кв\.?)(?![а-я])(?:\s+((?:19|20)\d\d))?"),
    ("half", rf"(?<![а-я\d]){_ORD}\s*полугоди[а-я]*(?:\s+((?:19|20)\d\d))?"),
    ("month", (rf"(?<![а-я])({_MONTH_RE})(?![а-я])"
               rf"(?:\s+((?:19|20)\d\d)(?!\d)(?!{_YEAR_TAIL}\s*(?:-|по)\s*(?:19|20)\d\d))?")),
    ("yrange", rf"(?<!\d)((?:19|20)\d\d){_YEAR_TAIL}\s*(?:-|по|до)\s*((?:19|20)\d\d)(?!\d)"),
    ("year", r"(?<![\d.])((?:19|20)\d\d)(?!\d|\.\d)"),
)
_SCANNER = re.compile("|".join(f"(?P<{name}>{rx})" for name, rx in _PATTERNS))
_GROUP_OFFSETS: dict[str, int] = {}
_offset = 1
for _name, _rx in _PATTERNS:
    _GROUP_OFFSETS[_name] = _offset
    _offset += 1 + re.compile(_rx).groups
del _offset

_DASHES = "\u2010\u2011\u2012\u2013\u2014\u2015\u2212\u2043\ufe58\ufe63\uff0d"
_SPACES = "\u00a0\u202f\u2007\u2009\u200a\u2002\u2003\u2004\u2005\u2006\t\r\n\v\f"


@dataclass
class Token:
    """One date-like piece: a day, a month, a quarter, a half-year, a year or a range."""

    kind: str
    begin: int
    end: int
    year: int | None = None
    month: int | None = None
    day: int | None = None
    part: int | None = None
    year2: int | None = None


def normalize(text: str) -> str:
    """Lower-case, unify spaces/dashes/«ё», and glue «30.10. 2020» into «30.10.2020»."""
    out = text.translate({ord(ch): " " for ch in _SPACES})
    out = out.translate({ord(ch): "-" for ch in _DASHES}).lower().replace("ё", "е")
    out = re.sub(r"(\d)\s*\.\s+(\d)", r"\1.\2", out)
    out = re.sub(r"(\d)\s+\.(\d)", r"\1.\2", out)
    out = re.sub(r"\bг\.\s*г\.?", "гг ", out)
    out = re.sub(r"\bгг\.", "гг ", out)
    out = re.sub(r"\bг\.", "г ", out)
    return re.sub(r"\s+", " ", out).strip()


def month_number(word: str) -> int | None:
    """Map any inflected or abbreviated month name to 1..12."""
    for rx, number in _MONTH_COMPILED:
        if rx.match(word):
            return number
    return None


def full_year(value: str) -> int:
    """Read «20» as 2020; roadmaps never refer to the 1900s with two digits."""
    number = int(value)
    return number + 2000 if number < 100 else number


def safe_date(year: int, month: int, day: int) -> date:
    """Build a date; a day the month does not have («30 февраля», «31.09») is not a date
    (ValueError: the phrase stays unspecified and the import says so)."""
    return date(year, month, day)


def month_end(year: int, month: int) -> date:
    """A month as a deadline means its last day."""
    return date(year, month, calendar.monthrange(year, month)[1])


def _ordinal(word: str) -> int | None:
    for stem, number in _ROMAN.items():
        if word == stem or (len(stem) > 2 and word.startswith(stem)):
            return number
    return None


def scan(text: str) -> list[Token]:
    """Find date-like tokens in an already normalised phrase, in text order."""
    tokens: list[Token] = []
    for match in _SCANNER.finditer(text):
        kind = match.lastgroup or ""
        base = _GROUP_OFFSETS[kind]
        groups = match.groups()[base:base + 4]
        token = _build(kind, groups, match.start(), match.end())
        if token is not None:
            tokens.append(token)
    return tokens


def _build(kind: str, g: tuple[str | None, ...], begin: int, end: int) -> Token | None:
    tok = Token(kind=kind, begin=begin, end=end)
    if kind == "school":
        tok.year = int(g[0] or 0)
        tok.year2 = tok.year + 1  # «2020-2021», «2020/21»: always the next year
    elif kind in ("dmy", "dm"):
        day, month = int(g[0] or 0), int(g[1] or 0)
        if not (1 <= day <= 31 and 1 <= month <= 12):
            return None
        tok.kind, tok.day, tok.month = "day", day, month
        tok.year = full_year(g[2]) if kind == "dmy" and g[2] else None
    elif kind == "dnamed":
        day = int(g[0] or 0)
        if not 1 <= day <= 31:
            return None
        tok.kind, tok.day, tok.month = "day", day, month_number(g[1] or "")
        tok.year = int(g[2]) if g[2] else None
    elif kind in ("quarter", "half"):
        part = _ordinal(g[0] or "")
        if part is None or (kind == "half" and part > 2):
            return None
        tok.part, tok.year = part, int(g[1]) if g[1] else None
    elif kind == "month":
        tok.month = month_number(g[0] or "")
        tok.year = int(g[1]) if g[1] else None
    elif kind == "yrange":
        tok.year, tok.year2 = int(g[0] or 0), int(g[1] or 0)
        if tok.year2 < tok.year:
            return None
    elif kind == "year":
        tok.year = int(g[0] or 0)
    return tok if (tok.month is not None or kind not in ("month", "dnamed")) else None
