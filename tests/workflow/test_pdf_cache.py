"""The page-accurate PDF preview is converted once per content and then served from the
cache (issue 13): the second request does not run LibreOffice again."""

from __future__ import annotations

from workflow.engine.authoring import update_document
from workflow.files import previews


def test_pdf_is_converted_once_per_content(rt, make_doc, actor, monkeypatch):
    calls: list[int] = []
    monkeypatch.setattr(previews, "libreoffice_available", lambda: True)
    monkeypatch.setattr(previews, "docx_to_pdf",
                        lambda data: calls.append(len(data)) or b"%PDF-1.7 " + data[:16])
    doc = make_doc(title="О наставничестве")
    first = previews.document_pdf(rt, actor("admin1"), doc)
    second = previews.document_pdf(rt, actor("admin1"), doc)
    assert first.status == second.status == "ready" and first.data == second.data
    assert len(calls) == 1
    update_document(rt, actor("admin1"), doc, expected_version=0, title="Другое название")
    third = previews.document_pdf(rt, actor("admin1"), doc)
    assert third.status == "ready" and len(calls) == 2  # new content, new conversion
    rt.db.session.remove()
