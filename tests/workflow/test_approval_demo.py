"""«Done means» of the approval on the demo, through the services the pages and API call:
admin1 drafts a Положение о наставничестве, the педсовет protocol and the trade union's are
recorded, the director approves, the approving order is created from the act and signed by
the acting director while director1 is on leave, the package goes to the municipality, is
returned, revised and accepted; every DOCX reads like a real school's act; history verifies."""

import io

from docx import Document as Docx
from sqlalchemy import select

import workflow.demo.approval  # noqa: F401 - the demo's substitution
from documents import schema
from documents.models import Document, DocumentVersion, StageProtocol, User
from workflow import clock
from workflow.admin import log as admin_log
from workflow.audit.chain import verify_chain
from workflow.demo.loader import REGULATION_FIELDS
from workflow.engine import appendices
from workflow.engine.authoring import create_document
from workflow.engine.permissions import Actor
from workflow.engine.protocols import pass_collegial_stages
from workflow.engine.transition import apply_event
from workflow.files.rendering import render_version
from workflow.runtime import Runtime, Settings


def _text(data: bytes) -> str:
    doc = Docx(io.BytesIO(data))
    out = [p.text for p in doc.paragraphs]
    for t in doc.tables:
        for r in t.rows:
            out += [c.text for c in r.cells]
    return "\n".join(out).replace("\xa0", " ")


def test_done_means_on_the_demo(tmp_path):
    from workflow.demo.loader import load_demo

    url = f"sqlite:///{tmp_path / 'demo.db'}"
    schema.upgrade(url)
    rt = Runtime.create(Settings(database_url=url, data_dir=tmp_path))
    try:
        assert load_demo(rt)
        with rt.db.read_session() as s:  # each school's minutes numbered in order, never twice
            rows = s.execute(select(Document.org_id, StageProtocol.body, StageProtocol.number)
                             .join(Document, Document.id == StageProtocol.document_id)).all()
            seen = [(org, body, number) for org, body, number in rows]
            assert seen and len(set(seen)) == len(seen)
            assert all(number.isdigit() for _, _, number in seen)
        with rt.db.read_session() as s:
            people = {u.email.split("@")[0]: Actor.of(u) for u in s.scalars(select(User))}
            org_id = s.scalar(select(Document.org_id).where(
                Document.title == "Положение о наставничестве").order_by(Document.id))
            # the municipal admin's «Журнал действий»: what the demo made, as the first run logs
            entries = admin_log.list_log(s, people["admin"], per_page=200)["items"]
            shown = {admin_log.details_text(e["details"]) for e in entries}
            assert entries and {e["actor_name"] for e in entries} == {"система"}
            assert "пользователь: Иванова Мария Петровна; роль: Директор" in shown
            assert ("наименование: Демонстрационный муниципальный район; вид: муниципалитет"
                    in shown)
        admin, director, deputy, officer = (people["admin1"], people["director1"],
                                            people["curator1"], people["officer"])
        act = create_document(rt, admin, kind="regulation", org_id=org_id,
                              title="Положение о наставничестве (новая редакция)",
                              fields=REGULATION_FIELDS)

        def through_route():
            apply_event(rt, act, "submit", admin)
            pass_collegial_stages(rt, act, admin, number="4")
            apply_event(rt, act, "approve", director)

        through_route()
        order = appendices.create_approving_order(rt, admin, act)

        def sign_order():
            apply_event(rt, order, "submit", admin)
            apply_event(rt, order, "approve", deputy)  # и. о. директора
            apply_event(rt, order, "sign", deputy)

        sign_order()
        apply_event(rt, order, "send_to_municipality", admin)
        apply_event(rt, order, "return_for_revision", officer, "Уточните раздел 5.")
        apply_event(rt, order, "revise", admin)
        through_route()
        sign_order()
        apply_event(rt, order, "send_to_municipality", admin)
        apply_event(rt, order, "accept", officer)
        with rt.db.read_session() as s:
            docs = {d.id: d for d in s.scalars(select(Document).where(
                Document.id.in_([act, order])))}
            assert {d.state.value for d in docs.values()} == {"accepted"}
            order_doc = docs[order]
            texts = {}
            for doc in docs.values():
                version = s.scalar(select(DocumentVersion).where(
                    DocumentVersion.document_id == doc.id,
                    DocumentVersion.number == doc.version))
                texts[doc.id] = _text(rt.files.get(version.file_key)
                                      if version.file_key else render_version(s, doc, version))
            signed_on = clock.local_date(order_doc.signed_at)
            stamp = f"{signed_on:%d.%m.%Y} № {order_doc.registration_number}"
            assert stamp in texts[act] and "УТВЕРЖДЕНО" in texts[act]
            assert "РАССМОТРЕНО" in texts[act] and "С учётом мнения" in texts[act]
            assert "И. о. директора" in texts[order]
            assert "приложение № 1" in texts[order]
            assert not docs[act].registration_number.endswith("-од")
            assert verify_chain(s, org_id).ok
    finally:
        rt.db.dispose()
