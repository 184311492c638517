"""What awaits a person now: the inbox («Мои задачи»), its counts, notifications, and the
small lookups the pages need (names, members, the municipal office's schools).

Every function answers in a constant number of queries, whatever the number of rows.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, field
from datetime import date, timedelta

from sqlalchemy import ColumnElement, Row, and_, bindparam, case, func, or_, select, update
from sqlalchemy.orm import Session, lazyload

from documents.models import (
    DocState,
    Document,
    DocumentRoute,
    Grant,
    Notification,
    Organization,
    OrgKind,
    Role,
    User,
)
from workflow import clock
from workflow.engine import txcache
from workflow.engine.permissions import Actor, author_roles, document_filter, schools_of
from workflow.engine.queries import is_overdue
from workflow.notify.acquaintance import pending_document_ids

R, S = Role, DocState
#: Tasks shown per inbox section on one page (each section pages on its own).
TASKS_PER_PAGE = 50
ITEM = "roadmap_item"
#: How many days before its due date a roadmap item appears among the tasks.
ITEM_TASK_DAYS = 30
#: Unread notifications shown per page in the side column of «Мои задачи» (the rest behind
#: its pager and in the archive): 50 of them, each with its «Прочитано» form, made a busy
#: director's page ~120 KB and its rendering the largest part of the page's CPU.
NOTIFICATIONS_PER_PAGE = 20

#: Inbox sections in the order shown: (key, states, roles in the org, roles in the parent).
SECTIONS: tuple[tuple[str, tuple[DocState, ...]], ...] = (
    # «Ознакомиться»: signed orders the person is listed to read (notify/acquaintance.py).
    ("to_acknowledge", (S.signed, S.under_municipal_review, S.accepted, S.returned)),
    ("to_check", (S.under_municipal_review,)),
    ("to_approve", (S.on_approval,)),
    ("to_sign", (S.approved,)),
    ("to_send", (S.signed,)),
    ("returned", (S.returned,)),
    ("drafts", (S.draft,)),
)
SECTIONS_KEYS = tuple(key for key, _states in SECTIONS)
#: A page asked past this one is past any section's end (and its bounds stay small numbers).
MAX_PAGE = 1_000_000


@dataclass
class Task:
    section: str
    #: the document as a row of :data:`_TASK_COLUMNS` (what a task shows: not the act's text)
    doc: Row
    overdue: bool
    responsible_name: str = ""
    org_name: str = ""


#: The document's columns a task shows and checks (overdue, remarks), read as plain rows.
_TASK_COLUMNS = (Document.id, Document.title, Document.kind, Document.state, Document.due,
                 Document.lock_version, Document.responsible_id, Document.assignment_of)


@dataclass
class Inbox:
    """One page of each section: ``tasks`` holds the rows shown, ``totals`` and ``overdue``
    count every task (the same numbers as the navigation bar)."""

    tasks: list[Task] = field(default_factory=list)
    notifications: list[Row] = field(default_factory=list)
    totals: dict[str, int] = field(default_factory=dict)
    pages: dict[str, int] = field(default_factory=dict)
    per_page: int = TASKS_PER_PAGE
    overdue: int = 0
    notifications_total: int = 0
    notifications_page: int = 1
    notifications_per_page: int = NOTIFICATIONS_PER_PAGE

    def section(self, key: str) -> list[Task]:
        return [t for t in self.tasks if t.section == key]

    def total(self, key: str) -> int:
        return self.totals.get(key, 0)

    def page(self, key: str) -> int:
        return self.pages.get(key, 1)

    @property
    def overdue_count(self) -> int:
        return self.overdue


def _orgs_with(actor: Actor, roles: set[Role]) -> list[int]:
    return sorted({oid for role, oid in actor.grants if role in roles})


def _task_lists(actor: Actor, session: Session, today: date) -> dict:
    """The parameters of the sections' conditions (:func:`_sections`) for this actor: the
    small sets they depend on — the documents the actor is to acknowledge, an officer's
    schools, the organisations where the actor directs, sends, authors… — read first, as lists
    of ids. A subquery inside the sections' OR makes PostgreSQL scan every document (or
    organisation) of the region; a list lets each section use its index (ids, organisation,
    responsible person). On a route, «to approve» holds what waits for the actor's visa (or
    protocol): those documents are read here too."""
    from workflow.engine.visas import acting_roles, awaiting_ids

    directors = set(_orgs_with(actor, {R.director}))
    senders = set(_orgs_with(actor, {R.director, R.school_admin}))
    officers = _orgs_with(actor, {R.municipal_officer})
    # a deputy (и. о.) sees the absent person's tasks in that organisation
    for (org_id, _absent), roles in acting_roles(session, actor).items():
        if R.director in roles:
            directors.add(org_id)
        if roles & {R.director, R.school_admin}:
            senders.add(org_id)
    orgs = dict(actor.orgs or {})  # the granted organisations' kinds come with a page's actor
    orgs.update(_organisations(session, ({oid for _, oid in actor.grants} | senders) - set(orgs)))
    return {
        "actor_id": actor.id, "today": today,
        # a roadmap item enters «Мои задачи» when its date comes near
        "near": today + timedelta(days=ITEM_TASK_DAYS),
        "to_read": [] if actor.to_read is False else list(
            session.scalars(pending_document_ids(session, actor))),
        "checked_schools": list(schools_of(session, officers)) if officers else [],
        "awaiting_me": sorted(awaiting_ids(session, actor)),
        "directors": sorted(directors),
        "curators": _orgs_with(actor, {R.curator}),
        "officers": officers,
        # only an organisation with a municipal office above it sends anything
        "senders": sorted(o for o in senders if orgs.get(o, (None, None))[1] is not None),
        # where the actor authors (by the organisation's kind: a curator of a municipality
        # authors nothing there)
        "authored": sorted(oid for role, oid in actor.grants
                           if oid in orgs and role in author_roles(orgs[oid][0])),
    }


def _ids(name: str):
    return bindparam(name, expanding=True)


@functools.cache
def _sections() -> dict[str, ColumnElement[bool]]:
    """SQL condition of each section, in the order shown (a document is in the first section
    it matches), with the actor's lists (:func:`_task_lists`) as bound parameters: built once,
    so a page pays for running its statements, not for building them (an empty list matches
    nothing)."""
    item = Document.kind == ITEM
    on_approval = Document.state == S.on_approval
    authored = Document.org_id.in_(_ids("authored"))
    named = Document.responsible_id == bindparam("actor_id")  # the item names the person
    return {
        "to_acknowledge": and_(Document.state != S.cancelled, Document.id.in_(_ids("to_read"))),
        "to_check": and_(Document.state == S.under_municipal_review,
                         Document.org_id.in_(_ids("checked_schools"))),
        "to_approve": or_(
            Document.id.in_(_ids("awaiting_me")),
            # a director's approval of a document on no route (from before routes)
            and_(on_approval, Document.org_id.in_(_ids("directors")),
                 ~Document.id.in_(select(DocumentRoute.document_id))),
            # roadmap items: a school's own item is confirmed by its curator too, the
            # municipality's own item by its officer (see permissions.item_confirm_roles)
            and_(on_approval, item, Document.assignment_of.is_(None),
                 Document.org_id.in_(_ids("curators"))),
            and_(on_approval, item, Document.org_id.in_(_ids("officers")))),
        "to_sign": and_(Document.state == S.approved, Document.org_id.in_(_ids("directors")),
                        Document.kind != ITEM),
        "to_send": and_(
            or_(Document.state == S.signed,
                and_(Document.state == S.approved, item, Document.assignment_of.is_not(None))),
            Document.org_id.in_(_ids("senders"))),
        "returned": and_(Document.state == S.returned, or_(authored, and_(item, named))),
        # a roadmap item is a task of the person it names (whatever their role), else of the
        # authors, once its date is near
        "drafts": and_(Document.state == S.draft, or_(
            and_(Document.kind != ITEM, authored),
            and_(item, Document.due <= bindparam("near"),
                 or_(named, and_(Document.responsible_id.is_(None), authored))))),
    }


def _task_params(session: Session, actor: Actor, today: date) -> dict:
    """:func:`_task_lists`, read once per transaction (a page asks for the navigation counts
    and the inbox)."""
    cache = txcache.rows(session)
    key = ("task_lists", actor.id, today)
    if key not in cache:
        cache[key] = _task_lists(actor, session, today)
    return cache[key]


def _organisations(session: Session, ids: set[int]) -> dict[int, tuple[OrgKind, int | None]]:
    """id → (kind, parent id) of these organisations, in one statement."""
    if not ids:
        return {}
    return {oid: (kind, parent) for oid, kind, parent in session.execute(
        select(Organization.id, Organization.kind, Organization.parent_id)
        .where(Organization.id.in_(sorted(ids))))}


#: An open task past its date (what the navigation bar counts as overdue).
_LATE = and_(Document.due < bindparam("today"),
             Document.state.in_((S.draft, S.on_approval, S.approved, S.returned)))
_UNREAD = and_(Notification.user_id == bindparam("actor_id"), Notification.read_at.is_(None))


@functools.cache
def _statements():
    """The inbox's statements, built once: (the shown tasks with each section's counts, the
    navigation bar's counts)."""
    sections = _sections()
    any_task = or_(*sections.values())
    section = case(*[(cond, key) for key, cond in sections.items()], else_=None)
    # the sections' conditions once in the statement: each task with its section
    matching = select(Document.id, Document.due, Document.updated_at, section.label("section"),
                      case((_LATE, 1), else_=0).label("late")).where(any_task).subquery()
    each = {"partition_by": matching.c.section}
    ranked = select(
        matching.c.id, matching.c.section,
        func.row_number().over(**each, order_by=(
            matching.c.due.is_(None), matching.c.due, matching.c.updated_at.desc(),
            matching.c.id.desc())).label("rn"),
        func.count().over(**each).label("total"),
        func.sum(matching.c.late).over(**each).label("late_total")).subquery()
    # each section's page (bounds ``lo_<key>``, ``hi_<key>``), and its first task: it carries
    # the section's counts when the page shown is another one
    shown = or_(ranked.c.rn == 1, *[
        and_(ranked.c.section == key, ranked.c.rn > bindparam(f"lo_{key}"),
             ranked.c.rn <= bindparam(f"hi_{key}")) for key in sections])
    tasks = (select(*_TASK_COLUMNS, Organization.short_name, Organization.name,
                    User.full_name.label("responsible_name"), ranked.c.section, ranked.c.rn,
                    ranked.c.total, ranked.c.late_total)
             .join(ranked, ranked.c.id == Document.id)
             .join(Organization, Organization.id == Document.org_id)
             .outerjoin(User, User.id == Document.responsible_id)
             .where(shown).order_by(ranked.c.section, ranked.c.rn))
    nav = select(func.count(), func.count(case((_LATE, 1))),
                 select(func.count(Notification.id)).where(_UNREAD).scalar_subquery()
                 ).where(any_task)
    return tasks, nav


