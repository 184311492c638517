"""python-docx primitives for the built-in templates: page, fonts, paragraphs, tables.

Kept apart from the per-kind layouts so every template shares one typography
(ГОСТ Р 7.0.97-2025: Times New Roman 14, 12 in tables; A4, margins 20/10/20/30 mm).
"""

from __future__ import annotations

import sys
from pathlib import Path

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from documents.docx.typography import typo

FONT = "Times New Roman"
BODY_PT = 14
TABLE_PT = 12
FIRST_LINE = Mm(12.5)
CENTER, LEFT, RIGHT, JUSTIFY = (
    WD_ALIGN_PARAGRAPH.CENTER,
    WD_ALIGN_PARAGRAPH.LEFT,
    WD_ALIGN_PARAGRAPH.RIGHT,
    WD_ALIGN_PARAGRAPH.JUSTIFY,
)


def _fonts(style, size: int) -> None:
    style.font.name = FONT
    style.font.size = Pt(size)
    rpr = style.element.get_or_add_rPr()
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        rpr.insert(0, fonts)
    for attr in ("w:ascii", "w:hAnsi", "w:cs", "w:eastAsia"):
        fonts.set(qn(attr), FONT)


def new_document(title: str, landscape: bool = False) -> Document:
    """An empty A4 document with the house styles and page setup."""
    doc = Document()
    normal = doc.styles["Normal"]
    _fonts(normal, BODY_PT)
    normal.paragraph_format.space_after = Pt(0)
    normal.paragraph_format.space_before = Pt(0)
    normal.paragraph_format.line_spacing = 1.0
    table_text = doc.styles.add_style("Table Text", WD_STYLE_TYPE.PARAGRAPH)
    table_text.base_style = normal
    _fonts(table_text, TABLE_PT)
    # Names, dates and terms in narrow columns break only between words, never hyphenated
    # («Констан-тиновна» looks machine-made); long header words carry soft hyphens.
    ppr = table_text.element.get_or_add_pPr()
    ppr.append(OxmlElement("w:suppressAutoHyphens"))
    # Requisites laid out in borderless tables (grifs, signatures): never hyphenated either.
    requisite = doc.styles.add_style("Requisite", WD_STYLE_TYPE.PARAGRAPH)
    requisite.base_style = normal
    requisite.element.get_or_add_pPr().append(OxmlElement("w:suppressAutoHyphens"))
    section = doc.sections[0]
    width, height = Mm(210), Mm(297)
    if landscape:
        section.orientation = WD_ORIENT.LANDSCAPE
        width, height = height, width
    section.page_width, section.page_height = width, height
    section.top_margin, section.bottom_margin = Mm(20), Mm(20)
    section.left_margin, section.right_margin = Mm(30), Mm(10)
    section.header_distance, section.footer_distance = Mm(10), Mm(10)
    props = doc.core_properties
    props.title, props.author, props.comments = title, "Наставник", ""
    props.last_modified_by, props.keywords, props.subject = "Наставник", "", ""
    _headers(doc)
    _russian(doc)
    return doc


LANG = "ru-RU"


def _russian(doc: Document) -> None:
    """Russian as the language of every style (Word checks spelling in Russian and
    hyphenates by Russian rules) and automatic hyphenation on; compatibility mode 15 so a
    table's borders, not its text, sit on the margins."""
    styles = doc.styles.element
    for lang in styles.iter(qn("w:lang")):
        for attr in ("w:val", "w:eastAsia"):
            lang.set(qn(attr), LANG)
    for style in styles.iter(qn("w:style")):
        rpr = style.find(qn("w:rPr"))
        if rpr is None:
            rpr = OxmlElement("w:rPr")
            style.append(rpr)
        if rpr.find(qn("w:lang")) is None:
            lang = OxmlElement("w:lang")
            lang.set(qn("w:val"), LANG)
            lang.set(qn("w:eastAsia"), LANG)
            rpr.append(lang)
    settings = doc.settings.element
    for name in ("w:autoHyphenation", "w:consecutiveHyphenLimit", "w:hyphenationZone"):
        for old in settings.findall(qn(name)):
            settings.remove(old)
    hyphen = OxmlElement("w:autoHyphenation")
    hyphen.set(qn("w:val"), "true")
    limit = OxmlElement("w:consecutiveHyphenLimit")
    limit.set(qn("w:val"), "2")
    zone = OxmlElement("w:hyphenationZone")
    zone.set(qn("w:val"), "357")
    # Schema order: after w:defaultTabStop (or at the start of the settings).
    anchor = settings.find(qn("w:defaultTabStop"))
    index = list(settings).index(anchor) + 1 if anchor is not None else 0
    for offset, el in enumerate((hyphen, limit, zone)):
        settings.insert(index + offset, el)
    for setting in settings.iter(qn("w:compatSetting")):
        if setting.get(qn("w:name")) == "compatibilityMode":
            setting.set(qn("w:val"), "15")


def _headers(doc: Document) -> None:
    """Draft mark on every page; page number centred at the top from page 2 (ГОСТ)."""
    section = doc.sections[0]
    section.different_first_page_header_footer = True
    first = section.first_page_header.paragraphs[0]
    first.alignment = RIGHT
    _run(first, "{{ doc.mark }}", bold=True)
    other = section.header.paragraphs[0]
    other.alignment = CENTER
    _page_field(other)
    mark = section.header.add_paragraph()
    mark.alignment = RIGHT
    _run(mark, "{{ doc.mark }}", bold=True)


