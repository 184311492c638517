"""Approval routes: modes all / any / n of m, later stages wait their turn, reject and recall
return the draft with the remark, a route edited later leaves documents already on it alone,
and a stage completes exactly once under concurrent visas."""

import threading
import uuid

import pytest
from sqlalchemy import select

from documents.db import null_pool_database
from documents.models import DocumentRoute, HistoryEvent, RouteVisa
from tests.conftest import PASSWORD
from workflow import accounts
from workflow.audit.chain import verify_chain
from workflow.engine.routes import put_route
from workflow.runtime import Runtime


def _people(rt, world, n: int, role: str = "curator") -> list[int]:
    ids = []
    with rt.db.write_session() as s:
        for i in range(n):
            user = accounts.create_user(s, email=f"p{i}-{uuid.uuid4().hex[:6]}@test.local",
                                        full_name=f"Участник {i}", password=PASSWORD,
                                        position="Учитель")
            accounts.grant_role(s, user.id, world.orgs["school1"], role)
            ids.append(user.id)
    return ids


def _route(rt, actor, world, stages, kind="order"):
    return put_route(rt, actor("director1"), world.orgs["school1"], kind, stages)


def _visa(api, world, user_key_or_token, doc_id, event="approve", comment=""):
    return user_key_or_token.fire(doc_id, event, comment)


def _client_for(app, rt, user_id):
    from tests.conftest import ApiClient

    return ApiClient(app.test_client(), accounts.issue_token(rt, user_id))


def _doc(api, doc_id):
    return api.as_("auditor").get(f"/api/v1/documents/{doc_id}").get_json()


@pytest.mark.parametrize("mode,n,visas_to_complete", [("all", None, 3), ("any", None, 1),
                                                     ("n_of_m", 2, 2)])
def test_stage_completes_by_its_mode(mode, n, visas_to_complete, app, rt, world, actor, api,
                                     make_doc):
    people = _people(rt, world, 3)
    stage = {"title": "Заместители", "mode": mode, "participants": [{"user_id": u}
                                                                    for u in people]}
    if n:
        stage["n"] = n
    _route(rt, actor, world, [stage, {"title": "Директор", "mode": "any",
                                      "participants": [{"role": "director"}]}])
    doc_id = make_doc("on_approval")
    for i, uid in enumerate(people[:visas_to_complete]):
        before = _doc(api, doc_id)["route"]["stages"][0]
        assert before["status"] == "current", (i, before)
        resp = _client_for(app, rt, uid).fire(doc_id, "approve", "Согласен")
        assert resp.status_code == 200, resp.get_json()
        assert resp.get_json()["state"] == "on_approval"
    body = _doc(api, doc_id)
    first, second = body["route"]["stages"]
    assert first["status"] == "done" and len(first["visas"]) == visas_to_complete
    assert first["visas"][0]["comment"] == "Согласен" and first["visas"][0]["user_name"]
    assert second["status"] == "current"
    assert api.as_("director1").fire(doc_id, "approve").get_json()["state"] == "approved"
    history = api.as_("auditor").get(f"/api/v1/documents/{doc_id}/history").get_json()
    assert [h["event"] for h in history].count("visa") == visas_to_complete
    assert history[-1]["event"] == "approve" and history[-1]["to_state"] == "approved"


def test_later_stage_participant_waits_with_403(rt, world, actor, api, make_doc):
    _route(rt, actor, world, [
        {"title": "Куратор", "mode": "any", "participants": [{"user_id": world.users["curator1"]}]},
        {"title": "Директор", "mode": "any", "participants": [{"role": "director"}]}])
    doc_id = make_doc("on_approval")
    director = api.as_("director1")
    assert "approve" not in director.get(f"/api/v1/documents/{doc_id}").get_json()[
        "available_events"]
    assert director.fire(doc_id, "approve").status_code == 403
    assert director.fire(doc_id, "reject", "Нет").status_code == 403
    assert api.as_("curator1").fire(doc_id, "approve").status_code == 200
    assert api.as_("curator1").fire(doc_id, "approve").status_code == 403  # stage moved on
    assert director.fire(doc_id, "approve").get_json()["state"] == "approved"


