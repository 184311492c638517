"""Small helpers every API route uses: body parsing, paging, the request's runtime."""

from __future__ import annotations

from datetime import date

from flask import request

from web.input_guard import bounded_int
from workflow import clock
from workflow.dates import MAX_DATE, MIN_DATE, sane_date
from workflow.errors import BadInput


def json_body() -> dict:
    data = request.get_json(silent=True)
    if not isinstance(data, dict):
        raise BadInput("Ожидается JSON-объект в теле запроса.", code="invalid_json")
    return data


def int_arg(name: str, default: int | None = None) -> int | None:
    raw = request.args.get(name)
    if raw in (None, ""):
        return default
    return bounded_int(raw, name)


def required_int_arg(name: str) -> int:
    value = int_arg(name)
    if value is None:
        raise BadInput(f"Не указан параметр {name}.", code="missing_parameter",
                       details={"field": name})
    return value


def year_arg() -> int:
    """``?year=``, this year when absent; 400 naming it outside the years the product accepts
    (1900–2100, as the OpenAPI says)."""
    year = int_arg("year", clock.today().year)
    if not MIN_DATE.year <= year <= MAX_DATE.year:
        raise BadInput(f"Параметр year — год от {MIN_DATE.year} до {MAX_DATE.year}.",
                       code="invalid_parameter", details={"field": "year"})
    return year


def int_value(data: dict, name: str, *, required: bool = False) -> int | None:
    value = data.get(name)
    if value is None:
        if required:
            raise BadInput(f"Не указано поле {name}.", code="missing_field")
        return None
    if isinstance(value, bool) or not isinstance(value, int):
        raise BadInput(f"Поле {name} должно быть целым числом.", code="invalid_field")
    return value


def date_value(data: dict, name: str) -> date | None:
    value = data.get(name)
    if value in (None, ""):
        return None
    if isinstance(value, str) and len(value) == 10:
        try:
            day = date.fromisoformat(value)
        except ValueError:
            day = None
        if day is not None:
            return sane_date(day, name)
    raise BadInput(f"Поле {name}: дата в формате ГГГГ-ММ-ДД.", code="invalid_date",
                   details={"field": name})


def str_value(data: dict, name: str, default: str = "") -> str:
    value = data.get(name, default)
    if value is None:
        return default
    if not isinstance(value, str):
        raise BadInput(f"Поле {name} должно быть строкой.", code="invalid_field")
    return value


def paging() -> tuple[int, int]:
    return int_arg("page", 1), int_arg("per_page", 50)
