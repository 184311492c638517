"""Engine and session factory shared by the web app, the Celery tasks and the CLI.

SQLite is the embedded default. Write use cases open their own session through
:meth:`Database.write_session`, which on SQLite starts with ``BEGIN IMMEDIATE`` so that
concurrent writers queue on the database lock instead of failing with "database is locked".
"""

from __future__ import annotations

import select as _select
from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import MetaData, create_engine, event, make_url
from sqlalchemy.engine import Engine
from sqlalchemy.orm import DeclarativeBase, Session, scoped_session, sessionmaker
from sqlalchemy.pool import NullPool

from documents import direct, write_batch

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


#: PostgreSQL ``lock_timeout`` of application connections (ms).
LOCK_TIMEOUT_MS = 15_000


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


def run_dml(session: Session, statement, params: dict | None = None):
    """Execute a Core INSERT/UPDATE/DELETE on the session's connection, inside its
    transaction, after flushing what the session holds: the ORM's bulk-statement machinery
    (autoflush, ORM compile, identity-map synchronisation) is skipped, which on a hot path
    costs more than the statement. Objects already loaded are not refreshed: use it for rows
    the transaction does not hold as objects, or set their new values yourself.

    Inside :func:`documents.write_batch.deferred` the statement is queued (returns None): a
    statement whose result is read goes through write_batch.rowcount or first_row."""
    session.flush()
    queue = write_batch.queued(session)
    if queue is not None:
        queue.append((statement, params or {}))
        return None
    return session.connection().execute(statement, params or {})


def normalise_url(url: str) -> str:
    """Accept plain ``postgresql://`` URLs and use the psycopg 3 driver for them."""
    if url.startswith("postgres://"):
        url = "postgresql://" + url[len("postgres://") :]
    if url.startswith("postgresql://"):
        url = "postgresql+psycopg://" + url[len("postgresql://") :]
    return url


def make_engine(url: str, **kwargs) -> Engine:
    url = normalise_url(url)
    if url.startswith("sqlite"):
        engine = create_engine(
            url, connect_args={"timeout": 30, "check_same_thread": False}, **kwargs
        )
        _configure_sqlite(engine)
        write_batch.install(engine)
        return engine
    kwargs.setdefault("pool_pre_ping", True)
    # No statement waits on a row or advisory lock for ever: past LOCK_TIMEOUT it fails,
    # the request answers 503 «повторите» and the server log says which statement waited.
    options = make_url(url).query.get("options", "")  # e.g. a search_path given in the URL
    options = " ".join(options) if isinstance(options, tuple) else options
    kwargs.setdefault("connect_args", {
        "options": f"{options} -c lock_timeout={LOCK_TIMEOUT_MS}".strip()})
    if "poolclass" not in kwargs:
        kwargs.setdefault("pool_size", 10)
        kwargs.setdefault("max_overflow", 20)
    engine = create_engine(url, **kwargs)
    write_batch.install(engine)
    if engine.dialect.name == "postgresql":
        _ping_only_when_readable(engine)
        _convert_long_statements_once()
    return engine


def _convert_long_statements_once() -> None:
    """psycopg converts a statement's placeholders once per text and keeps the result, but
    only for texts up to 4 KB with up to 50 parameters (module constants of its query
    conversion). The inbox's statement is longer (each section's condition twice, the
    person's lists of ids) and was converted again on every page (~0.4 ms of CPU): keep
    texts up to 16 KB with up to 400 parameters too. The cache still holds at most 128
    texts; a psycopg without these constants is left as it is."""
    from psycopg import _queries

    if hasattr(_queries, "MAX_CACHED_STATEMENT_LENGTH"):
        _queries.MAX_CACHED_STATEMENT_LENGTH = max(_queries.MAX_CACHED_STATEMENT_LENGTH, 16384)
    if hasattr(_queries, "MAX_CACHED_STATEMENT_PARAMS"):
        _queries.MAX_CACHED_STATEMENT_PARAMS = max(_queries.MAX_CACHED_STATEMENT_PARAMS, 400)


def _ping_only_when_readable(engine: Engine) -> None:
    """``pool_pre_ping`` without a round trip on every checkout. A pooled connection that
    sits idle has nothing to read: when the server ends it (``pg_terminate_backend``, a
    restart, an idle timeout) it sends an error and closes the socket, which then becomes
    readable. So the real ``SELECT 1`` is sent only when the socket has something to read —
    and fails there, so the pool replaces the connection before a request uses it — and a
    healthy connection is handed out as it is."""
    dialect = engine.dialect
    real_ping = dialect.do_ping

    def do_ping(dbapi_connection) -> bool:
        return real_ping(dbapi_connection) if _has_input(dbapi_connection) else True

    dialect.do_ping = do_ping


def _has_input(dbapi_connection) -> bool:
    """Is there something to read on this idle connection's socket (or no socket at all)?"""
    try:
        fd = dbapi_connection.fileno()
    except Exception:  # noqa: BLE001 - a closed connection has no socket: ping for real
        return True
    poller = _select.poll()
    poller.register(fd, _select.POLLIN | _select.POLLPRI)
    return bool(poller.poll(0))


