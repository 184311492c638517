"""Every kind, rendered and read back with python-docx, is set as a Russian typesetter sets
it: Russian language, automatic hyphenation, «№ 2» and «И. О. Фамилия» never broken, the
grif agreeing with the act, no template tags and no English left."""

from __future__ import annotations

import io
import re
import zipfile

import pytest
from docx import Document
from docx.oxml.ns import qn

from documents.docx.context import KIND_VARIABLES, build_context
from documents.docx.render import render_docx
from documents.docx.samples import sample_snapshot
from documents.docx.typography import breakable_spaces_after_numero, split_initials, typo

KINDS = sorted(KIND_VARIABLES)
GRIFS = {"regulation": "УТВЕРЖДЕНО", "incentive_scheme": "УТВЕРЖДЕНО",
         "programme": "УТВЕРЖДЕНА", "roadmap": "УТВЕРЖДЕНА"}
WRONG_GRIFS = {"УТВЕРЖДЕНО", "УТВЕРЖДЕНА", "УТВЕРЖДЕН", "УТВЕРЖДЁН"}


def _paragraph_texts(doc) -> list[str]:
    """Text of every paragraph (body, tables, headers), each as Word lays it out."""
    out = [p.text for p in doc.paragraphs]

    def cells(tables):
        for table in tables:
            for row in table.rows:
                for cell in row.cells:
                    out.extend(p.text for p in cell.paragraphs)
                    cells(cell.tables)

    cells(doc.tables)
    for section in doc.sections:
        for part in (section.header, section.first_page_header, section.footer):
            out.extend(p.text for p in part.paragraphs)
    return out


def _rendered(kind: str, draft: bool = False):
    data = render_docx(kind, build_context(sample_snapshot(kind, draft=draft)))
    return data, Document(io.BytesIO(data))


@pytest.mark.parametrize("draft", [False, True], ids=["signed", "draft"])
@pytest.mark.parametrize("kind", KINDS)
def test_every_kind_is_typeset_in_russian(kind, draft):
    data, doc = _rendered(kind, draft)
    # Language ru-RU in the styles, none other left.
    styles = doc.styles.element
    langs = {el.get(qn("w:val")) for el in styles.iter(qn("w:lang"))}
    assert langs == {"ru-RU"}
    settings = doc.settings.element
    hyphen = settings.find(qn("w:autoHyphenation"))
    assert hyphen is not None and hyphen.get(qn("w:val")) in ("true", "1", None)

    texts = _paragraph_texts(doc)
    whole = "\n".join(texts)
    for text in texts:
        assert not breakable_spaces_after_numero(text + "\n"), (kind, text)
        assert not split_initials(text), (kind, text)
    assert "{{" not in whole and "{%" not in whole and "}}" not in whole
    # No English words (Latin letters) anywhere in the visible text.
    assert not re.search(r"[A-Za-z]{2,}", whole), re.findall(r"[A-Za-z]{2,}\w*", whole)[:5]
    # The grif agrees with the act: «УТВЕРЖДЕНО положение», «УТВЕРЖДЕНА программа».
    grifs = {t.strip() for t in texts} & WRONG_GRIFS
    if kind in GRIFS:
        assert grifs == {GRIFS[kind]}, (kind, grifs)
    else:
        assert not grifs, (kind, grifs)  # orders are signed, not approved
    # Body text carries no stray English parts of python-docx's default template.
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        body = z.read("word/document.xml").decode()
    assert 'w:val="en-US"' not in body


def test_numero_at_the_end_of_a_line_is_caught():
    assert breakable_spaces_after_numero("приказ №\n2") == ["№\n"]
    assert breakable_spaces_after_numero("приказ № 2") == ["№ "]
    assert breakable_spaces_after_numero(typo("приказ № 2")) == []


@pytest.mark.parametrize(
    ("raw", "typeset"),
    [
        ("от 25.12.2019 № Р-145", "от 25.12.2019 №\u00a0Р-145"),
        ("приказ №2", "приказ №\u00a02"),
        ("М.П. Иванова", "М.\u00a0П.\u00a0Иванова"),
        ("Белова Н.Г.", "Белова\u00a0Н.\u00a0Г."),
        ("Петров А.М. Срок: до 10.12.2026.", "Петров\u00a0А.\u00a0М. Срок: до 10.12.2026."),
        ("г. Омск", "г.\u00a0Омск"),
        ("ст. 351.8 ТК РФ", "ст.\u00a0351.8 ТК РФ"),
        ("25.12.2019 г.", "25.12.2019\u00a0г."),
        ("2026–2027 гг.", "2026–2027\u00a0гг."),
        ("12 ноября 2026 г.", "12\u00a0ноября 2026\u00a0г."),
        ("01.09.2026 – 31.05.2027", "01.09.2026\u00a0– 31.05.2027"),
        ("5 лет", "5\u00a0лет"),
        ("Контроль оставляю за собой.", "Контроль оставляю за собой."),
    ],
)
def test_typo_rules(raw, typeset):
    assert typo(raw) == typeset
    assert typo(typeset) == typeset  # idempotent


def test_field_values_are_typeset_too():
    snapshot = sample_snapshot("order")
    snapshot["fields"]["clauses"] = [{"text": "Выдать справку № 5 в г. Омск", "executor":
                                      "Иванов И.И.", "term": "до 25.12.2026 г."}]
    clause = build_context(snapshot)["clauses"][0]
    assert clause["text"] == "Выдать справку №\u00a05 в г.\u00a0Омск."
    assert clause["executor"] == "Иванов\u00a0И.\u00a0И."
    assert clause["term"] == "до 25.12.2026\u00a0г."
    text = "\n".join(_paragraph_texts(Document(io.BytesIO(render_docx("order", build_context(
        snapshot))))))
    assert "Срок: до 25.12.2026\u00a0г. " in text or "Срок: до 25.12.2026\u00a0г.\n" in text
