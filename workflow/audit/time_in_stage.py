"""How long acts waited in each state (on_approval, approved, under_municipal_review,
returned), by school and kind: median and maximum in days, the ten slowest stays, a chart.

Read from the history chain in one query whatever the number of documents: a stay starts at
the event that entered the state and ends at the next event of the same document (or now,
for an act still waiting). Stays are counted in the period when they started in it.
"""

from __future__ import annotations

import statistics
from collections import defaultdict
from dataclasses import dataclass
from datetime import UTC, date, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from documents.audit_xlsx import write_sheet
from documents.models import Document, HistoryEvent, Organization, Role
from workflow import clock
from workflow.audit.scope import scoped_orgs
from workflow.engine.permissions import Actor, may_read_in
from workflow.errors import BadInput

STATES = ("on_approval", "approved", "under_municipal_review", "returned")
READERS = frozenset({Role.auditor, Role.municipal_officer})
DAY = 86400.0


@dataclass(frozen=True)
class Stay:
    org_id: int
    document_id: int
    title: str
    kind: str
    state: str
    start: datetime
    days: float
    open: bool
    sent: bool = False  # the document is sent to the municipality (now)


@dataclass
class Report:
    rows: list[dict]
    slowest: list[Stay]
    org_names: dict[int, str]
    #: the slowest documents the reader may open (a municipal officer does not open a school's
    #: act before it is sent: the page names its kind, not its title, and links nothing)
    readable: frozenset[int] = frozenset()

    def to_api(self) -> dict:
        return {"rows": self.rows}


def _aware(value: datetime) -> datetime:
    return value if value.tzinfo else value.replace(tzinfo=UTC)


def stays(session: Session, org_ids: list[int], start: date | None, to: date | None,
          now: datetime | None = None) -> list[Stay]:
    now = now or clock.now()
    lo = clock.day_start(start) if start else None
    hi = clock.day_end(to) if to else None
    rows = session.execute(
        select(HistoryEvent.document_id, HistoryEvent.at, HistoryEvent.to_state,
               Document.org_id, Document.title, Document.kind, Document.sent_at)
        .join(Document, Document.id == HistoryEvent.document_id)
        .where(Document.org_id.in_(org_ids))
        .order_by(HistoryEvent.document_id, HistoryEvent.org_id, HistoryEvent.seq))
    out: list[Stay] = []
    pending = None  # (row that entered a counted state)
    for row in rows:
        if pending is not None and pending.document_id == row.document_id:
            out.append(_stay(pending, _aware(row.at), False))
        elif pending is not None:
            out.append(_stay(pending, now, True))
        pending = row if row.to_state in STATES else None
    if pending is not None:
        out.append(_stay(pending, now, True))
    return [s for s in out if (lo is None or s.start >= lo) and (hi is None or s.start < hi)]


def _stay(row, end: datetime, is_open: bool) -> Stay:
    begin = _aware(row.at)
    return Stay(row.org_id, row.document_id, row.title, row.kind, row.to_state, begin,
                round((end - begin).total_seconds() / DAY, 3), is_open, row.sent_at is not None)


def time_in_stage(session: Session, actor: Actor, municipality_id: int | None,
                  date_from: date | None = None, date_to: date | None = None) -> Report:
    if municipality_id is None:
        raise BadInput("Укажите муниципалитет (municipality_id).", code="missing_parameter")
    if date_from and date_to and date_from > date_to:
        raise BadInput("Начало периода позже его конца.", code="invalid_period")
    org_ids = scoped_orgs(session, actor, municipality_id, READERS)
    found = stays(session, org_ids, date_from, date_to)
    groups: dict[tuple, list[Stay]] = defaultdict(list)
    for s in found:
        groups[(s.org_id, s.kind, s.state)].append(s)
    rows = []
    for (org_id, kind, state), items in sorted(groups.items(),
                                               key=lambda kv: (kv[0][0], kv[0][1],
                                                               STATES.index(kv[0][2]))):
        days = [s.days for s in items]
        rows.append({"org_id": org_id, "kind": kind, "state": state,
                     "documents": len({s.document_id for s in items}),
                     "median_days": round(statistics.median(days), 3),
                     "max_days": max(days)})
    orgs = session.execute(select(Organization.id, Organization.short_name,
                                  Organization.parent_id)
                           .where(Organization.id.in_(org_ids))).all()
    names = {o.id: o.short_name for o in orgs}
    parents = {o.id: o.parent_id for o in orgs}
    slowest = sorted(found, key=lambda s: -s.days)[:10]
    return Report(rows, slowest, names, frozenset(
        s.document_id for s in slowest
        if may_read_in(actor, s.org_id, parents.get(s.org_id), sent=s.sent)))


def chart(report: Report, width: int = 640) -> dict:
    """Bars of the median and the maximum per state over the whole selection (SVG geometry)."""
    label_w, bar_h, gap = 230, 18, 14
    top = max([r["max_days"] for r in report.rows] or [1.0]) or 1.0
    span = width - label_w - 80
    bars, y = [], 0
    for state in STATES:
        rows = [r for r in report.rows if r["state"] == state]
        if not rows:
            continue
        med = statistics.median([r["median_days"] for r in rows])
        mx = max(r["max_days"] for r in rows)
        bars.append({"state": state, "y": y, "med_w": round(span * med / top, 1),
                     "max_w": round(span * mx / top, 1), "med": med, "max": mx})
        y += 2 * bar_h + gap
    return {"width": width, "height": max(y, 1), "label_w": label_w, "bar_h": bar_h,
            "bars": bars}


def report_xlsx(report: Report, state_titles: dict, kind_title) -> bytes:
    headers = ("Организация", "Вид документа", "Состояние", "Документов", "Медиана, дней",
               "Максимум, дней")
    rows = [(report.org_names.get(r["org_id"], r["org_id"]), kind_title(r["kind"]),
             state_titles.get(r["state"], r["state"]), r["documents"], r["median_days"],
             r["max_days"]) for r in report.rows]
    return write_sheet("Время на этапах", headers, rows)
