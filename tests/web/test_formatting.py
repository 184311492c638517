"""One formatter for dates, numbers and counted nouns (issue 13, defects 4 and 10)."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from web.views.formatting import parse_date, plural, ru_date, ru_dates, ru_number, ru_percent

NB = "\u00a0"


def test_dates_read_as_people_write_them():
    assert ru_date(date(2026, 12, 3)) == "03.12.2026"
    assert ru_date("2026-12-03") == "03.12.2026"
    assert ru_date(datetime(2026, 12, 2, 22, 30, tzinfo=UTC)) == "03.12.2026"  # Moscow time
    assert ru_date("2026-12-02T22:30:00+00:00") == "03.12.2026"
    assert ru_date(None) == ""
    assert ru_dates("Срок 2026-12-03 истёк; подписан 2026-12-02T22:30:00Z") == \
        "Срок 03.12.2026 истёк; подписан 03.12.2026"


def test_date_inputs_accept_dd_mm_yyyy():
    assert parse_date("03.12.2026") == date(2026, 12, 3)
    assert parse_date(" 3.2.2027 ") == date(2027, 2, 3)
    assert parse_date("2026-12-03") == date(2026, 12, 3)
    assert parse_date("") is None
    with pytest.raises(ValueError, match="ДД.ММ.ГГГГ"):
        parse_date("12/03/2026")
    with pytest.raises(ValueError):
        parse_date("31.02.2026")


@pytest.mark.parametrize(("n", "text"), [
    (1, "1 событие"), (2, "2 события"), (5, "5 событий"), (11, "11 событий"),
    (21, "21 событие"), (22, "22 события"), (42, "42 события"), (112, "112 событий"),
    (1.5, "1,5 события"), (1000, "1 000 событий")])
def test_russian_plural(n, text):
    assert plural(n, "событие", "события", "событий") == text.replace(" ", NB).replace(
        f"1{NB}000", f"1{NB}000")


def test_years_and_numbers():
    assert plural(17, "год", "года", "лет") == f"17{NB}лет"
    assert plural(21, "год", "года", "лет") == f"21{NB}год"
    assert ru_number(20.0) == "20"
    assert ru_number(33.333) == "33,3"
    assert ru_number(None) == "—"
    assert ru_percent(33.333) == f"33,3{NB}%"
    assert ru_percent(20.0) == f"20{NB}%"


def test_filters_are_registered_for_every_template(app):
    with app.test_request_context():
        env = app.jinja_env
        for name in ("ru_date", "ru_datetime", "ru_dates", "ru_number", "ru_percent", "plural"):
            assert name in env.filters
        assert env.from_string('{{ 42|plural("событие", "события", "событий") }}').render() \
            == f"42{NB}события"


@pytest.mark.parametrize(("size", "text"), [
    (0, "0 Б"), (99, "99 Б"), (100, "0,1 КБ"), (1536, "1,5 КБ"), (10 * 1024, "10 КБ"),
    (2_500_000, "2,4 МБ"), (None, "—")])
def test_file_sizes_with_a_russian_comma(size, text):
    from web.views.formatting import file_size

    assert file_size(size) == text.replace(" ", NB)


def test_evidence_file_size_on_the_item_page(api, world, as_user):
    from tests.web.test_roadmap_items_api import PNG, _d, import_roadmap, items_of, upload

    rid = import_roadmap(api.as_("officer"), world.orgs["muni"], [
        {"number": "1", "activity": "Провести педсовет", "deadline_text": f"до {_d(25)}",
         "responsible_text": "Руководители ОО"}])["id"]
    doc = {a["org_id"]: a["document_id"]
           for a in items_of(api.as_("officer"), rid)["1"]["assignments"]}[world.orgs["school1"]]
    png = PNG + b"\x00" * (150 - len(PNG))
    assert upload(api.as_("admin1"), doc, png, "фото.png").status_code == 201
    html = as_user("admin1").get(f"/documents/{doc}").get_data(as_text=True)
    # the size only (a date such as 30.12 holds "0.1" too)
    assert f"(0,1{NB}КБ)" in html and f"0.1{NB}КБ" not in html and "0.1 КБ" not in html
