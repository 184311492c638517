"""The audit pack: a ZIP an inspector verifies offline (see api.md «The auditor's workspace»).

manifest.json, history.jsonl (the organisation's whole chain up to its head), the frozen
signed files of the period byte for byte (documents/<id>/v<n>.docx), verification.json and
verify_pack.py. Everything is streamed: history rows are read in batches and written line by
line, files are copied in blocks, hashes are computed on the way — memory stays bounded
whatever the size of the chain.
"""

from __future__ import annotations

import hashlib
import json
import shutil
import zipfile
from collections.abc import Callable
from datetime import date, datetime
from pathlib import Path
from typing import BinaryIO

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from documents.db import stream_rows
from documents.models import Document, DocumentVersion, HistoryEvent
from documents.models.history import iso_utc
from workflow import clock
from workflow.audit.anchors import head_of
from workflow.audit.chain import CHAIN_COLUMNS, canonical_dict, verify_chain
from workflow.errors import BadInput

VERIFY_SCRIPT = Path(__file__).with_name("verify_pack.py")
BLOCK = 1 << 16


def period(date_from: date | None, date_to: date | None) -> tuple[date, date]:
    to = date_to or clock.today()
    start = date_from or date(2000, 1, 1)
    if start > to:
        raise BadInput("Начало периода позже его конца.", code="invalid_period")
    return start, to


def _bounds(start: date, to: date) -> tuple[datetime, datetime]:
    return clock.day_start(start), clock.day_end(to)


def signed_versions(session: Session, org_id: int, start: date, to: date) -> list:
    lo, hi = _bounds(start, to)
    return session.execute(
        select(DocumentVersion.document_id, DocumentVersion.number, DocumentVersion.file_key)
        .join(Document, Document.id == DocumentVersion.document_id)
        .where(Document.org_id == org_id, DocumentVersion.signed_at.is_not(None),
               DocumentVersion.signed_at >= lo, DocumentVersion.signed_at < hi,
               DocumentVersion.file_key.is_not(None))
        .order_by(DocumentVersion.document_id, DocumentVersion.number)).all()


def pack_size(session: Session, org_id: int, start: date, to: date) -> int:
    """Units of work (events + files) for the progress bar."""
    events = session.scalar(select(func.count()).select_from(HistoryEvent)
                            .where(HistoryEvent.org_id == org_id)) or 0
    return events + len(signed_versions(session, org_id, start, to))


class _Writer:
    def __init__(self, zf: zipfile.ZipFile) -> None:
        self.zf, self.files = zf, []

    def open(self, name: str):
        return _Member(self, name)


class _Member:
    """A member written in pieces, hashed on the way."""

    def __init__(self, writer: _Writer, name: str) -> None:
        self.writer, self.name, self.digest = writer, name, hashlib.sha256()
        self.fh = writer.zf.open(name, "w", force_zip64=True)

    def write(self, data: bytes) -> None:
        self.digest.update(data)
        self.fh.write(data)

    def close(self, listed: bool = True) -> None:
        self.fh.close()
        if listed:
            self.writer.files.append({"path": self.name, "sha256": self.digest.hexdigest()})


def write_pack(rt, session: Session, org_id: int, date_from: date | None,
               date_to: date | None, out: BinaryIO,
               progress: Callable[[int], None] | None = None) -> dict:
    """Write the pack of one organisation and period to ``out``; returns the manifest."""
    start, to = period(date_from, date_to)
    head = head_of(session, org_id)
    done = 0
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        w = _Writer(zf)
        member = w.open("history.jsonl")
        rows = stream_rows(session, select(*CHAIN_COLUMNS).where(
            HistoryEvent.org_id == org_id, HistoryEvent.seq <= head["seq"])
            .order_by(HistoryEvent.seq), 500)
        for ev in rows:
            line = dict(canonical_dict(ev), prev_hash=ev.prev_hash, hash=ev.hash)
            member.write(json.dumps(line, ensure_ascii=False, sort_keys=True).encode() + b"\n")
            done += 1
            if progress is not None and done % 1000 == 0:
                progress(done)
        member.close()
        missing = []
        for doc_id, number, key in signed_versions(session, org_id, start, to):
            name = f"documents/{doc_id}/v{number}.docx"
            if not rt.files.exists(key):  # evidence in itself: the pack says so and fails
                missing.append(name)
                continue
            member = w.open(name)
            with open(rt.files.root / key, "rb") as src:
                for block in iter(lambda: src.read(BLOCK), b""):
                    member.write(block)
            member.close()
            done += 1
            if progress is not None:
                progress(done)
        result = verify_chain(session, org_id, head["seq"] or None, head["hash"])
        member = w.open("verification.json")
        member.write(json.dumps(dict(result.to_api(), head={"seq": head["seq"],
                                                              "hash": head["hash"]},
                                     missing_files=missing),
                                ensure_ascii=False, indent=2).encode())
        member.close()
        member = w.open("verify_pack.py")
        with open(VERIFY_SCRIPT, "rb") as src:
            shutil.copyfileobj(src, member)
        member.close()
        manifest = {"org_id": org_id, "from": start.isoformat(), "to": to.isoformat(),
                    "created_at": iso_utc(clock.now()),
                    "head": {"seq": head["seq"], "hash": head["hash"]}, "files": w.files,
                    "missing": missing}
        member = w.open("manifest.json")
        member.write(json.dumps(manifest, ensure_ascii=False, indent=2).encode())
        member.close(listed=False)
    return manifest


def pack_filename(org_id: int, start: date, to: date) -> str:
    return f"audit-pack-org{org_id}-{start.isoformat()}-{to.isoformat()}.zip"
