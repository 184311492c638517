"""Uploaded templates through the service: who may upload, which template is in force, and that
documents then render with it (own school → municipality → built-in)."""

from __future__ import annotations

import io

import pytest
from docx import Document as DocxDocument
from sqlalchemy import select

from documents.docx.context import KIND_VARIABLES
from documents.models import Document, DocumentVersion, UploadedTemplate
from workflow.errors import BadInput, Forbidden, NotFound, RuleViolation, TooLarge
from workflow.files import templates
from workflow.files.rendering import render_version


def custom_template(kind: str = "order", marker: str = "СВОЙ-ШАБЛОН") -> bytes:
    """A small valid template of `kind` built with python-docx from the kind's variables."""
    assert {"org", "title", "doc", "signer", "kind_title"} <= KIND_VARIABLES[kind]
    doc = DocxDocument()
    doc.add_paragraph(marker)
    doc.add_paragraph("{{ org.name }}")
    doc.add_paragraph("{{ kind_title }} {{ doc.registration }}")
    doc.add_paragraph("{{ title }}")
    if "clauses" in KIND_VARIABLES[kind]:
        doc.add_paragraph("{%p for c in clauses %}")
        doc.add_paragraph("{{ c.n }}. {{ c.text }}")
        doc.add_paragraph("{%p endfor %}")
    doc.add_paragraph("{{ signer.position }} ____ {{ signer.short }}")
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def docx_text(data: bytes) -> str:
    """All text of a DOCX: body paragraphs, tables, headers and footers (non-breaking spaces
    read as spaces: typesetting is checked in tests/documents/test_docx_typography.py)."""
    doc = DocxDocument(io.BytesIO(data))
    parts = [p.text for p in doc.paragraphs]
    for table in doc.tables:
        for row in table.rows:
            parts += [cell.text for cell in row.cells]
    for section in doc.sections:
        for hf in (section.header, section.footer):
            parts += [p.text for p in hf.paragraphs]
    return "\n".join(parts).replace("\u00a0", " ")


def rendered_text(rt, doc_id: int) -> str:
    with rt.db.read_session() as s:
        doc = s.get(Document, doc_id)
        version = s.scalar(select(DocumentVersion).where(
            DocumentVersion.document_id == doc_id, DocumentVersion.number == doc.version))
        return docx_text(render_version(s, doc, version))


def test_school_template_applies_to_that_school_only(rt, world, actor, make_doc):
    row = templates.upload_template(rt, actor("sysadmin"), "order", world.orgs["school1"],
                                    "мой-приказ.docx", custom_template("order", "ШКОЛА-1-ШАБЛОН"))
    assert row.is_active and row.variables and "clauses" in row.variables
    assert row.filename == "мой-приказ.docx" and rt.files.exists(row.file_key)
    own = rendered_text(rt, make_doc("draft"))
    assert "ШКОЛА-1-ШАБЛОН" in own and "Назначить куратора." in own
    other = rendered_text(rt, make_doc("draft", org="school2", author="admin2"))
    assert "ШКОЛА-1-ШАБЛОН" not in other and "ПРИКАЗЫВАЮ" in other
    # another kind of the same school keeps its built-in template
    regulation = rendered_text(rt, make_doc("draft", kind="regulation", fields={
        "sections": [{"title": "Общие положения", "text": "Текст."}]}))
    assert "ШКОЛА-1-ШАБЛОН" not in regulation


def test_municipality_template_applies_to_its_schools_unless_the_school_has_its_own(
        rt, world, actor, make_doc):
    templates.upload_template(rt, actor("sysadmin"), "order", world.orgs["muni"], "m.docx",
                              custom_template("order", "МУНИЦИПАЛЬНЫЙ-ШАБЛОН"))
    assert "МУНИЦИПАЛЬНЫЙ-ШАБЛОН" in rendered_text(rt, make_doc("draft"))
    assert "МУНИЦИПАЛЬНЫЙ-ШАБЛОН" in rendered_text(
        rt, make_doc("draft", org="school2", author="admin2"))
    foreign = rendered_text(rt, make_doc("draft", org="school3", author="admin3"))
    assert "МУНИЦИПАЛЬНЫЙ-ШАБЛОН" not in foreign
    templates.upload_template(rt, actor("sysadmin"), "order", world.orgs["school1"], "s.docx",
                              custom_template("order", "СВОЙ-ШКОЛЬНЫЙ"))
    text = rendered_text(rt, make_doc("draft"))
    assert "СВОЙ-ШКОЛЬНЫЙ" in text and "МУНИЦИПАЛЬНЫЙ-ШАБЛОН" not in text


