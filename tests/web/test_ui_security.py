"""Browser-session security: CSRF, headers, cookies, safe `next`, rate limit, revocation."""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest

from tests.conftest import PASSWORD
from tests.web.test_ui_pages import csrf_of, login


def test_post_without_csrf_token_is_refused(app, world):
    c = app.test_client()
    r = c.post("/login", data={"email": "admin1@test.local", "password": PASSWORD})
    assert r.status_code == 400
    login(c, "admin1")
    for url in ("/logout", "/notifications/read-all", "/language", "/documents/1/events/approve"):
        assert c.post(url, data={}).status_code == 400, url


def test_security_headers_on_pages(app, world):
    c = app.test_client()
    for url in ("/login", "/static/css/app.css"):
        h = c.get(url).headers
        assert "script-src 'self'" in h["Content-Security-Policy"]
        assert "style-src 'self'" in h["Content-Security-Policy"]
        assert h["X-Frame-Options"] == "DENY"
        assert h["X-Content-Type-Options"] == "nosniff"
        assert h["Referrer-Policy"] == "same-origin"
    login(c, "director1")
    h = c.get("/").headers
    assert "frame-ancestors 'none'" in h["Content-Security-Policy"]


def test_pages_have_no_inline_scripts_or_styles(app, world, make_doc):
    doc = make_doc("on_approval")
    c = app.test_client()
    login(c, "director1")
    for url in ("/", "/documents", f"/documents/{doc}", "/kinds/order", "/profile",
                f"/documents/new/order?org_id={world.orgs['school1']}"):
        html = c.get(url).get_data(as_text=True)
        assert " style=" not in html, url
        assert "<script>" not in html and "<style" not in html, url
        assert "onclick=" not in html, url


def test_session_cookie_flags(app, world):
    c = app.test_client()
    r = login(c, "admin1")
    cookie = next(v for k, v in r.headers.items() if k == "Set-Cookie" and "session=" in v)
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie


@pytest.mark.parametrize("target", ["//evil.com", "/\\evil.com", "https:evil.com",
                                    "http://evil.com", "\\\\evil.com", "/%2F%2Fevil.com",
                                    "javascript:alert(1)", "///evil.com", " //evil.com"])
def test_next_stays_on_our_host(app, world, target):
    c = app.test_client()
    token = csrf_of(c, "/login")
    r = c.post("/login", data={"email": "admin1@test.local", "password": PASSWORD,
                               "csrf_token": token, "next": target})
    assert r.status_code == 302
    location = r.headers["Location"]
    parts = urlsplit(location)
    assert parts.netloc in ("", "localhost"), location
    assert not location.lower().startswith(("javascript:", "//", "/\\")), location
    assert "evil.com" not in parts.netloc


def test_next_on_our_host_is_followed(app, world):
    c = app.test_client()
    token = csrf_of(c, "/login")
    r = c.post("/login", data={"email": "admin1@test.local", "password": PASSWORD,
                               "csrf_token": token, "next": "/documents?state=draft"})
    assert r.headers["Location"].endswith("/documents?state=draft")


def test_login_rate_limit_gives_a_russian_page(app, world):
    c = app.test_client()
    token = csrf_of(c, "/login")
    codes = []
    for _ in range(12):
        r = c.post("/login", data={"email": "nobody-ratelimit@test.local", "password": "x",
                                   "csrf_token": token})
        codes.append(r.status_code)
    assert codes[0] == 401 and codes[-1] == 429
    page = r.get_data(as_text=True)
    assert "Слишком много" in page and 'lang="ru"' in page


def test_logout_kills_the_session_cookie_replay(app, world):
    c = app.test_client()
    login(c, "admin1")
    cookie = c.get_cookie("session").value
    assert c.get("/").status_code == 200
    c.post("/logout", data={"csrf_token": csrf_of(c, "/")})
    replay = app.test_client()
    replay.set_cookie("session", cookie)
    r = replay.get("/")
    assert r.status_code == 302 and "/login" in r.headers["Location"]


def test_password_change_kills_other_sessions(app, world, rt):
    from workflow import accounts

    first, second = app.test_client(), app.test_client()
    login(first, "curator2")
    login(second, "curator2")
    assert second.get("/").status_code == 200
    new = "another-long-password"
    r = first.post("/profile/password", data={"csrf_token": csrf_of(first, "/profile/password"),
                                              "old": PASSWORD, "new": new, "repeat": new})
    assert r.status_code == 302
    try:
        assert second.get("/").status_code == 302  # the other browser is logged out
        assert first.get("/").status_code == 302
        assert login(app.test_client(), "curator2", new).status_code == 302
    finally:
        accounts.change_password(rt, world.users["curator2"], new, PASSWORD)


def test_read_only_auditor_gets_no_action_buttons(app, world, make_doc):
    doc = make_doc("signed")
    c = app.test_client()
    login(c, "auditor")
    html = c.get(f"/documents/{doc}").get_data(as_text=True)
    assert "/events/" not in html and "/edit" not in html
    token = csrf_of(c, "/")
    r = c.post(f"/documents/{doc}/events/cancel",
               data={"csrf_token": token, "lock_version": 3, "comment": "x"},
               follow_redirects=True)
    assert "нет права" in r.get_data(as_text=True)  # refused with a flash
    assert c.get(f"/documents/{doc}/edit").status_code == 403
