"""The municipality's информационно-аналитический отчёт (DOCX) and the compliance matrix
(XLSX), both from plain data (the dict the compliance service returns), never ORM objects."""

from __future__ import annotations

import io
from datetime import date

from docx import Document as DocxDocument
from docx.enum.section import WD_ORIENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Cm, Pt
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from documents import xlsx_safe

DONE = frozenset({"signed", "under_municipal_review", "accepted"})
STATE_SHORT = {
    "draft": "черновик", "on_approval": "на утверждении", "approved": "утверждён",
    "signed": "подписан", "under_municipal_review": "на проверке", "accepted": "принят",
    "returned": "возвращён", "cancelled": "отменён",
}


def _ru_date(iso: str | None) -> str:
    if not iso:
        return ""
    return date.fromisoformat(iso[:10]).strftime("%d.%m.%Y")


def _cell_text(point: dict | None) -> str:
    if not point:
        return "нет"
    text = STATE_SHORT.get(point["state"], point["state"])
    if point.get("registration_number"):
        text += f", № {point['registration_number']} от {_ru_date(point.get('signed_at'))}"
    return text


def _fmt(value) -> str:
    if value is None:
        return "—"
    return f"{value:.1f}".replace(".", ",").replace(",0", "") if isinstance(value, float) \
        else str(value)


def compliance_xlsx(report: dict, checkpoint_titles: dict[str, str]) -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.title = "Контрольные точки"
    ws.append(xlsx_safe.row([f"Мониторинг внедрения системы наставничества: {report.get('name', '')}"]))
    ws["A1"].font = Font(bold=True, size=12)
    summary = (f"На {_ru_date(report.get('date'))}: реализуют {report['schools_implementing']} "
               f"из {report['schools_total']} ОО, N = {_fmt(report['share_percent'])} %")
    ws.append([summary])
    ws.append([])
    header = ["№", "Образовательная организация", "Реализует", *checkpoint_titles.values(),
              "Просрочено пунктов ДК"]
    ws.append(header)
    for cell in ws[4]:
        cell.font = Font(bold=True)
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    green = PatternFill("solid", fgColor="D9EAD3")
    red = PatternFill("solid", fgColor="F4CCCC")
    for n, s in enumerate(report["schools"], start=1):
        ws.append(xlsx_safe.row([n, s["name"], "да" if s["implementing"] else "нет",
                   *[_cell_text(s["checkpoints"].get(k)) for k in checkpoint_titles],
                   s["overdue_items"]]))
        row = ws.max_row
        for i, k in enumerate(checkpoint_titles, start=4):
            point = s["checkpoints"].get(k)
            ws.cell(row, i).fill = green if point and point["state"] in DONE else red
    for i, width in enumerate([5, 50, 10] + [22] * len(checkpoint_titles) + [12], start=1):
        ws.column_dimensions[get_column_letter(i)].width = width
    ws.freeze_panes = "C5"
    return xlsx_safe.save(wb)


def _cell(cell, text: str, bold: bool = False, size: int = 10) -> None:
    cell.text = ""
    run = cell.paragraphs[0].add_run(xlsx_safe.clean_text(text))
    run.bold, run.font.size = bold, Pt(size)