def _tasks(session: Session, params: dict, pages: dict[str, int], per_page: int) -> list[Row]:
    bounds = {}
    for key, page in pages.items():
        bounds[f"lo_{key}"], bounds[f"hi_{key}"] = (page - 1) * per_page, page * per_page
    return session.execute(_statements()[0], {**params, **bounds}).all()


def _clamp(page: int | None, total: int, per_page: int) -> int:
    """A page number inside 1..last (nonsense and pages past the end show the last one)."""
    last = max((total + per_page - 1) // per_page, 1)
    return min(max(page or 1, 1), last)


def inbox(session: Session, actor: Actor, today: date | None = None, *,
          pages: dict[str, int] | None = None, per_page: int = TASKS_PER_PAGE,
          notifications_page: int = 1) -> Inbox:
    """One page of each section of the documents awaiting the actor, exact counts of every
    section, and a page of unread notifications: the tasks with their counts in one statement
    (a second one only for a page asked past a section's end), the notifications in another."""
    today = today or clock.today()
    per_page = max(per_page, 1)
    params = _task_params(session, actor, today)
    wanted = {key: min(max((pages or {}).get(key) or 1, 1), MAX_PAGE) for key in SECTIONS_KEYS}
    rows = _tasks(session, params, wanted, per_page)
    result = Inbox(per_page=per_page)
    counts = {r.section: (r.total, r.late_total or 0) for r in rows}  # every row carries them
    result.totals = {key: n for key, (n, _late) in counts.items()}
    result.overdue = sum(late for _n, late in counts.values())
    result.pages = {key: _clamp(wanted[key], n, per_page) for key, n in result.totals.items()}
    if any(result.pages[key] != wanted[key] for key in result.pages):
        rows = _tasks(session, params, {**wanted, **result.pages}, per_page)
    shown = [r for r in rows if (result.pages[r.section] - 1) * per_page < r.rn
             <= result.pages[r.section] * per_page]
    result.tasks = [Task(r.section, r, is_overdue(r, today), r.responsible_name or "",
                         r.short_name or r.name) for r in shown]
    first = unread_notifications(session, actor) if notifications_page <= 1 else []
    if notifications_page <= 1 and len(first) < NOTIFICATIONS_PER_PAGE:
        result.notifications, result.notifications_total = first, len(first)  # all of them
    else:
        result.notifications_total = unread_count(session, actor)
        result.notifications_page = _clamp(notifications_page, result.notifications_total,
                                           NOTIFICATIONS_PER_PAGE)
        result.notifications = first if result.notifications_page == 1 else \
            unread_notifications(session, actor, result.notifications_page)
    # the page's navigation bar shows the same counts: no second reading of them
    txcache.rows(session)[("nav_counts", actor.id, today)] = NavCounts(
        sum(result.totals.values()), result.overdue, result.notifications_total)
    return result


@dataclass(frozen=True)
class NavCounts:
    tasks: int = 0
    overdue: int = 0
    unread: int = 0


def nav_counts(session: Session, actor: Actor, today: date | None = None) -> NavCounts:
    """Counts for the navigation bar: one statement (none after :func:`inbox` in the same
    transaction)."""
    today = today or clock.today()
    known = txcache.rows(session).get(("nav_counts", actor.id, today))
    if known is not None:
        return known
    tasks, overdue, unread = session.execute(
        _statements()[1], _task_params(session, actor, today)).one()
    return NavCounts(tasks, overdue, unread or 0)


def unread_count(session: Session, actor: Actor) -> int:
    return session.scalar(select(func.count(Notification.id)).where(_UNREAD),
                          {"actor_id": actor.id}) or 0


def unread_notifications(session: Session, actor: Actor, page: int = 1) -> list[Row]:
    """A page of the actor's unread notifications, newest first (rows with the columns of
    ``Notification``: a page shows them, nothing changes them)."""
    return list(session.execute(
        select(*Notification.__table__.c).where(_UNREAD)
        .order_by(Notification.created_at.desc(), Notification.id.desc())
        .offset((max(page, 1) - 1) * NOTIFICATIONS_PER_PAGE).limit(NOTIFICATIONS_PER_PAGE),
        {"actor_id": actor.id}))


def mark_read(rt, actor: Actor, notification_id: int | None = None) -> int:
    """Mark one (or, with None, every) unread notification of the actor as read."""
    with rt.db.write_session() as session:
        stmt = update(Notification).where(Notification.user_id == actor.id,
                                          Notification.read_at.is_(None))
        if notification_id is not None:
            stmt = stmt.where(Notification.id == notification_id)
        return session.execute(stmt.values(read_at=clock.now())).rowcount


def user_names(session: Session, ids: set[int | None]) -> dict[int, str]:
    ids = {i for i in ids if i is not None}
    if not ids:
        return {}
    return dict(session.execute(select(User.id, User.full_name).where(User.id.in_(ids))).all())


def org_members(session: Session, org_ids: list[int] | set[int]) -> list[User]:
    """Active people with a grant in these organisations (responsibles to choose from)."""
    if not org_ids:
        return []
    return list(session.scalars(
        select(User).options(lazyload(User.grants)).where(User.is_active.is_(True), User.id.in_(
            select(Grant.user_id).where(Grant.org_id.in_(list(org_ids)))))
        .order_by(User.full_name)))


def org_names(session: Session, ids: set[int]) -> dict[int, Organization]:
    if not ids:
        return {}
    return {o.id: o for o in session.scalars(select(Organization).where(
        Organization.id.in_(ids)))}


@dataclass(frozen=True)
class SchoolRow:
    org: Organization
    sent: int
    waiting: int
    accepted: int
    returned: int


def municipal_schools(session: Session, actor: Actor) -> list[SchoolRow]:
    """The schools of the actor's municipalities (officer, auditor, admin) with counts of what
    they sent: one GROUP BY, whatever the number of schools."""
    munis = _orgs_with(actor, {R.municipal_officer, R.auditor, R.admin})
    if not munis:
        return []
    schools = list(session.scalars(select(Organization).where(
        Organization.parent_id.in_(munis)).order_by(Organization.name)))
    counts = {row.org_id: row for row in session.execute(
        select(Document.org_id,
               func.count(Document.id).label("sent"),
               func.count(case((Document.state == S.under_municipal_review, 1))).label("waiting"),
               func.count(case((Document.state == S.accepted, 1))).label("accepted"),
               func.count(case((Document.state == S.returned, 1))).label("returned"))
        .where(Document.sent_at.is_not(None), document_filter(actor, session),
               Document.org_id.in_([s.id for s in schools]))
        .group_by(Document.org_id))}
    out = []
    for school in schools:
        c = counts.get(school.id)
        out.append(SchoolRow(school, c.sent if c else 0, c.waiting if c else 0,
                             c.accepted if c else 0, c.returned if c else 0))
    return out
