"""Visas on the route of a document in ``on_approval``.

``approve`` by a participant of the current stage records a visa; the stage completes by its
mode (all / any / n of m) and the route moves on; only after the last stage the document
becomes ``approved``. ``reject`` by a participant returns it to ``draft``. A collegial stage
takes the body's protocol instead of visas (``extra["protocol"]``, recorded by the school
admin or curator). Every visa is a write of the document through the transition service:
the conditional UPDATE on ``lock_version`` decides who was first, so a stage completes
exactly once however many visas arrive at the same moment.
"""

from __future__ import annotations

import functools
from datetime import UTC

from sqlalchemy import and_, bindparam, insert, select, update
from sqlalchemy.orm import Session, aliased
from sqlalchemy.orm.attributes import set_committed_value

from documents.db import run_dml
from documents.models import DocState, DocumentRoute, Grant, Role, RouteVisa, StageProtocol, User
from workflow.engine import routes, steps, txcache
from workflow.engine.kinds import KINDS
from workflow.engine.permissions import Actor
from workflow.engine.substitutions import active_on, may_stand_in, stands_in_for
from workflow.errors import Conflict, RuleViolation

#: Who records a collegial body's decision (its secretary).
SECRETARY_ROLES = frozenset({Role.school_admin, Role.curator, Role.municipal_officer})


def document_route(session: Session, doc_id: int) -> DocumentRoute | None:
    """The document's route row (any status), read once per transaction."""
    cache = txcache.rows(session)
    key = ("route", doc_id)
    if key not in cache:
        cache[key] = session.get(DocumentRoute, doc_id)
    return cache[key]


def prefetch_routes(session: Session, doc_ids) -> None:
    """:func:`document_route` of many documents in one query (a list of documents asks it
    for each document on approval it shows)."""
    cache = txcache.rows(session)
    wanted = [i for i in doc_ids if ("route", i) not in cache]
    if not wanted:
        return
    found = {r.document_id: r for r in session.scalars(
        select(DocumentRoute).where(DocumentRoute.document_id.in_(wanted)))}
    for doc_id in wanted:
        cache[("route", doc_id)] = found.get(doc_id)


def remember_route(session: Session, doc_id: int, route: DocumentRoute | None) -> None:
    """A route read (or created) by someone else in this transaction: no second SELECT."""
    txcache.rows(session)[("route", doc_id)] = route


def route_of(session: Session, doc) -> DocumentRoute | None:
    """The route a document in ``on_approval`` is on (None: a document from before routes)."""
    if doc.state is not DocState.on_approval:
        return None
    route = document_route(session, doc.id)
    if route is None or route.status != "in_progress" or route.current >= len(route.stages):
        return None
    return route


def _visa_order(visa: RouteVisa) -> tuple:
    # SQLite hands back naive datetimes that are already UTC; a visa added here is aware
    at = visa.at if visa.at.tzinfo is None else visa.at.astimezone(UTC).replace(tzinfo=None)
    return at, visa.id or 0


_VISAS = RouteVisa.__table__
_ROUND_VISAS = (select(*_VISAS.c)
                .where(_VISAS.c.document_id == bindparam("doc"), _VISAS.c.round == bindparam("round"))
                .order_by(_VISAS.c.at, _VISAS.c.id))


def round_visas(session: Session, doc_id: int, round_: int) -> list[RouteVisa]:
    """Every visa of one round of a document's route, by time, as plain rows (attributes of a
    RouteVisa); read once per transaction (the visas this transaction adds are appended by
    :func:`_record`)."""
    cache = txcache.rows(session)
    key = ("round_visas", doc_id, round_)
    if key not in cache:
        cache[key] = session.connection().execute(
            _ROUND_VISAS, {"doc": doc_id, "round": round_}).all()
    return sorted(cache[key], key=_visa_order)


def stage_visas(session: Session, doc_id: int, round_: int, stage: int) -> list[RouteVisa]:
    return [v for v in round_visas(session, doc_id, round_) if v.stage == stage]


def _slot_matches(slot: dict, user_id: int, roles: frozenset[Role]) -> bool:
    if "user_id" in slot:
        return slot["user_id"] == user_id
    return Role(slot["role"]) in roles


