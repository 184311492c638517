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
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from functools import lru_cache, partial

from sqlalchemy import Date, Select, String, any_, bindparam, select, type_coerce
from sqlalchemy.orm import Session

from documents.id_lists import array_param
from documents.models import Organization, Person
from documents.models.people import PersonCategory
from workflow import clock
from workflow.engine import queries, txcache
from workflow.engine.permissions import REACHING_ROLES, Actor, schools_of
from workflow.files import rendering
from workflow.mentorship import kept_minors
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


@lru_cache(maxsize=512)  # one string per class, shared by every scanner that holds it
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


def _minors_of(schools) -> Select:
    return (select(Person.id, Person.org_id, Person.full_name,
                   type_coerce(Person.category, String), Person.grade)
            .where(schools, minor_condition(born_after=bindparam("born_after", type_=Date)))
            .order_by(Person.id))


#: The minors of some schools, built once (an officer's every page reads those of a whole
#: municipality): Core rows, the category as its text (a label takes either). The schools
#: as one array on PostgreSQL (documents.id_lists).
_MINORS_OF = {"postgresql": _minors_of(Person.org_id == any_(array_param("org_ids",
                                                                          Person.org_id))),
              None: _minors_of(Person.org_id.in_(bindparam("org_ids", expanding=True)))}


def prefetch_minor_names(session: Session, org_ids, today: date | None = None) -> None:
    """The minors of several schools in one query, kept for the rest of the transaction
    (a list of documents from many schools redacts each with its school's minors) and, on
    PostgreSQL, by the worker until its register changes (kept_minors)."""
    today = today or clock.today()
    cache = txcache.rows(session)
    wanted = {o for o in org_ids if ("minor_rows", o, today) not in cache}
    if not wanted:
        return
    conn, org_ids = session.connection(), sorted(wanted)

    def read_rows(schools: list[int]) -> dict[int, list]:
        statement = _MINORS_OF.get(conn.dialect.name, _MINORS_OF[None])
        rows = conn.execute(statement, {
            "org_ids": schools, "born_after": adult_birth_limit(today)}).tuples().all()
        by_school: dict[int, list] = {org_id: [] for org_id in schools}
        for pid, org_id, name, category, grade in rows:
            by_school[org_id].append((pid, name, category, grade))
        return by_school

    for org_id, found in kept_minors.read(conn, org_ids, today, read_rows).items():
        cache[("minor_rows", org_id, today)] = found


def minor_names(session: Session, org_id: int, today: date | None = None) -> MinorNames:
    today = today or clock.today()
    cache = txcache.rows(session)
    key = ("minor_names", org_id, today)
    if key not in cache:
        prefetch_minor_names(session, [org_id], today)
        cache[key] = _names(tuple(cache[("minor_rows", org_id, today)]))
    return cache[key]


def redact_tree(value, names: MinorNames | Callable[[str], str]):
    redact = names.redact if isinstance(names, MinorNames) else names
    if isinstance(value, str):
        return redact(value)
    if isinstance(value, list):
        return [redact_tree(v, redact) for v in value]
    if isinstance(value, dict):
        return {k: redact_tree(v, redact) for k, v in value.items()}
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
    group = _outside_scanner(session, actor)
    if group is not None and doc.org_id in group.orgs:
        # the same forms as the school's own scanner: those of its minors, initials first too
        redact = partial(group.redact, org_id=doc.org_id)
    else:
        names = minor_names(session, doc.org_id)
        if not names.any:
            return out
        redact = names.redact
    out["title"] = redact(out.get("title") or "")
    out["fields"] = redact_tree(out.get("fields"), redact)
    return out


def redact_for(session: Session, org_id: int, text: str) -> str:
    """A text (a notification, an e-mail) for someone outside the school."""
    return minor_names(session, org_id).redact(text)


_WORD = re.compile(r"[^\W\d_]+")
_LETTER = re.compile(r"[^\W\d_]")


def _trie(words) -> str:
    """A pattern matching any of ``words`` (the longest at a position), nested by common
    prefixes — «Иван», «Иванов», «Ирина» → ``И(?:ван(?:ов)?|рина)`` — so that the search tries
    one branch per next letter instead of every word."""
    root: dict = {}
    for word in words:
        node = root
        for ch in word:
            node = node.setdefault(ch, {})
        node[""] = {}

    def pattern(node: dict) -> str:
        branches = [re.escape(ch) + pattern(child) for ch, child in sorted(node.items()) if ch]
        if not branches:
            return ""
        body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
        return f"(?:{body})?" if "" in node else body

    return pattern(root)