def _page_field(paragraph) -> None:
    for kind, text in (("begin", None), (None, " PAGE "), ("end", None)):
        run = paragraph.add_run()
        if kind:
            fld = OxmlElement("w:fldChar")
            fld.set(qn("w:fldCharType"), kind)
            run._r.append(fld)
        else:
            instr = OxmlElement("w:instrText")
            instr.set(qn("xml:space"), "preserve")
            instr.text = text
            run._r.append(instr)
        run.font.size = Pt(TABLE_PT)


def _run(paragraph, text: str, bold: bool = False, size: int | None = None, italic: bool = False):
    if not text.lstrip().startswith("{%"):  # static text is typeset like the field values
        text = typo(text)
    run = paragraph.add_run(text)
    run.bold = bold or None
    run.italic = italic or None
    if size:
        run.font.size = Pt(size)
    return run


def para(
    container,
    text: str = "",
    *,
    align=None,
    bold: bool = False,
    first_line: bool = False,
    left_mm: float | None = None,
    before: int = 0,
    after: int = 0,
    page_break: bool = False,
    keep_next: bool = False,
    size: int | None = None,
    spaced: bool = False,
):
    """Add a paragraph to a document or table cell."""
    paragraph = container.add_paragraph()
    fmt = paragraph.paragraph_format
    if align is not None:
        paragraph.alignment = align
    if first_line:
        fmt.first_line_indent = FIRST_LINE
    if left_mm is not None:
        fmt.left_indent = Mm(left_mm)
    fmt.space_before, fmt.space_after = Pt(before), Pt(after)
    fmt.page_break_before = page_break or None
    fmt.keep_with_next = keep_next or None
    if text:
        run = _run(paragraph, text, bold=bold, size=size)
        if spaced:
            spacing = OxmlElement("w:spacing")
            spacing.set(qn("w:val"), "60")
            run._r.get_or_add_rPr().append(spacing)
    return paragraph


def tag(container, text: str):
    """A paragraph holding only a docxtpl `{%p … %}` tag (removed at render time)."""
    return para(container, text)


def table(
    doc, widths_mm: list[float], rows: int = 1, grid: bool = True, align_center: bool = False
):
    """A table with fixed column widths; `grid` tables use 12 pt text and borders."""
    tbl = doc.add_table(rows=rows, cols=len(widths_mm))
    if grid:
        tbl.style = doc.styles["Table Grid"]
    tbl.autofit = False
    tbl.alignment = WD_TABLE_ALIGNMENT.CENTER if align_center else WD_TABLE_ALIGNMENT.LEFT
    for row in tbl.rows:
        for cell, width in zip(row.cells, widths_mm):
            cell.width = Mm(width)
    for col, width in zip(tbl.columns, widths_mm):
        col.width = Mm(width)
    if grid:
        for row in tbl.rows:
            for cell in row.cells:
                cell.paragraphs[0].style = doc.styles["Table Text"]
        _cell_margins(tbl, CELL_MARGIN_TWIPS)
    else:
        for row in tbl.rows:
            for cell in row.cells:
                cell.paragraphs[0].style = doc.styles["Requisite"]
    return tbl


CELL_MARGIN_TWIPS = 57  # 1 mm on the left and right of a cell's text


def _cell_margins(tbl, twips: int) -> None:
    tblpr = tbl._tbl.tblPr
    margins = OxmlElement("w:tblCellMar")
    for side in ("left", "right"):
        el = OxmlElement(f"w:{side}")
        el.set(qn("w:w"), str(twips))
        el.set(qn("w:type"), "dxa")
        margins.append(el)
    # Schema order inside tblPr: … tblLayout, tblCellMar, tblLook.
    look = tblpr.find(qn("w:tblLook"))
    if look is not None:
        look.addprevious(margins)
    else:
        tblpr.append(margins)


def cell_text(cell, text: str, *, bold: bool = False, align=None, first: bool = True):
    """Write into a cell (its first paragraph, or a new one) keeping the cell's style."""
    if first:
        paragraph = cell.paragraphs[0]
    else:
        paragraph = cell.add_paragraph(style=cell.paragraphs[0].style)
    if align is not None:
        paragraph.alignment = align
    if text:
        _run(paragraph, text, bold=bold)
    return paragraph


def repeat_header(row) -> None:
    """Repeat a table's header row on every page."""
    trpr = row._tr.get_or_add_trPr()
    el = OxmlElement("w:tblHeader")
    el.set(qn("w:val"), "true")
    trpr.append(el)


def cant_split(row) -> None:
    """A row is never split across pages."""
    trpr = row._tr.get_or_add_trPr()
    if trpr.find(qn("w:cantSplit")) is None:
        trpr.insert(0, OxmlElement("w:cantSplit"))


def keep_rows_together(row) -> None:
    """Keep-with-next on every paragraph of a row: the row stays on the page of the next."""
    for cell in row.cells:
        for paragraph in cell.paragraphs:
            paragraph.paragraph_format.keep_with_next = True


def new_section(doc, landscape: bool) -> None:
    """Start a new page in a section of the given orientation (same margins)."""
    from docx.enum.section import WD_SECTION

    section = doc.add_section(WD_SECTION.NEW_PAGE)
    width, height = Mm(210), Mm(297)
    section.orientation = WD_ORIENT.LANDSCAPE if landscape else WD_ORIENT.PORTRAIT
    if landscape:
        width, height = height, width
    section.page_width, section.page_height = width, height


def add_row(tbl, texts: list[str], *, bold: bool = False, align=None):
    """Append a row; `texts` gives each cell's content."""
    style = tbl.rows[0].cells[0].paragraphs[0].style
    row = tbl.add_row()
    for cell, text in zip(row.cells, texts):
        cell.paragraphs[0].style = style
        cell_text(cell, text, bold=bold, align=align)
    return row