def _roles(session: Session, user_id: int, org_id: int) -> frozenset[Role]:
    return frozenset(session.scalars(select(Grant.role).where(Grant.user_id == user_id,
                                                              Grant.org_id == org_id)))


def participant_place(session: Session, actor: Actor, doc, stage: dict,
                      ) -> tuple[int, tuple[int, str] | None] | None:
    """Whose place on the stage the actor may fill: (participant id, on_behalf_of)."""
    slots = stage.get("participants") or []
    if any(_slot_matches(s, actor.id, actor.roles_in(doc.org_id)) for s in slots):
        return actor.id, None
    for absent in stands_in_for(session, actor, doc.org_id):
        if any(_slot_matches(s, absent.id, _roles(session, absent.id, doc.org_id))
               for s in slots):
            return absent.id, (absent.id, absent.full_name)
    return None


def filled(session: Session, doc, stage: dict, visas: list[RouteVisa],
           known: dict[int, frozenset[Role]] | None = None) -> int:
    """How many places of the stage the approving visas fill (each person fills one);
    ``known``: roles already known (the actor's own), not asked again."""
    slots = list(stage.get("participants") or [])
    count = 0
    for visa in visas:
        if visa.outcome != "approved":
            continue
        roles = (known or {}).get(visa.participant_id)
        if roles is None:
            roles = _roles(session, visa.participant_id, doc.org_id)
        for i, slot in enumerate(slots):
            if _slot_matches(slot, visa.participant_id, roles):
                slots.pop(i)
                count += 1
                break
    return count


# --- who may --------------------------------------------------------------------------------

def _allow_visa(session: Session, actor: Actor, doc, extra: dict) -> steps.Verdict | None:
    route = route_of(session, doc)
    if "protocol" in extra:  # the secretary; the check answers not_a_collegial_stage
        return steps.Verdict(bool(actor.roles_in(doc.org_id) & SECRETARY_ROLES))
    if route is None:
        return None  # no route in progress: the roles of api.md decide
    stage = route.stages[route.current]
    if routes.is_collegial(stage):
        return steps.Verdict(False)
    place = participant_place(session, actor, doc, stage)
    if place is None:
        return steps.Verdict(False)
    return steps.Verdict(True, place[1])


# --- what it does ---------------------------------------------------------------------------

def _check_visa(step: steps.Step) -> None:
    route = route_of(step.session, step.doc)
    protocol = step.extra.get("protocol")
    if route is None:
        if protocol is not None:
            raise RuleViolation("Документ не на этапе коллегиального органа.",
                                code="not_a_collegial_stage")
        return
    stage = route.stages[route.current]
    if protocol is not None:
        if not routes.is_collegial(stage):
            raise RuleViolation("Текущий этап маршрута — не решение коллегиального органа.",
                                code="not_a_collegial_stage")
        return
    place = participant_place(step.session, step.actor, step.doc, stage)
    if place is None:
        return
    done = {v.participant_id for v in stage_visas(step.session, step.doc.id, route.round,
                                                   route.current)}
    if place[0] in done:
        raise Conflict("Вы уже поставили визу на этом этапе.", code="already_visaed")


def _visa_values(step: steps.Step) -> dict:
    """Decide, before the row is claimed, whether this visa completes the stage and the
    route; the claim (conditional UPDATE) makes the decision stick or fails with 409."""
    session, doc = step.session, step.doc
    route = route_of(session, doc)
    if route is None:
        return {}
    stage = route.stages[route.current]
    if step.extra.get("protocol") is not None:
        complete = True
    else:
        visas = stage_visas(session, doc.id, route.round, route.current)
        probe = RouteVisa(participant_id=(step.on_behalf_of or (step.actor.id,))[0],
                          outcome="approved")
        known = {step.actor.id: step.actor.roles_in(doc.org_id)}
        complete = filled(session, doc, stage, [*visas, probe], known) >= routes.needed(stage)
    last = route.current + 1 >= len(route.stages)
    step.extra["_route"] = (route, complete, last)
    if complete and last:
        return {}  # the machine's destination: approved
    step.to_state = DocState.on_approval
    step.history_event = "protocol" if step.extra.get("protocol") is not None else "visa"
    return {"state": DocState.on_approval, "approved_at": None}


