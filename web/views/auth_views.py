"""Login, logout and password change."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required, login_user, logout_user

from web.auth import LoginUser, db_session, runtime
from web.extensions import count_failure_of_ip, login_limits, slow_down_failing_ip
from web.views import bp
from web.views.errors import refusal
from web.views.forms import LoginForm, PasswordForm
from web.views.safe_next import safe_next
from workflow import accounts
from workflow.engine.permissions import Actor
from workflow.errors import WorkflowError


@bp.route("/login", methods=["GET", "POST"])
@login_limits
def login():
    form = LoginForm()
    if request.method == "GET":
        form.next.data = request.args.get("next", "")
        return render_template("login.html", form=form)
    if form.validate_on_submit():
        slow_down_failing_ip()
        rt = runtime()
        user = accounts.authenticate(db_session(), form.email.data, form.password.data,
                                     demo_mode=rt.settings.demo_mode)
        if user is not None:
            sid = accounts.start_session(rt, user.id)
            login_user(LoginUser(sid, Actor.of(user)))
            return redirect(safe_next(form.next.data, url_for("views.home")))
        count_failure_of_ip()
        form.password.errors.append(_("Неверная почта или пароль."))
    return render_template("login.html", form=form), 401


@bp.post("/logout")
@login_required
def logout():
    accounts.end_session(runtime(), current_user.sid)
    logout_user()
    flash(_("Вы вышли из системы."), "info")
    return redirect(url_for("views.login"))


@bp.route("/profile/password", methods=["GET", "POST"])
@login_required
def change_password():
    form = PasswordForm()
    if form.validate_on_submit():
        try:
            accounts.change_password(runtime(), current_user.user.id, form.old.data,
                                     form.new.data)
        except WorkflowError as exc:
            form.old.errors.append(refusal(exc))
        else:
            logout_user()
            flash(_("Пароль изменён. Войдите с новым паролем."), "success")
            return redirect(url_for("views.login"))
    return render_template("password.html", form=form)
