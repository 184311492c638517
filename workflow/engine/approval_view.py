"""The approval as a reader sees it: the route with its stages (done / current / waiting /
rejected), visas and protocols, the order that approved an act, an order's appendices."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from documents.models import Document, StageProtocol
from documents.models.history import iso_utc
from workflow import clock
from workflow.engine import routes
from workflow.engine.appendices import ACT_KINDS, appendices_to_api, approving_order
from workflow.engine.visas import document_route, round_visas, waiting_for


@dataclass
class StageView:
    title: str
    mode: str
    status: str  # waiting | current | done | rejected
    due: date | None
    visas: list[dict] = field(default_factory=list)
    protocol: dict | None = None
    waiting: list[str] = field(default_factory=list)
    collegial_body: str | None = None
    overdue: bool = False


def route_stages(session: Session, doc: Document) -> list[StageView] | None:
    route = document_route(session, doc.id)
    if route is None:
        return None
    visas = round_visas(session, doc.id, route.round)
    # a protocol is only ever recorded on a collegial stage: none to look for without one
    protocols = {p.stage: p for p in session.scalars(select(StageProtocol).where(
        StageProtocol.document_id == doc.id, StageProtocol.round == route.round))} \
        if any(routes.is_collegial(stage) for stage in route.stages) else {}
    today, out = clock.today(), []
    for i, stage in enumerate(route.stages):
        if i < route.current:
            status = "done"
        elif i == route.current and route.status == "in_progress":
            status = "current"
        elif i == route.current and route.status == "rejected":
            status = "rejected"
        else:
            status = "waiting"
        due = routes.stage_due(route, stage) if status == "current" else None
        view = StageView(
            title=stage.get("title", ""), mode="collegial" if routes.is_collegial(stage)
            else stage.get("mode", "all"), status=status, due=due,
            collegial_body=stage.get("collegial_body"),
            overdue=bool(due and due < today))
        for v in visas:
            if v.stage == i:
                item = {"user_id": v.user_id, "user_name": v.user_name, "outcome": v.outcome,
                        "comment": v.comment, "at": iso_utc(v.at)}
                if v.on_behalf_of_id:
                    item["on_behalf_of"] = v.on_behalf_of_id
                    item["on_behalf_of_name"] = v.on_behalf_of_name
                view.visas.append(item)
        p = protocols.get(i)
        if p is not None:
            view.protocol = {"body": p.body, "number": p.number, "date": p.date.isoformat(),
                             "decision": p.decision, "has_scan": bool(p.file_key)}
        if status == "current":
            view.waiting = waiting_for(session, doc, route)
        out.append(view)
    return out


def route_to_api(session: Session, doc: Document) -> dict | None:
    stages = route_stages(session, doc)
    if stages is None:
        return None
    out = []
    for s in stages:
        item = {"title": s.title, "mode": s.mode, "status": s.status,
                "due": s.due.isoformat() if s.due else None, "visas": s.visas}
        if s.collegial_body:
            item["collegial_body"] = s.collegial_body
        if s.protocol:
            item["protocol"] = {k: s.protocol[k] for k in ("body", "number", "date", "decision")}
        out.append(item)
    return {"stages": out}


def approved_by(session: Session, doc: Document) -> dict | None:
    if doc.kind not in ACT_KINDS:
        return None
    order = approving_order(session, doc.id)
    if order is None:
        return None
    return {"document_id": order.id, "registration_number": order.registration_number,
            "signed_at": iso_utc(order.signed_at)}


def document_extras(session: Session, doc: Document) -> dict:
    """What api.md adds to a document: "route", "approved_by", "appendices"."""
    return {"route": route_to_api(session, doc), "approved_by": approved_by(session, doc),
            "appendices": appendices_to_api(session, doc)}
