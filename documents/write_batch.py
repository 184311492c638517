"""Writes a transaction does not read back, sent together.

A transition ends with a handful of small writes nobody reads back in the same transaction
(its visa, the route's new stage, putting away stale notices), then reads the head of the
organisation's history chain and appends the event. Sent one by one, each costs a round trip
to PostgreSQL and a wait. Inside :func:`deferred`, :func:`documents.db.run_dml` queues such
statements instead of running them; they go out, in order:

- with the next read :func:`first_row` makes — on PostgreSQL in psycopg's pipeline mode, the
  writes and the read in one round trip;
- before any other statement the session's connection runs (an ORM flush, a query): what
  runs next always sees them;
- with the COMMIT, by :func:`finish` (a transition's event and outbox row: their ids, asked
  with :func:`later`, are read after it);
- at the end of the block.

run_dml queues only statements whose result is not looked at (no RETURNING, no rowcount: a
claim's conditional UPDATE goes through :func:`rowcount`); an INSERT built with
:func:`sqlalchemy.insert` must be ``.inline()``. An error of a queued
statement is raised where they are sent, as SQLAlchemy raises it (the transaction then rolls
back: ``tests/web/test_database_busy.py``). The reads are sent by the driver directly, past
SQLAlchemy's execute events (:mod:`documents.direct`).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from sqlalchemy import event
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.orm import Session

from documents import direct

#: The queue, in the session's and its connection's ``info``.
QUEUE = "nastavnik_deferred_writes"


class Later:
    """The first row of a queued statement with RETURNING, there once the batch is sent."""

    __slots__ = ("row",)

    def __init__(self) -> None:
        self.row = None


@contextmanager
def deferred(session: Session) -> Iterator[None]:
    """Queue run_dml's statements in the block (see the module's text)."""
    if QUEUE in session.info:  # already deferring: the outer block sends
        yield
        return
    session.flush()
    conn = session.connection()
    queue: list = []
    shared = conn.info  # kept: a connection lost meanwhile must not fail the cleaning up
    session.info[QUEUE] = shared[QUEUE] = queue
    try:
        yield
        send(conn, queue)
    finally:
        session.info.pop(QUEUE, None)
        shared.pop(QUEUE, None)


def queued(session: Session) -> list | None:
    """The queue run_dml adds to, or None when the session is not deferring."""
    return session.info.get(QUEUE)


def later(session: Session, statement, params: dict) -> Later:
    """Queue a statement whose row (RETURNING) is needed only once the batch is sent — at the
    latest by :func:`finish`; outside :func:`deferred` it runs at once."""
    session.flush()
    result = Later()
    queue = queued(session)
    if queue is None:
        result.row = session.connection().execute(statement, params).first()
    else:
        queue.append((statement, params, result))
    return result


def first_row(session: Session, statement, params: dict) -> Any:
    """The first row of ``statement`` (a read, or a write with RETURNING), sent together with
    the writes queued before it (and after what the session holds, flushed first)."""
    result = later(session, statement, params)
    queue = queued(session)
    if queue:
        send(session.connection(), queue)
    return result.row


def rowcount(session: Session, statement, params: dict) -> int:
    """Run a write now, after what is queued, and return how many rows it changed (a claim's
    conditional UPDATE); on PostgreSQL through the driver directly, compiled once."""
    session.flush()
    conn = session.connection()
    queue = conn.info.get(QUEUE)
    if queue:
        send(conn, queue)
    sql = (direct.compiled(conn.dialect, statement, params)
           if conn.dialect.name == "postgresql" else None)
    if sql is None:
        return conn.execute(statement, params).rowcount
    with direct.sqlalchemy_errors(), conn.connection.driver_connection.cursor() as cursor:
        direct.execute(cursor, sql, params)
        return cursor.rowcount


def finish(session: Session) -> None:
    """Send what is queued and, on PostgreSQL, the COMMIT with it (one round trip): the
    session's own commit, which must come next, then has nothing left to send."""
    queue = queued(session)
    if queue is None:
        return
    session.flush()
    send(session.connection(), queue, commit=True)


def send(conn: Connection, queue: list, *, commit: bool = False) -> None:
    """Run the queued statements in order (and COMMIT, with ``commit`` on PostgreSQL)."""
    items = list(queue)
    queue.clear()
    if not items and not commit:
        return
    if conn.dialect.name != "postgresql":
        for statement, params, *result in items:
            rows = conn.execute(statement, params)
            if result:
                result[0].row = rows.first()
        return
    from psycopg.rows import namedtuple_row

    raw = conn.connection.driver_connection
    reads = []
    with direct.sqlalchemy_errors(), raw.pipeline():  # its end: one Sync, every answer read
        for statement, params, *result in items:
            sql = direct.compiled(conn.dialect, statement, params)
            if sql is None:  # needs SQLAlchemy's execution (see direct.compiled)
                conn.execute(statement, params)
                continue
            cursor = raw.cursor(row_factory=namedtuple_row)
            direct.execute(cursor, sql, params)
            if result:
                reads.append((result[0], cursor))
        if commit:  # psycopg then finds the transaction ended: its commit() sends nothing
            raw.execute("COMMIT")
    for result, cursor in reads:  # fetched after the pipeline: inside, a round trip more
        with cursor:
            result.row = cursor.fetchone()


def install(engine: Engine) -> None:
    """Whatever runs on a connection with queued writes runs after them."""

    @event.listens_for(engine, "before_execute")
    def _send_queued_first(conn, *_args):
        queue = conn.info.get(QUEUE)
        if queue:
            send(conn, queue)
