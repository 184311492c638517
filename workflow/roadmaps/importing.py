"""Importing a roadmap table (DOCX/XLSX): a preview step, then an all-or-nothing import that
creates the roadmap, its items (each a document) and the roadmap document; a municipal
roadmap's items go to its schools."""

from __future__ import annotations

import re
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from documents.models import (
    Grant,
    Organization,
    OrgKind,
    Roadmap,
    RoadmapItem,
    RoadmapSection,
    User,
)
from documents.roadmaps import MAX_BYTES, ParsedRoadmap, RoadmapFileError, read_roadmap
from workflow.dates import sane_date
from workflow.engine.authoring import add_draft
from workflow.engine.kinds import clean_fields
from workflow.engine.permissions import Actor, may_author, visible_org_ids
from workflow.errors import BadInput, Conflict, Forbidden, NotFound, RuleViolation, TooLarge
from workflow.roadmaps import items as item_docs
from workflow.roadmaps.deadlines import parse_deadline
from workflow.roadmaps.duplicates import find_duplicate
from workflow.roadmaps.item_work import MAX_NUMBER
from workflow.roadmaps.reading import load_roadmap, to_api_item
from workflow.roadmaps.status import (
    OrgPerson,
    match_responsibles,
)

MAX_PERIOD_DAYS = 366 * 10
UPLOAD_SUFFIX = ".roadmap-upload"
_DATE_TOKEN = re.compile(r"(?<![\d.])(\d{1,2})\s*\.\s*(\d{1,2})\s*\.\s*(\d{4}|\d{2})(?!\d)")
_SHA = re.compile(r"[0-9a-f]{64}")


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
