"""Requisite blocks of ГОСТ Р 7.0.97-2025 shared by the built-in templates.

Each function appends python-docx content holding docxtpl/Jinja tags; the variable
names are those of documents.docx.context.
"""

from __future__ import annotations

from _blocks import (
    CENTER,
    JUSTIFY,
    LEFT,
    RIGHT,
    add_row,
    cant_split,
    cell_text,
    keep_rows_together,
    para,
    repeat_header,
    table,
    tag,
)
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt

TEXT_WIDTH = 170  # mm: A4 portrait minus 30 + 10 mm margins
GRIF_INDENT = 95  # mm: approval / appendix grifs sit in the right half


def org_header(doc) -> None:
    """Founder above the organisation's full name, then its short name."""
    tag(doc, "{%p if org.founder %}")
    para(doc, "{{ org.founder }}", align=CENTER)
    tag(doc, "{%p endif %}")
    para(doc, "{{ org.name }}", align=CENTER, bold=True, before=6)
    tag(doc, "{%p if org.short_name and org.short_name != org.name %}")
    para(doc, "({{ org.short_name }})", align=CENTER)
    tag(doc, "{%p endif %}")


def order_head(doc) -> None:
    """ПРИКАЗ, the date and number on one line, the place, the heading."""
    org_header(doc)
    para(
        doc, "{{ kind_title }}", align=CENTER, bold=True, before=18, after=12, size=16, spaced=True
    )
    line = table(doc, [85, 85], grid=False)
    cell_text(line.cell(0, 0), "{{ doc.date }}", align=LEFT)
    cell_text(line.cell(0, 1), "№ {{ doc.number }}", align=RIGHT)
    para(doc, "{{ org.place }}", align=CENTER, before=6, after=18)
    para(doc, "{{ heading }}", bold=True, after=18, keep_next=True)


def preamble(doc, default: str = "") -> None:
    tag(doc, "{%p for text in preamble %}")
    para(doc, "{{ text }}", align=JUSTIFY, first_line=True)
    tag(doc, "{%p endfor %}")
    if default:
        tag(doc, "{%p if not preamble %}")
        para(doc, default, align=JUSTIFY, first_line=True)
        tag(doc, "{%p endif %}")
    para(doc, "ПРИКАЗЫВАЮ:", before=12, after=6, keep_next=True)


CLAUSE = (
    "{{ c.n }}. {{ c.text }}{% if c.executor %} Ответственный: {{ c.executor }}"
    "{% if c.executor[-1:] != '.' %}.{% endif %}{% endif %}"
    "{% if c.term %} Срок: {{ c.term }}{% if c.term[-1:] != '.' %}.{% endif %}{% endif %}"
)


def clauses(doc, after_clause=None) -> None:
    """Numbered clauses with executor and term, then the control clause."""
    tag(doc, "{%p for c in clauses %}")
    para(doc, CLAUSE, align=JUSTIFY, first_line=True)
    if after_clause:
        after_clause(doc)
    tag(doc, "{%p endfor %}")
    # The last clause never stays alone above a signature moved to the next page.
    para(doc, "{{ control_clause.n }}. {{ control_clause.text }}", align=JUSTIFY, first_line=True,
         keep_next=True)


def signature(doc, width: float = TEXT_WIDTH) -> None:
    """Position on the left, «И. О. Фамилия» on the right."""
    para(doc, "", after=30, keep_next=True)
    sig = table(doc, [width * 0.6, width * 0.4], grid=False)
    cell_text(sig.cell(0, 0), "{{ signer.position }}", align=LEFT)
    cell_text(sig.cell(0, 1), "{{ signer.short }}", align=RIGHT)
    cant_split(sig.rows[0])


def executor_mark(doc) -> None:
    """Отметка об исполнителе: full name and phone of the author, 10 pt, in a frame at the
    bottom left of the page the order ends on (ГОСТ Р 7.0.97-2025, requisite 27)."""
    tag(doc, "{%p if executor.name %}")
    for text in ("{{ executor.name }}", "{%p if executor.phone %}", "{{ executor.phone }}",
                 "{%p endif %}"):
        if text.startswith("{%"):
            tag(doc, text)
            continue
        paragraph = para(doc, text, size=10)
        frame = OxmlElement("w:framePr")
        for attr, value in (("w:w", "4536"), ("w:wrap", "around"), ("w:vAnchor", "margin"),
                            ("w:hAnchor", "margin"), ("w:xAlign", "left"),
                            ("w:yAlign", "bottom")):
            frame.set(qn(attr), value)
        ppr = paragraph._p.get_or_add_pPr()
        ppr.insert(0, frame)
    # An ordinary paragraph after the frame: LibreOffice anchors a frame to the paragraph
    # that follows it, which must stay on the order's last page.
    para(doc, "", size=2)
    tag(doc, "{%p endif %}")


def visas(doc) -> None:
    """Visas of those who agreed the draft: position, outcome and date, name."""
    tag(doc, "{%p if visas %}")
    para(doc, "СОГЛАСОВАНО:", before=24, after=6, keep_next=True)
    tbl = table(doc, [75, 55, 40], grid=False)
    cell_text(tbl.cell(0, 0), "{%tr for v in visas %}")
    row = add_row(tbl, ["{{ v.position }}", "", "{{ v.short }}"])
    cell = row.cells[1]
    cell_text(cell, "{{ v.outcome_text }}{% if v.date %} {{ v.date }}{% endif %}")
    cell_text(cell, "{% if v.comment %}Замечания: {{ v.comment }}{% endif %}", first=False)
    row.cells[2].paragraphs[0].alignment = RIGHT
    cant_split(row)
    row = add_row(tbl, ["{%tr endfor %}", "", ""])
    tag(doc, "{%p endif %}")


