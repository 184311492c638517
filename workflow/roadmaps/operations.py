"""Roadmaps as a use case: import a school's own table (with a preview step), read one
back with derived statuses, attach evidence, create the act an item names, export.

Reading a roadmap costs a constant number of queries (roadmap, sections, items, linked
documents) whatever its size; import is all-or-nothing.
"""

from __future__ import annotations

import re
from datetime import date
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from documents.models import (
    Document,
    Grant,
    Organization,
    OrgKind,
    Roadmap,
    RoadmapItem,
    RoadmapSection,
    User,
)
from documents.roadmaps import MAX_BYTES, ParsedRoadmap, RoadmapFileError, read_roadmap
from workflow import clock
from workflow.dates import sane_date
from workflow.engine.authoring import add_draft, create_document
from workflow.engine.kinds import clean_fields
from workflow.engine.permissions import Actor, author_roles, may_author, visible_org_ids
from workflow.errors import BadInput, Conflict, Forbidden, NotFound, RuleViolation, TooLarge
from workflow.files import rendering
from workflow.paging import Page, paginate
from workflow.roadmaps import items as item_docs
from workflow.roadmaps.deadlines import parse_deadline
from workflow.roadmaps.duplicates import find_duplicate
from workflow.roadmaps.status import (
    STATUS_RU,
    LinkedDoc,
    OrgPerson,
    act_for,
    assigned_status,
    doc_status,
    item_status,
    match_responsibles,
)

MAX_PERIOD_DAYS = 366 * 10
MAX_NUMBER = 20
MAX_NOTE = 2000
UPLOAD_SUFFIX = ".roadmap-upload"
API_ITEM_KEYS = ("id", "number", "section", "activity", "deadline_text", "deadline",
                 "responsible_text", "result_text", "status", "document_ids", "document_id",
                 "state")
_DATE_TOKEN = re.compile(r"(?<![\d.])(\d{1,2})\s*\.\s*(\d{1,2})\s*\.\s*(\d{4}|\d{2})(?!\d)")
_SHA = re.compile(r"[0-9a-f]{64}")


# ---------------------------------------------------------------- input


def parse_period(start: object, end: object) -> tuple[date, date]:
    """The roadmap period from two ``YYYY-MM-DD`` strings: 400 when malformed, 422 when
    the end is before the start or the period is implausibly long."""
    values = []
    for name, raw in (("period_start", start), ("period_end", end)):
        if not isinstance(raw, str) or not raw.strip():
            raise BadInput(f"Не указано поле {name} (дата в формате ГГГГ-ММ-ДД).",
                           code="missing_field")
        try:
            values.append(sane_date(date.fromisoformat(raw.strip()), name))
        except (ValueError, TypeError):
            raise BadInput(f"Поле {name}: «{raw[:20]}» — не дата в формате ГГГГ-ММ-ДД.",
                           code="invalid_date") from None
    first, last = values
    if last < first:
        raise RuleViolation("Окончание периода раньше его начала.", code="period_invalid")
    if (last - first).days > MAX_PERIOD_DAYS:
        raise RuleViolation("Период дорожной карты длиннее десяти лет.", code="period_invalid")
    return first, last


def parse_deadline_request(text: object, period: object) -> dict:
    """``POST /deadlines/parse``: validate the body and read the phrase."""
    if not isinstance(text, str):
        raise BadInput("Поле text должно быть строкой.", code="invalid_field")
    if len(text) > 2000:
        raise BadInput("Поле text длиннее 2000 символов.", code="invalid_field")
    if not isinstance(period, list | tuple) or len(period) != 2:
        raise BadInput("Поле period: два значения [\"ГГГГ-ММ-ДД\", \"ГГГГ-ММ-ДД\"].",
                       code="invalid_period")
    try:
        bounds = parse_period(period[0], period[1])
    except (BadInput, RuleViolation) as exc:
        raise BadInput(f"Поле period: {exc.message}", code="invalid_period") from None
    return parse_deadline(text, bounds).to_dict()


