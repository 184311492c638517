"""The administrative log: one row per administrative change, written in the change's own
transaction. Other features call :func:`record` the same way."""

from __future__ import annotations

import io
import re
from collections.abc import Callable, Mapping
from datetime import date

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from documents.models import AdminLogEntry, Organization, User
from workflow import clock
from workflow.admin import scope
from workflow.engine import kinds
from workflow.engine.permissions import ROLE_TITLES, Actor

ACTIONS = {
    "create": "создание", "update": "изменение", "deactivate": "деактивация",
    "activate": "восстановление", "grant": "выдача роли", "revoke": "снятие роли",
    "invite": "приглашение", "password_set": "установка пароля", "import": "импорт",
}
#: An organisation's kind in a «create» entry's details (a document's kind is named by its title).
ORG_KINDS = {"municipality": "муниципалитет", "school": "школа"}
OBJECT_KINDS = {
    "user": "пользователь", "grant": "роль", "organization": "организация",
    "journal": "журнал регистрации", "route": "маршрут", "template": "шаблон",
}


DETAIL_LABELS = {
    "email": "e-mail", "full_name": "ФИО", "position": "должность", "user": "пользователь",
    "role": "роль", "name": "наименование", "short_name": "краткое наименование",
    "founder": "учредитель", "place": "место издания", "head_name": "руководитель",
    "head_position": "должность руководителя", "inn": "ИНН", "address": "адрес",
    "kind": "вид", "filename": "файл", "code": "журнал", "title": "название",
    "suffix": "суффикс", "kinds": "виды документов", "next_number": "следующий номер",
    "created": "создано", "unchanged": "без изменений", "first_run": "первый запуск",
    "handed_over": "ссылка передана администратором лично (почта не настроена)",
}


def record(session: Session, actor: Actor | None, action: str, object_kind: str,
           object_id: int | None, org_id: int | None, details: dict | None = None
           ) -> AdminLogEntry:
    """Add a log row inside the caller's transaction (commits and rolls back with it)."""
    entry = AdminLogEntry(at=clock.now(), actor_id=actor.id if actor else None,
                          actor_name=actor.full_name if actor else "система",
                          action=action, object_kind=object_kind, object_id=object_id,
                          org_id=org_id, details=details or {})
    session.add(entry)
    return entry


def _query(session: Session, actor: Actor, org_id: int | None, *, action: str | None = None,
           object_kind: str | None = None, actor_id: int | None = None,
           date_from: date | None = None, date_to: date | None = None):
    readable = scope.log_readable_org_ids(session, actor)
    if org_id is not None:
        scope.require_visible(session, actor, org_id)
        if org_id not in readable:
            scope.forbid("Журнал администрирования этой организации вам недоступен.")
        ids = {org_id}
    else:
        ids = readable
    q = select(AdminLogEntry).where(AdminLogEntry.org_id.in_(ids))
    if action:
        q = q.where(AdminLogEntry.action == action)
    if object_kind:
        q = q.where(AdminLogEntry.object_kind == object_kind)
    if actor_id:
        q = q.where(AdminLogEntry.actor_id == actor_id)
    if date_from:
        q = q.where(AdminLogEntry.at >= clock.day_start(date_from))
    if date_to:
        q = q.where(AdminLogEntry.at < clock.day_end(date_to))
    return q


def list_log(session: Session, actor: Actor, org_id: int | None = None, *, page: int = 1,
             per_page: int = 50, **filters) -> dict:
    page, per_page = max(page, 1), min(max(per_page, 1), 200)
    q = _query(session, actor, org_id, **filters)
    total = session.scalar(select(func.count()).select_from(q.subquery()))
    rows = session.scalars(q.order_by(AdminLogEntry.at.desc(), AdminLogEntry.id.desc())
                           .offset((page - 1) * per_page).limit(per_page))
    return {"items": [r.to_api() for r in rows], "total": total, "page": page}


