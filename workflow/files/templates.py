"""DOCX templates: the built-in ones (templates_docx/) and those an organisation uploads.

An admin of a school or of its municipality uploads a template for one kind; it is validated
(documents.docx.validate_template) and tried on sample data before it is stored. The template
in force for a document is its organisation's own active one, else its municipality's, else
the built-in one — registered here as a `workflow.files.rendering.template_lookup`.
"""

from __future__ import annotations

import functools
from collections import OrderedDict
from dataclasses import dataclass
from datetime import datetime
from threading import Lock

from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from documents.docx import (
    KIND_VARIABLES,
    DocxError,
    RenderError,
    TemplateInvalid,
    TemplateUnsafe,
    build_context,
    docx_to_html,
    render_docx,
    validate_template,
)
from documents.docx.render import builtin_template
from documents.docx.samples import sample_snapshot
from documents.files import FileStore
from documents.models import Document, DocumentVersion, Organization, UploadedTemplate
from workflow.engine.permissions import Actor, may_manage_templates, visible_org_ids
from workflow.errors import BadInput, Conflict, Forbidden, NotFound, RuleViolation, TooLarge
from workflow.files.rendering import template_lookup

#: Largest template file accepted (the packed DOCX; unpacked limits are the validator's).
MAX_TEMPLATE_BYTES = 10 * 1024 * 1024
KINDS_ORDER = ("order", "curator_order", "pair_order", "regulation", "incentive_scheme",
               "programme", "roadmap")

#: File stores by database URL, so the render lookup (which only gets a session) can read
#: template bytes; every Runtime registers its store through `attach`.
_STORES: dict[str, FileStore] = {}
_CACHE: OrderedDict[str, bytes] = OrderedDict()
_CACHE_SIZE = 32
_LOCK = Lock()


@dataclass(frozen=True)
class TemplateEntry:
    """A template in force: built-in (id None) or uploaded."""

    kind: str
    builtin: bool
    sha256: str
    variables: list[str]
    filename: str
    id: int | None = None
    org_id: int | None = None
    created_at: datetime | None = None
    uploaded_by_name: str = ""
    #: For a page about one organisation: "own", "municipality" or "builtin".
    source: str = "builtin"

    def to_api(self) -> dict:
        return {"id": self.id, "kind": self.kind, "org_id": self.org_id, "sha256": self.sha256,
                "variables": list(self.variables), "builtin": self.builtin,
                "filename": self.filename,
                "created_at": _iso(self.created_at) if self.created_at else None}


@dataclass(frozen=True)
class TemplatesPage:
    orgs: list[dict]
    org: dict
    entries: list[TemplateEntry]
    can_upload: bool
    #: The variables a template of each kind may use.
    allowed: dict[str, list[str]]


@dataclass(frozen=True)
class TemplatePreview:
    entry: TemplateEntry
    org: dict
    html: str
    error: str = ""


def _iso(value: datetime) -> str:
    return value.strftime("%Y-%m-%dT%H:%M:%SZ")


def attach(rt) -> None:
    """Let the render lookup find uploaded template bytes in this runtime's file store."""
    _STORES[_url_key(rt.db.engine.url)] = rt.files


def _url_key(url) -> str:
    return url.render_as_string(hide_password=True) if hasattr(url, "render_as_string") \
        else str(url)


# --- reading --------------------------------------------------------------------------------


def _check_kind(kind: str | None) -> None:
    if kind is not None and kind not in KIND_VARIABLES:
        raise BadInput(f"Неизвестный вид документа «{kind}». Допустимые виды: "
                       f"{', '.join(KINDS_ORDER)}.", code="unknown_kind")


def _visible_org(session: Session, actor: Actor, org_id: int) -> Organization:
    org = session.get(Organization, org_id)
    if org is None or org.id not in visible_org_ids(session, actor):
        raise NotFound("Организация не найдена.", code="organization_not_found")
    return org


def _org_dict(org: Organization) -> dict:
    return {"id": org.id, "name": org.name, "short_name": org.short_name,
            "kind": org.kind.value, "parent_id": org.parent_id}


@functools.lru_cache(maxsize=16)
def _builtin_entry(kind: str) -> TemplateEntry:
    data = builtin_template(kind)
    info = validate_template(data, kind)
    return TemplateEntry(kind=kind, builtin=True, sha256=info.sha256,
                         variables=list(info.variables), filename=f"{kind}.docx")


def _uploaded_entry(row: UploadedTemplate, source: str = "own") -> TemplateEntry:
    return TemplateEntry(kind=row.kind, builtin=False, sha256=row.sha256,
                         variables=list(row.variables or []), filename=row.filename, id=row.id,
                         org_id=row.org_id, created_at=row.created_at,
                         uploaded_by_name=row.uploaded_by_name, source=source)


