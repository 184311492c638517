"""Everything the page of one document shows, read in a fixed number of queries: the document,
what the reader may do now, its history, its versions with what changed, the file status and,
for an auditor, whether the organisation's history chain holds."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from sqlalchemy.orm import Session

from documents.models import Document, DocumentVersion, HistoryEvent, Role
from documents.models.document import RenderStatus
from workflow import clock
from workflow.audit import checkpoints
from workflow.audit.chain import VerifyResult
from workflow.engine import machine
from workflow.engine.kinds import get_kind
from workflow.engine.permissions import Actor, may_author
from workflow.engine.queries import (
    available_events,
    document_history,
    document_versions,
    get_document,
    is_overdue,
)
from workflow.engine.transition import load_with_context
from workflow.notify.inbox import org_members, user_names


@dataclass(frozen=True)
class Change:
    path: str  # "clauses.1.text"
    old: object
    new: object


@dataclass
class VersionView:
    version: DocumentVersion
    changes: list[Change] = field(default_factory=list)


@dataclass
class DocumentPage:
    doc: Document
    kind_title: str
    events: list[str]
    remark_required: dict[str, str]
    may_edit: bool
    overdue: bool
    responsible_name: str
    author_name: str
    history: list[HistoryEvent]
    versions: list[VersionView]
    file_status: str  # "ready" | "pending" | "failed" | "none"
    file_error: str
    chain: VerifyResult | None


def flatten(value: object, prefix: str = "") -> dict[str, object]:
    """{"clauses": [{"text": "a"}]} → {"clauses.0.text": "a"}; scalars and empty lists kept."""
    if isinstance(value, dict):
        out: dict[str, object] = {}
        for key, item in value.items():
            out.update(flatten(item, f"{prefix}.{key}" if prefix else str(key)))
        return out
    if isinstance(value, list) and value:
        out = {}
        for i, item in enumerate(value):
            out.update(flatten(item, f"{prefix}.{i}"))
        return out
    return {prefix: value}


def diff_fields(old: dict, new: dict, old_title: str = "", new_title: str = "") -> list[Change]:
    """Field-level differences between two versions' fields (and titles)."""
    changes = [Change("title", old_title, new_title)] if old_title != new_title else []
    a, b = flatten(old or {}), flatten(new or {})
    for path in sorted(set(a) | set(b), key=_path_key):
        before, after = a.get(path), b.get(path)
        if before in (None, "", []) and after in (None, "", []):
            continue
        if before != after:
            changes.append(Change(path, before, after))
    return changes


def _path_key(path: str) -> tuple:
    return tuple((0, int(p), "") if p.isdigit() else (1, 0, p) for p in path.split("."))


def _with_changes(versions: list[DocumentVersion]) -> list[VersionView]:
    out, prev = [], None
    for v in versions:
        changes = diff_fields(prev.fields, v.fields, prev.title, v.title) if prev else []
        out.append(VersionView(v, changes))
        prev = v
    return out


def _file_status(version: DocumentVersion | None) -> tuple[str, str]:
    if version is None:
        return "none", ""
    fresh = version.signed_at is not None or version.file_content_sha256 == version.content_sha256
    if version.file_key and fresh:
        return "ready", ""
    if version.render_status is RenderStatus.failed:
        return "failed", version.render_error or ""
    if version.render_status is RenderStatus.pending:
        return "pending", ""
    return "none", ""


def document_page(session: Session, actor: Actor, document_id: int,
                  today: date | None = None) -> DocumentPage:
    doc = load_with_context(session, actor, document_id)  # the route and appendices with it
    history = document_history(session, actor, document_id)
    versions = document_versions(session, actor, document_id)
    names = user_names(session, {doc.responsible_id, doc.author_id})
    current = next((v for v in versions if v.number == doc.version), None)
    status, error = _file_status(current)
    chain = None
    if Role.auditor in actor.roles_in(doc.org_id) | actor.roles_in(doc.organization.parent_id):
        chain = checkpoints.verify(session, doc.org_id)  # walks only events since the last head
    events = available_events(actor, doc)
    return DocumentPage(
        doc=doc, kind_title=get_kind(doc.kind).title, events=events,
        remark_required={e: machine.REMARK_REQUIRED[e] for e in events
                         if e in machine.REMARK_REQUIRED},
        may_edit=doc.state.value == "draft" and may_author(actor, doc.organization),
        overdue=is_overdue(doc, today or clock.today()),
        responsible_name=names.get(doc.responsible_id, ""),
        author_name=names.get(doc.author_id, ""),
        history=history, versions=_with_changes(versions), file_status=status,
        file_error=error, chain=chain)


@dataclass
class EditContext:
    doc: Document
    members: list
    may_edit: bool


def edit_context(session: Session, actor: Actor, document_id: int) -> EditContext:
    """The draft to edit and the people who may be made responsible for it."""
    doc = get_document(session, actor, document_id)
    return EditContext(doc, org_members(session, {doc.org_id}),
                       may_author(actor, doc.organization))


@dataclass
class NewContext:
    orgs: list  # organisations where the actor may create documents
    members: list


def new_context(session: Session, actor: Actor) -> NewContext:
    """Where the actor may draft documents and who may be made responsible there."""
    from workflow.notify.inbox import org_names

    orgs = [o for o in org_names(session, set(actor.org_ids)).values() if may_author(actor, o)]
    orgs.sort(key=lambda o: o.name)
    return NewContext(orgs, org_members(session, {o.id for o in orgs}))


@dataclass
class ListPage:
    rows: list[Document]
    total: int
    names: dict[int, str]  # responsible id → name
    orgs: list  # organisations to filter by
    members: list  # people to filter by (of the actor's own organisations)


def document_list(session: Session, actor: Actor, **filters) -> ListPage:
    """One page of the documents list with what its filters offer; constant queries."""
    from workflow.engine.queries import list_documents, list_organizations

    rows, total = list_documents(session, actor, **filters)
    return ListPage(rows, total, user_names(session, {d.responsible_id for d in rows}),
                    list_organizations(session, actor),
                    org_members(session, set(actor.org_ids)))
