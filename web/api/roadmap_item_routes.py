"""Roadmap items as documents: evidence files of a report, linking an existing act to an
item, and the municipal roadmap's item × school progress (see shared/docs/api.md)."""

from __future__ import annotations

import io

from flask import jsonify, request, send_file

from web.api import bp
from web.api.common import json_body
from web.auth import current_actor, db_session, runtime
from workflow.errors import NotFound
from workflow.roadmaps import evidence
from workflow.roadmaps import progress as progress_service

XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@bp.get("/roadmaps/<int:roadmap_id>/progress")
def roadmap_progress(roadmap_id: int):
    view = progress_service.progress(db_session(), current_actor(), roadmap_id)
    fmt = request.args.get("format")
    if fmt == "xlsx":
        return send_file(io.BytesIO(progress_service.progress_xlsx(view)), mimetype=XLSX_MIME,
                         as_attachment=True, download_name=f"roadmap-{roadmap_id}-progress.xlsx")
    if fmt not in (None, "", "json"):
        raise NotFound("Формат не поддерживается.", code="not_found")
    return jsonify(progress_service.to_api(view))


@bp.post("/roadmaps/<int:roadmap_id>/items/<int:item_id>/links")
def link_item_document(roadmap_id: int, item_id: int):
    data = json_body()
    return jsonify(evidence.link_document(runtime(), current_actor(), roadmap_id, item_id,
                                          data.get("document_id")))


@bp.post("/documents/<int:document_id>/evidence")
def add_evidence_file(document_id: int):
    upload = request.files.get("file")
    row = evidence.add_file(runtime(), current_actor(), document_id,
                            data=upload.read() if upload is not None else b"",
                            filename=(upload.filename or "") if upload is not None else "")
    response = jsonify(row)
    response.status_code = 201
    return response


@bp.get("/documents/<int:document_id>/evidence")
def list_evidence_files(document_id: int):
    items = evidence.list_files(db_session(), current_actor(), document_id)
    return jsonify({"items": items, "total": len(items)})


@bp.get("/documents/<int:document_id>/evidence/<int:file_id>")
def get_evidence_file(document_id: int, file_id: int):
    data, name, mime = evidence.get_file(runtime(), db_session(), current_actor(), document_id,
                                         file_id)
    return send_file(io.BytesIO(data), mimetype=mime, as_attachment=True, download_name=name)
