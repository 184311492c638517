"""Reading the tables of a DOCX with python-docx, merged cells resolved.

Walks the raw ``w:tr``/``w:tc`` elements rather than ``row.cells`` because the latter
repeats a horizontally merged cell once per grid column and hides ``gridSpan``; here a
merged cell becomes one text plus empty covered columns, and a vertically continued
cell («vMerge») takes the text above it, as a reader of the printed table would.
"""

from __future__ import annotations

import io

from docx import Document
from docx.oxml.ns import qn
from docx.text.paragraph import Paragraph

from documents.roadmaps.grid import Grid, GridRow, clean_cell
from documents.roadmaps.model import MAX_ROWS, RoadmapFileError


def _cell_text(tc: object) -> str:
    return clean_cell("\n".join(Paragraph(p, None).text for p in tc.iter(qn("w:p"))))  # type: ignore[attr-defined]


def _int_attr(el: object, tag: str) -> int:
    node = el.find(qn(tag)) if el is not None else None  # type: ignore[attr-defined]
    value = node.get(qn("w:val")) if node is not None else None
    return int(value) if value and value.isdigit() else 0


def _table_rows(tbl: object) -> list[GridRow]:
    rows: list[GridRow] = []
    previous: list[str] = []
    for index, tr in enumerate(tbl.iterchildren(qn("w:tr")), start=1):  # type: ignore[attr-defined]
        col = _int_attr(tr.find(qn("w:trPr")), "w:gridBefore")
        cells: list[str] = [""] * col
        spans: list[int] = []
        for tc in tr.iterchildren(qn("w:tc")):
            tc_pr = tc.find(qn("w:tcPr"))
            span = max(1, _int_attr(tc_pr, "w:gridSpan"))
            v_merge = tc_pr.find(qn("w:vMerge")) if tc_pr is not None else None
            continued = v_merge is not None and v_merge.get(qn("w:val")) in (None, "continue")
            text = previous[col] if continued and col < len(previous) else _cell_text(tc)
            cells.extend([text] + [""] * (span - 1))
            spans.append(span)
            col += span
        filled = [c for c in cells if c]
        merged = len(spans) >= 1 and max(spans) >= 2 and len(filled) == 1
        rows.append(GridRow(number=index, cells=cells, merged=merged))
        previous = cells
    return rows


def read_docx_grids(data: bytes) -> list[Grid]:
    """Every top-level table of the document with the paragraphs standing above it."""
    try:
        document = Document(io.BytesIO(data))
    except Exception as exc:
        raise RoadmapFileError("Не удалось открыть файл DOCX: он повреждён или это не "
                               "документ Word.") from exc
    body = document.element.body
    if sum(1 for _ in body.iter(qn("w:tr"))) > MAX_ROWS:
        raise RoadmapFileError(f"В документе больше {MAX_ROWS} строк таблиц — такой файл "
                               "не загружается. Разделите дорожную карту на части.")
    grids: list[Grid] = []
    before: list[str] = []
    for child in body.iterchildren():
        if child.tag == qn("w:p"):
            text = clean_cell(Paragraph(child, None).text)
            if text:
                before.append(text)
        elif child.tag == qn("w:tbl"):
            grids.append(Grid(rows=_table_rows(child), before=before))
            before = []
    return grids
