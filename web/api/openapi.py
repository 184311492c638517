"""The OpenAPI 3 description of /api/v1, with request bodies from pydantic models."""

from __future__ import annotations

import re
from datetime import date
from typing import Literal

from flask import current_app
from pydantic import BaseModel, Field

from web.input_guard import PUBLIC_API
from workflow.engine.machine import EVENTS


class TokenRequest(BaseModel):
    email: str
    password: str


class PasswordResetRequest(BaseModel):
    email: str


class PasswordSetRequest(BaseModel):
    token: str = Field(description="из одноразовой ссылки письма")
    password: str


class DocumentCreate(BaseModel):
    kind: str = Field(description="order, regulation, roadmap, pair_order, incentive_scheme, "
                                  "curator_order, programme")
    org_id: int
    title: str
    fields: dict = Field(default_factory=dict)
    roadmap_item_id: int | None = None
    responsible_id: int | None = None
    due: date | None = None


class DocumentPatch(BaseModel):
    lock_version: int
    title: str | None = None
    fields: dict | None = None
    responsible_id: int | None = None
    due: date | None = None


class EventRequest(BaseModel):
    lock_version: int
    comment: str | None = None


class DeadlineParse(BaseModel):
    text: str
    period: tuple[date, date]


class PersonCreate(BaseModel):
    org_id: int
    full_name: str
    category: Literal["student", "teacher", "graduate", "employer_staff", "student_of_college"]
    grade: str | None = None
    position: str | None = None
    experience_years: int | None = None
    birth_date: date | None = None


class ConsentCreate(BaseModel):
    person_id: int
    kind: Literal["personal_data", "mentoring_duty"]
    signed_by: Literal["self", "legal_representative"]
    representative_name: str | None = None
    signed_on: date


class PairCreate(BaseModel):
    org_id: int
    mentor_id: int
    mentee_ids: list[int]
    form: str
    role_model: str | None = None
    start: date
    end: date


# (method, path, summary, request model, extra parameters)
ROUTES: list[tuple[str, str, str, type[BaseModel] | None]] = [
    ("post", "/auth/token", "Получить токен доступа", TokenRequest),
    ("post", "/auth/password-reset", "Запросить ссылку для смены пароля (всегда 202)",
     PasswordResetRequest),
    ("post", "/auth/password-set", "Задать пароль по одноразовой ссылке", PasswordSetRequest),
    ("get", "/me", "Текущий пользователь и его роли", None),
    ("get", "/organizations", "Видимые организации", None),
    ("get", "/document-kinds", "Виды документов, состояния и переходы", None),
    ("post", "/documents", "Создать документ (черновик)", DocumentCreate),
    ("get", "/documents", "Список документов", None),
    ("get", "/documents/{id}", "Документ", None),
    ("patch", "/documents/{id}", "Изменить черновик", DocumentPatch),
    ("post", "/documents/{id}/events/{event}", "Выполнить действие", EventRequest),
    ("get", "/documents/{id}/history", "История документа", None),
    ("get", "/documents/{id}/versions", "Версии документа", None),
    ("get", "/documents/{id}/docx", "DOCX текущей версии", None),
    ("get", "/documents/{id}/versions/{n}/docx", "DOCX версии", None),
    ("post", "/documents/{id}/render", "Сформировать файл заново", None),
    ("get", "/audit/verify", "Проверить целостность истории", None),
    ("get", "/templates", "Шаблоны DOCX", None),
    ("post", "/templates", "Загрузить шаблон DOCX (multipart)", None),
    ("post", "/roadmaps/import", "Импорт дорожной карты (multipart)", None),
    ("get", "/roadmaps/{id}", "Дорожная карта", None),
    ("post", "/deadlines/parse", "Разобрать срок", DeadlineParse),
    ("post", "/people", "Добавить человека в базу", PersonCreate),
    ("get", "/people", "База наставников и наставляемых", None),
    ("post", "/consents", "Зарегистрировать согласие", ConsentCreate),
    ("post", "/pairs", "Создать наставническую пару", PairCreate),
    ("get", "/reference/forms", "Формы наставничества", None),
    ("get", "/compliance", "Соответствие школ муниципалитета", None),
]

_ERROR = {"type": "object", "required": ["error"], "properties": {"error": {
    "type": "object", "required": ["code", "message"], "properties": {
        "code": {"type": "string"}, "message": {"type": "string"},
        "details": {"type": "object"}}}}}
_INT64 = {"type": "integer", "format": "int64", "minimum": 0, "maximum": 2**63 - 1}
ERRORS = ((400, "Некорректный запрос"), (401, "Не выполнен вход"), (403, "Нет прав"),
          (404, "Не найдено или нет доступа"), (405, "Метод не поддерживается"),
          (409, "Конфликт (устаревший lock_version, повтор)"), (413, "Слишком большой запрос"),
          (415, "Ожидается JSON"), (422, "Отклонено правилом"),
          (429, "Слишком много попыток"))

