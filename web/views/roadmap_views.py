"""Roadmap pages: the list with «мои сроки», upload → preview → confirm, the table grouped
by section with statuses and a timeline, evidence and one-click acts, exports, calendars."""

from __future__ import annotations

import io

from flask import (
    Blueprint,
    Response,
    abort,
    flash,
    redirect,
    render_template,
    request,
    send_file,
    url_for,
)
from flask_babel import gettext as _
from flask_login import login_required
from markupsafe import Markup

from web.auth import current_actor, db_session, runtime
from web.views import labels
from web.views.errors import refusal
from web.views.listing import page_arg
from workflow import clock
from workflow.errors import WorkflowError
from workflow.roadmaps import calendar_feed, importing, item_work, my_items, reading
from workflow.roadmaps.status import STATUS_RU
from workflow.roadmaps.timeline import timeline_svg

bp = Blueprint("roadmaps", __name__, url_prefix="/roadmaps", template_folder="../templates")
ICS_MIME = "text/calendar; charset=utf-8"
STATUS_COLOURS = {"planned": "secondary", "in_progress": "primary", "done": "success",
                  "overdue": "danger"}


def _ctx() -> dict:
    return {"status_ru": labels.in_current_locale().ROADMAP_STATUSES,
            "status_colours": STATUS_COLOURS}


@bp.get("/")
@login_required
def index():
    actor, session = current_actor(), db_session()
    return render_template(
        "roadmaps/index.html", listed=reading.roadmaps_page(session, actor, page_arg()),
        orgs=reading.authorable_orgs(session, actor),
        deadlines=my_items.my_deadlines(session, actor, clock.today(), 20),
        has_token=calendar_feed.has_token(session, actor), feed_url=None, **_ctx())


@bp.post("/preview")
@login_required
def preview():
    upload = request.files.get("file")
    try:
        result = importing.preview_import(
            runtime(), current_actor(), org_id=_int(request.form.get("org_id")),
            data=upload.read() if upload else b"", filename=upload.filename if upload else "",
            period_start=request.form.get("period_start"),
            period_end=request.form.get("period_end"))
    except WorkflowError as exc:
        if exc.status in (401, 404):
            raise
        flash(refusal(exc), "error")
        return redirect(url_for("roadmaps.index"))
    return render_template("roadmaps/preview.html", p=result, **_ctx())


@bp.post("/confirm")
@login_required
def confirm():
    form = request.form
    try:
        result = importing.confirm_import(
            runtime(), current_actor(), org_id=_int(form.get("org_id")), sha=form.get("sha", ""),
            filename=form.get("filename", ""), period_start=form.get("period_start"),
            period_end=form.get("period_end"),
            allow_duplicate=form.get("allow_duplicate") == "1")
    except WorkflowError as exc:
        if exc.status in (401, 404):
            raise
        flash(refusal(exc), "error")
        if exc.code == "roadmap_duplicate":
            return redirect(url_for("roadmaps.show", roadmap_id=exc.details["roadmap_id"]))
        return redirect(url_for("roadmaps.index"))
    flash(_("Дорожная карта загружена: пунктов — %(items)s, предупреждений — %(warnings)s.",
            items=len(result["items"]), warnings=len(result["warnings"])), "success")
    return redirect(url_for("roadmaps.show", roadmap_id=result["id"]))


@bp.get("/<int:roadmap_id>")
@login_required
def show(roadmap_id: int):
    today = clock.today()
    view = reading.load_roadmap(db_session(), current_actor(), roadmap_id, today)
    by_section: dict[str, list] = {}
    for item in view["items"]:
        by_section.setdefault(item["section"], []).append(item)
    known = {s["number"] for s in view["sections"]}
    groups = [(s, by_section.get(s["number"], [])) for s in view["sections"]]
    loose = [i for i in view["items"] if i["section"] not in known]
    if loose:
        groups.append(({"number": "", "title": "Без раздела"}, loose))
    counts = {k: sum(1 for i in view["items"] if i["status"] == k) for k in STATUS_RU}
    from workflow.roadmaps.evidence import linkable_documents

    linkable = (linkable_documents(db_session(), current_actor(), roadmap_id)
                if view["may_edit"] else [])
    return render_template("roadmaps/show.html", r=view, groups=groups, status_counts=counts,
                           timeline=Markup(timeline_svg(view, today)), linkable=linkable,
                           **_ctx())


