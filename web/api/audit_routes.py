"""GET /audit/verify: walk the history chains the caller may see."""

from __future__ import annotations

from flask import jsonify
from sqlalchemy import select

from documents.models import Organization
from web.api import bp
from web.api.common import int_arg
from web.auth import current_actor, db_session
from workflow.audit import chain as audit
from workflow.engine import queries
from workflow.engine.permissions import visible_org_ids


@bp.get("/audit/verify")
def verify():
    session, actor = db_session(), current_actor()
    org_id = int_arg("org_id")
    if org_id is not None:
        queries.get_organization(session, actor, org_id)
        visible = visible_org_ids(session, actor)
        children = session.scalars(select(Organization.id).where(Organization.parent_id == org_id))
        org_ids = [org_id, *(c for c in children if c in visible)]
    else:
        org_ids = list(visible_org_ids(session, actor))
    return jsonify(audit.verify_orgs(session, org_ids).to_api())
