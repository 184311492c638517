"""Audit work that may take long runs in the background with progress: «Проверить сейчас»
(incremental verification of a set of organisations, recording new checkpoints) and audit
packs. Distributed mode hands a job to the workers as an outbox effect; embedded mode runs
it in a thread of the serving process. Either way the page polls the job row."""

from __future__ import annotations

import logging
import os
import tempfile
import threading
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from documents.models import AuditJob, Organization, OutboxItem
from workflow import clock
from workflow.audit import checkpoints
from workflow.audit.pack import pack_filename, pack_size, period, write_pack
from workflow.audit.scope import scoped_orgs
from workflow.engine import effects
from workflow.engine.permissions import Actor
from workflow.errors import NotFound

log = logging.getLogger(__name__)
PACK_DIR = "audit_packs"


def start_verify(rt, actor: Actor, org_id: int | None, *, full: bool = False) -> int:
    with rt.db.read_session() as session:
        org_ids = scoped_orgs(session, actor, org_id)
    return _start(rt, actor, "verify", {"org_ids": org_ids, "full": full})


def start_pack(rt, actor: Actor, org_id: int | None, date_from: date | None,
               date_to: date | None) -> int:
    from workflow.errors import BadInput

    if org_id is None:
        raise BadInput("Выберите организацию.", code="missing_parameter")
    start, to = period(date_from, date_to)
    with rt.db.read_session() as session:
        scoped_orgs(session, actor, org_id)
    return _start(rt, actor, "pack", {"org_id": org_id, "from": start.isoformat(),
                                      "to": to.isoformat()})


def _start(rt, actor: Actor, kind: str, params: dict) -> int:
    inline = rt.settings.effects_mode == "inline"
    with rt.db.write_session() as session:
        job = AuditJob(kind=kind, requested_by=actor.id, params=params, status="queued",
                       done=0, total=0, result={}, created_at=clock.now())
        session.add(job)
        session.flush()
        job_id = job.id
        item = None if inline else effects.enqueue(session, f"audit_job:{job_id}", "audit_job",
                                                   payload={"job_id": job_id})
    if inline:
        threading.Thread(target=run_job, args=(rt, job_id), name=f"audit-job-{job_id}",
                         daemon=True).start()
    elif item is not None:
        rt.after_commit([item.id])
    return job_id


def get_job(session: Session, actor: Actor, job_id: int) -> AuditJob:
    job = session.get(AuditJob, job_id)
    if job is None or job.requested_by != actor.id:
        raise NotFound("Задание не найдено.", code="job_not_found")
    return job


def _update(rt, job_id: int, **values) -> None:
    with rt.db.write_session() as session:
        job = session.get(AuditJob, job_id)
        for name, value in values.items():
            setattr(job, name, value)


def run_job(rt, job_id: int) -> None:
    """Run one job to the end; any failure is recorded on the job, never raised."""
    with rt.db.read_session() as session:
        job = session.get(AuditJob, job_id)
        if job is None or job.status not in ("queued",):
            return
        kind, params = job.kind, dict(job.params)
    _update(rt, job_id, status="running")
    try:
        if kind == "verify":
            _run_verify(rt, job_id, params)
        else:
            _run_pack(rt, job_id, params)
    except Exception as exc:
        log.exception("audit job %s failed", job_id)
        _update(rt, job_id, status="failed", error=f"{type(exc).__name__}: {exc}"[:2000],
                finished_at=clock.now())


def _run_verify(rt, job_id: int, params: dict) -> None:
    """Progress counts events: those after each organisation's checkpoint (all when full)."""
    results, full = [], params.get("full", False)
    with rt.db.read_session() as session:
        orgs = session.scalars(select(Organization).where(
            Organization.id.in_(params["org_ids"])).order_by(Organization.id)).all()
        todo = {s.org_id: (s.events if full else s.events_since)
                for s in checkpoints.statuses(session, list(orgs))}
    _update(rt, job_id, total=sum(todo.values()))
    done = 0
    for org in orgs:
        with rt.db.read_session() as session:
            result = checkpoints.verify(
                session, org.id, full=full,
                progress=lambda n, base=done: _update(rt, job_id, done=base + n))
        with rt.db.write_session() as session:
            checkpoints.record(session, org.id, result)
        results.append(dict(result.to_api(), org_id=org.id, org_name=org.short_name))
        done += todo.get(org.id, 0)
        _update(rt, job_id, done=done)
    bad = next((r for r in results if not r["ok"]), None)
    _update(rt, job_id, status="done", finished_at=clock.now(),
            result={"ok": bad is None, "orgs": results, "first_bad": bad})


def _run_pack(rt, job_id: int, params: dict) -> None:
    start, to = date.fromisoformat(params["from"]), date.fromisoformat(params["to"])
    folder = rt.settings.data_dir / PACK_DIR
    folder.mkdir(parents=True, exist_ok=True)
    with rt.db.read_session() as session:
        _update(rt, job_id, total=pack_size(session, params["org_id"], start, to))
        fd, tmp = tempfile.mkstemp(dir=folder, prefix=".tmp-", suffix=".zip")
        try:
            with os.fdopen(fd, "wb") as out:
                manifest = write_pack(rt, session, params["org_id"], start, to, out,
                                      progress=lambda done: _update(rt, job_id, done=done))
            final = folder / f"{job_id}.zip"
            os.replace(tmp, final)
        except BaseException:
            if os.path.exists(tmp):
                os.unlink(tmp)
            raise
    _update(rt, job_id, status="done", finished_at=clock.now(), file_key=f"{job_id}.zip",
            result={"head": manifest["head"], "files": len(manifest["files"]),
                    "filename": pack_filename(params["org_id"], start, to)})


def pack_path(rt, job: AuditJob):
    if job.kind != "pack" or job.status != "done" or not job.file_key:
        raise NotFound("Пакет ещё не готов.", code="pack_not_ready")
    return rt.settings.data_dir / PACK_DIR / job.file_key


@effects.handler("audit_job")
def _audit_job(rt, session: Session, item: OutboxItem) -> None:
    run_job(rt, item.payload["job_id"])
