"""Roadmaps written differently from the samples, built on the fly with python-docx/openpyxl."""

from __future__ import annotations

import io
import zipfile
from datetime import datetime

import pytest
from docx import Document
from openpyxl import Workbook

from documents.roadmaps import MAX_ROWS, RoadmapFileError, read_roadmap

Row = list[str | None]


def make_docx(tables: list[list[Row]], title: str = "Дорожная карта", merge_rows: bool = True,
              ) -> bytes:
    """Tables as lists of rows; a one-cell row becomes a row merged across the table."""
    document = Document()
    if title:
        document.add_paragraph(title)
    for rows in tables:
        width = max(len(r) for r in rows)
        table = document.add_table(rows=0, cols=width)
        for values in rows:
            cells = table.add_row().cells
            if len(values) == 1 and width > 1 and merge_rows:
                cells[0].merge(cells[-1]).text = values[0] or ""
                continue
            for cell, value in zip(cells, values):
                cell.text = value or ""
        document.add_paragraph("")
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def make_xlsx(rows: list[list[object]], merges: tuple[str, ...] = ()) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    for values in rows:
        sheet.append(values)
    for ref in merges:
        sheet.merge_cells(ref)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def test_other_column_order_and_header_names() -> None:
    data = make_docx([[
        ["Срок реализации", "№", "Ответственные исполнители", "Наименование мероприятия",
         "Ожидаемый результат"],
        ["1. Подготовка"],
        ["до 01.12.2022", "1.1.", "Директор", "Издать приказ", "Приказ"],
        ["Ноябрь 2022 г.", "1.2", "Куратор", "Положение", "Положение о наставничестве"],
    ]])
    got = read_roadmap(data, "plan.docx")
    first = got.items[0]
    assert (first["number"], first["activity"], first["deadline_text"]) == (
        "1.1", "Издать приказ", "до 01.12.2022")
    assert (first["responsible_text"], first["result_text"]) == ("Директор", "Приказ")
    assert got.columns[0] == "Срок реализации"
    assert [s["number"] for s in got.sections] == ["1"]


def test_seven_columns_with_direction_and_note_in_xlsx() -> None:
    data = make_xlsx([
        ["План мероприятий на 2022-2023 учебный год"],
        ["№ п/п", "Направление", "Содержание деятельности", "Сроки исполнения", "Исполнитель",
         "Вид документа", "Примечание"],
        ["1.", "Нормативная база", None, None, None, None, None],
        ["1.1", "Нормативная база", "Положение о наставничестве", datetime(2022, 10, 27),
         "Зам. директора", "Положение", "согласовать с советом"],
        ["1.2", "Нормативная база", "Дорожная карта", "до 30.10.2022", "Директор", "Приказ",
         None],
    ])
    got = read_roadmap(data, "plan.xlsx")
    assert got.title == "План мероприятий на 2022-2023 учебный год"
    assert len(got.columns) == 7
    first = got.items[0]
    assert first["direction"] == "Нормативная база"
    assert first["note"] == "согласовать с советом"
    assert first["deadline_text"] == "27.10.2022"   # an Excel date cell reads as a phrase
    assert first["result_text"] == "Положение"
    assert first["row"] == 4


def test_section_rows_with_task_and_result_lines() -> None:
    data = make_docx([[
        ["№ п/п", "Мероприятие", "Сроки", "Ответственный", "Результат"],
        ["1. Подготовка условий\nЗадача: создать нормативную базу\nРезультат: приказы"],
        ["1.1", "Приказ о внедрении", "до 01.10.2020", "Директор", "Приказ"],
        ["2. Работа пар"],
        ["Задача: сформировать пары"],
        ["2.1", "Формирование пар", "октябрь 2020 г.", "Кураторы", "Пары"],
    ]])
    got = read_roadmap(data, "plan.docx")
    assert got.sections == [
        {"number": "1", "title": "Подготовка условий", "task": "создать нормативную базу",
         "result": "приказы"},
        {"number": "2", "title": "Работа пар", "task": "сформировать пары", "result": ""},
    ]
    assert [i["section"] for i in got.items] == ["1", "2"]


