"""Audit anchoring: GET /audit/head and /audit/verify (optionally against a kept head)."""

from __future__ import annotations

import re

from flask import jsonify, request
from sqlalchemy import select

from documents.models import Organization
from web.api import bp
from web.api.common import int_arg
from web.auth import current_actor, db_session
from workflow.audit import anchors
from workflow.audit import chain as audit
from workflow.engine import queries
from workflow.engine.permissions import visible_org_ids
from workflow.errors import BadInput

_HASH = re.compile(r"^[0-9a-f]{64}$")


@bp.get("/audit/head")
def audit_head():
    """Вершина цепочки истории организации (seq, hash, at)."""
    return jsonify(anchors.head(db_session(), current_actor(), int_arg("org_id")))


@bp.get("/audit/verify")
def verify():
    session, actor = db_session(), current_actor()
    org_id = int_arg("org_id")
    head_seq, head_hash = int_arg("head_seq"), request.args.get("head_hash") or None
    if (head_seq is None) != (head_hash is None):
        raise BadInput("Вершина задаётся двумя параметрами: head_seq и head_hash.",
                       code="invalid_head")
    if head_seq is not None:
        if org_id is None:
            raise BadInput("Проверка по вершине — для одной организации (org_id).",
                           code="missing_parameter")
        if head_seq < 1 or not _HASH.match(head_hash):
            raise BadInput("head_seq ≥ 1, head_hash — 64 шестнадцатеричных знака.",
                           code="invalid_head")
        queries.get_organization(session, actor, org_id)
        return jsonify(audit.verify_chain(session, org_id, head_seq, head_hash).to_api())
    if org_id is not None:
        queries.get_organization(session, actor, org_id)
        visible = visible_org_ids(session, actor)
        children = session.scalars(select(Organization.id).where(Organization.parent_id == org_id))
        org_ids = [org_id, *(c for c in children if c in visible)]
    else:
        org_ids = list(visible_org_ids(session, actor))
    return jsonify(audit.verify_orgs(session, org_ids).to_api())
