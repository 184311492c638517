"""Built-in templates render every ГОСТ requisite; user text comes out literally."""

from __future__ import annotations

import io
import re

import pytest
from docx import Document

from documents.docx.context import KIND_VARIABLES, build_context
from documents.docx.errors import RenderError
from documents.docx.render import render_docx
from documents.docx.samples import sample_snapshot

KINDS = sorted(KIND_VARIABLES)


def _cells_text(tables) -> list[str]:
    lines = []
    for table in tables:
        for row in table.rows:
            for cell in row.cells:
                lines.extend(p.text for p in cell.paragraphs)
                lines.extend(_cells_text(cell.tables))
    return lines


def docx_text(data: bytes) -> str:
    """All visible text: body paragraphs, tables, headers and footers."""
    doc = Document(io.BytesIO(data))
    lines = [p.text for p in doc.paragraphs] + _cells_text(doc.tables)
    for section in doc.sections:
        for part in (section.header, section.first_page_header, section.footer):
            lines += [p.text for p in part.paragraphs] + _cells_text(part.tables)
    return "\n".join(lines)


def render(kind: str, draft: bool = False, **fields) -> str:
    """The visible text, non-breaking spaces read as spaces (typesetting is tested in
    test_docx_typography.py); initials are compared in the typeset «И. О.» form."""
    snapshot = sample_snapshot(kind, draft=draft)
    snapshot["fields"].update(fields)
    return docx_text(render_docx(kind, build_context(snapshot))).replace("\u00a0", " ")


ORDER_REQUISITES = [
    "Управление образования администрации Демонстрационного муниципального района",
    (
        "Муниципальное бюджетное общеобразовательное учреждение «Средняя общеобразовательная "
        "школа № 1»"
    ),
    "ПРИКАЗ",
    "12.11.2026",
    "№ 45-од",
    "г. Демонстрационск",
    "ПРИКАЗЫВАЮ:",
    "Контроль за исполнением приказа оставляю за собой.",
    "Директор",
    "М. П. Иванова",
    "СОГЛАСОВАНО:",
    "К. К. Смирнова",
    "Согласовано 10.11.2026",
    "Замечания: Уточнить сроки в п. 3",
]


@pytest.mark.parametrize("kind", ["order", "curator_order", "pair_order"])
def test_orders_carry_every_requisite(kind):
    text = render(kind)
    for requisite in ORDER_REQUISITES:
        assert requisite in text, requisite
    assert text.index("Управление образования") < text.index("Муниципальное бюджетное")
    assert text.index("ПРИКАЗ") < text.index("ПРИКАЗЫВАЮ:") < text.index("Контроль за")
    assert "ПРОЕКТ" not in text
    assert "{{" not in text and "{%" not in text


def test_order_clauses_have_executor_and_term_and_heading():
    text = render("order")
    assert "О внедрении целевой модели наставничества" in text
    assert "В соответствии с распоряжением Министерства просвещения" in text
    assert (
        "1. Внедрить целевую модель наставничества в 2026–2027 учебном году. "
        "Ответственный: Смирнова К. К., заместитель директора по УВР. Срок: до 30.12.2026."
    ) in text
    assert "2. Утвердить дорожную карту" in text and "Ответственный: Петров А. М. Срок:" in text
    assert "А. М.. " not in text
    assert "4. Контроль за исполнением приказа оставляю за собой." in text


def test_order_acquaintance_and_appendix():
    text = render("order")
    assert "ЛИСТ ОЗНАКОМЛЕНИЯ" in text and "с приказом от 12.11.2026 № 45-од" in text
    for name in ("Смирнова К. К.", "Петров А. М.", "Голубев А. А.", "Кузнецов И. А."):
        assert name in text
    assert "13.11.2026" in text  # the date Смирнова confirmed in the system
    assert "Соколова Анна Викторовна" in text and "8 (3812) 23-45-67" in text  # executor
    assert "Приложение № 1" in text and "к приказу" in text
    assert "от 12.11.2026 № 45-од" in text
    assert "Формирование базы наставников — до 30.10.2026." in text


def test_curator_order_names_curator_and_duties():
    text = render("curator_order")
    assert (
        "Назначить Смирнову Ксению Константиновну, заместителя директора по "
        "учебно-воспитательной работе, куратором внедрения целевой модели наставничества "
        "в МБОУ «СОШ № 1» на 2026–2027 учебный год."
    ) in text
    assert "2. Возложить на куратора следующие обязанности:" in text
    assert "2.1. Сформировать базу наставников и наставляемых." in text
    assert "2.4. Подготовить отчёты" in text
    assert "3. Контроль за исполнением приказа оставляю за собой." in text


def test_pair_order_lists_pairs_in_appendix_and_mentors_in_acquaintance():
    text = render("pair_order")
    assert "согласно приложению № 1 к настоящему приказу" in text
    assert "Список наставнических пар (групп)" in text
    assert "Смирнова Ксения Константиновна, учитель математики" in text
    assert "Попов Артём, Соколова Вера, 7 «Б» класс" in text
    assert "15.11.2026 –\n31.05.2027" in text
    assert "Кузнецов И. А." in text  # mentor added to the acquaintance sheet


def test_pair_order_without_pairs_still_renders():
    snapshot = sample_snapshot("pair_order")
    snapshot["pairs"] = []
    text = docx_text(render_docx("pair_order", build_context(snapshot)))
    assert "Список наставнических пар (групп)" in text


