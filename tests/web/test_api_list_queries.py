"""The documents list of the API answers in a constant number of SQL statements, however
many schools and documents on approval it shows (an auditor or an officer reads a whole
municipality): the page, its total and the routes in one statement; the absences and the
minors for the page at once."""

from __future__ import annotations

import pytest


def _count(api, count_queries, user: str, url: str) -> tuple[int, int]:
    client = api.as_(user)
    assert client.get(url).status_code == 200  # warm first-use lookups
    with count_queries() as statements:
        r = client.get(url)
    assert r.status_code == 200
    return len(statements), r.get_json()["total"]


@pytest.mark.parametrize("user,url", [
    ("auditor", "/api/v1/documents?per_page=50"),
    ("officer", "/api/v1/documents?per_page=50"),
    ("director1", "/api/v1/documents?per_page=50&state=on_approval"),
])
def test_list_statements_do_not_grow_with_schools_and_documents(api, make_doc, count_queries,
                                                                 user, url):
    make_doc("on_approval")
    make_doc("under_municipal_review")
    small, shown_small = _count(api, count_queries, user, url)
    for state in ("on_approval", "under_municipal_review", "draft"):
        for org, author in (("school1", "admin1"), ("school2", "admin2")):
            make_doc(state, org=org, author=author)
            make_doc(state, org=org, author=author)
    large, shown_large = _count(api, count_queries, user, url)
    assert shown_large > shown_small
    assert large == small, f"{url} as {user}: {small} statements, then {large}"


def test_total_on_every_page_read_with_the_page(api, make_doc, count_queries):
    for _ in range(5):
        make_doc("draft")
    admin = api.as_("admin1")
    everything = admin.get("/api/v1/documents?per_page=200").get_json()["total"]
    assert everything >= 5
    per_page = everything - 2  # a full first page, a second page of two
    full, first = _count(api, count_queries, "admin1", f"/api/v1/documents?per_page={per_page}")
    short, second = _count(api, count_queries, "admin1",
                           f"/api/v1/documents?per_page={per_page}&page=2")
    assert first == second == everything
    assert short == full  # the count comes in the page's own statement, on any page
    past, beyond = _count(api, count_queries, "admin1",
                          f"/api/v1/documents?per_page={per_page}&page=9")
    assert beyond == everything and past == full + 1  # no rows to carry it: counted apart
    assert admin.get(f"/api/v1/documents?per_page={per_page}&page=9").get_json()["items"] == []
    assert len(admin.get(f"/api/v1/documents?per_page={per_page}&page=2").get_json()["items"]) == 2
