"""Electronic acquaintance (api.md «Acquaintance»): only the listed staff, only once the order
is signed, idempotent; the task in «Мои задачи», the sheet in the DOCX with the dates, one
reminder after three days even with two beats at once; and the one-click page."""

from __future__ import annotations

import io
import threading
from datetime import UTC, datetime, timedelta

import pytest
from docx import Document as Docx
from sqlalchemy import select

from documents.models import Acquaintance, Document, DocumentVersion, Notification, ReminderLog
from tests.conftest import ORDER_FIELDS
from workflow import clock
from workflow.files.rendering import render_version
from workflow.notify import acquaintance, inbox


def _order(make_doc, world, state="signed", users=("curator1", "admin1")):
    fields = dict(ORDER_FIELDS, acquaintance_user_ids=[world.users[u] for u in users])
    return make_doc(state, fields=fields)


def _path(doc_id):
    return f"/api/v1/documents/{doc_id}/acquaintance"


def test_only_listed_users_after_signing_and_idempotent(api, make_doc, world):
    draft = _order(make_doc, world, state="approved")
    # Before signing the list is planned, nobody can confirm yet.
    rows = api.as_("director1").get(_path(draft)).get_json()
    assert {r["user_id"] for r in rows} == {world.users["curator1"], world.users["admin1"]}
    refused = api.as_("curator1").post(f"/api/v1/documents/{draft}/acknowledge")
    assert refused.status_code == 422 and refused.get_json()["error"]["code"] == "not_signed"

    api.as_("director1").fire(draft, "sign")
    first = api.as_("curator1").post(f"/api/v1/documents/{draft}/acknowledge")
    assert first.status_code == 200 and first.get_json()["acknowledged_at"]
    again = api.as_("curator1").post(f"/api/v1/documents/{draft}/acknowledge")
    assert again.status_code == 200 and again.get_json() == first.get_json()
    # The director is not listed: refused, and the list stays as it was.
    assert api.as_("director1").post(f"/api/v1/documents/{draft}/acknowledge").status_code == 403
    rows = {r["user_id"]: r for r in api.as_("director1").get(_path(draft)).get_json()}
    assert set(rows) == {world.users["curator1"], world.users["admin1"]}
    assert rows[world.users["curator1"]]["acknowledged_at"] == first.get_json()["acknowledged_at"]
    assert rows[world.users["admin1"]]["acknowledged_at"] is None
    assert set(rows[world.users["curator1"]]) == {"user_id", "name", "position", "acknowledged_at"}


def test_people_of_another_organisation_cannot_be_listed(api, make_doc, world):
    fields = dict(ORDER_FIELDS, acquaintance_user_ids=[world.users["curator2"]])
    doc = make_doc("draft", fields=fields)
    response = api.as_("admin1").fire(doc, "submit")
    assert response.status_code == 422
    assert response.get_json()["error"]["code"] == "acquaintance_not_staff"


def test_task_in_my_tasks_until_confirmed(rt, make_doc, world, actor):
    doc = _order(make_doc, world)
    with rt.db.read_session() as s:
        tasks = inbox.inbox(s, actor("curator1"), clock.today()).section("to_acknowledge")
        assert [t.doc.id for t in tasks] == [doc]
        notes = s.scalars(select(Notification).where(
            Notification.user_id == world.users["curator1"],
            Notification.kind == "acquaintance")).all()
        assert len(notes) == 1 and "Ознакомиться" in notes[0].text
        # Only the listed people get the task.
        assert not inbox.inbox(s, actor("director1"), clock.today()).section("to_acknowledge")
    acquaintance.acknowledge(rt, actor("curator1"), doc)
    with rt.db.read_session() as s:
        assert not inbox.inbox(s, actor("curator1"), clock.today()).section("to_acknowledge")


@pytest.mark.parametrize("utc", [(10, 0), (22, 30)], ids=["day", "after 21:00 UTC"])
def test_sheet_shows_the_date_of_confirmation(rt, make_doc, world, actor, utc):
    """The date of the school's day (Moscow), at any hour: after 21:00 UTC it is tomorrow."""
    moment = datetime(2026, 12, 4, *utc, tzinfo=UTC)
    with clock.shifted(moment - datetime.now(UTC)):
        doc = _order(make_doc, world)
        acquaintance.acknowledge(rt, actor("curator1"), doc)
        with rt.db.read_session() as s:
            d = s.get(Document, doc)
            version = s.scalar(select(DocumentVersion).where(DocumentVersion.document_id == doc))
            data = render_version(s, d, version)
    docx = Docx(io.BytesIO(data))
    sheet = next(t for t in docx.tables if t.rows[0].cells[0].text.startswith("№"))
    rows = {r.cells[1].text.replace("\u00a0", " "): r.cells[3].text for r in sheet.rows[1:]}
    day = "05.12.2026" if utc[0] >= 21 else "04.12.2026"
    assert sorted(rows.values()) == ["", day]  # one confirmed that day, one blank line


def test_pair_order_sheet_never_lists_students(rt):
    from documents.docx.context import build_context
    from documents.docx.samples import sample_snapshot

    snapshot = sample_snapshot("pair_order")
    student = "Лебедев Максим Олегович"  # a 10th-form student mentoring younger pupils
    snapshot["pairs"][0].update(mentor_name=student, mentor_category="student")
    names = [a["name"] for a in build_context(snapshot)["acquaintance"]]
    assert student not in names and names


def _signed_days_ago(rt, doc_id: int, days: int) -> None:
    with rt.db.write_session() as s:
        d = s.get(Document, doc_id)
        d.signed_at = clock.now() - timedelta(days=days)