def _active_rows(session: Session, org_ids: set[int], kind: str | None) -> list[UploadedTemplate]:
    if not org_ids:
        return []
    query = select(UploadedTemplate).where(UploadedTemplate.org_id.in_(org_ids),
                                           UploadedTemplate.is_active.is_(True))
    if kind is not None:
        query = query.where(UploadedTemplate.kind == kind)
    return list(session.scalars(query.order_by(UploadedTemplate.id)))


def _in_force(org: Organization, kind: str, active: dict[tuple[int, str], UploadedTemplate]
              ) -> TemplateEntry:
    own = active.get((org.id, kind))
    if own is not None:
        return _uploaded_entry(own, "own")
    if org.parent_id is not None and (org.parent_id, kind) in active:
        return _uploaded_entry(active[(org.parent_id, kind)], "municipality")
    return _builtin_entry(kind)


def templates_in_force(session: Session, orgs: list[Organization], kind: str | None = None
                       ) -> dict[int, list[TemplateEntry]]:
    """For each organisation, the template in force per kind (one query for all)."""
    ids = {o.id for o in orgs} | {o.parent_id for o in orgs if o.parent_id is not None}
    active = {(r.org_id, r.kind): r for r in _active_rows(session, ids, kind)}
    kinds = [kind] if kind else list(KINDS_ORDER)
    return {org.id: [_in_force(org, k, active) for k in kinds] for org in orgs}


def list_templates(session: Session, actor: Actor, kind: str | None = None,
                   org_id: int | None = None) -> list[TemplateEntry]:
    """The templates in force, built-in or uploaded, for one organisation or all visible ones."""
    _check_kind(kind)
    if org_id is not None:
        orgs = [_visible_org(session, actor, org_id)]
    else:
        ids = visible_org_ids(session, actor)
        orgs = list(session.scalars(select(Organization).where(Organization.id.in_(ids))
                                    .order_by(Organization.id))) if ids else []
    seen: set[tuple] = set()
    out: list[TemplateEntry] = []
    kinds = [kind] if kind else list(KINDS_ORDER)
    by_org = templates_in_force(session, orgs, kind)
    if not orgs:  # nobody's documents to render: the built-in ones are still what applies
        by_org = {0: [_builtin_entry(k) for k in kinds]}
    for entries in by_org.values():
        for entry in entries:
            key = ("builtin", entry.kind) if entry.builtin else ("uploaded", entry.id)
            if key not in seen:
                seen.add(key)
                out.append(entry)
    order = {k: i for i, k in enumerate(KINDS_ORDER)}
    out.sort(key=lambda e: (order.get(e.kind, 99), not e.builtin, e.org_id or 0))
    return out


def templates_page(session: Session, actor: Actor, org_id: int | None = None) -> TemplatesPage:
    """The templates page: the organisations to choose from and the templates in force."""
    ids = visible_org_ids(session, actor)
    if not ids:
        raise NotFound("Нет доступных организаций.", code="organization_not_found")
    orgs = list(session.scalars(select(Organization).where(Organization.id.in_(ids))
                                .order_by(Organization.kind, Organization.id)))
    if org_id is None:
        manageable = [o for o in orgs if may_manage_templates(actor, o)]
        org = (manageable or orgs)[0]
    else:
        org = _visible_org(session, actor, org_id)
    entries = templates_in_force(session, [org])[org.id]
    return TemplatesPage(orgs=[_org_dict(o) for o in orgs], org=_org_dict(org),
                         entries=entries, can_upload=may_manage_templates(actor, org),
                         allowed={k: sorted(v) for k, v in KIND_VARIABLES.items()})


def _store_for(session: Session) -> FileStore | None:
    bind = session.get_bind()
    return _STORES.get(_url_key(bind.url))


def _read(store: FileStore | None, row: UploadedTemplate) -> bytes:
    with _LOCK:
        cached = _CACHE.get(row.sha256)
        if cached is not None:
            _CACHE.move_to_end(row.sha256)
            return cached
    if store is None:
        raise RenderError("Хранилище файлов недоступно: загруженный шаблон не прочитать")
    try:
        data = store.get(row.file_key)
    except OSError as exc:
        raise RenderError(f"Файл загруженного шаблона «{row.filename}» не найден "
                          "в хранилище") from exc
    with _LOCK:
        _CACHE[row.sha256] = data
        while len(_CACHE) > _CACHE_SIZE:
            _CACHE.popitem(last=False)
    return data


def active_template(session: Session, kind: str, org: Organization) -> UploadedTemplate | None:
    """The organisation's own active template of `kind`, else its municipality's, else None."""
    ids = {org.id} | ({org.parent_id} if org.parent_id is not None else set())
    rows = {r.org_id: r for r in _active_rows(session, ids, kind)}
    return rows.get(org.id) or (rows.get(org.parent_id) if org.parent_id else None)


def uploaded_template_bytes(session: Session, kind: str, org) -> bytes | None:
    """The `template_lookup` hook: bytes of the uploaded template in force, or None."""
    if org is None:
        return None
    row = active_template(session, kind, org)
    return None if row is None else _read(_store_for(session), row)


template_lookup.append(uploaded_template_bytes)