class NameScanner:
    """Replaces minors' names in a long text (a page) in one pass: candidates are found by
    their first word, then the written forms starting there are compared, longest first.
    Forms that start with initials («И. И. Иванов») only with ``initials_first`` (a
    document's own text; a page names staff that way too). Built with each minor's school
    (``orgs``), one scanner of a municipality redacts each school's document with that
    school's minors only (``redact(text, org_id=…)``) and a page with all of them."""

    def __init__(self, rows, initials_first: bool = False, orgs=None) -> None:
        #: first word → (form, label, the minor's school or None, whether it starts with
        #: initials), longest first
        self.index: dict[str, list[tuple[str, str, int | None, bool]]] = {}
        self.orgs = frozenset(orgs or ())
        for i, (name, category, grade) in enumerate(rows):
            org = orgs[i] if orgs else None
            for form in _forms(name or ""):
                first = _WORD.match(form)
                lead = form[1:2] == "."
                if first and len(form) >= 5 and (initials_first or not lead):
                    self.index.setdefault(first.group(), []).append(
                        (form, label(category, grade), org, lead))
        for forms in self.index.values():
            forms.sort(key=lambda f: -len(f[0]))
        # Most strings of an answer are codes, dates and numbers: when no name starts with an
        # ASCII word, an ASCII-only text cannot hold one and is returned without scanning.
        self._ascii_names = any(word.isascii() for word in self.index)
        # The first words, as one regular expression shaped like a trie: the text is searched
        # for them in C (visiting every word in Python cost ~1 µs a word: an officer's list of
        # 50 documents has ~5,000, scanned twice)
        self._starts: re.Pattern | None = None  # compiled at the first text to scan
        #: the index narrowed to one school and/or without forms that start with initials,
        #: built at its first use (a candidate then compares only the forms that apply)
        self._views: dict[tuple[int | None, bool], dict[str, list]] = {(None, True): self.index}

    def _view(self, org_id: int | None, initials: bool) -> dict[str, list]:
        view = self._views.get((org_id, initials))
        if view is None:
            view = {}
            for word, forms in self.index.items():
                kept = [f for f in forms if (org_id is None or f[2] == org_id)
                        and (initials or not f[3])]
                if kept:
                    view[word] = kept
            self._views[(org_id, initials)] = view
        return view

    def __bool__(self) -> bool:
        return bool(self.index)

    def redact(self, text: str, org_id: int | None = None, initials: bool = True) -> str:
        """``text`` with the names replaced by labels; with ``org_id`` only the names of that
        school's minors, without ``initials`` no form that starts with initials."""
        if not self.index or (not self._ascii_names and text.isascii()):
            return text
        if self._starts is None:
            self._starts = re.compile(_trie(self.index))
        index = self._view(org_id, initials)
        out, pos = [], 0
        for m in self._starts.finditer(text):
            start, after = m.span()
            # a whole word only: the longest first word matched, so a shorter one that also
            # starts here is followed by a letter too
            if start < pos or (start and _LETTER.match(text, start - 1)) or _LETTER.match(
                    text, after):
                continue
            for form, replacement, _org, _lead in index.get(m.group(), ()):
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


def _outside_scanner(session: Session, actor: Actor) -> NameScanner | None:
    """The minors of :func:`_schools_outside` in one scanner, each form with its school (a
    document's fields are redacted with its school's, a page with all); None when there are
    none. Once per request: a list of documents and the answer's last gate share it."""
    cache = txcache.rows(session)
    key = ("outside_scanner", frozenset(actor.grants))
    if key not in cache:
        schools = _schools_outside(session, actor)
        today = clock.today()
        prefetch_minor_names(session, schools, today)
        rows = sorted((pid, name, category, grade, org_id) for org_id in schools
                      for pid, name, category, grade in cache[("minor_rows", org_id, today)])
        scanner = _scanner(tuple(row[1:] for row in rows)) if rows else None
        cache[key] = scanner or None
    return cache[key]


class _PageView:
    """The last gate's reading of the scanner: a page names staff «И. И. Иванов», so no form
    that starts with initials."""

    def __init__(self, scanner: NameScanner) -> None:
        self.scanner = scanner

    def __bool__(self) -> bool:
        return bool(self.scanner)

    def redact(self, text: str) -> str:
        return self.scanner.redact(text, initials=False)


def scanner_for(session: Session, actor: Actor) -> _PageView | None:
    """What the answer's last gate (web/privacy.py) redacts with; None when there is nothing."""
    scanner = _outside_scanner(session, actor)
    return _PageView(scanner) if scanner else None


@lru_cache(maxsize=64)
def _scanner(rows: tuple) -> NameScanner:
    """Built once per worker for the same minors (an officer's every page asks for the
    municipality's; 64 is more than a region's municipalities): the rows read are the key,
    so any change to them builds anew."""
    return NameScanner([row[:3] for row in rows], initials_first=True,
                       orgs=[row[3] for row in rows])


rendering.OUTSIDE_REDACTORS.append(_snapshot_redactor)
queries.API_REDACTORS.append(_api_redactor)
queries.LIST_PREFETCHERS.append(_prefetch_outside)