def _org_for(session: Session, actor: Actor, org_id: object, *, write: bool) -> Organization:
    org = session.get(Organization, org_id) if isinstance(org_id, int) else None
    if org is None or org.id not in visible_org_ids(session, actor):
        raise NotFound("Организация не найдена.", code="organization_not_found")
    if write and not may_author(actor, org):
        raise Forbidden("Загружать и вести дорожные карты этой организации вам не разрешено.",
                        code="roadmap_not_allowed")
    return org


# ---------------------------------------------------------------- import


def _deadline_column(parsed: ParsedRoadmap) -> str:
    return next((c for c in parsed.columns if c.lower().startswith("срок")), "Сроки")


def _check_rows(parsed: ParsedRoadmap) -> None:
    """Refuse what cannot be stored faithfully, naming the row and the cell."""
    deadline_col = _deadline_column(parsed)
    number_col = parsed.columns[0] if parsed.columns else "№ п/п"
    for item in parsed.items:
        if len(item["number"]) > MAX_NUMBER:
            raise RuleViolation(
                f"Строка {item['row']}, столбец «{number_col}»: номер пункта «{item['number'][:40]}» "
                f"длиннее {MAX_NUMBER} символов.", code="roadmap_invalid_cell",
                details={"row": item["row"], "column": number_col})
        for match in _DATE_TOKEN.finditer(item["deadline_text"]):
            day, month, year = (int(g) for g in match.groups())
            year += 2000 if year < 100 else 0
            try:
                date(year, month, day)
            except ValueError:
                raise RuleViolation(
                    f"Строка {item['row']}, столбец «{deadline_col}»: даты «{match.group(0)}» не "
                    "существует. Исправьте ячейку и загрузите файл снова.",
                    code="roadmap_invalid_date",
                    details={"row": item["row"], "column": deadline_col}) from None


def _read(data: bytes, filename: str, period: tuple[date, date]) -> tuple[ParsedRoadmap, list[dict], list[dict]]:
    """Parse the file and every deadline; returns (parsed, item rows, warnings)."""
    if not data:
        raise BadInput("Приложите файл дорожной карты (DOCX или XLSX).", code="missing_file")
    if len(data) > MAX_BYTES:
        raise TooLarge("Файл больше 10 МБ — такой файл не загружается.", code="file_too_large")
    try:
        parsed = read_roadmap(data, filename or "roadmap")
    except RoadmapFileError as exc:
        raise RuleViolation(exc.message, code="roadmap_file_invalid") from None
    _check_rows(parsed)
    deadline_col = _deadline_column(parsed)
    warnings = [dict(w) for w in parsed.warnings]
    warned_rows = {w["row"] for w in warnings if "повтор" in w["message"]}
    seen: set[str] = set()
    latest: date | None = None
    rows = []
    for item in parsed.items:
        deadline = parse_deadline(item["deadline_text"], period)
        where = f"Строка {item['row']}, столбец «{deadline_col}»"
        if item["number"] in seen and item["row"] not in warned_rows:
            warnings.append({"row": item["row"], "message": f"Строка {item['row']}: номер пункта "
                             f"{item['number']} повторяется."})
        seen.add(item["number"])
        if deadline.kind == "unspecified" and any(ch.isdigit() for ch in deadline.text):
            warnings.append({"row": item["row"], "message": f"{where}: «{deadline.text[:60]}» "
                             "— не дата (такого дня нет или срок не распознан); укажите срок "
                             "вручную."})
        if deadline.kind in ("date", "period") and deadline.due is not None:
            if deadline.due > period[1] or deadline.due < period[0]:
                warnings.append({"row": item["row"], "message": f"{where}: срок "
                                 f"{deadline.due:%d.%m.%Y} вне периода дорожной карты "
                                 f"({period[0]:%d.%m.%Y} – {period[1]:%d.%m.%Y})."})
            if latest is not None and deadline.due < latest:
                warnings.append({"row": item["row"], "message": f"{where}: срок "
                                 f"{deadline.due:%d.%m.%Y} раньше срока предыдущих пунктов — "
                                 "пункты идут не по порядку дат."})
            latest = max(latest or deadline.due, deadline.due)
        rows.append({**item, "deadline": deadline.to_dict(), "start": deadline.start,
                     "due": deadline.due})
    warnings.sort(key=lambda w: w["row"])
    return parsed, rows, warnings


