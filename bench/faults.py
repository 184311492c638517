"""Faults under load, each scripted and bounded in time, on the topology of bench/topology.py
(own Redis on 127.0.0.1:6390 — never the machine's —, gunicorn ×2, Celery ×2 + beat, one
PostgreSQL database). Load: school admins drafting and submitting, directors approving and
signing, readers — through both web instances — while the fault happens.

1. pg_terminate_backend of every application connection → only in-flight requests may fail,
   requests after the recovery window succeed (pool_pre_ping);
2. a gunicorn worker SIGKILLed mid-transition (several times) → every chain verifies and
   every document's lock_version agrees with its history (no half-written transition);
3. a Celery worker process SIGKILLed during renders → every render completes, exactly once
   (one "done" log line per outbox key across both workers' JSON logs);
4. Redis stopped (--quick: 10 s, full: 60 s), then started → 0 failed user requests and every
   effect done exactly once after it returns;
5. pg_dump during load, restored into a fresh database → history verifies, every stored
   signed file's SHA-256 matches its version.

    python bench/faults.py --quick          # CI: small region, short outage (~3–5 min)
    python bench/faults.py                  # full: 60 s Redis outage, more schools

Exit code 1 if a guarantee is broken (not for timings).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import random
import signal
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from sqlalchemy import create_engine, text

from bench.run import DEFAULT_DB, credentials, prepare, recreate_database
from bench.topology import WEB_PORTS, Topology, http


class Load:
    """Background user load; counts failures (5xx, refused/reset connections) by time."""

    def __init__(self, creds: dict, threads: int = 3) -> None:
        self.creds, self.threads = creds, threads
        self.stop_flag = threading.Event()
        self.lock = threading.Lock()
        self.results: list[tuple[float, str, int]] = []  # (time, what, status; 0 = no answer)

    def _call(self, what: str, method: str, path: str, token: str, body=None):
        port = random.choice(WEB_PORTS)
        try:
            status, data, _ = http(method, f"http://127.0.0.1:{port}/api/v1{path}", token, body,
                                   timeout=20)
        except OSError:
            status, data = 0, {}
        with self.lock:
            self.results.append((time.monotonic(), what, status))
        return status, data

    def _user(self, n: int) -> None:
        rnd = random.Random(n)
        while not self.stop_flag.is_set():
            admin = rnd.choice(self.creds["school_admin"])
            director = next(d for d in self.creds["director"] if d["org_id"] == admin["org_id"])
            status, doc = self._call("create", "POST", "/documents", admin["token"], {
                "kind": "order", "org_id": admin["org_id"], "title": "О наставничестве",
                "fields": {"clauses": [{"text": "Внедрить целевую модель наставничества."}]}})
            if status == 201:
                version = doc["lock_version"]
                for event, token in (("submit", admin["token"]), ("approve", director["token"]),
                                     ("sign", director["token"])):
                    status, body = self._call(event, "POST",
                                              f"/documents/{doc['id']}/events/{event}", token,
                                              {"lock_version": version})
                    if status != 200:
                        break
                    version = body.get("lock_version", version + 1)
            self._call("list", "GET", f"/documents?org_id={admin['org_id']}&per_page=20",
                       admin["token"])

    def __enter__(self):
        self.workers = [threading.Thread(target=self._user, args=(n,), daemon=True)
                        for n in range(self.threads)]
        for w in self.workers:
            w.start()
        return self

    def __exit__(self, *_exc):
        self.stop_flag.set()
        for w in self.workers:
            w.join(30)

    def failures(self, since: float = 0.0, until: float = float("inf")) -> list:
        return [r for r in self.results if since <= r[0] <= until and (r[2] == 0 or r[2] >= 500)]

    def count(self, since: float = 0.0) -> int:
        return sum(1 for r in self.results if r[0] >= since)


def _engine(url: str):
    return create_engine(url.replace("postgresql://", "postgresql+psycopg://", 1))


def wait_outbox(url: str, timeout: float) -> dict:
    engine = _engine(url)
    deadline = time.monotonic() + timeout
    with engine.connect() as conn:
        while True:
            row = conn.execute(text(
                "SELECT count(*) AS total, count(*) FILTER (WHERE done_at IS NULL) AS pending, "
                "count(*) FILTER (WHERE last_error IS NOT NULL) AS failed FROM outbox")).one()
            conn.rollback()
            if row.pending == 0 or time.monotonic() > deadline:
                break
            time.sleep(1)
    engine.dispose()
    return dict(row._mapping)


def verify_all(url: str) -> tuple[bool, str]:
    from documents.db import Database
    from workflow.audit import chain

    db = Database(url)
    try:
        with db.read_session() as s:
            ids = list(s.scalars(text("SELECT id FROM organizations")))
            result = chain.verify_orgs(s, ids)
            mismatched = s.execute(text(
                "SELECT count(*) FROM documents d WHERE d.lock_version + 1 <> "
                "(SELECT count(*) FROM history_events h WHERE h.document_id = d.id)")).scalar()
        ok = result.ok and mismatched == 0
        return ok, (f"chain ok={result.ok} events={result.events_checked} "
                    f"{'' if result.ok else result.reason}; documents whose lock_version "
                    f"disagrees with history: {mismatched}")
    finally:
        db.dispose()


def exactly_once(url: str, workdir: Path, where: str = "TRUE", params=None) -> dict:
    """Every done outbox row has exactly one "effect <key> done" line in the workers' logs."""
    engine = _engine(url)
    with engine.connect() as conn:
        keys = [r[0] for r in conn.execute(text(
            f"SELECT key FROM outbox WHERE done_at IS NOT NULL AND {where}"), params or {})]
    engine.dispose()
    time.sleep(2)  # let the workers flush their log lines
    done, by_worker = effect_done_lines(workdir)
    unlogged = [k for k in keys if not done.get(k)]
    return {"effects": len(keys), "done_once": sum(1 for k in keys if done.get(k) == 1),
            "never_logged": len(unlogged), **({"unlogged": unlogged[:3]} if unlogged else {}),
            "twice": sum(1 for k in keys if done.get(k, 0) > 1),
            "by_worker": {w: sum(1 for k in keys if k in c) for w, c in by_worker.items()}}


