"""A visa on an approval route waits on PostgreSQL seven times: the token, BEGIN, the
document, the route's visas, the claim, the writes with the chain's head, the event with the
outbox row and the COMMIT (documents.write_batch; it was thirteen). Counted on the wire by
the bench's tracer, which is checked here too."""

from __future__ import annotations

import pytest
from sqlalchemy import event

from bench.round_trips import approve_round_trips, parse, parse_checkouts
from workflow import accounts

TRACE = "\n".join([
    "2026-12-05 01:20:05.1\tF\t60\tParse\t \"\" \"SELECT users.id, users.full_name",
    "FROM users JOIN grants ON x\" 0",
    "2026-12-05 01:20:05.1\tF\t14\tBind\t \"\" \"\" 0",
    "2026-12-05 01:20:05.1\tF\t4\tSync",
    "2026-12-05 01:20:05.2\tB\t5\tReadyForQuery\t I",
    "2026-12-05 01:20:05.3\tF\t40\tQuery\t \"BEGIN ISOLATION LEVEL READ COMMITTED\"",
    "2026-12-05 01:20:05.4\tB\t5\tReadyForQuery\t T",
    "2026-12-05 01:20:05.5\tF\t14\tBind\t \"_pg3_1\" \"\" 0",
    "2026-12-05 01:20:05.5\tF\t50\tParse\t \"\" \"INSERT INTO outbox (\"key\") VALUES ($1)\" 1",
    "2026-12-05 01:20:05.5\tF\t14\tBind\t \"\" \"\" 0",
    "2026-12-05 01:20:05.5\tF\t20\tParse\t \"\" \"COMMIT\" 0",
    "2026-12-05 01:20:05.5\tF\t4\tSync",
    "2026-12-05 01:20:05.6\tB\t5\tReadyForQuery\t I",
])


def test_the_tracer_reads_round_trips_and_their_statements():
    assert parse(TRACE) == [["SELECT users"], ["BEGIN"],
                            ["prepared", "INSERT outbox", "COMMIT"]]
    # a statement the connection prepared before the trace began shows as its text
    known = {"_pg3_1": "SELECT documents.id, documents.kind FROM documents WHERE id = $1"}
    assert parse(TRACE, known)[2] == ["SELECT documents", "INSERT outbox", "COMMIT"]


def test_each_pooled_connection_names_its_own_prepared_statements():
    """psycopg names prepared statements per connection (_pg3_0, …): the token read on one
    pooled connection and the approval written on another each read with their own names (a
    CI run labelled the token's statement with the other connection's «SELECT grants»)."""
    token = "\n".join(["2026-12-07 03:30:00.1\tF\t14\tBind\t \"\" \"_pg3_0\" 0",
                       "2026-12-07 03:30:00.1\tF\t4\tSync",
                       "2026-12-07 03:30:00.2\tB\t5\tReadyForQuery\t I"])
    write = "\n".join(["2026-12-07 03:30:00.3\tF\t14\tBind\t \"\" \"_pg3_0\" 0",
                       "2026-12-07 03:30:00.3\tF\t4\tSync",
                       "2026-12-07 03:30:00.4\tB\t5\tReadyForQuery\t T"])
    on_a = {"_pg3_0": "SELECT users.id, users.full_name FROM users JOIN api_tokens ON x"}
    on_b = {"_pg3_0": "SELECT grants.role FROM grants WHERE grants.user_id = $1"}
    assert parse_checkouts([(token, on_a), (write, on_b)]) == [["SELECT users"],
                                                               ["SELECT grants"]]


PREPARING = "\n".join([
    "2026-12-06 01:20:05.1\tF\t60\tParse\t \"_pg3_7\" \"UPDATE documents SET x=$1\" 1",
    "2026-12-06 01:20:05.1\tF\t4\tSync",
    "2026-12-06 01:20:05.2\tB\t5\tReadyForQuery\t T",
    "2026-12-06 01:20:05.3\tF\t14\tBind\t \"\" \"_pg3_7\" 0",
    "2026-12-06 01:20:05.3\tF\t4\tSync",
    "2026-12-06 01:20:05.4\tB\t5\tReadyForQuery\t T",
])


def test_a_round_trip_that_only_prepares_is_not_counted_and_names_its_statement():
    assert parse(PREPARING) == [["UPDATE documents"]]


def test_an_approval_on_a_route_takes_seven_round_trips(rt, world, make_doc):
    _assert_seven_round_trips(rt, world, make_doc)


def test_seven_round_trips_also_when_the_connection_prepares_during_the_approval(
        rt, world, make_doc):
    """psycopg prepares a statement on its nth run on a connection, outside a pipeline in a
    round trip of its own: that is learnt once, not a round trip of every approval (a CI run
    met it when a pooled connection reached the fifth run during the traced approval)."""
    if not rt.db.is_postgres:
        pytest.skip("round trips to PostgreSQL")

    def prepare_on_second_run(dbapi_connection, *_args):
        dbapi_connection.prepare_threshold = 1

    rt.db.engine.dispose()  # one fresh connection: the warm-up runs each statement once
    event.listen(rt.db.engine, "checkout", prepare_on_second_run)
    try:
        _assert_seven_round_trips(rt, world, make_doc)
    finally:
        event.remove(rt.db.engine, "checkout", prepare_on_second_run)
        rt.db.engine.dispose()


def _assert_seven_round_trips(rt, world, make_doc):
    if not rt.db.is_postgres:
        pytest.skip("round trips to PostgreSQL")
    docs = [(make_doc("on_approval"), 1), (make_doc("on_approval"), 1)]
    trips = approve_round_trips(rt, accounts.issue_token(rt, world.users["director1"]), docs)
    assert trips[0] == ["SELECT users"] and trips[1] == ["BEGIN"]
    assert trips[2:5] == [["SELECT documents"], ["SELECT route_visas"], ["UPDATE documents"]]
    assert trips[5] == ["INSERT visas", "INSERT route_visas", "UPDATE document_routes",
                        "UPDATE notifications", "SELECT nastavnik_chain_head"]
    assert trips[6] == ["INSERT history_events", "INSERT outbox", "COMMIT"]
    assert len(trips) == 7