def preview_import(rt, actor: Actor, *, org_id: object, data: bytes, filename: str,
                   period_start: object, period_end: object) -> dict:
    """Parse without saving; keep the bytes (content-addressed) for :func:`confirm_import`."""
    with rt.db.read_session() as session:
        org = _org_for(session, actor, org_id, write=True)
    period = parse_period(period_start, period_end)
    parsed, rows, warnings = _read(data, filename, period)
    _key, sha = rt.files.put(data, UPLOAD_SUFFIX)
    with rt.db.read_session() as session:
        duplicate = find_duplicate(session, org.id, period, rows)
    return {"sha": sha, "duplicate": duplicate, "filename": filename, "org_id": org.id, "org_name": org.short_name,
            "title": parsed.title, "period_start": period[0].isoformat(),
            "period_end": period[1].isoformat(),
            "sections": [{"number": s["number"], "title": s["title"]} for s in parsed.sections],
            "items": [{k: r[k] for k in ("number", "section", "activity", "deadline_text",
                                         "deadline", "responsible_text", "result_text", "row")}
                      for r in rows],
            "indicators": parsed.indicators, "warnings": warnings}


def confirm_import(rt, actor: Actor, *, org_id: object, sha: str, filename: str,
                   period_start: object, period_end: object,
                   allow_duplicate: bool = False) -> dict:
    """The second step of the preview: import the bytes kept under ``sha``; the same
    roadmap again (same organisation, period and items) only when ``allow_duplicate``."""
    if not isinstance(sha, str) or not _SHA.fullmatch(sha):
        raise BadInput("Неверная ссылка на загруженный файл.", code="invalid_upload")
    try:
        data = rt.files.get(f"{sha[:2]}/{sha}{UPLOAD_SUFFIX}")
    except (FileNotFoundError, OSError):
        raise NotFound("Загруженный файл не найден — загрузите его снова.",
                       code="upload_not_found") from None
    if not allow_duplicate:
        with rt.db.read_session() as session:
            org = _org_for(session, actor, org_id, write=True)
            period = parse_period(period_start, period_end)
            _parsed, rows, _warnings = _read(data, filename, period)
            same = find_duplicate(session, org.id, period, rows)
        if same is not None:
            raise Conflict(f"Эта дорожная карта уже загружена («{same['title']}», пунктов: "
                           f"{same['items']}). Подтвердите, что нужна ещё одна копия.",
                           code="roadmap_duplicate", details={"roadmap_id": same["id"]})
    return import_roadmap(rt, actor, org_id=org_id, data=data, filename=filename,
                          period_start=period_start, period_end=period_end)


def _people(session: Session, org_id: int) -> list[OrgPerson]:
    rows = session.execute(
        select(User.id, User.full_name, User.position, Grant.role).join(Grant)
        .where(Grant.org_id == org_id, User.is_active.is_(True))).all()
    return [OrgPerson(r.id, r.full_name, r.position or "", r.role) for r in rows]


