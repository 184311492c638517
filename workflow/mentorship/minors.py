"""What people outside a school see of its minors (152-ФЗ): nothing that names them.

The school (any role in it) and the auditor of its municipality see documents as signed.
Everyone else who may read a school's document — the municipal officer, the municipal
admin — gets a rendering in which every minor of that school is «обучающийся 7Б класса»
(«студент» for a college student) and the pair order's appendix has no names of minors;
the school's frozen signed file is never altered, the outside variant is a separate file.

This module registers itself into the snapshot (files/rendering.py) and the document API
(engine/queries.py) through their redactor hooks; pairs.py uses :func:`label`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from functools import lru_cache

from sqlalchemy import Date, String, bindparam, select, type_coerce
from sqlalchemy.orm import Session

from documents.models import Organization, Person
from documents.models.people import PersonCategory
from workflow import clock
from workflow.engine import queries, txcache
from workflow.engine.permissions import REACHING_ROLES, Actor, schools_of
from workflow.files import rendering
from workflow.mentorship.register_access import (
    MINOR_READERS_FROM_PARENT,
    adult_birth_limit,
    minor_condition,
)

SCHOOL, OUTSIDE = "school", "outside"


def audience(actor: Actor, org: Organization) -> str:
    """SCHOOL when the actor may see the school's minors by name, else OUTSIDE."""
    if actor.roles_in(org.id):
        return SCHOOL
    parent = actor.roles_in(org.parent_id) if org.parent_id else frozenset()
    return SCHOOL if parent & MINOR_READERS_FROM_PARENT else OUTSIDE


def label(category: PersonCategory | str, grade: str | None) -> str:
    """How a minor is named outside the school: by category and class, never by name."""
    if PersonCategory(category) is PersonCategory.student_of_college:
        return "студент"
    return f"обучающийся {grade} класса" if grade else "обучающийся"


@dataclass(frozen=True)
class MinorNames:
    """A school's minors: their ids, and the scanner that replaces every written form of
    their names (initials first included) with their labels."""

    ids: tuple[int, ...]
    scanner: NameScanner

    @property
    def any(self) -> bool:
        return bool(self.scanner)

    def redact(self, text: str) -> str:
        return self.scanner.redact(text) if self.scanner else text


def _forms(full_name: str) -> list[str]:
    parts = full_name.split()
    forms = [" ".join(parts)]
    if len(parts) >= 2:
        forms.append(f"{parts[0]} {parts[1]}")
        initials = "".join(f"{p[0]}." for p in parts[1:3])
        spaced = " ".join(f"{p[0]}." for p in parts[1:3])
        forms += [f"{parts[0]} {initials}", f"{parts[0]} {spaced}", f"{initials} {parts[0]}",
                  f"{spaced} {parts[0]}", f"{parts[1]} {parts[0]}"]
    return forms


@lru_cache(maxsize=1024)
def _names(rows: tuple) -> MinorNames:
    """Built once per worker for the same rows (id, name, category, grade) of a school: the
    rows read are the key, so any change to them builds anew."""
    return MinorNames(tuple(r[0] for r in rows),
                      NameScanner([r[1:] for r in rows], initials_first=True))


#: The minors of some schools, built once (an officer's every page reads those of a whole
#: municipality): Core rows, the category as its text (a label takes either).
_MINORS_OF = (select(Person.id, Person.org_id, Person.full_name,
                     type_coerce(Person.category, String), Person.grade)
              .where(Person.org_id.in_(bindparam("org_ids", expanding=True)),
                     minor_condition(born_after=bindparam("born_after", type_=Date)))
              .order_by(Person.id))


def prefetch_minor_names(session: Session, org_ids, today: date | None = None) -> None:
    """The minors of several schools in one query, kept for the rest of the transaction
    (a list of documents from many schools redacts each with its school's minors)."""
    today = today or clock.today()
    cache = txcache.rows(session)
    wanted = {o for o in org_ids if ("minor_names", o, today) not in cache}
    if not wanted:
        return
    rows = session.connection().execute(_MINORS_OF, {
        "org_ids": sorted(wanted), "born_after": adult_birth_limit(today)}).tuples().all()
    by_school: dict[int, list] = {org_id: [] for org_id in wanted}
    for pid, org_id, name, category, grade in rows:
        by_school[org_id].append((pid, name, category, grade))
    for org_id, found in by_school.items():
        cache[("minor_rows", org_id, today)] = found
        cache[("minor_names", org_id, today)] = _names(tuple(found))


def minor_names(session: Session, org_id: int, today: date | None = None) -> MinorNames:
    today = today or clock.today()
    prefetch_minor_names(session, [org_id], today)
    return txcache.rows(session)[("minor_names", org_id, today)]


def redact_tree(value, names: MinorNames):
    if isinstance(value, str):
        return names.redact(value)
    if isinstance(value, list):
        return [redact_tree(v, names) for v in value]
    if isinstance(value, dict):
        return {k: redact_tree(v, names) for k, v in value.items()}
    return value


