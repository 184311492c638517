"""What a roadmap item means for people: its status (derived, never stored), who is
responsible for it, and which act its result names — plain functions over plain values so
the page, the API, the reminders and the calendar all read an item the same way."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from documents.models import DocState, OrgKind, Role

STATUSES = ("planned", "in_progress", "done", "overdue")
STATUS_RU = {"planned": "запланировано", "in_progress": "в работе", "done": "выполнено",
             "overdue": "просрочено"}

# ---------------------------------------------------------------- status


@dataclass(frozen=True)
class LinkedDoc:
    id: int
    kind: str
    state: str


def doc_fulfils(state: str, org_kind: OrgKind) -> bool:
    """The final state of a document: accepted by the municipality; a municipality's own
    documents never go further than signed."""
    if state == DocState.accepted.value:
        return True
    return org_kind is OrgKind.municipality and state == DocState.signed.value


def item_status(*, due: date | None, start: date | None, done_at: object, notes: list,
                docs: Iterable[LinkedDoc], org_kind: OrgKind, today: date) -> str:
    """planned / in_progress / done / overdue from the evidence, the linked documents and
    the dates. Cancelled documents count for nothing."""
    docs = [d for d in docs if d.state != DocState.cancelled.value]
    if done_at is not None or any(doc_fulfils(d.state, org_kind) for d in docs):
        return "done"
    if due is not None and due < today:
        return "overdue"
    if docs or notes or (start is not None and start <= today):
        return "in_progress"
    return "planned"


#: The state in which an item document is done: its own item once approved; a school's copy
#: of a municipal item once the municipality accepted the report.
_ACCEPTED, _APPROVED, _DRAFT = (DocState.accepted.value, DocState.approved.value,
                                DocState.draft.value)


def final_state(assigned: bool) -> str:
    return _ACCEPTED if assigned else _APPROVED


def doc_status(*, state: str, assigned: bool, due: date | None, start: date | None,
               today: date, worked: bool = False) -> str:
    """The status of an item backed by its document: done in its final state, overdue when
    the due date passed before that, in progress once anything happened (a report sent on,
    a linked act, a note, the start date reached), planned otherwise."""
    if state == (_ACCEPTED if assigned else _APPROVED):
        return "done"
    if due is not None and due < today:
        return "overdue"
    if state != _DRAFT or worked or (start is not None and start <= today):
        return "in_progress"
    return "planned"


def assigned_status(*, statuses: list[str], due: date | None, start: date | None,
                    today: date) -> str:
    """A municipal item carried out by schools: done when every school's report is
    accepted, else overdue past its date, in progress once any school moved."""
    if statuses and all(s == "done" for s in statuses):
        return "done"
    if due is not None and due < today:
        return "overdue"
    if any(s in ("done", "in_progress") for s in statuses) or (
            start is not None and start <= today):
        return "in_progress"
    return "planned"


def occurrences(deadline: dict, due: date | None) -> list[date]:
    """Every control date of an item: each occurrence of a recurring one, else its due."""
    dates = [date.fromisoformat(d) for d in (deadline or {}).get("occurrences") or []]
    if not dates and due is not None:
        dates = [due]
    return sorted(set(dates))


# ---------------------------------------------------------------- responsibles

_DEPUTY = re.compile(r"зам(\.|естител\w*)\s*директора", re.IGNORECASE)
_ROLE_WORDS: tuple[tuple[re.Pattern[str], Role], ...] = (
    (re.compile(r"\bдиректор", re.IGNORECASE), Role.director),
    (re.compile(r"\bруководител\w*\s+(оо|оу|школ|образовательн)", re.IGNORECASE), Role.director),
    (re.compile(r"\bкуратор", re.IGNORECASE), Role.curator),
    (re.compile(r"\bадминистраци", re.IGNORECASE), Role.school_admin),
    (re.compile(r"\bспециалист\w* (управлени|комитет|отдел)", re.IGNORECASE),
     Role.municipal_officer),
)
#: «Петров А.М.», «Петров А. М.», «А.М. Петров», «Петрова Анна Михайловна».
_SURNAME_INITIALS = re.compile(r"([А-ЯЁ][а-яё]+(?:-[А-ЯЁ][а-яё]+)?)\s+([А-ЯЁ])\.\s*([А-ЯЁ])?\.?")
_INITIALS_SURNAME = re.compile(r"([А-ЯЁ])\.\s*([А-ЯЁ])\.?\s*([А-ЯЁ][а-яё]+)")
_FULL_NAME = re.compile(r"([А-ЯЁ][а-яё]+)\s+([А-ЯЁ][а-яё]+)\s+([А-ЯЁ][а-яё]+(?:вна|вич|чна|ична|ич))")


@dataclass(frozen=True)
class OrgPerson:
    user_id: int
    full_name: str
    position: str
    role: Role


def match_responsibles(text: str, people: list[OrgPerson]) -> tuple[list[str], list[int]]:
    """Roles named by position («Директор ОУ», «кураторы») and users named by surname
    (with initials when given) or by their position. Unmatched names are simply left as text."""
    roles: list[str] = []
    work = _DEPUTY.sub(" ", text or "")
    if _DEPUTY.search(text or ""):
        roles.append(Role.school_admin.value)
    for pattern, role in _ROLE_WORDS:
        if pattern.search(work) and role.value not in roles:
            roles.append(role.value)
    users: list[int] = []
    names = [(m.group(1), m.group(2), m.group(3)) for m in _SURNAME_INITIALS.finditer(text or "")]
    names += [(m.group(3), m.group(1), m.group(2)) for m in _INITIALS_SURNAME.finditer(text or "")]
    names += [(m.group(1), m.group(2)[0], m.group(3)[0]) for m in _FULL_NAME.finditer(text or "")]
    lowered = (text or "").lower()
    for person in people:
        parts = person.full_name.split()
        if not parts:
            continue
        for surname, first, middle in names:
            if parts[0].lower() != surname.lower():
                continue
            if len(parts) > 1 and first and parts[1][0].upper() != first.upper():
                continue
            if len(parts) > 2 and middle and parts[2][0].upper() != middle.upper():
                continue
            users.append(person.user_id)
            break
        else:
            position = person.position.strip().lower()
            if len(position) > 8 and position in lowered:
                users.append(person.user_id)
    return roles, sorted(set(users))


# ---------------------------------------------------------------- acts named by results

_ACTS: tuple[tuple[re.Pattern[str], str, str], ...] = (
    (re.compile(r"положени\w*\s+о\s+(мотиваци|стимулировани|поощрени)", re.IGNORECASE),
     "incentive_scheme", "Положение о мотивации наставников"),
    (re.compile(r"положени\w*\s+о\s+наставничеств", re.IGNORECASE),
     "regulation", "Положение о наставничестве"),
    (re.compile(r"программ\w*\s+наставничеств", re.IGNORECASE),
     "programme", "Программа наставничества"),
    (re.compile(r"дорожн\w*\s+карт", re.IGNORECASE), "roadmap", "Дорожная карта"),
    (re.compile(r"приказ\w*\s+о\s+(закреплени|формировани)\w*\s+(наставническ\w*\s+)?пар",
                re.IGNORECASE), "pair_order", "О закреплении наставнических пар"),
    (re.compile(r"приказ\w*\s+о\s+назначени\w*\s+куратор", re.IGNORECASE),
     "curator_order", "О назначении куратора внедрения целевой модели наставничества"),
    (re.compile(r"\bприказ|распорядительн\w*\s+акт", re.IGNORECASE), "order", ""),
)


def act_for(result_text: str, activity: str = "") -> tuple[str, str] | None:
    """(kind, title) of the document an item's result names, looked up first in the result
    and then in the activity; None when the result is not an act."""
    for text in (result_text or "", activity or ""):
        for pattern, kind, title in _ACTS:
            if pattern.search(text):
                if not title:
                    line = (activity or text).strip().split("\n")[0].strip()
                    title = line[:200] if len(line) > 3 else "Приказ"
                return kind, title
    return None