def import_roadmap(rt, actor: Actor, *, org_id: object, data: bytes, filename: str,
                   period_start: object, period_end: object) -> dict:
    """Store the roadmap, its sections and items (each deadline read) and create its
    ``roadmap`` document; everything or nothing. Returns ``{"id", "items", "warnings"}``."""
    with rt.db.read_session() as session:
        org = _org_for(session, actor, org_id, write=True)
    period = parse_period(period_start, period_end)
    parsed, rows, warnings = _read(data, filename, period)
    title = (parsed.title or f"Дорожная карта ({filename})")[:500]
    if org.kind is OrgKind.municipality:
        same = _same_municipal_roadmap(rt, org.id, title, period, rows)
        if same is not None:
            return _reimported(rt, actor, same, warnings)
    with rt.db.write_session() as session:
        people = _people(session, org.id)
        roadmap = Roadmap(org_id=org.id, title=title, period_start=period[0],
                          period_end=period[1], source_filename=(filename or "")[:300],
                          indicators=parsed.indicators, warnings=warnings)
        session.add(roadmap)
        session.flush()
        session.add_all(RoadmapSection(roadmap_id=roadmap.id, position=n, number=s["number"],
                                       title=s["title"], task=s["task"], result=s["result"])
                        for n, s in enumerate(parsed.sections))
        items = []
        for n, row in enumerate(rows):
            roles, users = match_responsibles(row["responsible_text"], people)
            items.append(RoadmapItem(
                roadmap_id=roadmap.id, position=n, number=row["number"], section=row["section"],
                activity=row["activity"], deadline_text=row["deadline_text"],
                deadline=row["deadline"], start=row["start"], due=row["due"],
                responsible_text=row["responsible_text"], result_text=row["result_text"],
                direction=row["direction"], note=row["note"], evidence="",
                responsible_roles=roles, responsible_user_ids=users,
                responsible_user_id=users[0] if users else None, notes=[], done_by_name=""))
        session.add_all(items)
        session.flush()
        # the roadmap's own document, each item's document, and the schools' copies
        doc, preview = add_draft(
            session, actor_id=actor.id, actor_name=actor.full_name, kind="roadmap",
            org_id=org.id, title=title, fields=clean_fields("roadmap", {
                "period_start": period[0].isoformat(), "period_end": period[1].isoformat(),
                "roadmap_id": roadmap.id}))
        roadmap.document_id = doc_id = doc.id
        item_docs.create_item_documents(session, actor_id=actor.id,
                                        actor_name=actor.full_name, org_id=org.id, items=items,
                                        municipal=org.kind is OrgKind.municipality)
        if org.kind is OrgKind.municipality:
            item_docs.assign_items(session, items, item_docs.schools_of(session, org.id),
                                   actor_id=actor.id, actor_name=actor.full_name)
        roadmap_id = roadmap.id
    rt.after_commit([preview.id] if preview else [])
    with rt.db.read_session() as session:
        view = load_roadmap(session, actor, roadmap_id)
    return {"id": roadmap_id, "document_id": doc_id,
            "items": [to_api_item(i) for i in view["items"]], "warnings": warnings}


def _same_municipal_roadmap(rt, org_id: int, title: str, period: tuple[date, date],
                            rows: list[dict]) -> int | None:
    """The municipal roadmap this file already imported (same title, period and items)."""
    wanted = [(r["number"], r["activity"]) for r in rows]
    with rt.db.read_session() as session:
        ids = session.scalars(select(Roadmap.id).where(
            Roadmap.org_id == org_id, Roadmap.title == title,
            Roadmap.period_start == period[0], Roadmap.period_end == period[1])).all()
        for rid in ids:
            have = session.execute(select(RoadmapItem.number, RoadmapItem.activity)
                                   .where(RoadmapItem.roadmap_id == rid)
                                   .order_by(RoadmapItem.position)).tuples().all()
            if list(have) == wanted:
                return rid
    return None


def _reimported(rt, actor: Actor, roadmap_id: int, warnings: list[dict]) -> dict:
    """A municipal roadmap imported again: nothing new is created; schools that lack their
    copies (added since) get them."""
    with rt.db.write_session() as session:
        item_docs.assign_roadmap(session, roadmap_id, actor_id=actor.id,
                                 actor_name=actor.full_name)
    with rt.db.read_session() as session:
        view = load_roadmap(session, actor, roadmap_id)
    note = {"row": 0, "message": "Эта дорожная карта уже загружена: пункты и назначения "
                                 "школам не продублированы."}
    return {"id": roadmap_id, "document_id": view["document_id"],
            "items": [to_api_item(i) for i in view["items"]], "warnings": [note, *warnings]}


# ---------------------------------------------------------------- reading


def _visible_roadmap(session: Session, actor: Actor, roadmap_id: int):
    row = session.execute(
        select(Roadmap, Organization.kind, Organization.short_name)
        .join(Organization, Organization.id == Roadmap.org_id)
        .where(Roadmap.id == roadmap_id)).first()
    if row is None or row[0].org_id not in visible_org_ids(session, actor):
        raise NotFound("Дорожная карта не найдена.", code="roadmap_not_found")
    return row