def test_reject_at_a_later_stage_returns_the_draft_with_the_remark(rt, world, actor, api,
                                                                   make_doc):
    _route(rt, actor, world, [
        {"title": "Куратор", "mode": "any", "participants": [{"user_id": world.users["curator1"]}]},
        {"title": "Директор", "mode": "any", "participants": [{"role": "director"}]}])
    doc_id = make_doc("on_approval")
    api.as_("curator1").fire(doc_id, "approve")
    assert api.as_("director1").fire(doc_id, "reject", "  ").status_code == 422
    body = api.as_("director1").fire(doc_id, "reject", "Уточните сроки").get_json()
    assert body["state"] == "draft"
    assert body["route"]["stages"][1]["status"] == "rejected"
    assert body["route"]["stages"][1]["visas"][0]["comment"] == "Уточните сроки"
    history = api.as_("auditor").get(f"/api/v1/documents/{doc_id}/history").get_json()
    assert history[-1]["event"] == "reject" and history[-1]["comment"] == "Уточните сроки"
    # resubmitted: a fresh round, nobody's old visa counts
    body = api.as_("admin1").fire(doc_id, "submit").get_json()
    assert [s["status"] for s in body["route"]["stages"]] == ["current", "waiting"]
    assert body["route"]["stages"][0]["visas"] == []


def test_collegial_protocol_and_its_rejection(api, make_doc, world):
    doc_id = make_doc("on_approval", kind="regulation",
                      fields={"sections": [{"title": "Общие", "text": "Текст."}]})
    body = api.as_("auditor").get(f"/api/v1/documents/{doc_id}").get_json()
    assert [s.get("collegial_body") for s in body["route"]["stages"]] == [
        "pedagogical_council", "trade_union", None]
    admin = api.as_("admin1")
    assert api.as_("director1").fire(doc_id, "approve").status_code == 403
    resp = admin.post(f"/api/v1/documents/{doc_id}/protocol", json={
        "lock_version": body["lock_version"], "number": "3", "date": "2026-01-15",
        "decision": "approved"})
    assert resp.status_code == 200, resp.get_json()
    stage = resp.get_json()["route"]["stages"][0]
    assert stage["status"] == "done" and stage["protocol"] == {
        "body": "pedagogical_council", "number": "3", "date": "2026-01-15",
        "decision": "approved"}
    assert api.as_("director1").post(f"/api/v1/documents/{doc_id}/protocol", json={
        "lock_version": resp.get_json()["lock_version"], "number": "4", "date": "2026-01-16",
        "decision": "approved"}).status_code == 403
    resp = admin.post(f"/api/v1/documents/{doc_id}/protocol", json={
        "lock_version": resp.get_json()["lock_version"], "number": "7", "date": "2026-01-16",
        "decision": "rejected", "comment": "Профком против п. 4"})
    assert resp.get_json()["state"] == "draft"
    history = admin.get(f"/api/v1/documents/{doc_id}/history").get_json()
    assert [h["event"] for h in history][-2:] == ["protocol", "reject"]
    assert history[-1]["comment"] == "Профком против п. 4"


def test_protocol_on_a_visa_stage_is_refused(api, make_doc):
    doc_id = make_doc("on_approval")
    lock = api.as_("admin1").get(f"/api/v1/documents/{doc_id}").get_json()["lock_version"]
    resp = api.as_("admin1").post(f"/api/v1/documents/{doc_id}/protocol", json={
        "lock_version": lock, "number": "1", "date": "2026-01-15", "decision": "approved"})
    assert resp.status_code == 422
    assert resp.get_json()["error"]["code"] == "not_a_collegial_stage"


def test_route_edited_after_submit_leaves_documents_on_it_alone(rt, world, actor, api,
                                                                make_doc):
    doc_id = make_doc("on_approval")  # the default: the director alone
    _route(rt, actor, world, [
        {"title": "Куратор", "mode": "any", "participants": [{"user_id": world.users["curator1"]}]},
        {"title": "Директор", "mode": "any", "participants": [{"role": "director"}]}])
    assert len(_doc(api, doc_id)["route"]["stages"]) == 1
    assert api.as_("director1").fire(doc_id, "approve").get_json()["state"] == "approved"
    later = make_doc("on_approval")
    assert len(_doc(api, later)["route"]["stages"]) == 2


