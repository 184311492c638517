"""Deadline reminders: 7 days / 1 day before, overdue, escalation; exactly once under two
concurrent beats; done items are quiet; e-mail really reaches an SMTP server."""

from __future__ import annotations

import socket
import threading
from dataclasses import replace
from datetime import date, timedelta

import pytest
from sqlalchemy import func, select

from documents.models import Notification, OrgKind, ReminderLog
from documents.roadmaps.export import roadmap_to_docx
from tests.web.admin_helpers import wait_for_mail
from workflow.notify import reminders
from workflow.roadmaps import importing, item_work
from workflow.runtime import Runtime

TODAY = date(2026, 11, 22)


def _d(days: int) -> str:
    return (TODAY + timedelta(days=days)).strftime("%d.%m.%Y")


def make_roadmap(rt, actor, org_id, items, period=("2026-09-01", "2027-08-31")) -> dict:
    data = roadmap_to_docx({"title": "ДК", "sections": [{"number": "1", "title": "Раздел"}],
                            "items": [dict(i, section="1") for i in items]})
    result = importing.import_roadmap(rt, actor, org_id=org_id, data=data, filename="dk.docx",
                                     period_start=period[0], period_end=period[1])
    return {i["number"]: i["id"] for i in result["items"]} | {"_id": result["id"]}


def _log(rt) -> list[tuple]:
    with rt.db.read_session() as s:
        return sorted((r.item_id, r.occurrence, r.kind) for r in s.scalars(select(ReminderLog)))


def _notes(rt, user_id=None) -> list[Notification]:
    with rt.db.read_session() as s:
        q = select(Notification).order_by(Notification.id)
        if user_id:
            q = q.where(Notification.user_id == user_id)
        return list(s.scalars(q))


@pytest.fixture()
def school_items(rt, world, actor):
    return make_roadmap(rt, actor("curator1"), world.orgs["school1"], [
        {"number": "1.1", "activity": "Через неделю", "deadline_text": f"до {_d(7)}",
         "responsible_text": "кураторы"},
        {"number": "1.2", "activity": "Завтра", "deadline_text": f"до {_d(1)}",
         "responsible_text": "Директор ОУ"},
        {"number": "1.3", "activity": "Вчера", "deadline_text": f"до {_d(-1)}",
         "responsible_text": "кураторы"},
        {"number": "1.4", "activity": "Давно", "deadline_text": f"до {_d(-4)}",
         "responsible_text": "кураторы"},
        {"number": "1.5", "activity": "Нескоро", "deadline_text": f"до {_d(30)}"},
        {"number": "1.6", "activity": "Сделано", "deadline_text": f"до {_d(-4)}"},
    ])


def test_kinds_and_recipients(rt, world, actor, school_items):
    item_work.add_evidence(rt, actor("admin1"), school_items["_id"], school_items["1.6"],
                          text="Готово", done=True)
    counts = reminders.send_due_reminders(rt, TODAY)
    assert counts["sent"] == 5 and counts["failed"] == 0
    by_item = {}
    for item_id, _occ, kind in _log(rt):
        by_item.setdefault(item_id, set()).add(kind)
    assert by_item == {school_items["1.1"]: {"before_7"}, school_items["1.2"]: {"before_1"},
                       school_items["1.3"]: {"overdue"},
                       school_items["1.4"]: {"overdue", "escalation"}}
    curator, director = world.users["curator1"], world.users["director1"]
    assert {n.kind for n in _notes(rt, curator)} == {"roadmap_before_7", "roadmap_overdue"}
    # (the director is also told that 1.6's report awaits confirmation)
    assert {n.kind for n in _notes(rt, director) if n.kind.startswith("roadmap_")} == {
        "roadmap_before_1", "roadmap_escalation"}
    escalation = next(n for n in _notes(rt, director) if n.kind == "roadmap_escalation")
    assert "1.4" in escalation.text and "просрочен" in escalation.text
    assert not any(n.user_id == world.users["admin2"] for n in _notes(rt))
    # a second run, and the next day, send nothing already sent
    assert reminders.send_due_reminders(rt, TODAY)["sent"] == 0
    assert reminders.send_due_reminders(rt, TODAY + timedelta(days=1))["sent"] == 0
    # the day after tomorrow: 1.2 is overdue, 1.3 is three days overdue and escalates
    assert reminders.send_due_reminders(rt, TODAY + timedelta(days=2))["sent"] == 2


