"""Evidence files of a roadmap item's execution report: PDF, JPEG, PNG, DOCX and XLSX only,
recognised by their content (never by the name), at most MAX_EVIDENCE_BYTES each; and
linking an existing document to an item."""

from __future__ import annotations

import io
import zipfile

from sqlalchemy import select

from documents.models import DocState, Document, EvidenceFile, Roadmap
from workflow import clock
from workflow.engine.permissions import Actor, may_author, may_read
from workflow.engine.transition import load_document
from workflow.errors import BadInput, Forbidden, NotFound, RuleViolation, TooLarge

MAX_EVIDENCE_BYTES = 10 * 1024 * 1024
MAX_FILES = 30
ALLOWED = "PDF, JPEG, PNG, DOCX или XLSX"
MIMES = {
    "pdf": "application/pdf",
    "jpeg": "image/jpeg",
    "png": "image/png",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
#: States in which the report may still change (the responsible's work).
EDITABLE = (DocState.draft,)


def sniff(data: bytes) -> str | None:
    """The file type by its content: pdf, jpeg, png, docx, xlsx, or None."""
    if data.startswith(b"%PDF-"):
        return "pdf"
    if data.startswith(b"\xff\xd8\xff"):
        return "jpeg"
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if data.startswith(b"PK\x03\x04"):
        try:
            with zipfile.ZipFile(io.BytesIO(data)) as z:
                names = set(z.namelist())
        except (zipfile.BadZipFile, ValueError, OSError):
            return None
        if "[Content_Types].xml" in names:
            if "word/document.xml" in names:
                return "docx"
            if "xl/workbook.xml" in names:
                return "xlsx"
    return None


def _item_document(session, actor: Actor, document_id: int) -> Document:
    doc = load_document(session, actor, document_id)
    if doc.kind != "roadmap_item":
        raise NotFound("Пункт дорожной карты не найден.", code="roadmap_item_not_found")
    return doc


def add_file(rt, actor: Actor, document_id: int, *, data: bytes, filename: str) -> dict:
    """Attach one evidence file to an item's report (while it is a draft)."""
    with rt.db.write_session() as session:
        doc = _item_document(session, actor, document_id)
        if not may_author(actor, doc.organization) and actor.id != doc.responsible_id:
            raise Forbidden("Прикладывать файлы к отчёту по этому пункту вам не разрешено.",
                            code="evidence_not_allowed")
        if doc.state not in EDITABLE:
            raise RuleViolation("Отчёт уже отправлен: файлы прикладываются к черновику. "
                                "Дождитесь возврата на доработку.", code="not_editable")
        if not data:
            raise BadInput("Приложите файл.", code="missing_file")
        if len(data) > MAX_EVIDENCE_BYTES:
            raise TooLarge("Файл больше 10 МБ — такой файл не принимается.",
                           code="file_too_large")
        kind = sniff(data)
        if kind is None:
            raise RuleViolation(f"Файл не похож ни на один из допустимых видов ({ALLOWED}).",
                                code="file_type_not_allowed")
        count = len(session.scalars(select(EvidenceFile.id)
                                    .where(EvidenceFile.document_id == doc.id)).all())
        if count >= MAX_FILES:
            raise RuleViolation(f"К отчёту можно приложить не больше {MAX_FILES} файлов.",
                                code="too_many_files")
        key, sha = rt.files.put(data, f".evidence.{kind}")
        name = (filename or f"файл.{kind}").replace("/", "_").replace("\\", "_")[-200:]
        row = EvidenceFile(document_id=doc.id, filename=name, mime=MIMES[kind], size=len(data),
                           sha256=sha, file_key=key, uploaded_by_id=actor.id,
                           uploaded_by_name=actor.full_name[:200], uploaded_at=clock.now())
        session.add(row)
        session.flush()
        return file_dict(row)


def file_dict(row) -> dict:
    return {"id": row.id, "filename": row.filename, "mime": row.mime, "size": row.size}


def list_files(session, actor: Actor, document_id: int) -> list[dict]:
    doc = _item_document(session, actor, document_id)
    rows = session.scalars(select(EvidenceFile).where(EvidenceFile.document_id == doc.id)
                           .order_by(EvidenceFile.id)).all()
    return [file_dict(r) for r in rows]


def get_file(rt, session, actor: Actor, document_id: int, file_id: int
             ) -> tuple[bytes, str, str]:
    """(bytes, file name, MIME type) of one evidence file the actor may read."""
    doc = _item_document(session, actor, document_id)
    row = session.get(EvidenceFile, file_id)
    if row is None or row.document_id != doc.id or not may_read(actor, doc):
        raise NotFound("Файл не найден.", code="file_not_found")
    return rt.files.get(row.file_key), row.filename, row.mime


def link_document(rt, actor: Actor, roadmap_id: int, item_id: int, document_id: object) -> dict:
    """Link an existing act of the same organisation to an item (it then shows as the act
    the item produced). Returns ``{"item_id", "document_id"}``."""
    from workflow.roadmaps.item_work import item_for_write

    with rt.db.write_session() as session:
        _roadmap, item, org = item_for_write(session, actor, roadmap_id, item_id)
        if not isinstance(document_id, int) or isinstance(document_id, bool):
            raise BadInput("Укажите document_id — номер документа.", code="invalid_field")
        doc = session.get(Document, document_id)
        if doc is None or doc.org_id != org.id or not may_read(actor, doc):
            raise NotFound("Документ не найден.", code="document_not_found")
        if doc.kind == "roadmap_item":
            raise RuleViolation("Пункт дорожной карты нельзя привязать к другому пункту.",
                                code="invalid_link")
        if doc.roadmap_item_id not in (None, item.id):
            raise RuleViolation("Документ уже привязан к другому пункту дорожной карты.",
                                code="document_already_linked")
        doc.roadmap_item_id = item.id
    return {"item_id": item_id, "document_id": document_id}


def linkable_documents(session, actor: Actor, roadmap_id: int) -> list[dict]:
    """The acts of the roadmap's organisation not yet linked to any item (for the page)."""
    org_id = session.scalar(select(Roadmap.org_id).where(Roadmap.id == roadmap_id))
    if org_id is None:
        return []
    rows = session.execute(select(Document.id, Document.title, Document.kind, Document.state,
                                  Document.registration_number, Document.signed_at)
                           .where(Document.org_id == org_id, Document.kind != "roadmap_item",
                                  Document.kind != "roadmap",
                                  Document.roadmap_item_id.is_(None))
                           .order_by(Document.id.desc()).limit(200)).all()
    return [{"id": r.id, "title": r.title, "kind": r.kind,
             "state": r.state.value if hasattr(r.state, "value") else r.state,
             "registration_number": r.registration_number, "signed_at": r.signed_at}
            for r in rows]

