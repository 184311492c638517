"""A document's current version shown in the browser (DOCX → HTML) and as PDF."""

from __future__ import annotations

import io

from flask import Blueprint, render_template, send_file
from flask_login import login_required

from web.auth import current_actor, runtime
from web.views.errors import html_error
from web.views.labels import kind_title
from workflow.files import previews

bp = Blueprint("preview", __name__, template_folder="../templates")


@bp.get("/documents/<int:document_id>/preview")
@login_required
def document_preview(document_id: int):
    p = previews.document_preview(runtime(), current_actor(), document_id)
    status = 202 if p.status == "pending" else 200
    return render_template("preview/document.html", p=p, kind_title=kind_title,
                           no_pdf=previews.NO_PDF), status


@bp.get("/documents/<int:document_id>/pdf")
@login_required
def document_pdf(document_id: int):
    result = previews.document_pdf(runtime(), current_actor(), document_id)
    if result.status == "ready":
        return send_file(io.BytesIO(result.data), mimetype="application/pdf",
                         as_attachment=False, download_name=result.filename)
    return html_error(result.http_status, result.reason)
