"""What a roadmap import produces, in plain types the web layer can serialise directly.

Rows are TypedDicts rather than classes so that the API, the database layer and the
tests all see ordinary dicts and lists; :class:`ParsedRoadmap` only groups them.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass, field
from typing import Any, TypedDict

MAX_BYTES = 10 * 1024 * 1024
MAX_ROWS = 5000
MAX_UNPACKED_BYTES = 100 * 1024 * 1024


class RoadmapFileError(ValueError):
    """The file cannot be imported at all; ``message`` is Russian text for people."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class SectionRow(TypedDict):
    number: str
    title: str
    task: str
    result: str


class ItemRow(TypedDict):
    number: str
    section: str
    activity: str
    deadline_text: str
    responsible_text: str
    result_text: str
    direction: str
    note: str
    row: int


class IndicatorRow(TypedDict):
    number: str
    name: str
    unit: str
    targets: dict[str, str]


class WarningRow(TypedDict):
    row: int
    message: str


@dataclass
class ParsedRoadmap:
    """A roadmap table as found in the file, before anything is stored.

    ``row`` numbers are 1-based rows of the source: the table row in a DOCX (the
    header row is 1), the worksheet row in an XLSX — what a person sees when they
    open the file to fix the row a warning names.
    """

    title: str = ""
    columns: list[str] = field(default_factory=list)
    sections: list[SectionRow] = field(default_factory=list)
    items: list[ItemRow] = field(default_factory=list)
    indicators: list[IndicatorRow] = field(default_factory=list)
    warnings: list[WarningRow] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        """Return a deep, JSON-ready copy (callers may mutate it freely)."""
        return copy.deepcopy({
            "title": self.title,
            "columns": self.columns,
            "sections": self.sections,
            "items": self.items,
            "indicators": self.indicators,
            "warnings": self.warnings,
        })
