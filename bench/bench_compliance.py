"""Benchmark: municipal compliance at the size of a region.

Generates a region (3,000 schools in 60 municipalities, 120,000 documents, roadmap items)
with bulk inserts into a temporary SQLite file — and into PostgreSQL too when DATABASE_URL is
set (in a throw-away schema, dropped at the end) — then times the compliance of a
municipality of ~50 schools (issue 14: < 50 ms), of a 100-school one, and of the whole region
(issue 14: < 300 ms on PostgreSQL) and prints the number of SQL queries each makes (constant:
3). The reference region of `bench/run.py` (gen-region) has 50 schools in each municipality.

Run: .venv/bin/python bench/bench_compliance.py [--repeat N] [--schools 3000] [--docs 120000]
"""

from __future__ import annotations

import argparse
import gc
import os
import random
import statistics
import tempfile
import time
import uuid
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from sqlalchemy import event, insert, text

from documents import schema
from documents.db import Database
from documents.models import Document, Organization, Roadmap, RoadmapItem, Role
from workflow.compliance import matrix as compliance
from workflow.engine.permissions import Actor

KINDS = ["regulation", "roadmap", "pair_order", "incentive_scheme", "curator_order",
         "programme", "order"]
STATES = ["draft", "on_approval", "approved", "signed", "under_municipal_review", "accepted",
          "returned", "cancelled"]
SIGNED = {"signed", "under_municipal_review", "accepted", "returned", "cancelled"}


def generate(db: Database, municipalities: int, schools: int, documents: int,
             items_per_school: int, seed: int = 7) -> tuple[list[int], int]:
    """Bulk-insert the region; returns (municipality ids, id of the 100-school one)."""
    rnd = random.Random(seed)
    now = datetime.now(UTC)
    today = date.today()
    with db.engine.begin() as conn:
        conn.execute(insert(Organization), [
            {"name": f"Муниципальный район № {m + 1}", "short_name": f"МР № {m + 1}",
             "kind": "municipality", "parent_id": None, "founder": "", "place": "",
             "head_name": "", "head_position": "Начальник", "created_at": now}
            for m in range(municipalities)])
        muni_ids = [r[0] for r in conn.execute(text(
            "SELECT id FROM organizations WHERE kind = 'municipality' ORDER BY id"))]
        big = muni_ids[0]
        rest = schools - 100
        parents = [big] * 100 + [muni_ids[1 + i % (municipalities - 1)] for i in range(rest)]
        conn.execute(insert(Organization), [
            {"name": f"МБОУ «СОШ № {i + 1}»", "short_name": f"СОШ № {i + 1}", "kind": "school",
             "parent_id": parent, "founder": "", "place": "", "head_name": "",
             "head_position": "Директор", "created_at": now}
            for i, parent in enumerate(parents)])
        school_ids = [r[0] for r in conn.execute(text(
            "SELECT id FROM organizations WHERE kind = 'school' ORDER BY id"))]
        batch = []
        for n in range(documents):
            state = rnd.choice(STATES)
            signed = state in SIGNED
            batch.append({
                "kind": KINDS[n % len(KINDS)], "org_id": school_ids[rnd.randrange(len(school_ids))],
                "title": "Документ", "state": state, "version": 1, "lock_version": 0,
                "fields": {}, "registration_number": f"{n}-од" if signed else None,
                "signed_at": now if signed else None, "signer_id": None,
                "signer_name": "Директор" if signed else None,
                "approved_at": now if signed or state == "approved" else None,
                "sent_at": now if state in ("under_municipal_review", "accepted", "returned")
                else None, "responsible_id": None, "due": None, "roadmap_item_id": None,
                "author_id": None, "created_at": now, "updated_at": now})
            if len(batch) == 10_000:
                conn.execute(insert(Document), batch)
                batch = []
        if batch:
            conn.execute(insert(Document), batch)
        conn.execute(insert(Roadmap), [
            {"org_id": sid, "document_id": None, "title": "Дорожная карта",
             "period_start": today - timedelta(days=365), "period_end": today + timedelta(365),
             "source_filename": "", "indicators": [], "warnings": [], "created_at": now}
            for sid in school_ids])
        roadmap_ids = [r[0] for r in conn.execute(text("SELECT id FROM roadmaps ORDER BY id"))]
        items = []
        for rid in roadmap_ids:
            for i in range(items_per_school):
                items.append({
                    "roadmap_id": rid, "position": i, "number": f"1.{i + 1}", "section": "1",
                    "activity": "Мероприятие", "deadline_text": "", "deadline": {},
                    "start": None, "due": today + timedelta(days=rnd.randint(-200, 200)),
                    "responsible_text": "", "responsible_user_id": None, "result_text": "",
                    "direction": "", "note": "", "evidence": "",
                    "done_at": now if rnd.random() < 0.4 else None})
            if len(items) >= 10_000:
                conn.execute(insert(RoadmapItem), items)
                items = []
        if items:
            conn.execute(insert(RoadmapItem), items)
    if db.is_postgres:  # as autovacuum leaves a region's tables: statistics and the
        # visibility map (without it the checkpoint query's index-only scan reads the heap)
        with db.engine.connect() as conn:
            conn.execution_options(isolation_level="AUTOCOMMIT").execute(text("VACUUM ANALYZE"))
    return muni_ids, big


