"""The documents list of the API answers in a constant number of SQL statements, however
many schools and documents on approval it shows (an auditor or an officer reads a whole
municipality): the routes, the absences and the minors are read for the page at once."""

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
