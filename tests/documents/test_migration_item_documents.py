"""The migration that makes every roadmap item a document keeps notes, links and done marks
(done items become approved with a history event saying so) and the organisation's hash
chain still verifies afterwards."""

from __future__ import annotations

import json
import os
from datetime import UTC, date, datetime

import pytest
from sqlalchemy import create_engine, select, text
from sqlalchemy.orm import Session

from documents import schema
from documents.db import normalise_url
from documents.models import Organization
from tests.documents.scratch_schema import scratch_schema
from workflow.audit.chain import append_event, verify_chain

JSON_COLUMNS = {"indicators", "warnings", "deadline", "responsible_roles",
                "responsible_user_ids", "notes", "fields"}


def _insert(conn, table: str, **values) -> int:
    cols = ", ".join(values)
    pg = conn.dialect.name == "postgresql"
    marks = ", ".join(f"CAST(:{k} AS jsonb)" if pg and k in JSON_COLUMNS else f":{k}"
                      for k in values)
    return conn.execute(text(f"INSERT INTO {table} ({cols}) VALUES ({marks}) RETURNING id"),
                        values).scalar_one()


BACKENDS = ["sqlite"] + (["postgresql"] if os.environ.get("DATABASE_URL", "").startswith(
    "postgresql") else [])


@pytest.fixture(params=BACKENDS)
def fresh_url(request, tmp_path):
    """An empty database: a SQLite file, or a throw-away PostgreSQL schema."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'm.db'}"
        return
    with scratch_schema("mig") as url:
        yield url


def _upgrade_all_but_item_documents(url: str) -> None:
    """Every other branch of the schema, so the models used below match their tables."""
    from alembic.script import ScriptDirectory

    script = ScriptDirectory.from_config(schema.alembic_config(url))
    merge = script.get_revision("0006_merge")
    item_docs = script.get_revision(ITEM_DOCUMENTS)
    for head in (*merge.down_revision, *item_docs._all_down_revisions):
        if head != ITEM_DOCUMENTS:
            schema.upgrade(url, head)


ITEM_DOCUMENTS = "i17_roadmap_item_documents"


def test_items_become_documents_and_the_chain_verifies(fresh_url):
    url = fresh_url
    _upgrade_all_but_item_documents(url)
    engine = create_engine(normalise_url(url))
    now = datetime(2026, 11, 20, 10, 0, tzinfo=UTC)
    with Session(engine) as s, s.begin():
        muni = Organization(name="Район", short_name="Район", kind="municipality")
        s.add(muni)
        s.flush()
        school = Organization(name="Школа", short_name="Школа", kind="school", parent_id=muni.id)
        s.add(school)
        s.flush()
        org_id = school.id
        conn = s.connection()
        rid = _insert(conn, "roadmaps", org_id=org_id, title="ДК", period_start=date(2026, 9, 1),
                      period_end=date(2027, 8, 31), source_filename="", indicators="[]",
                      warnings="[]", created_at=now)
        item = {"roadmap_id": rid, "section": "1", "deadline_text": "", "deadline": "{}",
                "responsible_text": "", "result_text": "", "direction": "", "note": "",
                "evidence": "", "responsible_roles": "[]", "responsible_user_ids": "[]"}
        done = _insert(conn, "roadmap_items", position=0, number="1.1", activity="Положение",
                       due=date(2026, 10, 1), done_at=now, done_by_name="Куратов К.К.",
                       notes='[{"at": "2026-11-20T10:00:00+00:00", "by": "Куратов К.К.", '
                             '"text": "Размещено на сайте", "done": true}]', **item)
        open_ = _insert(conn, "roadmap_items", position=1, number="1.2", activity="План",
                        due=date(2027, 1, 1), notes="[]", done_by_name="", **item)
        act = _insert(conn, "documents", kind="order", org_id=org_id, title="Приказ",
                      state="draft", version=1, lock_version=0, fields="{}",
                      roadmap_item_id=open_, created_at=now, updated_at=now)
        # the chain already has an event of the act
        append_event(s, org_id=org_id, document_id=act, actor_id=None, actor_name="Автор",
                     event="create", from_state=None, to_state="draft", version=1, comment="",
                     content_sha256="0" * 64)
    schema.upgrade(url, "head")
    with Session(engine) as s:
        result = verify_chain(s, org_id)
        assert result.ok and result.events_checked == 4  # act + 2 creates + 1 approve
        rows = {r.number: r for r in s.execute(text(
            "SELECT i.number, i.document_id, d.state, d.kind, d.fields, d.approved_at, d.due "
            "FROM roadmap_items i JOIN documents d ON d.id = i.document_id"))}
        assert rows["1.1"].state == "approved" and rows["1.1"].approved_at is not None
        assert rows["1.2"].state == "draft" and rows["1.2"].kind == "roadmap_item"
        fields = rows["1.1"].fields
        fields = json.loads(fields) if isinstance(fields, str) else fields
        assert fields["notes"][0]["text"] == "Размещено на сайте"
        assert fields["report"] == "Размещено на сайте"
        assert s.scalar(text("SELECT roadmap_item_id FROM documents WHERE id = :i"),
                        {"i": act}) == open_
        said = s.scalar(select(text("comment")).select_from(text("history_events"))
                        .where(text("event = 'approve'")))
        assert "отмечен выполненным" in said and "Куратов" in said
    # running it again (a second upgrade after a downgrade of nothing) adds nothing
    schema.upgrade(url, "head")
    with Session(engine) as s:
        assert verify_chain(s, org_id).events_checked == 4
    engine.dispose()
    assert done
