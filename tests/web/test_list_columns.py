"""Lists sort by their column titles both ways, keep the sort in page links, page beyond
their first screen, and answer nonsense sort keys and page numbers with the defaults
(issue 13: registers, users, registration journal, audit events, roadmaps, compliance)."""

from __future__ import annotations

import re

import pytest

from documents.models import Person
from documents.models.people import PersonCategory


def _people(rt, world, names: list[str], org: str = "school1") -> None:
    with rt.db.write_session() as s:
        s.add_all([Person(org_id=world.orgs[org], full_name=n, category=PersonCategory.teacher,
                          position="учитель", experience_years=i % 30)
                   for i, n in enumerate(names)])


def _person_names(html: str) -> list[str]:
    return re.findall(r'<tr data-person="\d+">\s*<td[^>]*>\d+</td>\s*<td>([^<]+)</td>', html)


def test_registers_sort_by_name_both_ways_and_page(as_user, rt, world):
    _people(rt, world, [f"Учитель {i:03d}" for i in range(130)])
    c = as_user("admin1")
    base = f"/registers/?org_id={world.orgs['school1']}"
    first = c.get(base + "&sort=name").get_data(as_text=True)
    names = _person_names(first)
    assert len(names) == 100 and names[0] == "Учитель 000"
    assert 'aria-sort="ascending"' in first and "ФИО ↑" in first
    assert re.search(r'href="/registers/\?[^"]*page=2[^"]*"', first)
    link = re.search(r'href="(/registers/\?[^"]*page=2[^"]*)"', first).group(1)
    assert "sort=name" in link  # the sort is kept in the page links
    second = c.get(link.replace("&amp;", "&")).get_data(as_text=True)
    assert _person_names(second) == [f"Учитель {i:03d}" for i in range(100, 130)]
    assert '>101</td>' in second  # numbering goes on
    desc = _person_names(c.get(base + "&sort=-name").get_data(as_text=True))
    assert desc[0] == "Учитель 129" and "ФИО ↓" in c.get(base + "&sort=-name").get_data(
        as_text=True)


def test_users_list_sorts_by_email_both_ways(as_user, world):
    c = as_user("sysadmin")
    emails = lambda html: re.findall(r"<td>([a-z0-9]+@test\.local)</td>", html)
    up = emails(c.get("/admin/users?active=all&sort=email").get_data(as_text=True))
    down = emails(c.get("/admin/users?active=all&sort=-email").get_data(as_text=True))
    assert len(up) >= 5 and up == sorted(up) and down == list(reversed(up))


def test_journal_sorts_by_title_both_ways(as_user, make_doc, world):
    make_doc("signed", title="Б О кураторе")
    make_doc("signed", title="А О наставниках")
    c = as_user("director1")
    base = f"/journal?org_id={world.orgs['school1']}"

    def titles(q: str) -> list[str]:
        body = c.get(base + q).get_data(as_text=True).split('data-test="journal"')[1]
        return re.findall(r"<td>([АБ] О [^<]+)</td>", body)

    assert titles("") == ["Б О кураторе", "А О наставниках"]  # registration order
    assert titles("&sort=title") == ["А О наставниках", "Б О кураторе"]
    assert titles("&sort=-title") == ["Б О кураторе", "А О наставниках"]


def test_audit_events_sort_by_actor_both_ways(as_user, make_doc):
    make_doc("approved")  # events by admin1 and director1
    c = as_user("auditor")

    def actors(q: str) -> list[str]:
        return re.findall(r'data-test="actor">([^<]+)<', c.get("/audit/" + q).get_data(
            as_text=True))

    up, down = actors("?sort=actor"), actors("?sort=-actor")
    assert len(set(up)) >= 2 and up == sorted(up) and down == sorted(up, reverse=True)
    page = c.get("/audit/").get_data(as_text=True)
    assert 'data-sort="at" href="/audit/?sort=at"' in page and "Когда ↓" in page  # default


@pytest.mark.parametrize("user,url", [
    ("admin1", "/documents"), ("admin1", "/registers/"), ("sysadmin", "/admin/users"),
    ("director1", "/journal"), ("auditor", "/audit/"), ("sysadmin", "/admin/log"),
    ("admin1", "/roadmaps/"), ("officer", "/compliance/"), ("director1", "/"),
    ("director1", "/notifications/archive"), ("officer", "/schools"),
])
@pytest.mark.parametrize("query", [
    "sort=drop%20table", "sort=--title", "sort=-", "sort=title-", "page=0", "page=abc",
    "page=500&sort=-name", "page=1000000", "pairs_page=x", "drafts_page=-",
    "year=99999", "category=nonsense",
])
def test_nonsense_sort_and_page_answer_200(as_user, user, url, query):
    sep = "&" if "?" in url else "?"
    r = as_user(user).get(f"{url}{sep}{query}")
    assert r.status_code == 200, (url, query, r.status_code)


@pytest.mark.parametrize("query", ["page=-1", "page=99999999999999999999"])
def test_page_numbers_out_of_range_are_a_clear_400(as_user, query):
    """The input guard's rule for every integer argument (test_bad_input_corpus)."""
    r = as_user("admin1").get(f"/registers/?{query}")
    assert r.status_code == 400 and "page" in r.get_data(as_text=True)


def test_register_pickers_offer_people_beyond_the_page_shown(as_user, rt, world):
    """The consent and pair pickers list the whole school, not the 100 rows on screen nor
    only the category the list is filtered by."""
    _people(rt, world, [f"Учитель {i:03d}" for i in range(130)])
    c = as_user("admin1")
    html = c.get(f"/registers/?org_id={world.orgs['school1']}&sort=name&category=student"
                 ).get_data(as_text=True)
    consent = html.split('name="person_id"', 1)[1].split("</select>", 1)[0]
    assert "Учитель 129" in consent and consent.count("<option") == 130
    mentor = html.split('name="mentor_id"', 1)[1].split("</select>", 1)[0]
    assert "Учитель 000" in mentor and "Учитель 129" in mentor
