"""The reference region: thousands of schools with chain-valid histories, generated in bulk.

`flask --app web gen-region --schools 3000 --seed 1` → 60 municipalities, 40 documents per
school in every state with the events that lead there (create, submit, reject and resubmit,
approve, sign, send, accept / return, cancel), each organisation's SHA-256 chain computed
here exactly as `workflow.audit.chain` computes it, registers (20 people per school), pairs
and a roadmap per school. Rows are written with COPY on PostgreSQL (executemany elsewhere);
the same seed gives the same region. For benchmarks and load tests, not for production.

Signed versions carry the hash of a file that is not stored (`file_key` is empty): only
documents signed through the application have DOCX files.
"""

from __future__ import annotations

import enum
import hashlib
import json
import random
import time
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from types import SimpleNamespace

from sqlalchemy import func, select, text

from documents.models import Organization
from workflow import accounts, clock
from workflow.audit.chain import GENESIS
from workflow.demo import loader
from workflow.files.rendering import content_sha256

PASSWORD = "region-bench-2026"
MUNICIPALITIES = 60
DOCS_PER_SCHOOL = 40
PEOPLE_PER_SCHOOL = 20
PAIRS_PER_SCHOOL = 5

#: 40 documents of a school: (final state, rejected once before approval?).
_STATES = (["accepted"] * 10 + ["signed"] * 4 + ["under_municipal_review"] * 5
           + ["returned"] * 3 + ["cancelled"] * 2 + ["approved"] * 4 + ["on_approval"] * 5
           + ["draft"] * 7)
_PATH = {
    "draft": [], "on_approval": ["submit"], "approved": ["submit", "approve"],
    "signed": ["submit", "approve", "sign"],
    "under_municipal_review": ["submit", "approve", "sign", "send_to_municipality"],
    "accepted": ["submit", "approve", "sign", "send_to_municipality", "accept"],
    "returned": ["submit", "approve", "sign", "send_to_municipality", "return_for_revision"],
    "cancelled": ["submit", "approve", "sign", "cancel"],
}
_DEST = {"create": "draft", "submit": "on_approval", "approve": "approved", "reject": "draft",
         "sign": "signed", "send_to_municipality": "under_municipal_review",
         "accept": "accepted", "return_for_revision": "returned", "cancel": "cancelled"}
_COMMENTS = {"reject": "Уточните сроки и ответственных.",
             "return_for_revision": "Не указан порядок мониторинга.",
             "cancel": "Издан новый документ."}
_WHO = {"create": "admin", "submit": "admin", "send_to_municipality": "admin",
        "approve": "director", "reject": "director", "sign": "director", "cancel": "director",
        "accept": "officer", "return_for_revision": "officer"}
_SURNAMES = ["Иванов", "Смирнов", "Кузнецов", "Попов", "Васильев", "Петров", "Соколов",
             "Михайлов", "Новиков", "Фёдоров", "Морозов", "Волков", "Алексеев", "Лебедев"]
_NAMES = ["Анна", "Мария", "Елена", "Ольга", "Сергей", "Андрей", "Дмитрий", "Ирина",
          "Татьяна", "Павел", "Наталья", "Алексей"]


def _kinds(year_start: date) -> list[tuple[str, str, dict]]:
    """The demo's fields for the school year (workflow.demo.loader), with no one to acquaint:
    the generated staff are people in registers, not users."""
    staff = SimpleNamespace(id=0, full_name="Куратор Константин Константинович")
    order = dict(loader.order_fields(year_start, staff, staff), acquaintance_user_ids=[])
    curator = {"preamble": "В целях организации работы по внедрению целевой модели "
                           "наставничества", "curator_name": "Куратор К.К.",
               "curator_position": "Заместитель директора по ВР",
               "duties": ["мониторинг реализации программ наставничества"],
               "term": "на период учебного года", "acquaintance": []}
    return [("order", "О внедрении целевой модели наставничества", order),
            ("regulation", "Положение о наставничестве", loader.regulation_fields(year_start)),
            ("curator_order", "О назначении куратора", curator),
            ("incentive_scheme", "Положение о мотивации наставников", loader.INCENTIVE_FIELDS),
            ("programme", "Программа наставничества", loader.programme_fields(year_start))]


@dataclass
class RegionStats:
    municipalities: int = 0
    schools: int = 0
    users: int = 0
    documents: int = 0
    events: int = 0
    people: int = 0
    pairs: int = 0
    roadmap_items: int = 0
    seconds: float = 0.0
    timings: dict = field(default_factory=dict)


class _Ids:
    """Explicit primary keys, continuing after what the tables hold."""

    def __init__(self, conn, tables: list[str]) -> None:
        self.next = {t: (conn.scalar(text(f"SELECT max(id) FROM {t}")) or 0) + 1 for t in tables}

    def take(self, table: str) -> int:
        value = self.next[table]
        self.next[table] = value + 1
        return value