def test_new_upload_replaces_the_active_one_and_outdates_draft_files(rt, world, actor,
                                                                       make_doc, api):
    doc_id = make_doc("draft")
    before = api.as_("admin1").get(f"/api/v1/documents/{doc_id}/docx")
    assert before.status_code == 200 and "ПЕРВЫЙ" not in docx_text(before.data)
    first = templates.upload_template(rt, actor("sysadmin"), "order", world.orgs["school1"],
                                      "1.docx", custom_template("order", "ПЕРВЫЙ"))
    # the draft's file is outdated: the first download queues a render (inline here)
    assert api.as_("admin1").get(f"/api/v1/documents/{doc_id}/docx").status_code == 202
    after = api.as_("admin1").get(f"/api/v1/documents/{doc_id}/docx")
    assert after.status_code == 200 and "ПЕРВЫЙ" in docx_text(after.data)
    second = templates.upload_template(rt, actor("sysadmin"), "order", world.orgs["school1"],
                                       "2.docx", custom_template("order", "ВТОРОЙ"))
    with rt.db.read_session() as s:
        active = s.scalars(select(UploadedTemplate).where(
            UploadedTemplate.is_active.is_(True))).all()
        assert [r.id for r in active] == [second.id] and first.id != second.id
    assert "ВТОРОЙ" in rendered_text(rt, doc_id)


def test_only_admins_upload_and_foreign_orgs_are_not_found(rt, world, actor):
    data = custom_template()
    for user in ("admin1", "director1", "curator1", "officer", "auditor"):
        with pytest.raises(Forbidden):
            templates.upload_template(rt, actor(user), "order", world.orgs["school1"], "t.docx",
                                      data)
    for user, org in (("admin3", "school1"), ("sysadmin", "school3"), ("sysadmin", "muni2"),
                      ("head", "school1")):
        with pytest.raises(NotFound):
            templates.upload_template(rt, actor(user), "order", world.orgs[org], "t.docx", data)
    with pytest.raises(NotFound):
        templates.upload_template(rt, actor("sysadmin"), "order", 10**9, "t.docx", data)


def test_refusals_carry_codes(rt, world, actor):
    sysadmin, org = actor("sysadmin"), world.orgs["school1"]
    with pytest.raises(BadInput):
        templates.upload_template(rt, sysadmin, "memo", org, "t.docx", custom_template())
    with pytest.raises(BadInput):
        templates.upload_template(rt, sysadmin, "order", org, "t.docx", b"")
    with pytest.raises(TooLarge):
        templates.upload_template(rt, sysadmin, "order", org, "t.docx",
                                  b"PK" + bytes(templates.MAX_TEMPLATE_BYTES))
    with pytest.raises(RuleViolation) as err:
        templates.upload_template(rt, sysadmin, "regulation", org, "t.docx",
                                  custom_template("order"))
    assert err.value.code == "template_invalid" and "clauses" in err.value.message


def test_list_shows_the_template_in_force_per_kind(rt, world, actor):
    listed = templates.list_templates(rt.db.session, actor("director1"),
                                      org_id=world.orgs["school1"])
    assert sorted(e.kind for e in listed) == sorted(KIND_VARIABLES)
    assert all(e.builtin and e.id is None for e in listed)
    row = templates.upload_template(rt, actor("sysadmin"), "order", world.orgs["muni"], "m.docx",
                                    custom_template())
    rt.db.session.rollback()
    listed = templates.list_templates(rt.db.session, actor("director1"), kind="order",
                                      org_id=world.orgs["school1"])
    assert [(e.id, e.builtin, e.org_id) for e in listed] == [(row.id, False, world.orgs["muni"])]
    # without an organisation: everything in force anywhere the caller sees
    everywhere = templates.list_templates(rt.db.session, actor("sysadmin"), kind="order")
    assert {(e.builtin, e.org_id) for e in everywhere} == {(False, world.orgs["muni"])}
    foreign = templates.list_templates(rt.db.session, actor("director3"), kind="order")
    assert [(e.builtin, e.org_id) for e in foreign] == [(True, None)]
    with pytest.raises(NotFound):
        templates.list_templates(rt.db.session, actor("director3"), org_id=world.orgs["school1"])
