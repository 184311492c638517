"""Roadmap items as documents: every item gets its ``roadmap_item`` document (done items
become approved, with a history event saying so, appended to the organisation's hash
chain), schools' copies of municipal items (``documents.assignment_of``), evidence files,
and reminders keyed by a school's item document.

Revision ID: i17_roadmap_item_documents
Revises: i10_acquaintance
Create Date: 2026-12-03 10:00:00
"""

from __future__ import annotations

import hashlib
import json
from datetime import UTC, datetime

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

from migrations import online

revision = "i17_roadmap_item_documents"
down_revision = "i10_acquaintance"  # shares its reminder_log.document_id
branch_labels = None
depends_on = None

JSON = sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql")
SIGNED = "'signed', 'under_municipal_review', 'accepted', 'returned', 'cancelled'"
OLD_CHECK = (f"state NOT IN ({SIGNED}) OR (registration_number IS NOT NULL AND signed_at "
             "IS NOT NULL AND signer_name IS NOT NULL)")
NEW_CHECK = f"kind = 'roadmap_item' OR {OLD_CHECK}"
GENESIS = "0" * 64
MIGRATION_ACTOR = "Перенос пунктов дорожной карты в документы"


def upgrade() -> None:
    bind = op.get_bind()
    if bind.dialect.name == "sqlite":
        # Recreating «documents» (batch mode) is impossible once history rows reference it
        # (RESTRICT, and PRAGMA foreign_keys cannot change inside the migration's
        # transaction): add the column in place and rewrite the CHECK in the schema text.
        op.execute("ALTER TABLE documents ADD COLUMN assignment_of INTEGER "
                   "REFERENCES roadmap_items (id) ON DELETE SET NULL")
        _sqlite_replace_check(bind, OLD_CHECK, NEW_CHECK)
    else:
        with op.batch_alter_table("documents", schema=None) as batch_op:
            batch_op.add_column(sa.Column("assignment_of", sa.Integer(), nullable=True))
            batch_op.create_foreign_key("fk_documents_assignment_of_roadmap_items",
                                        "roadmap_items", ["assignment_of"], ["id"],
                                        ondelete="SET NULL")
            batch_op.drop_constraint(op.f("ck_documents_signed_has_number_and_signer"),
                                     type_="check")
            batch_op.create_check_constraint(op.f("ck_documents_signed_has_number_and_signer"),
                                             NEW_CHECK)
    online.create_index("ix_documents_assignment_of", "documents", ["assignment_of"])
    online.create_index("uq_documents_assignment_of_org_id", "documents",
                        ["assignment_of", "org_id"], unique=True)
    with op.batch_alter_table("roadmap_items", schema=None) as batch_op:
        batch_op.add_column(sa.Column("document_id", sa.Integer(), nullable=True))
        batch_op.create_index("ix_roadmap_items_document_id", ["document_id"], unique=False)
    op.create_table(
        "evidence_files",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("document_id", sa.Integer(), nullable=False),
        sa.Column("filename", sa.String(length=300), nullable=False),
        sa.Column("mime", sa.String(length=100), nullable=False),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("file_key", sa.String(length=300), nullable=False),
        sa.Column("uploaded_by_id", sa.Integer(), nullable=True),
        sa.Column("uploaded_by_name", sa.String(length=200), nullable=False),
        sa.Column("uploaded_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["document_id"], ["documents.id"],
                                name="fk_evidence_files_document_id_documents",
                                ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["uploaded_by_id"], ["users.id"],
                                name="fk_evidence_files_uploaded_by_id_users",
                                ondelete="SET NULL"),
        sa.PrimaryKeyConstraint("id", name="pk_evidence_files"),
    )
    with op.batch_alter_table("evidence_files", schema=None) as batch_op:
        batch_op.create_index("ix_evidence_files_document_id", ["document_id"], unique=False)
    migrate_items(op.get_bind())


