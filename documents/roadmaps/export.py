"""Exporting a stored roadmap to the XLSX and DOCX tables schools keep and print.

The layout mirrors what :func:`documents.roadmaps.read_roadmap` expects (a title above,
one header row, a bold merged row per section), so an exported file can be edited by
hand and imported again without losing items. Cell text is written as plain text:
control characters are dropped and a leading «=» never becomes an Excel formula.
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterator
from datetime import date
from typing import Any

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Cm, Pt
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font

from documents import xlsx_safe

HEADERS = ("№ п/п", "Мероприятие", "Сроки", "Ответственный", "Результат", "Статус")
_ITEM_KEYS = ("number", "activity", "deadline_text", "responsible_text", "result_text", "status")
_WIDTHS_XLSX = (8, 60, 22, 26, 40, 16)
_WIDTHS_DOCX_CM = (1.5, 9.0, 3.5, 4.0, 6.0, 2.5)
_STATUS_RU = {
    "planned": "запланировано", "in_progress": "выполняется", "done": "выполнено",
    "overdue": "просрочено", "cancelled": "отменено", "not_started": "не начато",
}
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, date):
        return value.strftime("%d.%m.%Y")
    return _CONTROL.sub("", str(value))


def _day(value: Any) -> str:
    text = _text(value)
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
        return date.fromisoformat(text).strftime("%d.%m.%Y")
    return text


def _period_line(roadmap: dict[str, Any]) -> str:
    start, end = _day(roadmap.get("period_start")), _day(roadmap.get("period_end"))
    return f"Период реализации: {start} – {end}" if start or end else ""


def _rows(roadmap: dict[str, Any]) -> Iterator[tuple[str, list[str]]]:
    """Yield ("section", [text]) and ("item", cells) in reading order, grouped by section."""
    items = list(roadmap.get("items") or [])
    sections = list(roadmap.get("sections") or [])
    known = {str(s.get("number", "")) for s in sections}
    for section in sections:
        number = str(section.get("number", ""))
        yield "section", [f"{_text(number)}. {_text(section.get('title'))}".strip(". ")]
        for item in items:
            if str(item.get("section", "")) == number:
                yield "item", _item_cells(item)
    for item in items:
        if str(item.get("section", "")) not in known:
            yield "item", _item_cells(item)


def _item_cells(item: dict[str, Any]) -> list[str]:
    cells = [_text(item.get(key)) for key in _ITEM_KEYS]
    cells[-1] = _STATUS_RU.get(cells[-1], cells[-1])
    return cells


def roadmap_to_xlsx(roadmap: dict[str, Any]) -> bytes:
    """One sheet: title, period, header, then section rows and their items."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Дорожная карта"
    wrap = Alignment(wrap_text=True, vertical="top")
    last_col = len(HEADERS)
    lines = [line for line in (_text(roadmap.get("title")), _period_line(roadmap)) if line]
    for line in lines:
        sheet.append(xlsx_safe.row([line]))
        sheet.cell(row=sheet.max_row, column=1).font = Font(bold=True, size=12)
    sheet.append(list(HEADERS))
    header_row = sheet.max_row
    for col in range(1, last_col + 1):
        sheet.cell(row=header_row, column=col).font = Font(bold=True)
        sheet.cell(row=header_row, column=col).alignment = wrap
    for kind, cells in _rows(roadmap):
        row = sheet.max_row + 1
        for col, value in enumerate(cells, start=1):
            cell = sheet.cell(row=row, column=col, value=xlsx_safe.cell(value))
            cell.alignment = wrap
        if kind == "section":
            sheet.merge_cells(start_row=row, start_column=1, end_row=row, end_column=last_col)
            sheet.cell(row=row, column=1).font = Font(bold=True)
    for index, width in enumerate(_WIDTHS_XLSX, start=1):
        sheet.column_dimensions[chr(64 + index)].width = width
    sheet.freeze_panes = sheet.cell(row=header_row + 1, column=1)
    return xlsx_safe.save(workbook)


def _bold_text(cell: Any, text: str) -> None:
    cell.text = xlsx_safe.clean_text(text)
    for run in cell.paragraphs[0].runs:
        run.bold = True


def roadmap_to_docx(roadmap: dict[str, Any]) -> bytes:
    """A landscape A4 document: centred bold title, period line, a bordered table."""
    document = Document()
    section = document.sections[0]
    section.orientation = WD_ORIENT.LANDSCAPE
    section.page_width, section.page_height = section.page_height, section.page_width
    for margin in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
        setattr(section, margin, Cm(1.5))
    for line, bold in ((_text(roadmap.get("title")), True), (_period_line(roadmap), False)):
        if line:
            paragraph = document.add_paragraph()
            paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
            run = paragraph.add_run(xlsx_safe.clean_text(line))
            run.bold, run.font.size = bold, Pt(13 if bold else 11)
    table = document.add_table(rows=1, cols=len(HEADERS))
    table.style = "Table Grid"
    for cell, title in zip(table.rows[0].cells, HEADERS):
        _bold_text(cell, title)
    for kind, cells in _rows(roadmap):
        row = table.add_row()
        if kind == "section":
            _bold_text(row.cells[0].merge(row.cells[-1]), cells[0])
            continue
        for cell, value in zip(row.cells, cells):
            cell.text = xlsx_safe.clean_text(value)
    for row in table.rows:
        for cell, width in zip(row.cells, _WIDTHS_DOCX_CM):
            cell.width = Cm(width)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()
