"""Substitution (и. о.): while a substitution is active the deputy may do, in that
organisation only, what the absent person may; the history and the visa say on whose behalf.
A substitution ends by itself after its last day, or early when deleted."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from documents.models import Grant, Organization, Role, Substitution, User
from documents.models.history import iso_utc
from workflow import clock
from workflow.engine import steps
from workflow.engine.permissions import Actor, may_fire
from workflow.errors import BadInput, Forbidden, NotFound, RuleViolation

#: Who may set a substitution for someone else in the organisation.
MANAGERS = frozenset({Role.director, Role.school_admin, Role.admin})


def active_on(query, day: date):
    """``query`` on substitutions, narrowed to those in force on ``day``."""
    return query.where(Substitution.start <= day, Substitution.end >= day,
                       Substitution.ended_at.is_(None))


def absent_for(session: Session, deputy_id: int, org_id: int,
               day: date | None = None) -> list[User]:
    """The people the deputy stands in for today in that organisation."""
    day = day or clock.today()
    cache = session.info.setdefault("absent_for", {})  # asked once per event on a page
    key = (deputy_id, org_id, day)
    if key not in cache:
        ids = session.scalars(active_on(select(Substitution.absent_id).where(
            Substitution.deputy_id == deputy_id, Substitution.org_id == org_id), day)).all()
        cache[key] = list(session.scalars(select(User).where(User.id.in_(ids))
                                          .order_by(User.id))) if ids else []
    return cache[key]


def prefetch_absences(session: Session, deputy_id: int, org_ids, day: date | None = None
                      ) -> None:
    """:func:`absent_for` of many organisations in at most two queries (a list of
    documents asks it for the organisation of each document shown)."""
    day = day or clock.today()
    cache = session.info.setdefault("absent_for", {})
    wanted = {o for o in org_ids if (deputy_id, o, day) not in cache}
    if not wanted:
        return
    pairs = session.execute(active_on(select(Substitution.org_id, Substitution.absent_id).where(
        Substitution.deputy_id == deputy_id, Substitution.org_id.in_(wanted)), day)).all()
    users = {u.id: u for u in session.scalars(
        select(User).where(User.id.in_({a for _, a in pairs})))} if pairs else {}
    for org_id in wanted:
        absent = {a for o, a in pairs if o == org_id and a in users}
        cache[(deputy_id, org_id, day)] = [users[a] for a in sorted(absent)]


def acting_for(session: Session, signer_id: int | None, org_id: int, day: date) -> User | None:
    """Whom the signer stood in for on that day (for «И. о.» in the file), if anyone."""
    if signer_id is None:
        return None
    people = absent_for(session, signer_id, org_id, day)
    return people[0] if people else None


def may_stand_in(actor: Actor) -> bool:
    """False when the person was read with the fact that they stand in for nobody today
    (``Actor.deputy``); None (not read) or True: substitutions must be looked up."""
    return actor.deputy is not False


def stands_in_for(session: Session, actor: Actor, org_id: int) -> list[User]:
    """:func:`absent_for` of the actor today; no query when :func:`may_stand_in` says no."""
    return absent_for(session, actor.id, org_id) if may_stand_in(actor) else []


def _fallback(session: Session, actor: Actor, doc, event: str) -> steps.Verdict | None:
    for absent in stands_in_for(session, actor, doc.org_id):
        if may_fire(Actor.of(absent), event, doc.organization):
            return steps.Verdict(True, (absent.id, absent.full_name))
    return None


if _fallback not in steps.FALLBACK_AUTHORIZERS:
    steps.FALLBACK_AUTHORIZERS.append(_fallback)


def to_api(s: Substitution, names: dict[int, str]) -> dict:
    today = clock.today()
    return {"id": s.id, "org_id": s.org_id, "absent_id": s.absent_id,
            "absent_name": names.get(s.absent_id, ""), "deputy_id": s.deputy_id,
            "deputy_name": names.get(s.deputy_id, ""), "start": s.start.isoformat(),
            "end": s.end.isoformat(), "reason": s.reason,
            "active": s.ended_at is None and s.start <= today <= s.end,
            "ended_at": iso_utc(s.ended_at)}


def _org(session: Session, actor: Actor, org_id: int) -> Organization:
    from workflow.engine.queries import get_organization

    return get_organization(session, actor, org_id)


def list_substitutions(session: Session, actor: Actor, org_id: int) -> list[dict]:
    _org(session, actor, org_id)
    rows = session.scalars(select(Substitution).where(Substitution.org_id == org_id)
                           .order_by(Substitution.start.desc(), Substitution.id.desc())).all()
    ids = {r.absent_id for r in rows} | {r.deputy_id for r in rows}
    names = dict(session.execute(select(User.id, User.full_name).where(User.id.in_(ids))).all())
    return [to_api(r, names) for r in rows]


def _parse_date(value: object, name: str) -> date:
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value))
    except (TypeError, ValueError):
        raise BadInput(f"Поле {name}: дата в формате ГГГГ-ММ-ДД.", code="invalid_date") from None


def create_substitution(rt, actor: Actor, *, org_id: object, absent_id: object,
                        deputy_id: object, start: object, end: object,
                        reason: object = "") -> dict:
    for name, value in (("org_id", org_id), ("absent_id", absent_id), ("deputy_id", deputy_id)):
        if not isinstance(value, int) or isinstance(value, bool):
            raise BadInput(f"Укажите {name}.", code="missing_field")
    start_d, end_d = _parse_date(start, "start"), _parse_date(end, "end")
    with rt.db.write_session() as session:
        _org(session, actor, org_id)
        if actor.id != absent_id and not (actor.roles_in(org_id) & MANAGERS):
            raise Forbidden("Назначить исполняющего обязанности может сам отсутствующий, "
                            "директор или ответственный организации.",
                            code="substitution_forbidden")
        members = set(session.scalars(select(Grant.user_id).where(Grant.org_id == org_id)))
        if absent_id not in members or deputy_id not in members:
            raise RuleViolation("Отсутствующий и исполняющий обязанности должны работать в "
                                "этой организации.", code="substitution_outside_org")
        if absent_id == deputy_id:
            raise RuleViolation("Нельзя замещать самого себя.", code="substitution_self")
        if end_d < start_d:
            raise RuleViolation("Дата окончания раньше даты начала.", code="substitution_dates")
        overlap = session.scalar(select(Substitution.id).where(
            Substitution.absent_id == absent_id, Substitution.ended_at.is_(None),
            Substitution.start <= end_d, Substitution.end >= start_d).limit(1))
        if overlap is not None:
            raise RuleViolation("На эти даты у этого сотрудника уже назначен исполняющий "
                                "обязанности.", code="substitution_overlap")
        row = Substitution(org_id=org_id, absent_id=absent_id, deputy_id=deputy_id,
                           start=start_d, end=end_d, reason=str(reason or "")[:1000],
                           created_by_id=actor.id, created_at=clock.now())
        session.add(row)
        session.flush()
        names = dict(session.execute(select(User.id, User.full_name).where(
            User.id.in_({absent_id, deputy_id}))).all())
        return to_api(row, names)


def end_substitution(rt, actor: Actor, substitution_id: int) -> None:
    with rt.db.write_session() as session:
        row = session.get(Substitution, substitution_id)
        if row is None or row.org_id not in actor.org_ids:
            raise NotFound("Замещение не найдено.", code="substitution_not_found")
        if actor.id not in (row.absent_id, row.deputy_id) and not (
                actor.roles_in(row.org_id) & MANAGERS):
            raise Forbidden("Завершить замещение может отсутствующий, исполняющий "
                            "обязанности, директор или ответственный.",
                            code="substitution_forbidden")
        if row.ended_at is None:
            row.ended_at = clock.now()
