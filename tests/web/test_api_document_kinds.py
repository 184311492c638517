"""GET /api/v1/document-kinds: every kind with its states, its transitions (who may fire
each) and the JSON schema of its fields — the same answer on every call."""

from __future__ import annotations


def test_kinds_states_transitions_and_schemas(api):
    client = api.as_("admin1")
    first = client.get("/api/v1/document-kinds")
    assert first.status_code == 200
    kinds = {k["kind"]: k for k in first.get_json()}
    assert {"order", "regulation", "roadmap", "pair_order", "incentive_scheme"} <= set(kinds)
    order = kinds["order"]
    assert order["title"] == "Приказ"
    assert {"draft", "on_approval", "approved", "signed"} <= set(order["states"])
    approve = [t for t in order["transitions"] if t["event"] == "approve"]
    assert approve and approve[0]["roles"] == ["director"]
    assert "clauses" in order["fields"]["properties"]
    again = api.as_("director1").get("/api/v1/document-kinds")
    assert again.get_json() == first.get_json()


def test_kinds_need_a_login(client):
    assert client.get("/api/v1/document-kinds").status_code == 401