# --- uploading ------------------------------------------------------------------------------


def _refusal(exc: DocxError) -> RuleViolation:
    unsafe = isinstance(exc, TemplateUnsafe) or _from_sandbox(exc)
    return RuleViolation(exc.message, code="template_unsafe" if unsafe else "template_invalid")


def _from_sandbox(exc: BaseException) -> bool:
    from jinja2.sandbox import SecurityError

    cause = exc.__cause__
    return isinstance(cause, (SecurityError, TemplateUnsafe))


#: The trial render of an upload on sample data must finish within this (limits.py).
TRIAL_SECONDS = 1.5


def check_template(data: bytes, kind: str) -> list[str]:
    """Validate an upload and try it on sample data; returns its variables or raises 422."""
    try:
        info = validate_template(data, kind)
    except TemplateInvalid as exc:
        raise _refusal(exc) from exc
    try:
        render_docx(kind, build_context(sample_snapshot(kind)), data,
                    time_limit=TRIAL_SECONDS)
    except RenderError as exc:
        refusal = _refusal(exc)
        refusal.message = f"Шаблон не удалось заполнить на образце документа: {exc.message}"
        raise refusal from exc
    return list(info.variables)


def upload_template(rt, actor: Actor, kind: str, org_id: int, filename: str,
                    data: bytes | None) -> UploadedTemplate:
    """Store a new template of `kind` for the organisation; it replaces the active one."""
    with rt.db.read_session() as session:
        org = _visible_org(session, actor, org_id)
        if not may_manage_templates(actor, org):
            raise Forbidden("Загружать шаблоны может только администратор этой организации "
                            "или её муниципалитета.", code="templates_not_allowed")
    _check_kind(kind)
    if kind is None:
        raise BadInput("Укажите вид документа (kind).", code="missing_field")
    if not data:
        raise BadInput("Приложите файл шаблона (поле file).", code="missing_file")
    if len(data) > MAX_TEMPLATE_BYTES:
        raise TooLarge(f"Файл шаблона слишком велик: {len(data) // 1024} КБ "
                       f"(допустимо не более {MAX_TEMPLATE_BYTES // 2**20} МБ).",
                       code="template_too_large")
    variables = check_template(data, kind)
    key, digest = rt.files.put(data, suffix=".docx")
    filename = (filename or f"{kind}.docx").replace("\\", "/").rsplit("/", 1)[-1][:255]
    try:
        with rt.db.write_session() as session:
            org = _visible_org(session, actor, org_id)
            session.execute(update(UploadedTemplate)
                            .where(UploadedTemplate.kind == kind,
                                   UploadedTemplate.org_id == org.id,
                                   UploadedTemplate.is_active.is_(True))
                            .values(is_active=False)
                            .execution_options(synchronize_session=False))
            session.flush()
            row = UploadedTemplate(kind=kind, org_id=org.id, sha256=digest, file_key=key,
                                   filename=filename, variables=variables,
                                   uploaded_by_id=actor.id, uploaded_by_name=actor.full_name,
                                   is_active=True)
            session.add(row)
            _outdate_drafts(session, kind, org)
            session.flush()
            from workflow.admin import log as admin_log

            admin_log.record(session, actor, "create", "template", row.id, org.id,
                             {"kind": kind, "filename": filename})
    except IntegrityError as exc:
        raise Conflict("Шаблон этого вида одновременно загружает другой пользователь. "
                       "Повторите.", code="template_conflict") from exc
    return row


def _outdate_drafts(session: Session, kind: str, org: Organization) -> None:
    """Unsigned files of this kind in the organisation (and its schools) are re-rendered on the
    next download: their content did not change, but their template did."""
    orgs = select(Organization.id).where(
        (Organization.id == org.id) | (Organization.parent_id == org.id))
    docs = select(Document.id).where(Document.kind == kind, Document.org_id.in_(orgs))
    session.execute(update(DocumentVersion)
                    .where(DocumentVersion.document_id.in_(docs),
                           DocumentVersion.signed_at.is_(None))
                    .values(file_content_sha256=None)
                    .execution_options(synchronize_session=False))


# --- previews -------------------------------------------------------------------------------


def preview_template(rt, actor: Actor, kind: str, org_id: int) -> TemplatePreview:
    """The template in force for (kind, organisation) filled with sample data, as HTML."""
    _check_kind(kind)
    if kind is None:
        raise BadInput("Укажите вид документа (kind).", code="missing_field")
    session = rt.db.session
    org = _visible_org(session, actor, org_id)
    entry = templates_in_force(session, [org], kind)[org.id][0]
    try:
        template = None
        if not entry.builtin:
            row = session.get(UploadedTemplate, entry.id)
            template = _read(rt.files, row)
        data = render_docx(kind, build_context(sample_snapshot(kind)), template)
        html = docx_to_html(data)
    except DocxError as exc:
        return TemplatePreview(entry=entry, org=_org_dict(org), html="", error=exc.message)
    return TemplatePreview(entry=entry, org=_org_dict(org), html=html)
