"""Request ids and one structured access line per request: its wall time (``ms``) and the CPU
its thread spent (``cpu_ms``) — a request far slower than its CPU waited (on PostgreSQL, on a
lock, or for a core)."""

from __future__ import annotations

import logging
import os
import time

from flask import Flask, g, has_request_context, request
from sqlalchemy import event

from documents import direct
from workflow import observability

log = logging.getLogger("nastavnik.access")


def _count_statements(app: Flask) -> None:
    """`NASTAVNIK_COUNT_SQL=1` (benchmarks): each answer says how many SQL statements it
    took, in `X-SQL-Statements`."""
    engine = app.extensions["nastavnik"].db.engine

    @event.listens_for(engine, "before_cursor_execute")
    def _counted(*_args):
        if has_request_context():
            g._sql = g.get("_sql", 0) + 1

    direct.SENT_DIRECTLY.append(_counted)


def register_request_log(app: Flask) -> None:
    counting = os.environ.get("NASTAVNIK_COUNT_SQL") == "1"
    if counting:
        _count_statements(app)

    @app.before_request
    def _start():
        g._t0 = time.perf_counter()
        g._cpu0 = time.thread_time()
        rid = observability.new_request_id(request.headers.get("X-Request-ID"))
        g._rid_token = observability.request_id.set(rid)
        g.request_id = rid

    @app.after_request
    def _finish(response):
        rid = g.get("request_id")
        if counting:
            response.headers["X-SQL-Statements"] = str(g.get("_sql", 0))
        if rid:
            response.headers["X-Request-ID"] = rid
            log.info("%s %s %s", request.method, request.path, response.status_code,
                     extra={"request_id": rid, "method": request.method, "path": request.path,
                            "status": response.status_code,
                            "ms": round((time.perf_counter() - g._t0) * 1000, 1),
                            "cpu_ms": round((time.thread_time() - g._cpu0) * 1000, 1)})
        return response

    @app.teardown_request
    def _clear(_exc):
        token = g.pop("_rid_token", None)
        if token is not None:
            observability.request_id.reset(token)