def analytical_report_docx(report: dict, checkpoint_titles: dict[str, str],
                           period: str, founder: str = "") -> bytes:
    """A short информационно-аналитический отчёт: title, period, the share, a table per
    school, indicators (targets vs actuals)."""
    doc = DocxDocument()
    section = doc.sections[0]
    section.orientation = WD_ORIENT.LANDSCAPE
    section.page_width, section.page_height = section.page_height, section.page_width
    for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
        setattr(section, side, Cm(2))
    style = doc.styles["Normal"]
    style.font.name, style.font.size = "Times New Roman", Pt(12)

    def para(text: str, bold=False, center=False, size=12):
        p = doc.add_paragraph()
        run = p.add_run(xlsx_safe.clean_text(text))
        run.bold, run.font.size = bold, Pt(size)
        if center:
            p.alignment = WD_ALIGN_PARAGRAPH.CENTER
        return p

    if founder:
        para(founder, center=True, size=11)
    para(report.get("name", ""), bold=True, center=True)
    para("ИНФОРМАЦИОННО-АНАЛИТИЧЕСКИЙ ОТЧЁТ", bold=True, center=True, size=14)
    para("о реализации системы (целевой модели) наставничества в общеобразовательных "
         "организациях", center=True)
    para(f"Отчётный период: {period}. Дата формирования: {_ru_date(report.get('date'))}.")
    a, b = report["schools_implementing"], report["schools_total"]
    para("1. Доля образовательных организаций, реализующих систему наставничества", bold=True)
    para("Образовательная организация признаётся реализующей систему наставничества при "
         "наличии документов, утверждающих положение о наставничестве.")
    para(f"N = A / B × 100 % = {a} / {b} × 100 % = {_fmt(report['share_percent'])} %, где "
         f"A = {a} — число ОО с утверждённым положением, B = {b} — общее число ОО.")
    para("2. Контрольные точки мониторинга по образовательным организациям", bold=True)
    titles = list(checkpoint_titles.values())
    table = doc.add_table(rows=1, cols=3 + len(titles) + 1)
    table.style = "Table Grid"
    for cell, text in zip(table.rows[0].cells, ["№", "ОО", "Реализует", *titles,
                                                 "Просрочено"]):
        _cell(cell, text, bold=True, size=9)
    for n, s in enumerate(report["schools"], start=1):
        cells = table.add_row().cells
        values = [str(n), s.get("short_name") or s["name"],
                  "да" if s["implementing"] else "нет",
                  *[_cell_text(s["checkpoints"].get(k)) for k in checkpoint_titles],
                  str(s["overdue_items"])]
        for cell, text in zip(cells, values):
            _cell(cell, text, size=9)
    indicators = report.get("indicators") or []
    para("")
    para("3. Показатели эффективности (целевые и фактические значения)", bold=True)
    if indicators:
        t = doc.add_table(rows=1, cols=4)
        t.style = "Table Grid"
        for cell, text in zip(t.rows[0].cells, ["Показатель", "Ед.", "План", "Факт"]):
            _cell(cell, text, bold=True)
        for ind in indicators:
            cells = t.add_row().cells
            for cell, text in zip(cells, [ind["name"], ind.get("unit") or "",
                                          _fmt(ind.get("target")), _fmt(ind.get("actual"))]):
                _cell(cell, text)
    else:
        para("Показатели не заданы.")
    para("")
    overdue = sum(s["overdue_items"] for s in report["schools"])
    lagging = [s.get("short_name") or s["name"] for s in report["schools"]
               if not s["implementing"]]
    execution = report.get("roadmap_execution") or []
    para("4. Исполнение муниципальной дорожной карты по образовательным организациям",
         bold=True)
    if not execution:
        para("Муниципальная дорожная карта не загружена или в ней нет мероприятий, "
             "выполняемых образовательными организациями.")
    for rm in execution:
        para(f"«{rm['title']}»: мероприятий, выполняемых ОО, — {rm['items_total']}, "
             f"выполнено всеми ОО — {rm['items_done']}.")
        t = doc.add_table(rows=1, cols=5)
        t.style = "Table Grid"
        for cell, text in zip(t.rows[0].cells, ["№", "ОО", "Выполнено (отчёт принят)",
                                                 "Назначено", "Просрочено"]):
            _cell(cell, text, bold=True, size=9)
        for n, school in enumerate(rm["schools"], start=1):
            cells = t.add_row().cells
            for cell, text in zip(cells, [str(n), school["name"], str(school["done"]),
                                          str(school["total"]), str(school["overdue"])]):
                _cell(cell, text, size=9)
        para("")
    para("5. Выводы", bold=True)
    para(f"Систему наставничества реализуют {a} из {b} ОО ({_fmt(report['share_percent'])} %). "
         f"Просроченных мероприятий дорожных карт: {overdue}."
         + (f" Не утвердили положение о наставничестве: {', '.join(lagging[:30])}"
            + (" и др." if len(lagging) > 30 else "") + "." if lagging else ""))
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()
