"""The registration journal and the document card (РКК) as printable pages (issue 13)."""

from __future__ import annotations

import re

from workflow import clock


def test_journal_lists_registered_documents(as_user, make_doc, world):
    make_doc("signed", title="О наставничестве")
    make_doc("accepted", title="Положение о мотивации", kind="order")
    make_doc("draft", title="Черновик не в журнале")
    c = as_user("director1")
    html = c.get(f"/journal?org_id={world.orgs['school1']}").get_data(as_text=True)
    table = html.split('data-test="journal"')[1].split("</table>")[0]
    assert "№ 1-од" in table and "№ 2-од" in table and "Черновик" not in table
    assert clock.today().strftime("%d.%m.%Y") in table and "Пользователь director1" in table
    assert not re.search(r"\d{4}-\d{2}-\d{2}", re.sub(r"<[^>]+>", "", table))
    assert "@media print" in c.get("/static/css/app.css").get_data(as_text=True)
    other = as_user("director2").get(f"/journal?org_id={world.orgs['school1']}")
    assert other.status_code == 404


def test_registration_card(as_user, make_doc):
    doc = make_doc("signed", title="О кураторе")
    html = as_user("admin1").get(f"/documents/{doc}/card").get_data(as_text=True)
    card = html.split('data-test="rkk"')[1].split("</table>")[0]
    assert "№ 1-од" in card and "О кураторе" in card and "Пользователь director1" in card
    assert "Подписан и зарегистрирован" in html
    assert as_user("admin2").get(f"/documents/{doc}/card").status_code == 404


def test_the_whole_year_prints_on_one_page(as_user, make_doc, world, monkeypatch):
    from workflow.engine import journal_view

    monkeypatch.setattr(journal_view, "PER_PAGE", 2)
    for n in range(3):
        make_doc("signed", title=f"Приказ {n}")
    c = as_user("director1")
    paged = c.get(f"/journal?org_id={world.orgs['school1']}").get_data(as_text=True)
    assert "№ 3-од" not in paged.split('data-test="journal"')[1].split("</table>")[0]
    link = re.search(r'href="([^"]+)" data-test="whole-year"', paged).group(1)
    whole = c.get(link.replace("&amp;", "&")).get_data(as_text=True)
    table = whole.split('data-test="journal"')[1].split("</table>")[0]
    assert all(f"№ {n}-од" in table for n in (1, 2, 3))
    assert 'data-test="whole-year"' not in whole
