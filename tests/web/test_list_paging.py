"""Long lists are paged, never cut (issue 13): «Мои задачи» pages each section with exact
counts, notifications and their archive page too; nonsense page numbers show a page."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest

from documents.models import DocState, Document, Notification
from workflow import clock


def _drafts(rt, world, n: int, org: str = "school1", **kw) -> None:
    """``n`` drafts of admin1's school written directly (the services are slow for 250)."""
    with rt.db.write_session() as s:
        s.add_all([Document(kind="order", org_id=world.orgs[org], title=f"Черновик {i:03d}",
                            state=DocState.draft, fields={}, author_id=world.users["admin1"],
                            **kw) for i in range(n)])


def _notes(rt, world, user: str, n: int, read: bool = False) -> None:
    now = clock.now()
    with rt.db.write_session() as s:
        s.add_all([Notification(user_id=world.users[user], kind="test", text=f"Извещение {i:03d}",
                                created_at=now - timedelta(minutes=i),
                                read_at=now if read else None) for i in range(n)])


def _section_titles(html: str, key: str) -> list[str]:
    part = html.split(f'data-section="{key}"')[1].split("</section>")[0]
    return re.findall(r'class="fw-semibold" href="/documents/\d+">([^<]+)</a>', part)


def test_250_drafts_all_reachable_page_by_page(as_user, rt, world):
    _drafts(rt, world, 250)
    c = as_user("admin1")
    first = c.get("/").get_data(as_text=True)
    seen = _section_titles(first, "drafts")
    assert len(seen) == 50
    assert '<span class="badge text-bg-primary" data-test="section-total">250</span>' in first
    assert 'href="/?drafts_page=5#section-drafts"' in first  # the last page is a link
    for page in range(2, 6):
        html = c.get(f"/?drafts_page={page}").get_data(as_text=True)
        seen += _section_titles(html, "drafts")
    assert sorted(seen) == [f"Черновик {i:03d}" for i in range(250)]  # every one, once


def test_overdue_badge_and_nav_count_whole_inbox(as_user, rt, world):
    _drafts(rt, world, 120, due=clock.today() - timedelta(days=3))
    html = as_user("admin1").get("/").get_data(as_text=True)
    assert "Просрочено: 120" in html  # not just the 50 shown


@pytest.mark.parametrize("arg", ["0", "-3", "abc", "999999999999", "7", "%20", "1e3", "١"])
def test_bad_inbox_page_numbers_show_a_page(as_user, rt, world, arg):
    _drafts(rt, world, 60)
    r = as_user("admin1").get(f"/?drafts_page={arg}&notes_page={arg}")
    assert r.status_code == 200
    assert len(_section_titles(r.get_data(as_text=True), "drafts")) in (50, 10)


def test_unread_notifications_and_archive_page(as_user, rt, world):
    _notes(rt, world, "director1", 70)
    _notes(rt, world, "director1", 120, read=True)
    c = as_user("director1")
    home = c.get("/").get_data(as_text=True)
    assert 'data-test="notes-total">70<' in home
    assert "Извещение 000" in home and "Извещение 019" in home and "Извещение 020" not in home
    second = c.get("/?notes_page=2").get_data(as_text=True)
    assert "Извещение 020" in second and "Извещение 039" in second
    assert "Извещение 000" not in second and "Извещение 040" not in second
    last = c.get("/?notes_page=4").get_data(as_text=True)
    assert "Извещение 069" in last and last.count("Извещение") == 10
    archive = c.get("/notifications/archive").get_data(as_text=True)
    assert archive.count("Извещение") == 50 and "120" in archive
    last = c.get("/notifications/archive?page=3").get_data(as_text=True)
    assert "Извещение 119" in last and last.count("Извещение") == 20
    assert c.get("/notifications/archive?page=abc").status_code == 200


def test_documents_page_past_the_end_shows_the_last_page(as_user, rt, world):
    _drafts(rt, world, 25)
    html = as_user("admin1").get("/documents?page=40").get_data(as_text=True)
    assert "Документов не найдено" not in html
    assert 'class="page-link" href="/documents?page=2" aria-current="page"' in html
