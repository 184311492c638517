"""The one gate every request passes before its route: URL integers bounded to int64, the
JSON body parsed once (depth, numbers, text), form fields and query strings checked for
control characters, and 401 before any body validation on the API.

A refusal names the field: ``{"error": {"code": "invalid_characters", "message": "Поле
full_name: …", "details": {"field": "full_name"}}}``.
"""

from __future__ import annotations

import json
import math
import re

from flask import Flask, request
from werkzeug.routing import IntegerConverter, ValidationError

from workflow.errors import BadInput, RuleViolation, TooLarge

INT64_MAX = 2**63 - 1
INT64_MIN = -(2**63)
MAX_JSON_DEPTH = 32
MAX_JSON_BYTES = 2 * 1024 * 1024
MAX_STRING = 100_000
#: Fields whose text may span lines (tab and newline allowed); every other field is one line.
MULTILINE_FIELDS = frozenset({
    "text", "description", "preamble", "goals", "comment", "request", "control_clause",
    "tasks", "results", "content", "note", "notes", "reason", "body_text",
})
#: C0 controls but tab/LF/CR, DEL, C1 controls, lone surrogates, and U+FFFE/U+FFFF.
_BAD_ANYWHERE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")
_BAD_ONE_LINE = re.compile("[\x00-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff\u2028\u2029]")
#: The one list of API paths answered without a login (every other /api/ path is 401 for an
#: anonymous caller before its body is looked at): logging in, asking for a password-reset
#: link, setting a password by a one-time link, and the OpenAPI description. A new anonymous
#: API route is added here, nowhere else.
PUBLIC_API = frozenset({
    "/api/v1/auth/token",
    "/api/v1/auth/password-reset",
    "/api/v1/auth/password-set",
    "/api/v1/openapi.json",
})


#: Record ids are INTEGER columns: a bigger id in a path names no record (404).
ID_MAX = 2**31 - 1


class Int64Converter(IntegerConverter):
    """``<int:…>`` that never overflows an INTEGER id: longer or bigger → the route does not
    match (404)."""

    def __init__(self, map, *args, **kwargs) -> None:
        kwargs.setdefault("max", ID_MAX)
        super().__init__(map, *args, **kwargs)

    def to_python(self, value: str):
        if len(value.lstrip("-")) > 19:
            raise ValidationError()
        return super().to_python(value)


def bounded_int(raw: str, name: str) -> int:
    """A query/form integer; 400 naming the parameter when not an int64."""
    text = raw.strip()
    if not re.fullmatch(r"[+-]?\d{1,19}", text):
        raise BadInput(f"Параметр {name} должен быть целым числом.", code="invalid_parameter",
                       details={"field": name})
    value = int(text)
    if not INT64_MIN <= value <= INT64_MAX:
        raise BadInput(f"Параметр {name} вне допустимого диапазона.", code="invalid_parameter",
                       details={"field": name})
    return value


def check_text(value: str, field: str, *, multiline: bool) -> None:
    """422 naming the field for control characters, lone surrogates or an endless string."""
    if len(value) > MAX_STRING:
        raise RuleViolation(f"Поле {field}: слишком длинный текст (больше {MAX_STRING} "
                            "символов).", code="value_too_long", details={"field": field})
    bad = (_BAD_ANYWHERE if multiline else _BAD_ONE_LINE).search(value)
    if bad:
        raise RuleViolation(f"Поле {field}: недопустимый символ U+{ord(bad.group()):04X} "
                            "(управляющий символ или одиночный суррогат).",
                            code="invalid_characters", details={"field": field})


_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


def _check_date(value: str, field: str) -> None:
    """Any ISO date anywhere in a body lies in 1900–2100 (422 naming the field)."""
    from datetime import date

    from workflow.dates import sane_date

    try:
        day = date.fromisoformat(value)
    except ValueError:
        return  # not a real date: the route says so in its own words
    sane_date(day, field)


def _reject_constant(name: str):
    raise ValueError(name)


