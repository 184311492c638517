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

from _blocks import (  # noqa: E402
    CENTER, JUSTIFY, add_row, cell_text, new_document, para, repeat_header, table, tag,
)
import _parts as parts  # noqa: E402

FIXED_TIME = (2026, 1, 1, 0, 0, 0)


def order():
    doc = new_document("Приказ")
    parts.order_head(doc)
    parts.preamble(doc)
    parts.clauses(doc)
    parts.signature(doc)
    parts.visas(doc)
    parts.acquaintance(doc)
    parts.order_appendices(doc)
    return doc


def curator_order():
    doc = new_document("Приказ о назначении куратора")
    parts.order_head(doc)
    parts.preamble(doc, "В соответствии с распоряжением Министерства просвещения Российской "
                        "Федерации от 25.12.2019 № Р-145 «Об утверждении методологии (целевой "
                        "модели) наставничества обучающихся…», в целях внедрения целевой модели "
                        "наставничества")

    def duties(container):
        tag(container, "{%p if c.n == '2' %}")
        tag(container, "{%p for d in duties %}")
        para(container, "{{ d.n }}. {{ d.text }}", align=JUSTIFY, first_line=True)
        tag(container, "{%p endfor %}")
        tag(container, "{%p endif %}")

    parts.clauses(doc, after_clause=duties)
    parts.signature(doc)
    parts.visas(doc)
    parts.acquaintance(doc)
    return doc


PAIR_COLUMNS = [
    ("№ п/п", 10), ("Наставник (Ф.И.О., должность)", 36),
    ("Наставляемый (Ф.И.О., класс / должность)", 35), ("Форма наставничества", 33),
    ("Ролевая модель", 32), ("Срок", 24),
]


def pair_order():
    doc = new_document("Приказ о закреплении наставнических пар")
    parts.order_head(doc)
    parts.preamble(doc, "В соответствии с Положением о наставничестве, на основании "
                        "согласий наставников и наставляемых (их законных представителей)")
    parts.clauses(doc)
    parts.signature(doc)
    parts.visas(doc)
    parts.acquaintance(doc)
    parts.appendix_grif(doc, number="1")
    para(doc, "Список наставнических пар (групп)", align=CENTER, bold=True, after=12)
    tbl = table(doc, [w for _, w in PAIR_COLUMNS], align_center=True)
    for cell, (title, _) in zip(tbl.rows[0].cells, PAIR_COLUMNS):
        cell_text(cell, title, bold=True, align=CENTER)
    repeat_header(tbl.rows[0])
    add_row(tbl, ["{%tr for p in pairs %}", "", "", "", "", ""])
    add_row(tbl, ["{{ p.n }}", "{{ p.mentor_name }}{% if p.mentor_position %}, "
                  "{{ p.mentor_position }}{% endif %}",
                  "{{ p.mentees }}{% if p.mentee_details %}, {{ p.mentee_details }}{% endif %}",
                  "{{ p.form_title }}", "{{ p.role_model }}", "{{ p.period }}"])
    add_row(tbl, ["{%tr endfor %}", "", "", "", "", ""])
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


MEASURE_COLUMNS = [("№ п/п", 12), ("Мера поощрения", 55), ("Вид", 35), ("Описание, условия", 68)]


def incentive_scheme():
    doc = _act("Положение о мотивации наставников")
    parts.sections(doc)
    tag(doc, "{%p if measures %}")
    para(doc, "{{ sections|length + 1 }}. Меры поощрения наставников", align=CENTER,
         bold=True, before=12, after=6, keep_next=True)
    tbl = table(doc, [w for _, w in MEASURE_COLUMNS])
    for cell, (title, _) in zip(tbl.rows[0].cells, MEASURE_COLUMNS):
        cell_text(cell, title, bold=True, align=CENTER)
    repeat_header(tbl.rows[0])
    add_row(tbl, ["{%tr for m in measures %}", "", "", ""])
    add_row(tbl, ["{{ m.n }}", "{{ m.title }}", "{{ m.kind_text }}", "{{ m.description }}"])
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
    para(doc, "", after=6)
    parts.sections(doc)
    return doc


