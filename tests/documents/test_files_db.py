"""Files in the database (distributed mode): content-addressed, chunked, streamed, and
served by any web process — none of them shares a disk with the one that stored the file."""

import hashlib
import io
import os
import tracemalloc
from dataclasses import replace

import pytest
from sqlalchemy import func, select

from documents.files_db import DbFileStore
from documents.models import StoredFileChunk
from workflow.runtime import Runtime


def test_bytes_come_back_identical_under_their_sha256_and_twice_is_once(rt):
    store = DbFileStore(rt.db.engine, chunk_size=64 * 1024)
    data = os.urandom(200_000)
    key, sha = store.put(data, ".docx")
    assert sha == hashlib.sha256(data).hexdigest() and key == f"{sha[:2]}/{sha}.docx"
    assert store.put(data, ".docx") == (key, sha)
    assert store.exists(key) and store.get(key) == data
    assert store.open(key).read() == data
    with rt.db.read_session() as s:
        assert s.scalar(select(func.count()).select_from(StoredFileChunk)
                        .where(StoredFileChunk.key == key)) == 4
    assert not store.exists("00/" + "0" * 64 + ".docx")
    try:
        store.open("00/" + "0" * 64 + ".docx")
        raise AssertionError("a missing file must not open")
    except FileNotFoundError:
        pass
    empty_key, _ = store.put(b"", ".bin")
    assert store.get(empty_key) == b""


def test_storing_and_reading_hold_one_chunk_not_the_file(rt):
    chunk = 128 * 1024
    store = DbFileStore(rt.db.engine, chunk_size=chunk)
    size = 6 * 1024 * 1024
    block = os.urandom(64 * 1024)

    class Source(io.RawIOBase):  # yields 6 MiB without ever holding them
        sent = 0

        def readable(self):
            return True

        def readinto(self, buf):
            n = min(len(buf), len(block), size - self.sent)
            buf[:n] = block[:n]
            self.sent += n
            return n

    tracemalloc.start()
    key, _ = store.put_stream(io.BufferedReader(Source(), 64 * 1024))
    _, peak_write = tracemalloc.get_traced_memory()
    tracemalloc.reset_peak()
    total = 0
    for part in store.iter_chunks(key):
        total += len(part)
    _, peak_read = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert total == size
    assert peak_write < size / 3 and peak_read < size / 3, (peak_write, peak_read)


@pytest.fixture()
def restore_template_store(rt):
    yield
    import workflow.files.templates

    workflow.files.templates.attach(rt)  # hosts below re-point the uploaded-template store


def test_a_file_rendered_by_one_host_is_served_by_another(rt, api, actor, world, tmp_path,
                                                          restore_template_store):
    if not rt.db.is_postgres:
        pytest.skip("the database file store is the distributed (PostgreSQL) mode")
    from web import create_app
    from workflow.engine.authoring import create_document
    from workflow.engine.transition import apply_event

    host_a = Runtime.create(replace(rt.settings, data_dir=tmp_path / "a", file_store="database"))
    assert isinstance(host_a.files, DbFileStore)
    doc_id = create_document(host_a, actor("admin1"), kind="order", org_id=world.orgs["school1"],
                             title="О наставничестве",
                             fields={"clauses": [{"text": "Внедрить модель."}]})
    for user, event in (("admin1", "submit"), ("director1", "approve"), ("director1", "sign")):
        apply_event(host_a, doc_id, event, actor(user), "")
    host_b = create_app(replace(rt.settings, data_dir=tmp_path / "b", file_store="database"),
                        TESTING=True)
    token = api.token("director1")
    resp = host_b.test_client().get(f"/api/v1/documents/{doc_id}/docx",
                                    headers={"Authorization": f"Bearer {token}"})
    assert resp.status_code == 200
    history = host_b.test_client().get(f"/api/v1/documents/{doc_id}/history",
                                       headers={"Authorization": f"Bearer {token}"}).get_json()
    sign = next(h for h in history if h["event"] == "sign")
    assert hashlib.sha256(resp.data).hexdigest() == sign["content_sha256"]
    assert not (tmp_path / "a" / "files").exists() and not (tmp_path / "b" / "files").exists()
    host_b.extensions["nastavnik"].db.dispose()
    host_a.db.dispose()
