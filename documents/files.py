"""Content-addressed file storage: a file's key is derived from its SHA-256, so stored bytes
can never silently change under a recorded hash."""

from __future__ import annotations

import hashlib
import os
import tempfile
from pathlib import Path


class FileStore:
    def __init__(self, root: str | os.PathLike) -> None:
        self.root = Path(root)

    def put(self, data: bytes, suffix: str = ".docx") -> tuple[str, str]:
        """Store bytes; returns (key, sha256). Writing the same bytes twice is a no-op."""
        digest = hashlib.sha256(data).hexdigest()
        key = f"{digest[:2]}/{digest}{suffix}"
        path = self.root / key
        if not path.exists():
            path.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-")
            with os.fdopen(fd, "wb") as fh:
                fh.write(data)
            os.replace(tmp, path)
        return key, digest

    def get(self, key: str) -> bytes:
        path = (self.root / key).resolve()
        if self.root.resolve() not in path.parents:
            raise FileNotFoundError(key)
        return path.read_bytes()

    def exists(self, key: str) -> bool:
        return (self.root / key).exists()

    # Derived renderings (e.g. a document's variant for readers outside its school) live
    # apart from the content-addressed originals, under a key naming what they derive from.

    def _variant_path(self, name: str) -> Path:
        if not name.isalnum():
            raise ValueError(name)
        return self.root / "variants" / f"{name}.docx"

    def put_variant(self, name: str, data: bytes) -> None:
        self._write(self._variant_path(name), data)

    def get_variant(self, name: str) -> bytes | None:
        path = self._variant_path(name)
        return path.read_bytes() if path.exists() else None

    # Derived files (a PDF made from a DOCX) are cached under their source's hash.

    def _derived(self, source_sha256: str, suffix: str) -> Path:
        if not all(c in "0123456789abcdef" for c in source_sha256) or len(source_sha256) != 64:
            raise ValueError("source_sha256 must be a SHA-256 hex digest")
        return self.root / "derived" / source_sha256[:2] / f"{source_sha256}{suffix}"

    def get_derived(self, source_sha256: str, suffix: str) -> bytes | None:
        path = self._derived(source_sha256, suffix)
        return path.read_bytes() if path.exists() else None

    def put_derived(self, source_sha256: str, suffix: str, data: bytes) -> None:
        self._write(self._derived(source_sha256, suffix), data)

    @staticmethod
    def _write(path: Path, data: bytes) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-")
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        os.replace(tmp, path)

    def open(self, key: str):
        """A binary file object to stream the stored bytes from (the caller closes it)."""
        path = (self.root / key).resolve()
        if self.root.resolve() not in path.parents:
            raise FileNotFoundError(key)
        return path.open("rb")
