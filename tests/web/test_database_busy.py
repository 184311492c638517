"""A lock held too long (another transaction, a stuck job) never hangs a request: past the
lock timeout the API answers 503 «повторите» with Retry-After, nothing is half-written, and
the same call succeeds once the lock is gone (PostgreSQL: ``lock_timeout`` of the app's
connections)."""

from __future__ import annotations

import pytest
from sqlalchemy import text

from documents import db as db_module
from documents.models import Document
from tests.web.test_ui_pages import csrf_of
from workflow.runtime import Runtime


@pytest.fixture()
def short_lock_app(app, rt, settings, monkeypatch):
    if not rt.db.is_postgres:
        pytest.skip("lock_timeout is a PostgreSQL setting (SQLite waits busy_timeout)")
    monkeypatch.setattr(db_module, "LOCK_TIMEOUT_MS", 300)
    quick = Runtime.create(settings)
    monkeypatch.setitem(app.extensions, "nastavnik", quick)
    yield app
    quick.db.dispose()


def _lock_version(rt, doc_id: int) -> int:
    with rt.db.read_session() as s:
        return s.get(Document, doc_id).lock_version


def test_a_held_lock_answers_503_then_the_retry_succeeds(short_lock_app, api, rt, make_doc):
    doc_id = make_doc("on_approval")
    before = _lock_version(rt, doc_id)
    director = api.as_("director1")
    with rt.db.engine.connect() as other:  # another transaction holds the document's row
        other.execute(text("SELECT id FROM documents WHERE id = :id FOR UPDATE"), {"id": doc_id})
        response = director.post(f"/api/v1/documents/{doc_id}/events/approve",
                                 json={"lock_version": before})
        assert response.status_code == 503
        assert response.get_json()["error"]["code"] == "busy"
        assert "Повторите" in response.get_json()["error"]["message"]
        assert response.headers["Retry-After"] == "5"
        other.rollback()
    with rt.db.read_session() as s:  # nothing half-written
        doc = s.get(Document, doc_id)
        assert (doc.state.value, doc.lock_version) == ("on_approval", before)
    response = director.post(f"/api/v1/documents/{doc_id}/events/approve",
                             json={"lock_version": before})
    assert response.status_code == 200, response.get_json()
    assert response.get_json()["state"] == "approved"


def test_a_held_lock_on_a_page_says_so_in_russian(short_lock_app, as_user, rt, make_doc):
    doc_id = make_doc("on_approval")
    client = as_user("director1")
    form = {"csrf_token": csrf_of(client, f"/documents/{doc_id}"),
            "lock_version": _lock_version(rt, doc_id)}
    with rt.db.engine.connect() as other:
        other.execute(text("SELECT id FROM documents WHERE id = :id FOR UPDATE"), {"id": doc_id})
        page = client.post(f"/documents/{doc_id}/events/approve", data=form)
        other.rollback()
    assert page.status_code == 503
    assert "Сервер занят" in page.get_data(as_text=True)


def test_a_held_chain_lock_answers_503_and_writes_nothing(short_lock_app, api, rt, make_doc,
                                                          world):
    """The wait happens in the batch sent with the chain's head (documents.write_batch):
    the visa, the route's move and the notices queued before it are undone with the claim."""
    doc_id = make_doc("on_approval")
    before = _lock_version(rt, doc_id)
    with rt.db.engine.connect() as other:  # another transition of the school holds its chain
        other.execute(text("SELECT pg_advisory_xact_lock(7301, :org)"),
                      {"org": world.orgs["school1"]})
        response = api.as_("director1").post(f"/api/v1/documents/{doc_id}/events/approve",
                                             json={"lock_version": before})
        other.rollback()
    assert response.status_code == 503
    assert response.get_json()["error"]["code"] == "busy"
    with rt.db.read_session() as s:
        doc = s.get(Document, doc_id)
        assert (doc.state.value, doc.lock_version) == ("on_approval", before)
        assert s.scalar(text("SELECT count(*) FROM visas WHERE document_id = :d"),
                        {"d": doc_id}) == 0
    assert api.as_("director1").post(f"/api/v1/documents/{doc_id}/events/approve",
                                     json={"lock_version": before}).status_code == 200


def test_a_database_that_is_not_migrated_is_a_fault_not_busy(app, api, rt, monkeypatch, caplog):
    """On SQLite a missing table is an OperationalError too; waiting will not bring it back:
    the answer is 500 and the log has the traceback, where a «busy» would hide it."""
    import sqlite3

    from sqlalchemy.exc import OperationalError

    from workflow import accounts

    def fails(*_args, **_kwargs):
        raise OperationalError("SELECT …", {}, sqlite3.OperationalError("no such table: users"))

    director = api.as_("director1")
    monkeypatch.setattr(accounts, "actor_for_token", fails)
    with caplog.at_level("ERROR"):
        response = director.get("/api/v1/me")
    assert response.status_code == 500
    assert response.get_json()["error"]["code"] == "internal_error"
    assert "no such table: users" in caplog.text

    def locked(*_args, **_kwargs):
        raise OperationalError("SELECT …", {}, sqlite3.OperationalError("database is locked"))

    monkeypatch.setattr(accounts, "actor_for_token", locked)
    response = director.get("/api/v1/me")
    assert response.status_code == 503 and response.headers["Retry-After"] == "5"
    assert response.get_json()["error"]["code"] == "busy"
