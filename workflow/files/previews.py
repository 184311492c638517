"""What a person sees of a document's file: its current version as HTML, and as PDF when
LibreOffice is installed on the server."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from documents.docx import docx_to_html, docx_to_pdf, libreoffice_available
from workflow.engine.permissions import Actor
from workflow.engine.transition import load_document
from workflow.files import downloads

NO_PDF = "PDF недоступен: на сервере не установлен LibreOffice"


@dataclass(frozen=True)
class DocumentPreview:
    id: int
    kind: str
    title: str
    version: int
    registration_number: str | None
    status: str  # "ready" | "pending" | "failed"
    html: str = ""
    reason: str = ""
    pdf_available: bool = False


@dataclass(frozen=True)
class PdfResult:
    status: str  # "ready" | "unavailable" | "pending" | "failed"
    data: bytes | None = None
    filename: str = ""
    reason: str = ""
    http_status: int = 200


def document_preview(rt, actor: Actor, document_id: int) -> DocumentPreview:
    doc = load_document(rt.db.session, actor, document_id)
    head = {"id": doc.id, "kind": doc.kind, "title": doc.title, "version": doc.version,
            "registration_number": doc.registration_number}
    result = downloads.get_docx(rt, actor, document_id)
    if result.status == "pending":  # embedded mode renders right after the request above
        result = downloads.get_docx(rt, actor, document_id)
    if result.status != "ready":
        return DocumentPreview(**head, status=result.status, reason=result.reason)
    return DocumentPreview(**head, status="ready", html=docx_to_html(result.read()),
                           pdf_available=libreoffice_available())


def document_pdf(rt, actor: Actor, document_id: int) -> PdfResult:
    load_document(rt.db.session, actor, document_id)  # 404 before anything else
    if not libreoffice_available():
        return PdfResult("unavailable", reason=NO_PDF, http_status=404)
    result = downloads.get_docx(rt, actor, document_id)
    if result.status == "pending":
        result = downloads.get_docx(rt, actor, document_id)
    if result.status == "pending":
        return PdfResult("pending", http_status=409,
                         reason="Файл документа ещё формируется. Повторите через несколько "
                                "секунд.")
    if result.status == "failed":
        return PdfResult("failed", http_status=422,
                         reason=f"Не удалось сформировать файл: {result.reason}")
    data = result.read()
    source = hashlib.sha256(data).hexdigest()
    pdf = rt.files.get_derived(source, ".pdf")  # the same content converts once
    if pdf is None:
        pdf = docx_to_pdf(data)
        if pdf is None:
            return PdfResult("failed", http_status=422,
                             reason="LibreOffice не смог преобразовать документ в PDF.")
        rt.files.put_derived(source, ".pdf", pdf)
    return PdfResult("ready", data=pdf, filename=result.filename.rsplit(".", 1)[0] + ".pdf")