def _configure_sqlite(engine: Engine) -> None:
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection, _record):  # pragma: no cover - driver hook
        dbapi_connection.isolation_level = None  # we emit BEGIN ourselves
        cur = dbapi_connection.cursor()
        cur.execute("PRAGMA foreign_keys=ON")
        cur.execute("PRAGMA busy_timeout=30000")
        if engine.url.database and engine.url.database != ":memory:":
            cur.execute("PRAGMA journal_mode=WAL")
            cur.execute("PRAGMA synchronous=NORMAL")
        cur.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn):  # pragma: no cover - driver hook
        immediate = conn.get_execution_options().get("sqlite_immediate")
        conn.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")


class Database:
    """Holds the engine, a scoped read session for requests and write sessions for use cases."""

    def __init__(self, url: str, **engine_kwargs) -> None:
        self.url = normalise_url(url)
        self.engine = make_engine(self.url, **engine_kwargs)
        self.is_sqlite = self.engine.dialect.name == "sqlite"
        self.is_postgres = self.engine.dialect.name == "postgresql"
        write_bind = (
            self.engine.execution_options(sqlite_immediate=True) if self.is_sqlite else self.engine
        )
        # A request's reads need no transaction of their own on PostgreSQL: at READ COMMITTED
        # each statement sees what was committed when it started, in a transaction or not.
        # Without one, a read request saves its BEGIN and ROLLBACK (two round trips and the
        # session's transaction machinery, ~1 ms of CPU). On SQLite the transaction is kept:
        # it is what makes a page's statements read one snapshot.
        read_bind = self.engine.execution_options(
            **({"isolation_level": "AUTOCOMMIT"} if self.is_postgres else {}),
            **{READ_ONLY: True})
        self._factory = sessionmaker(bind=read_bind, expire_on_commit=False)
        _refuse_writes(self._factory, self.engine)
        self._write_factory = sessionmaker(bind=write_bind, expire_on_commit=False)
        self.session = scoped_session(self._factory)

    @contextmanager
    def write_session(self) -> Iterator[Session]:
        """A unit of work: commit on success, roll back on any exception."""
        session = self._write_factory()
        try:
            yield session
            session.commit()
        except BaseException:
            session.rollback()
            raise
        finally:
            session.close()
        # What this thread reads next must see the commit: end the read session's
        # transaction (on SQLite it holds a snapshot from before the write).
        if self.session.registry.has():
            self.session.rollback()

    def read_rows(self, statement, params: dict) -> list:
        """The rows of one plain read outside any transaction: on PostgreSQL sent by the
        driver directly in autocommit (:func:`documents.direct.read_rows`) — what every API
        request's token lookup needs; on SQLite through a read session."""
        if self.is_postgres:
            return direct.read_rows(self.engine, statement, params)
        with self.read_session() as session:
            return session.connection().execute(statement, params).all()

    @contextmanager
    def read_session(self) -> Iterator[Session]:
        session = self._factory()
        try:
            yield session
        finally:
            session.close()

    def dispose(self) -> None:
        self.session.remove()
        self.engine.dispose()


def stream_rows(session: Session, statement, size: int) -> Iterator:
    """The rows of a long read, fetched ``size`` at a time (a server-side cursor). A cursor
    needs a transaction, which a read session has not on PostgreSQL: there the rows come
    through a connection of their own, in a transaction of its own — at READ COMMITTED it sees
    what the session would."""
    bind = session.get_bind()
    if bind.get_execution_options().get("isolation_level") != "AUTOCOMMIT":
        yield from session.execute(statement.execution_options(yield_per=size))
        return
    with bind.connect() as conn:
        conn = conn.execution_options(isolation_level="READ COMMITTED")
        with conn.begin():
            yield from conn.execute(statement.execution_options(yield_per=size))


class ReadSessionWrite(RuntimeError):
    """Something tried to write through a read session (a request's or ``read_session()``)."""


#: The execution option that marks a read session's connections (see :func:`_refuse_writes`).
READ_ONLY = "nastavnik_read_only"
_WRITES = ("INSERT", "UPDATE", "DELETE", "MERGE")


def _refuse_writes(factory: sessionmaker, engine: Engine) -> None:
    """Read sessions never write: on PostgreSQL they run without a transaction, so a write
    would be committed at once, half a use case. Writes go through
    :meth:`Database.write_session`; trying one here fails loudly, on every database — through
    the ORM (a flush, an ORM statement) or on the session's connection (a Core statement, SQL
    text), before the statement is sent."""

    @event.listens_for(engine, "before_cursor_execute")
    def _no_write_statement(conn, _cursor, statement, _params, _context, _many):
        if (conn.get_execution_options().get(READ_ONLY)
                and statement.lstrip()[:6].upper().startswith(_WRITES)):
            raise ReadSessionWrite("a read session does not write: use write_session()")

    @event.listens_for(factory, "before_flush")
    def _no_flush(session, _context, _instances):
        if session.new or session.deleted or any(session.is_modified(o) for o in session.dirty):
            raise ReadSessionWrite("a read session does not write: use write_session()")

    @event.listens_for(factory, "do_orm_execute")
    def _no_dml(state):
        if state.is_insert or state.is_update or state.is_delete:
            raise ReadSessionWrite("a read session does not write: use write_session()")


def null_pool_database(url: str) -> Database:
    """A database whose every session opens its own connection (for concurrency tests)."""
    return Database(url, poolclass=NullPool)
