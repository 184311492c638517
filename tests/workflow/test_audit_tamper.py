"""The verifier names the first bad event after an UPDATE or DELETE of a history row."""

import pytest
from sqlalchemy import text

from workflow.audit.chain import verify_chain


def _raw(rt, sql: str, **params) -> None:
    """Write past the append-only trigger, as a superuser with direct database access would."""
    with rt.db.engine.begin() as conn:
        if rt.db.is_postgres:
            conn.execute(text("SET LOCAL session_replication_role = replica"))
        conn.execute(text(sql), params)


def _chain(rt, world, make_doc):
    make_doc("accepted")
    make_doc("signed")
    with rt.db.read_session() as s:
        result = verify_chain(s, world.orgs["school1"])
    assert result.ok and result.events_checked == 10
    return world.orgs["school1"]


def test_intact_chain_verifies_through_the_api(rt, world, make_doc, api):
    _chain(rt, world, make_doc)
    body = api.as_("auditor").get(f"/api/v1/audit/verify?org_id={world.orgs['muni']}").get_json()
    assert body == {"ok": True, "events_checked": 10}


def test_updated_row_is_named(rt, world, make_doc, api):
    org = _chain(rt, world, make_doc)
    _raw(rt, "UPDATE history_events SET comment = 'подмена' WHERE org_id = :o AND seq = 4", o=org)
    body = api.as_("auditor").get(f"/api/v1/audit/verify?org_id={org}").get_json()
    assert body["ok"] is False and body["first_bad_seq"] == 4
    assert "изменена" in body["reason"]


def test_deleted_row_is_named_as_a_gap(rt, world, make_doc, api):
    org = _chain(rt, world, make_doc)
    _raw(rt, "DELETE FROM history_events WHERE org_id = :o AND seq = 7", o=org)
    body = api.as_("auditor").get(f"/api/v1/audit/verify?org_id={org}").get_json()
    assert body["ok"] is False and body["first_bad_seq"] == 7
    assert "отсутствует" in body["reason"]


def test_deleted_tail_is_detected(rt, world, make_doc):
    org = _chain(rt, world, make_doc)
    _raw(rt, "DELETE FROM history_events WHERE org_id = :o AND seq = 10", o=org)
    with rt.db.read_session() as s:
        result = verify_chain(s, org)
    assert not result.ok and result.first_bad_seq == 10


def test_rehashed_row_breaks_the_link_of_the_next(rt, world, make_doc):
    org = _chain(rt, world, make_doc)
    _raw(rt, "UPDATE history_events SET hash = :h WHERE org_id = :o AND seq = 5",
         h="f" * 64, o=org)
    with rt.db.read_session() as s:
        result = verify_chain(s, org)
    assert not result.ok and result.first_bad_seq == 5


def test_postgres_trigger_refuses_update_and_delete(rt, world, make_doc):
    if not rt.db.is_postgres:
        pytest.skip("the trigger exists on PostgreSQL only")
    _chain(rt, world, make_doc)
    from sqlalchemy.exc import DBAPIError

    for sql in ("UPDATE history_events SET comment = 'x'", "DELETE FROM history_events"):
        with pytest.raises(DBAPIError, match="append-only"):
            with rt.db.engine.begin() as conn:
                conn.execute(text(sql))


def test_history_survives_deleting_the_user(rt, world, make_doc, api):
    from workflow import accounts

    with rt.db.write_session() as s:
        temp = accounts.create_user(s, email="temp@test.local", full_name="Временный Автор",
                                    password="x" * 12)
        accounts.grant_role(s, temp.id, world.orgs["school1"], "school_admin")
        temp_id = temp.id
    from tests.conftest import ORDER_FIELDS, actor_of
    from workflow.engine.authoring import create_document

    doc_id = create_document(rt, actor_of(rt, temp_id), kind="order",
                             org_id=world.orgs["school1"], title="Т", fields=ORDER_FIELDS)
    with rt.db.engine.begin() as conn:
        conn.execute(text("DELETE FROM users WHERE id = :u"), {"u": temp_id})
    history = api.as_("auditor").get(f"/api/v1/documents/{doc_id}/history").get_json()
    assert history[0]["actor_name"] == "Временный Автор" and history[0]["actor_id"] == temp_id
    assert api.as_("auditor").get("/api/v1/audit/verify").get_json()["ok"] is True
