"""Every (state, event, role) against the table of api.md: allowed ones succeed, roles that
may not fire get 403, allowed roles in a wrong state get 422, invisible documents 404."""

import pytest

from workflow.engine.machine import EVENTS

# event -> (source states, dest, roles allowed) — written from api.md, not from the code.
TABLE = {
    "submit": ({"draft"}, "on_approval", {"admin1", "curator1"}),
    "approve": ({"on_approval"}, "approved", {"director1"}),
    "reject": ({"on_approval"}, "draft", {"director1"}),
    "sign": ({"approved"}, "signed", {"director1"}),
    "send_to_municipality": ({"signed"}, "under_municipal_review", {"admin1", "director1"}),
    "accept": ({"under_municipal_review"}, "accepted", {"officer"}),
    "return_for_revision": ({"under_municipal_review"}, "returned", {"officer"}),
    "revise": ({"returned"}, "draft", {"admin1", "curator1"}),
    "cancel": ({"signed", "accepted"}, "cancelled", {"director1"}),
    "recall": ({"on_approval"}, "draft", {"admin1", "curator1"}),
}
USERS = ["director1", "admin1", "curator1", "officer", "auditor", "sysadmin", "head",
         "director2", "officer2"]
STATES = ["draft", "on_approval", "approved", "signed", "under_municipal_review", "accepted",
          "returned", "cancelled"]
SENT = {"under_municipal_review", "accepted", "returned"}
COMMENT = "Замечание для проверки"


def expected_status(state: str, event: str, user: str) -> int:
    sources, _dest, roles = TABLE[event]
    visible = user in {"director1", "admin1", "curator1", "auditor", "sysadmin"} or (
        user == "officer" and state in SENT)
    if not visible:
        return 404
    if user not in roles:
        return 403
    return 200 if state in sources else 422


def test_table_covers_every_event():
    assert set(TABLE) == set(EVENTS)


@pytest.mark.parametrize("state", STATES)
def test_every_event_and_role_from_state(state, make_doc, api):
    probe = make_doc(state)
    mismatches = []
    for event in EVENTS:
        for user in USERS:
            want = expected_status(state, event, user)
            doc_id = make_doc(state) if want == 200 else probe
            client = api.as_(user)
            lock = api.as_("auditor").get(f"/api/v1/documents/{doc_id}").get_json()["lock_version"]
            resp = client.fire(doc_id, event, COMMENT, lock_version=lock)
            if resp.status_code != want:
                mismatches.append((event, user, want, resp.status_code, resp.get_json()))
                continue
            body = resp.get_json()
            if want == 200:
                if body["state"] != TABLE[event][1] or body["lock_version"] != lock + 1:
                    mismatches.append((event, user, "state", body["state"], body["lock_version"]))
            else:
                assert set(body) == {"error"} and body["error"]["message"], body
    assert mismatches == []
    after = api.as_("auditor").get(f"/api/v1/documents/{probe}").get_json()
    assert after["state"] == state  # refusals changed nothing


@pytest.mark.parametrize("event", ["reject", "return_for_revision", "cancel"])
def test_remark_is_required(event, make_doc, api):
    state = {"reject": "on_approval", "return_for_revision": "under_municipal_review",
             "cancel": "signed"}[event]
    user = "officer" if event == "return_for_revision" else "director1"
    doc_id = make_doc(state)
    resp = api.as_(user).fire(doc_id, event, "   ")
    assert resp.status_code == 422
    assert resp.get_json()["error"]["code"] == "comment_required"
    assert "замечани" in resp.get_json()["error"]["message"] or "основание" in \
        resp.get_json()["error"]["message"]


def test_submit_of_incomplete_draft_names_what_is_missing(make_doc, api):
    doc_id = make_doc("draft", fields={"preamble": "Без пунктов"})
    resp = api.as_("admin1").fire(doc_id, "submit")
    assert resp.status_code == 422
    assert "нет ни одного пункта" in resp.get_json()["error"]["message"]


def test_available_events_are_what_the_user_may_fire(make_doc, api):
    doc_id = make_doc("on_approval")
    assert api.as_("director1").get(f"/api/v1/documents/{doc_id}").get_json()[
        "available_events"] == ["approve", "reject"]
    assert api.as_("admin1").get(f"/api/v1/documents/{doc_id}").get_json()[
        "available_events"] == ["recall"]  # the author may withdraw it from approval
    signed = make_doc("signed")
    assert api.as_("admin1").get(f"/api/v1/documents/{signed}").get_json()[
        "available_events"] == ["send_to_municipality"]


def test_municipal_document_ends_at_signed_with_head_as_director(rt, world, actor, api):
    from workflow.engine.authoring import create_document

    doc_id = create_document(rt, actor("officer"), kind="order", org_id=world.orgs["muni"],
                             title="Об утверждении муниципальной дорожной карты",
                             fields={"clauses": [{"text": "Утвердить дорожную карту."}]})
    officer, head = api.as_("officer"), api.as_("head")
    assert officer.fire(doc_id, "submit").status_code == 200
    assert head.fire(doc_id, "approve").status_code == 200
    signed = head.fire(doc_id, "sign").get_json()
    assert signed["state"] == "signed" and signed["registration_number"] == "1-од"
    assert "send_to_municipality" not in signed["available_events"]
    assert officer.fire(doc_id, "send_to_municipality").status_code == 403
