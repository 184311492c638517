"""Recognising the header row of a roadmap table and of an indicators table.

Schools name the same columns differently («Сроки» / «Срок реализации», «Ответственный»
/ «Ответственные исполнители», «Результат» / «Вид документа») and order them freely, so
columns are matched by meaning (word stems), never by position.
"""

from __future__ import annotations

import re

ITEM_FIELDS = ("number", "activity", "deadline_text", "responsible_text", "result_text",
               "direction", "note")

FIELD_TITLES_RU = {
    "number": "№ п/п", "activity": "Мероприятие", "deadline_text": "Сроки",
    "responsible_text": "Ответственный", "result_text": "Результат",
    "direction": "Направление", "note": "Примечание",
}

_RULES: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("number", re.compile(r"^(?:№|n|no|номер)\s*(?:п\s*/\s*п|пп)?\.?$|^п\s*/\s*п$")),
    ("direction", re.compile(r"направлени")),
    ("note", re.compile(r"примечани|комментари")),
    ("deadline_text", re.compile(r"срок|^дата|период(?:ичность)? (?:исполнения|проведения)")),
    ("responsible_text", re.compile(r"ответствен|исполнител")),
    ("result_text", re.compile(r"результат|вид документа|документ|отчетност|продукт")),
    ("activity", re.compile(r"мероприяти|содержание|деятельност|наименование|действи|работ")),
)
_YEAR_HEADER = re.compile(r"^((?:19|20)\d\d)\s*(?:г\.?|год)?\s*$")


def _clean(text: str) -> str:
    return re.sub(r"\s+", " ", text.replace("ё", "е").replace("Ё", "Е")).strip().lower()


def match_item_header(cells: list[str]) -> dict[str, int] | None:
    """Map field name → column index if ``cells`` look like a roadmap header, else None."""
    found: dict[str, int] = {}
    for index, cell in enumerate(cells):
        text = _clean(cell)
        if not text or len(text) > 60:
            continue
        for name, rule in _RULES:
            if rule.search(text) and name not in found:
                found[name] = index
                break
    if "activity" not in found or "deadline_text" not in found:
        return None
    return found if len(found) >= 3 else None


def match_indicator_header(cells: list[str]) -> tuple[int, int | None, int | None,
                                                      dict[str, int]] | None:
    """Find (name column, number column, unit column, {year: column}) of an indicators table."""
    years: dict[str, int] = {}
    name_col = number_col = unit_col = None
    for index, cell in enumerate(cells):
        text = _clean(cell)
        year = _YEAR_HEADER.match(text)
        if year:
            years[year.group(1)] = index
        elif "показател" in text and name_col is None:
            name_col = index
        elif re.search(r"ед\.|единиц", text):
            unit_col = index
        elif re.match(r"^(?:№|n|no)\s*(?:п\s*/\s*п)?\.?$", text):
            number_col = index
    if name_col is None or not years:
        return None
    return name_col, number_col, unit_col, years


def is_column_numbering(cells: list[str]) -> bool:
    """A row «1 | 2 | 3 | 4 | 5» under a header just numbers the columns."""
    values = [c.strip().rstrip(".") for c in cells if c.strip()]
    return len(values) >= 3 and values == [str(i) for i in range(1, len(values) + 1)]
