"""Tokens, bad credentials, the login rate limit and the demo password rule."""


from tests.conftest import PASSWORD


def test_token_and_me(client, world):
    resp = client.post("/api/v1/auth/token", json={"email": world.email("director1"),
                                                   "password": PASSWORD})
    assert resp.status_code == 200
    body = resp.get_json()
    assert body["user"]["email"] == world.email("director1")
    me = client.get("/api/v1/me", headers={"Authorization": f"Bearer {body['token']}"})
    assert me.get_json()["grants"] == [{"role": "director", "org_id": world.orgs["school1"]}]


def test_bad_credentials_and_bad_tokens(client, world):
    resp = client.post("/api/v1/auth/token", json={"email": world.email("director1"),
                                                   "password": "wrong"})
    assert resp.status_code == 401 and resp.get_json()["error"]["code"] == "invalid_credentials"
    assert client.post("/api/v1/auth/token", json={"email": 5}).status_code == 400
    assert client.get("/api/v1/me", headers={"Authorization": "Bearer nope"}).status_code == 401
    assert client.get("/api/v1/documents").status_code == 401


def test_failed_logins_are_rate_limited_per_account(app, world):
    client = app.test_client()
    email = world.email("curator2")
    statuses = [client.post("/api/v1/auth/token", json={"email": email, "password": "bad"},
                            environ_base={"REMOTE_ADDR": f"10.0.0.{i}"}).status_code
                for i in range(12)]
    assert statuses[:10] == [401] * 10 and statuses[10:] == [429, 429]
    body = client.post("/api/v1/auth/token", json={"email": email, "password": PASSWORD},
                       environ_base={"REMOTE_ADDR": "10.0.1.1"})
    assert body.status_code == 429 and body.get_json()["error"]["code"] == "too_many_requests"


def test_demo_password_only_in_demo_mode(rt, world):
    from workflow import accounts
    from workflow.accounts import DEMO_PASSWORD

    with rt.db.write_session() as s:
        accounts.create_user(s, email="demo-user@test.local", full_name="Демо",
                             password=DEMO_PASSWORD)
    with rt.db.read_session() as s:
        assert accounts.authenticate(s, "demo-user@test.local", DEMO_PASSWORD,
                                     demo_mode=False) is None
        assert accounts.authenticate(s, "demo-user@test.local", DEMO_PASSWORD,
                                     demo_mode=True) is not None


def test_password_change_revokes_tokens(rt, world, client):
    from workflow import accounts

    with rt.db.write_session() as s:
        user = accounts.create_user(s, email="changer@test.local", full_name="Смена",
                                    password=PASSWORD)
        user_id = user.id
    token = accounts.issue_token(rt, user_id)
    headers = {"Authorization": f"Bearer {token}"}
    assert client.get("/api/v1/me", headers=headers).status_code == 200
    accounts.change_password(rt, user_id, PASSWORD, "a-new-long-password")
    assert client.get("/api/v1/me", headers=headers).status_code == 401


def test_healthz_and_openapi(client):
    assert client.get("/healthz").get_json() == {"status": "ok", "database": "ok"}
    spec = client.get("/api/v1/openapi.json").get_json()
    assert spec["openapi"].startswith("3.")
    assert "/api/v1/documents/{id}/events/{event}" in spec["paths"]
    served = {r.rule for r in client.application.url_map.iter_rules()
              if r.rule.startswith("/api/v1/")}
    assert len(spec["paths"]) >= len(served) - 1  # every route is described


def test_one_account_counter_across_form_and_api(app, world):
    """Failures on /login and on /api/v1/auth/token draw on one counter per account."""
    from tests.web.test_ui_security import csrf_of

    email = world.email("director3")
    form = app.test_client()
    token = csrf_of(form, "/login")
    for i in range(6):
        r = form.post("/login", data={"email": email, "password": "bad", "csrf_token": token},
                      environ_base={"REMOTE_ADDR": f"10.2.0.{i}"})
        assert r.status_code == 401
    api = app.test_client()
    statuses = [api.post("/api/v1/auth/token", json={"email": email, "password": "bad"},
                         environ_base={"REMOTE_ADDR": f"10.2.1.{i}"}).status_code
                for i in range(6)]
    assert statuses == [401] * 4 + [429] * 2


def test_one_address_failing_does_not_lock_out_other_accounts(app, world):
    """A school behind one NAT: many failures from its address slow it down, but correct
    credentials of other accounts still get in."""
    app.config["LOGIN_IP_DELAY_SECONDS"] = 0.01
    client = app.test_client()
    nat = {"REMOTE_ADDR": "10.3.3.3"}
    for i in range(40):
        client.post("/api/v1/auth/token", json={"email": f"typo{i}@test.local",
                                                "password": "bad"}, environ_base=nat)
    ok = client.post("/api/v1/auth/token", json={"email": world.email("admin3"),
                                                 "password": PASSWORD}, environ_base=nat)
    assert ok.status_code == 200 and ok.get_json()["token"]


def test_authentication_comes_before_body_validation(app):
    client = app.test_client()
    for method, url in (("post", "/api/v1/documents"), ("patch", "/api/v1/documents/1"),
                        ("post", "/api/v1/people"), ("post", "/api/v1/documents/1/events/x")):
        r = getattr(client, method)(url, data="{not json", content_type="application/json")
        assert r.status_code == 401, url
        assert r.get_json()["error"]["code"] == "not_authenticated"
