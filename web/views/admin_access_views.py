"""Pages reached without logging in: the one-time set-password link (invitation or reset),
asking for a reset, and the first-run page (only while no user exists, only from localhost)."""

from __future__ import annotations

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from web.api.admin_routes import send_reset_off_request
from web.auth import db_session, runtime
from web.extensions import limiter
from web.views.admin_forms import FirstRunForm, ResetForm, SetPasswordForm
from web.views.admin_views import field_error
from web.views.errors import refusal
from workflow.admin import firstrun, invitations
from workflow.errors import WorkflowError

bp = Blueprint("access", __name__, template_folder="../templates")
LOCAL = {"127.0.0.1", "::1"}


@bp.route("/password/set/<token>", methods=["GET", "POST"])
@limiter.limit(lambda: current_app.config["PASSWORD_LINK_LIMIT_PER_IP"], methods=["POST"])
def set_password(token: str):
    row = invitations.find_token(db_session(), token)
    if row is None:
        return render_template("admin/link_invalid.html"), 410
    purpose = row.purpose
    db_session().rollback()
    form = SetPasswordForm()
    if form.validate_on_submit():
        try:
            invitations.set_password(runtime(), token, form.password.data, form.repeat.data)
        except WorkflowError as exc:
            form.password.errors = [*form.password.errors, refusal(exc)]
        else:
            flash(_("Пароль установлен. Войдите с ним."), "success")
            return redirect(url_for("views.login"))
    return render_template("admin/set_password.html", form=form, purpose=purpose), \
        400 if form.errors else 200


@bp.route("/password/reset", methods=["GET", "POST"])
@limiter.limit(lambda: current_app.config["PASSWORD_LINK_LIMIT_PER_IP"], methods=["POST"])
def reset_password():
    if not invitations.mail_configured(runtime().settings):
        return render_template("admin/reset.html", form=None)  # no mail: ask the administrator
    form = ResetForm()
    if form.validate_on_submit():
        send_reset_off_request(runtime(), form.email.data)
        return render_template("admin/reset_sent.html"), 202
    return render_template("admin/reset.html", form=form)


@bp.route("/first-run", methods=["GET", "POST"])
def first_run():
    # A request relayed by a proxy on this host also comes from 127.0.0.1: refuse those too.
    relayed = any(h in request.headers for h in ("X-Forwarded-For", "X-Real-IP", "Forwarded"))
    if request.remote_addr not in LOCAL or relayed or not firstrun.needed(db_session()):
        abort(404)
    db_session().rollback()
    form = FirstRunForm()
    if form.validate_on_submit():
        try:
            firstrun.create_first_admin(
                runtime(), municipality=form.values(), email=form.admin_email.data,
                full_name=form.admin_name.data, password=form.password.data)
        except WorkflowError as exc:
            if exc.code == "weak_password":
                form.password.errors = [*form.password.errors, refusal(exc)]
            elif exc.code == "invalid_email":
                form.admin_email.errors = [*form.admin_email.errors, refusal(exc)]
            else:
                field_error(form, exc)
        else:
            flash(_("Муниципалитет и администратор созданы. Войдите."), "success")
            return redirect(url_for("views.login"))
    return render_template("admin/first_run.html", form=form), 400 if form.errors else 200
