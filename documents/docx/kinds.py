"""Kind-specific parts of the template context (what users typed → ready-made rows)."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from documents.docx import morphology
from documents.docx.ruformat import (
    clean_text,
    initials_first,
    long_date,
    paragraphs,
    period_text,
    short_date,
    surname_initials,
    years_text,
)

CONTROL_CLAUSE = "Контроль за исполнением приказа оставляю за собой."
MEASURE_KINDS = {"non_material": "нематериальная", "material": "материальная"}

Builder = Callable[[dict[str, Any], dict[str, Any], dict[str, Any]], dict[str, Any]]


def _list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else []


def _sentence(text: str) -> str:
    return text if not text or text[-1] in ".!?:;" else text + "."


def _clause(item: Any) -> dict[str, str] | None:
    if isinstance(item, str):
        item = {"text": item}
    if not isinstance(item, dict) or not clean_text(item.get("text")):
        return None
    return {
        "text": _sentence(clean_text(item.get("text"))),
        "executor": _executor_text(clean_text(item.get("executor"))),
        "term": _executor_text(clean_text(item.get("term"))),
    }


def _executor_text(text: str) -> str:
    """Without a final full stop (the template adds it) unless it ends with an initial or an
    abbreviation («Петров А.М.», «до 25.12.2026 г.» keep their dot, the template adds none)."""
    if re.search(r"(?:^|[\s.\u00a0])(?:[А-ЯЁA-Z]|гг?|ч|п|ст|т\.\s?д|др)\.$", text):
        return text
    return text.rstrip(".")


def _same_words(a: str, b: str) -> bool:
    """The same sentence whatever its case, spacing and final stop."""
    def words(text: str) -> list[str]:
        return text.rstrip(".!;: ").casefold().split()

    return words(a) == words(b)


def _numbered(clauses: list[dict[str, Any]], start: int = 1) -> list[dict[str, Any]]:
    return [{"n": str(start + i), **clause} for i, clause in enumerate(clauses)]


def _people(snapshot: dict[str, Any], names: list[Any], extra: list[str] = ()) -> list[dict]:
    """Rows of the «Лист ознакомления»: the staff users the order names
    (``acquaintance_user_ids``, resolved into the snapshot with the date each confirmed),
    then names typed by hand and the adult mentors of a pair order; nobody twice."""
    rows: list[dict[str, str]] = []
    seen: set[str] = set()
    users = [u for u in _list(snapshot.get("acquaintance_users")) if isinstance(u, dict)]
    for user in users:
        name = clean_text(user.get("name"))
        if name and name not in seen:
            seen.add(name)
            rows.append({"name": name, "position": clean_text(user.get("position")),
                         "date": short_date(user.get("acknowledged_at"))})
    for name in [*(clean_text(n) for n in names), *extra]:
        if name and name not in seen:
            seen.add(name)
            rows.append({"name": name, "position": "", "date": ""})
    return [{"n": str(i), "short": surname_initials(r["name"]),
             # the last two rows stay on the page of the signature lines above them
             "keep": i >= len(rows) - 1, **r}
            for i, r in enumerate(rows, start=1)]


def _executor(snapshot: dict[str, Any]) -> dict[str, str]:
    """Отметка об исполнителе: the author's full name and phone."""
    executor = snapshot.get("executor") if isinstance(snapshot.get("executor"), dict) else {}
    return {"name": clean_text(executor.get("name")), "phone": clean_text(executor.get("phone"))}


def appendix_grif(n: int | str, ctx: dict[str, Any]) -> str:
    """«Приложение № 1 / к приказу / от 12.11.2026 № 45-од» (ГОСТ Р 7.0.97-2025 example)."""
    return f"Приложение № {n}\nк приказу\n{ctx['doc']['registration']}"


def _order_common(
    fields: dict[str, Any], clauses: list[dict[str, Any]], snapshot: dict[str, Any],
    extra_people: list[str] = (),
) -> dict[str, Any]:
    control = _sentence(clean_text(fields.get("control_clause")) or CONTROL_CLAUSE)
    # an author who also wrote the control clause among the clauses gets it once, last
    clauses = [c for c in clauses if not _same_words(c["text"], control)]
    return {
        "preamble": paragraphs(fields.get("preamble")),
        "clauses": _numbered(clauses),
        "control_clause": {"n": str(len(clauses) + 1), "text": control},
        "acquaintance": _people(snapshot, _list(fields.get("acquaintance")), extra_people),
        "appendices": [],
        "executor": _executor(snapshot),
    }


