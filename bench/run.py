"""The region under load, over real HTTP, in one run (`make bench` small, `make bench-full`).

1. a fresh PostgreSQL database (BENCH_DATABASE_URL, recreated), migrated, the generated
   region (`--schools`) loaded;
2. the topology of bench/topology.py: own Redis, two gunicorn instances, two Celery workers,
   one beat, and the floor app;
3. the floor endpoint vs our transition (approve), same client, same concurrency: req/s,
   p50/p99, the ratio, and SQL statements per request (X-SQL-Statements); in the same rounds
   the Django + django-fsm-2 peer (bench/peer.py) and its own floor, when installed;
4. the locust user mix (directors, school admins, officers, auditors): p50/p95/p99 per page;
5. RSS of every web worker after 1,000 and after `--rss-requests` requests;
6. every effect the run caused is done exactly once (the outbox drains, no key twice).

It prints figures; it never fails on a timing (exit 1 only if the topology cannot start or a
request errs in the transition phase). Figures depend on the machine and its load.

    python bench/run.py --schools 20 --users 8 --duration 20      # make bench
    python bench/run.py --schools 3000 --users 32 --duration 120 --rss-requests 20000
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime, timezone
from functools import partial
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from sqlalchemy import create_engine, text

from bench import cpu_share, peer, server_side, wrk_runner
from bench.round_trips import describe
from bench.topology import FLOOR_PORT, PEER_PORT, WEB_PORTS, Topology, http, rss_kb

DEFAULT_DB = "postgresql://postgres@127.0.0.1:5432/nastavnik_i14_bench"
SYNC_WORKERS = {"NASTAVNIK_WORKER_CLASS": "sync", "NASTAVNIK_THREADS": "1"}


def recreate_database(url: str, create: bool = True) -> None:
    """Drop the database and (unless ``create`` is false) create it empty."""
    base, name = url.rsplit("/", 1)
    admin = create_engine(base.replace("postgresql://", "postgresql+psycopg://", 1)
                          + "/postgres", isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text("SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                          "WHERE datname = :n AND pid <> pg_backend_pid()"), {"n": name})
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}"'))
        if create:
            conn.execute(text(f'CREATE DATABASE "{name}"'))
    admin.dispose()


def region_present(url: str) -> bool:
    try:
        engine = create_engine(url.replace("postgresql://", "postgresql+psycopg://", 1))
        with engine.connect() as conn:
            return bool(conn.scalar(text("SELECT count(*) FROM organizations")))
    except Exception:  # noqa: BLE001 - no database or no schema yet
        return False
    finally:
        engine.dispose()


def prepare(url: str, schools: int, seed: int, workdir: Path, reuse: bool = False):
    """Migrate, generate the region (or keep the one there with ``reuse``), prepare the floor
    table; returns a Runtime."""
    from documents import schema
    from workflow.demo.region import RegionStats, generate_region
    from workflow.runtime import Runtime, Settings

    kept = reuse and region_present(url)
    if not kept:
        recreate_database(url)
    schema.upgrade(url)
    rt = Runtime.create(Settings.from_env(dict(DATABASE_URL=url,
                                               NASTAVNIK_DATA=str(workdir / "data"))))
    if kept:
        stats = RegionStats()
        with rt.db.engine.connect() as conn:
            stats.documents = conn.scalar(text("SELECT count(*) FROM documents"))
            stats.events = conn.scalar(text("SELECT count(*) FROM history_events"))
            stats.people = conn.scalar(text("SELECT count(*) FROM people"))
            stats.users = conn.scalar(text("SELECT count(*) FROM users"))
        stats.seconds = "0 (kept from an earlier run, --reuse)"
    else:
        stats = generate_region(rt, schools=schools, seed=seed)
    os.environ["DATABASE_URL"] = url
    from bench import floor_app

    floor_app.prepare(rows=5000)
    floor_app.engine.dispose()
    return rt, stats


def credentials(rt, limit_schools: int = 60, directors: int = 60) -> dict:
    """Bearer tokens for a sample of each role (no login storm against the rate limit)."""
    from sqlalchemy import func, select

    from documents.models import DocState, Document, Grant, User
    from workflow import accounts
    from workflow.demo.region import PASSWORD

    out: dict = {"password": PASSWORD, "director": [], "school_admin": [],
                 "municipal_officer": [], "auditor": []}
    with rt.db.read_session() as s:
        rows = s.execute(select(User.id, User.email, Grant.role, Grant.org_id)
                         .join(Grant, Grant.user_id == User.id).order_by(User.id)).all()
        # directors of schools that still have documents to approve first (a kept region
        # whose first schools were approved by an earlier run)
        waiting = {org_id: n for org_id, n in s.execute(
            select(Document.org_id, func.count()).where(Document.state == DocState.on_approval)
            .group_by(Document.org_id))}
    rows.sort(key=lambda r: (r.role.value != "director" or r.org_id not in waiting, r.id))
    for uid, email, role, org_id in rows:
        bucket = out.get(role.value)
        if bucket is None or len(bucket) >= (directors if role.value == "director"
                                             else limit_schools):
            continue
        bucket.append({"user_id": uid, "email": email, "org_id": org_id,
                       "token": accounts.issue_token(rt, uid)})
    return out


def _pct(values: list[float], p: float) -> float:
    if not values:
        return float("nan")
    values = sorted(values)
    return values[min(len(values) - 1, int(round(p / 100 * (len(values) - 1))))]


def hammer(calls: list, threads: int) -> dict:
    """Run (method, url, token, body) calls with `threads` clients; latency figures."""
    lat, statuses, statements = [], {}, []
    lock = threading.Lock()

    def one(call):
        t0 = time.perf_counter()
        status, _body, headers = http(*call)
        ms = (time.perf_counter() - t0) * 1000
        with lock:
            lat.append(ms)
            statuses[status] = statuses.get(status, 0) + 1
            if headers.get("X-SQL-Statements"):
                statements.append(int(headers["X-SQL-Statements"]))

    started = time.perf_counter()
    with ThreadPoolExecutor(threads) as pool:
        list(pool.map(one, calls))
    wall = time.perf_counter() - started
    return {"n": len(calls), "rps": len(calls) / wall if wall else 0, "p50": _pct(lat, 50),
            "p95": _pct(lat, 95), "p99": _pct(lat, 99), "statuses": statuses,
            "statements": statistics.median(statements) if statements else None}


def traced_approve(rt, creds: dict) -> list[list[str]]:
    """One approval's round trips (bench/round_trips.py), before the load takes the rest."""
    from sqlalchemy import select

    from bench.round_trips import approve_round_trips
    from documents.models import DocState, Document

    for director in creds["director"]:
        with rt.db.read_session() as s:
            docs = s.execute(select(Document.id, Document.lock_version)
                             .where(Document.state == DocState.on_approval,
                                    Document.org_id == director["org_id"])
                             .order_by(Document.id.desc()).limit(2)).all()
        if len(docs) == 2:
            return approve_round_trips(rt, director["token"], [tuple(d) for d in docs])
    return []


