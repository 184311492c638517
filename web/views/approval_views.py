"""Pages of the approval: the route editor, the collegial protocol form, «Утвердить
приказом», and «И. о.» (substitutions)."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import login_required

from web.auth import current_actor, db_session, runtime
from web.views import bp
from web.views.errors import refusal
from workflow.engine import appendices, protocols, routes, substitutions
from workflow.engine.approval_page import route_editor
from workflow.engine.kinds import KINDS
from workflow.errors import NotFound, WorkflowError

#: The route editor's rows read from a posted form (a route has a handful of stages; the
#: number comes from the page, so a forged one must not make the loop endless).
MAX_FORM_ROWS = 100


def _back(document_id: int):
    return redirect(url_for("views.document", document_id=document_id))


@bp.post("/documents/<int:document_id>/protocol")
@login_required
def record_protocol(document_id: int):
    form, upload = request.form, request.files.get("file")
    scan = upload.read() if upload and upload.filename else None
    try:
        protocols.record_protocol(
            runtime(), current_actor(), document_id,
            expected_version=form.get("lock_version", type=int), number=form.get("number"),
            day=form.get("date"), decision=form.get("decision"),
            comment=form.get("comment", "")[:5000], scan=scan)
    except WorkflowError as exc:
        if exc.status == 404:
            raise
        flash(refusal(exc), "danger")
        return _back(document_id)
    flash(_("Решение коллегиального органа записано."), "success")
    return _back(document_id)


@bp.post("/documents/<int:document_id>/approving-order")
@login_required
def approving_order(document_id: int):
    try:
        order_id = appendices.create_approving_order(runtime(), current_actor(), document_id)
    except WorkflowError as exc:
        if exc.status == 404:
            raise
        flash(refusal(exc), "danger")
        return _back(document_id)
    flash(_("Проект приказа об утверждении создан; документ — его приложение."), "success")
    return _back(order_id)


def _stages_from_form(form) -> list[dict]:
    """Rows of the editor → stages (blank and removed rows dropped)."""
    stages = []
    for i in range(min(form.get("rows", 0, type=int), MAX_FORM_ROWS)):
        p = f"s{i}-"
        if form.get(p + "remove") or not (form.get(p + "title") or "").strip():
            continue
        stage: dict = {"title": form.get(p + "title", "").strip()}
        due = (form.get(p + "due_days") or "").strip()
        if due:
            stage["due_days"] = int(due) if due.isdigit() else due
        body = form.get(p + "body") or ""
        if body:
            stage["collegial_body"] = body
        else:
            stage["mode"] = form.get(p + "mode", "all")
            if stage["mode"] == "n_of_m":
                n = (form.get(p + "n") or "").strip()
                stage["n"] = int(n) if n.isdigit() else n
            stage["participants"] = (
                [{"role": r} for r in form.getlist(p + "roles")]
                + [{"user_id": int(u)} for u in form.getlist(p + "users") if u.isdigit()])
        stages.append(stage)
    return stages


@bp.route("/approval-routes", methods=["GET", "POST"])
@login_required
def approval_routes():
    kind = request.values.get("kind") if request.values.get("kind") in KINDS else "regulation"
    org_id = request.values.get("org_id", type=int)
    if request.method == "POST":
        try:
            routes.put_route(runtime(), current_actor(), org_id, kind,
                             _stages_from_form(request.form))
        except WorkflowError as exc:
            if exc.status == 404:
                raise
            flash(refusal(exc), "danger")
        else:
            flash(_("Маршрут сохранён. Документы, уже отправленные на согласование, идут по "
                    "прежнему маршруту."), "success")
        return redirect(url_for("views.approval_routes", org_id=org_id, kind=kind))
    editor = route_editor(db_session(), current_actor(), org_id, kind)
    if editor.org is None:
        abort(403)
    return render_template("approval/routes.html", e=editor, kinds=list(KINDS),
                           roles=routes.STAGE_ROLES, modes=routes.MODES)


@bp.route("/substitutions", methods=["GET", "POST"])
@login_required
def substitutions_page():
    actor = current_actor()
    session = db_session()
    from workflow.engine.approval_page import route_editor as _editor

    orgs = _editor(session, actor, None, "order").orgs or []
    org_id = request.values.get("org_id", type=int) or (orgs[0].id if orgs else None)
    if org_id is None:
        abort(403)
    if request.method == "POST":
        form = request.form
        try:
            if form.get("end_id"):
                end_id = form.get("end_id", type=int)
                if end_id is None:
                    raise NotFound("Замещение не найдено.", code="substitution_not_found")
                substitutions.end_substitution(runtime(), actor, end_id)
                flash(_("Замещение завершено."), "success")
            else:
                substitutions.create_substitution(
                    runtime(), actor, org_id=org_id,
                    absent_id=form.get("absent_id", type=int),
                    deputy_id=form.get("deputy_id", type=int),
                    start=_iso(form.get("start")), end=_iso(form.get("end")),
                    reason=form.get("reason", "")[:1000])
                flash(_("Исполняющий обязанности назначен."), "success")
        except WorkflowError as exc:
            if exc.status == 404:
                raise
            flash(refusal(exc), "danger")
        return redirect(url_for("views.substitutions_page", org_id=org_id))
    rows = substitutions.list_substitutions(session, actor, org_id)
    editor = route_editor(session, actor, org_id, "order")
    return render_template("approval/substitutions.html", rows=rows, orgs=orgs, org_id=org_id,
                           members=editor.members)


def _iso(value: str | None) -> str:
    """DD.MM.YYYY (what people type) → YYYY-MM-DD; anything else is passed on as is."""
    value = (value or "").strip()
    if len(value) == 10 and value[2] == "." and value[5] == ".":
        return f"{value[6:]}-{value[3:5]}-{value[:2]}"
    return value
