"""The documents list sorts by its column titles, both ways, and keeps the filters
(issue 13: lists with sortable columns)."""

from __future__ import annotations

import re
from datetime import timedelta

from workflow import clock


def _titles(html: str) -> list[str]:
    body = html.split('doc-table')[1].split("</table>")[0]
    return re.findall(r'class="fw-semibold">([^<]+)</a>', body)


def test_sort_by_title_and_due_both_ways(as_user, make_doc):
    today = clock.today()
    make_doc(title="Б приказ", due=today + timedelta(days=5))
    make_doc(title="А приказ", due=today + timedelta(days=9))
    make_doc(title="В приказ")
    c = as_user("admin1")
    assert _titles(c.get("/documents?sort=title").get_data(as_text=True)) == [
        "А приказ", "Б приказ", "В приказ"]
    assert _titles(c.get("/documents?sort=-title").get_data(as_text=True)) == [
        "В приказ", "Б приказ", "А приказ"]
    page = c.get("/documents?sort=due&q=приказ").get_data(as_text=True)
    assert _titles(page) == ["Б приказ", "А приказ", "В приказ"]  # no due date last
    assert 'data-sort="due" href="/documents?sort=-due&amp;q=' in page  # toggles, keeps q
    # the filter form (its order chooser, a phone's only way to sort) keeps the order too
    assert '<option value="due" selected>' in page
    page = c.get("/documents?sort=-title").get_data(as_text=True)
    assert re.search(r'<option value="-title" selected>[^<]+</option>', page)
    assert _titles(c.get("/documents?sort=nonsense").get_data(as_text=True))  # ignored
