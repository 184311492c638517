"""Mentor–mentee pairs and groups, and the pair order (приказ о закреплении пар).

A pair is planned when formed, becomes active when the pair order listing it is signed
(hook inside the sign transaction) and finished at the end. Importing this module
registers the pair order's guards, its DOCX snapshot part and the on-signed hook.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session, aliased

from documents.models import (
    Document,
    MentorshipForm,
    Pair,
    PairMentee,
    Person,
    RoleModel,
)
from documents.models.people import PairStatus, PersonCategory
from workflow import clock
from workflow.engine import machine, steps
from workflow.engine.permissions import Actor
from workflow.errors import BadInput, NotFound, RuleViolation
from workflow.files import rendering
from workflow.mentorship.consents import consent_message, missing_consents
from workflow.mentorship.register_access import is_minor, keeper_org, log_access, read_scope
from workflow.mentorship.registers import settings_of

OPEN_STATUSES = (PairStatus.planned, PairStatus.active)
MAX_MENTEES = 30
STATUS_TITLES = {"planned": "сформирована", "active": "действует", "finished": "завершена",
                 "cancelled": "отменена"}

S, T, G = PersonCategory.student, PersonCategory.teacher, PersonCategory.graduate
E, C = PersonCategory.employer_staff, PersonCategory.student_of_college
#: Who may mentor and be mentored in each form (teacher-system forms: teachers only).
FORM_CATEGORIES: dict[str, tuple[frozenset, frozenset]] = {
    "student_student": (frozenset({S, G}), frozenset({S})),
    "teacher_teacher": (frozenset({T}), frozenset({T})),
    "college_student_student": (frozenset({C, G}), frozenset({S})),
    "employer_student": (frozenset({E, G}), frozenset({S})),
    "employer_college_student": (frozenset({E, G}), frozenset({C})),
}
TEACHER_FORMS = (frozenset({T}), frozenset({T}))
CATEGORY_GENITIVE = {S: "обучающийся", T: "педагог", G: "выпускник",
                     E: "представитель работодателя", C: "студент"}


def _overlap(start: date, end: date):
    return (Pair.start <= end) & (Pair.end >= start)


def _role_model(session: Session, value: object) -> str:
    if value in (None, ""):
        return ""
    if not isinstance(value, str) or len(value) > 200:
        raise BadInput("Поле role_model: строка до 200 символов.", code="invalid_field")
    title = session.scalar(select(RoleModel.title).where(RoleModel.code == value))
    return title or value.strip()


def create_pair(rt, actor: Actor, *, org_id: int | None, mentor_id: int | None,
                mentee_ids: object, form: object, role_model: object = None,
                start: date | None, end: date | None) -> int:
    """Form a pair (one mentee) or a group; 422 naming the first broken rule."""
    if not isinstance(mentee_ids, list) or not mentee_ids or not all(
            isinstance(i, int) and not isinstance(i, bool) for i in mentee_ids):
        raise BadInput("mentee_ids — непустой список идентификаторов наставляемых.",
                       code="invalid_mentees")
    if len(set(mentee_ids)) != len(mentee_ids) or len(mentee_ids) > MAX_MENTEES:
        raise BadInput(f"mentee_ids: без повторов, не больше {MAX_MENTEES}.",
                       code="invalid_mentees")
    if mentor_id is None:
        raise BadInput("Укажите наставника (mentor_id).", code="missing_field")
    if mentor_id in mentee_ids:
        raise RuleViolation("Наставник не может быть своим наставляемым.",
                            code="mentor_is_mentee")
    if start is None or end is None:
        raise BadInput("Укажите сроки пары: start и end (ГГГГ-ММ-ДД).", code="missing_field")
    if not isinstance(form, str) or not form:
        raise BadInput("Укажите форму наставничества (form).", code="missing_field")
    with rt.db.write_session() as session:
        org = keeper_org(session, actor, org_id)
        form_row = session.get(MentorshipForm, form)
        if form_row is None:
            raise RuleViolation(f"Неизвестная форма наставничества «{form}» — выберите из "
                                "справочника /api/v1/reference/forms.", code="unknown_form")
        if end < start:
            raise RuleViolation("Окончание работы пары раньше её начала.",
                                code="dates_reversed")
        settings = settings_of(session, org.id)
        if (settings.programme_start and start < settings.programme_start) or (
                settings.programme_end and end > settings.programme_end):
            term = (f"{_ru(settings.programme_start) or '…'} – "
                    f"{_ru(settings.programme_end) or '…'}")
            raise RuleViolation(f"Сроки пары ({_ru(start)} – {_ru(end)}) выходят за срок "
                                f"программы наставничества школы ({term}).",
                                code="outside_programme_term")
        ids = [mentor_id, *mentee_ids]
        people = {p.id: p for p in session.scalars(select(Person).where(Person.id.in_(ids)))}
        for pid in ids:
            person = people.get(pid)
            if person is None:
                raise NotFound("Человек с id %(id)s не найден.", code="person_not_found",
                               params={"id": pid})
            if person.org_id != org.id:
                read_scope(session, actor, person.org_id)  # 404 when not visible at all
                raise RuleViolation("%(name)s — из другой организации; пары формируются внутри "
                                    "школы.", code="person_outside_org",
                                    params={"name": person.full_name})
        mentor, mentees = people[mentor_id], [people[i] for i in mentee_ids]
        allowed = FORM_CATEGORIES.get(form_row.code, TEACHER_FORMS)
        if mentor.category not in allowed[0]:
            raise RuleViolation(f"В форме «{form_row.title}» наставником не может быть "
                                f"{CATEGORY_GENITIVE[mentor.category]} ({mentor.full_name}).",
                                code="form_category_mismatch")
        for m in mentees:
            if m.category not in allowed[1]:
                raise RuleViolation(f"В форме «{form_row.title}» наставляемым не может быть "
                                    f"{CATEGORY_GENITIVE[m.category]} ({m.full_name}).",
                                    code="form_category_mismatch")
        missing = missing_consents(session, [(mentor, True)] + [(m, False) for m in mentees])
        if missing:
            raise RuleViolation(consent_message(missing), code="consent_missing",
                                details={"missing": [{"person_id": p.id, "kind": k.value}
                                                     for p, k in missing]})
        busy = session.execute(
            select(PairMentee.person_id, Pair.id, Pair.start, Pair.end)
            .join(Pair, Pair.id == PairMentee.pair_id)
            .where(PairMentee.person_id.in_(mentee_ids), Pair.form_code == form_row.code,
                   Pair.status.in_(OPEN_STATUSES), _overlap(start, end))).first()
        if busy is not None:
            raise RuleViolation(
                f"{people[busy[0]].full_name} уже состоит в паре № {busy[1]} формы "
                f"«{form_row.title}» на {_ru(busy[2])} – {_ru(busy[3])}; сроки пересекаются.",
                code="mentee_already_paired")
        load = session.scalar(
            select(func.count()).select_from(PairMentee)
            .join(Pair, Pair.id == PairMentee.pair_id)
            .where(Pair.mentor_id == mentor.id, Pair.status.in_(OPEN_STATUSES),
                   _overlap(start, end))) or 0
        limit = settings.mentor_load_limit or 3
        if load + len(mentees) > limit:
            raise RuleViolation(
                f"У наставника {mentor.full_name} уже {load} наставляемых; с этой парой будет "
                f"{load + len(mentees)}, а школа допускает не больше {limit}.",
                code="mentor_over_limit")
        pair = Pair(org_id=org.id, mentor_id=mentor.id, form_code=form_row.code,
                    role_model=_role_model(session, role_model), start=start, end=end,
                    status=PairStatus.planned)
        pair.mentees = [PairMentee(person_id=m.id, position=i) for i, m in enumerate(mentees)]
        session.add(pair)
        session.flush()
        return pair.id


def _ru(day: date | None) -> str:
    return day.strftime("%d.%m.%Y") if day else ""


def _pair_rows(session: Session, pair_ids: list[int] | None = None, org_id: int | None = None,
               status: str | None = None):
    """Pairs with mentor, form and mentees in ONE query (a row per mentee)."""
    mentor, mentee = aliased(Person), aliased(Person)
    query = (select(Pair.id, Pair.org_id, Pair.status, Pair.form_code, MentorshipForm.title,
                    Pair.role_model, Pair.start, Pair.end, Pair.order_document_id,
                    mentor.id, mentor.full_name, mentor.category, mentor.position,
                    mentor.grade, mentee.id, mentee.full_name, mentee.category,
                    mentee.position, mentee.grade, mentee.birth_date, mentor.birth_date)
             .join(MentorshipForm, MentorshipForm.code == Pair.form_code)
             .join(mentor, mentor.id == Pair.mentor_id)
             .join(PairMentee, PairMentee.pair_id == Pair.id)
             .join(mentee, mentee.id == PairMentee.person_id)
             .order_by(Pair.id, PairMentee.position))
    if pair_ids is not None:
        query = query.where(Pair.id.in_(pair_ids))
    if org_id is not None:
        query = query.where(Pair.org_id == org_id)
    if status:
        query = query.where(Pair.status == status)
    pairs: dict[int, dict] = {}
    for row in session.execute(query):
        p = pairs.get(row[0])
        if p is None:
            p = pairs[row[0]] = {
                "id": row[0], "org_id": row[1], "status": row[2].value, "form": row[3],
                "form_title": row[4], "role_model": row[5] or None,
                "start": row[6].isoformat(), "end": row[7].isoformat(),
                "order_document_id": row[8],
                "mentor": {"id": row[9], "full_name": row[10], "category": row[11].value,
                           "position": row[12] or None, "grade": row[13] or None,
                           "minor": is_minor(row[11], row[20], clock.today())},
                "mentees": [],
            }
        p["mentees"].append({"id": row[14], "full_name": row[15], "category": row[16].value,
                             "position": row[17] or None, "grade": row[18] or None,
                             "minor": is_minor(row[16], row[19], clock.today())})
    return pairs


def list_pairs(rt, actor: Actor, *, org_id: int | None, status: str | None = None,
               page: int = 1, per_page: int = 50) -> dict:
    if status is not None and status not in PairStatus.__members__:
        raise BadInput(f"Неизвестный статус пары «{status}».", code="invalid_status")
    if page < 1 or not 1 <= per_page <= 200:
        raise BadInput("page ≥ 1, per_page от 1 до 200.", code="invalid_paging")
    with rt.db.write_session() as session:
        scope = read_scope(session, actor, org_id)
        if not scope.minors_visible:  # pairs name mentees, mostly minors: school and auditor
            raise NotFound("Организация не найдена.", code="organization_not_found")
        pairs = list(_pair_rows(session, org_id=scope.org.id, status=status).values())
        items = pairs[(page - 1) * per_page: page * per_page]
        log_access(session, actor, "list_pairs", scope.org.id,
                   [m["id"] for p in items for m in p["mentees"] if m["minor"]])
    return {"items": items, "total": len(pairs), "page": page}


def get_pair(rt, actor: Actor, pair_id: int) -> dict:
    with rt.db.write_session() as session:
        pair = _pair_rows(session, pair_ids=[pair_id]).get(pair_id)
        if pair is None:
            raise NotFound("Пара не найдена.", code="pair_not_found")
        try:
            scope = read_scope(session, actor, pair["org_id"])
        except NotFound:
            raise NotFound("Пара не найдена.", code="pair_not_found") from None
        if not scope.minors_visible:
            raise NotFound("Пара не найдена.", code="pair_not_found")
        log_access(session, actor, "read_pair", pair["org_id"],
                   [m["id"] for m in pair["mentees"] if m["minor"]])
    return pair


def _change_status(rt, actor: Actor, pair_id: int, allowed: tuple[PairStatus, ...],
                   to: PairStatus, message: str) -> None:
    with rt.db.write_session() as session:
        pair = session.get(Pair, pair_id)
        if pair is None:
            raise NotFound("Пара не найдена.", code="pair_not_found")
        try:
            keeper_org(session, actor, pair.org_id)
        except NotFound:
            raise NotFound("Пара не найдена.", code="pair_not_found") from None
        if pair.status not in allowed:
            raise RuleViolation(message, code="invalid_pair_status")
        pair.status = to
        if to is PairStatus.finished:
            pair.finished_at = clock.now()


def finish_pair(rt, actor: Actor, pair_id: int) -> None:
    _change_status(rt, actor, pair_id, (PairStatus.active,), PairStatus.finished,
                   "Завершить можно только действующую пару (закреплённую приказом).")


def cancel_pair(rt, actor: Actor, pair_id: int) -> None:
    _change_status(rt, actor, pair_id, (PairStatus.planned,), PairStatus.cancelled,
                   "Отменить можно только пару, ещё не закреплённую приказом.")


# ---------------------------------------------------------------- the pair order

def _order_pair_ids(doc: Document) -> list[int]:
    ids = (doc.fields or {}).get("pair_ids") or []
    return [i for i in ids if isinstance(i, int)]


def check_pair_order(session: Session, doc: Document, signing: bool) -> None:
    """Every listed pair exists in the document's school, is still planned (or already
    active under this very order) and everyone in it has the needed consents."""
    ids = _order_pair_ids(doc)
    if not ids:
        raise RuleViolation("В приказе не выбрано ни одной пары.", code="pair_order_empty")
    pairs = {p.id: p for p in session.scalars(select(Pair).where(Pair.id.in_(ids)))}
    foreign = [i for i in ids if i not in pairs or pairs[i].org_id != doc.org_id]
    if foreign:
        raise RuleViolation("В приказе указаны пары, которых нет в реестре этой организации: "
                            + ", ".join(f"№ {i}" for i in foreign) + ".",
                            code="pair_not_in_org")
    closed = [p.id for p in pairs.values() if p.status not in OPEN_STATUSES
              or (p.status is PairStatus.active and p.order_document_id != doc.id)]
    if closed:
        raise RuleViolation("Пары уже закреплены другим приказом, завершены или отменены: "
                            + ", ".join(f"№ {i}" for i in sorted(closed)) + ".",
                            code="pair_not_planned")
    links = session.execute(select(PairMentee.pair_id, PairMentee.person_id).where(
        PairMentee.pair_id.in_(ids))).all()
    person_ids = {p.mentor_id for p in pairs.values()} | {pid for _, pid in links}
    people = {p.id: p for p in session.scalars(select(Person).where(Person.id.in_(person_ids)))}
    mentors = {p.mentor_id for p in pairs.values()}
    roles = [(people[pid], pid in mentors) for pid in sorted(person_ids)]
    missing = missing_consents(session, roles)
    if missing:
        raise RuleViolation(consent_message(missing), code="consent_missing",
                            details={"missing": [{"person_id": p.id, "kind": k.value}
                                                 for p, k in missing]})


@machine.register_guard("pair_order", "submit")
def _guard_submit(ctx: machine.TransitionContext) -> None:
    check_pair_order(ctx.extra["session"], ctx.document, signing=False)


@machine.register_guard("pair_order", "sign")
def _guard_sign(ctx: machine.TransitionContext) -> None:
    check_pair_order(ctx.extra["session"], ctx.document, signing=True)


def activate_pairs(session: Session, doc: Document) -> None:
    """Inside the sign transaction: the order's planned pairs become active."""
    ids = _order_pair_ids(doc)
    if ids:
        session.execute(update(Pair).where(Pair.id.in_(ids), Pair.org_id == doc.org_id,
                                           Pair.status == PairStatus.planned)
                        .values(status=PairStatus.active, order_document_id=doc.id,
                                activated_at=clock.now())
                        .execution_options(synchronize_session=False))


