"""The built-in templates are slim, whole packages (templates_docx/_slim.py), and the
renderer's cached clean-up of their XML is docxtpl's own."""

from __future__ import annotations

import io
import re
import runpy
import zipfile
from pathlib import Path

import pytest
from docxtpl import DocxTemplate

from documents.docx.context import KIND_VARIABLES
from documents.docx.render import _patched, builtin_template

HERE = Path(__file__).resolve().parents[2] / "templates_docx"
NAMED = re.compile(r'<w:(?:pStyle|rStyle|tblStyle) w:val="([^"]+)"')


@pytest.mark.parametrize("kind", sorted(KIND_VARIABLES))
def test_package_is_whole_and_carries_only_what_the_act_uses(kind):
    with zipfile.ZipFile(io.BytesIO(builtin_template(kind))) as z:
        parts = {name: z.read(name).decode("utf-8") for name in z.namelist()
                 if not name.endswith(".jpeg")}
    assert "word/stylesWithEffects.xml" not in parts and "docProps/thumbnail.jpeg" not in parts
    # every relationship and content-type override names a part that is there
    for rels in ("_rels/.rels", "word/_rels/document.xml.rels"):
        for target in re.findall(r'Target="([^"]+)"', parts[rels]):
            base = "" if rels.startswith("_rels") else "word/"
            assert str(Path(base, target)).replace("word/../", "") in parts, (rels, target)
    for part in re.findall(r'PartName="/([^"]+)"', parts["[Content_Types].xml"]):
        assert part in parts
    # every style the act names is defined
    defined = set(re.findall(r'w:styleId="([^"]+)"', parts["word/styles.xml"]))
    named = {s for name, xml in parts.items() if name.startswith("word/")
             for s in NAMED.findall(xml)}
    assert named and named <= defined
    assert len(parts["word/styles.xml"]) < 20_000 and "latentStyles" not in parts["word/styles.xml"]


def test_a_rebuild_stays_slim():
    build = runpy.run_path(str(HERE / "build_templates.py"))["build"]
    with zipfile.ZipFile(io.BytesIO(build("order"))) as z:
        assert "word/stylesWithEffects.xml" not in z.namelist()
        assert len(z.read("word/styles.xml")) < 20_000


@pytest.mark.parametrize("kind", ["order", "roadmap"])
def test_cached_clean_up_is_docxtpls_own(kind):
    tpl = DocxTemplate(io.BytesIO(builtin_template(kind)))
    tpl.render_init()
    xml = tpl.get_xml()
    assert _patched(xml) == DocxTemplate.patch_xml(tpl, xml)
    assert _patched(xml) is _patched(xml)  # kept, not computed again
