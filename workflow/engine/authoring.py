"""Creating and editing drafts."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select, update

from documents.models import DocState, Document, DocumentVersion, Organization, Roadmap, RoadmapItem
from documents.search import document_search_text
from workflow import clock
from workflow.audit.chain import append_event
from workflow.engine.edit_summary import summarise
from workflow.engine.kinds import clean_fields, get_kind
from workflow.engine.permissions import Actor, is_item_responsible, may_author, visible_org_ids
from workflow.engine.transition import current_version, load_document, responsible_ok
from workflow.errors import BadInput, Conflict, Forbidden, NotFound, RuleViolation
from workflow.files.rendering import content_sha256, request_preview

MAX_TITLE = 500


def _title(value: object) -> str:
    if not isinstance(value, str) or not value.strip():
        raise BadInput("Укажите заголовок документа.", code="invalid_title")
    if len(value) > MAX_TITLE:
        raise BadInput("Заголовок длиннее %(n)s символов.", code="invalid_title",
                       params={"n": MAX_TITLE})
    return value.strip()


def _check_links(session, org_id: int, responsible_id: int | None,
                 roadmap_item_id: int | None) -> None:
    if responsible_id is not None and not responsible_ok(session, responsible_id, org_id):
        raise RuleViolation("Ответственный должен быть сотрудником этой организации.",
                            code="responsible_outside_org")
    if roadmap_item_id is not None:
        item_org = session.scalar(select(Roadmap.org_id).join(RoadmapItem).where(
            RoadmapItem.id == roadmap_item_id))
        if item_org != org_id:
            raise RuleViolation("Пункт дорожной карты не найден в этой организации.",
                                code="roadmap_item_outside_org")


def create_document(rt, actor: Actor, *, kind: str, org_id: int, title: object,
                    fields: object = None, roadmap_item_id: int | None = None,
                    responsible_id: int | None = None, due: date | None = None) -> int:
    """Create a draft (version 1) with its first history event; returns its id."""
    with rt.db.write_session() as session:
        org = session.get(Organization, org_id)
        if org is None or org_id not in visible_org_ids(session, actor):
            raise NotFound("Организация не найдена.", code="organization_not_found")
        if not may_author(actor, org):
            raise Forbidden("Создавать документы этой организации вам не разрешено.",
                            code="create_not_allowed")
        if get_kind(kind).internal:
            raise RuleViolation("Документы этого вида создаются вместе с дорожной картой.",
                                code="kind_not_creatable")
        clean = clean_fields(kind, fields if fields is not None else {})
        _check_kind_links(session, kind, org_id, clean, None)
        title = _title(title)
        _check_links(session, org_id, responsible_id, roadmap_item_id)
        doc, item = add_draft(session, actor_id=actor.id, actor_name=actor.full_name, kind=kind,
                              org_id=org_id, title=title, fields=clean,
                              roadmap_item_id=roadmap_item_id, responsible_id=responsible_id,
                              due=due)
        doc_id = doc.id
    rt.after_commit([item.id] if item else [])
    return doc_id


def add_draft(session, *, actor_id: int | None, actor_name: str, kind: str, org_id: int,
              title: str, fields: dict, roadmap_item_id: int | None = None,
              responsible_id: int | None = None, due: date | None = None,
              assignment_of: int | None = None):
    """The draft, its version 1 and its «create» history event inside the caller's
    transaction (fields already clean); returns (document, preview outbox item or None)."""
    now = clock.now()
    doc = Document(kind=kind, org_id=org_id, title=title, state=DocState.draft, version=1,
                   lock_version=0, fields=fields, responsible_id=responsible_id, due=due,
                   roadmap_item_id=roadmap_item_id, author_id=actor_id, created_at=now,
                   updated_at=now, assignment_of=assignment_of)
    session.add(doc)
    session.flush()
    version = DocumentVersion(document_id=doc.id, number=1, title=title, fields=fields,
                              content_sha256=content_sha256(title, fields),
                              created_by_name=actor_name)
    session.add(version)
    session.flush()
    append_event(session, org_id=org_id, document_id=doc.id, actor_id=actor_id,
                 actor_name=actor_name, event="create", from_state=None,
                 to_state=DocState.draft.value, version=1, comment="",
                 content_sha256=version.content_sha256)
    return doc, request_preview(session, doc, version)


_UNSET = object()


def update_document(rt, actor: Actor, document_id: int, *, expected_version: int,
                    title: object = _UNSET, fields: object = _UNSET,
                    responsible_id: object = _UNSET, due: object = _UNSET) -> int:
    """Edit a draft; every edit is a history event and bumps ``lock_version``."""
    with rt.db.write_session() as session:
        doc = load_document(session, actor, document_id)
        if not may_author(actor, doc.organization) and not is_item_responsible(actor, doc):
            raise Forbidden("Редактировать документ вам не разрешено.", code="edit_not_allowed")
        if doc.state is not DocState.draft:
            raise RuleViolation("Изменять можно только черновик. Верните документ на доработку.",
                                code="not_editable")
        if expected_version != doc.lock_version:
            raise Conflict("Документ уже изменён другим пользователем. Обновите страницу.",
                           code="stale_lock_version")
        values: dict = {}
        before = (doc.title, doc.fields, {"responsible_id": doc.responsible_id, "due": doc.due})
        if title is not _UNSET:
            values["title"] = _title(title)
            values["search_text"] = document_search_text(values["title"],
                                                         doc.registration_number)
        if fields is not _UNSET:
            values["fields"] = clean_fields(doc.kind, fields)
            _check_kind_links(session, doc.kind, doc.org_id, values["fields"], doc.id)
        if responsible_id is not _UNSET:
            _check_links(session, doc.org_id, responsible_id, None)
            values["responsible_id"] = responsible_id
        if due is not _UNSET:
            values["due"] = due
        result = session.execute(
            update(Document)
            .where(Document.id == doc.id, Document.lock_version == expected_version)
            .values(lock_version=expected_version + 1, updated_at=clock.now(), **values)
            .execution_options(synchronize_session=False)
        )
        if result.rowcount != 1:
            raise Conflict("Документ уже изменён другим пользователем. Обновите страницу.",
                           code="stale_lock_version")
        session.refresh(doc)
        summary = summarise(doc.kind, before[0], doc.title, before[1], doc.fields, before[2],
                            {k: values[k] for k in ("responsible_id", "due") if k in values})
        version = current_version(session, doc)
        version.title, version.fields = doc.title, doc.fields
        version.content_sha256 = content_sha256(doc.title, doc.fields)
        append_event(session, org_id=doc.org_id, document_id=doc.id, actor_id=actor.id,
                     actor_name=actor.full_name, event="edit", from_state=doc.state.value,
                     to_state=doc.state.value, version=doc.version, comment=summary,
                     content_sha256=version.content_sha256)
        item = request_preview(session, doc, version)
    rt.after_commit([item.id] if item else [])
    return document_id


def _check_kind_links(session, kind: str, org_id: int, fields: dict, doc_id: int | None) -> None:
    """Links to other registers are checked on save, not first at submission."""
    if kind == "pair_order":
        from workflow.mentorship.pair_choice import check_selectable

        check_selectable(session, org_id, fields.get("pair_ids"), doc_id)
