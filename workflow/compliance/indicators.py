"""Indicators (KPIs): yearly targets of a school or a municipality and their actual values.

Coverage and the share of young specialists are computed from the registers and the pairs
(in a constant number of queries for any number of schools); satisfaction comes from
surveys and is entered by hand. Targets are entered or taken from a roadmap's table.
"""

from __future__ import annotations

import re
from datetime import date

from sqlalchemy import and_, case, func, or_, select
from sqlalchemy.orm import Session

from documents.models import (
    Indicator,
    Organization,
    OrgKind,
    Pair,
    PairMentee,
    Person,
    Roadmap,
    Role,
    SchoolSettings,
)
from documents.models.people import PairStatus, PersonCategory
from workflow import clock
from workflow.engine.permissions import REACHING_ROLES, Actor
from workflow.errors import BadInput, Forbidden, NotFound

#: code -> (name, how the actual value is obtained)
INDICATORS = {
    "student_coverage": ("Доля обучающихся, вовлечённых в программы наставничества",
                         "computed"),
    "teacher_coverage": ("Доля педагогов, вовлечённых в программы наставничества",
                         "computed"),
    "young_specialists_share": (("Доля молодых специалистов (стаж 0–3 года), включённых в "
                                 "программы наставничества в роли наставляемых"), "computed"),
    "mentee_satisfaction": (("Удовлетворённость наставляемых участием в программах "
                             "наставничества"), "survey"),
    "mentor_satisfaction": (("Удовлетворённость наставников участием в программах "
                             "наставничества"), "survey"),
}
COMPUTED = tuple(code for code, (_, how) in INDICATORS.items() if how == "computed")
INDICATOR_WRITERS_SCHOOL = frozenset({Role.school_admin, Role.curator, Role.director})
INDICATOR_WRITERS_MUNI = frozenset({Role.municipal_officer, Role.director, Role.admin})
_NUMBER = re.compile(r"\d+(?:[.,]\d+)?")


def code_for_name(name: str) -> str:
    """Recognise the standard indicators in a roadmap's free wording."""
    low = name.lower()
    if "удовлетвор" in low:
        return "mentor_satisfaction" if "наставник" in low and "наставляем" not in low \
            else "mentee_satisfaction"
    if "молод" in low and ("специалист" in low or "педагог" in low):
        return "young_specialists_share"
    if "обучающ" in low or "учащ" in low or "школьник" in low:
        return "student_coverage"
    if "педагог" in low or "учител" in low:
        return "teacher_coverage"
    return ""


def parse_value(text: object) -> float | None:
    """«не менее 20», «60%», «85,5» → a number; None when there is none."""
    if isinstance(text, (int, float)) and not isinstance(text, bool):
        return float(text)
    found = _NUMBER.search(str(text or ""))
    return float(found.group().replace(",", ".")) if found else None


def _pct(part: int, whole: int) -> float | None:
    return round(part * 100.0 / whole, 1) if whole else None


def computed_actuals(session: Session, school_ids: list[int] | object, year: int) -> dict[int, dict]:
    """{school_id: {code: percent, "counts": {...}}} for the pairs working in ``year``.

    Two queries whatever the number of schools: one GROUP BY over the registers, one for the
    ОО-1 denominators. ``school_ids`` may be a list or a subquery of ids.
    """
    start, end = date(year, 1, 1), date(year, 12, 31)
    working = and_(Pair.status.in_((PairStatus.active, PairStatus.finished)),
                   Pair.start <= end, Pair.end >= start)
    as_mentee = select(PairMentee.person_id).join(Pair, Pair.id == PairMentee.pair_id) \
        .where(working)
    as_mentor = select(Pair.mentor_id).where(working)
    involved = or_(Person.id.in_(as_mentee), Person.id.in_(as_mentor))
    young = and_(Person.category == PersonCategory.teacher, Person.experience_years <= 3)
    one = lambda cond: func.sum(case((cond, 1), else_=0))
    rows = session.execute(
        select(Person.org_id,
               one(Person.category == PersonCategory.student),
               one(and_(Person.category == PersonCategory.student, involved)),
               one(Person.category == PersonCategory.teacher),
               one(and_(Person.category == PersonCategory.teacher, involved)),
               one(young),
               one(and_(young, Person.id.in_(as_mentee))))
        .where(Person.org_id.in_(school_ids)).group_by(Person.org_id))
    stats = {r[0]: [int(v or 0) for v in r[1:]] for r in rows}
    totals = {r[0]: (r[1], r[2]) for r in session.execute(
        select(SchoolSettings.org_id, SchoolSettings.students_total,
               SchoolSettings.teachers_total).where(SchoolSettings.org_id.in_(school_ids)))}
    out = {}
    for org_id, (students, students_in, teachers, teachers_in, young_all, young_in) in \
            stats.items():
        st_total, te_total = totals.get(org_id, (None, None))
        students_den = st_total or students
        teachers_den = te_total or teachers
        out[org_id] = {
            "student_coverage": _pct(students_in, students_den),
            "teacher_coverage": _pct(teachers_in, teachers_den),
            "young_specialists_share": _pct(young_in, young_all),
            "counts": {"students": students_den, "students_in_pairs": students_in,
                       "teachers": teachers_den, "teachers_in_pairs": teachers_in,
                       "young_specialists": young_all, "young_specialists_in_pairs": young_in},
        }
    return out


