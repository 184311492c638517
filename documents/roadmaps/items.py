"""Turning the rows under a roadmap header into sections, items and warnings.

Reads rows the way a curator does: a merged row or a row with a one-level number and
nothing but a title opens a section (its «Задача:» / «Результат:» lines belong to it);
a numbered row is an item; an unnumbered row continues the item above (a table broken
across pages). Anything it cannot place becomes a warning naming the row and the cell;
contradictions are reported, never fixed silently and never a reason to reject the file.
"""

from __future__ import annotations

import re

from documents.roadmaps.grid import GridRow
from documents.roadmaps.headers import FIELD_TITLES_RU, ITEM_FIELDS, is_column_numbering
from documents.roadmaps.model import ItemRow, SectionRow, WarningRow

_ITEM_NUMBER = re.compile(r"^(\d+(?:\s*\.\s*\d+)*)\s*\.?$")
_LEADING_NUMBER = re.compile(r"^(\d+(?:\.\d+)*)\.?\s+(\S.*)$", re.DOTALL)
_SECTION_HEAD = re.compile(r"^(?:раздел\s+)?([IVXLC]+|\d+)(?:\s*\.)?\s+(\S.*)$", re.DOTALL | re.IGNORECASE)
_TASK = re.compile(r"^(задач[аи]|цель)\s*:?\s*", re.IGNORECASE)
_RESULT = re.compile(r"^((?:ожидаемый |планируемый )?результат[ы]?)\s*:?\s*", re.IGNORECASE)
_ROMAN = {"I": 1, "V": 5, "X": 10, "L": 50, "C": 100}


def _roman(text: str) -> str:
    if text.isdigit():
        return str(int(text))
    total, last = 0, 0
    for ch in reversed(text.upper()):
        value = _ROMAN.get(ch, 0)
        total, last = (total - value, last) if value < last else (total + value, value)
    return str(total)


class ItemCollector:
    """Accumulates one roadmap table row by row; ``columns`` maps field → cell index."""

    def __init__(self, columns: dict[str, int], header_cells: list[str]) -> None:
        self.columns = columns
        self.header_cells = header_cells
        self.sections: list[SectionRow] = []
        self.items: list[ItemRow] = []
        self.warnings: list[WarningRow] = []
        self._seen: set[str] = set()

    def _cell(self, row: GridRow, name: str) -> str:
        index = self.columns.get(name)
        return row.cells[index] if index is not None and index < len(row.cells) else ""

    def _warn(self, row: GridRow, field: str | None, message: str) -> None:
        where = f"Строка {row.number}"
        if field is not None:
            index = self.columns.get(field)
            title = (self.header_cells[index] if index is not None and index < len(
                self.header_cells) else "") or FIELD_TITLES_RU[field]
            where += f", столбец «{title}»"
        self.warnings.append({"row": row.number, "message": f"{where}: {message}"})

    def add(self, row: GridRow) -> None:
        """Classify one row and record it; never raises for odd content."""
        values = [c for c in row.cells if c]
        if not values or is_column_numbering(row.cells):
            return
        if self._section_row(row, values):
            return
        number_text = self._cell(row, "number")
        fields = {name: self._cell(row, name) for name in ITEM_FIELDS if name != "number"}
        if "number" not in self.columns:
            head = _LEADING_NUMBER.match(fields["activity"])
            number_text, fields["activity"] = (head.group(1), head.group(2)) if head else (
                "", fields["activity"])
            if not number_text:
                number_text = str(len(self.items) + 1)
        match = _ITEM_NUMBER.match(number_text)
        if match is None:
            head = _LEADING_NUMBER.match(number_text)
            if head and not fields["activity"]:
                match, fields["activity"] = _ITEM_NUMBER.match(head.group(1)), head.group(2)
        if match is None:
            self._continuation(row, number_text, fields)
            return
        self._item(row, re.sub(r"\s+", "", match.group(1)), fields)

    def _section_row(self, row: GridRow, values: list[str]) -> bool:
        number = self._cell(row, "number").rstrip(". ")
        others = [self._cell(row, f) for f in ("deadline_text", "responsible_text", "result_text")]
        if row.merged and len(set(values)) == 1:
            text = values[0]
        elif re.fullmatch(r"\d+|[IVXLC]+", number) and not any(others) and len(
                set(rest := self._others(row))) == 1:
            text = f"{number} {rest[0]}"
        else:
            return False
        lines = text.split("\n")
        if _TASK.match(lines[0]) or _RESULT.match(lines[0]):
            if self.sections:
                self._section_extras(self.sections[-1], lines)
                return True
            self._warn(row, None, "строка «Задача»/«Результат» стоит до первого раздела — "
                                  "пропущена.")
            return True
        head = _SECTION_HEAD.match(lines[0])
        number, title = (_roman(head.group(1)), head.group(2)) if head else (
            str(len(self.sections) + 1), lines[0])
        section: SectionRow = {"number": number, "title": title.strip(), "task": "",
                               "result": ""}
        self._section_extras(section, lines[1:])
        if any(s["number"] == number for s in self.sections):
            self._warn(row, None, f"раздел {number} встречается повторно.")
        self.sections.append(section)
        return True

    def _others(self, row: GridRow) -> list[str]:
        """Non-empty cells other than the number: a section row has exactly one text."""
        skip = self.columns.get("number")
        return [c for i, c in enumerate(row.cells) if c and i != skip]

    @staticmethod
    def _section_extras(section: SectionRow, lines: list[str]) -> None:
        target = "title"
        for line in lines:
            if _TASK.match(line):
                target, line = "task", _TASK.sub("", line, count=1)
            elif _RESULT.match(line):
                target, line = "result", _RESULT.sub("", line, count=1)
            if line:
                joined = f"{section[target]} {line}".strip()  # type: ignore[literal-required]
                section[target] = joined  # type: ignore[literal-required]

    def _item(self, row: GridRow, number: str, fields: dict[str, str]) -> None:
        section = self.sections[-1]["number"] if self.sections else number.split(".")[0]
        if self.sections and "." in number and number.split(".")[0] != section:
            self._warn(row, "number", f"пункт {number} стоит в разделе {section}.")
        if number in self._seen:
            self._warn(row, "number", f"номер пункта {number} повторяется.")
        self._seen.add(number)
        if not fields["activity"]:
            self._warn(row, "activity", f"у пункта {number} не указано мероприятие.")
        item: ItemRow = {
            "number": number, "section": section, "activity": fields["activity"],
            "deadline_text": " ".join(fields["deadline_text"].split()),
            "responsible_text": fields["responsible_text"], "result_text": fields["result_text"],
            "direction": fields["direction"], "note": fields["note"], "row": row.number,
        }
        self.items.append(item)

    def _continuation(self, row: GridRow, number_text: str, fields: dict[str, str]) -> None:
        if number_text:
            self._warn(row, "number", f"не удалось прочитать номер пункта «{number_text}» — "
                                      "строка пропущена.")
            return
        if not self.items:
            self._warn(row, "number", "строка без номера стоит до первого пункта — пропущена.")
            return
        item = self.items[-1]
        for name, value in fields.items():
            if value:
                sep = " " if name == "deadline_text" else "\n"
                joined = f"{item[name]}{sep}{value}".strip()  # type: ignore[literal-required]
                item[name] = joined  # type: ignore[literal-required]
        self._warn(row, "number", f"строка без номера присоединена к пункту {item['number']}.")
