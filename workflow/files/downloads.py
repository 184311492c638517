"""Getting the DOCX of a version: ready, still rendering, or failed with its reason."""

from __future__ import annotations

import io
from collections.abc import Callable
from dataclasses import dataclass
from typing import BinaryIO

from sqlalchemy import select

from documents.models import DocumentVersion, Role
from documents.models.document import RenderStatus
from workflow.engine.permissions import Actor
from workflow.engine.transition import load_document
from workflow.errors import Forbidden, NotFound, RuleViolation
from workflow.files.rendering import outside_variant, request_preview, snapshot
from workflow.mentorship import minors
from workflow.mentorship.register_access import log_access


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

    def read(self) -> bytes:
        """The whole file at once (the preview and the PDF need all of it anyway)."""
        if self.data is not None:
            return self.data
        with self.open() as stream:
            return stream.read()


def _filename(doc, version: DocumentVersion) -> str:
    number = (version.registration_number or f"проект-{doc.id}").replace("/", "_")
    return f"{doc.kind}-{number}-v{version.number}.docx"


def _has_docx(doc) -> None:
    from workflow.engine.kinds import KINDS

    spec = KINDS.get(doc.kind)
    if spec is not None and not spec.rendered:
        raise NotFound("У документа этого вида нет файла DOCX.", code="no_docx")


def get_docx(rt, actor: Actor, document_id: int, version_number: int | None = None) -> DocxResult:
    session = rt.db.session
    doc = load_document(session, actor, document_id)
    _has_docx(doc)
    number = version_number if version_number is not None else doc.version
    version = session.scalar(select(DocumentVersion).where(
        DocumentVersion.document_id == doc.id, DocumentVersion.number == number))
    if version is None:
        raise NotFound("Такой версии документа нет.", code="version_not_found")
    if minors.audience(actor, doc.organization) == minors.OUTSIDE:
        return _outside(rt, session, doc, version)
    fresh = version.signed_at is not None or version.file_content_sha256 == version.content_sha256
    if version.file_key and fresh and rt.files.exists(version.file_key):
        _log_minors(rt, session, actor, doc, version)
        key = version.file_key
        return DocxResult("ready", filename=_filename(doc, version),
                          opener=lambda: rt.files.open(key))
    if version.render_status is RenderStatus.failed:
        return DocxResult("failed", reason=version.render_error or "")
    if version.render_status is not RenderStatus.pending:
        retry_render(rt, actor, document_id)
    return DocxResult("pending")


def _outside(rt, session, doc, version: DocumentVersion) -> DocxResult:
    """The municipality's file: minors by class, not by name; rendered and cached apart."""
    from documents.docx import DocxError

    try:
        data = outside_variant(rt, session, doc, version)
    except DocxError as exc:
        return DocxResult("failed", reason=exc.message)
    return DocxResult("ready", data, _filename(doc, version))


def _log_minors(rt, session, actor: Actor, doc, version: DocumentVersion) -> None:
    """Every read of a file naming a school's minors is in the personal-data access log."""
    ids = minors.minors_in_snapshot(session, doc.org_id, snapshot(session, doc, version))
    if ids:
        with rt.db.write_session() as writer:
            log_access(writer, actor, f"read_document_file:{doc.id}", doc.org_id, ids)


def retry_render(rt, actor: Actor, document_id: int) -> None:
    """Queue the render of the current version again (after a failure, or if never done)."""
    with rt.db.write_session() as session:
        doc = load_document(session, actor, document_id)
        _has_docx(doc)
        parent = doc.organization.parent_id
        if not (actor.roles_in(doc.org_id) - {Role.auditor}
                or Role.admin in actor.roles_in(parent)):  # the auditor only reads
            raise Forbidden("Формировать файл заново может только сотрудник организации "
                            "документа.", code="render_not_allowed")
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