def order(fields: dict[str, Any], snapshot: dict[str, Any], ctx: dict[str, Any]) -> dict:
    clauses = [c for c in map(_clause, _list(fields.get("clauses"))) if c]
    result = _order_common(fields, clauses, snapshot)
    appendices = [a for a in _list(fields.get("appendices")) if isinstance(a, dict)]
    result["appendices"] = [
        {
            "n": str(i),
            "title": clean_text(a.get("title")),
            "paragraphs": paragraphs(a.get("text")),
            "grif": appendix_grif(i, ctx),
        }
        for i, a in enumerate(appendices, start=1)
    ]
    return result


def curator_order(fields: dict[str, Any], snapshot: dict[str, Any], ctx: dict[str, Any]) -> dict:
    name = clean_text(fields.get("curator_name"))
    position = clean_text(fields.get("curator_position"))
    term = clean_text(fields.get("term"))
    if position[:1].isupper() and not position[1:2].isupper():  # «Заместитель …» mid-sentence
        position = position[:1].lower() + position[1:]
    # «Назначить Петрову Анну Михайловну, заместителя директора по УВР, куратором …»
    who = morphology.inflect_name(name, "accs")
    if position:
        who += f", {morphology.inflect_phrase_head(position, 'accs')},"
    appoint = (
        f"Назначить {who} куратором внедрения целевой модели наставничества "
        f"в {ctx['org']['short_name']}" + (f" {term}" if term else "") + "."
    )
    duties = [morphology.duty_clause(clean_text(d)) for d in _list(fields.get("duties"))
              if clean_text(d)]
    clauses = [{"text": appoint, "executor": "", "term": ""}]
    if duties:
        clauses.append(
            {"text": "Возложить на куратора следующие обязанности:", "executor": "", "term": ""}
        )
    result = _order_common(fields, clauses, snapshot, [name])
    result["curator"] = {"name": name, "position": position, "short": initials_first(name)}
    result["duties"] = [{"n": f"2.{i}", "text": d} for i, d in enumerate(duties, start=1)]
    result["term"] = term
    return result


def pair_order(fields: dict[str, Any], snapshot: dict[str, Any], ctx: dict[str, Any]) -> dict:
    pairs = [p for p in _list(snapshot.get("pairs")) if isinstance(p, dict)]
    grif = appendix_grif(1, ctx)
    first = {
        "text": "Закрепить наставнические пары (группы) согласно приложению № 1 "
        "к настоящему приказу.",
        "executor": "",
        "term": "",
    }
    clauses = [first] + [c for c in map(_clause, _list(fields.get("clauses")))
                         if c and not c["text"].lower().startswith("закрепить наставнические пары")]
    # Students and minors never sign the acquaintance sheet: only adult mentors.
    mentors = [clean_text(p.get("mentor_name")) for p in pairs
               if p.get("mentor_category", "teacher") != "student"]
    result = _order_common(fields, clauses, snapshot, mentors)
    result["pairs"] = [_pair(i, p) for i, p in enumerate(pairs, start=1)]
    result["appendices"] = [
        {"n": "1", "title": "Список наставнических пар (групп)", "paragraphs": [], "grif": grif}
    ]
    return result


def _pair(n: int, pair: dict[str, Any]) -> dict[str, str]:
    mentees = [clean_text(m) for m in _list(pair.get("mentee_names")) if clean_text(m)]
    return {
        "n": str(n),
        "mentor_name": clean_text(pair.get("mentor_name")),
        "mentor_position": clean_text(pair.get("mentor_position")),
        "mentees": ", ".join(mentees),
        "mentee_details": clean_text(pair.get("mentee_details")),
        "form_title": clean_text(pair.get("form_title")),
        "role_model": clean_text(pair.get("role_model")),
        "start": short_date(pair.get("start")),
        "end": short_date(pair.get("end")),
        "period": period_text(pair.get("start"), pair.get("end")),
    }


def act(fields: dict[str, Any], snapshot: dict[str, Any], ctx: dict[str, Any]) -> dict:
    """Regulation-like acts: numbered sections and the approval / consideration grifs."""
    sections = [s for s in _list(fields.get("sections")) if isinstance(s, dict)]
    considered = (
        fields.get("considered_by") if isinstance(fields.get("considered_by"), dict) else {}
    )
    agreed = [a for a in _list(fields.get("agreed_by")) if isinstance(a, dict)]
    return {
        "sections": [
            {
                "n": str(i),
                "title": clean_text(s.get("title")),
                "paragraphs": paragraphs(s.get("text")),
            }
            for i, s in enumerate(sections, start=1)
        ],
        "considered": {
            "present": bool(considered),
            "body": clean_text(considered.get("body")) or "педагогическим советом",
            "protocol_number": clean_text(considered.get("protocol_number")) or "____",
            "protocol_date": short_date(considered.get("protocol_date"), "____________"),
        },
        "agreed": [
            {
                "position": clean_text(a.get("position")),
                "name": clean_text(a.get("name")),
                "short": initials_first(a.get("name")),
                "date": short_date(a.get("date"), "____________"),
            }
            for a in agreed
        ],
    }


