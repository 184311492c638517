"""People in a school's registers (базы наставников и наставляемых) and their requests;
school settings; the reference lists of forms and role models."""

from __future__ import annotations

import re
from datetime import date

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from documents.models import (
    Consent,
    MentorshipForm,
    Person,
    PersonRequest,
    RoleModel,
    SchoolSettings,
)
from documents.models.people import ConsentKind, PersonCategory, reference_rows
from documents.registers_xlsx import RegisterFileError, read_people, write_people
from workflow import clock
from workflow.engine.permissions import Actor
from workflow.errors import BadInput, NotFound, RuleViolation
from workflow.mentorship.register_access import (
    is_minor,
    keeper_org,
    log_access,
    minor_condition,
    read_scope,
)
from workflow.names import require_letters
from workflow.paging import sort_order

MAX_PER_PAGE = 200
YOUNG_SPECIALIST_YEARS = 3
DEFAULT_LOAD_LIMIT = 3
CATEGORY_TITLES = {
    "student": "обучающийся", "teacher": "педагог", "graduate": "выпускник",
    "employer_staff": "представитель работодателя", "student_of_college": "студент",
}


# ---------------------------------------------------------------- reference data

def seed_reference(session: Session) -> None:
    """Insert the built-in forms and role models that are missing (idempotent)."""
    forms, models = reference_rows()
    have = set(session.scalars(select(MentorshipForm.code)))
    session.add_all(MentorshipForm(**f) for f in forms if f["code"] not in have)
    session.flush()
    have = set(session.scalars(select(RoleModel.code)))
    session.add_all(RoleModel(**m) for m in models if m["code"] not in have)
    session.flush()


def list_forms(session: Session) -> list[dict]:
    rows = session.scalars(select(MentorshipForm).order_by(MentorshipForm.position))
    return [{"code": f.code, "title": f.title, "track": f.track} for f in rows]


def list_role_models(session: Session) -> list[dict]:
    rows = session.scalars(select(RoleModel).order_by(RoleModel.position))
    return [{"code": m.code, "title": m.title, "form": m.form_code} for m in rows]


# ---------------------------------------------------------------- people

def category_of(value: object) -> PersonCategory:
    try:
        return PersonCategory(value)
    except ValueError:
        known = ", ".join(c.value for c in PersonCategory)
        raise BadInput(f"Неизвестная категория «{value}». Допустимые: {known}.",
                       code="invalid_category") from None


_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f\ud800-\udfff]")
#: Categories that may be minors or adults: the birth date decides, so it is required.
AGE_DECIDES = frozenset({PersonCategory.student_of_college, PersonCategory.graduate})


def _clean_person(full_name: object, category: object, grade: object, position: object,
                  experience_years: object, birth_date: date | None,
                  today: date) -> dict:
    if not isinstance(full_name, str) or not full_name.strip() or len(full_name) > 200:
        raise BadInput("Укажите ФИО (до 200 символов).", code="invalid_full_name")
    if _CONTROL.search(full_name):
        raise RuleViolation("Поле full_name: недопустимый управляющий символ.",
                            code="invalid_characters", details={"field": "full_name"})
    require_letters(full_name.strip(), "ФИО", "full_name")
    cat = category_of(category)
    for name, value, limit in (("grade", grade, 20), ("position", position, 200)):
        if value is not None and (not isinstance(value, str) or len(value) > limit):
            raise BadInput(f"Поле {name}: строка до {limit} символов.", code="invalid_field")
    if experience_years is not None and (
            isinstance(experience_years, bool) or not isinstance(experience_years, int)
            or not 0 <= experience_years <= 80):
        raise BadInput("Стаж (experience_years) — целое число лет от 0 до 80.",
                       code="invalid_experience")
    if birth_date is None and cat in AGE_DECIDES:
        raise RuleViolation("Укажите дату рождения (birth_date): от возраста зависит, кто "
                            "видит эти данные и кто подписывает согласие.",
                            code="birth_date_required", details={"field": "birth_date"})
    if birth_date is not None and not date(1900, 1, 1) <= birth_date <= today:
        raise RuleViolation("Дата рождения не может быть в будущем или раньше 1900 года.",
                            code="invalid_birth_date")
    return {"full_name": " ".join(full_name.split()), "category": cat,
            "grade": (grade or "").strip(), "position": (position or "").strip(),
            "experience_years": experience_years, "birth_date": birth_date}