def aggregate(per_school: dict[int, dict]) -> dict:
    """A municipality's computed values: sums of numerators over sums of denominators."""
    keys = ("students", "students_in_pairs", "teachers", "teachers_in_pairs",
            "young_specialists", "young_specialists_in_pairs")
    sums = {k: sum(v["counts"][k] for v in per_school.values()) for k in keys}
    return {"student_coverage": _pct(sums["students_in_pairs"], sums["students"]),
            "teacher_coverage": _pct(sums["teachers_in_pairs"], sums["teachers"]),
            "young_specialists_share": _pct(sums["young_specialists_in_pairs"],
                                            sums["young_specialists"]),
            "counts": sums}


def _may_read(actor: Actor, org: Organization) -> bool:
    if actor.roles_in(org.id):
        return True
    return bool(org.parent_id and actor.roles_in(org.parent_id) & REACHING_ROLES)


def _org(session: Session, actor: Actor, org_id: int | None) -> Organization:
    org = session.get(Organization, org_id) if org_id is not None else None
    if org is None or not _may_read(actor, org):
        raise NotFound("Организация не найдена.", code="organization_not_found")
    return org


def indicator_table(session: Session, actor: Actor, org_id: int | None, year: int) -> list[dict]:
    """Stored targets and values merged with the computed actuals for one organisation."""
    org = _org(session, actor, org_id)
    return indicator_tables(session, [org], year)[org.id]


def indicator_tables(session: Session, orgs: list[Organization], year: int,
                     computed: dict[int, dict] | None = None) -> dict[int, list[dict]]:
    """The same for many organisations in a constant number of queries."""
    ids = [o.id for o in orgs]
    stored: dict[int, list[Indicator]] = {}
    for ind in session.scalars(select(Indicator).where(Indicator.org_id.in_(ids),
                                                       Indicator.year == year)
                               .order_by(Indicator.id)):
        stored.setdefault(ind.org_id, []).append(ind)
    if computed is None:
        school_ids = [o.id for o in orgs if o.kind is OrgKind.school]
        muni_ids = [o.id for o in orgs if o.kind is OrgKind.municipality]
        sub = select(Organization.id).where(or_(Organization.id.in_(school_ids),
                                                Organization.parent_id.in_(muni_ids)))
        per_school = computed_actuals(session, sub, year)
        parents = dict(session.execute(select(Organization.id, Organization.parent_id)
                                       .where(Organization.parent_id.in_(muni_ids))).all()) \
            if muni_ids else {}
        computed = {sid: v for sid, v in per_school.items()}
        for mid in muni_ids:
            computed[mid] = aggregate({sid: v for sid, v in per_school.items()
                                       if parents.get(sid) == mid})
    out = {}
    for org in orgs:
        rows, seen = [], set()
        values = computed.get(org.id, {})
        for ind in stored.get(org.id, []):
            actual = ind.actual
            if actual is None and ind.code in COMPUTED:
                actual = values.get(ind.code)
            rows.append(_row(ind.code, ind.name, ind.unit, ind.target, actual,
                             ind.source if ind.actual is not None else
                             ("computed" if ind.code in COMPUTED else ind.source)))
            seen.add(ind.code or ind.name)
        for code in COMPUTED:
            if code not in seen:
                rows.append(_row(code, INDICATORS[code][0], "%", None, values.get(code),
                                 "computed"))
        out[org.id] = rows
    return out


def _row(code, name, unit, target, actual, source) -> dict:
    met = None if target is None or actual is None else actual >= target
    return {"code": code or None, "name": name, "unit": unit, "target": target,
            "actual": actual, "source": source, "met": met}