ROADMAP_COLUMNS = [("№ п/п", 16), ("Мероприятие", 95), ("Сроки", 38),
                   ("Ответственный", 45), ("Результат", 63)]


def roadmap():
    doc = new_document("Дорожная карта", landscape=True)
    width = sum(w for _, w in ROADMAP_COLUMNS)
    for text in ("{{ approval.word }}", "{{ approval.by }}",
                 "от {{ approval.date }} № {{ approval.number }}"):
        para(doc, text, left_mm=width - 85)
    para(doc, "{{ kind_title }}", align=CENTER, bold=True, before=18, size=16, spaced=True)
    para(doc, "{{ heading }}", align=CENTER, bold=True)
    para(doc, "{{ org.name }}", align=CENTER)
    tag(doc, "{%p if roadmap.years_text %}")
    para(doc, "на {{ roadmap.years_text }} ({{ roadmap.period }})", align=CENTER)
    tag(doc, "{%p endif %}")
    para(doc, "", after=12)
    tbl = table(doc, [w for _, w in ROADMAP_COLUMNS])
    for cell, (title, _) in zip(tbl.rows[0].cells, ROADMAP_COLUMNS):
        cell_text(cell, title, bold=True, align=CENTER)
    repeat_header(tbl.rows[0])
    blank = ["", "", "", "", ""]
    for control in ("{%tr for row in roadmap.rows %}", "{%tr if row.is_section %}"):
        add_row(tbl, [control, *blank[1:]])
    section = add_row(tbl, ["{{ row.number }}. {{ row.title }}", *blank[1:]], bold=True)
    section.cells[0].merge(section.cells[-1])
    add_row(tbl, ["{%tr else %}", *blank[1:]])
    add_row(tbl, ["{{ row.number }}", "{{ row.activity }}", "{{ row.deadline }}",
                  "{{ row.responsible }}", "{{ row.result }}"])
    for control in ("{%tr endif %}", "{%tr endfor %}"):
        add_row(tbl, [control, *blank[1:]])
    _indicators(doc, width)
    return doc


def _indicators(doc, width: float) -> None:
    tag(doc, "{%p if roadmap.indicators %}")
    para(doc, "Целевые показатели", align=CENTER, bold=True, before=18, after=6,
         keep_next=True)
    tbl = table(doc, [16, 150, 30, 20, 20, 20])
    heads = ["№ п/п", "Показатель", "Ед. изм.", "{%tc for y in roadmap.years %}",
             "{{ y }}", "{%tc endfor %}"]
    for cell, title in zip(tbl.rows[0].cells, heads):
        cell_text(cell, title, bold=True, align=CENTER)
    repeat_header(tbl.rows[0])
    add_row(tbl, ["{%tr for i in roadmap.indicators %}", "", "", "", "", ""])
    row = add_row(tbl, ["{{ i.n }}", "{{ i.name }}", "{{ i.unit }}",
                        "{%tc for v in i.targets %}", "{{ v }}", "{%tc endfor %}"])
    for cell in row.cells[2:]:
        cell.paragraphs[0].alignment = CENTER
    add_row(tbl, ["{%tr endfor %}", "", "", "", "", ""])
    tag(doc, "{%p endif %}")


BUILDERS = {
    "order": order, "curator_order": curator_order, "pair_order": pair_order,
    "regulation": regulation, "incentive_scheme": incentive_scheme,
    "programme": programme, "roadmap": roadmap,
}


def _normalise(data: bytes) -> bytes:
    """Rewrite the zip with fixed timestamps so rebuilding gives identical bytes."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, \
            zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in sorted(src.infolist(), key=lambda i: (i.filename != "[Content_Types].xml",
                                                         i.filename)):
            member = zipfile.ZipInfo(info.filename, FIXED_TIME)
            member.compress_type = zipfile.ZIP_DEFLATED
            dst.writestr(member, src.read(info.filename))
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
