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
    para,
    table,
    tag,
)
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
    "{{ c.n }}. {{ c.text }}{% if c.executor %} Ответственный: {{ c.executor }}."
    "{% endif %}{% if c.term %} Срок: {{ c.term }}.{% endif %}"
)


def clauses(doc, after_clause=None) -> None:
    """Numbered clauses with executor and term, then the control clause."""
    tag(doc, "{%p for c in clauses %}")
    para(doc, CLAUSE, align=JUSTIFY, first_line=True)
    if after_clause:
        after_clause(doc)
    tag(doc, "{%p endfor %}")
    para(doc, "{{ control_clause.n }}. {{ control_clause.text }}", align=JUSTIFY, first_line=True)


def signature(doc, width: float = TEXT_WIDTH) -> None:
    """Position on the left, «И.О. Фамилия» on the right."""
    para(doc, "", after=30)
    sig = table(doc, [width * 0.6, width * 0.4], grid=False)
    cell_text(sig.cell(0, 0), "{{ signer.position }}", align=LEFT)
    cell_text(sig.cell(0, 1), "{{ signer.short }}", align=RIGHT)


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


def acquaintance(doc, what: str = "С приказом ознакомлены:") -> None:
    """«С приказом ознакомлены:» — name, signature line, date."""
    tag(doc, "{%p if acquaintance %}")
    para(doc, what, before=24, after=6, keep_next=True)
    tbl = table(doc, [62, 36, 72], grid=False)
    cell_text(tbl.cell(0, 0), "{%tr for a in acquaintance %}")
    row = add_row(tbl, ["{{ a.short }}", "____________", "«___» __________ 20___ г."])
    for cell in row.cells:
        cell.paragraphs[0].paragraph_format.space_before = Pt(6)
    cant_split(row)
    add_row(tbl, ["{%tr endfor %}", "", ""])
    tag(doc, "{%p endif %}")


def appendix_grif(doc, number: str = "{{ a.n }}", page_break: bool = True) -> None:
    """«Приложение N к приказу … от … № …» in the right half of the first appendix page."""
    para(doc, f"Приложение {number}", left_mm=GRIF_INDENT, page_break=page_break)
    para(doc, "к приказу {{ org.short_name }}", left_mm=GRIF_INDENT)
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
