"""DOCX of a document version: the snapshot handed to the renderer, preview renders through
the outbox, and the frozen file of a signed version."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from documents.models import Acquaintance, Document, DocumentVersion, Grant, OutboxItem, User, Visa
from documents.models.document import RenderStatus
from workflow import clock
from workflow.engine.effects import enqueue, handler

#: Extra snapshot parts per kind (pairs of a pair order, the table of a roadmap).
SnapshotExtra = Callable[[Session, Document, dict], dict]
SNAPSHOT_EXTRAS: dict[str, SnapshotExtra] = {}
#: Extras for every kind (e.g. the approval route's grifs), (session, doc, version, data) -> dict.
SNAPSHOT_HOOKS: list = []
#: Finds an uploaded template for (session, kind, org) or returns None for the built-in one.
TemplateLookup = Callable[[Session, str, object], bytes | None]
template_lookup: list[TemplateLookup] = []
#: Rewrite a snapshot for readers outside the school (no minors' names: mentorship/minors.py).
OUTSIDE_REDACTORS: list[Callable[[Session, Document, dict], dict]] = []


def content_sha256(title: str, fields: dict) -> str:
    body = json.dumps({"title": title, "fields": fields}, ensure_ascii=False, sort_keys=True,
                      separators=(",", ":"))
    return hashlib.sha256(body.encode()).hexdigest()


def _date(value: datetime | None) -> str | None:
    return clock.local_date(value).isoformat() if value else None


def snapshot(session: Session, doc: Document, version: DocumentVersion,
             audience: str = "school") -> dict:
    """Plain data (never ORM objects) describing one version for the template.

    ``audience="outside"``: the variant for readers outside the school (the municipality),
    passed through OUTSIDE_REDACTORS; the school's own file is never this one."""
    org = doc.organization
    visas = session.scalars(
        select(Visa).where(Visa.document_id == doc.id, Visa.version == version.number)
        .order_by(Visa.at)
    ).all()
    signed = version.signed_at is not None
    data = {
        "kind": doc.kind,
        "title": version.title,
        "version": version.number,
        "fields": version.fields,
        "org": {"name": org.name, "short_name": org.short_name, "founder": org.founder,
                "place": org.place},
        "registration_number": version.registration_number,
        "signed_at": _date(version.signed_at),
        "draft": not signed,
        "signer": {"name": doc.signer_name or org.head_name,
                   "position": org.head_position or "Директор"}
        if (doc.signer_name or org.head_name) else None,
        "visas": [{"name": v.user_name, "position": v.position, "outcome": v.outcome,
                   "date": _date(v.at), "comment": v.comment} for v in visas],
        "pairs": [],
        "roadmap": None,
        "executor": _executor(session, doc),
        "acquaintance_users": _acquaintance_users(session, doc, version),
        "audience": audience,
    }
    extra = SNAPSHOT_EXTRAS.get(doc.kind)
    if extra is not None:
        data.update(extra(session, doc, data))
    for hook in SNAPSHOT_HOOKS:
        data.update(hook(session, doc, version, data))
    if audience != "school":
        for redact in OUTSIDE_REDACTORS:
            data = redact(session, doc, data)
    return data


def _executor(session: Session, doc: Document) -> dict | None:
    """Отметка об исполнителе: the author's full name and work phone (from the profile)."""
    author = session.get(User, doc.author_id) if doc.author_id else None
    return {"name": author.full_name, "phone": author.phone or ""} if author else None


def _acquaintance_users(session: Session, doc: Document, version: DocumentVersion) -> list:
    """The staff listed in ``acquaintance_user_ids`` (users of the organisation only), with
    the date each confirmed electronically."""
    ids = [i for i in (version.fields or {}).get("acquaintance_user_ids") or []
           if isinstance(i, int)]
    if not ids:
        return []
    users = {u.id: u for u in session.scalars(select(User).where(
        User.id.in_(ids), User.id.in_(select(Grant.user_id).where(Grant.org_id == doc.org_id))))}
    done = dict(session.execute(select(Acquaintance.user_id, Acquaintance.acknowledged_at).where(
        Acquaintance.document_id == doc.id, Acquaintance.version == version.number)).all())
    return [{"name": users[i].full_name, "position": users[i].position or "",
             "acknowledged_at": _date(done.get(i))}
            for i in dict.fromkeys(ids) if i in users]


