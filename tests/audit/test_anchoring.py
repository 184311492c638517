"""Audit anchoring: a kept head catches a rewrite that recomputes hashes and a deleted tail;
a mid-row rewrite is reported at the altered row itself."""

from sqlalchemy import select, text

from documents.models import HistoryEvent, OutboxItem
from workflow.audit import anchors, checkpoints
from workflow.audit.chain import compute_hash, verify_chain


def _raw(rt, sql: str, **params) -> None:
    """Write past the append-only trigger, as a superuser with direct database access would."""
    with rt.db.engine.begin() as conn:
        if rt.db.is_postgres:
            conn.execute(text("SET LOCAL session_replication_role = replica"))
        conn.execute(text(sql), params)


def _rewrite(rt, org: int, seq: int, comment: str) -> None:
    """Change a row's remark and recompute its own hash (the next rows are left alone)."""
    with rt.db.read_session() as s:
        ev = s.scalar(select(HistoryEvent).where(HistoryEvent.org_id == org,
                                                 HistoryEvent.seq == seq))
        s.expunge(ev)
    ev.comment = comment
    _raw(rt, "UPDATE history_events SET comment = :c, hash = :h WHERE org_id = :o AND seq = :s",
         c=comment, h=compute_hash(ev, ev.prev_hash), o=org, s=seq)


def _setup(rt, world, make_doc, api):
    make_doc("accepted")
    make_doc("signed")
    org = world.orgs["school1"]
    head = api.as_("auditor").get(f"/api/v1/audit/head?org_id={org}").get_json()
    assert head["org_id"] == org and head["seq"] == 10 and len(head["hash"]) == 64
    assert head["at"].endswith("Z")
    return org, head


def _verify(api, org, head):
    return api.as_("auditor").get(
        f"/api/v1/audit/verify?org_id={org}&head_seq={head['seq']}&head_hash={head['hash']}"
    ).get_json()


def test_intact_chain_verifies_against_its_head(rt, world, make_doc, api):
    org, head = _setup(rt, world, make_doc, api)
    assert _verify(api, org, head) == {"ok": True, "events_checked": 10}


def test_rewritten_last_row_passes_plain_verify_but_not_the_head(rt, world, make_doc, api):
    org, head = _setup(rt, world, make_doc, api)
    _rewrite(rt, org, 10, "подмена последней записи")
    plain = api.as_("auditor").get(f"/api/v1/audit/verify?org_id={org}").get_json()
    assert plain["ok"] is True  # nothing after it to notice: this is what heads are for
    body = _verify(api, org, head)
    assert body["ok"] is False and body["reason"] == "head_mismatch"
    assert body["first_bad_seq"] == 10 and "переписана" in body["message"]


def test_deleted_tail_is_truncated_against_a_kept_head(rt, world, make_doc, api):
    org, head = _setup(rt, world, make_doc, api)
    _raw(rt, "DELETE FROM history_events WHERE org_id = :o AND seq >= 9", o=org)
    body = _verify(api, org, head)
    assert body["ok"] is False and body["reason"] == "truncated"
    assert body["first_bad_seq"] == 9


def test_mid_row_rewrite_names_the_altered_row_not_the_next(rt, world, make_doc, api):
    org, head = _setup(rt, world, make_doc, api)
    _rewrite(rt, org, 4, "подмена в середине")
    body = api.as_("auditor").get(f"/api/v1/audit/verify?org_id={org}").get_json()
    assert body["ok"] is False and body["first_bad_seq"] == 4
    assert "Запись № 4 изменена" in body["reason"]
    assert _verify(api, org, head)["first_bad_seq"] == 4


def test_a_head_is_checked_for_shape_and_visibility(rt, world, make_doc, api):
    org, _head = _setup(rt, world, make_doc, api)
    bad = api.as_("auditor").get(f"/api/v1/audit/verify?org_id={org}&head_seq=3&head_hash=xyz")
    assert bad.status_code == 400 and bad.get_json()["error"]["code"] == "invalid_head"
    assert api.as_("admin3").get(f"/api/v1/audit/head?org_id={org}").status_code == 404


def test_checkpoints_verify_only_new_events_and_still_catch_old_rewrites(rt, world, make_doc):
    make_doc("accepted")
    org = world.orgs["school1"]
    with rt.db.write_session() as s:
        first = checkpoints.verify(s, org)
        checkpoints.record(s, org, first)
    assert first.ok and first.events_checked == 6 and first.head_seq == 6
    make_doc("approved")
    with rt.db.read_session() as s:
        again = checkpoints.verify(s, org)
    assert again.ok and again.events_checked == 3  # only the events after the checkpoint
    _rewrite(rt, org, 6, "подмена под контрольной точкой")
    with rt.db.read_session() as s:
        caught = checkpoints.verify(s, org)
    assert not caught.ok and caught.first_bad_seq == 6


def test_heads_are_mailed_to_auditors_once_a_day_through_the_outbox(rt, world, make_doc,
                                                                    monkeypatch):
    make_doc("signed")
    sent = []
    monkeypatch.setattr("workflow.notify.mailer.send_mail",
                        lambda settings, to, subject, body: sent.append((to, body)) or 1)
    from workflow import clock

    assert anchors.queue_daily_heads(rt, clock.today()) == 1  # one auditor in the world
    assert anchors.queue_daily_heads(rt, clock.today()) == 0  # the same day: nothing new
    with rt.db.read_session() as s:
        items = s.scalars(select(OutboxItem).where(OutboxItem.effect == "audit_heads_mail")).all()
        head = anchors.head_of(s, world.orgs["school1"])
    assert len(items) == 1 and items[0].done_at is not None
    (to, body), = sent
    assert to == [world.email("auditor")]
    assert f"запись № {head['seq']}, хеш {head['hash']}" in body
    with rt.db.read_session() as s:
        assert verify_chain(s, world.orgs["school1"], head["seq"], head["hash"]).ok