# Query parameters: path → [(name, schema, required)]
_ID, _TEXT, _PAGE = _INT64, {"type": "string", "maxLength": 200}, {
    "type": "integer", "minimum": 1, "maximum": 1_000_000}
_PAGING = [("page", _PAGE, False), ("per_page", {"type": "integer", "minimum": 1,
                                                 "maximum": 200}, False)]
QUERY: dict[str, list[tuple[str, dict, bool]]] = {
    "get /documents": [("org_id", _ID, False), ("kind", _TEXT, False), ("state", _TEXT, False),
                       ("overdue", {"type": "boolean"}, False), ("q", _TEXT, False),
                       ("responsible_id", _ID, False), *_PAGING],
    "get /people": [("org_id", _ID, True), ("category", _TEXT, False), *_PAGING],
    "get /people/export.xlsx": [("org_id", _ID, True)],
    "get /pairs": [("org_id", _ID, True), ("status", _TEXT, False), *_PAGING],
    "get /audit/verify": [("org_id", _ID, True)],
    "get /templates": [("org_id", _ID, False), ("kind", _TEXT, False)],
    "post /templates": [("org_id", _ID, True), ("kind", _TEXT, True)],
    "get /roadmaps": [("org_id", _ID, False)],
    "get /indicators": [("org_id", _ID, True), ("year", {"type": "integer", "minimum": 1900,
                                                         "maximum": 2100}, False)],
    "get /compliance": [("municipality_id", _ID, True)],
    "get /compliance/export.xlsx": [("municipality_id", _ID, True)],
    "get /compliance/report.docx": [("municipality_id", _ID, True),
                                    ("year", {"type": "integer", "minimum": 1900,
                                              "maximum": 2100}, False)],
}


#: Operations called without a token: the gate's one allow-list (web.input_guard.PUBLIC_API).
ANONYMOUS = {path.removeprefix("/api/v1") for path in PUBLIC_API}


def _successes(method: str, path: str) -> dict:
    if method == "get":
        codes = {"200": "OK"}
        if path.endswith("docx"):
            codes["202"] = "Файл ещё формируется (Retry-After)"
        return codes
    if path.endswith("/render"):
        return {"202": "Формирование файла поставлено в очередь"}
    if path == "/auth/password-reset":  # the same answer whether the address is known or not
        return {"202": "Запрос принят; письмо уходит, если адрес зарегистрирован"}
    if path.endswith("/invitation"):
        return {"202": "Приглашение поставлено в отправку"}
    if method == "post" and not path.endswith(("/events/{event}", "/revoke", "/finish",
                                               "/cancel", "/auth/token", "/deadlines/parse",
                                               "/auth/password-set")):
        return {"200": "OK", "201": "Создано"}
    return {"200": "OK"}


def _op(summary: str, path: str, model: type[BaseModel] | None, method: str = "get") -> dict:
    op: dict = {"summary": summary, "responses": {
        **{code: {"description": text} for code, text in _successes(method, path).items()},
        **{str(c): {"description": d, "content": {"application/json": {"schema": _ERROR}}}
           for c, d in ERRORS}}}
    if path not in ANONYMOUS:
        op["security"] = [{"bearer": []}]
    params = [{"name": p, "in": "path", "required": True,
               "schema": {"type": "string", "enum": list(EVENTS)} if p == "event"
               else _INT64}
              for p in re.findall(r"{(\w+)}", path)]
    params += [{"name": name, "in": "query", "required": required, "schema": schema}
               for name, schema, required in QUERY.get(f"{method} {path}", [])]
    if params:
        op["parameters"] = params
    if model is not None:
        op["requestBody"] = {"required": True, "content": {
            "application/json": {"schema": model.model_json_schema()}}}
    return op


def openapi_document(url_map=None) -> dict:
    """The documented routes above, plus every other /api/v1 route the app serves."""
    paths: dict = {}
    for method, path, summary, model in ROUTES:
        paths.setdefault("/api/v1" + path, {})[method] = _op(summary, path, model, method)
    known = {(m, "/api/v1" + re.sub(r"{\w+}", "{}", p)) for m, p, _s, _m in ROUTES}
    for rule in (url_map.iter_rules() if url_map is not None else ()):
        if not rule.rule.startswith("/api/v1/") or rule.endpoint.endswith("openapi"):
            continue
        path = re.sub(r"<(?:\w+:)?(\w+)>", r"{\1}", rule.rule)
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            if (method.lower(), re.sub(r"{\w+}", "{}", path)) in known:
                continue
            view = current_app.view_functions.get(rule.endpoint)
            doc = (view.__doc__ or rule.endpoint).strip().splitlines()[0] if view else path
            paths.setdefault(path, {})[method.lower()] = _op(doc, path[len("/api/v1"):], None,
                                                             method.lower())
    return {
        "openapi": "3.0.3",
        "info": {"title": "Nastavnik API", "version": "1.0.0",
                 "description": "Документооборот целевой модели наставничества"},
        "paths": paths,
        "components": {"securitySchemes": {"bearer": {"type": "http", "scheme": "bearer"}}},
    }
