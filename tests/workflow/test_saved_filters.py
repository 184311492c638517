"""The saved-filters service: only a list's own arguments are kept, twenty per person in
all, another person's filter does not exist for you."""

from __future__ import annotations

import pytest

from documents.models.saved_filter import SavedFilter
from workflow import saved_filters
from workflow.errors import BadInput, NotFound, RuleViolation


def test_only_the_lists_arguments_are_kept_in_its_order():
    assert saved_filters.clean_query("documents", [
        ("page", "4"), ("sort", "title"), ("q", " приказ "), ("csrf_token", "x"),
        ("kind", ""), ("state", "draft")]) == "q=%D0%BF%D1%80%D0%B8%D0%BA%D0%B0%D0%B7" \
        "&state=draft&sort=title"
    assert saved_filters.clean_query("audit_events", [("from", "2026-01-01"),
                                                      ("overdue", "1")]) == "from=2026-01-01"


def test_limit_counts_every_list_and_names_are_checked(rt, actor):
    me = actor("curator1")
    for i in range(19):
        saved_filters.save_filter(rt, me, "documents", f"Д{i}", "")
    saved_filters.save_filter(rt, me, "audit_events", "Аудит", "sort=actor")
    with pytest.raises(RuleViolation) as exc:
        saved_filters.save_filter(rt, me, "audit_events", "Ещё", "")
    assert exc.value.details["fields"]["name"].startswith("Можно сохранить не больше 20")
    with pytest.raises(BadInput):
        saved_filters.save_filter(rt, me, "documents", "\x07звонок", "")
    with pytest.raises(NotFound):
        saved_filters.save_filter(rt, me, "elsewhere", "Имя", "")


def test_delete_only_your_own(rt, actor):
    mine = saved_filters.save_filter(rt, actor("admin1"), "documents", "Мой", "overdue=1")
    with pytest.raises(NotFound):
        saved_filters.delete_filter(rt, actor("admin2"), mine.id)
    with rt.db.read_session() as s:
        assert s.get(SavedFilter, mine.id) is not None
        assert [f.name for f in saved_filters.list_filters(s, actor("admin2"), "documents")] == []
    assert saved_filters.delete_filter(rt, actor("admin1"), mine.id) == "documents"
    with rt.db.read_session() as s:
        assert s.get(SavedFilter, mine.id) is None
