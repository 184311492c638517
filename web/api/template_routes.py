"""DOCX templates: the ones in force (built-in or uploaded) and uploading a new one."""

from __future__ import annotations

from flask import jsonify, request

from web.api import bp
from web.auth import current_actor, db_session, runtime
from web.input_guard import bounded_int
from workflow.errors import BadInput
from workflow.files import templates


def _org_id(required: bool) -> int | None:
    raw = (request.values.get("org_id") or "").strip()
    if not raw:
        if required:
            raise BadInput("Не указана организация (org_id).", code="missing_field")
        return None
    return bounded_int(raw, "org_id")


@bp.get("/templates")
def list_templates():
    actor = current_actor()
    entries = templates.list_templates(db_session(), actor, kind=request.args.get("kind") or None,
                                       org_id=_org_id(required=False))
    return jsonify([e.to_api() for e in entries])


@bp.post("/templates")
def upload_template():
    actor = current_actor()
    upload = request.files.get("file")
    row = templates.upload_template(
        runtime(), actor, kind=request.values.get("kind") or None,
        org_id=_org_id(required=True), filename=upload.filename if upload else "",
        data=upload.read() if upload else None)
    response = jsonify({"id": row.id, "kind": row.kind, "org_id": row.org_id,
                        "sha256": row.sha256, "variables": list(row.variables)})
    response.status_code = 201
    return response
