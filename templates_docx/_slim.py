"""Drop what python-docx's default template carries and no act uses.

That template brings ~160 style definitions (most of them table styles with conditional
formats), the latent-style list of Word's style gallery, a Word 2010 copy of all the styles
(``stylesWithEffects.xml``) and a thumbnail picture: ~800 KB of XML in every package. Every
render (a signing renders its file in the request) parses, writes and compresses all of it
again — about a third of a signing's CPU. What is kept: the styles the document, its
headers, footers and numbering name, with those they are based on or linked to, and the
defaults. The page looks the same; Word and LibreOffice fill in their own style galleries.
"""

from __future__ import annotations

import re

from lxml import etree

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
DROPPED_PARTS = ("word/stylesWithEffects.xml", "docProps/thumbnail.jpeg")
_NAMED = re.compile(rb'<w:(?:pStyle|rStyle|tblStyle|numStyleLink|styleLink) w:val="([^"]+)"')


def slim(files: dict[str, bytes]) -> dict[str, bytes]:
    """The package's parts ({name: bytes}) without the dropped parts, their relationships
    and content types, and with styles.xml reduced to the styles in use."""
    out = {name: data for name, data in files.items() if name not in DROPPED_PARTS}
    out["[Content_Types].xml"] = _without(out["[Content_Types].xml"], "Override", "PartName",
                                          {f"/{p}" for p in DROPPED_PARTS})
    out["_rels/.rels"] = _without(out["_rels/.rels"], "Relationship", "Target",
                                  set(DROPPED_PARTS))
    out["word/_rels/document.xml.rels"] = _without(
        out["word/_rels/document.xml.rels"], "Relationship", "Target",
        {p.removeprefix("word/") for p in DROPPED_PARTS})
    used = {m.decode() for name, data in out.items()
            if name.startswith("word/") and name.endswith(".xml") and name != "word/styles.xml"
            for m in _NAMED.findall(data)}
    out["word/styles.xml"] = _styles_in_use(out["word/styles.xml"], used)
    return out


def _without(xml: bytes, tag: str, attribute: str, values: set[str]) -> bytes:
    root = etree.fromstring(xml)
    for element in list(root):
        if etree.QName(element).localname == tag and element.get(attribute) in values:
            root.remove(element)
    return _serialise(root)


def _styles_in_use(xml: bytes, used: set[str]) -> bytes:
    root = etree.fromstring(xml)
    styles = {s.get(f"{{{W}}}styleId"): s for s in root.iter(f"{{{W}}}style")}
    wanted = set(used) | {sid for sid, s in styles.items() if s.get(f"{{{W}}}default") == "1"}
    todo = list(wanted)
    while todo:  # and every style those are based on, followed by or linked to
        style = styles.get(todo.pop())
        if style is None:
            continue
        for ref in ("basedOn", "next", "link"):
            element = style.find(f"{{{W}}}{ref}")
            target = element.get(f"{{{W}}}val") if element is not None else None
            if target and target not in wanted:
                wanted.add(target)
                todo.append(target)
    for sid, style in styles.items():
        if sid not in wanted:
            root.remove(style)
    latent = root.find(f"{{{W}}}latentStyles")
    if latent is not None:
        root.remove(latent)
    return _serialise(root)


def _serialise(root) -> bytes:
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)
