"""POST /auth/token and GET /me."""

from __future__ import annotations

from flask import jsonify

from web.api import bp
from web.api.common import json_body
from web.auth import current_db_user, db_session, runtime
from web.extensions import count_failure_of_ip, login_limits, slow_down_failing_ip
from workflow import accounts
from workflow.errors import BadInput, NotAuthenticated


@bp.post("/auth/token")
@login_limits
def issue_token():
    slow_down_failing_ip()
    data = json_body()
    email, password = data.get("email"), data.get("password")
    if not isinstance(email, str) or not isinstance(password, str):
        raise BadInput("Укажите email и password.", code="missing_credentials")
    rt = runtime()
    user = accounts.authenticate(db_session(), email, password, demo_mode=rt.settings.demo_mode)
    if user is None:
        count_failure_of_ip()
        raise NotAuthenticated("Неверный email или пароль.", code="invalid_credentials")
    token = accounts.issue_token(rt, user.id)
    return jsonify({"token": token, "user": user.to_api()})


@bp.get("/me")
def me():
    user = current_db_user()
    if user is None:
        raise NotAuthenticated("Войдите в систему.")
    return jsonify(user.to_api())
