"""Benchmark: the page-accurate PDF preview, first view and every later view of a version.

The first view converts the DOCX with LibreOffice (about a second); later views of the same
version are served from the derived-file cache keyed by the DOCX's SHA-256, which is what
a reader sees when they open the preview again or another person opens it.

Run: .venv/bin/python bench/bench_preview.py [--repeat N]
Target (issue 13): the preview loads in under 1 s (a cached view).
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from pathlib import Path

from sqlalchemy import select

from documents import schema
from documents.docx import libreoffice_available
from documents.models import DocState, Document, User
from workflow.demo.loader import load_demo
from workflow.engine.permissions import Actor
from workflow.files import previews
from workflow.runtime import Runtime, Settings


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeat", type=int, default=20)
    args = parser.parse_args()
    if not libreoffice_available():
        print("preview: LibreOffice is not installed — the PDF preview is unavailable here")
        return
    with tempfile.TemporaryDirectory(prefix="nastavnik-bench-preview-") as tmp:
        url = f"sqlite:///{Path(tmp) / 'bench.db'}"
        schema.upgrade(url)
        rt = Runtime.create(Settings(database_url=url, data_dir=Path(tmp) / "data"))
        try:
            load_demo(rt)
            with rt.db.read_session() as s:
                doc = s.scalars(select(Document).where(Document.kind == "order",
                                                       Document.state.in_((DocState.signed, DocState.accepted)))
                                .order_by(Document.id)).first()
                actor = Actor.of(s.scalar(select(User).where(User.email == "director1@demo.local")))
            start = time.perf_counter()
            first = previews.document_pdf(rt, actor, doc.id)
            cold = time.perf_counter() - start
            assert first.status == "ready", first.reason
            samples = []
            for _ in range(args.repeat):
                start = time.perf_counter()
                again = previews.document_pdf(rt, actor, doc.id)
                samples.append(time.perf_counter() - start)
                assert again.data == first.data
            html = []
            for _ in range(args.repeat):
                start = time.perf_counter()
                previews.document_preview(rt, actor, doc.id)
                html.append(time.perf_counter() - start)
        finally:
            rt.db.dispose()
    warm = statistics.median(samples)
    print(f"preview PDF, first view (LibreOffice)   {cold * 1000:8.1f} ms")
    print(f"preview PDF, later views (cached)       {warm * 1000:8.1f} ms  "
          f"(p-max {max(samples) * 1000:.1f} ms, {args.repeat} views)")
    print(f"preview HTML (mammoth)                  {statistics.median(html) * 1000:8.1f} ms")
    print(f"target: a cached view under 1 s — {'met' if warm < 1.0 else 'NOT met'}")


if __name__ == "__main__":
    main()