def minors_in_snapshot(session: Session, org_id: int, data: dict) -> list[int]:
    """Ids of the school's minors the (unredacted) snapshot names — for the access log."""
    names = minor_names(session, org_id)
    ids = set(data.get("minor_ids") or [])
    if names.any:
        rows = session.execute(select(Person.id, Person.full_name).where(
            Person.id.in_(names.ids))).all()
        text = repr({k: data.get(k) for k in ("title", "fields", "pairs")})
        ids |= {pid for pid, name in rows if any(f in text for f in _forms(name)
                                                  if len(f) >= 5)}
    return sorted(ids)


def _snapshot_redactor(session: Session, doc, data: dict) -> dict:
    names = minor_names(session, doc.org_id)
    for key in ("title", "fields", "pairs"):
        data[key] = redact_tree(data.get(key), names)
    data.pop("minor_ids", None)
    return data


def _prefetch_outside(session: Session, actor: Actor, docs) -> None:
    """Before a list is redacted: the minors of every school whose documents the actor
    reads from outside, and of those the answer's last gate (:func:`scanner_for`) covers,
    in one query."""
    prefetch_minor_names(session, {d.org_id for d in docs
                                   if audience(actor, d.organization) != SCHOOL}
                         | _schools_outside(session, actor))


def _api_redactor(session: Session, actor: Actor, doc, out: dict) -> dict:
    if audience(actor, doc.organization) == SCHOOL:
        return out
    names = minor_names(session, doc.org_id)
    if names.any:
        out["title"] = names.redact(out.get("title") or "")
        out["fields"] = redact_tree(out.get("fields"), names)
    return out


def redact_for(session: Session, org_id: int, text: str) -> str:
    """A text (a notification, an e-mail) for someone outside the school."""
    return minor_names(session, org_id).redact(text)


_WORD = re.compile(r"[^\W\d_]+")


class NameScanner:
    """Replaces minors' names in a long text (a page) in one pass: candidates are found by
    their first word, then the written forms starting there are compared, longest first.
    Forms that start with initials («И. И. Иванов») only with ``initials_first`` (a
    document's own text; a page names staff that way too)."""

    def __init__(self, rows, initials_first: bool = False) -> None:
        self.index: dict[str, list[tuple[str, str]]] = {}
        for name, category, grade in rows:
            for form in _forms(name or ""):
                first = _WORD.match(form)
                if first and len(form) >= 5 and (initials_first or form[1:2] != "."):
                    self.index.setdefault(first.group(), []).append(
                        (form, label(category, grade)))
        for forms in self.index.values():
            forms.sort(key=lambda f: -len(f[0]))
        # Most strings of an answer are codes, dates and numbers: when no name starts with an
        # ASCII word, an ASCII-only text cannot hold one and is returned without scanning.
        self._ascii_names = any(word.isascii() for word in self.index)

    def __bool__(self) -> bool:
        return bool(self.index)

    def redact(self, text: str) -> str:
        if not self._ascii_names and text.isascii():
            return text
        out, pos = [], 0
        for m in _WORD.finditer(text):
            start = m.start()
            if start < pos or m.group() not in self.index:
                continue
            for form, replacement in self.index[m.group()]:
                end = start + len(form)
                if text.startswith(form, start) and not (end < len(text) and text[end].isalpha()):
                    out += [text[pos:start], replacement]
                    pos = end
                    break
        out.append(text[pos:])
        return "".join(out)


def _schools_outside(session: Session, actor: Actor) -> set[int]:
    """The schools whose minors the actor must not see by name: those the actor reaches from
    a municipality without being the auditor there."""
    municipalities = {oid for role, oid in actor.grants
                      if role in REACHING_ROLES and role not in MINOR_READERS_FROM_PARENT}
    municipalities -= {oid for role, oid in actor.grants if role in MINOR_READERS_FROM_PARENT}
    if not municipalities:
        return set()
    return set(schools_of(session, sorted(municipalities))) - actor.org_ids


def scanner_for(session: Session, actor: Actor) -> NameScanner | None:
    """The minors of :func:`_schools_outside` in one scanner; None when there are none. A list
    of documents has read them already (one read per request)."""
    schools = _schools_outside(session, actor)
    if not schools:
        return None
    today = clock.today()
    prefetch_minor_names(session, schools, today)
    cache = txcache.rows(session)
    rows = sorted(row for org_id in schools for row in cache[("minor_rows", org_id, today)])
    scanner = _scanner(tuple(row[1:] for row in rows))
    return scanner or None


@lru_cache(maxsize=16)
def _scanner(rows: tuple) -> NameScanner:
    """A scanner is built once per worker for the same minors (an officer's every page asks
    for the municipality's): the rows read are the key, so any change to them builds anew."""
    return NameScanner(rows)


rendering.OUTSIDE_REDACTORS.append(_snapshot_redactor)
queries.API_REDACTORS.append(_api_redactor)
queries.LIST_PREFETCHERS.append(_prefetch_outside)
