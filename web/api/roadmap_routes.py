"""Roadmaps and deadlines (see shared/docs/api.md, «Roadmaps and deadlines»)."""

from __future__ import annotations

from flask import jsonify, request

import workflow.demo.municipal_roadmap  # noqa: F401 - registers the demo hook
import workflow.demo.roadmaps  # noqa: F401 - registers the demo hook
from web.api import bp
from web.api.common import int_arg, json_body
from web.auth import current_actor, db_session, runtime
from web.input_guard import bounded_int
from workflow.engine import queries
from workflow.roadmaps import importing, item_work, reading


def _created(body: dict):
    response = jsonify(body)
    response.status_code = 201
    return response


def _form_int(name: str) -> int | None:
    raw = (request.form.get(name) or request.args.get(name) or "").strip()
    return bounded_int(raw, name) if raw else None


@bp.post("/roadmaps/import")
def import_roadmap():
    actor = current_actor()
    upload = request.files.get("file")
    return _created(importing.import_roadmap(
        runtime(), actor, org_id=_form_int("org_id"),
        data=upload.read() if upload is not None else b"",
        filename=(upload.filename or "roadmap") if upload is not None else "",
        period_start=request.form.get("period_start") or request.args.get("period_start"),
        period_end=request.form.get("period_end") or request.args.get("period_end")))


@bp.get("/roadmaps")
def list_roadmaps():
    items = reading.list_roadmaps(db_session(), current_actor(), int_arg("org_id"))
    return jsonify({"items": items, "total": len(items), "page": 1})


@bp.get("/roadmaps/<int:roadmap_id>")
def get_roadmap(roadmap_id: int):
    return jsonify(reading.get_roadmap(db_session(), current_actor(), roadmap_id))


@bp.post("/roadmaps/<int:roadmap_id>/items/<int:item_id>/documents")
def create_item_document(roadmap_id: int, item_id: int):
    actor = current_actor()
    doc_id = item_work.create_item_document(runtime(), actor, roadmap_id, item_id)
    doc = queries.get_document(db_session(), actor, doc_id)
    return _created(queries.document_to_api(doc, actor))


@bp.post("/roadmaps/<int:roadmap_id>/items/<int:item_id>/evidence")
def add_evidence(roadmap_id: int, item_id: int):
    data = json_body()
    item = item_work.add_evidence(runtime(), current_actor(), roadmap_id, item_id,
                                 text=data.get("comment"), done=data.get("done", False))
    return _created(reading.to_api_item(item))


@bp.post("/deadlines/parse")
def parse_deadline():
    current_actor()
    data = json_body()
    return jsonify(importing.parse_deadline_request(data.get("text"), data.get("period")))
