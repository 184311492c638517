"""The rendered file of a document: every kind renders from demo data with its requisites; a
signed version's file is frozen; a failed render is visible, retried and never blocks the
chain; a pending render answers 202."""

from __future__ import annotations

import dataclasses
import hashlib

import pytest
from sqlalchemy import select

from documents import schema
from documents.docx import RenderError
from documents.models import Document, DocumentVersion, UploadedTemplate
from tests.workflow.test_templates import docx_text
from workflow.files import rendering
from workflow.files.rendering import render_version
from workflow.runtime import Runtime, Settings

SIGNED = ("signed", "under_municipal_review", "accepted", "returned", "cancelled")
ORDERS = ("order", "curator_order", "pair_order")


@pytest.fixture()
def demo_rt(tmp_path):
    """A separate runtime on a fresh SQLite file, loaded with the demo."""
    from workflow.demo.loader import load_demo

    url = f"sqlite:///{tmp_path / 'demo.db'}"
    schema.upgrade(url)
    runtime = Runtime.create(Settings(database_url=url, data_dir=tmp_path))
    assert load_demo(runtime) is True
    yield runtime
    runtime.db.dispose()


def test_each_kind_renders_from_demo_data_with_its_requisites(demo_rt):
    from documents.docx.context import KIND_TITLES

    kinds_seen: set[str] = set()
    with demo_rt.db.read_session() as s:
        # roadmap items have no DOCX of their own
        docs = s.scalars(select(Document).where(Document.kind != "roadmap_item")
                         .order_by(Document.id)).all()
        assert docs, "the demo has documents"
        for doc in docs:
            version = s.scalar(select(DocumentVersion).where(
                DocumentVersion.document_id == doc.id, DocumentVersion.number == doc.version))
            text = docx_text(render_version(s, doc, version))
            where = f"{doc.kind} #{doc.id} «{doc.title}» ({doc.state.value})"
            kinds_seen.add(doc.kind)
            org = doc.organization
            assert org.name in text or org.short_name in text, where
            assert KIND_TITLES[doc.kind].split()[0] in text, where
            if doc.kind in ORDERS:
                assert "ПРИКАЗЫВАЮ" in text, where
            if doc.state.value in SIGNED and doc.kind in ORDERS:
                assert version.registration_number and version.registration_number in text, where
            elif doc.state.value in SIGNED:  # an act: the head's «УТВЕРЖДАЮ» or its real order
                assert "УТВЕРЖДАЮ" in text or "УТВЕРЖДЕН" in text, where
                assert version.registration_number not in text, where  # its own journal only
            else:
                assert "ПРОЕКТ" in text, where
            head = (org.head_name or "").split()
            if head and doc.kind in ORDERS:  # «И.О. Фамилия» of the signer under the order
                assert head[0] in text, where
    assert kinds_seen >= {"order", "regulation"}


def test_signed_file_hashes_to_the_recorded_sign_event(api, make_doc):
    doc_id = make_doc("signed")
    client = api.as_("director1")
    history = client.get(f"/api/v1/documents/{doc_id}/history").get_json()
    sign = next(h for h in history if h["event"] == "sign")
    data = client.get(f"/api/v1/documents/{doc_id}/versions/1/docx")
    assert data.status_code == 200
    assert hashlib.sha256(data.data).hexdigest() == sign["content_sha256"]
    assert client.get(f"/api/v1/documents/{doc_id}/docx").data == data.data
    doc = client.get(f"/api/v1/documents/{doc_id}").get_json()
    patched = api.as_("admin1").patch(f"/api/v1/documents/{doc_id}",
                                      json={"lock_version": doc["lock_version"], "title": "x"})
    assert patched.status_code == 422
    # the frozen file is not rendered again
    assert client.post(f"/api/v1/documents/{doc_id}/render").status_code == 422