def create_person(rt, actor: Actor, *, org_id: int | None, full_name: object,
                  category: object, grade: object = None, position: object = None,
                  experience_years: object = None, birth_date: date | None = None,
                  request: str | None = None, today: date | None = None) -> int:
    today = today or clock.today()
    with rt.db.write_session() as session:
        org = keeper_org(session, actor, org_id)  # 404/403 before saying what is wrong
        values = _clean_person(full_name, category, grade, position, experience_years,
                               birth_date, today)
        person = Person(org_id=org.id, **values)
        if request and request.strip():
            person.requests.append(PersonRequest(text=request.strip()[:5000]))
        session.add(person)
        session.flush()
        return person.id


def add_request(rt, actor: Actor, person_id: int, text: object) -> int:
    if not isinstance(text, str) or not text.strip() or len(text) > 5000:
        raise BadInput("Укажите текст запроса (до 5000 символов).", code="invalid_request")
    with rt.db.write_session() as session:
        person = session.get(Person, person_id)
        if person is None:
            raise NotFound("Человек не найден.", code="person_not_found")
        keeper_org(session, actor, person.org_id)
        item = PersonRequest(person_id=person.id, text=text.strip())
        session.add(item)
        session.flush()
        return item.id


def import_people(rt, actor: Actor, org_id: int | None, data: bytes,
                  today: date | None = None) -> int:
    """All rows or nothing; a bad row is a 422 naming the row and the cell."""
    today = today or clock.today()
    try:
        rows = read_people(data)
    except RegisterFileError as exc:
        raise RuleViolation(exc.message, code="register_file_invalid",
                            details={"row": exc.row, "cell": exc.cell}) from None
    if not rows:
        raise RuleViolation("В файле нет ни одной строки с людьми.", code="register_file_empty")
    people = []
    for r in rows:
        try:
            values = _clean_person(r.full_name, r.category, r.grade, r.position,
                                   r.experience_years, r.birth_date, today)
        except (BadInput, RuleViolation) as exc:
            raise RuleViolation(f"Строка {r.row}: {exc.message}", code="register_file_invalid",
                                details={"row": r.row}) from None
        people.append((values, r.request))
    with rt.db.write_session() as session:
        org = keeper_org(session, actor, org_id)
        for values, request in people:
            person = Person(org_id=org.id, **values)
            if request:
                person.requests.append(PersonRequest(text=request))
            session.add(person)
        session.flush()
    return len(people)


def person_to_api(p: Person, consents: dict[str, bool], today: date,
                  requests: list[PersonRequest] | None = None) -> dict:
    young = (p.category is PersonCategory.teacher and p.experience_years is not None
             and p.experience_years <= YOUNG_SPECIALIST_YEARS)
    out = {
        "id": p.id, "org_id": p.org_id, "full_name": p.full_name,
        "category": p.category.value, "grade": p.grade or None,
        "position": p.position or None, "experience_years": p.experience_years,
        "young_specialist": young,
        "birth_date": p.birth_date.isoformat() if p.birth_date else None,
        "minor": is_minor(p.category, p.birth_date, today),
        "consents": {k.value: consents.get(k.value, False) for k in ConsentKind},
    }
    if requests is not None:
        out["requests"] = [{"id": r.id, "text": r.text,
                            "closed": r.closed_at is not None} for r in requests]
    return out


def _consent_flags(session: Session, person_ids: list[int]) -> dict[int, dict[str, bool]]:
    flags: dict[int, dict[str, bool]] = {}
    if not person_ids:
        return flags
    rows = session.execute(select(Consent.person_id, Consent.kind).where(
        Consent.person_id.in_(person_ids), Consent.revoked_on.is_(None)).distinct())
    for pid, kind in rows:
        flags.setdefault(pid, {})[kind.value] = True
    return flags


