"""Audit pack of a long chain: peak memory while the pack is written stays bounded (rows are
streamed, files copied in blocks), whatever the number of events.

Run: .venv/bin/python bench/bench_audit_pack.py [EVENTS] [SIGNED]   (DATABASE_URL for PostgreSQL)
Prints events, signed files, the size of the ZIP, the time and the peak of Python memory
(tracemalloc) while writing it — compare two sizes to see the peak does not grow with N.
"""

from __future__ import annotations

import os
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

from sqlalchemy import text

from documents import schema
from documents.models import Document
from workflow import accounts
from workflow.audit.chain import append_event
from workflow.audit.pack import write_pack
from workflow.engine.authoring import create_document
from workflow.engine.permissions import Actor
from workflow.engine.transition import apply_event
from workflow.runtime import Runtime, Settings

EVENTS = int(sys.argv[1]) if len(sys.argv) > 1 else 12_000
SIGNED = int(sys.argv[2]) if len(sys.argv) > 2 else 10
FIELDS = {"preamble": "В целях внедрения целевой модели наставничества",
          "clauses": [{"text": "Назначить куратора.", "executor": "Директор",
                       "term": "до 01.12.2026"}]}


def setup(tmp: Path):
    url = os.environ.get("DATABASE_URL") or f"sqlite:///{tmp / 'bench.db'}"
    rt = Runtime.create(Settings(database_url=url, data_dir=tmp, effects_mode="celery"))
    if rt.db.is_postgres:
        with rt.db.engine.begin() as conn:
            conn.execute(text("DROP SCHEMA public CASCADE; CREATE SCHEMA public;"))
    schema.upgrade(url)
    with rt.db.write_session() as s:
        muni = accounts.create_organization(s, name="М", short_name="М", kind="municipality")
        school = accounts.create_organization(s, name="Школа", short_name="Ш", kind="school",
                                              parent_id=muni.id, head_name="Директоров Д.Д.")
        actors = {}
        for key, role in (("admin", "school_admin"), ("director", "director")):
            user = accounts.create_user(s, email=f"{key}@b.local", full_name=key,
                                        password="x" * 12)
            accounts.grant_role(s, user.id, school.id, role)
            s.flush()
            s.refresh(user)
            actors[key] = Actor.of(user)
        school_id = school.id
    return rt, school_id, actors


def fill(rt, school_id: int, actors: dict) -> None:
    for n in range(SIGNED):
        doc = create_document(rt, actors["admin"], kind="order", org_id=school_id,
                              title=f"Приказ {n}", fields=FIELDS)
        for user, event in (("admin", "submit"), ("director", "approve"), ("director", "sign")):
            apply_event(rt, doc, event, actors[user])
    with rt.db.write_session() as s:
        doc = s.get(Document, doc)
        for i in range(EVENTS):
            append_event(s, org_id=school_id, document_id=doc.id, actor_id=actors["admin"].id,
                         actor_name="admin", event="edit", from_state="signed",
                         to_state="signed", version=1, comment=f"замечание {i} " * 5,
                         content_sha256="0" * 64)
            if i % 2000 == 1999:
                s.flush()
                s.expunge_all()
                doc = s.get(Document, doc.id)
        doc.lock_version += EVENTS  # the chain and the documents agree, as after real edits


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        rt, school_id, actors = setup(Path(tmp))
        fill(rt, school_id, actors)
        out = Path(tmp) / "pack.zip"
        with rt.db.read_session() as s, open(out, "wb") as fh:
            tracemalloc.start()
            started = time.perf_counter()
            manifest = write_pack(rt, s, school_id, None, None, fh)
            elapsed = time.perf_counter() - started
            _, peak = tracemalloc.get_traced_memory()
            tracemalloc.stop()
        print(f"events in chain:   {manifest['head']['seq']}")
        print(f"signed files:      {len(manifest['files']) - 3}")
        print(f"zip size:          {out.stat().st_size / 1024:.0f} KiB")
        print(f"time:              {elapsed:.2f} s")
        print(f"peak Python memory while writing: {peak / 1024 / 1024:.2f} MiB")
        rt.db.dispose()


if __name__ == "__main__":
    main()
