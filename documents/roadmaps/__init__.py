"""Roadmap tables: reading a school's DOCX/XLSX roadmap and exporting one back.

See :func:`read_roadmap` (import) and :func:`roadmap_to_xlsx` / :func:`roadmap_to_docx`
(export). Deadline phrases are kept as text here; reading them is ``workflow``'s job.
"""

from documents.roadmaps.model import (
    MAX_BYTES,
    MAX_ROWS,
    IndicatorRow,
    ItemRow,
    ParsedRoadmap,
    RoadmapFileError,
    SectionRow,
    WarningRow,
)
from documents.roadmaps.reader import read_roadmap

__all__ = [
    "MAX_BYTES", "MAX_ROWS", "IndicatorRow", "ItemRow", "ParsedRoadmap", "RoadmapFileError",
    "SectionRow", "WarningRow", "read_roadmap",
]
