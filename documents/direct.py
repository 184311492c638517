"""Statements sent by the driver (psycopg) directly, past SQLAlchemy's execution layer.

On the statements every request runs — the token lookup, a transition's small writes —
SQLAlchemy's execution (connection and session bookkeeping, result metadata, events) costs
more than the statement itself. A statement is compiled by SQLAlchemy once (its SQL and its
bind processors: JSON, enums), then the driver runs it. Used by :mod:`documents.write_batch`
and :func:`read_rows`; PostgreSQL only (SQLite goes through SQLAlchemy as usual).

Errors are raised as SQLAlchemy raises them (a lock timeout → OperationalError: the web
layer's 503). Whoever counts statements (the request log) also listens to
:data:`SENT_DIRECTLY`: these statements pass no SQLAlchemy event.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from sqlalchemy.engine import Dialect, Engine
from sqlalchemy.exc import DBAPIError

#: Called once for each statement sent by the driver directly (the request log's SQL count).
SENT_DIRECTLY: list[Callable[[], None]] = []

Compiled = tuple[str, Callable[[dict], dict]]

_COMPILED: dict[tuple, tuple | None] = {}


def compiled(dialect: Dialect, statement, params: dict) -> Compiled | None:
    """The statement as the driver's SQL and a function turning parameters into the driver's
    values (SQLAlchemy's bind processing), compiled once per statement and set of parameters.
    None for what needs SQLAlchemy's execution: an INSERT leaving out a column with a
    Python-side default, parameters expanded at execution (IN lists)."""
    key = (id(statement), tuple(params))
    if key in _COMPILED:
        entry = _COMPILED[key]
        return None if entry is None else entry[1]
    if len(_COMPILED) > 512:  # statements are module constants; a caller building its own
        _COMPILED.clear()     # per call must not grow this for ever
    done = statement.compile(dialect=dialect, column_keys=list(params))
    table = getattr(statement, "table", None)
    python_defaults = statement.is_insert and any(
        c.default is not None and c.key not in params for c in table.columns)
    if python_defaults or done.literal_execute_params or done.post_compile_params:
        _COMPILED[key] = None
        return None
    processors = dict(done._bind_processors)

    def bind(values: dict, done=done, processors=processors) -> dict:
        values = done.construct_params(values)
        return {k: (processors[k](v) if k in processors else v) for k, v in values.items()}

    _COMPILED[key] = (statement, (str(done), bind))  # the statement: its id stays its own
    return str(done), bind


def execute(cursor, statement: Compiled, params: dict) -> None:
    sql, bind = statement
    cursor.execute(sql, bind(params))
    for observer in SENT_DIRECTLY:
        observer()


@contextmanager
def sqlalchemy_errors() -> Iterator[None]:
    """The driver's errors as SQLAlchemy raises them."""
    import psycopg

    try:
        yield
    except psycopg.Error as exc:
        raise DBAPIError.instance(None, None, exc, psycopg.Error) from exc


def read_rows(engine: Engine, statement, params: dict) -> list[Any]:
    """The rows of one read outside any transaction (autocommit: no BEGIN and ROLLBACK round
    trips around it), on a pooled connection, as named tuples. For a plain SELECT of columns
    whose values the driver already gives as the application uses them (numbers, text,
    timestamps); what needs SQLAlchemy's result processing reads through a session."""
    from psycopg.rows import namedtuple_row

    sql = compiled(engine.dialect, statement, params)
    if sql is None:
        raise ValueError("read_rows: the statement needs SQLAlchemy's execution")
    pooled = engine.raw_connection()  # the pool's checkout: its ping, its events
    raw = pooled.driver_connection
    try:
        raw.autocommit = True
        with sqlalchemy_errors(), raw.cursor(row_factory=namedtuple_row) as cursor:
            execute(cursor, sql, params)
            return cursor.fetchall()
    finally:
        if raw.closed or raw.broken:
            pooled.invalidate()  # the server ended it: never handed out again
        else:
            raw.autocommit = False
        pooled.close()