def linked_docs(session: Session, item_ids) -> dict[int, list[LinkedDoc]]:
    out: dict[int, list[LinkedDoc]] = {}
    for r in session.execute(select(Document.id, Document.kind, Document.state,
                                    Document.roadmap_item_id)
                             .where(Document.roadmap_item_id.in_(item_ids))
                             .order_by(Document.id)):
        state = r.state.value if hasattr(r.state, "value") else r.state
        out.setdefault(r.roadmap_item_id, []).append(LinkedDoc(r.id, r.kind, state))
    return out


def _state(value) -> str | None:
    return value.value if hasattr(value, "value") else value


def assignments_of(session: Session, item_ids, today: date) -> dict[int, list[dict]]:
    """municipal item id → its schools' copies ``{"org_id", "document_id", "state",
    "status", "due", "sent"}`` by school; one query."""
    out: dict[int, list[dict]] = {}
    for r in session.execute(select(Document.assignment_of, Document.org_id, Document.id,
                                    Document.state, Document.due, Document.sent_at)
                             .where(Document.assignment_of.in_(item_ids))
                             .order_by(Document.org_id)):
        state = _state(r.state)
        status = doc_status(state=state, assigned=True, due=r.due, start=None, today=today)
        out.setdefault(r.assignment_of, []).append(
            {"org_id": r.org_id, "document_id": r.id, "state": state, "status": status,
             "due": r.due, "sent": r.sent_at is not None})
    return out


def _item_dict(i, docs: list[LinkedDoc], org_kind: OrgKind, today: date,
               state: str | None = None, assignments: list[dict] | None = None) -> dict:
    if assignments:
        status = assigned_status(statuses=[a["status"] for a in assignments], due=i.due,
                                 start=i.start, today=today)
    elif state is not None:
        status = doc_status(state=state, assigned=False, due=i.due, start=i.start, today=today,
                            worked=bool(docs or i.notes))
    else:
        status = item_status(due=i.due, start=i.start, done_at=i.done_at, notes=i.notes or [],
                             docs=docs, org_kind=org_kind, today=today)
    act = act_for(i.result_text, i.activity)
    return {
        "document_id": i.document_id, "state": state,
        "assignments": [{k: a[k] for k in ("org_id", "document_id", "state", "status")}
                        for a in assignments or []],
        "id": i.id, "number": i.number, "section": i.section, "activity": i.activity,
        "deadline_text": i.deadline_text, "deadline": i.deadline or {},
        "responsible_text": i.responsible_text, "result_text": i.result_text,
        "status": status, "document_ids": [d.id for d in docs],
        # for the pages
        "status_ru": STATUS_RU[status], "due": i.due, "start": i.start,
        "notes": i.notes or [], "done_by_name": i.done_by_name,
        "documents": [{"id": d.id, "kind": d.kind, "state": d.state} for d in docs],
        "act_kind": act[0] if act else None, "act_title": act[1] if act else None,
        "responsible_roles": i.responsible_roles or [],
        "responsible_user_ids": i.responsible_user_ids or [],
    }


def load_roadmap(session: Session, actor: Actor, roadmap_id: int,
                 today: date | None = None) -> dict:
    """The roadmap with its sections and items, statuses derived: four queries at most
    (plus one when the actor's grants reach schools), whatever the number of items."""
    today = today or clock.today()
    roadmap, org_kind, org_name = _visible_roadmap(session, actor, roadmap_id)
    sections = session.execute(select(RoadmapSection.number, RoadmapSection.title)
                               .where(RoadmapSection.roadmap_id == roadmap_id)
                               .order_by(RoadmapSection.position)).all()
    items = session.execute(select(RoadmapItem, Document.state)
                            .outerjoin(Document, Document.id == RoadmapItem.document_id)
                            .where(RoadmapItem.roadmap_id == roadmap_id)
                            .order_by(RoadmapItem.position)).all()
    item_ids = select(RoadmapItem.id).where(RoadmapItem.roadmap_id == roadmap_id).scalar_subquery()
    docs = linked_docs(session, item_ids)
    assigned = (assignments_of(session, item_ids, today)
                if org_kind is OrgKind.municipality else {})
    return {
        "id": roadmap.id, "org_id": roadmap.org_id, "org_name": org_name,
        "org_kind": org_kind.value, "title": roadmap.title,
        "period_start": roadmap.period_start.isoformat(),
        "period_end": roadmap.period_end.isoformat(),
        "document_id": roadmap.document_id, "indicators": roadmap.indicators or [],
        "warnings": roadmap.warnings or [],
        "sections": [{"number": s.number, "title": s.title} for s in sections],
        "items": [_item_dict(i, docs.get(i.id, []), org_kind, today, _state(st),
                             assigned.get(i.id)) for i, st in items],
        "may_edit": bool(actor.roles_in(roadmap.org_id) & author_roles(org_kind)),
    }


