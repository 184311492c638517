"""Background audit jobs: distributed mode hands them to the workers as outbox effects; the
document page's chain label reads the incremental checkpoints."""

import dataclasses

import pytest
from sqlalchemy import select

from documents.models import AuditJob, OutboxItem
from workflow.audit import checkpoints, jobs
from workflow.engine.effects import run_effect
from workflow.runtime import Runtime


def test_distributed_mode_runs_a_verification_through_the_outbox(rt, world, make_doc, actor):
    if not rt.db.is_postgres:
        pytest.skip("the distributed mode runs on PostgreSQL")
    make_doc("accepted")
    workers = Runtime(dataclasses.replace(rt.settings, effects_mode="celery"), rt.db, rt.files,
                      on_effects=lambda _rt, _ids: None)  # the relay would publish them
    job_id = jobs.start_verify(workers, actor("auditor"), world.orgs["school1"])
    with rt.db.read_session() as s:
        item = s.scalar(select(OutboxItem).where(OutboxItem.effect == "audit_job"))
        assert s.get(AuditJob, job_id).status == "queued"
    assert run_effect(workers, item.id) == "done"
    with rt.db.read_session() as s:
        job = s.get(AuditJob, job_id)
        assert job.status == "done" and job.result["ok"] is True and job.done == job.total == 6
        assert checkpoints.latest(s, world.orgs["school1"]).seq == 6


def test_document_page_label_counts_the_whole_chain_after_a_checkpoint(rt, world, make_doc,
                                                                       as_user_client):
    doc = make_doc("accepted")
    with rt.db.write_session() as s:
        checkpoints.record(s, world.orgs["school1"], checkpoints.verify(s, world.orgs["school1"]))
    make_doc("approved")
    html = as_user_client("auditor").get(f"/documents/{doc}").get_data(as_text=True)
    # «9 событий»: the number is joined to its noun by a no-break space (the plural filter)
    assert "Цепочка истории цела (9\u00a0событий)" in html


@pytest.fixture()
def as_user_client(app, world):
    from tests.web.test_ui_pages import login

    def make(user):
        c = app.test_client()
        assert login(c, user).status_code == 302
        return c

    return make
