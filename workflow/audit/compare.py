"""Any two versions of a document side by side: field by field, and as a readable diff of the
paragraphs of their rendered DOCX (the frozen file of a signed version, else rendered now)."""

from __future__ import annotations

import difflib
import io
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from documents.models import DocumentVersion
from workflow.engine.document_view import Change, diff_fields
from workflow.engine.permissions import Actor
from workflow.engine.queries import get_document
from workflow.errors import NotFound


@dataclass
class Comparison:
    document_id: int
    title: str
    a: int
    b: int
    numbers: list[int]
    changes: list[Change]
    lines: list[tuple[str, str]]  # ("same" | "del" | "add", paragraph)

    def as_text(self) -> str:
        out = [f"Документ № {self.document_id} «{self.title}»: версия {self.a} → версия {self.b}",
               "", "Изменения полей:"]
        out += [f"  {c.path}: {c.old!r} → {c.new!r}" for c in self.changes] or ["  нет"]
        out += ["", "Текст документа (− было, + стало):"]
        mark = {"same": "  ", "del": "− ", "add": "+ "}
        out += [mark[tag] + text for tag, text in self.lines]
        return "\n".join(out) + "\n"


def docx_paragraphs(data: bytes) -> list[str]:
    import docx

    document = docx.Document(io.BytesIO(data))
    paragraphs = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            paragraphs.append(" | ".join(cell.text for cell in row.cells))
    return [p.strip() for p in paragraphs if p.strip()]


def _docx(rt, session: Session, doc, version: DocumentVersion) -> bytes:
    fresh = version.signed_at is not None or version.file_content_sha256 == version.content_sha256
    if version.file_key and fresh and rt.files.exists(version.file_key):
        return rt.files.get(version.file_key)
    from workflow.files.rendering import render_version

    return render_version(session, doc, version)


def paragraph_diff(old: list[str], new: list[str]) -> list[tuple[str, str]]:
    out: list[tuple[str, str]] = []
    matcher = difflib.SequenceMatcher(a=old, b=new, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            out += [("same", p) for p in old[i1:i2]]
        else:
            out += [("del", p) for p in old[i1:i2]]
            out += [("add", p) for p in new[j1:j2]]
    return out


def compare_versions(rt, session: Session, actor: Actor, document_id: int, a: int | None,
                     b: int | None) -> Comparison:
    doc = get_document(session, actor, document_id)
    versions = {v.number: v for v in session.scalars(
        select(DocumentVersion).where(DocumentVersion.document_id == doc.id))}
    numbers = sorted(versions)
    b = b if b is not None else doc.version
    a = a if a is not None else max([n for n in numbers if n < b] or [b])
    if a not in versions or b not in versions:
        raise NotFound("Такой версии документа нет.", code="version_not_found")
    va, vb = versions[a], versions[b]
    changes = diff_fields(va.fields, vb.fields, va.title, vb.title)
    try:
        lines = paragraph_diff(docx_paragraphs(_docx(rt, session, doc, va)),
                               docx_paragraphs(_docx(rt, session, doc, vb)))
    except Exception as exc:  # noqa: BLE001 - a broken template must not hide the field diff
        lines = [("same", f"Текст не удалось получить: {exc}")]
    return Comparison(doc.id, doc.title, a, b, numbers, changes, lines)
