"""The page a one-time e-mail link opens: what will be done, to which document, and a button
— nothing happens on GET."""

from __future__ import annotations

from flask import flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import login_required

from web.auth import current_actor, db_session, runtime
from web.views import bp
from web.views.errors import refusal
from web.views.labels import BUTTONS
from workflow.errors import WorkflowError
from workflow.notify import approval_links


def _refused(exc: WorkflowError):
    if exc.status == 404 and exc.code != "link_not_found":
        raise exc
    return render_template("approval_link.html", view=None, error=refusal(exc)), exc.status


@bp.get("/a/<token>")
@login_required
def approval_link(token: str):
    try:
        view = approval_links.open_link(db_session(), current_actor(), token)
    except WorkflowError as exc:
        return _refused(exc)
    return render_template("approval_link.html", view=view, verb=BUTTONS[view.link.event],
                           token=token, error=None)


@bp.post("/a/<token>")
@login_required
def approval_link_use(token: str):
    try:
        doc_id = approval_links.use_link(runtime(), current_actor(), token)
    except WorkflowError as exc:
        return _refused(exc)
    flash(_("Готово: решение принято по ссылке из письма."), "success")
    return redirect(url_for("views.document", document_id=doc_id))
