"""Reading a free-text deadline phrase the way a school curator does.

Rules (docs/domain.md, «Roadmaps and deadlines»): «до X» includes day X; a month means
its last day; «учебный год» runs 1 September – 31 August; «ежегодно» recurs inside the
roadmap period; «в течение всего периода» spans the period; «в соответствии со сроками,
устанавливаемыми …» / «по отдельному графику» are external. Of alternatives («… или май
2021 г.») the concrete one wins. Unknown text is "unspecified" — the reader never raises,
because one odd cell must not stop a whole roadmap import.
"""

from __future__ import annotations

import re
from datetime import date
from itertools import pairwise

from workflow.roadmaps.deadlines.model import Deadline
from workflow.roadmaps.deadlines.spans import FINE_KINDS, Span, build_spans, window_of
from workflow.roadmaps.deadlines.tokens import Token, month_end, normalize, safe_date, scan

_WHOLE_PERIOD = re.compile(
    r"(?:весь|всего|всем|все) (?:период|срок|время)|постоянн|бессрочн|на протяжении всего"
)
_EXTERNAL = re.compile(
    r"в соответствии со? (?:срок|график|план)|по (?:(?:отдельному|утвержденному|особому|"
    r"индивидуальному|своему) )?(?:графику|плану)|в сроки,? (?:установ|определ|предусмотр)|"
    r"устанавливаем|по согласованию|по запросу|по требованию|согласно (?:срок|график|план)"
)
_LOOSE_CONTINUOUS = re.compile(
    r"в течение|на протяжении|по мере (?:необходимости|поступления|появления)|регулярно|"
    r"систематическ|еженедельн|ежедневн|в постоянном режиме|на постоянной основе|"
    r"в рабочем порядке|текущ"
)
_FREQUENCIES: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"ежемесячн|раз в месяц|кажд(?:ый|ого) месяц|12 раз в год"), "month"),
    (re.compile(r"ежекварт|поквартальн|раз в квартал|кажд(?:ый|ого) квартал|"
                r"(?:4|четыре) раза в год"), "quarter"),
    (re.compile(r"раз в полугоди|раз в пол ?года|(?:2|два) раза в год|дважды в год|"
                r"по полугодиям|каждое полугодие|раз в семестр"), "half"),
    (re.compile(r"ежегодн|раз в год|кажд(?:ый|ого) год|по итогам года"), "year"),
)
_FREQ_MONTHS = {"month": tuple(range(1, 13)), "quarter": (3, 6, 9, 12), "half": (6, 12),
                "year": (12,)}
_BY = re.compile(
    r"(?:^|\s)(?:до|не позднее|не позже|к|по|в срок до|срок до|(?:до |к |в )?конц[аеу]|конец|"
    r"(?:до |к |в )?окончани[юяи])\s*$"
)
_FROM = re.compile(r"(?:^|\s)(?:с|со|начиная с|от)\s*$")
_CONCRETE = ("date", "period", "recurring")


def parse_deadline(text: str, period: tuple[date, date]) -> Deadline:
    """Read ``text`` against the roadmap ``period`` (first day, last day); never raises."""
    original = text if isinstance(text, str) else ""
    try:
        start, end = period
        if end < start:
            start, end = end, start
        return _read(original, (start, end))
    except Exception:  # noqa: BLE001 - one odd phrase must never break an import
        return Deadline(text=original, kind="unspecified")


def _read(text: str, period: tuple[date, date]) -> Deadline:
    normal = normalize(text)
    if not normal:
        return Deadline(text=text, kind="unspecified")
    parts = [p.strip(" ,;.") for p in re.split(r"\s+или\s+|\s*/\s*(?![\d])", normal) if p.strip()]
    readings = [_read_part(text, part, period) for part in parts] or [
        Deadline(text=text, kind="unspecified")]
    for reading in readings:
        if reading.kind in _CONCRETE:
            return reading
    for reading in readings:
        if reading.kind != "unspecified":
            return reading
    return readings[0]


def _read_part(text: str, normal: str, period: tuple[date, date]) -> Deadline:
    tokens = scan(normal)
    if _WHOLE_PERIOD.search(normal):
        return Deadline(text=text, kind="continuous", start=period[0], due=period[1])
    frequency = next((name for rx, name in _FREQUENCIES if rx.search(normal)), None)
    if frequency is not None:
        return _recurring(text, tokens, period, frequency)
    fine = [t for t in tokens if t.kind in FINE_KINDS]
    yearless = [t for t in fine if t.year is None and t.kind in ("day", "month")]
    if yearless and len(yearless) == len(fine) and _is_list(normal, fine) and (
            len(fine) > 1 or any(t.kind == "yrange" for t in tokens)):
        return _recurring(text, tokens, period, None)
    if _EXTERNAL.search(normal) and not _has_by_date(normal, tokens):
        return Deadline(text=text, kind="external")
    if tokens:
        frame = window_of(tokens) or period
        spans = build_spans(normal, tokens, frame)
        if spans:
            return _from_spans(text, normal, spans, period)
    if re.search(r"до конца (?:учебного )?года|до конца периода|к концу (?:учебного )?года",
                 normal):
        return Deadline(text=text, kind="date", due=period[1])
    if _LOOSE_CONTINUOUS.search(normal):
        return Deadline(text=text, kind="continuous", start=period[0], due=period[1])
    return Deadline(text=text, kind="unspecified")


def _is_list(normal: str, fine: list[Token]) -> bool:
    """True when year-less pieces are listed («декабрь, июнь»), not joined into a range."""
    for left, right in pairwise(fine):
        gap = normal[left.end:right.begin].strip()
        if gap in ("-", "по", "до"):
            return False
    return True


def _has_by_date(normal: str, tokens: list[Token]) -> bool:
    return any(t.kind == "day" and _BY.search(normal[:t.begin]) for t in tokens)


def _from_spans(text: str, normal: str, spans: list[Span], period: tuple[date, date]) -> Deadline:
    if len(spans) > 1:
        dates = sorted({s.end for s in spans if period[0] <= s.end <= period[1]})
        return _make_recurring(text, dates)
    span = spans[0]
    prefix = normal[:span.first.begin]
    if span.size == 1 and _FROM.search(prefix):
        return Deadline(text=text, kind="period", start=span.start, due=max(period[1], span.end))
    if span.point or _BY.search(prefix):
        return Deadline(text=text, kind="date", due=span.end)
    return Deadline(text=text, kind="period", start=span.start, due=span.end)


def _recurring(text: str, tokens: list[Token], period: tuple[date, date],
               frequency: str | None) -> Deadline:
    """Every control date of a repeating phrase inside both the period and its own window."""
    window = window_of(tokens)
    lo, hi = period
    if window is not None:
        lo, hi = max(lo, window[0]), min(hi, window[1])
    anchors = [t for t in tokens if t.kind in ("day", "month")]
    found: set[date] = set()
    for year in range(lo.year, hi.year + 1):
        if anchors:
            for tok in anchors:
                found.add(safe_date(year, tok.month or 1, tok.day) if tok.kind == "day"
                          else month_end(year, tok.month or 1))
        else:
            for month in _FREQ_MONTHS.get(frequency or "year", (12,)):
                found.add(month_end(year, month))
    dates = sorted(d for d in found if lo <= d <= hi)
    if not dates and not anchors and lo <= hi:
        dates = [hi]
    return _make_recurring(text, dates)


def _make_recurring(text: str, dates: list[date]) -> Deadline:
    return Deadline(text=text, kind="recurring", due=dates[-1] if dates else None,
                    occurrences=tuple(dates))


__all__ = ["parse_deadline"]
