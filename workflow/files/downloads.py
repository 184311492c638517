"""Getting the DOCX of a version: ready, still rendering, or failed with its reason."""

from __future__ import annotations

import io
from collections.abc import Callable
from dataclasses import dataclass
from typing import BinaryIO

from sqlalchemy import select

from documents.models import DocumentVersion
from documents.models.document import RenderStatus
from workflow.engine.permissions import Actor
from workflow.engine.transition import load_document
from workflow.errors import NotFound, RuleViolation
from workflow.files.rendering import request_preview


@dataclass(frozen=True)
class DocxResult:
    status: str  # "ready" | "pending" | "failed"
    data: bytes | None = None
    filename: str = ""
    reason: str = ""
    #: Opens the stored file for streaming (the web layer sends it chunk by chunk).
    opener: Callable[[], BinaryIO] | None = None

    def open(self) -> BinaryIO:
        return self.opener() if self.opener is not None else io.BytesIO(self.data or b"")


def _filename(doc, version: DocumentVersion) -> str:
    number = (version.registration_number or f"проект-{doc.id}").replace("/", "_")
    return f"{doc.kind}-{number}-v{version.number}.docx"


def get_docx(rt, actor: Actor, document_id: int, version_number: int | None = None) -> DocxResult:
    session = rt.db.session
    doc = load_document(session, actor, document_id)
    number = version_number if version_number is not None else doc.version
    version = session.scalar(select(DocumentVersion).where(
        DocumentVersion.document_id == doc.id, DocumentVersion.number == number))
    if version is None:
        raise NotFound("Такой версии документа нет.", code="version_not_found")
    fresh = version.signed_at is not None or version.file_content_sha256 == version.content_sha256
    if version.file_key and fresh and rt.files.exists(version.file_key):
        key = version.file_key
        return DocxResult("ready", filename=_filename(doc, version),
                          opener=lambda: rt.files.open(key))
    if version.render_status is RenderStatus.failed:
        return DocxResult("failed", reason=version.render_error or "")
    if version.render_status is not RenderStatus.pending:
        retry_render(rt, actor, document_id)
    return DocxResult("pending")


def retry_render(rt, actor: Actor, document_id: int) -> None:
    """Queue the render of the current version again (after a failure, or if never done)."""
    with rt.db.write_session() as session:
        doc = load_document(session, actor, document_id)
        version = session.scalar(select(DocumentVersion).where(
            DocumentVersion.document_id == doc.id, DocumentVersion.number == doc.version))
        if version.signed_at is not None:
            raise RuleViolation("Файл подписанной версии не формируется заново.",
                                code="signed_file_frozen")
        from documents.models import OutboxItem

        key = f"doc:{doc.id}:v{version.number}:render:{version.content_sha256[:16]}"
        stale = session.scalar(select(OutboxItem).where(OutboxItem.key == key))
        if stale is not None:
            session.delete(stale)
            session.flush()
        item = request_preview(session, doc, version)
    rt.after_commit([item.id] if item else [])