def to_api_item(item: dict, municipal: bool = False) -> dict:
    out = {k: item[k] for k in API_ITEM_KEYS}
    if municipal:
        out["assignments"] = item["assignments"]
    return out


def get_roadmap(session: Session, actor: Actor, roadmap_id: int,
                today: date | None = None) -> dict:
    """``GET /roadmaps/{id}`` exactly as api.md describes it."""
    view = load_roadmap(session, actor, roadmap_id, today)
    keys = ("id", "org_id", "title", "period_start", "period_end", "sections")
    municipal = view["org_kind"] == OrgKind.municipality.value
    return {**{k: view[k] for k in keys},
            "items": [to_api_item(i, municipal) for i in view["items"]]}


def _roadmaps_query(session: Session, actor: Actor, org_id: int | None):
    orgs = visible_org_ids(session, actor)
    if org_id is not None:
        orgs &= {org_id}
    return (select(Roadmap.id, Roadmap.org_id, Roadmap.title, Roadmap.period_start,
                   Roadmap.period_end, Roadmap.document_id, Organization.short_name)
            .join(Organization, Organization.id == Roadmap.org_id)
            .where(Roadmap.org_id.in_(orgs)).order_by(Organization.short_name,
                                                       Roadmap.id.desc()))


def _roadmap_row(r) -> dict:
    return {"id": r.id, "org_id": r.org_id, "org_name": r.short_name, "title": r.title,
            "period_start": r.period_start.isoformat(), "period_end": r.period_end.isoformat(),
            "document_id": r.document_id}


def list_roadmaps(session: Session, actor: Actor, org_id: int | None = None) -> list[dict]:
    return [_roadmap_row(r) for r in session.execute(_roadmaps_query(session, actor, org_id))]


def roadmaps_page(session: Session, actor: Actor, page: int = 1, per_page: int = 50) -> Page:
    """One page of the roadmaps the actor sees (the list page)."""
    result = paginate(session, _roadmaps_query(session, actor, None), page, per_page, rows=True)
    result.items = [_roadmap_row(r) for r in result.items]
    return result


def authorable_orgs(session: Session, actor: Actor) -> list[dict]:
    """Organisations where the actor may import a roadmap (for the upload form)."""
    ids = [oid for _, oid in actor.grants]
    orgs = session.scalars(select(Organization).where(Organization.id.in_(ids))
                           .order_by(Organization.short_name)).all()
    return [{"id": o.id, "short_name": o.short_name} for o in orgs if may_author(actor, o)]


# ---------------------------------------------------------------- acting on items


def _item_for_write(session: Session, actor: Actor, roadmap_id: int, item_id: int):
    roadmap, _org_kind, _ = _visible_roadmap(session, actor, roadmap_id)
    item = session.get(RoadmapItem, item_id)
    if item is None or item.roadmap_id != roadmap_id:
        raise NotFound("Пункт дорожной карты не найден.", code="roadmap_item_not_found")
    org = session.get(Organization, roadmap.org_id)
    if not may_author(actor, org):
        raise Forbidden("Отмечать выполнение пунктов этой дорожной карты вам не разрешено.",
                        code="roadmap_not_allowed")
    return roadmap, item, org


