"""Organisations and their requisites (the ones every DOCX prints: full and short name,
founder, place, head and position, INN, address); a school is created by its municipality's
admin and deactivated rather than deleted."""

from __future__ import annotations

import re

from sqlalchemy import select
from sqlalchemy.orm import Session

from documents.models import Organization, OrgKind
from workflow.admin import log, scope
from workflow.engine.permissions import Actor
from workflow.errors import BadInput, NotFound
from workflow.names import require_letters

#: Field → (max length, required, Russian label).
FIELDS = {
    "name": (500, True, "Полное наименование"),
    "short_name": (200, True, "Краткое наименование"),
    "founder": (500, False, "Учредитель"),
    "place": (200, False, "Место издания"),
    "head_name": (200, False, "ФИО руководителя"),
    "head_position": (200, False, "Должность руководителя"),
    "inn": (12, False, "ИНН"),
    "address": (500, False, "Адрес"),
}

#: Fields that name someone or something: each must hold a letter.
NAMED = frozenset({"name", "short_name", "founder", "place", "head_name", "head_position"})


def inn_ok(inn: str) -> bool:
    """A Russian INN: 10 digits (organisation) or 12 (person) with valid check digits."""
    if not re.fullmatch(r"\d{10}|\d{12}", inn):
        return False
    d = [int(c) for c in inn]

    def check(weights: list[int], n: int) -> bool:
        return sum(w * x for w, x in zip(weights, d, strict=False)) % 11 % 10 == d[n]

    if len(d) == 10:
        return check([2, 4, 10, 3, 5, 9, 4, 6, 8], 9)
    return (check([7, 2, 4, 10, 3, 5, 9, 4, 6, 8], 10)
            and check([3, 7, 2, 4, 10, 3, 5, 9, 4, 6, 8], 11))


def clean_requisites(data: dict, *, partial: bool) -> dict:
    out = {}
    for name, (limit, required, label) in FIELDS.items():
        if name not in data:
            if required and not partial:
                raise BadInput(f"Не заполнено поле «{label}».", code="missing_field",
                               details={"field": name})
            continue
        value = data[name]
        if value is None:
            value = ""
        if not isinstance(value, str):
            raise BadInput(f"Поле «{label}» должно быть строкой.", code="invalid_field",
                           details={"field": name})
        value = " ".join(value.split())
        if required and not value:
            raise BadInput(f"Не заполнено поле «{label}».", code="missing_field",
                           details={"field": name})
        if len(value) > limit:
            raise BadInput(f"Поле «{label}» длиннее {limit} символов.", code="invalid_field",
                           details={"field": name})
        if name in NAMED:
            require_letters(value, label, name)
        if name == "inn" and value and not inn_ok(value):
            raise BadInput("ИНН должен состоять из 10 или 12 цифр с верными контрольными "
                           "разрядами.", code="invalid_inn", details={"field": name})
        out[name] = value
    return out


def create_municipality(session: Session, actor: Actor | None, data: dict) -> Organization:
    """The first-run step (CLI or the localhost page): a municipality with its requisites."""
    values = clean_requisites(data, partial=False)
    values.setdefault("head_position", "Начальник управления образования")
    org = Organization(kind=OrgKind.municipality, parent_id=None, **values)
    session.add(org)
    session.flush()
    log.record(session, actor, "create", "organization", org.id, org.id,
               {"name": org.name, "kind": "municipality"})
    return org


def create_school(rt, actor: Actor, data: dict) -> dict:
    """POST /organizations: a school of the admin's municipality."""
    with rt.db.write_session() as session:
        munis = scope.admin_municipalities(session, actor)
        parent_id = data.get("parent_id")
        if parent_id is None and len(munis) == 1:
            parent_id = next(iter(munis))
        if parent_id is not None and (isinstance(parent_id, bool)
                                      or not isinstance(parent_id, int)):
            raise BadInput("parent_id должен быть целым числом.", code="invalid_field")
        if data.get("kind", "school") != "school":
            raise BadInput("В браузере создаются только школы; муниципалитет создаётся при "
                           "первом запуске.", code="invalid_kind")
        if parent_id is None:
            scope.forbid("Создавать школы может администратор муниципалитета.")
        parent = scope.require_org(session, actor, parent_id, munis,
                                   "Создавать школы может администратор муниципалитета.")
        if parent.kind is not OrgKind.municipality:
            raise BadInput("Школа должна входить в муниципалитет.", code="invalid_parent")
        return add_school(session, actor, parent, data).to_admin_api()


def add_school(session: Session, actor: Actor | None, parent: Organization,
               data: dict) -> Organization:
    """Inside the caller's transaction: a school of ``parent`` with its requisites, its log
    row, and the items still open in its municipality's roadmaps (a school added mid-year
    has them to do like the others)."""
    from workflow.roadmaps.items import assign_open_items_to_school

    values = clean_requisites(data, partial=False)
    values.setdefault("head_position", "Директор")
    org = Organization(kind=OrgKind.school, parent_id=parent.id, **values)
    session.add(org)
    session.flush()
    log.record(session, actor, "create", "organization", org.id, org.id, values)
    assign_open_items_to_school(session, org.id)
    return org


def update_organization(rt, actor: Actor, org_id: int, data: dict) -> dict:
    """PATCH /organizations/{id}: requisites, and ``"active": false|true`` (admin only)."""
    with rt.db.write_session() as session:
        allowed = scope.requisite_org_ids(session, actor)
        org = scope.require_org(session, actor, org_id, allowed,
                                "Реквизиты организации может менять её администратор или "
                                "директор школы.")
        values = clean_requisites(data, partial=True)
        changes = {k: [getattr(org, k), v] for k, v in values.items() if getattr(org, k) != v}
        if "active" in data:
            active = data["active"]
            if not isinstance(active, bool):
                raise BadInput("Поле active: true или false.", code="invalid_field")
            if active != org.is_active:
                if scope.municipality_of(org) not in scope.admin_municipalities(session, actor):
                    scope.forbid("Деактивировать организацию может администратор муниципалитета.")
                if org.kind is OrgKind.municipality:
                    raise BadInput("Муниципалитет деактивировать нельзя.",
                                   code="cannot_deactivate_municipality")
                org.is_active = active
                log.record(session, actor, "activate" if active else "deactivate",
                           "organization", org.id, org.id, {"name": org.name})
        for key, (_old, new) in changes.items():
            setattr(org, key, new)
        if changes:
            log.record(session, actor, "update", "organization", org.id, org.id,
                       {k: f"{old} → {new}" for k, (old, new) in changes.items()})
        session.flush()
        return org.to_admin_api()


def list_for_admin(session: Session, actor: Actor) -> list[Organization]:
    """Organisations the actor administers (users or requisites), municipality first."""
    ids = scope.user_org_ids(session, actor) | scope.requisite_org_ids(session, actor)
    return list(session.scalars(select(Organization).where(Organization.id.in_(ids))
                                .order_by(Organization.kind, Organization.id)))


def get_for_admin(session: Session, actor: Actor, org_id: int) -> Organization:
    org = scope.require_visible(session, actor, org_id)
    if org.id not in scope.user_org_ids(session, actor) | scope.requisite_org_ids(session,
                                                                                  actor):
        raise NotFound("Организация не найдена.", code="organization_not_found")
    return org
