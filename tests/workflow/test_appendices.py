"""Approving orders: appendices signed with the order in one transaction, refused when taken
by another live order, DOCX grifs citing the real order; substitution (и. о.)."""

import io
from datetime import datetime, timedelta

import pytest
from docx import Document as Docx
from sqlalchemy import select

from documents.models import Document
from workflow import clock
from workflow.audit.chain import verify_chain
from workflow.engine import appendices
from workflow.engine.protocols import pass_collegial_stages
from workflow.engine.transition import apply_event

SECTIONS = {"sections": [{"title": "Общие положения", "text": "Текст."}]}
ACTS = [("regulation", "Положение о наставничестве", SECTIONS),
        ("programme", "Программа наставничества", SECTIONS),
        ("incentive_scheme", "Положение о мотивации наставников", SECTIONS)]


def docx_text(data: bytes) -> str:
    doc = Docx(io.BytesIO(data))
    parts = [p.text for p in doc.paragraphs]
    for table in doc.tables:
        for row in table.rows:
            parts += [c.text for c in row.cells]
    return "\n".join(parts).replace("\xa0", " ")  # non-breaking spaces read as spaces


def _approved_act(rt, actor, world, kind, title, fields):
    from workflow.engine.authoring import create_document

    doc = create_document(rt, actor("admin1"), kind=kind, org_id=world.orgs["school1"],
                          title=title, fields=fields)
    apply_event(rt, doc, "submit", actor("admin1"))
    pass_collegial_stages(rt, doc, actor("admin1"), number="5")
    apply_event(rt, doc, "approve", actor("director1"))
    return doc


def _order_with(rt, actor, world, api, acts):
    order = appendices.create_approving_order(rt, actor("admin1"), acts[0])
    for act in acts[1:]:
        lock = api.as_("admin1").get(f"/api/v1/documents/{order}").get_json()["lock_version"]
        resp = api.as_("admin1").post(f"/api/v1/documents/{order}/appendices",
                                      json={"document_id": act, "lock_version": lock})
        assert resp.status_code == 200, resp.get_json()
    return order


@pytest.fixture()
def three(rt, actor, world):
    return [_approved_act(rt, actor, world, *a) for a in ACTS]


def test_signing_the_order_signs_three_appendices_citing_it(rt, actor, world, api, three):
    order = _order_with(rt, actor, world, api, three)
    body = api.as_("admin1").get(f"/api/v1/documents/{order}").get_json()
    assert body["title"] == "Об утверждении Положения о наставничестве"
    assert [a["document_id"] for a in body["appendices"]] == three
    texts = [c["text"] for c in body["fields"]["clauses"]]
    assert texts[:3] == ["Утвердить Положение о наставничестве (приложение № 1).",
                         "Утвердить Программу наставничества (приложение № 2).",
                         "Утвердить Положение о мотивации наставников (приложение № 3)."]
    apply_event(rt, order, "submit", actor("admin1"))
    apply_event(rt, order, "approve", actor("director1"))
    signed = api.as_("director1").fire(order, "sign").get_json()
    assert signed["state"] == "signed" and signed["registration_number"].endswith("-од")
    # the day of signing in the school's zone (the API gives the moment in UTC)
    dmy = clock.local_date(datetime.fromisoformat(signed["signed_at"])).strftime("%d.%m.%Y")
    for act in three:
        body = api.as_("admin1").get(f"/api/v1/documents/{act}").get_json()
        assert body["state"] == "signed"
        assert body["approved_by"]["document_id"] == order
        assert body["approved_by"]["registration_number"] == signed["registration_number"]
        assert not body["registration_number"].endswith("-од")  # never the order journal
        text = docx_text(api.as_("admin1").get(f"/api/v1/documents/{act}/docx").data)
        assert f"от {dmy} № {signed['registration_number']}" in text, text[:400]
        assert "УТВЕРЖДЕН" in text
    reg = docx_text(api.as_("admin1").get(f"/api/v1/documents/{three[0]}/docx").data)
    assert "РАССМОТРЕНО" in reg and "педагогическим советом" in reg and "№ 5" in reg
    assert "С учётом мнения" in reg and "профсоюзной" in reg
    # the compliance matrix counts the regulation as signed and names its order
    from workflow.compliance import matrix

    with rt.db.read_session() as s:
        report = matrix.compute(s, [world.orgs["muni"]])[world.orgs["muni"]]
    point = next(x for x in report["schools"] if x["org_id"] == world.orgs["school1"])[
        "checkpoints"]["regulation"]
    assert point["state"] == "signed" and point["approved_by"]["document_id"] == order
    assert point["approved_by"]["registration_number"] == signed["registration_number"]
    assert point["approved_by"]["signed_at"] == signed["signed_at"]  # as the document API says
    # the package goes to the municipality together, and comes back together
    api.as_("admin1").fire(order, "send_to_municipality")
    assert {api.as_("officer").get(f"/api/v1/documents/{a}").get_json()["state"]
            for a in three} == {"under_municipal_review"}
    api.as_("officer").fire(order, "return_for_revision", "Дополнить раздел 6")
    api.as_("admin1").fire(order, "revise")
    assert {api.as_("admin1").get(f"/api/v1/documents/{a}").get_json()["state"]
            for a in three} == {"draft"}
    with rt.db.read_session() as s:
        assert verify_chain(s, world.orgs["school1"]).ok


