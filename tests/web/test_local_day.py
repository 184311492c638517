"""The pages' dates and the product's "today" are the same day at any hour (see
tests/documents/test_clock.py)."""

from datetime import UTC, datetime

from documents import clock


def _at(moment: datetime):
    return clock.shifted(moment - datetime.now(UTC))


def test_a_page_dates_a_new_document_today(as_user, make_doc):
    """What the pages show as a document's date and what the product calls today agree,
    whatever the hour (the journal and «уже загружена» warnings compare them)."""
    with _at(datetime(2026, 12, 4, 22, 30, tzinfo=UTC)):
        doc = make_doc("draft")
        html = as_user("admin1").get(f"/documents/{doc}").get_data(as_text=True)
        assert clock.today().strftime("%d.%m.%Y") == "05.12.2026"
        assert "05.12.2026" in html and "04.12.2026" not in html


def test_a_day_filter_takes_the_day_the_pages_show(api, make_doc):
    """An event at 22:30 UTC on 4 December is shown as 5 December 01:30: the journal of
    events finds it on the 5th, not on the 4th."""
    with _at(datetime(2026, 12, 4, 22, 30, tzinfo=UTC)):
        doc = make_doc("draft")

    def found(day: str) -> set[int]:
        body = api.as_("auditor").get(
            f"/api/v1/audit/events?from={day}&to={day}&per_page=200").get_json()
        return {i["document_id"] for i in body["items"]}

    assert doc in found("2026-12-05")
    assert doc not in found("2026-12-04")


def test_a_visa_and_an_acknowledgement_are_dated_the_day_the_pages_show(as_user, make_doc, world,
                                                                       rt, actor):
    from tests.conftest import ORDER_FIELDS
    from workflow.notify import acquaintance

    with _at(datetime(2026, 12, 4, 22, 30, tzinfo=UTC)):
        fields = dict(ORDER_FIELDS, acquaintance_user_ids=[world.users["curator1"]])
        doc = make_doc("signed", fields=fields)
        acquaintance.acknowledge(rt, actor("curator1"), doc)
        html = as_user("director1").get(f"/documents/{doc}").get_data(as_text=True)
    visa = html.split('class="small ms-4 visa visa-approved"')[1].split("</div>")[0]
    assert "05.12.2026" in visa
    sheet = html.split("ознакомлен(а)")[1][:80]
    assert "05.12.2026" in sheet and "04.12.2026" not in html


def test_the_widest_day_filter_means_everything(api, make_doc):
    """From the first to the last day a date can hold: every event, not a server error."""
    doc = make_doc("draft")
    for path in ("audit/events", "audit/personal-data-reads"):
        r = api.as_("auditor").get(f"/api/v1/{path}?from=0001-01-01&to=9999-12-31")
        assert r.status_code == 200, (path, r.status_code)
    body = api.as_("auditor").get(
        "/api/v1/audit/events?from=0001-01-01&to=9999-12-31&per_page=200").get_json()
    assert doc in {i["document_id"] for i in body["items"]}
