"""XLSX sheets of the auditor's workspace, written row by row (openpyxl write-only mode) so an
export of many thousand events stays small in memory. Every text cell is a string cell —
a remark starting with «=» never becomes a formula — and control characters are dropped."""

from __future__ import annotations

import io
from collections.abc import Iterable, Sequence
from datetime import date, datetime

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Font


def safe_cell(sheet, value):
    if isinstance(value, datetime):
        value = value.replace(tzinfo=None)
    if value is None:
        value = ""
    if isinstance(value, str):
        cell = WriteOnlyCell(sheet, value=ILLEGAL_CHARACTERS_RE.sub("", value))
        cell.data_type = "s"  # never a formula, whatever the text starts with
        return cell
    if isinstance(value, (int, float, date)):
        return WriteOnlyCell(sheet, value=value)
    return safe_cell(sheet, str(value))


def write_sheet(title: str, headers: Sequence[str], rows: Iterable[Sequence]) -> bytes:
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title[:31])
    bold = []
    for header in headers:
        cell = safe_cell(sheet, header)
        cell.font = Font(bold=True)
        bold.append(cell)
    sheet.append(bold)
    for row in rows:
        sheet.append([safe_cell(sheet, value) for value in row])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
