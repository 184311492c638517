"""The document kinds: titles, field schemas, journals and what each needs before submission."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from pydantic import BaseModel, ValidationError

from workflow.engine import fields as f
from workflow.errors import BadInput, RuleViolation


@dataclass(frozen=True)
class KindSpec:
    kind: str
    title: str
    fields_model: type[BaseModel]
    #: Registration journal series («od» — main activity, «-од»).
    journal: str = "od"
    #: What must be filled in before the draft goes for approval: (check, Russian message).
    completeness: tuple[tuple[Callable[[dict], bool], str], ...] = field(default=())
    #: Created only by its feature (a roadmap item by its roadmap), never by «create document».
    internal: bool = False
    #: Has a DOCX of its own (rendered previews, signed files).
    rendered: bool = True

    def schema(self) -> dict:
        return self.fields_model.model_json_schema()


def _has(key: str) -> Callable[[dict], bool]:
    return lambda data: bool(data.get(key))


KINDS: dict[str, KindSpec] = {
    spec.kind: spec
    for spec in (
        KindSpec("order", "Приказ", f.OrderFields,
                 completeness=((_has("clauses"), "В приказе нет ни одного пункта."),)),
        KindSpec("regulation", "Положение о наставничестве", f.RegulationFields, journal="la",
                 completeness=((_has("sections"), "В положении нет ни одного раздела."),)),
        KindSpec("roadmap", "Дорожная карта", f.RoadmapFields, journal="la",
                 completeness=((_has("period_start"), "Не указано начало периода."),
                               (_has("period_end"), "Не указано окончание периода."))),
        KindSpec("pair_order", "Приказ о закреплении наставнических пар", f.PairOrderFields,
                 completeness=((_has("pair_ids"), "В приказе не выбрано ни одной пары."),)),
        KindSpec("incentive_scheme", "Положение о мотивации наставников",
                 f.IncentiveSchemeFields, journal="la",
                 completeness=((lambda d: bool(d.get("sections") or d.get("measures")),
                                "Нет ни разделов, ни мер поощрения."),)),
        KindSpec("curator_order", "Приказ о назначении куратора", f.CuratorOrderFields,
                 completeness=((_has("curator_name"), "Не указан куратор."),)),
        KindSpec("programme", "Программа наставничества", f.ProgrammeFields, journal="la",
                 completeness=((_has("sections"), "В программе нет ни одного раздела."),)),
        KindSpec("roadmap_item", "Пункт дорожной карты", f.RoadmapItemFields,
                 completeness=((_has("report"), "Не заполнен отчёт о выполнении пункта."),),
                 internal=True, rendered=False),
    )
}

_MESSAGES = {
    "missing": "обязательное поле",
    "string_type": "ожидается текст",
    "int_type": "ожидается целое число",
    "int_parsing": "ожидается целое число",
    "list_type": "ожидается список",
    "dict_type": "ожидается объект",
    "model_type": "ожидается объект",
    "extra_forbidden": "неизвестное поле",
    "string_too_short": "не может быть пустым",
    "string_too_long": "слишком длинный текст",
    "too_long": "слишком много элементов",
    "string_pattern_mismatch": "неверный формат",
}


def russian_errors(exc: ValidationError) -> dict[str, str]:
    """pydantic errors as {"clauses.0.text": "не может быть пустым"} in Russian."""
    out: dict[str, str] = {}
    for err in exc.errors():
        loc = ".".join(str(p) for p in err["loc"]) or "fields"
        out[loc] = _MESSAGES.get(err["type"], "неверное значение")
    return out


def get_kind(kind: str) -> KindSpec:
    try:
        return KINDS[kind]
    except KeyError:
        known = ", ".join(KINDS)
        raise BadInput(f"Неизвестный вид документа «{kind}». Допустимые: {known}.",
                       code="unknown_kind") from None


def clean_fields(kind: str, data: object) -> dict:
    """Validate and normalise a kind's fields; raises BadInput naming each bad field."""
    spec = get_kind(kind)
    if not isinstance(data, dict):
        raise BadInput("Поле fields должно быть объектом.", code="invalid_fields")
    try:
        model = spec.fields_model.model_validate(data)
    except ValidationError as exc:
        errors = russian_errors(exc)
        listed = "; ".join(f"{k}: {v}" for k, v in list(errors.items())[:10])
        raise BadInput(f"Поля документа заполнены неверно: {listed}.", code="invalid_fields",
                       details={"fields": errors}) from None
    return model.model_dump(mode="json")


def check_complete(kind: str, data: dict) -> None:
    missing = [msg for check, msg in get_kind(kind).completeness if not check(data)]
    if missing:
        raise RuleViolation("Документ не готов к согласованию: " + " ".join(missing),
                            code="document_incomplete")


#: Kinds a person may create from the «new document» form and POST /documents.
CREATABLE = tuple(k for k, spec in KINDS.items() if not spec.internal)
