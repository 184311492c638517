"""Effects through the outbox, a real Redis and a Celery worker: each runs exactly once,
and with Redis unreachable people keep approving and signing."""

import os

import pytest
from sqlalchemy import func, select

from documents.models import DocumentVersion, Notification, OutboxItem
from documents.models.document import RenderStatus
from tests.waiting import pause
from workflow.runtime import Runtime

pytestmark = pytest.mark.redis

REDIS_URL = os.environ.get("REDIS_URL")


@pytest.fixture()
def celery_rt(rt):
    """The same database in distributed mode: effects wait for the relay."""
    from dataclasses import replace

    return Runtime(replace(rt.settings, effects_mode="celery"), rt.db, rt.files)


@pytest.fixture()
def worker(celery_rt):
    if not REDIS_URL:
        pytest.skip("REDIS_URL is not set")
    from celery.contrib.testing.worker import start_worker

    from tasks import celery_app as module
    from tasks.celery_app import celery_app, configure

    if celery_app.conf.broker_url != REDIS_URL:
        configure(celery_app, REDIS_URL)
    celery_app.conf.task_default_queue = f"test-{os.getpid()}"
    module.set_runtime(celery_rt)
    with start_worker(celery_app, pool="solo", perform_ping_check=False, loglevel="WARNING",
                      shutdown_timeout=30):
        yield celery_app
    module.set_runtime(None)


def _pending(rt) -> int:
    with rt.db.read_session() as s:
        return s.scalar(select(func.count()).select_from(OutboxItem)
                        .where(OutboxItem.done_at.is_(None)))


def _wait_done(rt, timeout=30.0) -> None:
    import time

    deadline = time.monotonic() + timeout
    while _pending(rt) and time.monotonic() < deadline:
        pause(0.2)


def _make(celery_rt, world, actor, walk):
    from tests.conftest import ORDER_FIELDS, PATH_TO
    from workflow.engine.authoring import create_document
    from workflow.engine.transition import apply_event

    doc_id = create_document(celery_rt, actor("admin1"), kind="order",
                             org_id=world.orgs["school1"], title="О наставничестве",
                             fields=ORDER_FIELDS)
    for user, event, comment in PATH_TO[walk]:
        apply_event(celery_rt, doc_id, event, actor(user), comment)
    return doc_id


def test_effects_run_once_through_redis(worker, celery_rt, world, actor):
    from tasks.effect_tasks import run_effect_task
    from tasks.relay import relay_outbox

    doc_id = _make(celery_rt, world, actor, "approved")
    assert _pending(celery_rt) == 3  # preview render, notify on submit and on approve
    assert relay_outbox() == 3
    _wait_done(celery_rt)
    assert _pending(celery_rt) == 0
    with celery_rt.db.read_session() as s:
        version = s.scalar(select(DocumentVersion).where(DocumentVersion.document_id == doc_id))
        assert version.render_status is RenderStatus.ready
        notes = s.scalar(select(func.count()).select_from(Notification))
        ids = list(s.scalars(select(OutboxItem.id)))
    # A redelivery of every effect changes nothing.
    for outbox_id in ids:
        assert run_effect_task.apply(args=[outbox_id]).get() == "skipped"
    with celery_rt.db.read_session() as s:
        assert s.scalar(select(func.count()).select_from(Notification)) == notes


def test_people_keep_working_while_redis_is_down(worker, celery_rt, world, actor, monkeypatch):
    import time

    from celery import Celery

    from tasks import relay
    from tasks.celery_app import configure
    from tasks.effect_tasks import run_effects_task

    down = configure(Celery("down"), "redis://127.0.0.1:1/0")  # nothing listens there
    monkeypatch.setattr(relay, "run_effects_task",
                        down.task(name=run_effects_task.name)(run_effects_task.run))
    started = time.monotonic()
    doc_id = _make(celery_rt, world, actor, "signed")
    assert time.monotonic() - started < 10  # approving and signing never touched Redis
    pending = _pending(celery_rt)
    assert pending >= 4
    assert relay.relay_outbox() == 0  # nothing published; rows given back
    assert _pending(celery_rt) == pending
    with celery_rt.db.read_session() as s:
        assert s.scalar(select(func.count()).select_from(OutboxItem)
                        .where(OutboxItem.dispatched_at.is_not(None))) == 0

    monkeypatch.setattr(relay, "run_effects_task", run_effects_task)  # Redis is back
    assert relay.relay_outbox() == pending
    _wait_done(celery_rt)
    assert _pending(celery_rt) == 0
    with celery_rt.db.read_session() as s:
        assert s.scalar(select(func.count()).select_from(OutboxItem)
                        .where(OutboxItem.attempts != 1)) == 0  # each ran exactly once
        version = s.scalar(select(DocumentVersion).where(DocumentVersion.document_id == doc_id))
        assert version.file_sha256  # the signed file was frozen while Redis was down


def test_relay_sends_effects_in_batches_that_keep_both_workers_busy():
    from tasks.relay import BATCH, batches

    assert batches([]) == []
    assert batches([7]) == [[7]]
    assert batches([1, 2, 3]) == [[1, 2], [3]]  # two workers: both get some
    ids = list(range(1, 2 * BATCH + 6))
    sent = batches(ids)
    assert [i for b in sent for i in b] == ids and max(len(b) for b in sent) == BATCH


def test_a_failing_effect_does_not_hold_back_its_batch(celery_rt, world, actor, monkeypatch):
    """One effect of a batch fails: the others are done, the failed one is recorded on its
    row and given back to the relay, which sends it again once its backoff is over."""
    from datetime import timedelta

    from tasks import celery_app as module
    from tasks.effect_tasks import run_effects_task
    from tasks.relay import relay_outbox
    from workflow import clock
    from workflow.engine import effects

    _make(celery_rt, world, actor, "approved")
    with celery_rt.db.read_session() as s:
        rows = s.execute(select(OutboxItem.id, OutboxItem.effect).order_by(OutboxItem.id)).all()
    assert [r.effect for r in rows].count("notify") == 2
    broken = next(r.id for r in rows if r.effect == "notify")

    real = effects.HANDLERS["notify"]

    def notify(rt, session, item):
        if item.id == broken:
            raise RuntimeError("почтовый сервер недоступен")
        return real(rt, session, item)

    monkeypatch.setitem(effects.HANDLERS, "notify", notify)
    module.set_runtime(celery_rt)
    try:
        assert effects.claim_pending(celery_rt) == [r.id for r in rows]  # as the relay does
        assert run_effects_task.run([r.id for r in rows]) == len(rows) - 1
        with celery_rt.db.read_session() as s:
            items = {i.id: i for i in s.scalars(select(OutboxItem))}
        assert all(items[r.id].done_at is not None for r in rows if r.id != broken)
        failed = items[broken]
        assert failed.done_at is None and failed.attempts == 1
        assert "почтовый сервер недоступен" in failed.last_error
        assert failed.dispatched_at is None  # given back to the relay
        assert relay_outbox.run() == 0  # not before its backoff is over

        monkeypatch.setitem(effects.HANDLERS, "notify", real)
        later = clock.now() + timedelta(seconds=301)  # past the longest backoff
        monkeypatch.setattr(clock, "now", lambda: later)
        assert effects.claim_pending(celery_rt) == [broken]
        assert run_effects_task.run([broken]) == 1
        with celery_rt.db.read_session() as s:
            again = s.get(OutboxItem, broken)
            assert again.done_at is not None and again.attempts == 2
    finally:
        module.set_runtime(None)
