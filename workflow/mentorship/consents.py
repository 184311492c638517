"""Consents: to the processing of personal data (152-ФЗ; a minor's is signed by a legal
representative) and a teacher's written consent to the mentoring duty (ТК РФ ст. 351.8)."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from documents.models import Consent, Person
from documents.models.people import ConsentKind, PersonCategory, SignedBy
from workflow import clock
from workflow.engine.permissions import Actor
from workflow.errors import BadInput, NotFound, RuleViolation
from workflow.mentorship.register_access import is_minor, keeper_org

CONSENT_TITLES = {
    ConsentKind.personal_data: "согласие на обработку персональных данных",
    ConsentKind.mentoring_duty: "письменное согласие на выполнение обязанностей наставника "
                                "(ст. 351.8 ТК РФ)",
}


def _enum(cls, value: object, field: str):
    try:
        return cls(value)
    except ValueError:
        known = ", ".join(m.value for m in cls)
        raise BadInput(f"Поле {field}: допустимые значения — {known}.",
                       code="invalid_field") from None


def record_consent(rt, actor: Actor, *, person_id: int | None, kind: object,
                   signed_by: object, representative_name: object = None,
                   signed_on: date | None, today: date | None = None) -> int:
    today = today or clock.today()
    kind = _enum(ConsentKind, kind, "kind")
    signed_by = _enum(SignedBy, signed_by, "signed_by")
    if signed_on is None:
        raise BadInput("Укажите дату подписания согласия (signed_on).", code="missing_field")
    if signed_on > today:
        raise RuleViolation("Дата подписания согласия не может быть в будущем.",
                            code="consent_date_in_future")
    if representative_name is not None and not isinstance(representative_name, str):
        raise BadInput("Поле representative_name должно быть строкой.", code="invalid_field")
    representative = " ".join((representative_name or "").split())[:200] or None
    with rt.db.write_session() as session:
        person = session.get(Person, person_id) if person_id is not None else None
        if person is None:
            raise NotFound("Человек не найден.", code="person_not_found")
        keeper_org(session, actor, person.org_id)
        minor = is_minor(person.category, person.birth_date, signed_on)
        if kind is ConsentKind.personal_data:
            if minor and (signed_by is not SignedBy.legal_representative or not representative):
                raise RuleViolation(
                    f"{person.full_name} — несовершеннолетний: согласие на обработку "
                    "персональных данных подписывает законный представитель; укажите его ФИО "
                    "(representative_name, ст. 9 152-ФЗ).", code="representative_required")
            if not minor and signed_by is not SignedBy.self:
                raise RuleViolation(
                    f"{person.full_name} — совершеннолетний: согласие на обработку "
                    "персональных данных подписывает сам субъект (152-ФЗ).",
                    code="adult_signs_self")
        else:
            if person.category is not PersonCategory.teacher:
                raise RuleViolation(
                    "Согласие на выполнение обязанностей наставника (ст. 351.8 ТК РФ) дают "
                    "педагогические работники.", code="mentoring_duty_for_teachers")
            if signed_by is not SignedBy.self:
                raise RuleViolation(
                    "Согласие на выполнение обязанностей наставника работник даёт лично "
                    "в письменной форме (ст. 351.8 ТК РФ).", code="adult_signs_self")
        consent = Consent(person_id=person.id, kind=kind, signed_by=signed_by,
                          representative_name=representative if signed_by is not SignedBy.self
                          else None, signed_on=signed_on, recorded_by_name=actor.full_name)
        session.add(consent)
        session.flush()
        return consent.id


def revoke_consent(rt, actor: Actor, consent_id: int, on: date | None = None) -> None:
    with rt.db.write_session() as session:
        consent = session.get(Consent, consent_id)
        person = session.get(Person, consent.person_id) if consent else None
        if person is None:
            raise NotFound("Согласие не найдено.", code="consent_not_found")
        keeper_org(session, actor, person.org_id)
        consent.revoked_on = consent.revoked_on or on or clock.today()


def required_consents(person: Person, as_mentor: bool) -> list[ConsentKind]:
    needed = [ConsentKind.personal_data]
    if as_mentor and person.category is PersonCategory.teacher:
        needed.append(ConsentKind.mentoring_duty)
    return needed


def missing_consents(session: Session, roles: list[tuple[Person, bool]]) -> list[tuple[Person, ConsentKind]]:
    """(person, consent) pairs that are missing for people taking part as (mentor?) — one query.

    A minor's personal-data consent counts only when a legal representative signed it.
    """
    ids = [p.id for p, _ in roles]
    have: set[tuple[int, ConsentKind]] = set()
    if ids:
        for c in session.scalars(select(Consent).where(Consent.person_id.in_(ids),
                                                       Consent.revoked_on.is_(None))):
            have.add((c.person_id, c.kind, c.signed_by, c.signed_on))
    valid: set[tuple[int, ConsentKind]] = set()
    people = {p.id: p for p, _ in roles}
    for pid, kind, signed_by, signed_on in have:
        p = people[pid]
        if (kind is ConsentKind.personal_data and signed_by is not SignedBy.legal_representative
                and is_minor(p.category, p.birth_date, signed_on)):
            continue
        valid.add((pid, kind))
    out = []
    for person, as_mentor in roles:
        for kind in required_consents(person, as_mentor):
            if (person.id, kind) not in valid:
                out.append((person, kind))
    return out


def consent_message(missing: list[tuple[Person, ConsentKind]]) -> str:
    listed = "; ".join(f"{p.full_name} — нет: {CONSENT_TITLES[k]}" for p, k in missing[:10])
    more = f" и ещё {len(missing) - 10}" if len(missing) > 10 else ""
    return f"Нельзя включить в пару без необходимых согласий: {listed}{more}."
