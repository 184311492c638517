"""A Gantt-like picture of a roadmap as SVG text, drawn on the server (no scripts, no inline
styles — only presentation attributes, which the page's CSP allows)."""

from __future__ import annotations

from datetime import date
from xml.sax.saxutils import escape, quoteattr

from workflow import clock

COLOURS = {"planned": "#6c757d", "in_progress": "#0d6efd", "done": "#198754",
           "overdue": "#dc3545"}
MONTHS = ("янв", "фев", "мар", "апр", "май", "июн", "июл", "авг", "сен", "окт", "ноя", "дек")
LABEL, WIDTH, ROW, TOP = 70, 860, 18, 28


def timeline_svg(view: dict, today: date | None = None) -> str:
    """One row per item: a bar for a period, a tick per control date, a pale bar for
    continuous work; a dashed line for today."""
    today = today or clock.today()
    start, end = date.fromisoformat(view["period_start"]), date.fromisoformat(view["period_end"])
    items = view["items"]
    lo = min([start] + [i["start"] for i in items if i.get("start")] +
             [i["due"] for i in items if i.get("due")])
    hi = max([end] + [i["due"] for i in items if i.get("due")])
    span = max((hi - lo).days, 1)

    def x(day: date) -> float:
        return round(LABEL + (day - lo).days / span * WIDTH, 1)

    height = TOP + ROW * len(items) + 10
    out = [(f'<svg xmlns="http://www.w3.org/2000/svg" class="roadmap-timeline" role="img" '
           f'viewBox="0 0 {LABEL + WIDTH + 10} {height}" width="100%" '
           f'aria-label="Диаграмма сроков дорожной карты">')]
    month = date(lo.year, lo.month, 1)
    while month <= hi:
        if month >= lo:
            mx = x(month)
            out.append(f'<line x1="{mx}" y1="{TOP - 6}" x2="{mx}" y2="{height - 6}" '
                       'stroke="#dee2e6" stroke-width="0.5"/>')
            if month.month in (1, 4, 7, 9, 10) or span < 400:
                label = f"{MONTHS[month.month - 1]} {month.year % 100:02d}"
                out.append(f'<text x="{mx + 2}" y="{TOP - 10}" font-size="9" '
                           f'fill="#6c757d">{label}</text>')
        month = date(month.year + (month.month == 12), month.month % 12 + 1, 1)
    for n, item in enumerate(items):
        y = TOP + n * ROW
        colour = COLOURS.get(item["status"], "#6c757d")
        out.append(f'<g><title>{escape(item["number"] + " " + item["activity"][:200])} — '
                   f'{escape(item["deadline_text"] or "срок не указан")}</title>')
        out.append(f'<text x="2" y="{y + 12}" font-size="10" fill="#212529">'
                   f'{escape(item["number"])}</text>')
        deadline = item.get("deadline") or {}
        kind = deadline.get("kind")
        if kind == "recurring":
            for day in deadline.get("occurrences") or []:
                dx = x(date.fromisoformat(day))
                out.append(f'<rect x="{dx - 2}" y="{y + 3}" width="5" height="11" '
                           f'fill={quoteattr(colour)}/>')
        elif item.get("due") and item.get("start"):
            x1, x2 = x(item["start"]), x(item["due"])
            opacity = "0.35" if kind == "continuous" else "0.85"
            out.append(f'<rect x="{x1}" y="{y + 4}" width="{max(x2 - x1, 3)}" height="10" '
                       f'rx="2" fill={quoteattr(colour)} fill-opacity="{opacity}"/>')
        elif item.get("due"):
            dx = x(item["due"])
            out.append(f'<path d="M{dx} {y + 2} l6 7 l-6 7 l-6 -7 z" fill={quoteattr(colour)}/>')
        else:
            out.append(f'<text x="{LABEL + 4}" y="{y + 12}" font-size="9" fill="#6c757d">'
                       'срок не задан</text>')
        out.append("</g>")
    if lo <= today <= hi:
        tx = x(today)
        out.append(f'<line x1="{tx}" y1="{TOP - 6}" x2="{tx}" y2="{height - 6}" '
                   'stroke="#dc3545" stroke-width="1" stroke-dasharray="4 3"/>')
        out.append(f'<text x="{tx + 2}" y="{height - 1}" font-size="9" fill="#dc3545">'
                   'сегодня</text>')
    out.append("</svg>")
    return "".join(out)
