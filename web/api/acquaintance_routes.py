"""Electronic acquaintance with signed orders (api.md «Acquaintance»)."""

from __future__ import annotations

from flask import jsonify

from web.api import bp
from web.auth import current_actor, db_session, runtime
from workflow.notify import acquaintance


@bp.post("/documents/<int:document_id>/acknowledge")
def acknowledge(document_id: int):
    return jsonify(acquaintance.acknowledge(runtime(), current_actor(), document_id))


@bp.get("/documents/<int:document_id>/acquaintance")
def acquaintance_list(document_id: int):
    return jsonify(acquaintance.acquaintance_list(db_session(), current_actor(), document_id))