@pytest.mark.parametrize("kind", ["regulation", "incentive_scheme", "programme"])
def test_acts_carry_grifs_and_sections(kind):
    text = render(kind)
    word = "УТВЕРЖДЕНА" if kind == "programme" else "УТВЕРЖДЕНО"  # программа / положение
    assert word in text and "приказом МБОУ «СОШ № 1»" in text
    assert "от 12.11.2026 № 45-од" in text
    assert "РАССМОТРЕНО" in text and "педагогическим советом" in text
    assert "протокол от 05.11.2026 № 3" in text
    assert "СОГЛАСОВАНО" in text and "А. А. Голубев" in text and "06.11.2026" in text
    assert "1. " in text and "г. Демонстрационск" in text


def test_regulation_heading_and_numbered_sections():
    text = render("regulation")
    assert "ПОЛОЖЕНИЕ" in text and "о наставничестве" in text
    assert "1. Общие положения" in text and "3. Права и обязанности наставника" in text
    assert "1.2. Положение определяет цели" in text


def test_incentive_scheme_lists_measures():
    text = render("incentive_scheme")
    assert "2. Меры поощрения наставников" in text
    assert "Благодарственное письмо директора" in text and "нематериальная" in text
    assert "Стимулирующая выплата" in text and "материальная" in text


def test_programme_passport():
    text = render("programme")
    assert "ПРОГРАММА" in text and "наставничества «Учитель — учитель»" in text
    assert "с 01.09.2026 по 31.05.2027" in text
    assert "Адаптация молодых специалистов" in text


def test_roadmap_table_sections_and_indicators():
    data = render_docx("roadmap", build_context(sample_snapshot("roadmap")))
    text = docx_text(data).replace("\u00a0", " ")
    assert "ДОРОЖНАЯ КАРТА" in text and "на 2026–2028 годы" in text
    for header in ("№ п/п", "Мероприятие", "Сроки", "Ответственный", "Результат"):
        assert header in text
    assert "1. Подготовка условий для запуска программы наставничества" in text
    assert "Разработка и утверждение положения о наставничестве" in text
    assert "Целевые показатели" in text and "2026" in text and "2027" in text
    table = Document(io.BytesIO(data)).tables[0]
    section_row = table.rows[1]
    assert len({id(c._tc) for c in section_row.cells}) == 1  # merged across all columns
    indicators = Document(io.BytesIO(data)).tables[1]
    assert [c.text for c in indicators.rows[0].cells][-2:] == ["2026", "2027"]
    assert [c.text for c in indicators.rows[1].cells][-2:] == ["10", "20"]


@pytest.mark.parametrize("kind", KINDS)
def test_drafts_render_with_blanks_and_mark(kind):
    text = render(kind, draft=True)
    assert "ПРОЕКТ" in text
    assert "45-од" not in text and "12.11.2026" not in text
    assert "№ ________" in text
    assert "None" not in text and "{{" not in text


@pytest.mark.parametrize("kind", KINDS)
def test_context_keys_are_the_declared_variables(kind):
    assert set(build_context(sample_snapshot(kind))) == KIND_VARIABLES[kind]


HOSTILE = "Петров <w:p>&amp; ]]> {{7*7}} {% if 1 %}x{% endif %} \" ' </w:t></w:r>"


@pytest.mark.parametrize("field", ["preamble", "heading"])
def test_user_text_comes_out_literally(field):
    snapshot = sample_snapshot("order")
    if field == "heading":
        snapshot["title"] = HOSTILE
    else:
        snapshot["fields"]["preamble"] = HOSTILE
    snapshot["fields"]["clauses"] = [
        {"text": HOSTILE, "executor": "A & B <c>", "term": "{{ doc }}"}
    ]
    text = docx_text(render_docx("order", build_context(snapshot))).replace("\u00a0", " ")
    assert HOSTILE in text
    assert "Ответственный: A & B <c>. Срок: {{ doc }}." in text
    assert "49" not in text


def test_control_characters_are_dropped_not_fatal():
    snapshot = sample_snapshot("order")
    snapshot["fields"]["preamble"] = "В целях\x00 исполнения\x0b плана\x1f"
    text = docx_text(render_docx("order", build_context(snapshot)))
    assert "В целях исполнения плана" in text


def test_render_accepts_only_plain_context():
    context = build_context(sample_snapshot("order"))
    context["org"] = object()
    with pytest.raises(RenderError, match="Недопустимый тип данных"):
        render_docx("order", context)


def test_unknown_kind_and_missing_variable_are_render_errors():
    with pytest.raises(RenderError, match="Неизвестный вид документа"):
        render_docx("memo", {})
    with pytest.raises(RenderError, match="неизвестная или недоступная переменная"):
        render_docx("order", {"org": {}})


def test_garbage_template_is_a_render_error():
    with pytest.raises(RenderError):
        render_docx("order", build_context(sample_snapshot("order")), template=b"not a docx")


def test_template_producing_broken_xml_is_refused():
    doc = Document()  # an «if» opened in a table cell and closed after the table
    doc.add_table(rows=1, cols=1).cell(0, 0).text = "А {% if doc.is_draft %} Б"
    doc.add_paragraph("В {% endif %} Г")
    raw = io.BytesIO()
    doc.save(raw)
    with pytest.raises(RenderError):
        render_docx("order", build_context(sample_snapshot("order")), template=raw.getvalue())


def test_rendering_is_deterministic_in_text():
    context = build_context(sample_snapshot("order"))
    assert docx_text(render_docx("order", context)) == docx_text(render_docx("order", context))
    assert re.search(r"12\.11\.2026\s", docx_text(render_docx("order", context)))
