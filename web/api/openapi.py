"""The OpenAPI 3 description of /api/v1, with request bodies from pydantic models."""

from __future__ import annotations

import re
from datetime import date
from typing import Literal

from flask import current_app
from pydantic import BaseModel, Field

from workflow.engine.machine import EVENTS


class TokenRequest(BaseModel):
    email: str
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

_ERROR = {"type": "object", "properties": {"error": {"type": "object", "properties": {
    "code": {"type": "string"}, "message": {"type": "string"}}}}}


def _op(summary: str, path: str, model: type[BaseModel] | None) -> dict:
    op: dict = {"summary": summary, "responses": {
        "200": {"description": "OK"},
        **{str(c): {"description": d, "content": {"application/json": {"schema": _ERROR}}}
           for c, d in ((400, "Некорректный запрос"), (401, "Не выполнен вход"),
                        (403, "Нет прав"), (404, "Не найдено"), (409, "Конфликт"),
                        (422, "Отклонено правилом"))}}}
    if path != "/auth/token":
        op["security"] = [{"bearer": []}]
    params = [{"name": p, "in": "path", "required": True,
               "schema": {"type": "string", "enum": list(EVENTS)} if p == "event"
               else {"type": "integer"}}
              for p in re.findall(r"{(\w+)}", path)]
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
        paths.setdefault("/api/v1" + path, {})[method] = _op(summary, path, model)
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
            paths.setdefault(path, {})[method.lower()] = _op(doc, path[len("/api/v1"):], None)
    return {
        "openapi": "3.0.3",
        "info": {"title": "Nastavnik API", "version": "1.0.0",
                 "description": "Документооборот целевой модели наставничества"},
        "paths": paths,
        "components": {"securitySchemes": {"bearer": {"type": "http", "scheme": "bearer"}}},
    }