def test_reminder_after_three_days_exactly_once_with_two_beats(rt, make_doc, world, actor):
    doc = _order(make_doc, world)
    acquaintance.acknowledge(rt, actor("curator1"), doc)
    _signed_days_ago(rt, doc, 2)
    assert acquaintance.send_reminders(rt, clock.today()) == {"sent": 0, "duplicate": 0,
                                                              "failed": 0}
    _signed_days_ago(rt, doc, 3)
    results: list[dict] = []
    barrier = threading.Barrier(2)

    def beat():
        barrier.wait()
        results.append(acquaintance.send_reminders(rt, clock.today()))

    threads = [threading.Thread(target=beat) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sum(r["sent"] for r in results) == 1
    assert acquaintance.send_reminders(rt, clock.today() + timedelta(days=1))["sent"] == 0
    with rt.db.read_session() as s:
        logs = s.scalars(select(ReminderLog).where(ReminderLog.document_id == doc)).all()
        assert len(logs) == 1 and logs[0].recipient_ids == [world.users["admin1"]]
        reminded = s.scalars(select(Notification.user_id).where(
            Notification.kind == "acquaintance_reminder")).all()
        assert reminded == [world.users["admin1"]]  # the one who has not read it


def test_several_unread_orders_come_as_one_reminder_per_person(rt, make_doc, world, actor,
                                                                mailbox):
    from tests.web.admin_helpers import wait_for_mail

    first, second = _order(make_doc, world), _order(make_doc, world, users=("admin1",))
    mailbox.clear()  # the signing's own mail
    acquaintance.acknowledge(rt, actor("curator1"), first)
    for doc in (first, second):
        _signed_days_ago(rt, doc, 4)
    assert acquaintance.send_reminders(rt, clock.today())["sent"] == 2  # counted per order
    with rt.db.read_session() as s:
        notes = s.scalars(select(Notification).where(
            Notification.kind == "acquaintance_reminder")).all()
        numbers = dict(s.execute(select(Document.id, Document.registration_number)).all())
    assert [n.user_id for n in notes] == [world.users["admin1"]]  # one notice for both
    assert notes[0].text.startswith("Напоминание: ознакомьтесь с приказами (2): ")
    assert f"№ {numbers[first]} «" in notes[0].text and f"№ {numbers[second]} «" in notes[0].text
    assert notes[0].url == "/"  # «Мои задачи» lists what is to read
    mails = [m for m in wait_for_mail(mailbox, 1) if m["subject"].startswith("Напоминание")]
    assert len(mails) == 1 and mails[0]["to"] == [world.email("admin1")]
    assert f"/documents/{first}" in mails[0]["body"] and f"/documents/{second}" in mails[0]["body"]
    assert acquaintance.send_reminders(rt, clock.today())["duplicate"] == 2


def test_director_sees_who_has_not_read_and_listed_user_confirms_in_one_click(
        rt, make_doc, world, as_user):
    doc = _order(make_doc, world)
    page = as_user("director1").get(f"/documents/{doc}").get_data(as_text=True)
    assert "Лист ознакомления" in page and "Не ознакомлены: 2 из 2" in page
    assert 'data-test="acknowledge"' not in page  # the director is not listed
    curator = as_user("curator1")
    page = curator.get(f"/documents/{doc}").get_data(as_text=True)
    token = page.split('name="csrf_token" value="')[1].split('"')[0]
    response = curator.post(f"/documents/{doc}/acknowledge", data={"csrf_token": token})
    assert response.status_code == 302
    page = as_user("director1").get(f"/documents/{doc}").get_data(as_text=True)
    assert "Не ознакомлены: 1 из 2" in page
    with rt.db.read_session() as s:
        row = s.scalar(select(Acquaintance).where(Acquaintance.user_id == world.users["curator1"]))
        assert row.acknowledged_at is not None


def test_order_citing_a_missing_appendix_cannot_be_submitted(api, make_doc):
    fields = {"clauses": [{"text": "Утвердить положение (приложение № 1)."},
                          {"text": "Утвердить дорожную карту (приложение № 2)."}],
              "appendices": [{"title": "Положение о наставничестве", "text": "Текст."}]}
    doc = make_doc("draft", fields=fields)
    response = api.as_("admin1").fire(doc, "submit")
    assert response.status_code == 422
    body = response.get_json()["error"]
    assert body["code"] == "missing_appendix" and "№ 2" in body["message"]
    fields["clauses"].pop()
    assert api.as_("admin1").patch(
        f"/api/v1/documents/{doc}",
        json={"fields": fields, "lock_version": api.as_("admin1").get(
            f"/api/v1/documents/{doc}").get_json()["lock_version"]}).status_code == 200
    assert api.as_("admin1").fire(doc, "submit").status_code == 200


def test_profile_phone_goes_to_the_executor_mark(rt, make_doc, world, as_user):
    client = as_user("admin1")
    page = client.get("/profile").get_data(as_text=True)
    token = page.split('name="csrf_token" value="')[1].split('"')[0]
    assert client.post("/profile/phone", data={"csrf_token": token,
                                               "phone": "8 (3812) 23-45-67"}).status_code == 302
    assert "8 (3812) 23-45-67" in client.get("/profile").get_data(as_text=True)
    doc = make_doc("signed")
    with rt.db.read_session() as s:
        from workflow.files.rendering import snapshot

        d = s.get(Document, doc)
        v = s.scalar(select(DocumentVersion).where(DocumentVersion.document_id == doc))
        assert snapshot(s, d, v)["executor"]["phone"] == "8 (3812) 23-45-67"
