"""Reminders on roadmap items as documents: addressed to the item document's responsible,
exactly once; a school's copy of a municipal item is reminded in its school; an overdue
school item also escalates to the municipal officer; a submitted report is quiet."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from documents.models import Document, Notification, OrgKind, ReminderLog
from documents.roadmaps.export import roadmap_to_docx
from tests.web.admin_helpers import wait_for_mail
from tests.web.test_ui_pages import login
from workflow import clock
from workflow.engine.authoring import update_document
from workflow.engine.transition import apply_event
from workflow.notify import reminders
from workflow.roadmaps import importing


def _import(rt, actor, org_id, items) -> dict:
    today = clock.today()
    data = roadmap_to_docx({"title": "ДК", "sections": [{"number": "1", "title": "Р"}],
                            "items": [dict(i, section="1") for i in items]})
    return importing.import_roadmap(rt, actor, org_id=org_id, data=data, filename="dk.docx",
                                   period_start=(today - timedelta(days=60)).isoformat(),
                                   period_end=(today + timedelta(days=300)).isoformat())


def _d(days: int) -> str:
    return (clock.today() + timedelta(days=days)).strftime("%d.%m.%Y")


def _notes(rt, user_id) -> set[str]:
    with rt.db.read_session() as s:
        return {n.kind for n in s.scalars(select(Notification).where(
            Notification.user_id == user_id)) if n.kind.startswith("roadmap_")}


def test_responsible_of_the_item_document_is_reminded(rt, world, actor):
    result = _import(rt, actor("admin1"), world.orgs["school1"], [
        {"number": "1.1", "activity": "Скоро", "deadline_text": f"до {_d(5)}",
         "responsible_text": "кураторы"}])
    doc_id = result["items"][0]["document_id"]
    update_document(rt, actor("admin1"), doc_id, expected_version=0,
                    responsible_id=world.users["admin1"])
    assert reminders.send_due_reminders(rt)["sent"] == 1
    # the item names the curators, but its document names admin1: admin1 is told
    assert _notes(rt, world.users["admin1"]) == {"roadmap_before_7"}
    assert _notes(rt, world.users["curator1"]) == set()
    assert reminders.send_due_reminders(rt)["sent"] == 0  # exactly once


def test_school_copies_reminded_and_escalated_to_the_officer(rt, world, actor):
    result = _import(rt, actor("officer"), world.orgs["muni"], [
        {"number": "1", "activity": "Педсовет", "deadline_text": f"до {_d(-4)}",
         "responsible_text": "Руководители ОО"}])
    item_id = result["items"][0]["id"]
    counts = reminders.send_due_reminders(rt)
    # each school: overdue (to whom the item names: its director) and escalation (the
    # director and the municipality's officer)
    assert counts["sent"] == 4 and counts["failed"] == 0
    assert _notes(rt, world.users["director1"]) == {"roadmap_overdue", "roadmap_escalation"}
    assert _notes(rt, world.users["admin1"]) == set()
    assert _notes(rt, world.users["officer"]) == {"roadmap_escalation"}
    assert _notes(rt, world.users["officer2"]) == set()
    with rt.db.read_session() as s:
        logs = s.scalars(select(ReminderLog)).all()
        copies = set(s.scalars(select(Document.id).where(Document.assignment_of == item_id)))
    assert {log.document_id for log in logs} == copies and len(copies) == 2
    assert all(log.item_id is None for log in logs)
    assert reminders.send_due_reminders(rt)["sent"] == 0  # exactly once


def test_submitted_report_is_quiet(rt, world, actor):
    result = _import(rt, actor("admin1"), world.orgs["school1"], [
        {"number": "1.1", "activity": "Давно", "deadline_text": f"до {_d(-5)}"}])
    doc_id = result["items"][0]["document_id"]
    with rt.db.read_session() as s:
        fields = dict(s.get(Document, doc_id).fields)
    update_document(rt, actor("admin1"), doc_id, expected_version=0,
                    fields=dict(fields, report="Сделано"))
    apply_event(rt, doc_id, "submit", actor("admin1"))
    assert reminders.send_due_reminders(rt)["sent"] == 0


def test_an_officer_is_sent_to_the_schools_card_not_its_unsent_copy(rt, world, actor, app):
    result = _import(rt, actor("officer"), world.orgs["muni"], [
        {"number": "1", "activity": "Педсовет", "deadline_text": f"до {_d(-4)}",
         "responsible_text": "Руководители ОО"}])
    item_id = result["items"][0]["id"]
    today = clock.today()
    with rt.db.read_session() as s:
        copy = s.scalar(select(Document.id).where(
            Document.assignment_of == item_id, Document.org_id == world.orgs["school1"]))
    # school 1's escalation alone (as when the other school has done the item)
    people = {world.users["officer"]: world.email("officer"),
              world.users["director1"]: world.email("director1")}
    counts = reminders.send_group(rt, [(_escalation(world, {"id": item_id}, result["id"], today,
                                                    document_id=copy),
                                        people, frozenset({world.users["officer"]}))], today)
    assert counts == {"sent": 1, "duplicate": 0, "nobody": 0}
    with rt.db.read_session() as s:
        urls = {n.user_id: n.url for n in s.scalars(select(Notification).where(
            Notification.kind == "roadmap_escalation"))}
    assert urls[world.users["director1"]] == f"/documents/{copy}"
    card = f"/compliance/school/{world.orgs['school1']}"
    assert urls[world.users["officer"]] == card
    officer = app.test_client()
    assert login(officer, "officer").status_code == 302
    assert officer.get(f"/documents/{copy}").status_code == 404  # not sent: the school's own
    page = officer.get(card)
    assert page.status_code == 200 and "Педсовет" in page.get_data(as_text=True)


def _escalation(world, item: dict, roadmap_id: int, occurrence,
                document_id: int | None = None) -> reminders.DueReminder:
    return reminders.DueReminder(
        item_id=item["id"], roadmap_id=roadmap_id, org_id=world.orgs["school1"],
        org_kind=OrgKind.school, org_name="Школа № 1", number="3", activity="Педсовет",
        responsible_text="", occurrence=occurrence, kind="escalation", roles=(), user_ids=(),
        parent_id=world.orgs["muni"], document_id=document_id)


def test_each_side_is_mailed_its_own_link_and_officers_only_the_card(rt, world, actor,
                                                                     mailbox):
    result = _import(rt, actor("admin1"), world.orgs["school1"], [
        {"number": "3", "activity": "Педсовет", "deadline_text": f"до {_d(30)}",
         "responsible_text": "Директор"}])
    item, roadmap_id = result["items"][0], result["id"]
    officer, director = world.users["officer"], world.users["director1"]
    card = f"/compliance/school/{world.orgs['school1']}"
    counts = reminders.send_group(rt, [(
        _escalation(world, item, roadmap_id, clock.today()),
        {officer: world.email("officer"), director: world.email("director1")},
        frozenset({officer}))], clock.today())
    assert counts["sent"] == 1
    mails = {m["to"][0]: m["body"] for m in wait_for_mail(mailbox, 2)}
    base = rt.settings.base_url.rstrip("/")
    to_officer, to_director = mails[world.email("officer")], mails[world.email("director1")]
    assert to_officer.rstrip().endswith(f"{base}{card}") and "/roadmaps/" not in to_officer
    assert to_director.rstrip().endswith(f"{base}/roadmaps/{roadmap_id}#item-{item['id']}")
    assert card not in to_director
    with rt.db.read_session() as s:
        assert s.scalar(select(ReminderLog.emails_sent)) == 2