#: Columns the registers page sorts by (``-key``: descending).
PEOPLE_SORTS = {"name": Person.full_name, "category": Person.category,
                "grade": Person.grade, "experience": Person.experience_years}


def list_people(rt, actor: Actor, *, org_id: int | None, category: str | None = None,
                page: int = 1, per_page: int = 50, with_requests: bool = False,
                today: date | None = None, sort: str | None = None) -> dict:
    """A page of a school's registers; reading minors' records is logged. ``sort`` is a
    key of PEOPLE_SORTS (unknown: by category and name)."""
    today = today or clock.today()
    if org_id is None:
        raise BadInput("Укажите org_id.", code="missing_parameter")
    if page < 1 or not 1 <= per_page <= MAX_PER_PAGE:
        raise BadInput(f"page ≥ 1, per_page от 1 до {MAX_PER_PAGE}.", code="invalid_paging")
    with rt.db.write_session() as session:
        scope = read_scope(session, actor, org_id)
        query = select(Person).where(Person.org_id == scope.org.id)
        if category:
            query = query.where(Person.category == category_of(category))
        if not scope.minors_visible:
            query = query.where(~minor_condition(today))
        total = session.scalar(select(func.count()).select_from(query.subquery())) or 0
        order = sort_order(sort, PEOPLE_SORTS, [Person.category, Person.full_name],
                           [Person.id])
        people = list(session.scalars(query.order_by(*order)
                                      .offset((page - 1) * per_page).limit(per_page)))
        ids = [p.id for p in people]
        flags = _consent_flags(session, ids)
        requests: dict[int, list[PersonRequest]] = {}
        if with_requests and ids:
            for r in session.scalars(select(PersonRequest).where(
                    PersonRequest.person_id.in_(ids)).order_by(PersonRequest.id)):
                requests.setdefault(r.person_id, []).append(r)
        items = [person_to_api(p, flags.get(p.id, {}), today,
                               requests.get(p.id, []) if with_requests else None)
                 for p in people]
        log_access(session, actor, "list_people", scope.org.id,
                   [i["id"] for i in items if i["minor"]])
    return {"items": items, "total": total, "page": page}


def people_choices(rt, actor: Actor, org_id: int, today: date | None = None) -> list[dict]:
    """Every person of a school for the page's pickers (consent, pair): id, name, class,
    category, whatever page or filter the list shows; minors only where the reader may see
    them, and reading them is logged as the list is."""
    today = today or clock.today()
    with rt.db.write_session() as session:
        scope = read_scope(session, actor, org_id)
        query = select(Person.id, Person.full_name, Person.grade, Person.category,
                       Person.birth_date).where(Person.org_id == scope.org.id)
        if not scope.minors_visible:
            query = query.where(~minor_condition(today))
        rows = session.execute(query.order_by(Person.full_name, Person.id)).all()
        items = [{"id": r.id, "full_name": r.full_name, "grade": r.grade,
                  "category": r.category.value,
                  "minor": is_minor(r.category, r.birth_date, today)} for r in rows]
        log_access(session, actor, "people_choices", scope.org.id,
                   [i["id"] for i in items if i["minor"]])
    return items


def get_person(rt, actor: Actor, person_id: int, today: date | None = None) -> dict:
    today = today or clock.today()
    with rt.db.write_session() as session:
        person = session.get(Person, person_id)
        if person is None:
            raise NotFound("Человек не найден.", code="person_not_found")
        scope = read_scope(session, actor, person.org_id)
        minor = is_minor(person.category, person.birth_date, today)
        if minor and not scope.minors_visible:
            raise NotFound("Человек не найден.", code="person_not_found")
        out = person_to_api(person, _consent_flags(session, [person.id]).get(person.id, {}),
                            today, list(person.requests))
        out["consent_records"] = [
            {"id": c.id, "kind": c.kind.value, "signed_by": c.signed_by.value,
             "representative_name": c.representative_name,
             "signed_on": c.signed_on.isoformat(),
             "revoked_on": c.revoked_on.isoformat() if c.revoked_on else None}
            for c in person.consents]
        if minor:
            log_access(session, actor, "read_person", person.org_id, [person.id])
    return out


