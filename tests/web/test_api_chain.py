"""What a newcomer does with curl: log in, create an order, walk the whole chain with the
director and the municipal officer, including a return and a revision; the history verifies."""


def _token(client, email, password):
    resp = client.post("/api/v1/auth/token", json={"email": email, "password": password})
    assert resp.status_code == 200, resp.get_json()
    return {"Authorization": f"Bearer {resp.get_json()['token']}"}


def test_full_chain_with_return_and_revision(client, world):
    from tests.conftest import PASSWORD

    admin = _token(client, world.email("admin1"), PASSWORD)
    director = _token(client, world.email("director1"), PASSWORD)
    officer = _token(client, world.email("officer"), PASSWORD)
    auditor = _token(client, world.email("auditor"), PASSWORD)
    created = client.post("/api/v1/documents", headers=admin, json={
        "kind": "order", "org_id": world.orgs["school1"],
        "title": "О внедрении целевой модели наставничества", "due": "2026-12-01",
        "fields": {"preamble": "В целях реализации", "clauses": [
            {"text": "Внедрить целевую модель наставничества.", "executor": "Куратор",
             "term": "до 01.12.2026"}]}})
    assert created.status_code == 201, created.get_json()
    doc = created.get_json()
    assert doc["state"] == "draft" and doc["version"] == 1 and doc["lock_version"] == 0
    assert doc["available_events"] == ["submit"]

    def fire(headers, event, comment=""):
        resp = client.post(f"/api/v1/documents/{doc['id']}/events/{event}", headers=headers,
                           json={"lock_version": doc["lock_version"], "comment": comment})
        assert resp.status_code == 200, (event, resp.get_json())
        return resp.get_json()

    doc = fire(admin, "submit")
    doc = fire(director, "approve")
    doc = fire(director, "sign")
    assert doc["registration_number"] == "1-од" and doc["signed_at"].endswith("Z")
    doc = fire(admin, "send_to_municipality")
    doc = fire(officer, "return_for_revision", "Не указаны сроки мониторинга.")
    assert doc["state"] == "returned"
    doc = fire(admin, "revise")
    assert doc["state"] == "draft" and doc["version"] == 2 and doc["registration_number"] is None
    patched = client.patch(f"/api/v1/documents/{doc['id']}", headers=admin, json={
        "lock_version": doc["lock_version"], "fields": {"clauses": [
            {"text": "Внедрить целевую модель наставничества.", "executor": "Куратор"},
            {"text": "Провести мониторинг в декабре и июне.", "executor": "Куратор"}]}})
    assert patched.status_code == 200, patched.get_json()
    doc = patched.get_json()
    doc = fire(admin, "submit")
    doc = fire(director, "approve")
    doc = fire(director, "sign")
    assert doc["registration_number"] == "2-од"
    doc = fire(admin, "send_to_municipality")
    doc = fire(officer, "accept")
    assert doc["state"] == "accepted" and doc["available_events"] == []

    history = client.get(f"/api/v1/documents/{doc['id']}/history", headers=auditor).get_json()
    assert [h["event"] for h in history] == [
        "create", "submit", "approve", "sign", "send_to_municipality", "return_for_revision",
        "revise", "edit", "submit", "approve", "sign", "send_to_municipality", "accept"]
    assert history[5]["comment"] == "Не указаны сроки мониторинга."
    assert all(h["prev_hash"] == p["hash"] for p, h in zip(history, history[1:]))
    assert history[5]["actor_name"] == "Пользователь officer"
    verify = client.get(f"/api/v1/audit/verify?org_id={world.orgs['school1']}", headers=auditor)
    assert verify.get_json()["ok"] is True

    # Both signed versions are frozen: their files hash to what the history recorded.
    import hashlib

    for version, sign_event in ((1, history[3]), (2, history[10])):
        resp = client.get(f"/api/v1/documents/{doc['id']}/versions/{version}/docx",
                          headers=auditor)
        assert resp.status_code == 200
        assert resp.mimetype == ("application/vnd.openxmlformats-officedocument."
                                 "wordprocessingml.document")
        assert hashlib.sha256(resp.data).hexdigest() == sign_event["content_sha256"]


def test_editing_after_signing_is_refused(make_doc, api):
    doc_id = make_doc("signed")
    client = api.as_("admin1")
    lock = client.get(f"/api/v1/documents/{doc_id}").get_json()["lock_version"]
    resp = client.patch(f"/api/v1/documents/{doc_id}", json={"lock_version": lock, "title": "X"})
    assert resp.status_code == 422 and resp.get_json()["error"]["code"] == "not_editable"


