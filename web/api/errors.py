"""JSON errors of the API: {"error": {"code", "message"}}; never a 500 for client input."""

from __future__ import annotations

from flask import jsonify
from werkzeug.exceptions import HTTPException

from workflow.errors import WorkflowError

HTTP_MESSAGES = {
    400: ("bad_request", "Некорректный запрос."),
    401: ("not_authenticated", "Войдите в систему."),
    403: ("forbidden", "Недостаточно прав."),
    404: ("not_found", "Не найдено или нет доступа."),
    405: ("method_not_allowed", "Метод не поддерживается."),
    409: ("conflict", "Конфликт изменений."),
    413: ("too_large", "Файл или запрос слишком велик."),
    415: ("unsupported_media_type", "Ожидается JSON."),
    422: ("rule_violation", "Запрос отклонён правилом."),
    429: ("too_many_requests", "Слишком много попыток. Повторите позже."),
}


def error_response(status: int, code: str, message: str, details: dict | None = None):
    body = {"error": {"code": code, "message": message}}
    if details:
        body["error"]["details"] = details
    return jsonify(body), status


#: One answer for a missing record and for one the caller may not see (never reveal which).
NOT_FOUND = ("not_found", "Не найдено или нет доступа.")


def from_workflow(exc: WorkflowError):
    if exc.status == 404:
        return error_response(404, *NOT_FOUND)
    return error_response(exc.status, exc.code, exc.message, exc.details)


def from_http(exc: HTTPException):
    code, message = HTTP_MESSAGES.get(exc.code or 500, ("error", "Ошибка запроса."))
    if exc.code == 400 and exc.description and "CSRF" in str(exc.description):
        code, message = "csrf_failed", "Нет или неверен CSRF-токен. Обновите страницу."
    response = error_response(exc.code or 500, code, message)
    return response
