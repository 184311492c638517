"""Build the seven built-in DOCX templates (python-docx + docxtpl tags), reproducibly.

Run: .venv/bin/python templates_docx/build_templates.py — rewrites templates_docx/*.docx.
The output is committed; re-run after changing a layout. Variable names come from
documents.docx.context (KIND_VARIABLES).
"""

from __future__ import annotations

import io
import sys
import zipfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import _parts as parts
from _blocks import (
    CENTER,
    JUSTIFY,
    add_row,
    cant_split,
    cell_text,
    new_document,
    new_section,
    para,
    repeat_header,
    table,
    tag,
)
from _roadmap import roadmap
from _slim import slim

FIXED_TIME = (2026, 1, 1, 0, 0, 0)


def order():
    doc = new_document("Приказ")
    parts.order_head(doc)
    parts.preamble(doc)
    parts.clauses(doc)
    parts.signature(doc)
    parts.visas(doc)
    parts.executor_mark(doc)
    parts.order_appendices(doc)
    parts.acquaintance(doc)  # the act's last sheet (api.md: the DOCX ends with it)
    return doc


def curator_order():
    doc = new_document("Приказ о назначении куратора")
    parts.order_head(doc)
    parts.preamble(
        doc,
        "В соответствии с распоряжением Министерства просвещения Российской "
        "Федерации от 25.12.2019 № Р-145 «Об утверждении методологии (целевой "
        "модели) наставничества обучающихся…», в целях внедрения целевой модели "
        "наставничества",
    )

    def duties(container):
        tag(container, "{%p if c.n == '2' %}")
        tag(container, "{%p for d in duties %}")
        para(container, "{{ d.n }}. {{ d.text }}", align=JUSTIFY, first_line=True)
        tag(container, "{%p endfor %}")
        tag(container, "{%p endif %}")

    parts.clauses(doc, after_clause=duties)
    parts.signature(doc)
    parts.visas(doc)
    parts.executor_mark(doc)
    parts.acquaintance(doc)
    return doc


#: Widths in mm: «№» fits «300» and its header without splitting, the term column fits
#: «01.09.2026 –» on one line and «31.05.2027» on the next (12 pt Times New Roman).
PAIR_COLUMNS = [
    ("№ п/п", 15),
    ("Наставник (Ф.И.О., должность)", 35),
    ("Наставляемый (Ф.И.О., класс / должность)", 33),
    ("Форма настав\u00adничества", 28),
    ("Ролевая модель", 32),
    ("Срок", 27),
]
LANDSCAPE_AFTER_COLUMNS = 6  # a wider table goes to a landscape section


def pair_order():
    doc = new_document("Приказ о закреплении наставнических пар")
    parts.order_head(doc)
    parts.preamble(
        doc,
        "В соответствии с Положением о наставничестве, на основании "
        "согласий наставников и наставляемых (их законных представителей)",
    )
    parts.clauses(doc)
    parts.signature(doc)
    parts.visas(doc)
    parts.executor_mark(doc)
    landscape = len(PAIR_COLUMNS) > LANDSCAPE_AFTER_COLUMNS
    if landscape:
        new_section(doc, landscape=True)
    parts.appendix_grif(doc, number="1", page_break=not landscape)
    para(doc, "Список наставнических пар (групп)", align=CENTER, bold=True, after=12,
         keep_next=True)
    widths = [w for _, w in PAIR_COLUMNS]
    if landscape:
        widths = [w * 257 / sum(widths) for w in widths]
    tbl = table(doc, widths)
    for cell, (title, _) in zip(tbl.rows[0].cells, PAIR_COLUMNS):
        cell_text(cell, title, bold=True, align=CENTER)
    repeat_header(tbl.rows[0])
    cant_split(tbl.rows[0])
    add_row(tbl, ["{%tr for p in pairs %}", "", "", "", "", ""])
    mentor = "{{ p.mentor_name }}{% if p.mentor_position %}, {{ p.mentor_position }}{% endif %}"
    row = add_row(
        tbl,
        [
            "{{ p.n }}",
            mentor,
            "{{ p.mentees }}{% if p.mentee_details %}, {{ p.mentee_details }}{% endif %}",
            "{{ p.form_title }}",
            "{{ p.role_model }}",
            "{{ p.start }}{% if p.end %}\u00a0–\n{{ p.end }}{% endif %}",
        ],
    )
    row.cells[0].paragraphs[0].alignment = CENTER
    row.cells[5].paragraphs[0].alignment = CENTER
    cant_split(row)
    add_row(tbl, ["{%tr endfor %}", "", "", "", "", ""])
    if landscape:
        new_section(doc, landscape=False)
    parts.acquaintance(doc, page_break=not landscape)  # the act's last sheet
    return doc