def _record(step: steps.Step, outcome: str) -> None:
    session, doc = step.session, step.doc
    route = document_route(session, doc.id)
    if route is None or route.status != "in_progress":
        return
    protocol = step.extra.get("protocol")
    if protocol is not None:
        session.add(StageProtocol(
            document_id=doc.id, round=route.round, stage=route.current,
            body=route.stages[route.current].get("collegial_body", ""),
            number=protocol["number"], date=protocol["date"], decision=protocol["decision"],
            comment=step.comment, file_key=protocol.get("file_key"),
            file_sha256=protocol.get("file_sha256"), file_mime=protocol.get("file_mime"),
            recorded_by_id=step.actor.id, recorded_by_name=step.actor.full_name, at=step.now))
    else:
        behalf = step.on_behalf_of
        values = {
            "document_id": doc.id, "round": route.round, "stage": route.current,
            "participant_id": behalf[0] if behalf else step.actor.id,
            "user_id": step.actor.id, "user_name": step.actor.full_name,
            "position": step.actor.position, "on_behalf_of_id": behalf[0] if behalf else None,
            "on_behalf_of_name": behalf[1] if behalf else None, "outcome": outcome,
            "comment": step.comment, "at": step.now}
        run_dml(session, _ADD_ROUTE_VISA, values)  # a plain INSERT: sent with the others
        cached = txcache.rows(session).get(("round_visas", doc.id, route.round))
        if cached is not None:
            cached.append(RouteVisa(**values))  # what the answer shows; never flushed


_ADD_ROUTE_VISA = insert(RouteVisa.__table__).inline()
_ROUTES = DocumentRoute.__table__
_MOVE_ROUTE = (update(_ROUTES).where(_ROUTES.c.document_id == bindparam("doc"))
               .values(status=bindparam("v_status"), current=bindparam("v_current"),
                       stage_started_at=bindparam("v_stage_started_at")))


def _move(session: Session, route: DocumentRoute, **values) -> None:
    """Write the route's status / current stage / stage start as a plain UPDATE (sent with
    the transition's other writes) and show the new values on the loaded route."""
    for key, value in values.items():
        set_committed_value(route, key, value)
    run_dml(session, _MOVE_ROUTE, {"doc": route.document_id, "v_status": route.status,
                                   "v_current": route.current,
                                   "v_stage_started_at": route.stage_started_at})


def _after_approve(step: steps.Step) -> None:
    decided = step.extra.get("_route")
    if decided is None:
        return
    route, complete, last = decided
    _record(step, "approved")
    if complete:
        _move(step.session, route, status="done" if last else route.status,
              current=route.current + 1, stage_started_at=step.now)


def _after_reject(step: steps.Step) -> None:
    route = document_route(step.session, step.doc.id)
    if route is None or route.status != "in_progress":
        return
    _record(step, "rejected")
    _move(step.session, route, status="rejected")


def _after_submit(step: steps.Step) -> None:
    routes.copy_onto(step.session, step.doc, step.now)


def _after_recall(step: steps.Step) -> None:
    route = document_route(step.session, step.doc.id)
    if route is not None and route.status == "in_progress":
        route.status = "recalled"


def _check_recall(step: steps.Step) -> None:
    route = document_route(step.session, step.doc.id)
    if route is not None and route.status == "done":
        raise RuleViolation("Маршрут уже пройден: отозвать документ нельзя.",
                            code="route_completed")


#: Roadmap items are confirmed by one person (api.md), not approved along a route.
ROUTED_KINDS = tuple(kind for kind in KINDS if kind != "roadmap_item")
steps.register("approve", kinds=ROUTED_KINDS, allow=_allow_visa, check=_check_visa,
               values=_visa_values, after=_after_approve)
steps.register("reject", kinds=ROUTED_KINDS, allow=_allow_visa, check=_check_visa,
               after=_after_reject)
steps.register("submit", kinds=ROUTED_KINDS, after=_after_submit)
steps.register("recall", kinds=ROUTED_KINDS, check=_check_recall, after=_after_recall)


