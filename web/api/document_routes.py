"""Documents: create, list, read, edit, fire events, history, DOCX."""

from __future__ import annotations

from flask import jsonify, request, send_file

from web.api import bp
from web.api.common import date_value, int_arg, int_value, json_body, paging, str_value
from web.api.errors import error_response
from web.auth import current_actor, db_session, runtime
from workflow.engine import authoring, queries, transition
from workflow.errors import BadInput
from workflow.files import downloads

DOCX_MIME = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def _document_view(session, doc, actor) -> dict:
    """A document as api.md answers it: the fields, "route", "approved_by", "appendices"."""
    from workflow.engine.approval_view import document_extras

    return dict(queries.document_to_api(doc, actor), **document_extras(session, doc))


def _document(document_id: int):
    session = db_session()
    actor = current_actor()
    # the route and the appendix flags with the document (one statement, see transition)
    return jsonify(_document_view(
        session, transition.load_with_context(session, actor, document_id), actor))


@bp.post("/documents")
def create_document():
    data = json_body()
    kind = data.get("kind")
    if not isinstance(kind, str):
        raise BadInput("Укажите вид документа (kind).", code="missing_field")
    doc_id = authoring.create_document(
        runtime(), current_actor(), kind=kind, org_id=int_value(data, "org_id", required=True),
        title=data.get("title"), fields=data.get("fields"),
        roadmap_item_id=int_value(data, "roadmap_item_id"),
        responsible_id=int_value(data, "responsible_id"), due=date_value(data, "due"))
    response = _document(doc_id)
    response.status_code = 201
    return response


@bp.get("/documents")
def list_documents():
    page, per_page = paging()
    actor = current_actor()
    overdue = request.args.get("overdue", "").lower() in ("1", "true", "yes")
    rows, total = queries.list_documents(
        db_session(), actor, org_id=int_arg("org_id"), kind=request.args.get("kind") or None,
        state=request.args.get("state") or None, overdue=overdue,
        q=request.args.get("q") or None, responsible_id=int_arg("responsible_id"),
        page=page, per_page=per_page)
    return jsonify({"items": [queries.document_to_api(d, actor) for d in rows],
                    "total": total, "page": page})


@bp.get("/documents/<int:document_id>")
def get_document(document_id: int):
    return _document(document_id)


@bp.patch("/documents/<int:document_id>")
def update_document(document_id: int):
    data = json_body()
    changes = {}
    for name in ("title", "fields"):
        if name in data:
            changes[name] = data[name]
    if "responsible_id" in data:
        changes["responsible_id"] = int_value(data, "responsible_id")
    if "due" in data:
        changes["due"] = date_value(data, "due")
    authoring.update_document(runtime(), current_actor(), document_id,
                              expected_version=int_value(data, "lock_version", required=True),
                              **changes)
    return _document(document_id)


@bp.post("/documents/<int:document_id>/events/<event>")
def fire_event(document_id: int, event: str):
    data = json_body()
    actor = current_actor()
    # the answer is built inside the transition's transaction, from the rows it wrote
    return jsonify(transition.apply_event(
        runtime(), document_id, event, actor, comment=str_value(data, "comment"),
        expected_version=int_value(data, "lock_version", required=True),
        answer=lambda session, doc: _document_view(session, doc, actor)))


@bp.get("/documents/<int:document_id>/history")
def history(document_id: int):
    events = queries.document_history(db_session(), current_actor(), document_id)
    return jsonify([e.to_api() for e in events])


@bp.get("/documents/<int:document_id>/versions")
def versions(document_id: int):
    rows = queries.document_versions(db_session(), current_actor(), document_id)
    return jsonify([{"number": v.number, "title": v.title, "content_sha256": v.content_sha256,
                     "registration_number": v.registration_number,
                     "file_sha256": v.file_sha256, "render_status": v.render_status.value,
                     "render_error": v.render_error} for v in rows])


def _docx(document_id: int, version: int | None):
    result = downloads.get_docx(runtime(), current_actor(), document_id, version)
    if result.status == "ready":
        return send_file(result.open(), mimetype=DOCX_MIME, as_attachment=True,
                         download_name=result.filename)
    if result.status == "failed":
        return error_response(422, "render_failed",
                              f"Не удалось сформировать файл: {result.reason}")
    response = jsonify({"status": "rendering"})
    response.status_code = 202
    response.headers["Retry-After"] = "2"
    return response


@bp.get("/documents/<int:document_id>/docx")
def docx(document_id: int):
    return _docx(document_id, None)


@bp.get("/documents/<int:document_id>/versions/<int:number>/docx")
def version_docx(document_id: int, number: int):
    return _docx(document_id, number)


@bp.post("/documents/<int:document_id>/render")
def rerender(document_id: int):
    downloads.retry_render(runtime(), current_actor(), document_id)
    response = jsonify({"status": "rendering"})
    response.status_code = 202
    response.headers["Retry-After"] = "2"
    return response