ACQUAINTANCE_COLUMNS = [("№ п/п", 17), ("Фамилия, инициалы", 48), ("Должность", 51),
                        ("Дата", 27), ("Подпись", 27)]


def acquaintance(doc, page_break: bool = True) -> None:
    """«Лист ознакомления» on a page of its own, the act's last (after its appendices): №,
    ФИО, должность, дата, подпись. Dates are filled for those who confirmed in the system;
    the last rows keep with each other so no row is left alone on a page."""
    tag(doc, "{%p if acquaintance %}")
    para(doc, "ЛИСТ ОЗНАКОМЛЕНИЯ", align=CENTER, bold=True, page_break=page_break,
         keep_next=True)
    para(doc, "с приказом {{ doc.registration }}", align=CENTER, keep_next=True)
    para(doc, "«{{ heading }}»", align=CENTER, after=12, keep_next=True)
    tbl = table(doc, [w for _, w in ACQUAINTANCE_COLUMNS])
    for cell, (title, _) in zip(tbl.rows[0].cells, ACQUAINTANCE_COLUMNS):
        cell_text(cell, title, bold=True, align=CENTER)
    repeat_header(tbl.rows[0])
    cant_split(tbl.rows[0])
    blank = ["", "", "", ""]
    for control in ("{%tr for a in acquaintance %}", "{%tr if a.keep %}"):
        add_row(tbl, [control, *blank])
    cells = ["{{ a.n }}", "{{ a.short }}", "{{ a.position }}", "{{ a.date }}", ""]
    for keep in (True, False):
        row = add_row(tbl, cells)
        row.cells[0].paragraphs[0].alignment = CENTER
        row.cells[3].paragraphs[0].alignment = CENTER
        for cell in row.cells:
            cell.paragraphs[0].paragraph_format.space_before = Pt(6)
            cell.paragraphs[0].paragraph_format.space_after = Pt(6)
        cant_split(row)
        if keep:
            keep_rows_together(row)
            add_row(tbl, ["{%tr else %}", *blank])
    for control in ("{%tr endif %}", "{%tr endfor %}"):
        add_row(tbl, [control, *blank])
    tag(doc, "{%p endif %}")


def appendix_grif(doc, number: str = "{{ a.n }}", page_break: bool = True) -> None:
    """«Приложение № N / к приказу / от … № …» in the right half of the first appendix page."""
    para(doc, f"Приложение № {number}", left_mm=GRIF_INDENT, page_break=page_break)
    para(doc, "к приказу", left_mm=GRIF_INDENT)
    para(doc, "{{ doc.registration }}", left_mm=GRIF_INDENT, after=18)


def order_appendices(doc) -> None:
    tag(doc, "{%p for a in appendices %}")
    appendix_grif(doc)
    para(doc, "{{ a.title }}", align=CENTER, bold=True, after=12)
    tag(doc, "{%p for text in a.paragraphs %}")
    para(doc, "{{ text }}", align=JUSTIFY, first_line=True)
    tag(doc, "{%p endfor %}")
    tag(doc, "{%p endfor %}")


def approval_grifs(doc, width: float = TEXT_WIDTH) -> None:
    """РАССМОТРЕНО / С учётом мнения / СОГЛАСОВАНО on the left (from the route the act went
    through), УТВЕРЖДЕНО приказом … or УТВЕРЖДАЮ on the right (documents.docx.grifs)."""
    grifs = table(doc, [width / 2, width / 2], grid=False)
    left, right = grifs.cell(0, 0), grifs.cell(0, 1)
    cell_text(left, "{%p for g in grifs_left %}")
    cell_text(left, "{{ g.word }}", first=False)
    cell_text(left, "{%p for line in g.lines %}", first=False)
    cell_text(left, "{{ line }}", first=False)
    cell_text(left, "{%p endfor %}", first=False)
    cell_text(left, "", first=False)
    cell_text(left, "{%p endfor %}", first=False)
    # A table cell must keep at least one paragraph, or Word reports the file as damaged.
    cell_text(left, "{%p if not grifs_left %}", first=False)
    cell_text(left, "", first=False)
    cell_text(left, "{%p endif %}", first=False)
    for paragraph in left.paragraphs:
        paragraph.paragraph_format.right_indent = Mm(10)
    approval_lines(right)
    para(doc, "", after=12)


def approval_lines(cell) -> None:
    cell_text(cell, "{{ approval.word }}")
    cell_text(cell, "{%p for line in approval.lines %}", first=False)
    cell_text(cell, "{{ line }}", first=False)
    cell_text(cell, "{%p endfor %}", first=False)


def act_title(doc) -> None:
    """ПОЛОЖЕНИЕ / ПРОГРАММА, then the heading «о …» and the place."""
    para(doc, "{{ kind_title }}", align=CENTER, bold=True, before=12, size=16, spaced=True)
    para(doc, "{{ heading }}", align=CENTER, bold=True, after=6)
    para(doc, "{{ org.place }}", align=CENTER, after=18)


def sections(doc) -> None:
    """Numbered sections; each paragraph of user text becomes a paragraph."""
    tag(doc, "{%p for s in sections %}")
    para(
        doc, "{{ s.n }}. {{ s.title }}", align=CENTER, bold=True, before=12, after=6, keep_next=True
    )
    tag(doc, "{%p for text in s.paragraphs %}")
    para(doc, "{{ text }}", align=JUSTIFY, first_line=True)
    tag(doc, "{%p endfor %}")
    tag(doc, "{%p endfor %}")
