"""Browser sessions end on the server after 8 hours idle and 7 days after login."""

from __future__ import annotations

from datetime import timedelta

from workflow import clock


def test_idle_session_expires_active_one_lives(as_user):
    c = as_user("admin1")
    assert c.get("/documents").status_code == 200
    with clock.shifted(timedelta(hours=7)):
        assert c.get("/documents").status_code == 200  # activity refreshes the session
    with clock.shifted(timedelta(hours=14)):
        assert c.get("/documents").status_code == 200
    with clock.shifted(timedelta(hours=23)):
        assert c.get("/documents").status_code == 302  # 9 h idle: back to the login page


def test_session_ends_seven_days_after_login_however_active(as_user):
    c = as_user("admin1")
    for hours in range(6, 7 * 24, 6):
        with clock.shifted(timedelta(hours=hours)):
            assert c.get("/documents").status_code == 200, hours
    with clock.shifted(timedelta(days=7, hours=1)):
        r = c.get("/documents")
        assert r.status_code == 302 and "/login" in r.headers["Location"]
