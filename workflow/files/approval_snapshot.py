"""What a DOCX needs to know of the approval: the protocols and visas of the route the
version went through, the real order that approved an act (or the head's own «УТВЕРЖДАЮ»),
«И. о.» when a deputy signed, and the acts an order approves as its appendices."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from documents.docx.grifs import acting_position
from documents.models import Document, DocumentRoute, DocumentVersion, RouteVisa, StageProtocol
from workflow import clock
from workflow.engine.appendices import ACT_KINDS, appendices_of, approving_order
from workflow.engine.substitutions import acting_for
from workflow.files import rendering


def _route_grifs(session: Session, doc: Document, version: DocumentVersion) -> dict:
    route = session.get(DocumentRoute, doc.id)
    if route is None or route.version != version.number:
        return {"protocols": [], "visas": []}
    protocols = session.scalars(select(StageProtocol).where(
        StageProtocol.document_id == doc.id, StageProtocol.round == route.round,
        StageProtocol.decision == "approved").order_by(StageProtocol.stage)).all()
    head_ids = {doc.signer_id}
    visas = session.scalars(select(RouteVisa).where(
        RouteVisa.document_id == doc.id, RouteVisa.round == route.round,
        RouteVisa.outcome == "approved").order_by(RouteVisa.stage, RouteVisa.at)).all()
    last_stage = len(route.stages) - 1
    return {
        "protocols": [{"body": p.body, "number": p.number, "date": p.date.isoformat()}
                      for p in protocols],
        # the head's own approval is his signature, not a «СОГЛАСОВАНО»
        "visas": [{"position": (f"И. о. {v.position}" if v.on_behalf_of_id else v.position),
                   "name": v.user_name, "date": clock.local_date(v.at).isoformat()}
                  for v in visas if v.stage != last_stage and v.user_id not in head_ids],
    }


def approval_snapshot(session: Session, doc: Document, version: DocumentVersion,
                      data: dict) -> dict:
    out: dict = {}
    approval = _route_grifs(session, doc, version)
    if doc.kind in ACT_KINDS:
        order = approving_order(session, doc.id)
        if order is not None and version.signed_at is not None:
            approval["approved_by"] = {
                "document_id": order.id, "registration_number": order.registration_number,
                "signed_at": (clock.local_date(order.signed_at).isoformat()
                              if order.signed_at else None),
                "org_short": order.organization.short_name}
        elif version.signed_at is not None:
            approval["head_signed"] = True
        else:
            approval["pending"] = True
    else:
        out["appendix_docs"] = [{"n": str(i), "title": a.title, "kind": a.kind,
                                 "document_id": a.id}
                                for i, a in enumerate(appendices_of(session, doc.id), start=1)]
    if version.signed_at is not None and doc.signer_id is not None:
        absent = acting_for(session, doc.signer_id, doc.org_id,
                            clock.local_date(version.signed_at))
        if absent is not None and isinstance(data.get("signer"), dict):
            signer = dict(data["signer"])
            signer["position"] = acting_position(signer.get("position") or "Директор")
            signer["acting_for"] = absent.full_name
            out["signer"] = signer
    out["approval"] = approval
    return out


if approval_snapshot not in rendering.SNAPSHOT_HOOKS:
    rendering.SNAPSHOT_HOOKS.append(approval_snapshot)