def timed(fn, repeat: int) -> tuple[float, object]:
    result = fn()
    samples = []
    for _ in range(repeat):
        start = time.perf_counter()
        result = fn()
        samples.append(time.perf_counter() - start)
    return statistics.median(samples), result


def count(db: Database, fn) -> int:
    statements: list[str] = []

    def before(conn, cursor, statement, *args):
        if statement.lstrip().upper().startswith(("SELECT", "WITH")):
            statements.append(statement)

    event.listen(db.engine, "before_cursor_execute", before)
    try:
        fn()
    finally:
        event.remove(db.engine, "before_cursor_execute", before)
    return len(statements)


def run(label: str, url: str, args) -> None:
    schema.upgrade(url)
    db = Database(url)
    start = time.perf_counter()
    muni_ids, big = generate(db, args.municipalities, args.schools, args.docs, args.items)
    print(f"[{label}] generated {args.schools} schools in {args.municipalities} "
          f"municipalities, {args.docs} documents, {args.schools * args.items} roadmap items "
          f"in {time.perf_counter() - start:.1f} s")

    def one(municipality_id: int = big):
        actor = Actor(0, "Бенчмарк", "",
                      frozenset({(Role.municipal_officer, municipality_id)}))
        with db.read_session() as s:
            return compliance.to_api(compliance.municipality_report(s, actor, municipality_id))

    def whole():
        with db.read_session() as s:
            return compliance.region(s, muni_ids)

    # as in a web worker, which freezes what it loaded before its first request
    # (web/warmup.py): the collector no longer walks the generator's leftovers on each report
    gc.collect()
    gc.freeze()
    typical = muni_ids[1]
    t_typical, report50 = timed(lambda: one(typical), args.repeat)
    t_one, report = timed(one, args.repeat)
    q_one = count(db, one)
    t_all, region = timed(whole, args.repeat)
    q_all = count(db, whole)
    print(f"[{label}] {report50['schools_total']}-school municipality: "
          f"{t_typical * 1000:7.1f} ms  (target < 50 ms, {'OK' if t_typical < 0.05 else 'SLOW'})")
    print(f"[{label}] 100-school municipality: {t_one * 1000:7.1f} ms  queries {q_one}  "
          f"schools {report['schools_total']}, implementing {report['schools_implementing']}, "
          f"N = {report['share_percent']} %")
    print(f"[{label}] whole region ({len(muni_ids)} municipalities): {t_all * 1000:7.1f} ms  "
          f"(target < 300 ms, {'OK' if t_all < 0.3 else 'SLOW'})  queries {q_all}  "
          f"schools {region['schools_total']}, N = {region['share_percent']} %")
    db.dispose()
    gc.unfreeze()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=7)
    parser.add_argument("--municipalities", type=int, default=60)
    parser.add_argument("--schools", type=int, default=3000)
    parser.add_argument("--docs", type=int, default=120_000)
    parser.add_argument("--items", type=int, default=15, help="roadmap items per school")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="bench-compliance-") as tmp:
        run("sqlite", f"sqlite:///{Path(tmp) / 'region.db'}", args)
    url = os.environ.get("DATABASE_URL")
    if url and url.startswith(("postgres", "postgresql")):
        name = f"bench_{uuid.uuid4().hex[:8]}"
        admin = Database(url)
        with admin.engine.begin() as conn:
            conn.execute(text(f"CREATE SCHEMA {name}"))
        sep = "&" if "?" in url else "?"
        try:
            run("postgresql", f"{url}{sep}options=-csearch_path%3D{name}", args)
        finally:
            with admin.engine.begin() as conn:
                conn.execute(text(f"DROP SCHEMA {name} CASCADE"))
            admin.dispose()


if __name__ == "__main__":
    main()