def _event_hash(body: dict, prev: str) -> str:
    raw = json.dumps(body, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode()
    return hashlib.sha256(raw + prev.encode()).hexdigest()


def _iso(at: datetime) -> str:
    return at.astimezone(UTC).replace(tzinfo=None).isoformat(timespec="microseconds") + "Z"


def _bulk(conn, table: str, rows: list[dict]) -> None:
    """COPY on PostgreSQL, executemany elsewhere; rows are dicts of one shape."""
    if not rows:
        return
    cols = list(rows[0])
    if conn.dialect.name == "postgresql":
        raw = conn.connection.driver_connection
        memo: dict[int, str] = {}  # the same fields dict is shared by many rows: dump once
        with raw.cursor() as cur, cur.copy(
                f"COPY {table} ({', '.join(_q(c) for c in cols)}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row([_pg(row[c], memo) for c in cols])
        return
    stmt = text(f"INSERT INTO {table} ({', '.join(_q(c) for c in cols)}) "
                f"VALUES ({', '.join(':' + c for c in cols)})")
    conn.execute(stmt, [{c: _lite(row[c]) for c in cols} for row in rows])


def _q(col: str) -> str:
    return f'"{col}"'


def _pg(value, memo: dict):
    if isinstance(value, dict | list):
        if id(value) not in memo:
            memo[id(value)] = json.dumps(value, ensure_ascii=False)
        return memo[id(value)]
    if isinstance(value, enum.Enum):
        return value.value
    return value


def _lite(value):
    if isinstance(value, dict | list):
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, datetime):
        return value.astimezone(UTC).replace(tzinfo=None).isoformat(sep=" ")
    return value


def _fio(rnd: random.Random) -> str:
    return (f"{rnd.choice(_SURNAMES)}а {rnd.choice(_NAMES)} "
            f"{rnd.choice(['Петровна', 'Ивановна', 'Сергеевна', 'Андреевна'])}")


def generate_region(rt, schools: int = 3000, seed: int = 1,
                    municipalities: int | None = None, log=print) -> RegionStats:
    """Write the region into an empty database (refuses if organisations exist)."""
    started = time.perf_counter()
    rnd = random.Random(seed)
    munis = municipalities or min(MUNICIPALITIES, max(1, schools // 50)) or 1
    today = clock.today()
    year_start = date(today.year if today.month >= 9 else today.year - 1, 9, 1)
    anchor = datetime(year_start.year, 9, 1, 9, 0, tzinfo=UTC)
    pw_hash = accounts.hash_password(PASSWORD)
    kinds = _kinds(year_start)
    stats = RegionStats()
    with rt.db.engine.begin() as conn:
        if conn.scalar(select(func.count()).select_from(Organization)):
            raise RuntimeError("База не пуста: эталонный регион загружается только в пустую базу.")
        form_code = conn.scalar(text("SELECT code FROM mentorship_forms ORDER BY position, code "
                                     "LIMIT 1"))
        ids = _Ids(conn, ["organizations", "users", "grants", "documents",
                          "document_versions", "history_events", "people", "pairs",
                          "roadmaps", "roadmap_sections", "roadmap_items", "visas"])
        rows: dict[str, list[dict]] = {t: [] for t in
                                       ["organizations", "users", "grants", "documents",
                                        "document_versions", "history_events", "people",
                                        "pairs", "pair_mentees", "roadmaps", "roadmap_sections",
                                        "roadmap_items", "visas"]}
        now = clock.now()

        def user(email: str, name: str, position: str, role: str, org_id: int) -> dict:
            uid = ids.take("users")
            rows["users"].append(dict(id=uid, email=email, full_name=name, position=position,
                                      password_hash=pw_hash, is_active=True, is_demo=False,
                                      locale="ru", created_at=now))
            rows["grants"].append(dict(id=ids.take("grants"), user_id=uid, org_id=org_id,
                                       role=role))
            return {"id": uid, "name": name}

        school_no = 0
        for m in range(1, munis + 1):
            muni_id = ids.take("organizations")
            rows["organizations"].append(dict(
                id=muni_id, name=f"Муниципальный район № {m}", short_name=f"МР № {m}",
                kind="municipality", parent_id=None, founder=f"Администрация МР № {m}",
                place=f"г. Районск-{m}", head_name=_fio(rnd),
                head_position="Начальник управления образования", created_at=now))
            officer = user(f"officer.m{m}@region.local", _fio(rnd),
                           "Главный специалист управления образования", "municipal_officer",
                           muni_id)
            user(f"auditor.m{m}@region.local", _fio(rnd), "Специалист отдела контроля",
                 "auditor", muni_id)
            count = schools // munis + (1 if m <= schools % munis else 0)
            for _ in range(count):
                school_no += 1
                _school(rnd, rows, ids, user, school_no, muni_id, officer, anchor, kinds,
                        form_code, today)
        stats.municipalities, stats.schools = munis, school_no
        t0 = time.perf_counter()
        for table in ["organizations", "users", "grants", "documents", "document_versions",
                      "visas", "history_events", "people", "pairs", "pair_mentees", "roadmaps",
                      "roadmap_sections", "roadmap_items"]:
            t1 = time.perf_counter()
            _bulk(conn, table, rows[table])
            stats.timings[table] = round(time.perf_counter() - t1, 2)
        stats.timings["write"] = round(time.perf_counter() - t0, 2)
        if conn.dialect.name == "postgresql":
            for table in ids.next:
                conn.execute(text(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                                  f"(SELECT coalesce(max(id), 1) FROM {table}))"))
    if conn.dialect.name == "postgresql":
        with rt.db.engine.connect() as c:
            # VACUUM sets the visibility map: index-only scans work from the first request
            c.execution_options(isolation_level="AUTOCOMMIT").execute(text("VACUUM ANALYZE"))
    stats.users = len(rows["users"])
    stats.documents = len(rows["documents"])
    stats.events = len(rows["history_events"])
    stats.people = len(rows["people"])
    stats.pairs = len(rows["pairs"])
    stats.roadmap_items = len(rows["roadmap_items"])
    stats.seconds = round(time.perf_counter() - started, 1)
    return stats


def _school(rnd, rows, ids, user, n, muni_id, officer, anchor, kinds, form_code, today):
    org_id = ids.take("organizations")
    director_name = _fio(rnd)
    rows["organizations"].append(dict(
        id=org_id, name=f"Муниципальное бюджетное общеобразовательное учреждение «Школа № {n}»",
        short_name=f"МБОУ «Школа № {n}»", kind="school", parent_id=muni_id,
        founder="Управление образования", place="г. Районск", head_name=director_name,
        head_position="Директор", created_at=anchor))
    people = {
        "director": user(f"director.s{n}@region.local", director_name, "Директор", "director",
                         org_id),
        "admin": user(f"admin.s{n}@region.local", _fio(rnd), "Заместитель директора по УВР",
                      "school_admin", org_id),
        "curator": user(f"curator.s{n}@region.local", _fio(rnd),
                        "Заместитель директора по ВР", "curator", org_id),
        "officer": officer,
    }
    events = []
    order = list(_STATES)
    rnd.shuffle(order)
    reg_no = 0
    for i, state in enumerate(order):
        kind, title, fields = kinds[i % len(kinds)]
        title = f"{title} ({i + 1})"
        doc_id, ver_id = ids.take("documents"), ids.take("document_versions")
        sha = content_sha256(title, fields)
        at = anchor + timedelta(days=rnd.randrange(0, 60), minutes=rnd.randrange(0, 600))
        path = ["create", *_PATH[state]]
        if "approve" in path and rnd.random() < 0.2:  # rejected once, then resubmitted
            k = path.index("approve")
            path[k:k] = ["reject", "submit"]
        doc = dict(id=doc_id, kind=kind, org_id=org_id, title=title, state=state, version=1,
                   lock_version=len(path) - 1, fields=fields, registration_number=None,
                   signed_at=None, signer_id=None, signer_name=None, approved_at=None,
                   sent_at=None, responsible_id=people["admin"]["id"],
                   due=today + timedelta(days=rnd.randrange(-20, 40)),
                   roadmap_item_id=None, author_id=people["admin"]["id"], created_at=at,
                   updated_at=at)
        version = dict(id=ver_id, document_id=doc_id, number=1, title=title, fields=fields,
                       content_sha256=sha, created_at=at,
                       created_by_name=people["admin"]["name"], registration_number=None,
                       signed_at=None, file_key=None, file_sha256=None,
                       file_content_sha256=None, render_status="none", render_error=None,
                       rendered_at=None)
        prev_state = None
        for event in path:
            at = at + timedelta(hours=rnd.randrange(1, 72), seconds=rnd.randrange(0, 3600))
            who = people[_WHO[event]]
            if event in ("approve", "reject"):
                rows["visas"].append(dict(id=ids.take("visas"), document_id=doc_id, version=1,
                                          user_id=who["id"], user_name=who["name"],
                                          position="Директор",
                                          outcome="approved" if event == "approve"
                                          else "rejected", comment=_COMMENTS.get(event, ""),
                                          at=at))
            if event == "approve":
                doc["approved_at"] = at
            if event == "sign":
                reg_no += 1
                number = f"{reg_no}-рг"
                doc.update(registration_number=number, signed_at=at, signer_id=who["id"],
                           signer_name=who["name"])
                version.update(registration_number=number, signed_at=at,
                               file_sha256=hashlib.sha256(f"region:{doc_id}".encode())
                               .hexdigest(), file_content_sha256=sha)
            if event == "send_to_municipality":
                doc["sent_at"] = at
            events.append((at, doc_id, who, event, prev_state, _DEST[event]))
            prev_state = _DEST[event]
        doc["updated_at"] = at
        rows["documents"].append(doc)
        rows["document_versions"].append(version)
    _chain(rows, ids, org_id, events)
    _registers(rnd, rows, ids, org_id, form_code, anchor, today)
    _roadmap(rows, ids, org_id, people, anchor, today)


def _chain(rows, ids, org_id, events) -> None:
    """The organisation's chain in time order, hashed exactly as the verifier does."""
    prev = GENESIS
    sha_of = {v["document_id"]: v["content_sha256"]
              for v in rows["document_versions"][-DOCS_PER_SCHOOL:]}
    for seq, (at, doc_id, who, event, from_state, to_state) in enumerate(sorted(
            events, key=lambda e: (e[0], e[1])), start=1):
        comment = _COMMENTS.get(event, "")
        content = sha_of[doc_id]
        body = {"org_id": org_id, "seq": seq, "document_id": doc_id, "at": _iso(at),
                "actor_id": who["id"], "actor_name": who["name"], "event": event,
                "from_state": from_state, "to_state": to_state, "version": 1,
                "comment": comment, "content_sha256": content}
        digest = _event_hash(body, prev)
        rows["history_events"].append(dict(
            id=ids.take("history_events"), org_id=org_id, seq=seq, document_id=doc_id, at=at,
            actor_id=who["id"], actor_name=who["name"], event=event, from_state=from_state,
            to_state=to_state, version=1, comment=comment, content_sha256=content,
            prev_hash=prev, hash=digest))
        prev = digest


def _registers(rnd, rows, ids, org_id, form_code, anchor, today) -> None:
    mentors = []
    for k in range(PEOPLE_PER_SCHOOL):
        pid = ids.take("people")
        teacher = k < 6
        rows["people"].append(dict(
            id=pid, org_id=org_id, full_name=_fio(rnd),
            category="teacher" if teacher else "student",
            grade="" if teacher else f"{rnd.randrange(5, 12)}А",
            position="Учитель" if teacher else "", experience_years=rnd.randrange(3, 30)
            if teacher else None, birth_date=None, created_at=anchor))
        if teacher:
            mentors.append(pid)
    students = [p["id"] for p in rows["people"][-PEOPLE_PER_SCHOOL:]
                if p["category"] == "student"]
    for k in range(PAIRS_PER_SCHOOL):
        pair_id = ids.take("pairs")
        rows["pairs"].append(dict(
            id=pair_id, org_id=org_id, mentor_id=mentors[k], form_code=form_code,
            role_model="", start=anchor.date(), end=anchor.date() + timedelta(days=270),
            status="active", order_document_id=None, created_at=anchor, activated_at=anchor,
            finished_at=None))
        for pos, mentee in enumerate(students[2 * k:2 * k + 2]):
            rows["pair_mentees"].append(dict(pair_id=pair_id, person_id=mentee, position=pos))


def _roadmap(rows, ids, org_id, people, anchor, today) -> None:
    rid, sid = ids.take("roadmaps"), ids.take("roadmap_sections")
    rows["roadmaps"].append(dict(
        id=rid, org_id=org_id, document_id=None, title="Дорожная карта внедрения целевой "
        "модели наставничества", period_start=anchor.date(),
        period_end=anchor.date() + timedelta(days=364), source_filename="", indicators=[],
        warnings=[], created_at=anchor))
    rows["roadmap_sections"].append(dict(id=sid, roadmap_id=rid, position=1, number="1",
                                         title="Организационный этап", task="", result=""))
    for k in range(6):
        due = today + timedelta(days=-30 + 15 * k)
        rows["roadmap_items"].append(dict(
            id=ids.take("roadmap_items"), roadmap_id=rid, position=k + 1, number=f"1.{k + 1}",
            section="1", activity=f"Мероприятие {k + 1} по внедрению наставничества",
            deadline_text=due.strftime("до %d.%m.%Y"), deadline={}, start=None, due=due,
            responsible_text="Заместитель директора по УВР", responsible_user_id=people[
                "admin"]["id"], result_text="", direction="", note="", evidence="",
            done_at=datetime.combine(due, datetime.min.time(), UTC) if k < 2 else None,
            responsible_roles=["school_admin"], responsible_user_ids=[], notes=[],
            done_by_name=people["admin"]["name"] if k < 2 else ""))
