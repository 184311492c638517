"""Pages answer in a constant number of SQL queries, whatever the number of rows shown."""

from __future__ import annotations

import pytest

from tests.web.test_ui_pages import login

STATES = ("draft", "on_approval", "approved", "returned", "under_municipal_review")


def _seed(make_doc, world, start: int, n: int) -> None:
    people = [world.users["admin1"], world.users["curator1"], world.users["director1"]]
    for i in range(start, start + n):
        make_doc(STATES[i % len(STATES)], title=f"Документ {i}",
                 responsible_id=people[i % len(people)])


def _count(app, count_queries, user: str, url: str) -> int:
    c = app.test_client()
    login(c, user)
    c.get(url)  # warm caches (templates, first-use lookups)
    with count_queries() as statements:
        r = c.get(url)
    assert r.status_code == 200
    return len(statements)


@pytest.mark.parametrize("user,url", [
    ("director1", "/"), ("admin1", "/"), ("officer", "/"),
    ("admin1", "/documents"), ("auditor", "/documents"), ("officer", "/schools"),
    ("admin1", "/documents?overdue=1&q=Документ"),
])
def test_constant_queries_5_vs_30_documents(app, world, make_doc, count_queries, user, url):
    _seed(make_doc, world, 0, 5)
    small = _count(app, count_queries, user, url)
    _seed(make_doc, world, 5, 25)
    large = _count(app, count_queries, user, url)
    # a list shorter than its page takes its total from the rows (no count): one statement
    # fewer with 5 documents than with a full page of 30
    assert small <= large <= small + 1, \
        f"{url} as {user}: {small} queries with 5 documents, {large} with 30"
    assert small <= 20  # inbox sections, notifications and their schools, open remarks,
    #                     roadmap deadlines, route visas, and the small id lists the
    #                     conditions are built on (documents to acknowledge, the person's
    #                     organisations, a municipality's schools): an index scan each
    #                     instead of a scan of every document of the region


def test_document_page_queries_do_not_grow_with_history(app, world, make_doc, count_queries):
    from tests.conftest import actor_of
    from workflow.engine.transition import apply_event

    short = make_doc("on_approval")
    long = make_doc("on_approval")  # the same state, a much longer history
    rt = app.extensions["nastavnik"]
    for _ in range(5):
        apply_event(rt, long, "reject", actor_of(rt, world.users["director1"]), "Ещё раз")
        apply_event(rt, long, "submit", actor_of(rt, world.users["admin1"]))
    a = _count(app, count_queries, "auditor", f"/documents/{short}")
    b = _count(app, count_queries, "auditor", f"/documents/{long}")
    assert a == b
