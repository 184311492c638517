"""The floor: what any Flask + SQLAlchemy app pays for a guarded write — a SELECT, a
conditional UPDATE (optimistic lock), an INSERT and a COMMIT — served exactly like the app
(gunicorn with deploy/gunicorn.conf.py, the same PostgreSQL). Our transition is measured
against it."""

from __future__ import annotations

import os

from flask import Flask, g, has_request_context, jsonify
from sqlalchemy import create_engine, event, text

app = Flask(__name__)
engine = create_engine(os.environ["DATABASE_URL"].replace("postgresql://",
                                                          "postgresql+psycopg://", 1)
                       if os.environ["DATABASE_URL"].startswith("postgresql://")
                       else os.environ["DATABASE_URL"], pool_size=5, pool_pre_ping=True)


@event.listens_for(engine, "before_cursor_execute")
def _counted(*_args):  # per request, as the app counts them (web/requestlog.py)
    if has_request_context():
        g.sql = g.get("sql", 0) + 1


SCHEMA = """
CREATE TABLE IF NOT EXISTS bench_floor_rows (id int PRIMARY KEY, lock_version int NOT NULL);
CREATE TABLE IF NOT EXISTS bench_floor_log (id bigserial PRIMARY KEY, row_id int NOT NULL,
                                            at timestamptz NOT NULL DEFAULT now());
"""


def prepare(rows: int = 1000) -> None:
    with engine.begin() as conn:
        for stmt in SCHEMA.strip().split(";\n"):
            conn.execute(text(stmt))
        conn.execute(text("TRUNCATE bench_floor_rows, bench_floor_log"))
        conn.execute(text("INSERT INTO bench_floor_rows SELECT g, 0 FROM generate_series(1, :n) g"),
                     {"n": rows})


@app.get("/ping")
def ping():
    return jsonify({"ok": True})


@app.post("/floor/<int:row_id>")
def floor(row_id: int):
    with engine.connect() as conn:
        version = conn.execute(text("SELECT lock_version FROM bench_floor_rows WHERE id = :id"),
                               {"id": row_id}).scalar()
        if version is None:
            return jsonify({"error": "not found"}), 404
        done = conn.execute(text("UPDATE bench_floor_rows SET lock_version = lock_version + 1 "
                                 "WHERE id = :id AND lock_version = :v"),
                            {"id": row_id, "v": version}).rowcount
        if not done:
            conn.rollback()
            return jsonify({"error": "conflict"}), 409
        conn.execute(text("INSERT INTO bench_floor_log (row_id) VALUES (:id)"), {"id": row_id})
        conn.commit()
    resp = jsonify({"id": row_id, "lock_version": version + 1})
    resp.headers["X-SQL-Statements"] = str(g.get("sql", 0))
    return resp
