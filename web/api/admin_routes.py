"""Administration (api.md «Administration»): organisations, users, staff import, password
links, registration journals and the administrative log. Each route calls one service of
workflow/admin/."""

from __future__ import annotations

import threading

from flask import Response, current_app, jsonify, request

from web.api import bp
from web.api.common import date_value, int_arg, json_body, paging
from web.auth import current_actor, db_session, runtime
from web.extensions import limiter
from workflow.admin import invitations, journals, log, organisations, staff_import, users
from workflow.errors import BadInput


def send_reset_off_request(rt, email: str) -> None:
    """Queue the reset e-mail and send it from a thread: the answer's timing does not tell
    whether the account exists."""
    ids = invitations.request_reset(rt, email, send_now=False)
    if ids:
        threading.Thread(target=rt.after_commit, args=(ids,), name="password-reset-mail",
                         daemon=True).start()


XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _created(body: dict) -> Response:
    response = jsonify(body)
    response.status_code = 201
    return response


@bp.post("/organizations")
def create_organization():
    """Создать школу муниципалитета (администратор муниципалитета)."""
    actor = current_actor()
    return _created(organisations.create_school(runtime(), actor, json_body()))


@bp.patch("/organizations/<int:org_id>")
def update_organization(org_id: int):
    """Изменить реквизиты организации; active=false — деактивировать."""
    actor = current_actor()
    return jsonify(organisations.update_organization(runtime(), actor, org_id, json_body()))


@bp.get("/users")
def list_users():
    """Пользователи организаций (поиск q, фильтры org_id, role, active)."""
    actor = current_actor()
    page, per_page = paging()
    active = request.args.get("active")
    return jsonify(users.list_users(
        db_session(), actor, org_id=int_arg("org_id"), q=request.args.get("q") or None,
        role=request.args.get("role") or None,
        active=None if active in (None, "") else active in ("1", "true"),
        page=page, per_page=per_page))


@bp.post("/users")
def create_user():
    """Создать пользователя и отправить приглашение (ссылка на 72 часа); без почтового сервера
    ссылка — в ответе (invitation_link), чтобы администратор передал её лично."""
    actor = current_actor()
    return _created(users.create_user(runtime(), actor, json_body()))


@bp.get("/users/<int:user_id>")
def get_user(user_id: int):
    """Пользователь."""
    return jsonify(users.get_user(db_session(), current_actor(), user_id))


@bp.patch("/users/<int:user_id>")
def update_user(user_id: int):
    """Изменить ФИО, должность, роли; active=false — деактивировать."""
    actor = current_actor()
    return jsonify(users.update_user(runtime(), actor, user_id, json_body()))


@bp.post("/users/<int:user_id>/invitation")
def resend_invitation(user_id: int):
    """Отправить приглашение повторно (без почтового сервера — новая ссылка в ответе)."""
    actor = current_actor()
    link = users.resend_invitation(runtime(), actor, user_id)
    if link:  # no mail server: the administrator hands the link over
        return jsonify({"status": "handed_over", "invitation_link": link}), 202
    return jsonify({"status": "sent"}), 202


@bp.get("/users/import/template")
def import_template():
    """Шаблон XLSX для загрузки сотрудников."""
    current_actor()
    return Response(staff_import.template_xlsx(), mimetype=XLSX, headers={
        "Content-Disposition": "attachment; filename=staff_template.xlsx"})


@bp.post("/users/import")
def import_users():
    """Загрузить сотрудников из XLSX (multipart; dry_run=1 — только проверка)."""
    actor = current_actor()
    upload = request.files.get("file")
    data = upload.read() if upload else b""
    org_id = int_arg("org_id")
    if request.args.get("dry_run") in ("1", "true"):
        return jsonify(staff_import.preview(db_session(), actor, org_id, data))
    return _created(staff_import.import_staff(runtime(), actor, org_id, data))


@bp.post("/auth/password-reset")
@limiter.limit(lambda: current_app.config["PASSWORD_LINK_LIMIT_PER_IP"])
def password_reset():
    """Запросить ссылку для смены пароля (всегда 202)."""
    data = request.get_json(silent=True)
    email = data.get("email") if isinstance(data, dict) else None
    send_reset_off_request(runtime(), email if isinstance(email, str) else "")
    return jsonify({"status": "accepted", "message": "Если такой адрес зарегистрирован, на "
                    "него отправлено письмо со ссылкой для смены пароля."}), 202


@bp.post("/auth/password-set")
@limiter.limit(lambda: current_app.config["PASSWORD_LINK_LIMIT_PER_IP"])
def password_set():
    """Задать пароль по одноразовой ссылке."""
    data = json_body()
    token, password = data.get("token"), data.get("password")
    if not isinstance(token, str) or not isinstance(password, str):
        raise BadInput("Укажите token и password.", code="missing_field")
    user_id = invitations.set_password(runtime(), token, password)
    return jsonify({"status": "ok", "user_id": user_id})


@bp.get("/journals")
def list_journals():
    """Журналы регистрации организации."""
    return jsonify(journals.list_journals(db_session(), current_actor(), int_arg("org_id")))


@bp.put("/journals")
def put_journals():
    """Изменить журналы регистрации организации."""
    actor = current_actor()
    data = request.get_json(silent=True)
    if isinstance(data, dict):
        data = data.get("journals", data.get("items"))
    return jsonify(journals.put_journals(runtime(), actor, int_arg("org_id"), data))


@bp.get("/admin/log")
def admin_log():
    """Журнал административных действий (format=xlsx — выгрузка)."""
    actor = current_actor()
    filters = {"action": request.args.get("action") or None,
               "object_kind": request.args.get("object_kind") or None,
               "actor_id": int_arg("actor_id"),
               "date_from": date_value(request.args, "from"),
               "date_to": date_value(request.args, "to")}
    if request.args.get("format") == "xlsx":
        data = log.export_xlsx(db_session(), actor, int_arg("org_id"), **filters)
        return Response(data, mimetype=XLSX, headers={
            "Content-Disposition": "attachment; filename=admin_log.xlsx"})
    page, per_page = paging()
    return jsonify(log.list_log(db_session(), actor, int_arg("org_id"), page=page,
                                per_page=per_page, **filters))