def add_evidence(rt, actor: Actor, roadmap_id: int, item_id: int, *, text: object,
                 done: object = False, today: date | None = None) -> dict:
    """An evidence note on an item (kept on the item and in its document); ``done`` makes
    the note the execution report and submits the item for confirmation."""
    from workflow.engine.authoring import update_document
    from workflow.engine.transition import apply_event

    if not isinstance(text, str) or not text.strip():
        with rt.db.read_session() as session:
            _item_for_write(session, actor, roadmap_id, item_id)
        raise BadInput("Опишите, чем подтверждается выполнение (поле comment).",
                       code="missing_comment")
    if len(text) > MAX_NOTE:
        raise BadInput(f"Комментарий длиннее {MAX_NOTE} символов.", code="invalid_field")
    if not isinstance(done, bool):
        raise BadInput("Поле done: true или false.", code="invalid_field")
    now = clock.now()
    note = {"at": now.isoformat(timespec="seconds"), "by": actor.full_name, "text": text.strip()}
    with rt.db.write_session() as session:
        _roadmap, item, _org = _item_for_write(session, actor, roadmap_id, item_id)
        item.notes = [*(item.notes or []), {**note, "done": done}]
        doc = session.get(Document, item.document_id) if item.document_id else None
        doc_id = doc.id if doc is not None else None
        editable = doc is not None and doc.state.value == "draft"
        lock, fields = (doc.lock_version, dict(doc.fields or {})) if doc is not None else (0, {})
    if editable:
        fields["notes"] = [*fields.get("notes", []), note]
        if done:
            fields["report"] = text.strip()
        update_document(rt, actor, doc_id, expected_version=lock, fields=fields)
        if done:
            apply_event(rt, doc_id, "submit", actor)
    with rt.db.read_session() as session:
        view = load_roadmap(session, actor, roadmap_id, today)
    return next(i for i in view["items"] if i["id"] == item_id)


def create_item_document(rt, actor: Actor, roadmap_id: int, item_id: int) -> int:
    """One click: the act an item's result names, as a draft linked to the item."""
    with rt.db.read_session() as session:
        roadmap, item, org = _item_for_write(session, actor, roadmap_id, item_id)
        act = act_for(item.result_text, item.activity)
        if act is None:
            raise RuleViolation("Результат этого пункта — не документ: создать его нельзя. "
                                "Отметьте выполнение комментарием.", code="item_not_an_act")
        kind, title = act
        existing = session.scalar(select(Document.id).where(
            Document.roadmap_item_id == item_id, Document.kind == kind,
            Document.state != "cancelled"))
        if existing is not None:
            raise Conflict(f"Документ по этому пункту уже создан (№ {existing}).",
                           code="item_document_exists", details={"document_id": existing})
        fields: dict[str, Any] = {}
        if kind == "roadmap":
            fields = {"period_start": roadmap.period_start.isoformat(),
                      "period_end": roadmap.period_end.isoformat(), "roadmap_id": roadmap.id}
        org_id = org.id
    return create_document(rt, actor, kind=kind, org_id=org_id, title=title, fields=fields,
                           roadmap_item_id=item_id, due=item.due)


# ---------------------------------------------------------------- my deadlines


def responsible_for(actor: Actor, org_id: int, org_kind: OrgKind, roles: list,
                    user_ids: list) -> bool:
    """Named by surname, holding a named role, or — when the item names nobody the system
    recognises — one of the organisation's author roles."""
    if actor.id in (user_ids or []):
        return True
    mine = {r.value for r in actor.roles_in(org_id)}
    if mine & set(roles or []):
        return True
    return not roles and not user_ids and bool(mine & {r.value for r in author_roles(org_kind)})


def my_items(session: Session, actor: Actor, today: date) -> list[dict]:
    """Open items with a date the actor answers for, in their own organisations, by due."""
    org_ids = list(actor.org_ids)
    if not org_ids:
        return []
    rows = session.execute(
        select(RoadmapItem, Organization.kind, Roadmap.org_id)
        .join(Roadmap, Roadmap.id == RoadmapItem.roadmap_id)
        .join(Organization, Organization.id == Roadmap.org_id)
        .where(Roadmap.org_id.in_(org_ids), RoadmapItem.due.is_not(None),
               RoadmapItem.done_at.is_(None))
        .order_by(RoadmapItem.due, RoadmapItem.id)).all()
    mine = [(i, kind) for i, kind, org_id in rows
            if responsible_for(actor, org_id, kind, i.responsible_roles, i.responsible_user_ids)]
    docs = linked_docs(session, [i.id for i, _ in mine]) if mine else {}
    out = []
    for item, kind in mine:
        data = _item_dict(item, docs.get(item.id, []), kind, today)
        if data["status"] == "done":
            continue
        out.append({"item_id": item.id, "roadmap_id": item.roadmap_id, "number": item.number,
                    "activity": item.activity, "due": item.due, "status": data["status"],
                    "overdue": data["status"] == "overdue", "deadline": item.deadline or {}})
    return out


