"""Benchmark: the officer's item × school matrix of a municipal roadmap.

Bulk-inserts one municipality with N schools and a municipal roadmap of M items naming the
schools (every school a copy of every item, states spread over the chain) into a temporary
SQLite file — or into PostgreSQL when DATABASE_URL is set (a throw-away schema, dropped at
the end) — then times ``progress()`` and the XLSX, and prints the number of SQL queries
(constant whatever N and M).

Run: .venv/bin/python bench/bench_roadmap_progress.py [--items 60] [--schools 3000] [--repeat 3]
(``--items 5 --schools 20`` during development.)
"""

from __future__ import annotations

import argparse
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
from workflow.engine.permissions import Actor
from workflow.roadmaps import progress

STATES = ["draft", "draft", "on_approval", "approved", "under_municipal_review", "returned",
          "accepted", "accepted"]


def generate(db: Database, n_items: int, n_schools: int, seed: int = 7) -> tuple[int, int]:
    """(municipality id, roadmap id) of the generated data."""
    rnd = random.Random(seed)
    now = datetime.now(UTC)
    today = date.today()
    with db.engine.begin() as conn:
        muni = conn.execute(insert(Organization).returning(Organization.id), [{
            "name": "Муниципальный район", "short_name": "МР", "kind": "municipality",
            "parent_id": None, "founder": "", "place": "", "head_name": "",
            "head_position": "Начальник", "created_at": now}]).scalar_one()
        conn.execute(insert(Organization), [
            {"name": f"МБОУ «СОШ № {i + 1}»", "short_name": f"СОШ № {i + 1:04d}",
             "kind": "school", "parent_id": muni, "founder": "", "place": "", "head_name": "",
             "head_position": "Директор", "created_at": now} for i in range(n_schools)])
        schools = [r[0] for r in conn.execute(text(
            "SELECT id FROM organizations WHERE parent_id = :m ORDER BY id"), {"m": muni})]
        rid = conn.execute(insert(Roadmap).returning(Roadmap.id), [{
            "org_id": muni, "title": "Муниципальная дорожная карта",
            "period_start": today - timedelta(days=100),
            "period_end": today + timedelta(days=265), "source_filename": "",
            "indicators": [], "warnings": [], "created_at": now}]).scalar_one()
        conn.execute(insert(RoadmapItem), [
            {"roadmap_id": rid, "position": n, "number": f"{n // 10 + 1}.{n % 10 + 1}",
             "section": "", "activity": f"Мероприятие {n + 1}", "deadline_text": "",
             "deadline": {}, "due": today + timedelta(days=rnd.randint(-60, 200)),
             "responsible_text": "Руководители ОО", "result_text": "", "direction": "",
             "note": "", "evidence": "", "responsible_roles": [], "responsible_user_ids": [],
             "notes": [], "done_by_name": ""} for n in range(n_items)])
        items = list(conn.execute(text(
            "SELECT id, due FROM roadmap_items WHERE roadmap_id = :r ORDER BY id"), {"r": rid}))
        batch = []
        for item_id, due in items:
            due = date.fromisoformat(str(due)[:10])
            for school in schools:
                state = rnd.choice(STATES)
                batch.append({
                    "kind": "roadmap_item", "org_id": school, "title": "Мероприятие",
                    "state": state, "version": 1, "lock_version": 0, "fields": {},
                    "approved_at": now if state not in ("draft", "on_approval") else None,
                    "sent_at": now if state in ("under_municipal_review", "returned",
                                                "accepted") else None,
                    "due": due, "assignment_of": item_id, "created_at": now,
                    "updated_at": now})
                if len(batch) >= 20000:
                    conn.execute(insert(Document), batch)
                    batch = []
        if batch:
            conn.execute(insert(Document), batch)
    return muni, rid


def run(url: str, n_items: int, n_schools: int, repeat: int) -> None:
    schema.upgrade(url)
    db = Database(url)
    t0 = time.perf_counter()
    muni, rid = generate(db, n_items, n_schools)
    print(f"  generated {n_items} items × {n_schools} schools "
          f"({n_items * n_schools} school copies) in {time.perf_counter() - t0:.1f} s")
    officer = Actor(0, "Офицеров", "", frozenset({(Role.municipal_officer, muni)}))
    statements: list[str] = []
    event.listen(db.engine, "before_cursor_execute",
                 lambda *a: statements.append(a[2]))
    times, xlsx_times = [], []
    for _ in range(repeat):
        statements.clear()
        with db.read_session() as s:
            t = time.perf_counter()
            view = progress.progress(s, officer, rid)
            times.append(time.perf_counter() - t)
        queries = len(statements)
        t = time.perf_counter()
        data = progress.progress_xlsx(view)
        xlsx_times.append(time.perf_counter() - t)
    done = sum(i["done"] for i in view["items"])
    print(f"  matrix: {len(view['items'])} items × {len(view['schools'])} schools, "
          f"{done} cells done; median {statistics.median(times) * 1000:.0f} ms, "
          f"{queries} SQL queries")
    print(f"  XLSX: {len(data) // 1024} KB, median {statistics.median(xlsx_times) * 1000:.0f} ms")
    db.dispose()


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--items", type=int, default=60)
    ap.add_argument("--schools", type=int, default=3000)
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args()
    pg = os.environ.get("DATABASE_URL", "")
    if pg.startswith("postgresql"):
        name = f"bench_{uuid.uuid4().hex[:8]}"
        admin = Database(pg)
        with admin.engine.begin() as conn:
            conn.execute(text(f"CREATE SCHEMA {name}"))
        sep = "&" if "?" in pg else "?"
        try:
            print(f"PostgreSQL (schema {name}):")
            run(f"{pg}{sep}options=-csearch_path%3D{name}", args.items, args.schools,
                args.repeat)
        finally:
            with admin.engine.begin() as conn:
                conn.execute(text(f"DROP SCHEMA {name} CASCADE"))
            admin.dispose()
        return
    with tempfile.TemporaryDirectory() as tmp:
        print("SQLite:")
        run(f"sqlite:///{Path(tmp) / 'bench.db'}", args.items, args.schools, args.repeat)


if __name__ == "__main__":
    main()
