"""Approval routes: what happens inside ``on_approval``. The route in force for an
organisation and kind (its own, else the built-in default of api.md), checking a route a
person wrote, and copying it onto a document at submit — so a route edited later does not
change documents already on it."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from documents.models import ApprovalRoute, DocumentRoute, Grant, Organization, OrgKind, Role
from workflow import clock
from workflow.engine.kinds import KINDS, get_kind
from workflow.engine.permissions import Actor, granted_kinds
from workflow.errors import BadInput, Forbidden, RuleViolation

MODES = ("all", "any", "n_of_m")
COLLEGIAL_BODIES = {
    "pedagogical_council": "Педагогический совет",
    "trade_union": "Первичная профсоюзная организация",
    "student_council": "Совет обучающихся",
    "parents_council": "Совет родителей",
    "governing_council": "Управляющий совет",
}
#: Roles a stage may name as participants.
STAGE_ROLES = tuple(r.value for r in Role if r is not Role.auditor)

_DIRECTOR = {"title": "Директор", "mode": "any", "participants": [{"role": "director"}]}
_COUNCIL = {"title": "Педагогический совет", "collegial_body": "pedagogical_council"}
_UNION = {"title": "Профсоюзная организация", "collegial_body": "trade_union"}
#: The built-in defaults (api.md): every other kind — the director alone.
DEFAULTS: dict[str, list[dict]] = {
    "regulation": [_COUNCIL, _UNION, _DIRECTOR],
    "incentive_scheme": [_UNION, _DIRECTOR],
}


def default_route(kind: str) -> list[dict]:
    return [dict(s) for s in DEFAULTS.get(kind, [_DIRECTOR])]


def is_collegial(stage: dict) -> bool:
    return bool(stage.get("collegial_body"))


def needed(stage: dict) -> int:
    """How many participants' visas complete a stage (collegial: one protocol)."""
    if is_collegial(stage):
        return 1
    mode, m = stage.get("mode", "all"), len(stage.get("participants") or [])
    return {"all": m, "any": 1}.get(mode, int(stage.get("n") or 1))


def route_in_force(session: Session, org_id: int, kind: str) -> tuple[list[dict], bool]:
    """(stages, is_default) for an organisation and kind."""
    own = session.scalar(select(ApprovalRoute).where(ApprovalRoute.org_id == org_id,
                                                     ApprovalRoute.kind == kind))
    if own is not None and own.stages:
        return list(own.stages), False
    return default_route(kind), True


def _members(session: Session, org_id: int) -> set[int]:
    return set(session.scalars(select(Grant.user_id).where(Grant.org_id == org_id)))


def clean_stages(session: Session, org_id: int, stages: object) -> list[dict]:
    """A route as a person wrote it → normalised stages; 422 naming the first bad stage."""
    if not isinstance(stages, list) or not stages:
        raise RuleViolation("В маршруте нет ни одного этапа.", code="route_invalid")
    members = _members(session, org_id)
    out = []
    for i, raw in enumerate(stages, start=1):
        where = f"Этап {i}"
        if not isinstance(raw, dict):
            raise RuleViolation(f"{where}: ожидается объект.", code="route_invalid")
        title = str(raw.get("title") or "").strip()[:200]
        due = raw.get("due_days")
        if due is not None and (not isinstance(due, int) or isinstance(due, bool)
                                or not 0 < due <= 365):
            raise RuleViolation(f"{where}: срок — целое число дней от 1 до 365.",
                                code="route_invalid")
        body = raw.get("collegial_body")
        if body:
            if body not in COLLEGIAL_BODIES:
                raise RuleViolation(f"{where}: неизвестный коллегиальный орган «{body}».",
                                    code="route_invalid")
            stage = {"title": title or COLLEGIAL_BODIES[body], "collegial_body": body}
        else:
            mode = raw.get("mode", "all")
            if mode not in MODES:
                raise RuleViolation(f"{where}: режим должен быть all, any или n_of_m.",
                                    code="route_invalid")
            people = raw.get("participants")
            if not isinstance(people, list) or not people:
                raise RuleViolation(f"{where}: нет ни одного участника.", code="route_invalid")
            participants = []
            for p in people:
                if isinstance(p, dict) and "user_id" in p:
                    uid = p["user_id"]
                    if not isinstance(uid, int) or isinstance(uid, bool):
                        raise RuleViolation(f"{where}: неизвестный пользователь.",
                                            code="route_invalid")
                    if uid not in members:
                        raise RuleViolation(f"{where}: пользователь {uid} не работает в этой "
                                            "организации.", code="route_invalid")
                    item = {"user_id": uid}
                elif isinstance(p, dict) and p.get("role") in STAGE_ROLES:
                    item = {"role": p["role"]}
                else:
                    raise RuleViolation(f"{where}: участник — {{\"user_id\"}} или {{\"role\"}}.",
                                        code="route_invalid")
                if item not in participants:
                    participants.append(item)
            stage = {"title": title or f"Этап {i}", "mode": mode, "participants": participants}
            if mode == "n_of_m":
                n = raw.get("n")
                if not isinstance(n, int) or isinstance(n, bool) or n < 1:
                    raise RuleViolation(f"{where}: укажите n — сколько виз нужно.",
                                        code="route_invalid")
                if n > len(participants):
                    raise RuleViolation(f"{where}: n = {n} больше числа участников "
                                        f"({len(participants)}).", code="route_invalid")
                stage["n"] = n
        if due is not None:
            stage["due_days"] = due
        out.append(stage)
    return out