def effect_done_lines(workdir: Path) -> tuple[Counter, dict]:
    """'effect <key> done' lines per key across both workers' JSON logs (and per worker)."""
    seen: Counter = Counter()
    by_worker: dict[str, Counter] = {}
    for name in ("worker1.log", "worker2.log"):
        by_worker[name[:-4]] = mine = Counter()
        path = workdir / name
        if not path.exists():
            continue
        for line in path.read_text(errors="replace").splitlines():
            if '"effect' in line and " done" in line and line.startswith("{"):
                try:
                    rec = json.loads(line)
                except ValueError:
                    continue
                if rec.get("key"):
                    seen[rec["key"]] += 1
                    mine[rec["key"]] += 1
    return seen, by_worker


# --- the faults -----------------------------------------------------------------------------

def fault_pg_terminate(topo: Topology, creds: dict, url: str, quick: bool) -> tuple[bool, str]:
    name = url.rsplit("/", 1)[1]
    admin = _engine(url.rsplit("/", 1)[0] + "/postgres")
    with Load(creds) as load:
        time.sleep(4)
        with admin.connect() as conn:
            killed = conn.execute(text(
                "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
                "WHERE datname = :n AND pid <> pg_backend_pid()"), {"n": name}).scalar()
            conn.commit()
        at = time.monotonic()
        time.sleep(8 if quick else 20)
    admin.dispose()
    during = load.failures(at - 1, at + 2)
    after = load.failures(at + 2)
    ok = not after and load.count(at + 2) > 0
    return ok, (f"terminated {killed} connections; failed in-flight (±2 s): {len(during)}; "
                f"failed afterwards: {len(after)} of {load.count(at + 2)} requests")