def test_four_columns_and_column_numbering_row() -> None:
    data = make_docx([[
        ["№", "Содержание деятельности", "Срок", "Ответственные"],
        ["1", "2", "3", "4"],
        ["1.1", "Анкетирование", "сентябрь", "Психолог"],
        ["1.2", "Мониторинг", "Декабрь, июнь", "Куратор"],
    ]])
    got = read_roadmap(data, "plan.docx")
    assert [i["number"] for i in got.items] == ["1.1", "1.2"]
    assert got.items[0]["result_text"] == "" and got.items[0]["section"] == "1"
    assert got.warnings == []


def test_row_without_number_continues_previous_item() -> None:
    data = make_docx([[
        ["№ п/п", "Мероприятие", "Сроки", "Ответственный", "Результат"],
        ["1.1", "Разработка положения", "в течение всего", "Директор", "Положение"],
        ["", "о наставничестве", "периода", "", ""],
        ["1.2", "Приказ", "до 01.12.2020", "Директор", "Приказ"],
    ]])
    got = read_roadmap(data, "plan.docx")
    assert len(got.items) == 2
    assert got.items[0]["activity"] == "Разработка положения\nо наставничестве"
    assert got.items[0]["deadline_text"] == "в течение всего периода"
    assert got.warnings[0]["row"] == 3 and "присоединена к пункту 1.1" in got.warnings[0]["message"]


def test_vertically_merged_cell_applies_to_every_row() -> None:
    document = Document()
    table = document.add_table(rows=4, cols=4)
    for cell, text in zip(table.rows[0].cells, ["№", "Мероприятие", "Сроки", "Ответственный"]):
        cell.text = text
    for index in (1, 2, 3):
        table.cell(index, 0).text = f"1.{index}"
        table.cell(index, 1).text = f"Дело {index}"
        table.cell(index, 2).text = "май 2021"
    table.cell(1, 3).merge(table.cell(3, 3)).text = "Кураторы"
    buffer = io.BytesIO()
    document.save(buffer)
    got = read_roadmap(buffer.getvalue(), "plan.docx")
    assert [i["responsible_text"] for i in got.items] == ["Кураторы"] * 3


def test_table_continued_with_repeated_header_in_second_table() -> None:
    header = ["№ п/п", "Мероприятие", "Сроки", "Ответственный", "Результат"]
    data = make_docx([
        [header, ["1.1", "Первое", "до 01.10.2020", "Директор", ""]],
        [header, ["1.2", "Второе", "до 01.11.2020", "Директор", ""]],
    ])
    got = read_roadmap(data, "plan.docx")
    assert [i["number"] for i in got.items] == ["1.1", "1.2"]


def test_unreadable_rows_become_warnings_naming_row_and_cell() -> None:
    data = make_docx([[
        ["№ п/п", "Мероприятие", "Сроки", "Ответственный", "Результат"],
        ["а)", "Непонятная строка", "май", "", ""],
        ["1.1", "Дело", "май 2021", "", ""],
        ["1.1", "", "июнь 2021", "", ""],
    ]])
    got = read_roadmap(data, "plan.docx")
    messages = [w["message"] for w in got.warnings]
    assert messages[0].startswith("Строка 2, столбец «№ п/п»: не удалось прочитать номер")
    assert any("Строка 4" in m and "повторяется" in m for m in messages)
    assert any("Строка 4, столбец «Мероприятие»" in m for m in messages)
    assert [i["number"] for i in got.items] == ["1.1", "1.1"]


def test_item_outside_its_section_is_warned_not_rejected() -> None:
    data = make_xlsx([
        ["№", "Мероприятие", "Сроки", "Ответственный"],
        ["1", "Раздел один", None, None],
        ["2.1", "Чужой пункт", "май 2021", "Директор"],
    ], merges=("B2:D2",))
    got = read_roadmap(data, "plan.xlsx")
    assert got.items[0]["section"] == "1"
    assert "пункт 2.1 стоит в разделе 1" in got.warnings[0]["message"]


