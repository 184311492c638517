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
- at the end of the block.

Only for statements whose result is not looked at (no RETURNING, no rowcount): an INSERT
built with :func:`sqlalchemy.insert` must be ``.inline()``. An error of a queued statement is
raised where they are sent, as SQLAlchemy raises it (the transaction then rolls back).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from sqlalchemy import event
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session

#: The queue, in the session's and its connection's ``info``.
QUEUE = "nastavnik_deferred_writes"


@contextmanager
def deferred(session: Session) -> Iterator[None]:
    if QUEUE in session.info:  # already deferring: the outer block sends
        yield
        return
    session.flush()
    conn = session.connection()
    queue: list = []
    session.info[QUEUE] = conn.info[QUEUE] = queue
    try:
        yield
        send(conn, queue)
    finally:
        session.info.pop(QUEUE, None)
        conn.info.pop(QUEUE, None)


def queued(session: Session) -> list | None:
    """The queue run_dml adds to, or None when the session is not deferring."""
    return session.info.get(QUEUE)


def first_row(session: Session, statement, params: dict) -> Any:
    """The first row of ``statement`` (a read, or a write with RETURNING), sent together with
    the writes queued before it (and after what the session holds, flushed first)."""
    session.flush()
    conn = session.connection()
    queue = conn.info.get(QUEUE)
    if not queue or conn.dialect.name != "postgresql":
        return conn.execute(statement, params).first()  # the listener sends the queue first
    return send(conn, queue, (statement, params))


def send(conn: Connection, queue: list, read: tuple | None = None) -> Any:
    """Run the queued writes (and ``read``, returning its first row) in order."""
    items = list(queue)
    queue.clear()
    if not items and read is None:
        return None
    if conn.dialect.name != "postgresql":
        for statement, params in items:
            conn.execute(statement, params)
        return conn.execute(*read).first() if read else None
    import psycopg
    from psycopg.rows import namedtuple_row

    raw = conn.connection.driver_connection
    try:
        with raw.pipeline():
            for statement, params in items:
                conn.execute(statement, params)
            if read is None:
                return None
            sql, bind = _raw(conn, read[0])
            with raw.cursor(row_factory=namedtuple_row) as cursor:
                cursor.execute(sql, bind(read[1]))
                return cursor.fetchone()
    except psycopg.Error as exc:
        raise DBAPIError.instance(None, None, exc, psycopg.Error) from exc


_COMPILED: dict[int, tuple] = {}


def _raw(conn: Connection, statement) -> tuple[str, Any]:
    """The statement as the driver's SQL and a function turning parameters into the driver's
    values (SQLAlchemy's bind processing: JSON, enums), compiled once per statement."""
    entry = _COMPILED.get(id(statement))
    if entry is None:
        compiled = statement.compile(dialect=conn.dialect)
        processors = dict(compiled._bind_processors)

        def bind(params: dict, compiled=compiled, processors=processors) -> dict:
            values = compiled.construct_params(params)
            return {k: (processors[k](v) if k in processors else v) for k, v in values.items()}

        entry = _COMPILED[id(statement)] = (statement, str(compiled), bind)
    return entry[1], entry[2]


def install(engine: Engine) -> None:
    """Whatever runs on a connection with queued writes runs after them."""

    @event.listens_for(engine, "before_execute")
    def _send_queued_first(conn, *_args):
        queue = conn.info.get(QUEUE)
        if queue:
            send(conn, queue)
