"""A refused register form keeps what was typed and shows the error by its input
(issue 13, defect 6), and date inputs accept DD.MM.YYYY (defect 4)."""

from __future__ import annotations

import re
from datetime import timedelta

from tests.web.test_ui_pages import csrf_of
from workflow import clock


def _post(c, world, url, **data):
    data.update(csrf_token=csrf_of(c, f"/registers/?org_id={world.orgs['school1']}"),
                org_id=world.orgs["school1"])
    return c.post(url, data=data)


def test_a_refused_person_keeps_the_input_and_says_which_field(as_user, world):
    c = as_user("admin1")
    future = (clock.today() + timedelta(days=400)).strftime("%d.%m.%Y")
    r = _post(c, world, "/registers/people", full_name="Смирнова Анна Петровна",
              category="teacher", position="учитель математики", experience_years="17",
              birth_date=future)
    html = r.get_data(as_text=True)
    assert r.status_code == 400
    assert 'value="Смирнова Анна Петровна"' in html and 'value="учитель математики"' in html
    assert 'value="17"' in html and 'value="teacher" selected' in html
    error = re.search(r'data-error="(\w+)">([^<]+)<', html)
    assert error and error.group(1) == "birth_date" and "рождения" in error.group(2)
    assert "alert-danger" not in html.split("<main")[1].split("Добавить человека")[0]


def test_a_dd_mm_yyyy_date_is_accepted_and_shown_back_the_same_way(as_user, world):
    c = as_user("admin1")
    r = _post(c, world, "/registers/people", full_name="Петров Пётр", category="teacher",
              experience_years="21", birth_date="05.03.1980")
    assert r.status_code == 302
    page = c.get(r.headers["Location"]).get_data(as_text=True)
    assert "Петров Пётр" in page and "21\u00a0год" in page


def test_an_unreadable_date_is_named_by_its_field(as_user, world):
    r = _post(as_user("admin1"), world, "/registers/people", full_name="Иванов Иван",
              category="teacher", birth_date="1980/03/05")
    html = r.get_data(as_text=True)
    assert r.status_code == 400 and 'data-error="birth_date"' in html
    assert "ДД.ММ.ГГГГ" in html and 'value="Иванов Иван"' in html