def floor_vs_transition(rt, creds: dict, threads: int, rounds: int = 1,
                        peer_calls: list | None = None
                        ) -> tuple[dict, dict, list[dict], list[str]]:
    """Our floor and approve in alternating rounds (the median round by their ratio), and with
    ``peer_calls`` (wrk only) the Django peer's floor and approve in the same rounds (every
    round's four figures, for bench/peer.py); and where the CPU of each went, over all the
    rounds (lines to print)."""
    from sqlalchemy import select

    from documents.models import DocState, Document

    tokens = {c["org_id"]: c["token"] for c in creds["director"]}
    with rt.db.read_session() as s:
        docs = s.execute(select(Document.id, Document.lock_version, Document.org_id)
                         .where(Document.state == DocState.on_approval,
                                Document.org_id.in_(list(tokens)))
                         .order_by(Document.id)).all()
    # round-robin over the schools: concurrent approvals of one school queue on its chain's
    # lock (as they should), but a region's concurrent users are in different schools
    rank: dict[int, int] = {}
    keyed = []
    for d in docs:
        rank[d.org_id] = rank.get(d.org_id, 0) + 1
        keyed.append(((rank[d.org_id], d.org_id), d))
    docs = [d for _, d in sorted(keyed, key=lambda kv: kv[0])]
    paths = [(f"/api/v1/documents/{d.id}/events/approve", tokens[d.org_id],
              {"lock_version": d.lock_version}) for d in docs]
    floor_paths = [f"/floor/{1 + i % 5000}" for i in range(len(paths))]
    if wrk_runner.available():
        # as the issue measured: wrk, 8 connections, against one gunicorn of 2 sync workers each
        approve = [("POST", path, token, body) for path, token, body in paths]
        floor = [("POST", path, None, None) for path in floor_paths]
        run_floor = partial(wrk_runner.run, f"http://127.0.0.1:{FLOOR_PORT}", filler="/ping",
                            connections=threads)
        run_approve = partial(wrk_runner.run, f"http://127.0.0.1:{WEB_PORTS[0]}",
                              filler="/healthz/live", connections=threads)
        run_approve([("GET", "/api/v1/me", paths[0][1], None)] * 100)
        # both transitions warmed with the same few approvals that do not count, then measured
        # on as many approvals each
        warm = min(50, len(approve) // 4)
        run_approve(approve[:warm])
        approve = approve[warm:]
        if peer_calls:
            run_peer = partial(wrk_runner.run, f"http://127.0.0.1:{PEER_PORT}", filler="/ping",
                               connections=threads)
            run_peer(floor[:100])
            run_peer(peer_calls[:warm])
            peer_calls = peer_calls[warm:warm + len(approve)]
    else:  # a Python client, spread over both instances
        approve = [("POST", f"http://127.0.0.1:{WEB_PORTS[i % 2]}{path}", token, body)
                   for i, (path, token, body) in enumerate(paths)]
        floor = [("POST", f"http://127.0.0.1:{FLOOR_PORT}{path}", None, None)
                 for path in floor_paths]
        run_floor = run_approve = partial(hammer, threads=threads)
        hammer([("GET", f"http://127.0.0.1:{p}/healthz", None, None) for p in WEB_PORTS] * 4, 2)
    # warm both (connections, imports) with a few requests that do not count
    run_floor(floor[:100])
    floor_cpu, approve_cpu = cpu_share.PerRequest(), cpu_share.PerRequest()
    run_floor, run_approve = floor_cpu.measure(run_floor), approve_cpu.measure(run_approve)
    # alternate floor and approve in rounds: on a shared machine the load changes within a
    # minute, so each round's ratio compares like with like; the median round is reported
    size = -(-len(approve) // rounds)
    peer_size = -(-len(peer_calls or []) // rounds)
    results, peer_rounds = [], []
    for r in range(rounds):
        part = slice(r * size, (r + 1) * size)
        if not approve[part]:
            break
        f, t = run_floor(floor[part]), run_approve(approve[part])
        results.append((f["rps"] / t["rps"] if t["rps"] else float("inf"), f, t))
        line = f"  round {r + 1}: floor {f['rps']:.0f} req/s, approve {t['rps']:.0f} req/s"
        peer_part = (peer_calls or [])[r * peer_size:(r + 1) * peer_size]
        if peer_part:
            pf, pa = run_peer(floor[part]), run_peer(peer_part)
            peer_rounds.append({"floor": f, "ours": t, "peer_floor": pf, "peer": pa})
            line += f"; Django floor {pf['rps']:.0f}, Django approve {pa['rps']:.0f}"
        if rounds > 1:
            print(f"{line}; ours {results[-1][0]:.2f}×")
    results.sort(key=lambda x: x[0])
    _ratio, f, t = results[len(results) // 2]
    return f, t, peer_rounds, cpu_share.where_the_time_goes(floor_cpu, approve_cpu)


#: Users started per second. People come one after another, not in the same instant: a
#: director's first request is the login, ~100 ms of CPU by design (scrypt), and 32 users
#: started within two seconds put a dozen of them on the two cores at once.
SPAWN_RATE = 2


def ramp_seconds(users: int) -> int:
    return -(-users // SPAWN_RATE)


def run_locust(workdir: Path, creds: dict, users: int, duration: int) -> list[dict]:
    """The mix for ``duration`` seconds after the last user has started (the ramp counts
    too: every request from the first one is in the figures)."""
    tokens = workdir / "tokens.json"
    tokens.write_text(json.dumps(creds))
    tokens.chmod(0o600)
    env = dict(os.environ, BENCH_TOKENS=str(tokens), PYTHONPATH=str(ROOT),
               BENCH_HOSTS=",".join(f"http://127.0.0.1:{p}" for p in WEB_PORTS))
    prefix = workdir / "locust"
    subprocess.run([str(Path(sys.executable).parent / "locust"), "-f",
                    str(ROOT / "bench" / "locustfile.py"), "--headless", "-u", str(users),
                    "-r", str(SPAWN_RATE), "-t", f"{duration + ramp_seconds(users)}s", "--host",
                    f"http://127.0.0.1:{WEB_PORTS[0]}", "--csv", str(prefix), "--only-summary",
                    "--loglevel", "WARNING"], env=env, cwd=workdir, check=False,
                   stdout=open(workdir / "locust.out", "w"), stderr=subprocess.STDOUT,
                   timeout=duration + ramp_seconds(users) + 120)
    rows = []
    with open(f"{prefix}_stats.csv") as fh:
        for row in csv.DictReader(fh):
            rows.append(row)
    return rows


def rss_phase(rt, creds: dict, topo: Topology, total: int, threads: int
              ) -> tuple[dict, dict, dict]:
    """Drive cheap reads until 1,000 and then `total` requests; RSS of each web worker."""
    from sqlalchemy import select

    from documents.models import Document

    with rt.db.read_session() as s:
        ids = list(s.scalars(select(Document.id).order_by(Document.id).limit(500)))
    token = creds["auditor"][0]["token"]
    calls = [("GET", f"http://127.0.0.1:{WEB_PORTS[i % 2]}/api/v1/documents/{ids[i % len(ids)]}",
              token, None) for i in range(total)]
    statuses = hammer(calls[:1000], threads)["statuses"]
    first = {pid: rss_kb(pid) for pid in topo.web_worker_pids()}
    for status, n in hammer(calls[1000:], threads)["statuses"].items():
        statuses[status] = statuses.get(status, 0) + n
    last = {pid: rss_kb(pid) for pid in topo.web_worker_pids()}
    return first, last, statuses


def effects_check(url: str, timeout: float = 60) -> dict:
    engine = create_engine(url.replace("postgresql://", "postgresql+psycopg://", 1))
    deadline = time.monotonic() + timeout
    with engine.connect() as conn:
        while True:
            row = conn.execute(text(
                "SELECT count(*) AS total, count(*) FILTER (WHERE done_at IS NULL) AS pending, "
                "count(*) FILTER (WHERE last_error IS NOT NULL) AS failed, "
                "count(*) FILTER (WHERE attempts > 1) AS retried, "
                "count(*) - count(DISTINCT key) AS dup FROM outbox")).one()
            conn.rollback()
            if row.pending == 0 or time.monotonic() > deadline:
                break
            time.sleep(1)
        notes = conn.execute(text("SELECT count(*) FROM notifications")).scalar()
    engine.dispose()
    return {"total": row.total, "pending": row.pending, "failed": row.failed,
            "retried": row.retried, "duplicate_keys": row.dup, "notifications": notes}


def print_profile(topo: Topology, workdir: Path, top: int = 14) -> None:
    """Stop the profiled web instances (they dump on exit), print where the time went, and
    start them again without the profiler."""
    import pstats

    for n in range(len(WEB_PORTS)):
        topo._stop(f"web{n}")
    files = sorted(workdir.glob("web-*.prof"))
    if not files:
        print("(no profile written)")
        return
    stats = pstats.Stats(*map(str, files))
    print(f"\n-- cProfile of the web workers over the transition phase ({len(files)} workers),"
          " project code by cumulative time")
    stats.sort_stats("cumulative")
    width = len(str(ROOT)) + 1
    shown = 0
    for func, (_cc, nc, _tt, ct, _callers) in sorted(stats.stats.items(),
                                                      key=lambda kv: -kv[1][3]):
        path, line, name = func
        if not path.startswith(str(ROOT)) or "/bench/" in path or "site-packages" in path:
            continue
        print(f"{ct * 1000:9.0f} ms {nc:7d}×  {path[width:]}:{line} {name}")
        shown += 1
        if shown >= top:
            break
    topo.gunicorn_conf = ROOT / "deploy" / "gunicorn.conf.py"
    for n in range(len(WEB_PORTS)):
        topo.start_web(n)


def _log_time() -> str:
    """Now, as the access lines write their timestamps."""
    return datetime.now(timezone.utc).isoformat(timespec="milliseconds")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--schools", "--size", type=int, default=20)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--users", type=int, default=8)
    ap.add_argument("--duration", type=int, default=20)
    ap.add_argument("--threads", type=int, default=8)
    ap.add_argument("--rss-requests", type=int, default=3000)
    ap.add_argument("--web-workers", type=int, default=2)
    ap.add_argument("--rounds", type=int, default=1,
                    help="floor/approve rounds, alternating (the median round is printed)")
    ap.add_argument("--directors", type=int, default=60,
                    help="directors whose documents are approved (5 documents each)")
    ap.add_argument("--pause-effects", action="store_true",
                    help="stop the Celery workers and beat (SIGSTOP) during floor vs transition, "
                         "so the effects the approvals cause are run after it, not on the same "
                         "cores at the same time (they still run, exactly once: see effects)")
    ap.add_argument("--reuse", action="store_true",
                    help="keep the region already in the database (no recreate, no generate)")
    ap.add_argument("--profile", action="store_true",
                    help="cProfile the web workers during the transition phase")
    ap.add_argument("--database", default=os.environ.get("BENCH_DATABASE_URL", DEFAULT_DB))
    args = ap.parse_args()
    workdir = Path(tempfile.mkdtemp(prefix="nastavnik-bench-"))
    print(f"== Nastavnik bench: {args.schools} schools, logs in {workdir}")
    t0 = time.perf_counter()
    rt, stats = prepare(args.database, args.schools, args.seed, workdir, args.reuse)
    print(f"region: {stats.documents} documents, {stats.events} history events, {stats.people} "
          f"people, {stats.users} users — generated in {stats.seconds} s")
    creds = credentials(rt, directors=args.directors)
    topo = Topology(args.database, workdir, web_workers=args.web_workers,
                    env_extra={"BENCH_PROFILE_DIR": str(workdir)})
    if args.profile:
        topo.gunicorn_conf = ROOT / "bench" / "gunicorn_profile.py"
    try:
        topo.start_all()
        paused = [name for name in ("worker1", "worker2", "beat") if name in topo.procs]
        if args.pause_effects:  # the effects' CPU on the same cores is not the request's
            for name in paused:
                os.killpg(topo.procs[name].pid, signal.SIGSTOP)
        trips = traced_approve(rt, creds)
        # the transition against the floor as the issue measured both: sync workers (the
        # deployed gthread workers answer the mixed load of people faster, and a closed loop
        # of one request kind ~10-20 % slower: their threads contend for the interpreter)
        topo.restart_web(0, SYNC_WORKERS)
        topo.start_floor(SYNC_WORKERS)
        peer_calls = None
        if peer.available() and wrk_runner.available():
            try:  # the peer is a comparison: without it, ours is still measured
                recreate_database(peer.database_url(args.database))
                peer_calls = peer.prepare(peer.database_url(args.database), args.directors)
                topo.start_peer(peer.database_url(args.database), SYNC_WORKERS)
            except (RuntimeError, OSError, subprocess.CalledProcessError) as exc:
                print(f"(the Django peer could not start: {exc})")
                peer_calls = None
        try:
            floor, trans, peer_rounds, cpu_lines = floor_vs_transition(
                rt, creds, args.threads, args.rounds, peer_calls)
        finally:
            topo.stop_peer()
            if peer_calls is not None:
                recreate_database(peer.database_url(args.database), create=False)
            if args.pause_effects:
                for name in paused:
                    os.killpg(topo.procs[name].pid, signal.SIGCONT)
        topo.restart_web(0)  # back to the deployed settings for the mix
        client = (f"wrk, one gunicorn of {args.web_workers} sync workers each"
                  if wrk_runner.available() else "a Python client")
        print(f"\n-- floor vs transition ({args.threads} concurrent clients, {client}, "
              f"{trans['n']} requests each{', median of the rounds' if args.rounds > 1 else ''}"
              f"{', effects paused' if args.pause_effects else ', effects running'})")
        for label, r in (("floor (SELECT+UPDATE+INSERT+COMMIT)", floor),
                         ("POST …/events/approve", trans)):
            print(f"{label:<38} {r['rps']:7.1f} req/s  p50 {r['p50']:6.1f} ms  "
                  f"p99 {r['p99']:6.1f} ms  SQL/request {r['statements']}  {r['statuses']}")
        if floor["rps"] and trans["rps"]:
            print(f"transition / floor: {floor['rps'] / trans['rps']:.2f}× (by req/s), "
                  f"{trans['p50'] / floor['p50']:.2f}× (by p50); target ≤ 1.4×")
        print("\n".join(cpu_lines))
        if peer_rounds:
            print("\n".join(peer.describe(peer_rounds)))
        elif not peer.available():
            print("(the Django + django-fsm-2 peer is not installed: make bench-tools)")
        if floor["statements"] and trans["statements"]:
            print(f"SQL statements per request: floor {floor['statements']:g}, approve "
                  f"{trans['statements']:g} ({trans['statements'] / floor['statements']:.1f}×; "
                  "the Django + django-fsm-2 peer: 8)")
        if trips:
            print(f"round trips to PostgreSQL of one approve: {len(trips)} (the floor: 5 — "
                  f"BEGIN, SELECT, UPDATE, INSERT, COMMIT)\n  {describe(trips)}")
        if args.profile:
            print_profile(topo, workdir)
        before, since = cpu_share.snapshot(), _log_time()
        rows = run_locust(workdir, creds, args.users, args.duration)
        after, until = cpu_share.snapshot(), _log_time()
        print(f"\n-- locust mix: {args.users} users (started {SPAWN_RATE} a second, over "
              f"{ramp_seconds(args.users)} s), then {args.duration} s")
        print(f"{'page':<28} {'reqs':>6} {'fail':>5} {'p50':>6} {'p95':>6} {'p99':>6}")
        for row in rows:
            print(f"{row['Name'][:28]:<28} {row['Request Count']:>6} {row['Failure Count']:>5} "
                  f"{row['50%']:>6} {row['95%']:>6} {row['99%']:>6}")
        print(f"CPU of the {os.cpu_count()} cores during the mix: "
              f"{cpu_share.describe(before, after)}")
        routes = server_side.read([workdir / f"web{i}.log" for i in range(len(WEB_PORTS))],
                                  since, until)
        if routes:
            print("the same minutes inside the web processes (their access lines: wall ms, and "
                  "the CPU ms of the request's thread):")
            print("\n".join(f"  {line}" for line in server_side.describe(routes)))
        first, last, answers = rss_phase(rt, creds, topo, args.rss_requests, args.threads)
        print(f"\n-- web worker RSS (KiB) after 1,000 and after {args.rss_requests} requests "
              f"(answers: {answers})")
        for pid in sorted(first):
            a, b = first[pid], last.get(pid, 0)
            print(f"worker {pid}: {a} → {b} ({(b - a) * 100 / a if a else 0:+.1f} %)")
        print(f"\n-- effects: {effects_check(args.database)}")
    finally:
        topo.stop()
        rt.db.dispose()
    print(f"\n(total {time.perf_counter() - t0:.0f} s; figures from a shared, loaded machine "
          "are indicative only)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
