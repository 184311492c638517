def test_order_walks_to_accepted(make_doc, api):
    doc_id = make_doc("accepted")
    body = api.as_("admin1").get(f"/api/v1/documents/{doc_id}").get_json()
    assert body["state"] == "accepted"
    assert body["registration_number"] == "1-од"
