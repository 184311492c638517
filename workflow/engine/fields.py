"""Field schemas of every document kind (pydantic models; their JSON Schema drives the forms)."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field

Text = Field(default="", max_length=20000)


class _Fields(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


class Clause(_Fields):
    text: str = Field(min_length=1, max_length=5000, title="Текст пункта")
    executor: str = Field(default="", max_length=300, title="Исполнитель")
    term: str = Field(default="", max_length=200, title="Срок")


class Appendix(_Fields):
    title: str = Field(min_length=1, max_length=500, title="Заголовок приложения")
    text: str = Field(default="", max_length=50000, title="Текст приложения")


class Section(_Fields):
    title: str = Field(min_length=1, max_length=500, title="Заголовок раздела")
    text: str = Field(default="", max_length=50000, title="Текст раздела")


class ConsideredBy(_Fields):
    body: str = Field(default="педагогическим советом", max_length=300, title="Коллегиальный орган")
    protocol_number: str = Field(default="", max_length=40, title="Номер протокола")
    protocol_date: str = Field(default="", max_length=10, title="Дата протокола",
                               pattern=r"^(\d{4}-\d{2}-\d{2})?$")


class Agreement(_Fields):
    position: str = Field(min_length=1, max_length=300, title="Должность (орган)")
    name: str = Field(default="", max_length=200, title="ФИО")
    date: str = Field(default="", max_length=10, title="Дата",
                      pattern=r"^(\d{4}-\d{2}-\d{2})?$")


class Measure(_Fields):
    title: str = Field(min_length=1, max_length=500, title="Мера")
    kind: str = Field(default="non_material", pattern="^(non_material|material)$",
                      title="Вид (non_material — нематериальная, material — материальная)")
    description: str = Field(default="", max_length=5000, title="Описание")


CONTROL_CLAUSE = "Контроль за исполнением приказа оставляю за собой"


class OrderFields(_Fields):
    preamble: str = Field(default="", max_length=5000, title="Преамбула")
    clauses: list[Clause] = Field(default_factory=list, max_length=200, title="Пункты приказа")
    control_clause: str = Field(default=CONTROL_CLAUSE, max_length=1000, title="Пункт о контроле")
    acquaintance: list[str] = Field(default_factory=list, max_length=500,
                                    title="С приказом ознакомлены")
    acquaintance_user_ids: list[int] = Field(
        default_factory=list, max_length=500,
        title="Ознакомить с приказом (сотрудники организации)")
    appendices: list[Appendix] = Field(default_factory=list, max_length=50, title="Приложения")


class CuratorOrderFields(_Fields):
    preamble: str = Field(default="", max_length=5000, title="Преамбула")
    curator_name: str = Field(default="", max_length=200, title="ФИО куратора")
    curator_position: str = Field(default="", max_length=300, title="Должность куратора")
    duties: list[str] = Field(default_factory=list, max_length=100, title="Обязанности куратора")
    term: str = Field(default="", max_length=200, title="Срок")
    acquaintance: list[str] = Field(default_factory=list, max_length=500,
                                    title="С приказом ознакомлены")
    acquaintance_user_ids: list[int] = Field(
        default_factory=list, max_length=500,
        title="Ознакомить с приказом (сотрудники организации)")


class PairOrderFields(_Fields):
    preamble: str = Field(default="", max_length=5000, title="Преамбула")
    pair_ids: list[int] = Field(default_factory=list, max_length=5000,
                                title="Наставнические пары")
    clauses: list[Clause] = Field(default_factory=list, max_length=200, title="Пункты приказа")
    acquaintance: list[str] = Field(default_factory=list, max_length=500,
                                    title="С приказом ознакомлены")
    acquaintance_user_ids: list[int] = Field(
        default_factory=list, max_length=500,
        title="Ознакомить с приказом (сотрудники организации)")


class RegulationFields(_Fields):
    sections: list[Section] = Field(default_factory=list, max_length=100, title="Разделы")
    considered_by: ConsideredBy | None = Field(default=None, title="Рассмотрено")
    agreed_by: list[Agreement] = Field(default_factory=list, max_length=20, title="Согласовано")


class IncentiveSchemeFields(RegulationFields):
    measures: list[Measure] = Field(default_factory=list, max_length=100, title="Меры поощрения")


class ProgrammeFields(RegulationFields):
    form: str = Field(default="", max_length=200, title="Форма наставничества")
    term_start: str = Field(default="", pattern=r"^(\d{4}-\d{2}-\d{2})?$", title="Начало")
    term_end: str = Field(default="", pattern=r"^(\d{4}-\d{2}-\d{2})?$", title="Окончание")
    goals: str = Field(default="", max_length=20000, title="Цели и задачи")


class RoadmapFields(_Fields):
    period_start: str = Field(default="", pattern=r"^(\d{4}-\d{2}-\d{2})?$",
                              title="Начало периода")
    period_end: str = Field(default="", pattern=r"^(\d{4}-\d{2}-\d{2})?$",
                            title="Окончание периода")
    roadmap_id: int | None = Field(default=None, title="Таблица дорожной карты")


class ItemNote(_Fields):
    at: str = Field(default="", max_length=40, title="Когда")
    by: str = Field(default="", max_length=200, title="Кто")
    text: str = Field(default="", max_length=2000, title="Заметка")


class RoadmapItemFields(_Fields):
    number: str = Field(default="", max_length=20, title="Номер пункта")
    activity: str = Field(default="", max_length=20000, title="Мероприятие")
    result: str = Field(default="", max_length=20000, title="Ожидаемый результат")
    notes: list[ItemNote] = Field(default_factory=list, max_length=500,
                                  title="Заметки о выполнении")
    report: str = Field(default="", max_length=20000, title="Отчёт о выполнении")
