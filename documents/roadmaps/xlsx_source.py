"""Reading the sheets of an XLSX with openpyxl in read-only (streaming) mode.

Read-only mode keeps memory flat for big workbooks but does not expose merged ranges,
so those are taken from the sheet XML directly: a horizontal merge marks a section row,
a vertical merge repeats its value down, as in the printed table.
"""

from __future__ import annotations

import io
import re
import zipfile
from datetime import date, datetime

from openpyxl import load_workbook
from openpyxl.utils.cell import range_boundaries

from documents.roadmaps.grid import Grid, GridRow, clean_cell
from documents.roadmaps.model import MAX_ROWS, RoadmapFileError
from documents.xlsx_safe import unneutralise

_MERGE = re.compile(rb'<(?:\w+:)?mergeCell\s+ref="([A-Z]+\d+:[A-Z]+\d+)"')


def _text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime | date):
        return value.strftime("%d.%m.%Y")
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return clean_cell(unneutralise(str(value)))


def _merges(archive: zipfile.ZipFile, path: str | None) -> list[tuple[int, int, int, int]]:
    if not path:
        return []
    try:
        xml = archive.read(path.lstrip("/"))
    except KeyError:
        return []
    return [range_boundaries(ref.decode()) for ref in _MERGE.findall(xml)]  # type: ignore[misc]


def read_xlsx_grids(data: bytes) -> list[Grid]:
    """Each worksheet as one grid; text above a table is found later by the header scan."""
    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        archive = zipfile.ZipFile(io.BytesIO(data))
    except Exception as exc:
        raise RoadmapFileError("Не удалось открыть файл XLSX: он повреждён или это не "
                               "книга Excel.") from exc
    grids: list[Grid] = []
    total = 0
    try:
        for sheet in workbook.worksheets:
            rows: list[GridRow] = []
            for number, values in enumerate(sheet.iter_rows(values_only=True), start=1):
                total += 1
                if total > MAX_ROWS:
                    raise RoadmapFileError(f"В книге больше {MAX_ROWS} строк — такой файл не "
                                           "загружается. Разделите дорожную карту на части.")
                rows.append(GridRow(number=number, cells=[_text(v) for v in values]))
            _apply_merges(rows, _merges(archive, getattr(sheet, "_worksheet_path", None)))
            grids.append(Grid(rows=rows))
    finally:
        workbook.close()
    return grids


def _apply_merges(rows: list[GridRow], merges: list[tuple[int, int, int, int]]) -> None:
    by_number = {row.number: row for row in rows}
    for min_col, min_row, max_col, max_row in merges:
        top = by_number.get(min_row)
        if top is None:
            continue
        if max_col > min_col and sum(1 for c in top.cells if c) == 1:
            top.merged = True
        value = top.cells[min_col - 1] if min_col - 1 < len(top.cells) else ""
        for number in range(min_row + 1, max_row + 1):
            row = by_number.get(number)
            if row is not None and min_col - 1 < len(row.cells) and not row.cells[min_col - 1]:
                row.cells[min_col - 1] = value
