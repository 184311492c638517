"""Where an approval waits on PostgreSQL: one approve, traced at the wire (libpq's protocol
trace through psycopg), printed as its round trips with the statements each carried.

The floor pays five (BEGIN, SELECT, UPDATE, INSERT, COMMIT). `bench/run.py` prints this next
to the floor-vs-transition figures; a round trip is the client sending and then waiting for
the server's answer.
"""

from __future__ import annotations

import re
import tempfile
from typing import IO

from sqlalchemy import event

_MESSAGE = re.compile(r"^(?:[^\t]*\t)?[FB]\t\d+\t")
_WRITTEN = re.compile(r"^\W*(?:INSERT INTO|UPDATE|DELETE FROM)\s+\"?(\w+)", re.IGNORECASE)
_FIRST_COLUMN = re.compile(r"^\W*SELECT\s+(?:\w+\()?(\w+)\.\w+", re.IGNORECASE)
_FROM = re.compile(r"\bFROM\s+\"?(\w+)", re.IGNORECASE)
_CALLED = re.compile(r"\b(\w+)\(")


def _label(sql: str) -> str:
    """«VERB table» of a statement (a SELECT's table: that of its first column, else its
    FROM, else the function it calls)."""
    words = re.findall(r"\w+", sql[:400])
    verb = words[0].upper() if words else "?"
    if verb in ("BEGIN", "COMMIT", "ROLLBACK"):
        return verb
    for pattern in (_WRITTEN, _FIRST_COLUMN, _FROM, _CALLED):
        match = pattern.search(sql)
        if match:
            return f"{verb} {match.group(1)}"
    return verb


def parse(trace: str, prepared: dict[str, str] | None = None) -> list[list[str]]:
    """The round trips of a libpq trace: each run of messages the client sent before it read
    an answer, as the statements it carried. A statement prepared earlier has no Parse: it
    shows as its text in ``prepared`` (statement name → SQL, what the connection had
    prepared when the trace began), else as «prepared». A round trip that only prepares
    (psycopg does so on a statement's fifth run on a connection, outside a pipeline) is what
    a connection learns once: it is not counted, and its statement names the Bind that
    follows."""
    known = dict(prepared or {})
    trips: list[list[str]] = []
    preparing: list[bool] = []  # per trip: it carried named Parses only
    current: list[str] | None = None
    parsed = False
    messages: list[str] = []
    for line in trace.splitlines():  # an SQL text's own line breaks continue its message
        if _MESSAGE.match(line) or not messages:
            messages.append(line)
        else:
            messages[-1] += " " + line
    for line in messages:
        fields = line.split("\t")
        if "B" in fields[:2]:
            current = None
            continue
        if "F" not in fields[:2]:
            continue
        at = fields.index("F")
        kind, rest = fields[at + 2], fields[at + 3:]
        if current is None:
            current = []
            trips.append(current)
            preparing.append(True)
        text = " ".join(rest).strip()
        if kind == "Parse":  # "name" "SELECT …" n
            name, _, sql = text.partition('" "')
            name = name.strip('"')
            if name:
                known[name] = sql
            current.append(_label(sql))
            preparing[-1] = preparing[-1] and bool(name)
        elif kind == "Query":  # "BEGIN …"
            current.append(_label(text.lstrip('"')))
        elif kind == "Bind" and not parsed:
            names = [n for n in re.findall(r'"([^"]*)"', text) if n]
            sql = known.get(names[0]) if names else None
            current.append(_label(sql) if sql else "prepared")
        preparing[-1] = preparing[-1] and kind in ("Parse", "Sync")
        parsed = kind == "Parse"
    return [trip for trip, only_prepares in zip(trips, preparing) if not only_prepares]


def approve_round_trips(rt, token: str, docs: list[tuple[int, int]]) -> list[list[str]]:
    """Approve two documents (id, lock_version) in this process through the JSON API and
    return the round trips of the second, tracing every pooled connection it checks out (the
    first warms the connection: what a pooled connection learns once is not counted). The
    effects it causes are left to the workers, as deployed (embedded mode would run them in
    the request)."""
    from web import create_app

    app = create_app(rt.settings, TESTING=True)
    app.extensions["nastavnik"] = rt
    client = app.test_client()

    def approve(doc_id: int, lock_version: int):
        answer = client.post(f"/api/v1/documents/{doc_id}/events/approve",
                             headers={"Authorization": f"Bearer {token}"},
                             json={"lock_version": lock_version})
        if answer.status_code != 200:
            raise RuntimeError(f"approve answered {answer.status_code}: {answer.get_json()}")

    approve(*docs[0])
    # one trace per checkout, read with what that connection had prepared: psycopg names
    # prepared statements per connection (_pg3_0, _pg3_1, …), so one name means different
    # statements on two pooled connections
    traces: list[tuple[IO[str], dict[str, str]]] = []

    def on(dbapi_connection, *_args):
        out = tempfile.TemporaryFile("w+")  # noqa: SIM115 - closed once read, below
        traces.append((out, _prepared_statements(dbapi_connection)))
        dbapi_connection.pgconn.trace(out.fileno())

    def off(dbapi_connection, *_args):
        dbapi_connection.pgconn.untrace()

    event.listen(rt.db.engine, "checkout", on)
    event.listen(rt.db.engine, "checkin", off)
    effects, rt.on_effects = rt.on_effects, lambda *_: None  # the workers' (as deployed)
    try:
        approve(*docs[1])
    finally:
        rt.on_effects = effects
        event.remove(rt.db.engine, "checkout", on)
        event.remove(rt.db.engine, "checkin", off)
    read = []
    for out, prepared in traces:
        with out:
            out.flush()
            out.seek(0)
            read.append((out.read(), prepared))
    return parse_checkouts(read)


def parse_checkouts(traces: list[tuple[str, dict[str, str]]]) -> list[list[str]]:
    """The round trips of several checkouts, in their order, each trace read with what its
    own connection had prepared (:func:`parse`)."""
    return [trip for trace, prepared in traces for trip in parse(trace, prepared)]


def _prepared_statements(dbapi_connection) -> dict[str, str]:
    """Name → SQL of what psycopg has prepared on the connection (it prepares a statement run
    five times): the trace shows those by name only."""
    names = getattr(getattr(dbapi_connection, "_prepared", None), "_names", {})
    return {name.decode(): key[0].decode() for key, name in names.items()}


def describe(trips: list[list[str]]) -> str:
    return " | ".join(" + ".join(t) for t in trips)