def export_people(rt, actor: Actor, org_id: int | None, today: date | None = None) -> bytes:
    """The whole register as XLSX (reads are logged like the listing)."""
    rows, page = [], 1
    while True:
        chunk = list_people(rt, actor, org_id=org_id, page=page, per_page=MAX_PER_PAGE,
                            with_requests=True, today=today)
        rows += chunk["items"]
        if len(rows) >= chunk["total"] or not chunk["items"]:
            break
        page += 1
    return write_people(rows, "Реестр наставников и наставляемых")


# ---------------------------------------------------------------- school settings

def settings_of(session: Session, org_id: int) -> SchoolSettings:
    found = session.get(SchoolSettings, org_id)
    return found or SchoolSettings(org_id=org_id, mentor_load_limit=DEFAULT_LOAD_LIMIT)


def settings_to_api(s: SchoolSettings) -> dict:
    return {"org_id": s.org_id, "mentor_load_limit": s.mentor_load_limit or DEFAULT_LOAD_LIMIT,
            "programme_start": s.programme_start.isoformat() if s.programme_start else None,
            "programme_end": s.programme_end.isoformat() if s.programme_end else None,
            "students_total": s.students_total, "teachers_total": s.teachers_total}


def get_settings(session: Session, actor: Actor, org_id: int | None) -> dict:
    scope = read_scope(session, actor, org_id)
    return settings_to_api(settings_of(session, scope.org.id))


_UNSET = object()


def update_settings(rt, actor: Actor, org_id: int | None, *, mentor_load_limit=_UNSET,
                    programme_start=_UNSET, programme_end=_UNSET, students_total=_UNSET,
                    teachers_total=_UNSET) -> dict:
    with rt.db.read_session() as session:
        keeper_org(session, actor, org_id)  # 404/403 before saying what is wrong
    for name, value in (("mentor_load_limit", mentor_load_limit),
                        ("students_total", students_total), ("teachers_total", teachers_total)):
        if value is _UNSET or (value is None and name != "mentor_load_limit"):
            continue
        if isinstance(value, bool) or not isinstance(value, int) or value < (
                1 if name == "mentor_load_limit" else 0):
            raise BadInput(f"Поле {name}: целое неотрицательное число"
                           f"{' (не меньше 1)' if name == 'mentor_load_limit' else ''}.",
                           code="invalid_field")
    with rt.db.write_session() as session:
        org = keeper_org(session, actor, org_id)
        row = session.get(SchoolSettings, org.id)
        if row is None:
            row = SchoolSettings(org_id=org.id, mentor_load_limit=DEFAULT_LOAD_LIMIT)
            session.add(row)
        for name, value in (("mentor_load_limit", mentor_load_limit),
                            ("programme_start", programme_start),
                            ("programme_end", programme_end),
                            ("students_total", students_total),
                            ("teachers_total", teachers_total)):
            if value is not _UNSET and value is not None or (
                    value is None and name != "mentor_load_limit"):
                setattr(row, name, value)
        if row.programme_start and row.programme_end and row.programme_end < row.programme_start:
            raise RuleViolation("Окончание программы раньше её начала.",
                                code="programme_term_reversed")
        session.flush()
        return settings_to_api(row)


def selectable_schools(session: Session, actor: Actor) -> list[dict]:
    """Schools whose registers the actor can open (for the page's selector)."""
    from documents.models import Organization, OrgKind
    from workflow.engine.permissions import visible_org_ids

    ids = visible_org_ids(session, actor)
    rows = session.execute(select(Organization.id, Organization.short_name, Organization.name)
                           .where(Organization.id.in_(ids),
                                  Organization.kind == OrgKind.school)
                           .order_by(Organization.short_name))
    return [{"id": r.id, "short_name": r.short_name, "name": r.name} for r in rows]


def may_keep(actor: Actor, org_id: int) -> bool:
    from workflow.mentorship.register_access import REGISTER_KEEPERS

    return bool(actor.roles_in(org_id) & REGISTER_KEEPERS)