def incentive_scheme(fields: dict[str, Any], snapshot: dict[str, Any], ctx: dict[str, Any]) -> dict:
    result = act(fields, snapshot, ctx)
    measures = [m for m in _list(fields.get("measures")) if isinstance(m, dict)]
    result["measures"] = [
        {
            "n": str(i),
            "title": clean_text(m.get("title")),
            "kind": clean_text(m.get("kind")),
            "kind_text": MEASURE_KINDS.get(clean_text(m.get("kind")), clean_text(m.get("kind"))),
            "description": clean_text(m.get("description")),
        }
        for i, m in enumerate(measures, start=1)
    ]
    return result


def programme(fields: dict[str, Any], snapshot: dict[str, Any], ctx: dict[str, Any]) -> dict:
    result = act(fields, snapshot, ctx)
    goals = fields.get("goals")
    goal_list = (
        [clean_text(g) for g in goals if clean_text(g)]
        if isinstance(goals, list)
        else paragraphs(goals)
    )
    result["programme"] = {
        "form": clean_text(fields.get("form")),
        "term_start": short_date(fields.get("term_start")),
        "term_end": short_date(fields.get("term_end")),
        "term_start_long": long_date(fields.get("term_start")),
        "term_end_long": long_date(fields.get("term_end")),
        "period": period_text(fields.get("term_start"), fields.get("term_end")),
        "goals": goal_list,
    }
    return result


def roadmap(fields: dict[str, Any], snapshot: dict[str, Any], ctx: dict[str, Any]) -> dict:
    data = snapshot.get("roadmap") if isinstance(snapshot.get("roadmap"), dict) else {}
    start = data.get("period_start") or fields.get("period_start")
    end = data.get("period_end") or fields.get("period_end")
    items = [i for i in _list(data.get("items")) if isinstance(i, dict)]
    rows: list[dict[str, Any]] = []
    used: set[int] = set()
    for section in (s for s in _list(data.get("sections")) if isinstance(s, dict)):
        keys = {clean_text(section.get("number")), clean_text(section.get("title"))} - {""}
        rows.append(
            {
                "is_section": True,
                "number": clean_text(section.get("number")),
                "title": clean_text(section.get("title")),
            }
        )
        for idx, item in enumerate(items):
            if idx not in used and clean_text(item.get("section")) in keys:
                used.add(idx)
                rows.append(_roadmap_item(item))
    rows.extend(_roadmap_item(item) for idx, item in enumerate(items) if idx not in used)
    indicators = [i for i in _list(data.get("indicators")) if isinstance(i, dict)]
    years = sorted(
        {
            clean_text(y)
            for i in indicators
            for y in (i.get("targets") or {})
            if isinstance(i.get("targets"), dict)
        }
    )
    return {
        "roadmap": {
            "period_start": short_date(start),
            "period_end": short_date(end),
            "period": period_text(start, end),
            "years_text": years_text(start, end),
            "rows": rows,
            "years": years,
            "indicators": [
                {
                    "n": str(n),
                    "name": clean_text(i.get("name")),
                    "unit": clean_text(i.get("unit")),
                    "targets": [clean_text((i.get("targets") or {}).get(y)) or "—" for y in years],
                }
                for n, i in enumerate(indicators, start=1)
            ],
        }
    }


def _roadmap_item(item: dict[str, Any]) -> dict[str, Any]:
    return {
        "is_section": False,
        "number": clean_text(item.get("number")),
        "activity": clean_text(item.get("activity")),
        "deadline": clean_text(item.get("deadline_text")),
        "responsible": clean_text(item.get("responsible_text")),
        "result": clean_text(item.get("result_text")),
    }


BUILDERS: dict[str, Builder] = {
    "order": order,
    "curator_order": curator_order,
    "pair_order": pair_order,
    "regulation": act,
    "incentive_scheme": incentive_scheme,
    "programme": programme,
    "roadmap": roadmap,
}
