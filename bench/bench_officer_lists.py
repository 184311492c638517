"""Benchmark: what a municipal officer's document list costs the web worker, in process.

An officer reads the schools' documents with every minor's name replaced (workflow/mentorship/
minors.py): a list redacts each document with its school's minors and the answer's last gate
(web/privacy.py) the whole body with all of the municipality's. This generates a region
(`--schools`, 50 per municipality) into a fresh PostgreSQL database, issues a token to one
officer of each municipality and calls `GET /api/v1/documents?state=under_municipal_review`
for them in turn, as one worker serving a region's officers would: the first round builds each
municipality's scanner, the later ones reuse it. It prints the CPU of one list (first round and
the median of the later ones), the SQL statements per list, and what the worker's memory grew
by with every municipality's scanner held.

Run: .venv/bin/python bench/bench_officer_lists.py [--schools 3000] [--rounds 5]
     (BENCH_DATABASE_URL names the server; the database `<name>_officers` is recreated)
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from sqlalchemy import event, select

from bench.run import DEFAULT_DB, prepare, recreate_database

LIST = "/api/v1/documents?state=under_municipal_review"


def _rss_kib() -> int:
    return int(Path("/proc/self/statm").read_text().split()[1]) * os.sysconf("SC_PAGE_SIZE") // 1024


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--schools", type=int, default=600)
    ap.add_argument("--rounds", type=int, default=5)
    ap.add_argument("--database", default=os.environ.get("BENCH_DATABASE_URL", DEFAULT_DB))
    args = ap.parse_args()
    url = args.database + "_officers"
    workdir = Path(tempfile.mkdtemp(prefix="nastavnik-officers-"))
    rt, stats = prepare(url, args.schools, 1, workdir)
    os.environ.update(DATABASE_URL=url, NASTAVNIK_DATA=str(workdir / "data"))
    try:
        return _measure(url, args, stats)
    finally:
        rt.db.engine.dispose()
        recreate_database(url, create=False)


def _measure(url: str, args, stats) -> int:
    from documents.models import Grant, Role
    from web import create_app
    from workflow import accounts

    app = create_app()
    rt = app.extensions["nastavnik"]
    with rt.db.read_session() as session:
        officers = dict(session.execute(select(Grant.org_id, Grant.user_id)
                                        .where(Grant.role == Role.municipal_officer)
                                        .order_by(Grant.id.desc())).all())
    tokens = [accounts.issue_token(rt, uid) for uid in officers.values()]
    client = app.test_client()
    statements = []
    event.listen(rt.db.engine, "before_cursor_execute", lambda *a: statements.append(1))

    def one_round() -> list[float]:
        cpu = []
        for token in tokens:
            start = time.process_time()
            resp = client.get(LIST, headers={"Authorization": f"Bearer {token}"})
            cpu.append((time.process_time() - start) * 1000)
            if resp.status_code != 200:
                raise SystemExit(f"{LIST} answered {resp.status_code}")
        return cpu

    print(f"== officer lists: {args.schools} schools, {len(tokens)} municipalities, "
          f"{stats.people} people in the registers")
    rss_before = _rss_kib()
    first = one_round()
    rss_after = _rss_kib()
    statements.clear()
    later = [ms for _ in range(args.rounds - 1) for ms in one_round()]
    per_list = len(statements) / max(1, len(later))
    print(f"first round (each municipality's scanner built): {statistics.median(first):.1f} ms "
          f"of CPU per list (median of {len(first)})")
    if later:
        print(f"later rounds (scanners reused): {statistics.median(later):.1f} ms of CPU per list "
              f"(median of {len(later)}), {per_list:.0f} SQL statements per list")
    print(f"worker memory after the first round: +{(rss_after - rss_before) / 1024:.1f} MiB "
          f"for {len(tokens)} municipalities' scanners")
    return 0


if __name__ == "__main__":
    sys.exit(main())