def test_escalation_after_three_days(rt, world, actor, school_items):
    reminders.send_due_reminders(rt, TODAY)
    item = school_items["1.3"]  # due yesterday: escalates on day 3 overdue
    reminders.send_due_reminders(rt, TODAY + timedelta(days=1))  # two days overdue
    assert (item, TODAY - timedelta(days=1), "escalation") not in _log(rt)
    reminders.send_due_reminders(rt, TODAY + timedelta(days=2))  # three days overdue
    assert (item, TODAY - timedelta(days=1), "escalation") in _log(rt)
    directors = [n for n in _notes(rt, world.users["director1"]) if n.kind == "roadmap_escalation"]
    # 1.4 and 1.6 in the first run's one notice, 1.3 in its own two days later
    assert len(directors) == 2
    first, second = (n.text for n in directors)
    assert first.endswith("(2): 1.4 «Давно»; 1.6 «Сделано».") and "1.3" not in first
    assert second.startswith("МБОУ «Школа № 1»: пункт 1.3 дорожной карты «Вчера» просрочен")


def test_each_person_gets_one_notice_and_one_mail_per_kind(rt, world, actor, school_items,
                                                          mailbox):
    items = make_roadmap(rt, actor("admin2"), world.orgs["school2"], [
        {"number": "7.1", "activity": "Отчёт школы 2", "deadline_text": f"до {_d(-5)}"}])
    counts = reminders.send_due_reminders(rt, TODAY)
    assert counts["sent"] == 9 and counts["failed"] == 0  # still counted per reminder
    officer = [n for n in _notes(rt, world.users["officer"]) if n.kind == "roadmap_escalation"]
    assert len(officer) == 1  # three escalations of two schools
    text = officer[0].text
    assert text.startswith("Пункты дорожных карт просрочены более чем на 3 дня (3): ")
    assert text.endswith(": МБОУ «Школа № 1»: 2; МБОУ «Школа № 2»: 1.")
    # every school's overdue count, in the municipality the escalations came from
    assert officer[0].url == f"/compliance/?municipality_id={world.orgs['muni']}"
    director = [n for n in _notes(rt, world.users["director1"])
                if n.kind == "roadmap_escalation"]
    assert len(director) == 1 and "Школа № 2" not in director[0].text  # their own school only
    assert director[0].url == f"/roadmaps/{school_items['_id']}"
    admin2 = [n for n in _notes(rt, world.users["admin2"]) if n.kind == "roadmap_overdue"]
    assert [n.url for n in admin2] == [f"/roadmaps/{items['_id']}#item-{items['7.1']}"]
    mails = wait_for_mail(mailbox, len({n.user_id for n in _notes(rt)}))
    to_officer = [m for m in mails if world.email("officer") in m["to"]
                  and "просрочены более" in m["subject"]]
    assert len(to_officer) == 1
    assert "МБОУ «Школа № 2»:\n— 7.1 «Отчёт школы 2» (срок был" in to_officer[0]["body"]
    assert to_officer[0]["body"].rstrip().endswith(f"{rt.settings.base_url.rstrip('/')}"
                                                   f"{officer[0].url}")


def test_a_long_digest_lists_five_in_the_notice_and_all_in_the_mail():
    from workflow.notify import reminder_texts

    base = reminders.DueReminder(
        item_id=1, roadmap_id=1, org_id=1, org_kind=OrgKind.school, org_name="Школа № 1",
        number="1", activity="А" * 200, responsible_text="", occurrence=TODAY - timedelta(days=2),
        kind="overdue", roles=(), user_ids=())
    items = [replace(base, item_id=i, number=f"2.{i}") for i in range(1, 9)]
    subject, notice, mail = reminder_texts.digest(items, TODAY)
    assert subject == "Просрочены пункты дорожной карты: 8"
    assert notice.startswith("Просрочены пункты дорожной карты (8): 2.1 «")
    assert "2.5 «" in notice and "2.6" not in notice and notice.endswith("; и ещё 3.")
    assert "2.1 «" + "А" * 39 + "…»; 2.2" in notice  # the notice cuts the activity
    assert all(f"— 2.{i} «" in mail for i in range(1, 9))
    assert "«" + "А" * 159 + "…» (срок был 20.11.2026)" in mail


