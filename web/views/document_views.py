"""Documents: the list, one document's page, its actions and its file."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, send_file, url_for
from flask_babel import gettext as _
from flask_login import login_required

from web.auth import current_actor, db_session, runtime
from web.views import bp
from web.views.conflict_text import conflict_message
from web.views.errors import refusal
from web.views.field_display import field_blocks, path_label
from web.views.kind_views import workflow_svg
from web.views.listing import page_arg, sort_arg
from web.views.saved_filter_views import filters_context, save_from_list
from workflow import clock
from workflow.engine import journal, transition
from workflow.engine.document_view import document_list, document_page
from workflow.engine.kinds import KINDS
from workflow.engine.queries import SORTS
from workflow.errors import Conflict, WorkflowError
from workflow.files import downloads
from workflow.mentorship.pair_choice import pair_labels
from workflow.notify import acquaintance
from workflow.paging import last_page

DOCX_MIME = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
PER_PAGE = 20


def _filters() -> dict:
    args = request.args
    return {
        "kind": args.get("kind") if args.get("kind") in KINDS else None,
        "state": args.get("state") or None,
        "org_id": args.get("org_id", type=int),
        "responsible_id": args.get("responsible_id", type=int),
        "overdue": args.get("overdue") == "1",
        "q": (args.get("q") or "").strip()[:200] or None,
        "sort": sort_arg(SORTS),
    }


@bp.route("/documents", methods=["GET", "POST"])
@login_required
def documents():
    """The list; a POST saves its current filter (the query string) under a name."""
    form, status = None, 200
    if request.method == "POST":
        outcome = save_from_list("documents")
        if not isinstance(outcome, tuple):
            return outcome
        form, status = outcome
    filters = _filters()
    page = page_arg()
    data = document_list(db_session(), current_actor(), page=page, per_page=PER_PAGE, **filters)
    if not data.rows and data.total:  # past the end (an old link): the last page
        page = last_page(data.total, PER_PAGE)
        data = document_list(db_session(), current_actor(), page=page, per_page=PER_PAGE,
                             **filters)
    return render_template("documents/list.html", data=data, filters=filters, page=page,
                           per_page=PER_PAGE, kinds=list(KINDS),
                           **filters_context("documents", form)), status


@bp.get("/documents/<int:document_id>")
@login_required
def document(document_id: int):
    from web.views.labels import BUTTONS, ROUTE_BUTTONS
    from workflow.engine.approval_page import approval_panel

    page = document_page(db_session(), current_actor(), document_id)
    approval = approval_panel(db_session(), current_actor(), page.doc)
    on_route = bool(approval.stages) and not approval.current_is_last

    def button_label(event: str):
        return ROUTE_BUTTONS[event] if on_route and event in ROUTE_BUTTONS else BUTTONS[event]

    sign_number = (journal.number_on_signing(db_session(), page.doc, clock.today())
                   if "sign" in page.events else None)
    return render_template("documents/show.html", p=page, d=page.doc, approval=approval,
                           button_label=button_label, sign_number=sign_number,
                           today=clock.today(),
                           blocks=field_blocks(page.doc.kind, page.doc.fields,
                                               pair_labels(db_session(),
                                                           page.doc.fields.get("pair_ids"))),
                           svg=workflow_svg(page.doc.kind, page.doc.state.value),
                           path_label=lambda path: path_label(page.doc.kind, path),
                           acq=acquaintance.acquaintance_list(db_session(), current_actor(),
                                                              document_id))


@bp.post("/documents/<int:document_id>/events/<event>")
@login_required
def fire(document_id: int, event: str):
    back = redirect(url_for("views.document", document_id=document_id))
    try:
        transition.apply_event(runtime(), document_id, event, current_actor(),
                               comment=request.form.get("comment", "")[:5000],
                               expected_version=request.form.get("lock_version", type=int))
    except Conflict:
        flash(conflict_message(document_id), "danger")
        return back
    except WorkflowError as exc:
        if exc.status == 404:
            raise
        flash(refusal(exc), "danger")
        return back
    flash(_("Готово: %(what)s.", what=str(_event_done(event))), "success")
    return back


def _event_done(event: str):
    from web.views.labels import HISTORY

    return HISTORY.get(event, event)


def _docx(document_id: int, version: int | None):
    result = downloads.get_docx(runtime(), current_actor(), document_id, version)
    if result.status == "ready":
        return send_file(result.open(), mimetype=DOCX_MIME, as_attachment=True,
                         download_name=result.filename)
    if result.status == "failed":
        flash(_("Не удалось сформировать файл: %(reason)s", reason=result.reason), "danger")
    else:
        flash(_("Файл формируется. Обновите страницу через несколько секунд."), "info")
    return redirect(url_for("views.document", document_id=document_id))


@bp.get("/documents/<int:document_id>/docx")
@login_required
def document_docx(document_id: int):
    return _docx(document_id, None)


@bp.get("/documents/<int:document_id>/versions/<int:number>/docx")
@login_required
def version_docx(document_id: int, number: int):
    return _docx(document_id, number)


@bp.post("/documents/<int:document_id>/render")
@login_required
def rerender(document_id: int):
    try:
        downloads.retry_render(runtime(), current_actor(), document_id)
    except WorkflowError as exc:
        if exc.status == 404:
            raise
        flash(refusal(exc), "danger")
    else:
        flash(_("Файл поставлен на формирование."), "info")
    return redirect(url_for("views.document", document_id=document_id))