def test_recall_returns_the_draft_and_history_says_so(api, make_doc):
    doc_id = make_doc("on_approval")
    assert api.as_("director1").fire(doc_id, "recall").status_code == 403
    body = api.as_("admin1").fire(doc_id, "recall", "Нашли опечатку").get_json()
    assert body["state"] == "draft"
    history = api.as_("admin1").get(f"/api/v1/documents/{doc_id}/history").get_json()
    assert history[-1]["event"] == "recall" and history[-1]["comment"] == "Нашли опечатку"


def test_put_route_names_the_bad_stage(api, world):
    client = api.as_("director1")
    url, org = "/api/v1/routes", world.orgs["school1"]
    bad = [
        [],
        [{"title": "A", "mode": "n_of_m", "n": 3, "participants": [{"role": "curator"}]}],
        [{"title": "A", "mode": "all", "participants": [{"user_id": world.users["admin3"]}]}],
        [{"title": "A", "mode": "all", "participants": [{"user_id": 987654}]}],
        [{"title": "A", "mode": "all", "participants": []}],
    ]
    for stages in bad:
        resp = client.put(url, json={"org_id": org, "kind": "order", "stages": stages})
        assert resp.status_code == 422, stages
    resp = client.put(url, json={"org_id": org, "kind": "order", "stages": [
        {"title": "Совет", "collegial_body": "governing_council", "due_days": 5},
        {"title": "Директор", "mode": "any", "participants": [{"role": "director"}]}]})
    assert resp.status_code == 200
    got = client.get(f"{url}?org_id={org}&kind=order").get_json()
    assert got["stages"][0]["collegial_body"] == "governing_council" and not got["default"]
    assert api.as_("curator1").put(url, json={"org_id": org, "kind": "order",
                                              "stages": got["stages"]}).status_code == 403
    default = client.get(f"{url}?org_id={org}&kind=incentive_scheme").get_json()
    assert [s.get("collegial_body") for s in default["stages"]] == ["trade_union", None]


@pytest.fixture()
def racing_app(app, rt):
    separate = Runtime(rt.settings, null_pool_database(rt.settings.database_url), rt.files)
    app.extensions["nastavnik"] = separate
    rt.db.engine.dispose()
    yield app
    app.extensions["nastavnik"] = rt
    separate.db.dispose()


def test_stage_moves_on_exactly_once_under_20_concurrent_visas(racing_app, rt, world, actor,
                                                               api, make_doc):
    people = _people(rt, world, 20)
    _route(rt, actor, world, [
        {"title": "Педагоги", "mode": "n_of_m", "n": 5,
         "participants": [{"user_id": u} for u in people]},
        {"title": "Директор", "mode": "any", "participants": [{"role": "director"}]}])
    doc_id = make_doc("on_approval")
    tokens = [accounts.issue_token(rt, u) for u in people]
    barrier, lock, outcomes = threading.Barrier(len(tokens)), threading.Lock(), []

    def worker(token):
        client = racing_app.test_client()
        headers = {"Authorization": f"Bearer {token}"}
        barrier.wait()
        for _ in range(60):  # a stale copy: read again and retry, as a person would
            version = client.get(f"/api/v1/documents/{doc_id}", headers=headers).get_json()
            resp = client.post(f"/api/v1/documents/{doc_id}/events/approve", headers=headers,
                               json={"lock_version": version["lock_version"]})
            if resp.status_code != 409:
                break
        with lock:
            outcomes.append(resp.status_code)

    pool = [threading.Thread(target=worker, args=(t,)) for t in tokens]
    for t in pool:
        t.start()
    for t in pool:
        t.join(timeout=300)
    assert sorted(outcomes) == [200] * 5 + [403] * 15, outcomes
    with rt.db.read_session() as s:
        route = s.get(DocumentRoute, doc_id)
        assert route.current == 1 and route.status == "in_progress"
        assert len(s.scalars(select(RouteVisa).where(RouteVisa.document_id == doc_id)).all()) == 5
        events = s.scalars(select(HistoryEvent.event).where(
            HistoryEvent.document_id == doc_id)).all()
        assert events.count("visa") == 5
        assert verify_chain(s, world.orgs["school1"]).ok
