"""One click «Ознакомлен(а)» on the document page."""

from __future__ import annotations

from flask import flash, redirect, url_for
from flask_babel import gettext as _
from flask_login import login_required

from web.auth import current_actor, runtime
from web.views import bp
from web.views.errors import refusal
from workflow.errors import WorkflowError
from workflow.notify import acquaintance


@bp.post("/documents/<int:document_id>/acknowledge")
@login_required
def acknowledge(document_id: int):
    try:
        acquaintance.acknowledge(runtime(), current_actor(), document_id)
        flash(_("Ознакомление с документом подтверждено."), "success")
    except WorkflowError as exc:
        flash(refusal(exc), "danger")
    return redirect(url_for("views.document", document_id=document_id))
