"""What the pages of the approval show: the stepper of one document with what the reader may
do on it, the route editor of an organisation and kind, the substitutions of an organisation."""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import Session

from documents.models import DocState, Document, Grant, Organization, User
from workflow.engine import routes
from workflow.engine.appendices import (
    ACT_KINDS,
    appendices_of,
    approving_order,
    live_order_of,
)
from workflow.engine.approval_view import StageView, route_stages
from workflow.engine.permissions import Actor, may_author
from workflow.engine.visas import SECRETARY_ROLES, route_of


@dataclass
class ApprovalPanel:
    stages: list[StageView] | None
    current_is_last: bool = True
    may_record_protocol: bool = False
    collegial_title: str = ""
    may_approve_by_order: bool = False
    pending_order: Document | None = None
    approved_by: Document | None = None
    appendices: list[Document] = field(default_factory=list)


def approval_panel(session: Session, actor: Actor, doc: Document) -> ApprovalPanel:
    panel = ApprovalPanel(stages=route_stages(session, doc))
    route = route_of(session, doc)
    if route is not None:
        stage = route.stages[route.current]
        panel.current_is_last = route.current + 1 >= len(route.stages)
        if routes.is_collegial(stage):
            panel.collegial_title = routes.COLLEGIAL_BODIES.get(stage["collegial_body"], "")
            panel.may_record_protocol = bool(actor.roles_in(doc.org_id) & SECRETARY_ROLES)
    if doc.kind in ACT_KINDS:
        panel.approved_by = approving_order(session, doc.id)
        panel.pending_order = live_order_of(session, doc.id)
        panel.may_approve_by_order = (doc.state is DocState.approved
                                      and may_author(actor, doc.organization))
    else:
        panel.appendices = appendices_of(session, doc.id)
    return panel


@dataclass
class RouteEditor:
    orgs: list[Organization]
    org: Organization | None
    kind: str
    stages: list[dict]
    is_default: bool
    members: list[User]
    bodies: dict[str, str]


def route_editor(session: Session, actor: Actor, org_id: int | None, kind: str) -> RouteEditor:
    from workflow.engine.queries import list_organizations

    orgs = [o for o in list_organizations(session, actor) if routes.may_edit_routes(actor, o)]
    org = next((o for o in orgs if o.id == org_id), orgs[0] if orgs else None)
    stages, is_default = routes.route_in_force(session, org.id, kind) if org else ([], True)
    members = list(session.scalars(select(User).where(User.id.in_(select(Grant.user_id).where(
        Grant.org_id == org.id))).order_by(User.full_name))) if org else []
    return RouteEditor(orgs, org, kind, stages, is_default, members, routes.COLLEGIAL_BODIES)
