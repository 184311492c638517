"""Exported roadmaps are readable tables and import back to the same items."""

from __future__ import annotations

import io

import pytest
from docx import Document
from openpyxl import load_workbook

from documents.roadmaps import read_roadmap
from documents.roadmaps.export import roadmap_to_docx, roadmap_to_xlsx

ROADMAP = {
    "title": "Дорожная карта внедрения целевой модели наставничества",
    "period_start": "2022-11-01",
    "period_end": "2024-12-31",
    "sections": [{"number": "1", "title": "Подготовка условий"},
                 {"number": "2", "title": "Работа наставнических пар"}],
    "items": [
        {"number": "1.1", "section": "1", "activity": "Разработка положения",
         "deadline_text": "Ноябрь 2022 г.", "responsible_text": "Петров А.М.\nСмирнова К.К.",
         "result_text": "Положение о наставничестве", "status": "done"},
        {"number": "1.2", "section": "1", "activity": "=HYPERLINK(\"http://x\")",
         "deadline_text": "До 10.12. 2022 г.", "responsible_text": "Директор",
         "result_text": "Приказ", "status": "planned"},
        {"number": "2.1", "section": "2", "activity": "Встреча-знакомство;\nпробная встреча",
         "deadline_text": "Декабрь, июнь в период с 2022 по 2024 г.г.",
         "responsible_text": "Кураторы", "result_text": "", "status": "in_progress"},
        {"number": "1.3", "section": "1", "activity": "Утверждение дорожной карты",
         "deadline_text": "", "responsible_text": "", "result_text": "", "status": ""},
    ],
}
KEYS = ("number", "section", "activity", "deadline_text", "responsible_text", "result_text")


def _expected_items() -> list[dict]:
    order = {"1": 0, "2": 1}
    items = sorted(ROADMAP["items"], key=lambda i: order[i["section"]])
    return [{k: i[k] for k in KEYS} for i in items]


@pytest.mark.parametrize(("export", "name"), [(roadmap_to_xlsx, "out.xlsx"),
                                               (roadmap_to_docx, "out.docx")])
def test_round_trip_keeps_items_and_sections(export, name: str) -> None:
    parsed = read_roadmap(export(ROADMAP), name)
    assert [{k: i[k] for k in KEYS} for i in parsed.items] == _expected_items()
    assert [(s["number"], s["title"]) for s in parsed.sections] == [
        ("1", "Подготовка условий"), ("2", "Работа наставнических пар")]
    assert parsed.title.startswith(ROADMAP["title"])
    assert "01.11.2022 – 31.12.2024" in parsed.title
    assert parsed.warnings == []


def test_xlsx_layout_bold_merged_sections_and_no_formulas() -> None:
    sheet = load_workbook(io.BytesIO(roadmap_to_xlsx(ROADMAP))).active
    merged = sorted(str(r) for r in sheet.merged_cells.ranges)
    assert merged == ["A4:F4", "A8:F8"]
    assert sheet["A4"].value == "1. Подготовка условий" and sheet["A4"].font.b
    assert sheet["A3"].value == "№ п/п" and sheet["A3"].font.b
    assert sheet["F5"].value == "выполнено"
    formula_cell = sheet["B6"]
    assert formula_cell.data_type == "s" and formula_cell.value.startswith("'=HYPERLINK")  # OWASP


def test_docx_layout_bold_merged_sections() -> None:
    document = Document(io.BytesIO(roadmap_to_docx(ROADMAP)))
    table = document.tables[0]
    section_row = table.rows[1]
    assert {c.text for c in section_row.cells} == {"1. Подготовка условий"}
    assert section_row.cells[0].paragraphs[0].runs[0].bold
    assert table.rows[0].cells[0].paragraphs[0].runs[0].bold
    assert document.paragraphs[0].text == ROADMAP["title"]


def test_items_of_unknown_sections_are_still_exported() -> None:
    roadmap = {**ROADMAP, "sections": [], "items": ROADMAP["items"][:1]}
    parsed = read_roadmap(roadmap_to_xlsx(roadmap), "out.xlsx")
    assert parsed.items[0]["activity"] == "Разработка положения"


def test_control_characters_are_dropped() -> None:
    roadmap = {**ROADMAP, "items": [{**ROADMAP["items"][0], "activity": "Дело\x00\x07 важное"}]}
    for export, name in ((roadmap_to_xlsx, "o.xlsx"), (roadmap_to_docx, "o.docx")):
        assert read_roadmap(export(roadmap), name).items[0]["activity"] == "Дело важное"