def downgrade() -> None:
    op.drop_table("evidence_files")
    with op.batch_alter_table("roadmap_items", schema=None) as batch_op:
        batch_op.drop_index("ix_roadmap_items_document_id")
        batch_op.drop_column("document_id")
    online.drop_index("uq_documents_assignment_of_org_id", "documents")
    online.drop_index("ix_documents_assignment_of", "documents")
    bind = op.get_bind()
    if bind.dialect.name == "sqlite":
        _sqlite_replace_check(bind, NEW_CHECK, OLD_CHECK)
        with op.batch_alter_table("documents", schema=None) as batch_op:
            batch_op.drop_column("assignment_of")
    else:
        with op.batch_alter_table("documents", schema=None) as batch_op:
            batch_op.drop_constraint(op.f("ck_documents_signed_has_number_and_signer"),
                                     type_="check")
            batch_op.create_check_constraint(op.f("ck_documents_signed_has_number_and_signer"),
                                             OLD_CHECK)
            batch_op.drop_constraint("fk_documents_assignment_of_roadmap_items",
                                     type_="foreignkey")
            batch_op.drop_column("assignment_of")


def _sqlite_replace_check(bind, old: str, new: str) -> None:
    """Change a CHECK constraint of «documents» in place, the way SQLite documents it
    (ALTER TABLE, «making other kinds of table schema changes»): the stored rows do not
    change, only the schema text; schema_version tells every connection to reload it."""
    sql = bind.exec_driver_sql(
        "SELECT sql FROM sqlite_master WHERE type = 'table' AND name = 'documents'").scalar()
    if old not in sql:
        raise RuntimeError("documents: the CHECK constraint to replace was not found")
    version = bind.exec_driver_sql("PRAGMA schema_version").scalar()
    bind.exec_driver_sql("PRAGMA writable_schema = ON")
    bind.exec_driver_sql("UPDATE sqlite_master SET sql = ? WHERE type = 'table' "
                         "AND name = 'documents'", (sql.replace(old, new),))
    bind.exec_driver_sql(f"PRAGMA schema_version = {int(version) + 1}")
    bind.exec_driver_sql("PRAGMA writable_schema = OFF")
    if bind.exec_driver_sql("PRAGMA integrity_check").scalar() != "ok":
        raise RuntimeError("documents: the schema change left the database inconsistent")


# --- data: every existing item becomes its document -------------------------------------

_meta = sa.MetaData()
_items = sa.Table("roadmap_items", _meta, sa.Column("id", sa.Integer), sa.Column("roadmap_id"),
                  sa.Column("number"), sa.Column("activity"), sa.Column("result_text"),
                  sa.Column("notes", sa.JSON), sa.Column("due", sa.Date),
                  sa.Column("responsible_user_id"), sa.Column("done_at", sa.DateTime(True)),
                  sa.Column("done_by_name"), sa.Column("document_id"), sa.Column("position"))
_roadmaps = sa.Table("roadmaps", _meta, sa.Column("id"), sa.Column("org_id"))
_documents = sa.Table(
    "documents", _meta, sa.Column("id", sa.Integer, primary_key=True), sa.Column("kind"),
    sa.Column("org_id"), sa.Column("title"), sa.Column("state"), sa.Column("version"),
    sa.Column("lock_version"), sa.Column("fields", JSON), sa.Column("responsible_id"),
    sa.Column("due", sa.Date), sa.Column("approved_at", sa.DateTime(True)),
    sa.Column("created_at", sa.DateTime(True)), sa.Column("updated_at", sa.DateTime(True)))
_versions = sa.Table(
    "document_versions", _meta, sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("document_id"), sa.Column("number"), sa.Column("title"),
    sa.Column("fields", JSON), sa.Column("content_sha256"),
    sa.Column("created_at", sa.DateTime(True)), sa.Column("created_by_name"),
    sa.Column("render_status"))
_history = sa.Table(
    "history_events", _meta, sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("org_id"), sa.Column("seq"), sa.Column("document_id"),
    sa.Column("at", sa.DateTime(True)), sa.Column("actor_id"), sa.Column("actor_name"),
    sa.Column("event"), sa.Column("from_state"), sa.Column("to_state"), sa.Column("version"),
    sa.Column("comment"), sa.Column("content_sha256"), sa.Column("prev_hash"),
    sa.Column("hash"))


def _iso_utc(value: datetime) -> str:
    if value.tzinfo is not None:
        value = value.astimezone(UTC).replace(tzinfo=None)
    return value.isoformat(timespec="microseconds") + "Z"