def object_names(session: Session, entries: list[dict]) -> dict[tuple[str, int], str]:
    """What people call each entry's object (a person's name, an organisation's short
    name), keyed by (object_kind, object_id); a grant's object is its user. Two queries."""
    user_ids = {e["object_id"] for e in entries
                if e["object_kind"] in ("user", "grant") and e["object_id"]}
    org_ids = {e["object_id"] for e in entries
               if e["object_kind"] == "organization" and e["object_id"]}
    names: dict[tuple[str, int], str] = {}
    if user_ids:
        for uid, name in session.execute(select(User.id, User.full_name)
                                         .where(User.id.in_(user_ids))):
            names[("user", uid)] = names[("grant", uid)] = name
    if org_ids:
        for oid, name in session.execute(select(Organization.id, Organization.short_name)
                                         .where(Organization.id.in_(org_ids))):
            names[("organization", oid)] = name
    return names


def export_xlsx(session: Session, actor: Actor, org_id: int | None = None, **filters) -> bytes:
    """The filtered log as an XLSX workbook (newest first)."""
    from openpyxl import Workbook

    q = _query(session, actor, org_id, **filters)
    wb = Workbook()
    ws = wb.active
    ws.title = "Журнал"
    ws.append(["Дата и время (UTC)", "Кто", "Действие", "Объект", "Чей / какой",
               "Организация", "Подробности"])
    rows = list(session.scalars(q.order_by(AdminLogEntry.at.desc(), AdminLogEntry.id.desc())))
    names = object_names(session, [{"object_kind": r.object_kind, "object_id": r.object_id}
                                   for r in rows])
    orgs = {oid: name for oid, name in session.execute(
        select(Organization.id, Organization.short_name)
        .where(Organization.id.in_({r.org_id for r in rows if r.org_id})))}
    for r in rows:
        ws.append([r.at.strftime("%d.%m.%Y %H:%M:%S") if r.at else "", r.actor_name,
                   ACTIONS.get(r.action, r.action), OBJECT_KINDS.get(r.object_kind,
                                                                    r.object_kind),
                   names.get((r.object_kind, r.object_id), ""), orgs.get(r.org_id, ""),
                   details_text(r.details)])
    for col, width in zip("ABCDEFG", (20, 30, 18, 20, 10, 12, 80), strict=True):
        ws.column_dimensions[col].width = width
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def details_text(details: dict | None, *, keys: Mapping[str, str] = DETAIL_LABELS,
                 roles: Mapping[str, str] = ROLE_TITLES,
                 org_kinds: Mapping[str, str] = ORG_KINDS,
                 kind_title: Callable[[str], str] | None = None) -> str:
    """An entry's details as people read them: each key by its label, a role and a kind of
    document by their titles (the entry keeps the codes; a page passes its language's words).
    A change reads «old → new», a journal's kinds as those added and taken away; what was
    created reads its value alone."""
    kind_title = kind_title or _kind_title

    def shown(key: str, value) -> str:
        if key == "role":
            return roles.get(value, value)
        if key == "kind":
            return org_kinds.get(value) or kind_title(value)
        text = str(value).removeprefix("None → ")
        if key == "kinds":  # a change: the kinds added (+) and taken away (−)
            sides = [_CODE.findall(side) for side in text.split(" → ")]
            if len(sides) == 1:
                return ", ".join(kind_title(c) for c in sides[0]) or "—"
            old, new = sides[0], sides[-1]
            return ", ".join([f"+ {kind_title(c)}" for c in new if c not in old]
                             + [f"− {kind_title(c)}" for c in old if c not in new])
        return text

    return "; ".join(keys.get(k, k) if v is True else f"{keys.get(k, k)}: {shown(k, v)}"
                     for k, v in (details or {}).items())


def _kind_title(code: str) -> str:
    spec = kinds.KINDS.get(code)
    return spec.title if spec else code


_CODE = re.compile(r"'(\w+)'")