def test_an_exception_midway_signs_nothing(rt, actor, world, api, three, monkeypatch):
    order = _order_with(rt, actor, world, api, three)
    apply_event(rt, order, "submit", actor("admin1"))
    apply_event(rt, order, "approve", actor("director1"))
    calls = []

    def boom(step, act):
        calls.append(act.id)
        if len(calls) == 2:
            raise RuntimeError("killed midway")

    monkeypatch.setattr(appendices, "SIGN_HOOKS", [boom])
    with pytest.raises(RuntimeError):
        apply_event(rt, order, "sign", actor("director1"))
    with rt.db.read_session() as s:
        states = {d.id: d.state.value for d in s.scalars(select(Document).where(
            Document.id.in_([order, *three])))}
        assert set(states.values()) == {"approved"}, states
        assert verify_chain(s, world.orgs["school1"]).ok


def test_appendix_taken_by_another_live_order_is_refused(rt, actor, world, api, make_doc):
    act = _approved_act(rt, actor, world, *ACTS[0])
    appendices.create_approving_order(rt, actor("admin1"), act)
    other = make_doc("draft")
    resp = api.as_("admin1").post(f"/api/v1/documents/{other}/appendices",
                                  json={"document_id": act, "lock_version": 0})
    assert resp.status_code == 422 and resp.get_json()["error"]["code"] == "appendix_taken"
    resp = api.as_("admin1").post(f"/api/v1/documents/{other}/appendices",
                                  json={"document_id": make_doc("draft"), "lock_version": 0})
    assert resp.get_json()["error"]["code"] == "appendix_kind_not_allowed"
    draft_act = make_doc("draft", kind="programme", fields=SECTIONS)
    resp = api.as_("admin1").post(f"/api/v1/documents/{other}/appendices",
                                  json={"document_id": draft_act, "lock_version": 0})
    assert resp.get_json()["error"]["code"] == "appendix_not_ready"
    # the act cannot also be signed on its own while the order is alive
    assert api.as_("director1").fire(act, "sign").status_code == 422


def test_head_signs_the_act_itself_with_utverzhdayu(rt, actor, world, api):
    act = _approved_act(rt, actor, world, *ACTS[1])
    body = api.as_("director1").fire(act, "sign").get_json()
    assert body["state"] == "signed" and body["registration_number"].endswith("-ла")
    text = docx_text(api.as_("admin1").get(f"/api/v1/documents/{act}/docx").data)
    assert "УТВЕРЖДАЮ" in text and "-од" not in text


def _school2_approved(rt, actor, world):
    from tests.conftest import ORDER_FIELDS
    from workflow.engine.authoring import create_document

    doc = create_document(rt, actor("admin2"), kind="order", org_id=world.orgs["school2"],
                          title="Приказ", fields=ORDER_FIELDS)
    apply_event(rt, doc, "submit", actor("admin2"))
    apply_event(rt, doc, "approve", actor("director2"))
    return doc


