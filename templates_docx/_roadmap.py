"""Layout of the roadmap template: landscape table with section rows and indicators."""

from __future__ import annotations

import _parts as parts
from _blocks import (
    CENTER,
    add_row,
    cant_split,
    cell_text,
    new_document,
    para,
    repeat_header,
    table,
    tag,
)

ROADMAP_COLUMNS = [
    ("№ п/п", 16),
    ("Мероприятие", 95),
    ("Сроки", 38),
    ("Ответственный", 45),
    ("Результат", 63),
]


def roadmap():
    doc = new_document("Дорожная карта", landscape=True)
    width = sum(w for _, w in ROADMAP_COLUMNS)
    parts.org_header(doc)
    para(doc, "", after=12)
    for text in (
        "{{ approval.word }}",
        "{%p for line in approval.lines %}",
        "{{ line }}",
        "{%p endfor %}",
    ):
        para(doc, text, left_mm=width - 85)
    para(doc, "{{ kind_title }}", align=CENTER, bold=True, before=18, size=16, spaced=True)
    para(doc, "{{ heading }}", align=CENTER, bold=True)
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
    cant_split(section)
    # A section title never stays alone at the bottom of a page.
    for paragraph in section.cells[0].paragraphs:
        paragraph.paragraph_format.keep_with_next = True
    add_row(tbl, ["{%tr else %}", *blank[1:]])
    item = add_row(
        tbl,
        [
            "{{ row.number }}",
            "{{ row.activity }}",
            "{{ row.deadline }}",
            "{{ row.responsible }}",
            "{{ row.result }}",
        ],
    )
    cant_split(item)
    for control in ("{%tr endif %}", "{%tr endfor %}"):
        add_row(tbl, [control, *blank[1:]])
    _indicators(doc, width)
    return doc


def _indicators(doc, width: float) -> None:
    tag(doc, "{%p if roadmap.indicators %}")
    para(doc, "Целевые показатели", align=CENTER, bold=True, before=18, after=6, keep_next=True)
    tbl = table(doc, [16, 150, 30, 20, 20, 20])
    heads = [
        "№ п/п",
        "Показатель",
        "Ед. изм.",
        "{%tc for y in roadmap.years %}",
        "{{ y }}",
        "{%tc endfor %}",
    ]
    for cell, title in zip(tbl.rows[0].cells, heads):
        cell_text(cell, title, bold=True, align=CENTER)
    repeat_header(tbl.rows[0])
    add_row(tbl, ["{%tr for i in roadmap.indicators %}", "", "", "", "", ""])
    row = add_row(
        tbl,
        [
            "{{ i.n }}",
            "{{ i.name }}",
            "{{ i.unit }}",
            "{%tc for v in i.targets %}",
            "{{ v }}",
            "{%tc endfor %}",
        ],
    )
    for cell in row.cells[2:]:
        cell.paragraphs[0].alignment = CENTER
    cant_split(row)
    add_row(tbl, ["{%tr endfor %}", "", "", "", "", ""])
    tag(doc, "{%p endif %}")
