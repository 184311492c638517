"""Overdue visas are reminded and escalated exactly once, like roadmap items, and the stepper
shows the stage overdue."""

from datetime import timedelta

from sqlalchemy import select

from documents.models import Notification
from workflow import clock
from workflow.engine.routes import put_route
from workflow.notify.reminders import send_due_reminders


def test_overdue_stage_is_reminded_once_then_escalated(rt, world, actor, make_doc, api):
    put_route(rt, actor("director1"), world.orgs["school1"], "order", [
        {"title": "Куратор", "mode": "any", "due_days": 2,
         "participants": [{"user_id": world.users["curator1"]}]},
        {"title": "Директор", "mode": "any", "participants": [{"role": "director"}]}])
    doc = make_doc("on_approval")
    today = clock.today()
    assert send_due_reminders(rt, today + timedelta(days=1))["sent"] == 0  # not due yet
    assert send_due_reminders(rt, today + timedelta(days=3))["sent"] == 1
    assert send_due_reminders(rt, today + timedelta(days=3))["sent"] == 0  # exactly once
    assert send_due_reminders(rt, today + timedelta(days=7))["sent"] == 1  # the escalation
    with rt.db.read_session() as s:
        got = {(n.user_id, n.kind) for n in s.scalars(select(Notification).where(
            Notification.document_id == doc))}
    assert (world.users["curator1"], "visa_overdue") in got
    assert (world.users["director1"], "visa_escalation") in got
    assert (world.users["director1"], "visa_overdue") not in got  # not his turn yet
    with clock.shifted(timedelta(days=3)):
        stage = api.as_("curator1").get(f"/api/v1/documents/{doc}").get_json()[
            "route"]["stages"][0]
        assert stage["status"] == "current" and stage["due"] < clock.today().isoformat()
