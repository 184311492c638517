"""The log of reads of minors' personal data (written by workflow.mentorship.register_access),
for the auditor only: who read whose records and when, with filters and an XLSX export."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session

from documents.audit_xlsx import write_sheet
from documents.models import Organization, Person, PersonalDataAccessLog
from documents.models.history import iso_utc
from workflow import clock
from workflow.audit.scope import scoped_orgs
from workflow.engine.permissions import Actor
from workflow.errors import BadInput

MAX_PER_PAGE = 200
ACTIONS = {
    "list_people": "Просмотр реестра",
    "read_person": "Просмотр карточки",
    "list_pairs": "Просмотр списка пар",
    "read_pair": "Просмотр пары",
}


@dataclass(frozen=True)
class ReadRow:
    at: datetime
    actor_id: int | None
    actor_name: str
    org_id: int | None
    org_name: str
    subject: str
    what: str

    def to_api(self) -> dict:
        return {"at": iso_utc(self.at), "actor_id": self.actor_id,
                "actor_name": self.actor_name, "subject": self.subject, "what": self.what}


def _query(org_ids: list[int], actor_id: int | None, date_from: date | None,
           date_to: date | None) -> Select:
    if date_from and date_to and date_from > date_to:
        raise BadInput("Начало периода позже его конца.", code="invalid_period")
    query = select(PersonalDataAccessLog).where(PersonalDataAccessLog.org_id.in_(org_ids))
    if actor_id is not None:
        query = query.where(PersonalDataAccessLog.actor_id == actor_id)
    if date_from:
        query = query.where(PersonalDataAccessLog.at >= clock.day_start(date_from))
    if date_to:
        query = query.where(PersonalDataAccessLog.at < clock.day_end(date_to))
    return query


def _rows(session: Session, logs: list[PersonalDataAccessLog]) -> list[ReadRow]:
    ids = {pid for log in logs for pid in (log.person_ids or [])}
    names = dict(session.execute(select(Person.id, Person.full_name)
                                 .where(Person.id.in_(ids))).all()) if ids else {}
    orgs = {log.org_id for log in logs if log.org_id}
    org_names = dict(session.execute(select(Organization.id, Organization.short_name)
                                     .where(Organization.id.in_(orgs))).all()) if orgs else {}
    out = []
    for log in logs:
        people = [names.get(pid, f"№ {pid}") for pid in log.person_ids or []]
        subject = ", ".join(people[:5]) + (f" и ещё {len(people) - 5}" if len(people) > 5 else "")
        out.append(ReadRow(log.at, log.actor_id, log.actor_name, log.org_id,
                           org_names.get(log.org_id, ""), subject,
                           ACTIONS.get(log.action, log.action)))
    return out


def list_reads(session: Session, actor: Actor, org_id: int | None, *, actor_id: int | None = None,
               date_from: date | None = None, date_to: date | None = None, page: int = 1,
               per_page: int = 50) -> tuple[list[ReadRow], int]:
    if page < 1 or not 1 <= per_page <= MAX_PER_PAGE:
        raise BadInput(f"page ≥ 1, per_page от 1 до {MAX_PER_PAGE}.", code="invalid_paging")
    org_ids = scoped_orgs(session, actor, org_id)
    query = _query(org_ids, actor_id, date_from, date_to)
    total = session.scalar(select(func.count()).select_from(query.subquery()))
    logs = session.scalars(query.order_by(PersonalDataAccessLog.at.desc(),
                                          PersonalDataAccessLog.id.desc())
                           .offset((page - 1) * per_page).limit(per_page)).all()
    return _rows(session, list(logs)), total


def reads_xlsx(session: Session, actor: Actor, org_id: int | None, **filters) -> bytes:
    org_ids = scoped_orgs(session, actor, org_id)
    logs = session.scalars(_query(org_ids, **filters)
                           .order_by(PersonalDataAccessLog.at.desc()).limit(100_000)).all()
    rows = ((r.at, r.org_name, r.actor_name, r.what, r.subject) for r in _rows(session, list(logs)))
    return write_sheet("Чтения ПДн", ("Когда (UTC)", "Организация", "Кто", "Что", "Чьи данные"),
                       rows)