def test_municipal_roadmap_escalates_to_officer(rt, world, actor):
    items = make_roadmap(rt, actor("officer"), world.orgs["muni"], [
        {"number": "1.1", "activity": "Мониторинг школ", "deadline_text": f"до {_d(-5)}",
         "responsible_text": "Специалист управления образования"}])
    reminders.send_due_reminders(rt, TODAY)
    kinds = {n.kind for n in _notes(rt, world.users["officer"])}
    assert kinds == {"roadmap_overdue", "roadmap_escalation"}
    assert not _notes(rt, world.users["officer2"])
    assert not any(n.user_id == world.users["director1"] for n in _notes(rt))
    assert {k for _i, _o, k in _log(rt)} == {"overdue", "escalation"}
    assert items["1.1"]


def test_exactly_once_with_two_concurrent_beats(rt, world, actor, school_items):
    barrier = threading.Barrier(2)
    results, errors = [], []

    def beat():
        try:
            barrier.wait()
            results.append(reminders.send_due_reminders(rt, TODAY))
        except Exception as exc:  # noqa: BLE001
            errors.append(exc)

    threads = [threading.Thread(target=beat) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert not errors
    assert sum(r["sent"] for r in results) == 7  # 1.1, 1.2, 1.3, 1.4 ×2, 1.6 ×2
    assert sum(r["duplicate"] for r in results) == 7
    log = _log(rt)
    assert len(log) == len(set(log)) == 7
    keys = [n.dedupe_key for n in _notes(rt)]
    assert len(keys) == len(set(keys))


def test_recurring_item_reminds_each_occurrence(rt, world, actor):
    items = make_roadmap(rt, actor("curator1"), world.orgs["school1"], [
        {"number": "2.1", "activity": "Информация на сайте", "deadline_text": "ежегодно до 15.10"}],
        period=("2025-09-01", "2027-08-31"))
    reminders.send_due_reminders(rt, date(2026, 10, 8))
    reminders.send_due_reminders(rt, date(2027, 10, 8))  # outside the period: nothing new
    occ = {(o, k) for i, o, k in _log(rt) if i == items["2.1"]}
    assert (date(2026, 10, 15), "before_7") in occ


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture()
def smtp_server():
    from aiosmtpd.controller import Controller

    class Inbox:
        def __init__(self):
            self.messages = []

        async def handle_DATA(self, server, session, envelope):
            self.messages.append(envelope)
            return "250 OK"

    inbox = Inbox()
    port = _free_port()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    yield port, inbox
    controller.stop()


def test_email_reaches_smtp_server(rt, world, actor, school_items, smtp_server):
    port, inbox = smtp_server
    mail_rt = Runtime(replace(rt.settings, smtp_host="127.0.0.1", smtp_port=port,
                              mail_from="nastavnik@test.local"), rt.db, rt.files)
    reminders.send_due_reminders(mail_rt, TODAY)
    sent = len(inbox.messages)
    to_director = [m for m in inbox.messages if "director1@test.local" in m.rcpt_tos]
    assert len(to_director) == 2  # before_1 of 1.2; the escalations of 1.4 and 1.6 together
    body = to_director[0].content.decode("utf-8", "replace")
    assert "Subject:" in body
    with rt.db.read_session() as s:
        assert s.scalar(select(func.sum(ReminderLog.emails_sent))) >= 7
    reminders.send_due_reminders(mail_rt, TODAY)
    assert len(inbox.messages) == sent


def test_smtp_down_retries_later_without_duplicates(rt, world, actor, school_items):
    down_rt = Runtime(replace(rt.settings, smtp_host="127.0.0.1", smtp_port=_free_port()),
                      rt.db, rt.files)
    counts = reminders.send_due_reminders(down_rt, TODAY)
    assert counts["failed"] == 7 and counts["sent"] == 0
    assert _log(rt) == [] and _notes(rt) == []
    assert reminders.send_due_reminders(rt, TODAY)["sent"] == 7