def _walk(data) -> None:
    """Check every string and number of a parsed body without recursion."""
    stack = [(data, "", 0, False)]
    while stack:
        value, path, depth, multiline = stack.pop()
        if depth > MAX_JSON_DEPTH:
            raise BadInput(f"JSON вложен глубже {MAX_JSON_DEPTH} уровней.", code="json_too_deep")
        if isinstance(value, dict):
            for key, item in value.items():
                check_text(key, path or "(ключ)", multiline=False)
                name = f"{path}.{key}" if path else key
                stack.append((item, name, depth + 1,
                              key in MULTILINE_FIELDS or (multiline and key != "title")))
        elif isinstance(value, list):
            for i, item in enumerate(value):
                stack.append((item, f"{path}[{i}]", depth + 1, multiline))
        elif isinstance(value, str):
            check_text(value, path or "(тело)", multiline=multiline)
            if _ISO_DATE.fullmatch(value):
                _check_date(value, path)
        elif isinstance(value, bool) or value is None:
            continue
        elif isinstance(value, int):
            if not INT64_MIN <= value <= INT64_MAX:
                raise RuleViolation(f"Поле {path}: число вне допустимого диапазона.",
                                    code="number_out_of_range", details={"field": path})
        elif isinstance(value, float) and not math.isfinite(value):
            raise RuleViolation(f"Поле {path}: недопустимое число.",
                                code="number_out_of_range", details={"field": path})


def parse_json_body():
    """Parse the body once for every route; the routes' get_json() gets the checked value."""
    if (request.content_length or 0) > MAX_JSON_BYTES:
        raise TooLarge("Тело запроса слишком велико.", code="too_large")
    raw = request.get_data(cache=True)
    if len(raw) > MAX_JSON_BYTES:
        raise TooLarge("Тело запроса слишком велико.", code="too_large")
    if not raw.strip():
        request._cached_json = (None, None)
        return
    try:
        text = raw.decode("utf-8")
        data = json.loads(text, parse_constant=_reject_constant)
    except RecursionError:
        raise BadInput(f"JSON вложен глубже {MAX_JSON_DEPTH} уровней.",
                       code="json_too_deep") from None
    except (ValueError, UnicodeDecodeError):
        raise BadInput("Тело запроса — не корректный JSON.", code="invalid_json") from None
    _walk(data)
    request._cached_json = (data, data)


_NUMBER = re.compile(r"\s*[+-]?\d+\s*")
MAX_PAGE = 1_000_000
FREE_TEXT_PARAMS = frozenset({"q", "password", "csrf_token"})


def _check_number(name: str, value: str) -> None:
    """A number in a query or form field fits a BIGINT (and a page number stays sane), so no
    view's ``type=int`` can overflow the database."""
    if name in FREE_TEXT_PARAMS or not _NUMBER.fullmatch(value):
        return
    number = bounded_int(value, name)
    if name in ("page", "per_page") and not 0 <= number <= MAX_PAGE:
        raise BadInput(f"Параметр {name}: от 1 до {MAX_PAGE}.", code="invalid_paging",
                       details={"field": name})


def check_form_and_query() -> None:
    for name, value in request.args.items(multi=True):
        check_text(value, name, multiline=False)
        _check_number(name, value)
    if request.method in ("POST", "PUT", "PATCH") and not request.is_json:
        for name, value in request.form.items(multi=True):
            if name != "password":
                check_text(value, name, multiline=True)
            _check_number(name, value)
        for upload in request.files.values():
            if upload.filename:
                check_text(upload.filename, "file", multiline=False)


def install(app: Flask) -> None:
    """Register the bounded converter (before any blueprint adds a rule); the app's first
    before_request hook calls :func:`require_login` then :func:`check_input`."""
    app.url_map.converters["int"] = Int64Converter


def require_login(is_api: bool, signed_in) -> None:
    """401 before anything about the body is looked at (API routes but the public ones)."""
    if (is_api and request.path not in PUBLIC_API and request.method != "OPTIONS"
            and not signed_in()):
        from workflow.errors import NotAuthenticated

        raise NotAuthenticated("Войдите в систему.", code="not_authenticated")


def check_input() -> None:
    """Query, form and JSON checks; called after authentication and CSRF."""
    check_form_and_query()
    if request.method in ("POST", "PUT", "PATCH", "DELETE") and request.is_json:
        parse_json_body()
