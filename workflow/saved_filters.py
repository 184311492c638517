"""A person's saved filters of a list page («Сохранить фильтр», as in 1С:Документооборот):
a name and the filter's arguments. Each person sees and deletes only their own."""

from __future__ import annotations

import re
from collections.abc import Iterable
from urllib.parse import parse_qsl, urlencode

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from documents.models.saved_filter import SavedFilter
from workflow.engine.permissions import Actor
from workflow.errors import BadInput, Conflict, NotFound, RuleViolation

#: The arguments a filter of each list keeps (never the page number, never anything else).
PAGES: dict[str, tuple[str, ...]] = {
    "documents": ("q", "kind", "state", "org_id", "responsible_id", "overdue", "sort"),
    "audit_events": ("org_id", "actor_id", "event", "kind", "document_id", "from", "to", "q",
                     "sort"),
}
MAX_PER_USER = 20
MAX_NAME = 80
_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")


def name_error(name: str) -> str | None:
    """Why a filter name is refused (Russian), or None."""
    if not name.strip():
        return "Укажите название фильтра."
    if len(name.strip()) > MAX_NAME:
        return f"Название фильтра — не длиннее {MAX_NAME} символов."
    if _CONTROL.search(name):
        return "В названии фильтра не должно быть управляющих символов."
    return None


def clean_query(page: str, pairs: Iterable[tuple[str, str]]) -> str:
    """The filter's own arguments, non-empty, in the list's order, as a query string."""
    keep = PAGES[page]
    values = [(k, v.strip()[:200]) for k, v in pairs if k in keep and v and v.strip()]
    values.sort(key=lambda kv: keep.index(kv[0]))
    return urlencode(values)


def list_filters(session: Session, actor: Actor, page: str) -> list[SavedFilter]:
    return list(session.scalars(select(SavedFilter).where(
        SavedFilter.user_id == actor.id, SavedFilter.page == page)
        .order_by(func.lower(SavedFilter.name), SavedFilter.id)))


def save_filter(rt, actor: Actor, page: str, name: str, query: str) -> SavedFilter:
    """Save (or, under a name already used on this list, replace) the actor's filter."""
    if page not in PAGES:
        raise NotFound("Такого списка нет.", code="not_found")
    problem = name_error(name)
    if problem:
        raise BadInput(problem, code="invalid_field", details={"fields": {"name": problem}})
    name = name.strip()
    query = clean_query(page, parse_qsl(query or "", keep_blank_values=False))
    with rt.db.write_session() as session:
        same = session.scalar(select(SavedFilter).where(
            SavedFilter.user_id == actor.id, SavedFilter.page == page,
            SavedFilter.name == name))
        if same is not None:
            same.query = query
            session.flush()
            return same
        count = session.scalar(select(func.count(SavedFilter.id)).where(
            SavedFilter.user_id == actor.id)) or 0
        if count >= MAX_PER_USER:
            message = (f"Можно сохранить не больше {MAX_PER_USER} фильтров. "
                       "Удалите ненужный и сохраните снова.")
            raise RuleViolation(message, code="too_many_filters",
                                details={"fields": {"name": message}})
        saved = SavedFilter(user_id=actor.id, page=page, name=name, query=query)
        session.add(saved)
        try:
            session.flush()
        except IntegrityError:  # the same name saved a moment ago from another tab
            raise Conflict("Фильтр с таким названием уже сохранён.", code="duplicate_filter",
                           details={"fields": {"name": "Фильтр с таким названием уже сохранён."}}
                           ) from None
        return saved


def delete_filter(rt, actor: Actor, filter_id: int) -> str:
    """Delete the actor's filter; another person's is not found. Returns the list's name."""
    with rt.db.write_session() as session:
        saved = session.get(SavedFilter, filter_id)
        if saved is None or saved.user_id != actor.id:
            raise NotFound("Фильтр не найден.", code="filter_not_found")
        page = saved.page
        session.delete(saved)
        return page
