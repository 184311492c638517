"""«Мои задачи»: a document on a route waits for the participants of its current stage (and
the deputy of an absent one), not for people of later stages."""

from datetime import timedelta

from workflow import clock
from workflow.engine.routes import put_route
from workflow.engine.substitutions import create_substitution
from workflow.notify.inbox import inbox, nav_counts


def _to_approve(rt, actor, user):
    with rt.db.read_session() as s:
        return [t.doc.id for t in inbox(s, actor(user)).section("to_approve")]


def test_visas_wait_in_the_inbox_of_current_stage_participants(rt, world, actor, make_doc):
    put_route(rt, actor("director1"), world.orgs["school1"], "order", [
        {"title": "Куратор", "mode": "any", "participants": [{"user_id": world.users["curator1"]}]},
        {"title": "Директор", "mode": "any", "participants": [{"role": "director"}]}])
    doc = make_doc("draft")
    from workflow.engine.transition import apply_event

    apply_event(rt, doc, "submit", actor("admin1"))
    assert _to_approve(rt, actor, "curator1") == [doc]
    assert _to_approve(rt, actor, "director1") == []
    apply_event(rt, doc, "approve", actor("curator1"))
    assert _to_approve(rt, actor, "curator1") == []
    assert _to_approve(rt, actor, "director1") == [doc]
    today = clock.today()
    create_substitution(rt, actor("director1"), org_id=world.orgs["school1"],
                        absent_id=world.users["director1"], deputy_id=world.users["admin1"],
                        start=today, end=today + timedelta(days=3), reason="Отпуск")
    assert _to_approve(rt, actor, "admin1") == [doc]  # the deputy sees the director's visa
    with rt.db.read_session() as s:
        assert nav_counts(s, actor("admin1")).tasks >= 1


def test_collegial_stage_waits_for_the_secretary(rt, actor, make_doc):
    doc = make_doc("on_approval", kind="regulation",
                   fields={"sections": [{"title": "Общие", "text": "Текст."}]})
    assert doc in _to_approve(rt, actor, "admin1")
    assert _to_approve(rt, actor, "director1") == []


def test_the_deputy_sees_what_awaits_the_directors_signature(rt, world, actor, make_doc):
    doc = make_doc("approved")
    with rt.db.read_session() as s:
        assert doc not in [t.doc.id for t in inbox(s, actor("curator1")).section("to_sign")]
    today = clock.today()
    create_substitution(rt, actor("director1"), org_id=world.orgs["school1"],
                        absent_id=world.users["director1"], deputy_id=world.users["curator1"],
                        start=today, end=today + timedelta(days=3), reason="Отпуск")
    with rt.db.read_session() as s:
        assert doc in [t.doc.id for t in inbox(s, actor("curator1")).section("to_sign")]


def test_navigation_counts_after_the_inbox_are_the_inbox_numbers(rt, actor, make_doc):
    """The home page reads the inbox, then its navigation bar: the bar takes the inbox's
    totals (no second count), and they are what a count of its own gives."""
    for state in ("draft", "draft", "returned", "on_approval"):
        make_doc(state)
    with rt.db.read_session() as s:
        alone = nav_counts(s, actor("admin1"))
    with rt.db.read_session() as s:
        box = inbox(s, actor("admin1"))
        after = nav_counts(s, actor("admin1"))
    assert alone.tasks == after.tasks == sum(box.totals.values()) >= 3
    assert alone.overdue == after.overdue == box.overdue
    assert alone.unread == after.unread == box.notifications_total


def test_a_signed_act_waits_to_be_sent_by_the_school_not_by_its_curator(rt, actor, make_doc):
    """«Направить в управление» is a task of the school's director and admin (their school has
    a municipal office above it); the curator does not send, the officer receives."""
    doc = make_doc("signed")
    with rt.db.read_session() as s:
        for user in ("admin1", "director1"):
            box = inbox(s, actor(user))
            assert doc in [t.doc.id for t in box.section("to_send")], user
            assert nav_counts(s, actor(user)).tasks == sum(box.totals.values())
        for user in ("curator1", "officer"):
            assert doc not in [t.doc.id for t in inbox(s, actor(user)).section("to_send")]
