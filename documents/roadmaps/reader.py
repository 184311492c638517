"""``read_roadmap``: a school's roadmap file (DOCX or XLSX) into a :class:`ParsedRoadmap`.

The format is decided by the content (a ZIP with ``word/`` or ``xl/``), not trusted from
the name, and size limits are checked before any parsing, so that a renamed or hostile
upload fails fast with a Russian message instead of a traceback or a half import.
"""

from __future__ import annotations

import io
import zipfile

from documents.roadmaps.docx_source import read_docx_grids
from documents.roadmaps.grid import Grid, GridRow
from documents.roadmaps.headers import match_indicator_header, match_item_header
from documents.roadmaps.indicators import read_indicators
from documents.roadmaps.items import ItemCollector
from documents.roadmaps.model import (
    MAX_BYTES,
    MAX_UNPACKED_BYTES,
    ParsedRoadmap,
    RoadmapFileError,
)
from documents.roadmaps.xlsx_source import read_xlsx_grids
from documents.xlsx_safe import upload_problem

_OLD_FORMATS = {"doc": "DOCX", "xls": "XLSX", "rtf": "DOCX", "odt": "DOCX", "ods": "XLSX"}


def _sniff(data: bytes, filename: str) -> str:
    extension = filename.rsplit(".", 1)[-1].lower() if "." in filename else ""
    if len(data) > MAX_BYTES:
        raise RoadmapFileError(f"Файл «{filename}» больше 10 МБ — такой файл не загружается.")
    if not data.startswith(b"PK"):
        if extension in _OLD_FORMATS:
            raise RoadmapFileError(f"Формат .{extension} не поддерживается: сохраните файл "
                                   f"«{filename}» как {_OLD_FORMATS[extension]}.")
        raise RoadmapFileError(f"Файл «{filename}» не является документом DOCX или XLSX.")
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = set(archive.namelist())
            unpacked = sum(info.file_size for info in archive.infolist())
    except zipfile.BadZipFile as exc:
        raise RoadmapFileError(f"Файл «{filename}» повреждён: не удалось его открыть.") from exc
    if unpacked > MAX_UNPACKED_BYTES:
        raise RoadmapFileError(f"Файл «{filename}» слишком велик после распаковки — такой "
                               "файл не загружается.")
    if "word/document.xml" in names:
        return "docx"
    if "xl/workbook.xml" in names:
        return "xlsx"
    raise RoadmapFileError(f"Файл «{filename}» не является документом DOCX или XLSX.")


def read_roadmap(data: bytes, filename: str) -> ParsedRoadmap:
    """Parse a roadmap; raise :class:`RoadmapFileError` when nothing can be imported.

    Row-level problems end up in ``warnings``; any unexpected failure is turned into a
    ``RoadmapFileError`` so that the caller never stores a partially read roadmap.
    """
    kind = _sniff(data, filename)
    problem = upload_problem(data)
    if problem:
        raise RoadmapFileError(problem)
    grids = read_docx_grids(data) if kind == "docx" else read_xlsx_grids(data)
    try:
        result = _assemble(grids)
    except RoadmapFileError:
        raise
    except Exception as exc:
        raise RoadmapFileError(f"Не удалось разобрать таблицу в файле «{filename}».") from exc
    if result is None:
        raise RoadmapFileError(f"В файле «{filename}» не найдена таблица дорожной карты: "
                               "нужна строка заголовков со столбцами «Мероприятие» и «Сроки».")
    if not result.items:
        raise RoadmapFileError(f"В таблице дорожной карты в файле «{filename}» нет ни одного "
                               "пункта.")
    return result


def _assemble(grids: list[Grid]) -> ParsedRoadmap | None:
    roadmap: ParsedRoadmap | None = None
    collector: ItemCollector | None = None
    for grid in grids:
        continues = collector is not None
        pending: list[GridRow] = []
        mode = "items" if continues else "before"
        indicator_rows: list[GridRow] = []
        layout = None
        for row in grid.rows:
            header = match_item_header(row.cells)
            if header is not None:
                if collector is None:
                    roadmap = ParsedRoadmap(columns=[c for c in row.cells if c])
                    roadmap.title = " ".join(grid.before + [_line(r) for r in pending]).strip()
                    collector = ItemCollector(header, row.cells)
                mode = "items"
                continue
            indicator = match_indicator_header(row.cells)
            if indicator is not None:
                _flush_indicators(roadmap, indicator_rows, layout)
                indicator_rows, layout, mode = [], indicator, "indicators"
                continue
            if mode == "items" and collector is not None:
                collector.add(row)
            elif mode == "indicators":
                indicator_rows.append(row)
            else:
                pending.append(row)
        _flush_indicators(roadmap, indicator_rows, layout)
    if roadmap is None or collector is None:
        return None
    roadmap.sections, roadmap.items = collector.sections, collector.items
    roadmap.warnings = sorted(collector.warnings + roadmap.warnings, key=lambda w: w["row"])
    return roadmap


def _line(row: GridRow) -> str:
    return " ".join(c for c in row.cells if c)


def _flush_indicators(roadmap: ParsedRoadmap | None, rows: list[GridRow], layout: object) -> None:
    if roadmap is None or layout is None or not rows:
        return
    indicators, warnings = read_indicators(rows, layout)  # type: ignore[arg-type]
    roadmap.indicators.extend(indicators)
    roadmap.warnings.extend(warnings)