def test_stale_edit_is_a_conflict(make_doc, api):
    doc_id = make_doc("draft")
    client = api.as_("admin1")
    assert client.patch(f"/api/v1/documents/{doc_id}", json={"lock_version": 0,
                                                             "title": "Новое"}).status_code == 200
    resp = client.patch(f"/api/v1/documents/{doc_id}", json={"lock_version": 0, "title": "Снова"})
    assert resp.status_code == 409 and resp.get_json()["error"]["code"] == "stale_lock_version"


def test_bad_input_gets_clear_errors_never_500(api, world, make_doc):
    client = api.as_("admin1")
    org = world.orgs["school1"]
    cases = [
        ("post", "/api/v1/documents", {"data": "not json", "content_type": "text/plain"}, 400),
        ("post", "/api/v1/documents", {"json": []}, 400),
        ("post", "/api/v1/documents", {"json": {"kind": "poem", "org_id": org, "title": "x"}}, 400),
        ("post", "/api/v1/documents", {"json": {"kind": "order", "org_id": "1", "title": "x"}}, 400),
        ("post", "/api/v1/documents", {"json": {"kind": "order", "org_id": org, "title": ""}}, 400),
        ("post", "/api/v1/documents", {"json": {"kind": "order", "org_id": org, "title": "x",
                                                "fields": {"clauses": [{"text": ""}]}}}, 400),
        ("post", "/api/v1/documents", {"json": {"kind": "order", "org_id": org, "title": "x",
                                                "fields": {"unknown": 1}}}, 400),
        ("post", "/api/v1/documents", {"json": {"kind": "order", "org_id": org, "title": "x",
                                                "due": "31.12.2026"}}, 400),
        ("post", "/api/v1/documents", {"json": {"kind": "order", "org_id": 999999,
                                                "title": "x"}}, 404),
        ("post", "/api/v1/documents", {"json": {"kind": "order", "org_id": world.orgs["school3"],
                                                "title": "x"}}, 404),
        ("post", "/api/v1/documents", {"json": {"kind": "order", "org_id": org, "title": "x",
                                                "responsible_id": world.users["officer"]}}, 422),
        ("get", "/api/v1/documents?page=0", {}, 400),
        ("get", "/api/v1/documents?per_page=500", {}, 400),
        ("get", "/api/v1/documents?state=flying", {}, 400),
        ("get", "/api/v1/documents/999999", {}, 404),
        ("post", f"/api/v1/documents/{make_doc()}/events/fly", {"json": {"lock_version": 0}}, 404),
        ("post", f"/api/v1/documents/{make_doc()}/events/submit", {"json": {}}, 400),
        ("post", f"/api/v1/documents/{make_doc()}/events/submit",
         {"json": {"lock_version": "0"}}, 400),
    ]
    for method, url, kw, status in cases:
        resp = getattr(client, method)(url, **kw)
        assert resp.status_code == status, (url, kw, resp.get_json())
        error = resp.get_json()["error"]
        assert error["code"] and any("а" <= ch <= "я" for ch in error["message"].lower())


def test_lists_filter_and_page(api, make_doc, world):
    for _ in range(3):
        make_doc("draft")
    make_doc("signed", title="Об утверждении положения")
    client = api.as_("admin1")
    body = client.get("/api/v1/documents?per_page=2&page=1").get_json()
    assert body["total"] == 4 and len(body["items"]) == 2 and body["page"] == 1
    assert client.get("/api/v1/documents?state=signed").get_json()["total"] == 1
    assert client.get("/api/v1/documents?q=положения").get_json()["total"] == 1
    assert client.get("/api/v1/documents?q=1-од").get_json()["total"] == 1
    assert api.as_("admin2").get("/api/v1/documents").get_json()["total"] == 0
    assert api.as_("officer").get("/api/v1/documents").get_json()["total"] == 0


def test_overdue_filter(api, make_doc):
    from datetime import timedelta

    from workflow import clock

    make_doc("draft", due=clock.today() - timedelta(days=2))
    make_doc("draft", due=clock.today() + timedelta(days=2))
    make_doc("signed", due=clock.today() - timedelta(days=2))
    body = api.as_("admin1").get("/api/v1/documents?overdue=true").get_json()
    assert body["total"] == 1 and body["items"][0]["overdue"] is True
