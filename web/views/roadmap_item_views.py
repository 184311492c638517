"""Pages of roadmap items as documents: the evidence of a report (upload, download), linking
an existing act to an item, and the municipal roadmap's item × school progress matrix with
the drill-down to one school's report."""

from __future__ import annotations

import io

from flask import abort, flash, redirect, render_template, request, send_file, url_for
from flask_babel import gettext as _
from flask_login import login_required
from sqlalchemy import select

from documents.models import Document, Roadmap, RoadmapItem
from web.auth import current_actor, db_session, runtime
from web.views.errors import refusal
from web.views.roadmap_views import _ctx, bp
from workflow.engine.permissions import may_author, visible_org_ids
from workflow.errors import WorkflowError
from workflow.roadmaps import evidence
from workflow.roadmaps import progress as progress_service
from workflow.roadmaps.progress import COLOURS

XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@bp.app_template_global()
def item_report(doc) -> dict:
    """What the document page shows of a roadmap item: its roadmap, files, linked acts."""
    session, actor = db_session(), current_actor()
    item_id = doc.assignment_of or session.scalar(
        select(RoadmapItem.id).where(RoadmapItem.document_id == doc.id))
    row = session.execute(select(Roadmap.id, Roadmap.title, Roadmap.org_id)
                          .join(RoadmapItem, RoadmapItem.roadmap_id == Roadmap.id)
                          .where(RoadmapItem.id == item_id)).first() if item_id else None
    acts = session.execute(select(Document.id).where(Document.roadmap_item_id == item_id)
                           .order_by(Document.id)).all() if item_id and not doc.assignment_of else []
    may_upload = doc.state.value == "draft" and (
        may_author(actor, doc.organization) or doc.responsible_id == actor.id)
    return {"files": evidence.list_files(session, actor, doc.id), "may_upload": may_upload,
            "roadmap_id": row.id if row else None, "roadmap_title": row.title if row else "",
            "roadmap_visible": bool(row) and row.org_id in visible_org_ids(session, actor),
            "municipal": doc.assignment_of is not None,
            "acts": [{"id": a.id} for a in acts]}


@bp.post("/items/<int:document_id>/evidence")
@login_required
def upload_evidence(document_id: int):
    upload = request.files.get("file")
    try:
        evidence.add_file(runtime(), current_actor(), document_id,
                          data=upload.read() if upload is not None else b"",
                          filename=(upload.filename or "") if upload is not None else "")
        flash(_("Файл приложен к отчёту."), "success")
    except WorkflowError as exc:
        if exc.status in (401, 404):
            raise
        flash(refusal(exc), "danger")
    return redirect(url_for("views.document", document_id=document_id))


@bp.get("/items/<int:document_id>/evidence/<int:file_id>")
@login_required
def evidence_file(document_id: int, file_id: int):
    data, name, mime = evidence.get_file(runtime(), db_session(), current_actor(), document_id,
                                         file_id)
    return send_file(io.BytesIO(data), mimetype=mime, as_attachment=True, download_name=name)


@bp.post("/<int:roadmap_id>/items/<int:item_id>/link")
@login_required
def link(roadmap_id: int, item_id: int):
    raw = (request.form.get("document_id") or "").strip()
    try:
        evidence.link_document(runtime(), current_actor(), roadmap_id, item_id,
                               int(raw) if raw.isdigit() else raw)
        flash(_("Документ привязан к пункту."), "success")
    except WorkflowError as exc:
        if exc.status in (401, 404) and exc.code != "document_not_found":
            raise
        flash(refusal(exc), "danger")
    return redirect(url_for("roadmaps.show", roadmap_id=roadmap_id) + f"#item-{item_id}")


@bp.get("/<int:roadmap_id>/progress")
@login_required
def progress(roadmap_id: int):
    view = progress_service.progress(db_session(), current_actor(), roadmap_id)
    return render_template("roadmaps/progress.html", v=view, colours=COLOURS, **_ctx())


@bp.get("/<int:roadmap_id>/progress.xlsx")
@login_required
def progress_xlsx(roadmap_id: int):
    view = progress_service.progress(db_session(), current_actor(), roadmap_id)
    return send_file(io.BytesIO(progress_service.progress_xlsx(view)), mimetype=XLSX_MIME,
                     as_attachment=True, download_name=f"roadmap-{roadmap_id}-progress.xlsx")


@bp.get("/<int:roadmap_id>/progress/<int:item_id>/<int:org_id>")
@login_required
def school_report(roadmap_id: int, item_id: int, org_id: int):
    try:
        rep = progress_service.school_report(db_session(), current_actor(), roadmap_id,
                                             item_id, org_id)
    except WorkflowError as exc:
        if exc.status == 404:
            abort(404)
        raise
    return render_template("roadmaps/school_report.html", rep=rep, roadmap_id=roadmap_id,
                           **_ctx())