def _details(items: list[dict]) -> str:
    grades = [m["grade"] for m in items if m["category"] == "student" and m["grade"]]
    if grades and len(grades) == len(items):
        unique = sorted(set(grades))
        return (f"{unique[0]} класс" if len(unique) == 1
                else "классы: " + ", ".join(unique))
    positions = sorted({m["position"] for m in items if m["position"]})
    return ", ".join(positions)


def _mentor_position(m: dict) -> str:
    if m["category"] == "student" and m["grade"]:
        from documents.docx.morphology import person_gender, student_word

        return f"{student_word(person_gender(m['full_name']))} {m['grade']} класса"
    return m["position"] or CATEGORY_GENITIVE[PersonCategory(m["category"])]


def _anonymous(person: dict) -> str:
    from workflow.mentorship.minors import label

    return label(person["category"], person["grade"])


def _mentee_names(mentees: list[dict], outside: bool) -> list[str]:
    if not outside:
        return [m["full_name"] for m in mentees]
    names, counts = [], {}
    for m in mentees:
        if m["minor"]:
            counts[_anonymous(m)] = counts.get(_anonymous(m), 0) + 1
        else:
            names.append(m["full_name"])
    return names + [f"{text} ({n})" if n > 1 else text for text, n in counts.items()]


def pair_order_snapshot(session: Session, doc: Document, snapshot: dict) -> dict:
    """The table of the pair order's appendix, in one query, in the order's order.

    For readers outside the school (snapshot["audience"] == "outside") a minor is
    «обучающийся 7Б класса», never a name, and the order carries counts per form."""
    outside = snapshot.get("audience") == "outside"
    ids = [i for i in (snapshot.get("fields") or {}).get("pair_ids") or []
           if isinstance(i, int)]
    rows = _pair_rows(session, pair_ids=ids) if ids else {}
    out, minor_ids, per_form = [], set(), {}
    for pid in ids:
        p = rows.get(pid)
        if p is None or p["org_id"] != doc.org_id:
            continue
        mentor = p["mentor"]
        mentor_minor = mentor["minor"]
        minor_ids |= {m["id"] for m in p["mentees"] if m["minor"]}
        if mentor_minor:
            minor_ids.add(mentor["id"])
        counts = per_form.setdefault(p["form_title"], {"form_title": p["form_title"],
                                                       "pairs": 0, "mentees": 0})
        counts["pairs"] += 1
        counts["mentees"] += len(p["mentees"])
        out.append({"mentor_name": _anonymous(mentor) if outside and mentor_minor
                    else mentor["full_name"],
                    "mentor_category": mentor["category"],
                    "mentor_position": _mentor_position(mentor),
                    "mentee_names": _mentee_names(p["mentees"], outside),
                    "mentee_details": _details(p["mentees"]),
                    "form_title": p["form_title"], "role_model": p["role_model"] or "",
                    "start": p["start"], "end": p["end"]})
    return {"pairs": out, "minor_ids": sorted(minor_ids),
            "form_counts": list(per_form.values())}


rendering.SNAPSHOT_EXTRAS["pair_order"] = pair_order_snapshot


def _activate_on_sign(step: steps.Step) -> None:
    activate_pairs(step.session, step.doc)


steps.register("sign", kinds=("pair_order",), after=_activate_on_sign)