def my_deadlines(session: Session, actor: Actor, today: date | None = None,
                 limit: int = 10) -> list[dict]:
    """«Мои сроки» for the inbox: ``{item_id, roadmap_id, number, activity, due, status,
    overdue}``, overdue first then by date."""
    today = today or clock.today()
    items = my_items(session, actor, today)
    items.sort(key=lambda d: (not d["overdue"], d["due"]))
    return [{k: d[k] for k in ("item_id", "roadmap_id", "number", "activity", "due", "status",
                               "overdue")} for d in items[:limit]]


# ---------------------------------------------------------------- export and the DOCX


def export_roadmap(session: Session, actor: Actor, roadmap_id: int, fmt: str,
                   today: date | None = None) -> tuple[bytes, str, str]:
    """(bytes, file name, MIME type) of the roadmap as XLSX or DOCX, statuses included."""
    from documents.roadmaps.export import roadmap_to_docx, roadmap_to_xlsx

    view = load_roadmap(session, actor, roadmap_id, today)
    data = _export_dict(view)
    if fmt == "xlsx":
        return (roadmap_to_xlsx(data), f"roadmap-{roadmap_id}.xlsx",
                "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    if fmt == "docx":
        return (roadmap_to_docx(data), f"roadmap-{roadmap_id}.docx",
                "application/vnd.openxmlformats-officedocument.wordprocessingml.document")
    raise NotFound("Формат не поддерживается.", code="not_found")


def _export_dict(view: dict) -> dict:
    return {"title": view["title"], "period_start": view["period_start"],
            "period_end": view["period_end"], "sections": view["sections"],
            "indicators": view["indicators"],
            "items": [{k: i[k] for k in ("number", "section", "activity", "deadline_text",
                                         "responsible_text", "result_text", "status")}
                      for i in view["items"]]}


def _roadmap_snapshot(session: Session, doc: Document, _data: dict) -> dict:
    """The table of a roadmap document for its DOCX (plain data, read without an actor)."""
    roadmap_id = (doc.fields or {}).get("roadmap_id")
    roadmap = session.get(Roadmap, roadmap_id) if isinstance(roadmap_id, int) else None
    if roadmap is None or roadmap.org_id != doc.org_id:
        return {}
    sections = session.execute(select(RoadmapSection.number, RoadmapSection.title)
                               .where(RoadmapSection.roadmap_id == roadmap.id)
                               .order_by(RoadmapSection.position)).all()
    items = session.execute(
        select(RoadmapItem.number, RoadmapItem.section, RoadmapItem.activity,
               RoadmapItem.deadline_text, RoadmapItem.responsible_text,
               RoadmapItem.result_text).where(RoadmapItem.roadmap_id == roadmap.id)
        .order_by(RoadmapItem.position)).all()
    return {"roadmap": {
        "period_start": roadmap.period_start.isoformat(),
        "period_end": roadmap.period_end.isoformat(),
        "sections": [{"number": s.number, "title": s.title} for s in sections],
        "items": [dict(i._mapping) for i in items],
        "indicators": list(roadmap.indicators or []),
    }}


rendering.SNAPSHOT_EXTRAS["roadmap"] = _roadmap_snapshot


def link_document(rt, actor: Actor, roadmap_id: int, item_id: int, document_id: int) -> None:
    """Link an existing document of the same organisation to an item (it then fulfils it)."""
    with rt.db.write_session() as session:
        _roadmap, item, org = _item_for_write(session, actor, roadmap_id, item_id)
        doc = session.get(Document, document_id)
        if doc is None or doc.org_id != org.id:
            raise NotFound("Документ не найден.", code="document_not_found")
        doc.roadmap_item_id = item.id