@bp.post("/<int:roadmap_id>/items/<int:item_id>/evidence")
@login_required
def evidence(roadmap_id: int, item_id: int):
    try:
        item_work.add_evidence(runtime(), current_actor(), roadmap_id, item_id,
                              text=request.form.get("comment", ""),
                              done=request.form.get("done") == "1")
        flash(_("Отметка сохранена."), "success")
    except WorkflowError as exc:
        if exc.status in (401, 404):
            raise
        flash(refusal(exc), "error")
    return redirect(url_for("roadmaps.show", roadmap_id=roadmap_id) + f"#item-{item_id}")


@bp.post("/<int:roadmap_id>/items/<int:item_id>/document")
@login_required
def item_document(roadmap_id: int, item_id: int):
    try:
        doc_id = item_work.create_item_document(runtime(), current_actor(), roadmap_id, item_id)
    except WorkflowError as exc:
        if exc.status in (401, 404):
            raise
        flash(refusal(exc), "error")
        return redirect(url_for("roadmaps.show", roadmap_id=roadmap_id) + f"#item-{item_id}")
    flash(_("Черновик документа создан и связан с пунктом дорожной карты."), "success")
    return redirect(url_for("views.document", document_id=doc_id))


@bp.get("/<int:roadmap_id>/export.<fmt>")
@login_required
def export(roadmap_id: int, fmt: str):
    if fmt not in ("docx", "xlsx"):
        abort(404)
    data, name, mime = reading.export_roadmap(db_session(), current_actor(), roadmap_id, fmt)
    return send_file(io.BytesIO(data), mimetype=mime, as_attachment=True, download_name=name)


@bp.get("/calendar.ics")
@login_required
def calendar():
    text = calendar_feed.calendar_for(db_session(), current_actor(),
                                      runtime().settings.base_url)
    return Response(text, mimetype="text/calendar",
                    headers={"Content-Type": ICS_MIME,
                             "Content-Disposition": 'attachment; filename="my-deadlines.ics"'})


@bp.get("/calendar/<token>.ics")
def calendar_by_token(token: str):
    session = db_session()
    actor = calendar_feed.actor_for_token(session, token)
    if actor is None:
        abort(404)
    text = calendar_feed.calendar_for(session, actor, runtime().settings.base_url)
    return Response(text, headers={"Content-Type": ICS_MIME, "Cache-Control": "private, no-store"})


@bp.post("/calendar/token")
@login_required
def calendar_token():
    actor = current_actor()
    token = calendar_feed.issue_token(runtime(), actor)
    session = db_session()
    return render_template(
        "roadmaps/index.html", listed=reading.roadmaps_page(session, actor, page_arg()),
        orgs=reading.authorable_orgs(session, actor),
        deadlines=my_items.my_deadlines(session, actor, clock.today(), 20), has_token=True,
        feed_url=url_for("roadmaps.calendar_by_token", token=token, _external=True), **_ctx())


@bp.post("/calendar/revoke")
@login_required
def calendar_revoke():
    calendar_feed.revoke_tokens(runtime(), current_actor())
    flash(_("Ссылка на календарь отозвана."), "success")
    return redirect(url_for("roadmaps.index"))


def _int(raw: str | None) -> int | None:
    return int(raw) if raw and raw.strip().isdigit() else None


import web.views.roadmap_item_views  # noqa: F401 - item pages on this blueprint
