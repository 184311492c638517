"""An address typed by hand opens its page with or without the last slash, pages and API
alike (it answered 404 for «/documents/», whose page lives at «/documents»)."""

import pytest


@pytest.mark.parametrize(("url", "shown"), [
    ("/documents/", "О наставничестве"), ("/documents", "О наставничестве"),
    ("/audit", "Журнал событий"), ("/audit/", "Журнал событий")])
def test_a_page_opens_with_or_without_its_last_slash(as_user, make_doc, url, shown):
    make_doc("on_approval")
    response = as_user("auditor").get(url)
    assert response.status_code == 200 and shown in response.get_data(as_text=True)


def test_the_api_list_answers_with_its_last_slash_too(api, make_doc):
    doc_id = make_doc("on_approval")
    body = api.as_("admin1").get("/api/v1/documents/").get_json()
    assert doc_id in [d["id"] for d in body["items"]]
    missing = api.as_("admin1").get("/api/v1/no-such-thing/")
    assert missing.status_code == 404 and missing.is_json
