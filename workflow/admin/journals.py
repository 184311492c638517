"""Registration journals of an organisation: title, suffix («-од», «-лс», «/1»), the kinds
numbered in it and the next number of the current calendar year (numbers restart every
January: the counters are per year). A change is logged."""

from __future__ import annotations

import re

from sqlalchemy import select
from sqlalchemy.orm import Session

from documents.models import JournalSetting, RegistrationJournal
from workflow import clock
from workflow.admin import log, scope
from workflow.engine import journal as engine_journal
from workflow.engine.kinds import KINDS
from workflow.engine.permissions import Actor
from workflow.errors import BadInput, RuleViolation

DEFAULT_TITLES = {"od": "Приказы по основной деятельности",
                  "ls": "Приказы по личному составу"}
CODE_RE = re.compile(r"^[a-z0-9_]{1,20}$")


def _journals(session: Session, org_id: int) -> list[dict]:
    year = clock.today().year
    settings = {s.code: s for s in engine_journal.settings_of(session, org_id)}
    claimed = {k for s in settings.values() for k in (s.kinds or [])}
    codes = list(DEFAULT_TITLES) + [c for c in settings if c not in DEFAULT_TITLES]
    counters = {r.series: r for r in session.scalars(select(RegistrationJournal).where(
        RegistrationJournal.org_id == org_id, RegistrationJournal.year == year))}
    out = []
    for code in codes:
        s = settings.get(code)
        if s is not None:
            title, suffix, kinds = s.title, s.suffix, list(s.kinds or [])
        else:
            title, suffix = DEFAULT_TITLES[code], engine_journal.SERIES_SUFFIX.get(code, "")
            kinds = [k for k, spec in KINDS.items() if spec.journal == code and k not in claimed]
        counter = counters.get(code)
        out.append({"code": code, "title": title, "suffix": suffix, "kinds": kinds,
                    "next_number": counter.next_number if counter else 1, "year": year})
    return out


def list_journals(session: Session, actor: Actor, org_id: int | None) -> list[dict]:
    scope.require_org(session, actor, org_id, scope.reader_org_ids(session, actor),
                      "Журналы регистрации этой организации вам недоступны.")
    return _journals(session, org_id)


def _clean(item) -> dict:
    if not isinstance(item, dict):
        raise BadInput("Ожидается список журналов {code, title, suffix, kinds, next_number}.",
                       code="invalid_field")
    code = item.get("code")
    if not isinstance(code, str) or not CODE_RE.match(code):
        raise BadInput("Код журнала: латинские строчные буквы и цифры, до 20 знаков.",
                       code="invalid_field")
    title = item.get("title")
    if not isinstance(title, str) or not title.strip() or len(title) > 200:
        raise BadInput("Журнал %(code)s: укажите название (до 200 знаков).", code="invalid_field",
                       params={"code": code})
    suffix = item.get("suffix", "")
    if not isinstance(suffix, str) or len(suffix) > 20 or any(c.isspace() for c in suffix):
        raise BadInput("Журнал %(code)s: суффикс — до 20 знаков без пробелов.",
                       code="invalid_field", params={"code": code})
    kinds = item.get("kinds", [])
    if not isinstance(kinds, list) or any(k not in KINDS for k in kinds):
        raise BadInput("Журнал %(code)s: неизвестный вид документа.", code="invalid_kind",
                       params={"code": code})
    number = item.get("next_number")
    if number is not None and (isinstance(number, bool) or not isinstance(number, int)
                               or not 1 <= number <= 10**6):
        raise BadInput("Журнал %(code)s: следующий номер — целое число от 1.",
                       code="invalid_field", params={"code": code})
    return {"code": code, "title": " ".join(title.split()), "suffix": suffix,
            "kinds": list(dict.fromkeys(kinds)), "next_number": number}


def put_journals(rt, actor: Actor, org_id: int | None, items) -> list[dict]:
    """PUT /journals: create or change the given journals (others stay as they are)."""
    with rt.db.write_session() as session:
        scope.require_org(session, actor, org_id, scope.requisite_org_ids(session, actor),
                          "Журналы регистрации меняет администратор муниципалитета или "
                          "директор школы.")
        if not isinstance(items, list) or not items:
            raise BadInput("Ожидается непустой список журналов.", code="invalid_field")
        cleaned = [_clean(i) for i in items]
        codes = [c["code"] for c in cleaned]
        if len(set(codes)) != len(codes):
            raise BadInput("Код журнала повторяется.", code="duplicate_code")
        before = {j["code"]: j for j in _journals(session, org_id)}
        settings = {s.code: s for s in engine_journal.settings_of(session, org_id)}
        owner = {k: j["code"] for j in before.values() for k in j["kinds"]}
        for c in cleaned:
            for k in c["kinds"]:
                owner[k] = c["code"]
        for c in cleaned:  # a kind moved here leaves the journal that had it
            for other in settings.values():
                if other.code != c["code"]:
                    other.kinds = [k for k in other.kinds or [] if owner.get(k) == other.code]
        year = clock.today().year
        for c in cleaned:
            old = before.get(c["code"])
            s = settings.get(c["code"])
            if s is None:
                s = JournalSetting(org_id=org_id, code=c["code"], prefix="", title=c["title"],
                                   suffix=c["suffix"], kinds=c["kinds"])
                session.add(s)
                session.flush()
                settings[c["code"]] = s
            s.title, s.suffix, s.kinds = c["title"], c["suffix"], c["kinds"]
            row = engine_journal.journal_row(session, org_id, year, c["code"])
            row.suffix = c["suffix"]
            if c["next_number"] is not None and c["next_number"] != row.next_number:
                if c["next_number"] < row.next_number:
                    raise RuleViolation(
                        f"Журнал «{c['title']}»: номера до {row.next_number - 1} уже выданы в "
                        f"{year} году; следующий номер не может быть меньше {row.next_number}.",
                        code="number_in_use")
                row.next_number = c["next_number"]
            new = {k: c[k] for k in ("title", "suffix", "kinds")} | {
                "next_number": row.next_number}
            diff = {k: [old.get(k) if old else None, v] for k, v in new.items()
                    if not old or old.get(k) != v}
            if diff:
                log.record(session, actor, "update" if old else "create", "journal", s.id,
                           org_id, {"code": c["code"], **{
                               k: f"{a} → {b}" if old else b for k, (a, b) in diff.items()}})
        session.flush()
        return _journals(session, org_id)
