"""Content-addressed files in PostgreSQL (the distributed mode): no shared disk needed.

Why chunked bytea rows and not large objects: rows go through the ordinary pool, the
ordinary `pg_dump` of the schema, logical replication and `TRUNCATE`/`DELETE` like any
table; large objects need their own ACLs, `lo_unlink` on delete (or they leak), and the
psycopg large-object API bypasses SQLAlchemy. A file is `stored_files` (key, sha256, size)
plus `stored_file_chunks` of at most CHUNK bytes; both are written in ONE transaction, so a
visible file is always complete. Writing and reading hold at most one chunk in memory.
"""

from __future__ import annotations

import hashlib
import io
import shutil
import tempfile
from collections.abc import Iterator
from typing import BinaryIO

from sqlalchemy import insert, select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.engine import Engine

from documents.models.stored_file import StoredFile, StoredFileChunk

CHUNK = 1024 * 1024


def _variant_key(name: str) -> str:
    if not name.isalnum():
        raise ValueError(name)
    return f"variants/{name}.docx"


def _derived_key(source_sha256: str, suffix: str) -> str:
    if len(source_sha256) != 64 or not all(c in "0123456789abcdef" for c in source_sha256):
        raise ValueError("source_sha256 must be a SHA-256 hex digest")
    return f"derived/{source_sha256}{suffix}"


class DbFileStore:
    def __init__(self, engine: Engine, chunk_size: int = CHUNK) -> None:
        self.engine = engine
        self.chunk_size = chunk_size

    def put(self, data: bytes, suffix: str = ".docx") -> tuple[str, str]:
        """Store bytes; returns (key, sha256). Writing the same bytes twice is a no-op."""
        return self.put_stream(io.BytesIO(data), suffix)

    def put_stream(self, source: BinaryIO, suffix: str = ".docx") -> tuple[str, str]:
        """Store what `source` yields without holding it whole in memory: it is hashed while
        spooled to a temporary file (in memory up to one chunk), then written chunk by chunk."""
        digest = hashlib.sha256()
        size = 0
        with tempfile.SpooledTemporaryFile(max_size=self.chunk_size) as spool:
            while block := source.read(64 * 1024):
                digest.update(block)
                size += len(block)
                spool.write(block)
            sha = digest.hexdigest()
            key = f"{sha[:2]}/{sha}{suffix}"
            chunks = max(1, -(-size // self.chunk_size))
            spool.seek(0)
            dialect = self.engine.dialect.name
            ins = {"postgresql": pg_insert, "sqlite": sqlite_insert}[dialect]
            with self.engine.begin() as conn:
                # A concurrent writer of the same bytes waits on the key, then does nothing.
                created = conn.execute(
                    ins(StoredFile).values(key=key, sha256=sha, size=size, chunks=chunks)
                    .on_conflict_do_nothing(index_elements=["key"])
                    .returning(StoredFile.key)).scalar()
                if created is None:
                    return key, sha
                for n in range(chunks):
                    conn.execute(insert(StoredFileChunk).values(
                        key=key, n=n, data=spool.read(self.chunk_size)))
        return key, sha

    # Derived renderings (e.g. a document's variant for readers outside its school), stored
    # under a name saying what they derive from, as the local store does.

    def put_variant(self, name: str, data: bytes) -> None:
        self._put_named(_variant_key(name), data)

    def get_variant(self, name: str) -> bytes | None:
        return self._get_named(_variant_key(name))

    def put_derived(self, source_sha256: str, suffix: str, data: bytes) -> None:
        self._put_named(_derived_key(source_sha256, suffix), data)

    def get_derived(self, source_sha256: str, suffix: str) -> bytes | None:
        return self._get_named(_derived_key(source_sha256, suffix))

    def _put_named(self, key: str, data: bytes) -> None:
        sha = hashlib.sha256(data).hexdigest()
        chunks = [data[i:i + self.chunk_size] for i in range(0, len(data), self.chunk_size)]
        ins = {"postgresql": pg_insert, "sqlite": sqlite_insert}[self.engine.dialect.name]
        with self.engine.begin() as conn:
            created = conn.execute(
                ins(StoredFile).values(key=key, sha256=sha, size=len(data),
                                       chunks=max(1, len(chunks)))
                .on_conflict_do_nothing(index_elements=["key"])
                .returning(StoredFile.key)).scalar()
            if created is not None:
                for n, chunk in enumerate(chunks or [b""]):
                    conn.execute(insert(StoredFileChunk).values(key=key, n=n, data=chunk))

    def _get_named(self, key: str) -> bytes | None:
        return self.get(key) if self.exists(key) else None

    def exists(self, key: str) -> bool:
        with self.engine.connect() as conn:
            return conn.scalar(select(StoredFile.key).where(StoredFile.key == key)) is not None

    def iter_chunks(self, key: str) -> Iterator[bytes]:
        """The file's bytes, one chunk (one short query) at a time; FileNotFoundError now."""
        with self.engine.connect() as conn:
            count = conn.scalar(select(StoredFile.chunks).where(StoredFile.key == key))
        if count is None:
            raise FileNotFoundError(key)
        return self._chunks(key, count)

    def _chunks(self, key: str, count: int) -> Iterator[bytes]:
        for n in range(count):
            with self.engine.connect() as conn:
                data = conn.scalar(select(StoredFileChunk.data).where(
                    StoredFileChunk.key == key, StoredFileChunk.n == n))
            if data is None:
                raise FileNotFoundError(f"{key} (chunk {n})")
            yield bytes(data)

    def open(self, key: str) -> BinaryIO:
        """A read-only binary file object streaming the chunks (for `send_file`)."""
        return io.BufferedReader(_ChunkReader(self.iter_chunks(key)), buffer_size=self.chunk_size)

    def get(self, key: str) -> bytes:
        out = io.BytesIO()
        for chunk in self.iter_chunks(key):
            out.write(chunk)
        return out.getvalue()

    def copy_to(self, key: str, target: BinaryIO) -> None:
        shutil.copyfileobj(self.open(key), target)


class _ChunkReader(io.RawIOBase):
    def __init__(self, chunks: Iterator[bytes]) -> None:
        self._chunks = chunks
        self._rest = b""

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        while not self._rest:
            try:
                self._rest = next(self._chunks)
            except StopIteration:
                return 0
        n = min(len(buffer), len(self._rest))
        buffer[:n] = self._rest[:n]
        self._rest = self._rest[n:]
        return n
