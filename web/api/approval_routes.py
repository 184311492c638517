"""Approval the way schools approve: routes, collegial protocols, appendices of approving
orders, substitutions (и. о.). See api.md."""

from __future__ import annotations

from flask import jsonify, request

import workflow.demo.approval  # noqa: F401 - registers the demo hook
from web.api import bp
from web.api.common import int_arg, int_value, json_body, str_value
from web.auth import current_actor, db_session, runtime
from workflow.engine import appendices, protocols, routes, substitutions
from workflow.errors import BadInput


def _document(document_id: int):
    from web.api.document_routes import _document as document_json

    return document_json(document_id)


@bp.get("/routes")
def get_route():
    org_id = int_arg("org_id")
    kind = request.args.get("kind")
    if org_id is None or not kind:
        raise BadInput("Укажите org_id и kind.", code="missing_field")
    return jsonify(routes.get_route(db_session(), current_actor(), org_id, kind))


@bp.put("/routes")
def put_route():
    data = json_body()
    return jsonify(routes.put_route(runtime(), current_actor(), int_value(data, "org_id"),
                                    data.get("kind"), data.get("stages")))


@bp.post("/documents/<int:document_id>/protocol")
def record_protocol(document_id: int):
    if request.mimetype == "multipart/form-data":
        data, upload = request.form, request.files.get("file")
        scan = upload.read() if upload else None
        raw_lock = data.get("lock_version")
        try:
            lock = int(raw_lock) if raw_lock not in (None, "") else None
        except ValueError:
            raise BadInput("Поле lock_version должно быть целым числом.",
                           code="invalid_field") from None
    else:
        data, scan = json_body(), None
        lock = int_value(data, "lock_version")
    if lock is None:
        raise BadInput("Не указано поле lock_version.", code="missing_field")
    protocols.record_protocol(runtime(), current_actor(), document_id, expected_version=lock,
                              number=data.get("number"), day=data.get("date"),
                              decision=data.get("decision"), comment=data.get("comment") or "",
                              scan=scan)
    return _document(document_id)


@bp.post("/documents/<int:document_id>/appendices")
def attach_appendix(document_id: int):
    data = json_body()
    appendices.attach(runtime(), current_actor(), document_id,
                      int_value(data, "document_id", required=True),
                      int_value(data, "lock_version", required=True))
    return _document(document_id)


@bp.post("/substitutions")
def create_substitution():
    data = json_body()
    row = substitutions.create_substitution(
        runtime(), current_actor(), org_id=data.get("org_id"), absent_id=data.get("absent_id"),
        deputy_id=data.get("deputy_id"), start=data.get("start"), end=data.get("end"),
        reason=str_value(data, "reason"))
    response = jsonify(row)
    response.status_code = 201
    return response


@bp.get("/substitutions")
def list_substitutions():
    org_id = int_arg("org_id")
    if org_id is None:
        raise BadInput("Укажите org_id.", code="missing_field")
    return jsonify(substitutions.list_substitutions(db_session(), current_actor(), org_id))


@bp.delete("/substitutions/<int:substitution_id>")
def end_substitution(substitution_id: int):
    substitutions.end_substitution(runtime(), current_actor(), substitution_id)
    return jsonify({"id": substitution_id, "ended": True})