def test_failed_render_is_visible_retried_and_does_not_block(api, make_doc, monkeypatch):
    real = rendering.render_version

    def broken(*args, **kwargs):
        raise RenderError("Шаблон обращается к недопустимым данным: проверка")

    monkeypatch.setattr(rendering, "render_version", broken)
    doc_id = make_doc("draft")
    admin = api.as_("admin1")
    resp = admin.get(f"/api/v1/documents/{doc_id}/docx")
    assert resp.status_code == 422
    error = resp.get_json()["error"]
    assert error["code"] == "render_failed" and "недопустимым данным" in error["message"]
    versions = admin.get(f"/api/v1/documents/{doc_id}/versions").get_json()
    assert versions[0]["render_status"] == "failed"
    assert "недопустимым данным" in versions[0]["render_error"]
    # transitions that do not need the file go on
    assert api.as_("admin1").fire(doc_id, "submit").status_code == 200
    assert api.as_("director1").fire(doc_id, "approve").status_code == 200
    # signing needs the file: refused with the reason, not a 500
    sign = api.as_("director1").fire(doc_id, "sign")
    assert sign.status_code == 422 and sign.get_json()["error"]["code"] == "render_failed"
    # the template is fixed: a retry renders it
    monkeypatch.setattr(rendering, "render_version", real)
    assert admin.post(f"/api/v1/documents/{doc_id}/render").status_code == 202
    assert admin.get(f"/api/v1/documents/{doc_id}/docx").status_code == 200
    versions = admin.get(f"/api/v1/documents/{doc_id}/versions").get_json()
    assert versions[0]["render_status"] == "ready" and versions[0]["render_error"] is None
    assert api.as_("director1").fire(doc_id, "sign").status_code == 200


def test_an_uploaded_template_that_fails_at_render_time(rt, api, world, make_doc):
    """A stored template that cannot be rendered (here: its file is not a DOCX) fails visibly."""
    key, digest = rt.files.put(b"not a docx at all", suffix=".docx")
    with rt.db.write_session() as s:
        s.add(UploadedTemplate(kind="order", org_id=world.orgs["school1"], sha256=digest,
                               file_key=key, filename="сломанный.docx", variables=[],
                               uploaded_by_name="test", is_active=True))
    doc_id = make_doc("draft")
    resp = api.as_("admin1").get(f"/api/v1/documents/{doc_id}/docx")
    assert resp.status_code == 422 and resp.get_json()["error"]["code"] == "render_failed"
    assert "DOCX" in resp.get_json()["error"]["message"]
    assert api.as_("admin1").fire(doc_id, "submit").status_code == 200
    # another school is not affected
    other = make_doc("draft", org="school2", author="admin2")
    assert api.as_("admin2").get(f"/api/v1/documents/{other}/docx").status_code == 200


def test_pending_render_answers_202_with_retry_after(app, rt, api, make_doc):
    doc_id = make_doc("draft")
    queued = dataclasses.replace(rt, settings=dataclasses.replace(rt.settings,
                                                                  effects_mode="celery"))
    app.extensions["nastavnik"] = queued
    try:
        client = api.as_("admin1")
        doc = client.get(f"/api/v1/documents/{doc_id}").get_json()
        patched = client.patch(f"/api/v1/documents/{doc_id}", json={
            "lock_version": doc["lock_version"], "title": "Новое название приказа"})
        assert patched.status_code == 200
        resp = client.get(f"/api/v1/documents/{doc_id}/docx")
        assert resp.status_code == 202 and resp.headers["Retry-After"].isdigit()
        versions = client.get(f"/api/v1/documents/{doc_id}/versions").get_json()
        assert versions[0]["render_status"] == "pending"
    finally:
        app.extensions["nastavnik"] = rt
    from workflow.engine.effects import run_effects  # the worker comes back: the render runs

    with rt.db.read_session() as s:
        from documents.models import OutboxItem

        pending = [i.id for i in s.scalars(select(OutboxItem).where(
            OutboxItem.done_at.is_(None), OutboxItem.effect == "render"))]
    assert pending
    run_effects(rt, pending)
    resp = api.as_("admin1").get(f"/api/v1/documents/{doc_id}/docx")
    assert resp.status_code == 200 and "Новое название приказа" in docx_text(resp.data)


@pytest.mark.parametrize("kind", ["order", "curator_order", "pair_order", "regulation",
                                  "incentive_scheme", "programme", "roadmap"])
def test_every_kind_renders_valid_ooxml_even_with_optional_parts_empty(kind):
    """Word calls a file damaged when a table cell has no paragraph (an emptied loop)."""
    import io
    import re
    import zipfile

    from documents.docx import build_context, render_docx
    from documents.docx.samples import sample_snapshot

    for draft in (False, True):
        snap = sample_snapshot(kind, draft=draft)
        if draft:
            for name in ("considered_by", "agreed_by", "acquaintance", "appendices", "goals",
                         "duties", "measures"):
                snap["fields"].pop(name, None)
            snap["visas"] = []
        data = render_docx(kind, build_context(snap))
        xml = zipfile.ZipFile(io.BytesIO(data)).read("word/document.xml").decode()
        cells = re.findall(r"<w:tc>.*?</w:tc>", xml, re.DOTALL)
        assert all(re.search(r"<w:p[ >]", c) for c in cells), (kind, draft)
        text = docx_text(data)
        assert sample_snapshot(kind)["org"]["name"] in text
        assert ("ПРОЕКТ" in text) == draft
