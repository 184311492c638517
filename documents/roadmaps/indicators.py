"""The second table of a roadmap: indicators (KPIs) with a target per year.

Values stay strings exactly as written («100», «не менее 20», «60%») because schools
mix numbers and words; interpreting them belongs to the KPI module, not the importer.
"""

from __future__ import annotations

import re

from documents.roadmaps.grid import GridRow
from documents.roadmaps.model import IndicatorRow, WarningRow

_UNIT_IN_NAME = re.compile(r",\s*(%|чел\.?|ед\.?|шт\.?|человек|единиц)(?=\s|\(|$)")


def read_indicators(rows: list[GridRow], layout: tuple[int, int | None, int | None,
                                                       dict[str, int]]
                    ) -> tuple[list[IndicatorRow], list[WarningRow]]:
    """Read indicator rows until the table ends; rows without a name become warnings."""
    name_col, number_col, unit_col, years = layout
    indicators: list[IndicatorRow] = []
    warnings: list[WarningRow] = []

    def cell(row: GridRow, index: int | None) -> str:
        return row.cells[index] if index is not None and index < len(row.cells) else ""

    for row in rows:
        if not any(row.cells):
            continue
        name = cell(row, name_col)
        targets = {year: cell(row, col) for year, col in years.items()}
        if not name:
            if any(targets.values()):
                warnings.append({"row": row.number, "message": f"Строка {row.number}, столбец "
                                 "«Наименование показателя»: у значений нет названия показателя "
                                 "— строка пропущена."})
            continue
        unit = cell(row, unit_col)
        if not unit:
            found = _UNIT_IN_NAME.search(name)
            unit = found.group(1) if found else ""
        indicators.append({"number": cell(row, number_col).rstrip("."), "name": name,
                           "unit": unit, "targets": targets})
    return indicators, warnings