def fault_gunicorn_kill(topo: Topology, creds: dict, url: str, quick: bool) -> tuple[bool, str]:
    kills = 0
    with Load(creds, threads=4) as load:
        time.sleep(3)
        for _ in range(3 if quick else 8):
            pids = topo.web_worker_pids()
            if pids:
                os.kill(random.choice(pids), signal.SIGKILL)
                kills += 1
            time.sleep(random.uniform(1.0, 3.0))
        time.sleep(3)
    ok, detail = verify_all(url)
    return ok, (f"SIGKILLed {kills} web workers mid-load; {len(load.failures())} requests "
                f"without an answer (allowed: in flight); {detail}")


def fault_worker_kill(topo: Topology, creds: dict, url: str, quick: bool) -> tuple[bool, str]:
    admin = creds["school_admin"][0]
    ids = []
    for i in range(12 if quick else 40):  # each new document queues a render
        status, doc, _ = http("POST", f"http://127.0.0.1:{WEB_PORTS[i % 2]}/api/v1/documents",
                              admin["token"], {
                                  "kind": "order", "org_id": admin["org_id"],
                                  "title": f"О наставничестве {i}",
                                  "fields": {"clauses": [{"text": f"Пункт {i}."}]}})
        if status == 201:
            ids.append(doc["id"])
    killed = 0
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline and not killed:  # kill the process doing a render
        for pid in topo.celery_child_pids("worker1"):
            os.kill(pid, signal.SIGKILL)
            killed += 1
        time.sleep(0.5)
    state = wait_outbox(url, 120)
    engine = _engine(url)
    with engine.connect() as conn:
        rows = conn.execute(text(
            "SELECT v.render_status::text, v.file_key, v.file_sha256, "
            "(SELECT count(*) FROM stored_files f WHERE f.key = v.file_key) AS stored "
            "FROM document_versions v WHERE v.document_id = ANY(:ids)"), {"ids": ids}).all()
        keys = [r[0] for r in conn.execute(text(
            "SELECT key FROM outbox WHERE effect = 'render' AND document_id = ANY(:ids)"),
            {"ids": ids})]
    engine.dispose()
    once = exactly_once(url, topo.workdir, "effect = 'render' AND document_id = ANY(:ids)",
                        {"ids": ids})
    ready = sum(1 for r in rows if r[0] == "ready" and r[3] == 1)
    ok = (ready == len(ids) and state["pending"] == 0 and killed > 0
          and once["done_once"] == once["effects"] == len(keys))
    return ok, (f"{len(ids)} renders queued, {killed} worker process(es) SIGKILLed mid-render; "
                f"ready with a stored file: {ready}; render effects {once}; outbox {state}")


def last_outbox_id(url: str) -> int:
    engine = _engine(url)
    with engine.connect() as conn:
        last = conn.execute(text("SELECT coalesce(max(id), 0) FROM outbox")).scalar()
    engine.dispose()
    return last


def fault_redis(topo: Topology, creds: dict, url: str, quick: bool) -> tuple[bool, str]:
    outage = 10 if quick else 60
    # only this fault's effects: an earlier fault may have killed a worker (or cut its
    # connection) between an effect's commit and its log line, which no log can tell apart
    before = last_outbox_id(url)
    with Load(creds) as load:
        time.sleep(3)
        topo.stop_redis()
        stopped = time.monotonic()
        time.sleep(outage)
        topo.start_redis()
        time.sleep(5)
    failed = load.failures()
    during = load.count(stopped) - load.count(stopped + outage)
    state = wait_outbox(url, 120 if quick else 300)
    once = exactly_once(url, topo.workdir, "id > :before", {"before": before})
    ok = not failed and state["pending"] == 0 and once["done_once"] == once["effects"]
    return ok, (f"Redis down {outage} s; user requests during the outage: {during}, failed in "
                f"the whole run: {len(failed)}; outbox after: {state}; effects {once}")


