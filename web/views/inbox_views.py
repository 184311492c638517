"""«Мои задачи»: the home page, and notifications."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import login_required

from web.auth import current_actor, db_session, runtime
from web.views import bp
from web.views.listing import page_arg
from web.views.safe_next import safe_next
from workflow import clock
from workflow.notify import inbox, notification_state
from workflow.roadmaps.my_items import my_deadlines


@bp.get("/")
@login_required
def home():
    session, actor = db_session(), current_actor()
    box = inbox.inbox(session, actor,
                      pages={key: page_arg(f"{key}_page") for key, _s in inbox.SECTIONS},
                      notifications_page=page_arg("notes_page"))
    deadlines = my_deadlines(session, actor, clock.today(), 10)
    return render_template("home.html", box=box, sections=[k for k, _s in inbox.SECTIONS],
                           deadlines=deadlines,
                           note_orgs=notification_state.organisations_of(session,
                                                                         box.notifications))


@bp.get("/notifications/archive")
@login_required
def notifications_archive():
    session = db_session()
    items, total, page = notification_state.archive(session, current_actor(), page_arg())
    return render_template("notifications_archive.html", items=items, total=total, page=page,
                           per_page=notification_state.ARCHIVE_PER_PAGE,
                           note_orgs=notification_state.organisations_of(session, items))


@bp.post("/notifications/<int:notification_id>/read")
@login_required
def notification_read(notification_id: int):
    inbox.mark_read(runtime(), current_actor(), notification_id)
    return redirect(safe_next(request.form.get("next"), url_for("views.home")))


@bp.post("/notifications/read-all")
@login_required
def notifications_read_all():
    count = inbox.mark_read(runtime(), current_actor())
    flash(_("Отмечено прочитанными: %(n)d.", n=count), "info")
    return redirect(url_for("views.home"))
