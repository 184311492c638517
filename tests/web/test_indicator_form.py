"""A page form for entering indicators (issue 13): the school types «33,3» and sees
«33,3 %»; a reader without the right has no form."""

from __future__ import annotations

from tests.web.test_ui_pages import csrf_of
from workflow import clock


def test_school_enters_a_target_by_the_form(as_user, world):
    school, year = world.orgs["school1"], clock.today().year
    c = as_user("curator1")
    page = c.get(f"/compliance/school/{school}?year={year}").get_data(as_text=True)
    assert 'data-test="indicator-form"' in page
    r = c.post(f"/compliance/school/{school}/indicators", data={
        "csrf_token": csrf_of(c, f"/compliance/school/{school}"), "year": str(year),
        "code": "student_coverage", "name": "", "unit": "%", "target": "33,3"})
    assert r.status_code == 302
    page = c.get(f"/compliance/school/{school}?year={year}").get_data(as_text=True)
    assert "33,3&nbsp;%" in page and "Показатель сохранён" in page
    r = c.post(f"/compliance/school/{school}/indicators", data={
        "csrf_token": csrf_of(c, f"/compliance/school/{school}"), "year": str(year),
        "code": "student_coverage", "target": "много"})
    assert "не число" in c.get(r.headers["Location"]).get_data(as_text=True)


def test_officer_reads_without_a_form(as_user, world):
    page = as_user("officer").get(f"/compliance/school/{world.orgs['school1']}")
    assert page.status_code == 200 and 'data-test="indicator-form"' not in page.get_data(
        as_text=True)