def _curator_of_both_schools(rt, world, app):
    import uuid

    from tests.conftest import PASSWORD, ApiClient
    from workflow import accounts

    with rt.db.write_session() as s:
        user = accounts.create_user(s, email=f"twin-{uuid.uuid4().hex[:6]}@test.local",
                                    full_name="Двойников Павел Павлович", password=PASSWORD,
                                    position="Заместитель директора")
        for org in ("school1", "school2"):
            accounts.grant_role(s, user.id, world.orgs[org], "curator")
        user_id = user.id
    client = ApiClient(app.test_client(), accounts.issue_token(rt, user_id))
    client.user_id = user_id
    return client


def test_deputy_signs_only_inside_dates_and_org_and_docx_says_io(rt, actor, world, api,
                                                                  make_doc, app):
    today = clock.today()
    director, curator = world.users["director1"], world.users["curator1"]
    create = api.as_("director1").post("/api/v1/substitutions", json={
        "org_id": world.orgs["school1"], "absent_id": director, "deputy_id": curator,
        "start": (today + timedelta(days=1)).isoformat(),
        "end": (today + timedelta(days=10)).isoformat(), "reason": "Отпуск"})
    assert create.status_code == 201, create.get_json()
    overlap = api.as_("admin1").post("/api/v1/substitutions", json={
        "org_id": world.orgs["school1"], "absent_id": director,
        "deputy_id": world.users["admin1"], "start": (today + timedelta(days=5)).isoformat(),
        "end": (today + timedelta(days=20)).isoformat(), "reason": "Командировка"})
    assert overlap.status_code == 422
    assert overlap.get_json()["error"]["code"] == "substitution_overlap"
    doc = make_doc("approved")
    assert api.as_("curator1").fire(doc, "sign").status_code == 403  # not yet
    twin = _curator_of_both_schools(rt, world, app)
    assert api.as_("director1").post("/api/v1/substitutions", json={
        "org_id": world.orgs["school1"], "absent_id": world.users["admin1"],
        "deputy_id": twin.user_id, "start": today.isoformat(),
        "end": (today + timedelta(days=30)).isoformat(), "reason": "Отпуск"}).status_code == 201
    with clock.shifted(timedelta(days=2)):
        from workflow import accounts

        twin.token = accounts.issue_token(rt, twin.user_id)  # the first one has expired
        foreign = _school2_approved(rt, actor, world)
        assert twin.fire(foreign, "sign").status_code == 403  # a deputy in school1 only
        body = api.as_("curator1").fire(doc, "sign").get_json()
        assert body["state"] == "signed"
        history = api.as_("auditor").get(f"/api/v1/documents/{doc}/history").get_json()
        assert history[-1]["on_behalf_of"] == director
        text = docx_text(api.as_("admin1").get(f"/api/v1/documents/{doc}/docx").data)
        assert "И. о. директора" in text
    with clock.shifted(timedelta(days=11)):
        later = make_doc("approved")
        assert api.as_("curator1").fire(later, "sign").status_code == 403  # it ended
    with rt.db.read_session() as s:
        assert verify_chain(s, world.orgs["school1"]).ok


def test_the_municipality_approves_its_roadmap_by_the_heads_order(rt, actor, world, api):
    """The same engine in a municipality: the officer drafts, the committee head approves and
    signs the approving order; the roadmap cites it."""
    from workflow.engine.authoring import create_document

    muni = world.orgs["muni"]
    roadmap = create_document(rt, actor("officer"), kind="roadmap", org_id=muni,
                              title="Дорожная карта внедрения целевой модели наставничества",
                              fields={"period_start": "2026-09-01", "period_end": "2027-08-31"})
    apply_event(rt, roadmap, "submit", actor("officer"))
    assert api.as_("officer").fire(roadmap, "approve").status_code == 403
    apply_event(rt, roadmap, "approve", actor("head"))
    order = appendices.create_approving_order(rt, actor("officer"), roadmap)
    apply_event(rt, order, "submit", actor("officer"))
    apply_event(rt, order, "approve", actor("head"))
    signed = api.as_("head").fire(order, "sign").get_json()
    body = api.as_("officer").get(f"/api/v1/documents/{roadmap}").get_json()
    assert body["state"] == "signed"
    assert body["approved_by"]["registration_number"] == signed["registration_number"]
    text = docx_text(api.as_("officer").get(f"/api/v1/documents/{roadmap}/docx").data)
    assert signed["registration_number"] in text and "Дорожной карты" in signed["title"]
