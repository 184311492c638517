"""Template injection payloads are refused at upload and by the render sandbox alike."""

from __future__ import annotations

import io
import zipfile
from xml.sax.saxutils import escape

import pytest
from docx import Document
from docxtpl import DocxTemplate

from documents.docx.context import build_context
from documents.docx.errors import RenderError, TemplateInvalid, TemplateUnsafe
from documents.docx.render import render_docx
from documents.docx.samples import sample_snapshot
from documents.docx.validate import validate_template

FOOTNOTES_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.footnotes+xml"
FOOTNOTES_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/footnotes"
W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"

PAYLOADS = [
    "{{ cycler.__init__.__globals__.os.popen('touch CANARY').read() }}",
    "{{ joiner.__init__.__globals__.os.popen('touch CANARY').read() }}",
    "{{ namespace.__init__.__globals__.os.popen('touch CANARY').read() }}",
    "{{ lipsum.__globals__['os'].popen('touch CANARY').read() }}",
    "{{ ''.__class__.__mro__[1].__subclasses__() }}",
    "{{ ''|attr('__class__')|attr('__mro__') }}",
    "{{ '{0.__class__}'.format_map(org) }}",
    "{{ '{0.__init__.__globals__}'.format(cycler) }}",
    "{{ '%s'|format(self) }}",
    "{{ range(10**10)|list }}",
    "{{ self }}",
    "{{ self._TemplateReference__context.cycler.__init__.__globals__.os }}",
    "{% for c in [].__class__.__base__.__subclasses__() %}{{ c }}{% endfor %}",
    "{{ org|map(attribute='__class__')|list }}",
    "{{ ''['\\x5f\\x5fclass\\x5f\\x5f'] }}",
    "{{ config.items() }}",
    "{{ request.application.__globals__.__builtins__ }}",
    "{{ dict.mro()[-1].__subclasses__() }}",
    "{% set x = 'a' * 1000000000 %}{{ x }}",
    "{% include 'CANARY' %}",
    "{% autoescape false %}{{ title }}{% endautoescape %}",
]
PLACES = ["body", "header", "footer", "footnote", "core"]


def _with_footnote(data: bytes, text: str) -> bytes:
    """Add word/footnotes.xml holding `text` (python-docx cannot write footnotes)."""
    footnotes = (
        f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        f'<w:footnotes xmlns:w="{W_NS}"><w:footnote w:id="1"><w:p><w:r>'
        f'<w:t xml:space="preserve">{escape(text)}</w:t></w:r></w:p></w:footnote>'
        f"</w:footnotes>"
    )
    src, out = zipfile.ZipFile(io.BytesIO(data)), io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            body = src.read(info.filename)
            if info.filename == "[Content_Types].xml":
                body = body.replace(
                    b"</Types>",
                    (
                        f'<Override PartName="/word/footnotes.xml" ContentType="{FOOTNOTES_TYPE}"/>'
                        "</Types>"
                    ).encode(),
                )
            elif info.filename == "word/_rels/document.xml.rels":
                body = body.replace(
                    b"</Relationships>",
                    (
                        f'<Relationship Id="rIdFn1" Type="{FOOTNOTES_REL}" Target="footnotes.xml"/>'
                        "</Relationships>"
                    ).encode(),
                )
            dst.writestr(info.filename, body)
        dst.writestr("word/footnotes.xml", footnotes)
    return out.getvalue()


def make_docx(text: str, place: str) -> bytes:
    """A small valid DOCX with `text` in the body, header, footer, footnote or core.xml."""
    doc = Document()
    doc.add_paragraph("Приказ {{ doc.number }}")
    section = doc.sections[0]
    if place == "body":
        doc.add_paragraph(text)
    elif place == "header":
        section.header.paragraphs[0].text = text
    elif place == "footer":
        section.footer.paragraphs[0].text = text
    elif place == "core":
        doc.core_properties.title = text
    raw = io.BytesIO()
    doc.save(raw)
    return _with_footnote(raw.getvalue(), text if place == "footnote" else "Сноска")


@pytest.fixture
def canary(tmp_path):
    path = tmp_path / "canary"
    yield path
    assert not path.exists(), "a payload reached the operating system"


def _armed(payload: str, canary) -> str:
    return payload.replace("CANARY", str(canary))


@pytest.mark.parametrize("place", PLACES)
@pytest.mark.parametrize("payload", PAYLOADS)
def test_payload_refused_at_upload(payload, place, canary):
    data = make_docx(_armed(payload, canary), place)
    with pytest.raises((TemplateUnsafe, TemplateInvalid)) as err:
        validate_template(data, "order")
    assert err.value.message  # a Russian message, not a bare exception


@pytest.mark.parametrize("place", PLACES)
@pytest.mark.parametrize("payload", PAYLOADS)
def test_payload_refused_by_render_sandbox(payload, place, canary):
    data = make_docx(_armed(payload, canary), place)
    context = build_context(sample_snapshot("order"))
    with pytest.raises(RenderError) as err:
        render_docx("order", context, template=data)
    assert err.value.message


def test_unsafe_payload_is_named_with_its_part(canary):
    data = make_docx(_armed(PAYLOADS[0], canary), "footer")
    with pytest.raises(TemplateUnsafe, match=r"\(word/footer\d?\.xml\): обращение к"):
        validate_template(data, "order")


def test_payload_split_across_runs_is_still_found(canary):
    doc = Document()
    paragraph = doc.add_paragraph()
    for piece in ("{{ cycler.__in", "it__.__glo", "bals__.os }}"):
        paragraph.add_run(piece).bold = True
    raw = io.BytesIO()
    doc.save(raw)
    with pytest.raises(TemplateUnsafe, match=r"word/document\.xml"):
        validate_template(raw.getvalue(), "order")


def test_corpus_is_live_without_the_sandbox(tmp_path):
    """Control: plain docxtpl (no environment) really executes the first payload."""
    canary = tmp_path / "canary"
    data = make_docx(_armed(PAYLOADS[0], canary), "body")
    tpl = DocxTemplate(io.BytesIO(data))
    tpl.render({"doc": {"number": "1"}})
    assert canary.exists()


@pytest.mark.parametrize("payload", [PAYLOADS[0], "{% set x = 'a' * 1000000000 %}{{ x }}"])
def test_a_refused_template_is_refused_on_every_render(payload, canary):
    """Compiled template parts are kept between renders (docxtpl compiles each part on every
    render): a payload refused once is refused again, not served from what was kept."""
    data = make_docx(_armed(payload, canary), "body")
    context = build_context(sample_snapshot("order"))
    for _ in range(3):
        with pytest.raises(RenderError):
            render_docx("order", context, template=data)


def test_a_template_part_is_compiled_once_and_rendered_anew(monkeypatch):
    from documents.docx.env import DocumentEnvironment
    from documents.docx.render import environment

    environment()._compiled.cache_clear()
    compiled = []
    parse = DocumentEnvironment._parse
    monkeypatch.setattr(DocumentEnvironment, "_parse",
                        lambda self, *a: compiled.append(a[0]) or parse(self, *a))
    data = make_docx("{{ doc.title }}", "body")
    texts = []
    for title in ("Об утверждении положения", "О назначении куратора"):
        context = build_context(sample_snapshot("order"))
        context["doc"]["title"] = title
        out = render_docx("order", context, template=data)
        texts.append("\n".join(p.text for p in Document(io.BytesIO(out)).paragraphs))
        if len(texts) == 1:
            first = len(compiled)
    assert first and len(compiled) == first  # the second render compiled nothing
    assert "Об утверждении положения" in texts[0] and "О назначении куратора" in texts[1]
