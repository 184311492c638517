"""The municipal roadmap's item × school matrix as XLSX (cells coloured like the page)."""

from __future__ import annotations

import io

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill

FILLS = {"done": "C6EFCE", "in_progress": "FFEB9C", "overdue": "FFC7CE", "planned": "E7E6E6",
         "missing": "E7E6E6"}


def progress_to_xlsx(view: dict, status_ru: dict[str, str]) -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.title = "Исполнение"
    schools = view["schools"]
    ws.append([view["title"]])
    ws["A1"].font = Font(bold=True)
    ws.append(["№", "Мероприятие", "Срок", *[s["name"] for s in schools], "Выполнено", "Всего"])
    for cell in ws[2]:
        cell.font = Font(bold=True)
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    fills = {k: PatternFill("solid", fgColor=v) for k, v in FILLS.items()}
    blank = PatternFill("solid", fgColor="FFFFFF")
    row_no = ws.max_row
    for item in view["items"]:
        due = item["due"] or ""
        if due:
            y, m, d = due.split("-")
            due = f"{d}.{m}.{y}"
        row = [item["number"], item["activity"], due]
        row += [status_ru.get(c["status"], "не назначено") for c in item["schools"]]
        ws.append([*row, item["done"], item["total"]])
        row_no += 1
        for n, c in enumerate(item["schools"]):
            ws.cell(row=row_no, column=4 + n).fill = fills.get(c["status"], blank)
    ws.append(["", "Выполнено школой", "", *[f"{s['done']} из {s['total']}" for s in schools]])
    ws.column_dimensions["B"].width = 60
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()