def _hash(ev: dict, prev_hash: str) -> str:
    """The chain's hash exactly as workflow.audit.chain computes it (frozen here)."""
    body = {k: ev[k] for k in ("org_id", "seq", "document_id", "actor_id", "actor_name",
                               "event", "from_state", "to_state", "version",
                               "content_sha256")}
    body["at"], body["comment"] = _iso_utc(ev["at"]), ev["comment"] or ""
    data = json.dumps(body, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode()
    return hashlib.sha256(data + prev_hash.encode()).hexdigest()


def _content_sha(title: str, fields: dict) -> str:
    body = json.dumps({"title": title, "fields": fields}, ensure_ascii=False, sort_keys=True,
                      separators=(",", ":"))
    return hashlib.sha256(body.encode()).hexdigest()


def migrate_items(conn) -> int:
    """Create the document of every item that has none; returns how many were made."""
    rows = conn.execute(
        sa.select(_items, _roadmaps.c.org_id).join(_roadmaps, _roadmaps.c.id == _items.c.roadmap_id)
        .where(_items.c.document_id.is_(None))
        .order_by(_roadmaps.c.org_id, _items.c.roadmap_id, _items.c.position)).all()
    heads: dict[int, tuple[int, str]] = {}
    for r in rows:
        org_id = r.org_id
        if org_id not in heads:
            if conn.dialect.name == "postgresql":
                conn.execute(sa.text("SELECT pg_advisory_xact_lock(7301, :k)"), {"k": org_id})
            last = conn.execute(sa.select(_history.c.seq, _history.c.hash)
                                .where(_history.c.org_id == org_id)
                                .order_by(_history.c.seq.desc()).limit(1)).first()
            heads[org_id] = (last.seq, last.hash) if last else (0, GENESIS)
        now = datetime.now(UTC).replace(microsecond=0)
        notes = [{"at": str(n.get("at", "")), "by": str(n.get("by", "")),
                  "text": str(n.get("text", ""))} for n in (r.notes or []) if isinstance(n, dict)]
        done = r.done_at is not None
        report = next((n["text"] for n in reversed(notes)), "") if done else ""
        fields = {"number": r.number or "", "activity": r.activity or "",
                  "result": r.result_text or "", "notes": notes, "report": report}
        title = (r.activity or f"Пункт {r.number}").strip()[:500] or f"Пункт {r.number}"
        sha = _content_sha(title, fields)
        state = "approved" if done else "draft"
        doc_id = conn.execute(_documents.insert().values(
            # one lock_version per history event (the chain verifier counts on it)
            kind="roadmap_item", org_id=org_id, title=title, state=state, version=1,
            lock_version=1 if done else 0, fields=fields, responsible_id=r.responsible_user_id, due=r.due,
            approved_at=r.done_at if done else None, created_at=now, updated_at=now
        ).returning(_documents.c.id)).scalar_one()
        conn.execute(_versions.insert().values(
            document_id=doc_id, number=1, title=title, fields=fields, content_sha256=sha,
            created_at=now, created_by_name=MIGRATION_ACTOR, render_status="none"))
        events = [("create", None, "draft", "")]
        if done:
            remark = (f"Пункт был отмечен выполненным ({r.done_by_name or 'без подписи'}, "
                      f"{_iso_utc(r.done_at)[:10]}) до перевода пунктов в документы.")
            events.append(("approve", "draft", "approved", remark))
        seq, prev = heads[org_id]
        for event, src, dst, comment in events:
            seq += 1
            ev = {"org_id": org_id, "seq": seq, "document_id": doc_id, "at": now,
                  "actor_id": None, "actor_name": MIGRATION_ACTOR, "event": event,
                  "from_state": src, "to_state": dst, "version": 1, "comment": comment,
                  "content_sha256": sha}
            ev["prev_hash"], ev["hash"] = prev, _hash(ev, prev)
            conn.execute(_history.insert().values(**ev))
            prev = ev["hash"]
        heads[org_id] = (seq, prev)
        conn.execute(_items.update().where(_items.c.id == r.id).values(document_id=doc_id))
    return len(rows)