#: Who keeps an organisation's approval routes and its acting appointments (и. о.).
_MUNICIPALITY_ROUTE_KEEPERS = frozenset({Role.director, Role.municipal_officer})
_SCHOOL_ROUTE_KEEPERS = frozenset({Role.director, Role.school_admin})


def _keepers(kind: OrgKind | None) -> frozenset[Role]:
    return (_MUNICIPALITY_ROUTE_KEEPERS if kind is OrgKind.municipality
            else _SCHOOL_ROUTE_KEEPERS)


def may_edit_routes(actor: Actor, org: Organization) -> bool:
    return bool(actor.roles_in(org.id) & _keepers(org.kind))


def keeps_some_route(session: Session, actor: Actor) -> bool:
    """Whether the actor keeps the routes of any organisation (the menu offers the routes and
    и. о. pages only then: to anyone else they answer 403)."""
    kinds = granted_kinds(session, actor)
    return any(role in _keepers(kinds.get(oid)) for role, oid in actor.grants)


def get_route(session: Session, actor: Actor, org_id: int, kind: str) -> dict:
    from workflow.engine.queries import get_organization

    get_organization(session, actor, org_id)
    get_kind(kind)
    stages, is_default = route_in_force(session, org_id, kind)
    return {"org_id": org_id, "kind": kind, "stages": stages, "default": is_default}


def put_route(rt, actor: Actor, org_id: int | None, kind: object, stages: object) -> dict:
    if not isinstance(org_id, int):
        raise BadInput("Укажите организацию (org_id).", code="missing_field")
    if not isinstance(kind, str) or kind not in KINDS:
        raise BadInput("Укажите вид документа (kind).", code="unknown_kind")
    from workflow.engine.queries import get_organization

    with rt.db.write_session() as session:
        org = get_organization(session, actor, org_id)
        if not may_edit_routes(actor, org):
            raise Forbidden("Маршруты согласования настраивают директор и ответственный "
                            "организации.", code="route_edit_forbidden")
        clean = clean_stages(session, org_id, stages)
        own = session.scalar(select(ApprovalRoute).where(ApprovalRoute.org_id == org_id,
                                                         ApprovalRoute.kind == kind))
        if own is None:
            own = ApprovalRoute(org_id=org_id, kind=kind)
            session.add(own)
        own.stages, own.updated_at, own.updated_by_name = clean, clock.now(), actor.full_name
    return {"org_id": org_id, "kind": kind, "stages": clean, "default": False}


def copy_onto(session: Session, doc, now) -> DocumentRoute:
    """At submit: the route in force becomes the document's own (a new round)."""
    from workflow.engine.visas import document_route, remember_route

    stages, _ = route_in_force(session, doc.org_id, doc.kind)
    route = document_route(session, doc.id)
    if route is None:
        route = DocumentRoute(document_id=doc.id, round=0)
        session.add(route)
        remember_route(session, doc.id, route)
    route.round = (route.round or 0) + 1
    route.version, route.stages, route.current = doc.version, stages, 0
    route.status, route.stage_started_at, route.submitted_at = "in_progress", now, now
    session.flush()
    return route


def stage_due(route: DocumentRoute, stage: dict):
    days = stage.get("due_days")
    if not days or route.stage_started_at is None:
        return None
    return clock.local_date(route.stage_started_at + timedelta(days=days))
