"""My profile (grants) and the interface language."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from web.auth import current_actor, db_session, runtime
from web.views import bp
from web.views.errors import refusal
from web.views.safe_next import safe_next
from workflow import accounts
from workflow.errors import WorkflowError
from workflow.notify import inbox

LANGUAGES = ("ru", "en")


@bp.get("/profile")
@login_required
def profile():
    actor = current_actor()
    orgs = inbox.org_names(db_session(), set(actor.org_ids))
    grants = sorted(((role.value, orgs[oid]) for role, oid in actor.grants if oid in orgs),
                    key=lambda g: (g[1].name, g[0]))
    return render_template("profile.html", user=current_user.user, grants=grants)


@bp.post("/profile/phone")
@login_required
def profile_phone():
    try:
        accounts.set_phone(runtime(), current_actor().id, request.form.get("phone", ""))
        flash(_("Телефон сохранён."), "success")
    except WorkflowError as exc:
        flash(refusal(exc), "danger")
    return redirect(url_for("views.profile"))


@bp.post("/language")
def language():
    lang = request.form.get("lang", "ru")
    session["locale"] = lang if lang in LANGUAGES else "ru"
    return redirect(safe_next(request.form.get("next"), url_for("views.home")))