def fault_backup(topo: Topology, creds: dict, url: str, quick: bool) -> tuple[bool, str]:
    dump = topo.workdir / "backup.dump"
    pg = url.replace("postgresql+psycopg://", "postgresql://")
    with Load(creds) as load:
        time.sleep(3)
        t0 = time.monotonic()
        subprocess.run(["pg_dump", "-Fc", "-f", str(dump), pg], check=True)
        took = time.monotonic() - t0
        time.sleep(2)
    restored = url + "_restore"
    recreate_database(restored)
    subprocess.run(["pg_restore", "--no-owner", "-d",
                    restored.replace("postgresql+psycopg://", "postgresql://"), str(dump)],
                   check=True)
    ok, detail = verify_all(restored)
    engine = _engine(restored)
    bad = checked = 0
    with engine.connect() as conn:
        signed = conn.execute(text("SELECT file_key, file_sha256 FROM document_versions "
                                   "WHERE signed_at IS NOT NULL AND file_key IS NOT NULL")).all()
        for key, sha in signed:
            digest = hashlib.sha256()
            for (chunk,) in conn.execute(text("SELECT data FROM stored_file_chunks WHERE key = :k "
                                              "ORDER BY n"), {"k": key}):
                digest.update(chunk)
            checked += 1
            bad += digest.hexdigest() != sha
    engine.dispose()
    base, name = restored.rsplit("/", 1)
    admin = create_engine(base.replace("postgresql://", "postgresql+psycopg://", 1) + "/postgres",
                          isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}"'))
    admin.dispose()
    return ok and bad == 0 and checked > 0, (
        f"pg_dump under load took {took:.1f} s ({len(load.results)} requests meanwhile); "
        f"restored: {detail}; signed files checked: {checked}, hash mismatches: {bad}")


FAULTS = [("pg_terminate_backend of every app connection", fault_pg_terminate),
          ("gunicorn worker SIGKILL mid-transition", fault_gunicorn_kill),
          ("Celery worker SIGKILL during renders", fault_worker_kill),
          ("Redis stopped and started", fault_redis),
          ("backup during load, restored", fault_backup)]


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--quick", action="store_true", help="CI: small region, 10 s outage")
    ap.add_argument("--schools", "--size", type=int)
    ap.add_argument("--only", help="run the faults whose name contains this")
    ap.add_argument("--database", default=os.environ.get("BENCH_DATABASE_URL", DEFAULT_DB))
    args = ap.parse_args()
    schools = args.schools or (4 if args.quick else 60)
    url = args.database.replace("postgresql://", "postgresql+psycopg://", 1)
    workdir = Path(tempfile.mkdtemp(prefix="nastavnik-faults-"))
    print(f"== faults ({'quick' if args.quick else 'full'}), {schools} schools, logs in {workdir}")
    started = time.monotonic()
    rt, _stats = prepare(url, schools, 1, workdir)
    creds = credentials(rt)
    rt.db.dispose()
    # Redis restarts empty (no persistence): what it held is handed out again by the relay
    # after NASTAVNIK_REDISPATCH_AFTER seconds (production default 600) — short here.
    topo = Topology(url, workdir, env_extra={"NASTAVNIK_REDISPATCH_AFTER": "15"})
    broken = 0
    try:
        topo.start_all(floor=False)
        for name, fault in FAULTS:
            if args.only and args.only not in name:
                continue
            t0 = time.monotonic()
            try:
                ok, detail = fault(topo, creds, url, args.quick)
            except Exception as exc:  # noqa: BLE001 - reported as a broken guarantee
                ok, detail = False, f"{type(exc).__name__}: {exc}"
            broken += not ok
            print(f"[{'ok' if ok else 'BROKEN'}] {name} ({time.monotonic() - t0:.0f} s): {detail}",
                  flush=True)
            for n in range(len(WEB_PORTS)):  # a fault may have left an instance down
                if topo.procs[f"web{n}"].poll() is not None:
                    topo.start_web(n)
            if "worker1" in topo.procs and topo.procs["worker1"].poll() is not None:
                topo.start_worker(1)
    finally:
        topo.stop()
    print(f"(total {time.monotonic() - started:.0f} s on a shared, loaded machine)")
    return 1 if broken else 0


if __name__ == "__main__":
    sys.exit(main())
