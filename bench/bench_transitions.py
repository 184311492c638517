"""Transition cost over HTTP vs a bare Flask + SQLAlchemy endpoint doing the same
UPDATE + INSERT on the same database, and the state machine's own cost per event.

Run: .venv/bin/python bench/bench_transitions.py [N]   (DATABASE_URL for PostgreSQL)
Prints requests/s of both and the ratio (target ≤ 2×), and µs/event of a shared
`transitions` machine vs a new Machine per object.
"""

from __future__ import annotations

import os
import sys
import tempfile
import time
from pathlib import Path

from flask import Flask, jsonify
from sqlalchemy import text

from documents import schema
from documents.models import DocState
from workflow import accounts
from workflow.engine.authoring import create_document
from workflow.engine.machine import TransitionContext, build_machine, fire
from workflow.engine.permissions import Actor
from workflow.runtime import Runtime, Settings

N = int(sys.argv[1]) if len(sys.argv) > 1 else 400


def setup(tmp: Path):
    url = os.environ.get("DATABASE_URL") or f"sqlite:///{tmp / 'bench.db'}"
    rt = Runtime.create(Settings(database_url=url, data_dir=tmp, effects_mode="celery"))
    if rt.db.is_postgres:
        with rt.db.engine.begin() as conn:
            conn.execute(text("DROP SCHEMA public CASCADE; CREATE SCHEMA public;"))
    schema.upgrade(url)
    with rt.db.write_session() as s:
        muni = accounts.create_organization(s, name="М", short_name="М", kind="municipality")
        school = accounts.create_organization(s, name="Ш", short_name="Ш", kind="school",
                                              parent_id=muni.id)
        ids = {}
        for key, role in (("admin", "school_admin"), ("director", "director")):
            user = accounts.create_user(s, email=f"{key}@b.local", full_name=key,
                                        password="x" * 12)
            accounts.grant_role(s, user.id, school.id, role)
            ids[key] = user.id
        school_id = school.id
    return rt, school_id, ids


def bench_http(rt, school_id, ids) -> float:
    from web import create_app

    app = create_app(rt.settings, TESTING=True)
    app.extensions["nastavnik"] = rt
    client = app.test_client()
    admin = {"Authorization": f"Bearer {accounts.issue_token(rt, ids['admin'])}"}
    director = {"Authorization": f"Bearer {accounts.issue_token(rt, ids['director'])}"}
    with rt.db.read_session() as s:
        from documents.models import User

        actor = Actor.of(s.get(User, ids["admin"]))
    doc_id = create_document(rt, actor, kind="order", org_id=school_id, title="Бенчмарк",
                             fields={"clauses": [{"text": "Пункт"}]})
    lock = 0
    started = time.perf_counter()
    for i in range(N):  # submit / reject, alternately, as the two people would
        event, headers = ("submit", admin) if i % 2 == 0 else ("reject", director)
        resp = client.post(f"/api/v1/documents/{doc_id}/events/{event}", headers=headers,
                           json={"lock_version": lock, "comment": "Ещё раз"})
        assert resp.status_code == 200, resp.get_json()
        lock += 1
    return N / (time.perf_counter() - started)


def bench_floor(rt) -> float:
    """The same UPDATE + INSERT behind a bare Flask endpoint (with a token lookup)."""
    app = Flask("floor")
    engine = rt.db.engine
    with engine.begin() as conn:
        conn.execute(text("CREATE TABLE IF NOT EXISTS floor_doc (id INTEGER PRIMARY KEY, "
                          "state VARCHAR(32), lock_version INTEGER)"))
        conn.execute(text("CREATE TABLE IF NOT EXISTS floor_event (id SERIAL PRIMARY KEY, "
                          "doc_id INTEGER, event VARCHAR(32), hash VARCHAR(64))"
                          if rt.db.is_postgres else
                          "CREATE TABLE IF NOT EXISTS floor_event (id INTEGER PRIMARY KEY, "
                          "doc_id INTEGER, event VARCHAR(32), hash VARCHAR(64))"))
        conn.execute(text("DELETE FROM floor_doc"))
        conn.execute(text("INSERT INTO floor_doc VALUES (1, 'draft', 0)"))

    @app.post("/doc/<int:doc_id>/<event>/<int:lock>")
    def transition(doc_id, event, lock):
        with engine.begin() as conn:
            conn.execute(text("SELECT id FROM api_tokens LIMIT 1"))
            row = conn.execute(text("UPDATE floor_doc SET lock_version = lock_version + 1, "
                                    "state = :s WHERE id = :i AND lock_version = :v"),
                               {"s": event, "i": doc_id, "v": lock})
            assert row.rowcount == 1
            conn.execute(text("INSERT INTO floor_event (doc_id, event, hash) VALUES (:d, :e, :h)"),
                         {"d": doc_id, "e": event, "h": "0" * 64})
        return jsonify({"id": doc_id, "lock_version": lock + 1})

    client = app.test_client()
    started = time.perf_counter()
    for i in range(N):
        assert client.post(f"/doc/1/e{i % 2}/{i}").status_code == 200
    return N / (time.perf_counter() - started)


def bench_machine() -> tuple[float, float]:
    machine = build_machine("order")
    runs = 20000
    started = time.perf_counter()
    for _ in range(runs):
        fire("order", "submit", TransitionContext(state=DocState.draft, document=None))
    shared = (time.perf_counter() - started) / runs * 1e6
    started = time.perf_counter()
    for _ in range(2000):
        m = build_machine("order")
        m.events["submit"].trigger(TransitionContext(state=DocState.draft, document=None))
    per_object = (time.perf_counter() - started) / 2000 * 1e6
    del machine
    return shared, per_object


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        rt, school_id, ids = setup(Path(tmp))
        ours = bench_http(rt, school_id, ids)
        floor = bench_floor(rt)
        shared, per_object = bench_machine()
        print(f"database: {rt.db.engine.dialect.name}, {N} transitions, in-process WSGI client")
        print(f"bare Flask + SQLAlchemy UPDATE+INSERT: {floor:8.0f} req/s")
        print(f"Nastavnik transition over HTTP:        {ours:8.0f} req/s")
        print(f"ratio (floor / ours): {floor / ours:.2f}x   (target ≤ 2x)")
        print(f"state machine: shared {shared:.1f} µs/event, new Machine per object "
              f"{per_object:.1f} µs/event")
        rt.db.dispose()


if __name__ == "__main__":
    main()