def _writable_org(session: Session, actor: Actor, org_id: int | None) -> Organization:
    org = _org(session, actor, org_id)
    writers = INDICATOR_WRITERS_SCHOOL if org.kind is OrgKind.school else INDICATOR_WRITERS_MUNI
    if not actor.roles_in(org.id) & writers:
        raise Forbidden("Задавать показатели этой организации вам не разрешено.",
                        code="indicators_not_allowed")
    return org


def set_indicator(rt, actor: Actor, *, org_id: int | None, year: object, code: object = None,
                  name: object = None, unit: object = "%", target: object = None,
                  actual: object = None, source: object = None) -> dict:
    """Create or update one indicator (by code, or by name for a free-form one)."""
    with rt.db.read_session() as session:
        _writable_org(session, actor, org_id)  # 404/403 before saying what is wrong
    if isinstance(year, bool) or not isinstance(year, int) or not 2000 <= year <= 2100:
        raise BadInput("Поле year — год, например 2026.", code="invalid_year")
    if code not in (None, "") and code not in INDICATORS:
        raise BadInput("Неизвестный код показателя. Допустимые: " + ", ".join(INDICATORS)
                       + " (или укажите name).", code="invalid_indicator")
    if not code and (not isinstance(name, str) or not name.strip()):
        raise BadInput("Укажите code или name показателя.", code="missing_field")
    values = {}
    for field, value in (("target", target), ("actual", actual)):
        if value is not None:
            if isinstance(value, bool) or not isinstance(value, (int, float)) or value < 0:
                raise BadInput(f"Поле {field} — неотрицательное число.", code="invalid_field")
            values[field] = float(value)
    name = (name or INDICATORS[code][0]).strip()[:500]
    src = source if source in ("manual", "survey", "roadmap") else (
        "survey" if code in ("mentee_satisfaction", "mentor_satisfaction") and actual is not None
        else "manual")
    with rt.db.write_session() as session:
        org = _writable_org(session, actor, org_id)
        ind = _find(session, org.id, year, code or "", name)
        if ind is None:
            ind = Indicator(org_id=org.id, year=year, code=code or "", name=name,
                            unit=str(unit or "%")[:20], source=src)
            session.add(ind)
        ind.updated_at = clock.now()
        if "target" in values:
            ind.target = values["target"]
        if "actual" in values:
            ind.actual = values["actual"]
            ind.source = src
        session.flush()
        return {"id": ind.id, "org_id": ind.org_id, "year": ind.year, "code": ind.code or None,
                "name": ind.name, "unit": ind.unit, "target": ind.target, "actual": ind.actual,
                "source": ind.source}


def _find(session: Session, org_id: int, year: int, code: str, name: str) -> Indicator | None:
    cond = Indicator.code == code if code else Indicator.name == name
    return session.scalar(select(Indicator).where(Indicator.org_id == org_id,
                                                  Indicator.year == year, cond))


def targets_from_roadmap(rt, actor: Actor, roadmap_id: int) -> int:
    """Copy the yearly targets of an imported roadmap's indicator table; returns how many."""
    with rt.db.write_session() as session:
        roadmap = session.get(Roadmap, roadmap_id)
        if roadmap is None:
            raise NotFound("Дорожная карта не найдена.", code="roadmap_not_found")
        try:
            org = _writable_org(session, actor, roadmap.org_id)
        except NotFound:
            raise NotFound("Дорожная карта не найдена.", code="roadmap_not_found") from None
        count = 0
        for row in roadmap.indicators or []:
            name = str(row.get("name") or "").strip()[:500]
            if not name:
                continue
            code = code_for_name(name)
            for year_text, raw in (row.get("targets") or {}).items():
                year = int(parse_value(year_text) or 0)
                value = parse_value(raw)
                if not 2000 <= year <= 2100 or value is None:
                    continue
                ind = _find(session, org.id, year, "", name)
                if ind is None and code:
                    ind = _find(session, org.id, year, code, name)
                if ind is None:
                    ind = Indicator(org_id=org.id, year=year, code=code, name=name,
                                    unit=str(row.get("unit") or "%")[:20], source="roadmap")
                    session.add(ind)
                ind.target = value
                ind.updated_at = clock.now()
                count += 1
                session.flush()
        return count


def school_indicators(session: Session, actor: Actor, school_id: int, year: int) -> list[dict]:
    """One school's indicators for ``year``: stored targets with the actuals computed from its
    registers and pairs (what the school's own monitoring page shows)."""
    org = _org(session, actor, school_id)
    computed = computed_actuals(session, [org.id], year)
    return indicator_tables(session, [org], year, computed=computed).get(org.id, [])