def _act(title: str):
    doc = new_document(title)
    parts.org_header(doc)
    para(doc, "", after=12)
    parts.approval_grifs(doc)
    parts.act_title(doc)
    return doc


def regulation():
    doc = _act("Положение о наставничестве")
    parts.sections(doc)
    return doc


MEASURE_COLUMNS = [("№ п/п", 17), ("Мера поощрения", 50), ("Вид", 35), ("Описание, условия", 68)]


def incentive_scheme():
    doc = _act("Положение о мотивации наставников")
    parts.sections(doc)
    tag(doc, "{%p if measures %}")
    para(
        doc,
        "{{ sections|length + 1 }}. Меры поощрения наставников",
        align=CENTER,
        bold=True,
        before=12,
        after=6,
        keep_next=True,
    )
    tbl = table(doc, [w for _, w in MEASURE_COLUMNS])
    for cell, (title, _) in zip(tbl.rows[0].cells, MEASURE_COLUMNS):
        cell_text(cell, title, bold=True, align=CENTER)
    repeat_header(tbl.rows[0])
    add_row(tbl, ["{%tr for m in measures %}", "", "", ""])
    row = add_row(tbl, ["{{ m.n }}", "{{ m.title }}", "{{ m.kind_text }}", "{{ m.description }}"])
    row.cells[0].paragraphs[0].alignment = CENTER
    cant_split(row)
    add_row(tbl, ["{%tr endfor %}", "", "", ""])
    tag(doc, "{%p endif %}")
    return doc


def programme():
    doc = _act("Программа наставничества")
    para(doc, "Паспорт программы", align=CENTER, bold=True, after=6)
    tbl = table(doc, [55, 115])
    cell_text(tbl.cell(0, 0), "Форма наставничества")
    cell_text(tbl.cell(0, 1), "{{ programme.form }}")
    add_row(tbl, ["Сроки реализации", "{{ programme.period }}"])
    row = add_row(tbl, ["Цели и задачи", ""])
    goals = row.cells[1]
    cell_text(goals, "{%p for goal in programme.goals %}")
    cell_text(goals, "{{ goal }}", first=False)
    cell_text(goals, "{%p endfor %}", first=False)
    cell_text(goals, "{%p if not programme.goals %}", first=False)  # a cell keeps a paragraph
    cell_text(goals, "—", first=False)
    cell_text(goals, "{%p endif %}", first=False)
    para(doc, "", after=6)
    parts.sections(doc)
    return doc


BUILDERS = {
    "order": order,
    "curator_order": curator_order,
    "pair_order": pair_order,
    "regulation": regulation,
    "incentive_scheme": incentive_scheme,
    "programme": programme,
    "roadmap": roadmap,
}


def _normalise(data: bytes) -> bytes:
    """Rewrite the zip slimmed (_slim.py) and with fixed timestamps, so rebuilding gives
    identical bytes."""
    with zipfile.ZipFile(io.BytesIO(data)) as src:
        files = slim({name: src.read(name) for name in src.namelist()})
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for name in sorted(files, key=lambda n: (n != "[Content_Types].xml", n)):
            member = zipfile.ZipInfo(name, FIXED_TIME)
            member.compress_type = zipfile.ZIP_DEFLATED
            dst.writestr(member, files[name])
    return out.getvalue()


def build(kind: str) -> bytes:
    doc = BUILDERS[kind]()
    props = doc.core_properties
    import datetime as dt

    stamp = dt.datetime(*FIXED_TIME)
    props.created = props.modified = stamp
    props.last_printed = stamp
    props.revision = 1
    raw = io.BytesIO()
    doc.save(raw)
    return _normalise(raw.getvalue())


def main() -> None:
    for kind in BUILDERS:
        path = HERE / f"{kind}.docx"
        path.write_bytes(build(kind))
        print(f"{path.name}: {path.stat().st_size} bytes")


if __name__ == "__main__":
    main()