def waiting_for(session: Session, doc, route: DocumentRoute) -> list[str]:
    """Who is still to act on the current stage (names, or roles / the body)."""
    stage = route.stages[route.current]
    if routes.is_collegial(stage):
        return [routes.COLLEGIAL_BODIES.get(stage["collegial_body"], stage["collegial_body"])]
    visas = stage_visas(session, doc.id, route.round, route.current)
    done = {v.participant_id for v in visas}
    out = []
    for slot in stage.get("participants") or []:
        if "user_id" in slot:
            if slot["user_id"] not in done:
                user = session.get(User, slot["user_id"])
                out.append(user.full_name if user else str(slot["user_id"]))
        else:
            holders = session.scalars(select(Grant.user_id).where(
                Grant.org_id == doc.org_id, Grant.role == Role(slot["role"]))).all()
            if not set(holders) & done:
                names = session.scalars(select(User.full_name).where(
                    User.id.in_(holders))).all()
                out.append(", ".join(names) or slot["role"])
    return out



def acting_roles(session: Session, actor: Actor) -> dict[tuple[int, int], frozenset[Role]]:
    """(org id, absent person) → the absent person's roles there, for every substitution the
    actor holds today (two queries, once per session)."""
    from documents.models import Substitution
    from workflow import clock

    cache = session.info.setdefault("acting_roles", {})
    if actor.id in cache:
        return cache[actor.id]
    if not may_stand_in(actor):
        return {}
    subs = session.execute(active_on(select(Substitution.org_id, Substitution.absent_id).where(
        Substitution.deputy_id == actor.id), clock.today())).all()
    out: dict[tuple[int, int], frozenset[Role]] = {}
    if subs:
        grants = session.execute(select(Grant.user_id, Grant.org_id, Grant.role).where(
            Grant.user_id.in_({a for _, a in subs}))).all()
        for org_id, absent_id in subs:
            out[(org_id, absent_id)] = frozenset(
                r for u, o, r in grants if u == absent_id and o == org_id)
    cache[actor.id] = out
    return out


@functools.cache
def _awaiting_statement():
    """The routes in progress in some organisations with the visas of their current stage, as
    plain rows; built once (every page's navigation bar asks it: building the statement and
    its alias cost more than running it)."""
    from documents.models import Document

    visa = aliased(RouteVisa)
    return (select(DocumentRoute.document_id, DocumentRoute.current, DocumentRoute.stages,
                   Document.org_id, visa.participant_id)
            .join(Document, Document.id == DocumentRoute.document_id)
            .outerjoin(visa, and_(visa.document_id == DocumentRoute.document_id,
                                  visa.round == DocumentRoute.round,
                                  visa.stage == DocumentRoute.current))
            .where(Document.state == DocState.on_approval,
                   DocumentRoute.status == "in_progress",
                   Document.org_id.in_(bindparam("orgs", expanding=True))))


def awaiting_ids(session: Session, actor: Actor) -> set[int]:
    """Documents in ``on_approval`` whose current stage waits for the actor: a visa of a
    participant (or of the person the actor stands in for), or the protocol a secretary
    records. A few queries whatever the number of documents."""
    cache = session.info.setdefault("awaiting_ids", {})
    if actor.id in cache:
        return cache[actor.id]
    absent_roles = acting_roles(session, actor)
    subs = list(absent_roles)
    org_ids = set(actor.org_ids) | {o for o, _ in subs}
    if not org_ids:
        return set()
    rows = session.execute(_awaiting_statement(), {"orgs": sorted(org_ids)}).all()
    done = {(r.document_id, r.participant_id) for r in rows if r.participant_id is not None}
    out = set()
    for route in {r.document_id: r for r in rows}.values():
        org_id = route.org_id
        if route.current >= len(route.stages):
            continue
        stage = route.stages[route.current]
        if routes.is_collegial(stage):
            if actor.roles_in(org_id) & SECRETARY_ROLES:
                out.add(route.document_id)
            continue
        people = [(actor.id, actor.roles_in(org_id))] + [
            (absent, roles) for (o, absent), roles in absent_roles.items() if o == org_id]
        for who, roles in people:
            if (route.document_id, who) in done:
                continue
            if any(_slot_matches(s, who, roles) for s in stage.get("participants") or []):
                out.add(route.document_id)
                break
    cache[actor.id] = out
    return out
