"""A file-format-neutral view of a table: rows of cell texts with their source row numbers.

DOCX and XLSX disagree on merged cells (python-docx repeats a merged cell in every grid
column it covers, openpyxl leaves covered cells empty); both readers turn that into one
shape: the text in the first covered column, empty strings after it, ``merged`` set.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field


@dataclass
class GridRow:
    """One source row: 1-based ``number`` in the source, cell texts, merged-across flag."""

    number: int
    cells: list[str]
    merged: bool = False


@dataclass
class Grid:
    """A DOCX table or an XLSX sheet, with the text lines that stand above it."""

    rows: list[GridRow] = field(default_factory=list)
    before: list[str] = field(default_factory=list)


def clean_cell(text: str) -> str:
    """Trim every line, drop empty lines, collapse runs of spaces; keep line breaks."""
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\u00a0", " ")
    lines = (re.sub(r"[ \t\u2002\u2003\u2009\u202f]+", " ", ln).strip() for ln in text.split("\n"))
    return "\n".join(ln for ln in lines if ln)
