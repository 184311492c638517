"""Every XLSX the product writes goes through here: text from people is written as a
string, never as a live formula (OWASP CSV/formula injection: a value starting with
``= + - @`` or tab/CR gets a leading apostrophe), and characters XLSX cannot hold
(control characters, lone surrogates) are dropped instead of failing the export.
"""

from __future__ import annotations

import io
import re
from datetime import date, datetime

from openpyxl import Workbook

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_UNWRITABLE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def clean_text(value: str) -> str:
    return _UNWRITABLE.sub("", value)


def cell(value):
    """A value ready for a cell: numbers and dates as they are, everything else a safe string."""
    if value is None or isinstance(value, bool | int | float | date | datetime):
        return value
    text = clean_text(str(value))
    if text.startswith(FORMULA_START):
        text = "'" + text
    return text


def unneutralise(text: str) -> str:
    """Reading back our own export: «'=…» was written for «=…»."""
    if text.startswith("'") and text[1:2] and text[1] in "=+-@\t\r":
        return text[1:]
    return text


def row(values) -> list:
    return [cell(v) for v in values]


def save(workbook: Workbook) -> bytes:
    """Save after a last sweep: no cell of any sheet is left as a formula."""
    for sheet in workbook.worksheets:
        for line in sheet.iter_rows():
            for c in line:
                if c.data_type == "f" or (isinstance(c.value, str)
                                          and c.value.startswith(FORMULA_START)):
                    c.value = cell(c.value)
                if isinstance(c.value, str):
                    c.data_type = "s"
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


_DTD = re.compile(rb"<!\s*(DOCTYPE|ENTITY)", re.IGNORECASE)
_SHEET = re.compile(r"xl/worksheets/[^/]+\.xml$")
_CELL_WITH_FORMULA = re.compile(
    rb'<(?:\w+:)?c\b[^>]*?\br="([A-Z]{1,3}\d{1,7})"[^>]*?(?<!/)>(?:(?!</(?:\w+:)?c>).){0,2000}?'
    rb"<(?:\w+:)?f\b", re.DOTALL)


def upload_problem(data: bytes, *, max_unpacked: int = 50 * 1024 * 1024) -> str | None:
    """Why an uploaded XLSX is refused before any XML parser sees it, or None.

    A DTD (entity expansion, «billion laughs») in any part, a formula in any cell (its value
    would be whatever Excel last computed, or nothing), or a zip bomb.
    """
    import zipfile

    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        members = archive.infolist()
    except Exception:  # noqa: BLE001 - not a zip: the reader reports it in its own words
        return None
    if sum(m.file_size for m in members) > max_unpacked:
        return "Файл слишком велик после распаковки."
    for member in members:
        if not member.filename.endswith((".xml", ".rels", ".vml")):
            continue
        part = archive.read(member)
        if _DTD.search(part):
            return (f"Файл содержит объявление DTD/ENTITY (часть {member.filename}) — такие "
                    "файлы не принимаются: сохраните книгу заново в Excel или LibreOffice.")
        if _SHEET.search(member.filename):
            found = _CELL_WITH_FORMULA.search(part)
            if found:
                sheet = member.filename.rsplit("/", 1)[-1].removesuffix(".xml")
                return (f"Ячейка {found.group(1).decode()} ({sheet}) содержит формулу — "
                        "загрузите файл со значениями вместо формул.")
    return None
