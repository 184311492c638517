"""Notifications name the school, go away once the document has moved on, and «Прочитать
все» keeps them in an archive (issue 13, defect 11)."""

from __future__ import annotations

from tests.web.test_ui_pages import csrf_of
from workflow.engine.transition import apply_event


def test_notice_names_the_school_and_is_put_away_when_done(as_user, make_doc, rt, actor):
    doc = make_doc("on_approval", title="О кураторе")
    director = as_user("director1")
    home = director.get("/").get_data(as_text=True)
    assert "ждёт вашего утверждения" in home and "МБОУ «Школа №\u00a01»" in home  # «№» with its number
    apply_event(rt, doc, "approve", actor("director1"))
    home = director.get("/").get_data(as_text=True)
    assert "ждёт вашего утверждения" not in home  # the task is done
    assert "утверждён и ждёт подписи" not in home  # one's own act is no news
    archive = director.get("/notifications/archive").get_data(as_text=True)
    assert "«О кураторе» ждёт вашего утверждения" in archive


def test_the_director_is_told_what_the_deputy_approved(as_user, make_doc, rt, world, actor):
    from datetime import timedelta

    from workflow import clock
    from workflow.engine.substitutions import create_substitution

    doc = make_doc("on_approval", title="О кураторе")
    today = clock.today()
    create_substitution(rt, actor("director1"), org_id=world.orgs["school1"],
                        absent_id=world.users["director1"], deputy_id=world.users["curator1"],
                        start=today, end=today + timedelta(days=3), reason="Отпуск")
    apply_event(rt, doc, "approve", actor("curator1"))  # и. о. директора
    home = as_user("director1").get("/").get_data(as_text=True)
    assert "«О кураторе» утверждён и ждёт подписи" in home  # back from leave: news


def test_read_all_keeps_an_archive(as_user, make_doc):
    make_doc("on_approval", title="О наставниках")
    director = as_user("director1")
    r = director.post("/notifications/read-all", data={"csrf_token": csrf_of(director, "/")})
    assert r.status_code == 302
    assert "ждёт вашего утверждения" not in director.get("/").get_data(as_text=True)
    archive = director.get("/notifications/archive").get_data(as_text=True)
    assert "«О наставниках» ждёт вашего утверждения" in archive and "МБОУ «Школа №\u00a01»" in archive