def test_docx_with_python_docx_duplicate_merged_cells_is_deduplicated() -> None:
    data = make_docx([[
        ["№ п/п", "Мероприятие", "Сроки", "Ответственный", "Результат"],
        ["3. Внедрение"],
        ["3.1", "Дело", "до 30.10.2020", "ОУ", "База"],
    ]])
    got = read_roadmap(data, "plan.docx")
    assert got.sections == [{"number": "3", "title": "Внедрение", "task": "", "result": ""}]
    assert len(got.items) == 1


@pytest.mark.parametrize(("data", "name", "words"), [
    (make_docx([[["№ п/п", "Мероприятие", "Сроки", "Ответственный"]]]), "empty.docx",
     "нет ни одного пункта"),
    (make_docx([[["a", "b"], ["c", "d"]]]), "nohead.docx", "не найдена таблица"),
    (make_docx([]), "notable.docx", "не найдена таблица"),
    (make_xlsx([]), "empty.xlsx", "не найдена таблица"),
    (b"PK\x03\x04" + b"\x00garbage" * 50, "broken.docx", "повреждён"),
    (b"\x00\x01binary", "broken.xlsx", "не является"),
    ("Дорожная карта\n1.1 Приказ до 01.10.2020".encode(), "plan.txt", "не является"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100, "plan.doc", "сохраните файл"),
    (b"PK\x03\x04" + b"\x00" * (10 * 1024 * 1024), "huge.docx", "10 МБ"),
])
def test_refused_files(data: bytes, name: str, words: str) -> None:
    with pytest.raises(RoadmapFileError) as error:
        read_roadmap(data, name)
    assert words in error.value.message


def test_zip_that_is_neither_docx_nor_xlsx() -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("hello.txt", "привет")
    with pytest.raises(RoadmapFileError, match="не является"):
        read_roadmap(buffer.getvalue(), "plan.docx")


def test_docx_renamed_to_xlsx_is_still_read() -> None:
    data = make_docx([[["№", "Мероприятие", "Сроки", "Ответственный"],
                       ["1.1", "Дело", "май 2021", "ОУ"]]])
    assert read_roadmap(data, "plan.xlsx").items[0]["number"] == "1.1"


def test_too_many_rows_is_refused() -> None:
    rows = [["№", "Мероприятие", "Сроки", "Ответственный"]]
    rows += [[f"1.{n}", "Дело", "май 2021", "ОУ"] for n in range(MAX_ROWS + 1)]
    with pytest.raises(RoadmapFileError, match="больше 5000 строк"):
        read_roadmap(make_xlsx(rows), "big.xlsx")


def test_too_many_docx_rows_is_refused() -> None:
    document = Document()
    table = document.add_table(rows=MAX_ROWS + 1, cols=1)
    table.cell(0, 0).text = "x"
    buffer = io.BytesIO()
    document.save(buffer)
    with pytest.raises(RoadmapFileError, match="больше 5000 строк"):
        read_roadmap(buffer.getvalue(), "big.docx")


def test_to_dict_is_plain_and_detached() -> None:
    data = make_docx([[["№", "Мероприятие", "Сроки", "Ответственный"],
                       ["1.1", "Дело", "май 2021", "ОУ"]]])
    parsed = read_roadmap(data, "plan.docx")
    dumped = parsed.to_dict()
    assert set(dumped) == {"title", "columns", "sections", "items", "indicators", "warnings"}
    assert set(dumped["items"][0]) == {"number", "section", "activity", "deadline_text",
                                       "responsible_text", "result_text", "direction", "note",
                                       "row"}
    dumped["items"][0]["activity"] = "changed"
    assert parsed.items[0]["activity"] == "Дело"
