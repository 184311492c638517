"""A page's links keep its own address: a query parameter named like a part of the path
(«/schools/2?org_id=abc») neither breaks the page (it answered 500 building the pager's
links) nor sends the pager or the column titles to another school."""

import re


def test_the_pager_keeps_the_schools_own_id(as_user, make_doc, world):
    for n in range(22):
        make_doc("under_municipal_review", title=f"Приказ {n:02d}")
    school = world.orgs["school1"]
    page = as_user("officer").get(f"/schools/{school}?org_id=abc&page=1")
    assert page.status_code == 200
    links = re.findall(r'class="page-link" href="([^"]+)"', page.get_data(as_text=True))
    assert links and all(link.startswith(f"/schools/{school}?") for link in links)
    other = world.orgs["school2"]
    page = as_user("officer").get(f"/schools/{school}?org_id={other}")
    links = re.findall(r'class="page-link" href="([^"]+)"', page.get_data(as_text=True))
    assert links and all(link.startswith(f"/schools/{school}?") for link in links)
