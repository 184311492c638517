"""Turning scanned tokens into calendar spans.

A token is a day, a month, a quarter, a half-year, a year, a range of years or a school
year; tokens joined by «-»/«по»/«до» form one range. Year-less pieces borrow the year of
their range partner or of the next piece that has one («Ноябрь-декабрь 2022 г.»), and
otherwise are placed inside a window (the roadmap period, or a school year / year named
in the phrase), the way a curator silently assumes «this roadmap's December».
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from workflow.roadmaps.deadlines.tokens import Token, month_end, safe_date

FINE_KINDS = ("day", "month", "quarter", "half")
WINDOW_KINDS = ("year", "yrange", "school")
_RANGE_GAP = re.compile(r"^(?:\s|г|гг|года|году|год|\.|\))*\s*(?:-|по|до)\s*$")


@dataclass
class Span:
    """A resolved piece of the phrase: first day, last day, and whether it is one day."""

    start: date
    end: date
    point: bool
    first: Token
    size: int = 1


def window_of(tokens: list[Token]) -> tuple[date, date] | None:
    """The outer time frame a phrase names («в период с 2022 по 2024», «2020-2021 уч. год»)."""
    for tok in tokens:
        if tok.kind == "school" and tok.year and tok.year2:
            return date(tok.year, 9, 1), date(tok.year2, 8, 31)
        if tok.kind == "yrange" and tok.year and tok.year2:
            return date(tok.year, 1, 1), date(tok.year2, 12, 31)
        if tok.kind == "year" and tok.year:
            return date(tok.year, 1, 1), date(tok.year, 12, 31)
    return None


def token_span(tok: Token, year: int) -> tuple[date, date]:
    """First and last day of a token in a given year (its own year wins when present)."""
    y = tok.year or year
    if tok.kind == "day":
        day = safe_date(y, tok.month or 1, tok.day or 1)
        return day, day
    if tok.kind == "month":
        return date(y, tok.month or 1, 1), month_end(y, tok.month or 1)
    if tok.kind == "quarter":
        first = 3 * ((tok.part or 1) - 1) + 1
        return date(y, first, 1), month_end(y, first + 2)
    if tok.kind == "half":
        first = 1 if tok.part == 1 else 7
        return date(y, first, 1), month_end(y, first + 5)
    if tok.kind == "school":
        return date(y, 9, 1), date(tok.year2 or y + 1, 8, 31)
    if tok.kind == "yrange":
        return date(y, 1, 1), date(tok.year2 or y, 12, 31)
    return date(y, 1, 1), date(y, 12, 31)


def _order(tok: Token) -> int:
    """Position of a token inside its year, to tell «сентябрь - май» wraps over New Year."""
    if tok.kind == "day":
        return (tok.month or 1) * 100 + (tok.day or 1)
    if tok.kind == "month":
        return (tok.month or 1) * 100 + 31
    if tok.kind == "quarter":
        return (3 * (tok.part or 1)) * 100
    if tok.kind == "half":
        return (6 * (tok.part or 1)) * 100
    return 0


def group_ranges(text: str, tokens: list[Token]) -> list[list[Token]]:
    """Join tokens separated only by a range word into pairs; everything else stands alone."""
    groups: list[list[Token]] = []
    for tok in tokens:
        if groups and len(groups[-1]) == 1 and groups[-1][0].kind in FINE_KINDS \
                and tok.kind in FINE_KINDS and _RANGE_GAP.match(text[groups[-1][0].end:tok.begin]):
            groups[-1].append(tok)
        else:
            groups.append([tok])
    return groups


def _resolve_year(group: list[Token], frame: tuple[date, date]) -> int:
    """Pick the first year that puts a year-less group inside the frame."""
    lo, hi = frame
    for year in range(lo.year - 1, hi.year + 1):
        start, end = _group_bounds(group, year)
        if end >= lo and start <= hi:
            return year
    return lo.year


def _group_bounds(group: list[Token], year: int) -> tuple[date, date]:
    first, last = group[0], group[-1]
    if len(group) == 1:
        return token_span(first, year)
    y1, y2 = first.year, last.year
    wraps = _order(first) > _order(last)
    if y1 is None and y2 is None:
        y1, y2 = year, year + (1 if wraps else 0)
    elif y1 is None:
        y1 = (y2 or year) - (1 if wraps else 0)
    elif y2 is None:
        y2 = y1 + (1 if wraps else 0)
    return token_span(first, y1)[0], token_span(last, y2)[1]


def build_spans(text: str, tokens: list[Token], frame: tuple[date, date]) -> list[Span]:
    """Resolve fine tokens into spans; window tokens only lend years and the frame."""
    fine = [t for t in tokens if t.kind in FINE_KINDS]
    if not fine:
        fine = [t for t in tokens if t.kind in WINDOW_KINDS][:1]
    groups = group_ranges(text, fine)
    spans: list[Span] = []
    for index, group in enumerate(groups):
        if all(t.year is None for t in group) and group[0].kind in FINE_KINDS:
            lender = next((g[0].year for g in groups[index + 1:] if g[0].year), None)
            year = lender - (1 if len(group) > 1 and _order(group[0]) > _order(group[-1]) else 0) \
                if lender else _resolve_year(group, frame)
        else:
            year = next(t.year for t in group if t.year)
        start, end = _group_bounds(group, year)
        point = len(group) == 1 and group[0].kind == "day"
        spans.append(Span(start=start, end=end, point=point, first=group[0], size=len(group)))
    return spans