def template_for(session: Session, doc: Document) -> bytes | None:
    for lookup in template_lookup:
        template = lookup(session, doc.kind, doc.organization)
        if template is not None:
            return template
    return None


def render_version(session: Session, doc: Document, version: DocumentVersion,
                   audience: str = "school") -> bytes:
    from documents.docx.context import build_context
    from documents.docx.render import render_docx

    return render_docx(doc.kind, build_context(snapshot(session, doc, version, audience)),
                       template_for(session, doc))


def outside_variant(rt, session: Session, doc: Document, version: DocumentVersion) -> bytes:
    """The outside readers' rendering of a version, cached apart from the school's file
    (keyed by its redacted content and template); the school's signed bytes never change."""
    from documents.docx.context import build_context
    from documents.docx.render import builtin_template, render_docx

    data = snapshot(session, doc, version, "outside")
    template = template_for(session, doc)
    context = build_context(data)
    body = json.dumps(context, ensure_ascii=False, sort_keys=True, default=str)
    key = hashlib.sha256(body.encode() + hashlib.sha256(
        template if template is not None else builtin_template(doc.kind)).digest()).hexdigest()
    cached = rt.files.get_variant(key)
    if cached is not None:
        return cached
    rendered = render_docx(doc.kind, context, template)
    rt.files.put_variant(key, rendered)
    return rendered


def freeze_signed(rt, session: Session, doc: Document, version: DocumentVersion) -> str:
    """Render the signed version once, store it and return the SHA-256 of its bytes."""
    from documents.docx import DocxError
    from workflow.errors import RuleViolation

    with session.no_autoflush:  # the number and date are set but the file is not yet
        try:
            data = render_version(session, doc, version)
        except DocxError as exc:  # signing needs the file: refuse instead of failing with 500
            raise RuleViolation(f"Нельзя подписать: не удалось сформировать файл документа: "
                                f"{exc.message}", code="render_failed") from exc
    key, digest = rt.files.put(data)
    version.file_key, version.file_sha256 = key, digest
    version.file_content_sha256 = version.content_sha256
    version.render_status, version.render_error = RenderStatus.ready, None
    version.rendered_at = clock.now()
    session.flush()
    return digest


def _rendered(kind: str) -> bool:
    from workflow.engine.kinds import KINDS  # the kinds module imports nothing of files/

    spec = KINDS.get(kind)
    return spec is None or spec.rendered


def request_preview(session: Session, doc: Document, version: DocumentVersion) -> OutboxItem | None:
    """Queue a preview render of the current content (one per content hash)."""
    if version.signed_at is not None or not _rendered(doc.kind):
        return None
    version.render_status = RenderStatus.pending
    return enqueue(session, f"doc:{doc.id}:v{version.number}:render:{version.content_sha256[:16]}",
                   "render", document_id=doc.id, version=version.number,
                   payload={"content_sha256": version.content_sha256})


@handler("render")
def _render_effect(rt, session: Session, item: OutboxItem) -> None:
    version = session.scalar(select(DocumentVersion).where(
        DocumentVersion.document_id == item.document_id,
        DocumentVersion.number == item.version))
    if version is None or version.signed_at is not None:
        return  # a signed version keeps its frozen file
    if version.content_sha256 != item.payload.get("content_sha256"):
        return  # content changed since; a newer render is queued
    doc = session.get(Document, item.document_id)
    try:
        data = render_version(session, doc, version)
    except Exception as exc:  # shown on the document, retried by the user
        version.render_status = RenderStatus.failed
        version.render_error = str(getattr(exc, "message", exc))[:2000]
        return
    key, digest = rt.files.put(data)
    version.file_key, version.file_sha256 = key, digest
    version.file_content_sha256 = version.content_sha256
    version.render_status, version.render_error = RenderStatus.ready, None
    version.rendered_at = clock.now()
