"""What a roadmap deadline reminder says and where it links: one item in a sentence of its
own; several items of one run (a school's overdue items, a municipality's schools'
escalations) in one notice per person — a list, the first few in the notice and every one in
the e-mail."""

from __future__ import annotations

from datetime import date

#: Items (or schools) a digest notice lists before «и ещё N»; its e-mail lists every one.
LISTED = 5

ESCALATE_AFTER_DAYS = 3


def _short(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[:limit - 1] + "…"


def one(r, today: date) -> tuple[str, str]:
    """(subject, text) of a reminder about one item."""
    activity = _short(r.activity, 160)
    when = f"{r.occurrence:%d.%m.%Y}"
    left = (r.occurrence - today).days
    if r.kind == "before_7":
        subject = f"Срок пункта {r.number} дорожной карты — {when}"
        text = (f"До {when} (осталось дней: {left}) нужно выполнить пункт {r.number} "
                f"дорожной карты «{activity}».")
    elif r.kind == "before_1":
        subject = f"Срок пункта {r.number} дорожной карты — {'сегодня' if left <= 0 else 'завтра'}"
        text = (f"{'Сегодня' if left <= 0 else 'Завтра'}, {when}, истекает срок пункта "
                f"{r.number} дорожной карты «{activity}».")
    elif r.kind == "overdue":
        subject = f"Просрочен пункт {r.number} дорожной карты"
        text = f"Просрочен пункт {r.number} дорожной карты «{activity}»: срок был {when}."
    else:
        subject = f"{r.org_name}: пункт {r.number} дорожной карты просрочен"
        text = (f"{r.org_name}: пункт {r.number} дорожной карты «{activity}» просрочен более "
                f"чем на {ESCALATE_AFTER_DAYS} дня (срок {when}). "
                f"Ответственные: {r.responsible_text or 'не указаны'}.")
    return subject, text


_HEADS = {
    "before_7": "Приближаются сроки пунктов дорожной карты",
    "before_1": "Истекают сроки пунктов дорожной карты",
    "overdue": "Просрочены пункты дорожной карты",
    "escalation": f"Пункты дорожной карты просрочены более чем на {ESCALATE_AFTER_DAYS} дня",
}


def _line(r, today: date) -> str:
    """An item in a digest's e-mail: its number, activity and date."""
    when = f"{r.occurrence:%d.%m.%Y}"
    if r.kind == "before_1":
        due = f"{'сегодня' if (r.occurrence - today).days <= 0 else 'завтра'}, {when}"
    elif r.kind == "before_7":
        due = f"до {when}"
    else:
        due = f"срок был {when}"
    return f"{r.number} «{_short(r.activity, 160)}» ({due})"


def _brief(r) -> str:
    """An item in a digest's notice: the number and the activity's start (the page it
    links to shows the rest)."""
    return f"{r.number} «{_short(r.activity, 40)}»"


def digest(items: list, today: date) -> tuple[str, str, str]:
    """(subject, notice text, e-mail text) of several reminders of one kind to one person.
    Items of several schools (a municipality's escalations) are counted school by school in
    the notice and listed school by school in the e-mail."""
    kind = items[0].kind
    schools: dict[str, list] = {}
    for r in items:
        schools.setdefault(r.org_name, []).append(r)
    head = _HEADS[kind]
    if len(schools) > 1:  # a municipality's: each school's count, then each school's list
        head = head.replace("дорожной карты", "дорожных карт")
        parts = [f"{name}: {len(group)}" for name, group in schools.items()]
        listing = [f"{name}:\n" + "\n".join(f"— {_line(r, today)}" for r in group)
                   for name, group in schools.items()]
    else:
        if kind == "escalation":
            head = f"{items[0].org_name}: {head[0].lower()}{head[1:]}"
        parts = [_brief(r) for r in items]
        listing = [f"— {_line(r, today)}" for r in items]
    more = f"; и ещё {len(parts) - LISTED}" if len(parts) > LISTED else ""
    notice = f"{head} ({len(items)}): {'; '.join(parts[:LISTED])}{more}."
    mail = f"{head} ({len(items)}):\n" + "\n".join(listing)
    subject = head if len(schools) > 1 or kind == "escalation" else f"{head}: {len(items)}"
    return subject, notice, mail


def item_url(r) -> str:
    """The page of the item's work: a school's copy of a municipal item is a document."""
    if r.document_id is not None:
        return f"/documents/{r.document_id}"
    return f"/roadmaps/{r.roadmap_id}#item-{r.item_id}"


def card_url(org_id: int) -> str:
    """A school's compliance card, which lists its overdue items (where the municipality's
    officers are sent: a school's item documents stay the school's until sent)."""
    return f"/compliance/school/{org_id}"


def link_for(items: list[tuple]) -> str:
    """Where one person's notice links, from its (reminder, outside the reminder's
    organisation?) pairs: the one page they share, else their roadmap, else their school's
    card, else their municipality's schools' compliance."""
    urls = {card_url(r.org_id) if outside else item_url(r) for r, outside in items}
    if len(urls) == 1:
        return urls.pop()
    reminders = [r for r, _ in items]
    if not any(outside or r.document_id is not None for r, outside in items) \
            and len({r.roadmap_id for r in reminders}) == 1:
        return f"/roadmaps/{reminders[0].roadmap_id}"
    if len({r.org_id for r in reminders}) == 1:
        return card_url(reminders[0].org_id)
    municipalities = {r.parent_id or r.org_id for r in reminders}
    if len(municipalities) == 1:  # the municipality's schools, whichever it shows first
        return f"/compliance/?municipality_id={municipalities.pop()}"
    return "/compliance/"
